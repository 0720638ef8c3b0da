//! A teller's cash drawer: opened with a counted float, closed with a blind count whose
//! difference from the expected cash is posted to the over/short account.

use crate::services::ApprovalNeed;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::accounts::count_in;
use super::bank::now;
use super::money::lock_drawer;
use super::over_short::post_over_short;
use super::posting::Posting;
use super::users::audit;
use super::vault::{lock_vault, refuse_closed_day, VaultStep};
use super::views::utc;
use super::Desk;
use super::{Actor, Approval, BankError, BankResult, MovementKind};
use crate::db::{accounts, drawer_sessions, movements, vault, Connection};
use crate::domain::AuditAction;
use crate::domain::{format_money, CashCount, Currency, IdempotencyKey};

/// A drawer session and its figures. While it is open, `counted` and `over_short` are empty,
/// and its teller is not told the cash flows or the expected cash: the close is blind, in the
/// services and not only on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawerView {
    pub session_id: i64,
    pub currency: Currency,
    pub opening_float: Decimal,
    pub opening_count: String,
    /// None while the session is open (blind close).
    pub cash_in: Option<Decimal>,
    pub cash_out: Option<Decimal>,
    /// Top-ups from the vault and cash drops to it (approved, so the teller knows them).
    pub top_ups: Decimal,
    pub drops: Decimal,
    /// Opening float plus cash in minus cash out, plus top-ups minus drops; None while the
    /// session is open.
    pub expected: Option<Decimal>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub counted: Option<Decimal>,
    /// Counted minus expected: positive over, negative short.
    pub over_short: Option<Decimal>,
}

impl Desk<'_> {
    /// Opens the teller's drawer for the day: the float, counted by denomination, comes from
    /// today's vault of its currency, approved by a supervisor on the teller's screen (four
    /// eyes). A drawer opened empty moves nothing and needs no approval.
    pub fn open_drawer(
        &mut self,
        actor: &Actor,
        currency: Currency,
        count: &CashCount,
        approval: Option<&Approval>,
    ) -> BankResult<DrawerView> {
        let Actor::User(user) = actor.clone() else {
            let e = BankError::Forbidden("open a drawer session (a set-up task handles no cash)");
            return self.bank.refused(actor, AuditAction::DrawerOpen, None, e);
        };
        if !user.role.is_staff() {
            return self.bank.refused(
                actor,
                AuditAction::DrawerOpen,
                None,
                BankError::Forbidden("handle cash"),
            );
        }
        let approved_by = match approval {
            Some(approval) => Some(self.bank.verify_approval(
                actor,
                AuditAction::DrawerOpen,
                "drawer",
                approval,
            )?),
            None if count.total() > Decimal::ZERO => {
                let e = BankError::ApprovalRequired(ApprovalNeed::DrawerFloat);
                return self
                    .bank
                    .refused(actor, AuditAction::DrawerOpen, Some("drawer"), e);
            }
            None => None,
        };
        let stamp = self.bank.stamp(actor);
        let key = IdempotencyKey::generate();
        let result = self.bank.in_transaction(|conn| {
            count_in(conn, currency, count)?;
            let drawer = lock_drawer(conn, actor, currency.as_str())?;
            let vault = lock_vault(conn, currency.as_str())?;
            let today = now().date();
            refuse_closed_day(conn, today)?;
            let day = vault::day_of(conn, currency.as_str(), today)?
                .ok_or_else(|| BankError::VaultNotOpen(currency.to_string()))?;
            if day.counted_at.is_some() {
                return Err(BankError::VaultCounted(currency.to_string()));
            }
            let id = drawer_sessions::insert(
                conn,
                &drawer_sessions::NewSession {
                    teller_id: user.id,
                    drawer_account_id: drawer.id,
                    currency: currency.as_str(),
                    opening_float: count.total(),
                    opening_count: &count.to_string(),
                    opened_at: now(),
                    vault_day_id: Some(day.id),
                },
            )?;
            if count.total() > Decimal::ZERO {
                VaultStep {
                    day: &day,
                    vault: &vault,
                    drawer: &drawer,
                    pieces: count,
                    into_vault: false,
                    posting: Posting {
                        kind: MovementKind::Float,
                        key: &key,
                        amount: count.total(),
                        memo: Some("opening float"),
                        stamp: &stamp,
                        approved_by: approved_by.as_deref(),
                        session_id: Some(id),
                        reverses: None,
                    },
                }
                .post(conn)?;
            }
            let detail = format!("float {} {currency} ({count})", format_money(count.total()));
            audit(
                conn,
                &stamp,
                AuditAction::DrawerOpen,
                &drawer.number,
                Some(&detail),
            )?;
            session_view(conn, id)
        });
        let result = match result {
            Err(BankError::Duplicate(_)) => Err(BankError::DrawerAlreadyOpen(currency)),
            other => other,
        };
        self.bank
            .audited(actor, AuditAction::DrawerOpen, "drawer", result)
    }

    /// The teller's open drawer session (the oldest, when drawers of several currencies are
    /// open), if any.
    pub fn drawer(&mut self, actor: &Actor) -> BankResult<Option<DrawerView>> {
        Ok(self.drawers(actor)?.into_iter().next())
    }

    /// The teller's open drawer sessions, one per currency at most, oldest first.
    pub fn drawers(&mut self, actor: &Actor) -> BankResult<Vec<DrawerView>> {
        let Some(user_id) = actor.user_id() else {
            return Ok(Vec::new());
        };
        let conn = &mut self.bank.conn;
        drawer_sessions::open_for(conn, user_id)?
            .into_iter()
            .map(|session| session_view(conn, session.id))
            .collect()
    }

    /// Closes drawer session `session_id` with a blind count: the difference from the expected
    /// cash is posted to the over/short account and recorded with the session, which is final
    /// from then on. A count typed for one session never closes another.
    pub fn close_drawer(
        &mut self,
        actor: &Actor,
        session_id: i64,
        count: &CashCount,
    ) -> BankResult<DrawerView> {
        let Some(user_id) = actor.user_id() else {
            let e = BankError::Forbidden("close a drawer session (a set-up task handles no cash)");
            return self.bank.refused(actor, AuditAction::DrawerClose, None, e);
        };
        let stamp = self.bank.stamp(actor);
        let key = IdempotencyKey::generate();
        let return_key = IdempotencyKey::generate();
        // Read outside the transaction: its snapshot must start after the locks below, so the
        // cash flows it sums include every movement committed before them.
        let sessions = drawer_sessions::open_for(&mut self.bank.conn, user_id)?;
        let open = match sessions.iter().find(|open| open.id == session_id) {
            Some(open) => open.clone(),
            None if sessions.is_empty() => {
                let e = BankError::DrawerClosed("any currency".into());
                return self.bank.refused(actor, AuditAction::DrawerClose, None, e);
            }
            None => {
                let e = BankError::NotFound(format!("Your open drawer session {session_id}"));
                return self.bank.refused(actor, AuditAction::DrawerClose, None, e);
            }
        };
        let result = self.bank.in_transaction(|conn| {
            // The drawer row first (as every cash movement does), then the session, the vault.
            let drawer = lock_drawer(conn, actor, open.currency.as_str())?;
            count_in(conn, open.currency, count)?;
            let session = drawer_sessions::lock_open_in(conn, user_id, open.currency.as_str())?
                .filter(|session| session.id == session_id)
                .ok_or_else(|| BankError::DrawerClosed(open.currency.to_string()))?;
            let vault = match session.vault_day_id {
                Some(day_id) => Some((
                    lock_vault(conn, session.currency.as_str())?,
                    vault::find_day(conn, day_id)?
                        .ok_or_else(|| BankError::NotFound(format!("Vault day {day_id}")))?,
                )),
                // Opened before the branch had a vault: its cash stays in the drawer account.
                None => None,
            };
            let flows = movements::session_cash_flows(conn, session.id, drawer.id)?;
            let expected = flows.expected(session.opening_float);
            let counted = count.total();
            let over_short = counted - expected;
            let movement_id = if over_short.is_zero() {
                None
            } else {
                Some(post_over_short(
                    conn,
                    &stamp,
                    &key,
                    Some(session.id),
                    &drawer,
                    over_short,
                    "drawer",
                )?)
            };
            if let (Some((vault, day)), true) = (&vault, counted > Decimal::ZERO) {
                // The over/short posting moved the drawer's balance: post from the new one.
                let drawer = accounts::find(conn, drawer.id)?
                    .ok_or_else(|| BankError::NotFound(format!("Drawer {}", drawer.number)))?;
                VaultStep {
                    day,
                    vault,
                    drawer: &drawer,
                    pieces: count,
                    into_vault: true,
                    posting: Posting {
                        kind: MovementKind::CashReturn,
                        key: &return_key,
                        amount: counted,
                        memo: Some("closing count back to the vault"),
                        stamp: &stamp,
                        approved_by: None,
                        session_id: Some(session.id),
                        reverses: None,
                    },
                }
                .post(conn)?;
            }
            drawer_sessions::close(
                conn,
                session.id,
                &drawer_sessions::Closing {
                    closed_at: now(),
                    counted,
                    closing_count: &count.to_string(),
                    expected,
                    over_short,
                    over_short_movement_id: movement_id,
                },
            )?;
            let detail = format!(
                "counted {} expected {} over/short {} {}",
                format_money(counted),
                format_money(expected),
                format_money(over_short),
                session.currency
            );
            audit(
                conn,
                &stamp,
                AuditAction::DrawerClose,
                &drawer.number,
                Some(&detail),
            )?;
            session_view(conn, session.id)
        });
        self.bank
            .audited(actor, AuditAction::DrawerClose, "drawer", result)
    }
}

/// A session as its teller may see it: the figures that would give the closing count away
/// stay hidden until it is closed.
pub(super) fn session_view(conn: &mut Connection, id: i64) -> BankResult<DrawerView> {
    let session = drawer_sessions::find(conn, id)?
        .ok_or_else(|| BankError::NotFound(format!("Drawer session {id}")))?;
    let closed = session.closed_at.is_some();
    let flows = movements::session_cash_flows(conn, session.id, session.drawer_account_id)?;
    let (cash_in, cash_out) = if closed {
        (Some(flows.cash_in), Some(flows.cash_out))
    } else {
        (None, None)
    };
    Ok(DrawerView {
        session_id: session.id,
        currency: session.currency,
        opening_float: session.opening_float,
        opening_count: session.opening_count,
        cash_in,
        cash_out,
        top_ups: flows.top_ups,
        drops: flows.drops,
        expected: session.expected,
        opened_at: utc(session.opened_at),
        closed_at: session.closed_at.map(utc),
        counted: session.counted,
        over_short: session.over_short,
    })
}
