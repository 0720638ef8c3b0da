//! Drawer limits per teller: the bank's policy (`drawer_limit`, default 20,000.00) unless a
//! supervisor set a teller's own.

use rust_decimal::Decimal;

use super::authz::require_supervisor;
use super::bank::now;
use super::fx::value_at_mid;
use super::users::audit;
use super::Desk;
use super::{Actor, ApprovalNeed, BankError, BankResult};
use crate::db::{drawer_limits, drawer_sessions, movements, users, Connection};
use crate::domain::AuditAction;
use crate::domain::{format_money, Amount, Email};

/// A teller's drawer limit and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawerLimit {
    pub email: String,
    pub limit: Decimal,
    /// True when the teller has a limit of their own, false for the bank's policy.
    pub own: bool,
}

impl Desk<'_> {
    /// Sets a teller's (or admin's) own drawer limit; `None` goes back to the bank's policy.
    /// Supervisors (admins) only.
    pub fn set_drawer_limit(
        &mut self,
        actor: &Actor,
        email: &Email,
        amount: Option<Amount>,
    ) -> BankResult<DrawerLimit> {
        let subject = email.as_str();
        if let Err(e) = require_supervisor(actor, "set a drawer limit (supervisors only)") {
            return self
                .bank
                .refused(actor, AuditAction::UserDrawerLimit, Some(subject), e);
        }
        let stamp = self.bank.stamp(actor);
        let name = stamp.actor.as_str();
        let policy = self.bank.config.drawer_limit;
        let result = self.bank.in_transaction(|conn| {
            let row = users::find_by_email_for_update(conn, subject)?
                .filter(|row| row.role.is_staff())
                .ok_or_else(|| BankError::NotFound(format!("A teller or admin {subject}")))?;
            let new = amount.map(|amount| drawer_limits::NewLimit {
                teller_id: row.id,
                amount: amount.value(),
                set_by: name,
                set_at: now(),
            });
            drawer_limits::set(conn, row.id, new.as_ref())?;
            let detail = match amount {
                Some(amount) => format!("drawer limit {}", format_money(amount.value())),
                None => format!("drawer limit: the bank's {}", format_money(policy)),
            };
            audit(
                conn,
                &stamp,
                AuditAction::UserDrawerLimit,
                subject,
                Some(&detail),
            )?;
            Ok(DrawerLimit {
                email: row.email,
                limit: amount.map_or(policy, Amount::value),
                own: amount.is_some(),
            })
        });
        self.bank
            .audited(actor, AuditAction::UserDrawerLimit, subject, result)
    }
}

/// The limit of a teller's drawer: their own, else the bank's.
pub(super) fn limit_of(
    conn: &mut Connection,
    teller_id: i64,
    policy: Decimal,
) -> BankResult<Decimal> {
    Ok(drawer_limits::find(conn, teller_id)?.unwrap_or(policy))
}

/// Cash paid into an open drawer, against its teller's limit: in the base currency at the mid
/// rate (a drawer of a currency without a rate to it counts as above the limit: a supervisor
/// decides, not a guess). Decided on what the drawer held before, so the amount typed cannot
/// probe the drawer's total (the teller is told the limit, never the total: the close stays
/// blind): a drawer above its limit already takes no more cash unless `approved`. Returns
/// whether this cash-in takes it above (warned: the next needs a drop first or a supervisor).
pub(super) fn cash_in_against_limit(
    conn: &mut Connection,
    session: &drawer_sessions::SessionRow,
    drawer_id: i64,
    policy: Decimal,
    amount: Decimal,
    approved: bool,
) -> BankResult<bool> {
    let limit = limit_of(conn, session.teller_id, policy)?;
    let held =
        movements::session_cash_flows(conn, session.id, drawer_id)?.expected(session.opening_float);
    let currency = session.currency;
    let mut value =
        |amount| value_at_mid(conn, currency, amount).map(|v| v.unwrap_or(Decimal::MAX));
    if value(held)? > limit && !approved {
        return Err(BankError::ApprovalRequired(
            ApprovalNeed::DrawerAboveLimit { limit },
        ));
    }
    Ok(value(held + amount)? > limit)
}
