//! Cash between an open drawer and the vault during the day, each step approved by a
//! supervisor: a cash drop (drawer -> vault) when the drawer holds too much, a top-up
//! (vault -> drawer) when it runs low.

use rust_decimal::Decimal;

use super::accounts::count_in;
use super::drawer::session_view;
use super::money::lock_drawer;
use super::posting::Posting;
use super::users::audit;
use super::vault::{lock_vault, refuse_closed_day, VaultStep};
use super::Desk;
use super::{Actor, Approval, BankError, BankResult, DrawerView, MovementKind};
use crate::db::{drawer_sessions, movements, vault};
use crate::domain::AuditAction;
use crate::domain::{format_money, CashCount, Currency, Field, IdempotencyKey, ValidationError};

/// Which way cash moves between a drawer and the vault during the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultTransfer {
    /// Drawer -> vault.
    Drop,
    /// Vault -> drawer.
    TopUp,
}

impl VaultTransfer {
    fn kind(self) -> MovementKind {
        match self {
            Self::Drop => MovementKind::CashDrop,
            Self::TopUp => MovementKind::TopUp,
        }
    }

    fn action(self) -> AuditAction {
        match self {
            Self::Drop => AuditAction::DrawerDrop,
            Self::TopUp => AuditAction::DrawerTopUp,
        }
    }
}

impl Desk<'_> {
    /// A cash drop or a top-up of the teller's open drawer in `currency` (`None`: the one open
    /// drawer), counted by denomination and approved by a supervisor. The same key with the
    /// same step is applied once.
    pub fn move_drawer_cash(
        &mut self,
        actor: &Actor,
        direction: VaultTransfer,
        count: &CashCount,
        approval: &Approval,
        key: &IdempotencyKey,
        currency: Option<Currency>,
    ) -> BankResult<DrawerView> {
        let action = direction.action();
        let Some(user_id) = actor.user_id().filter(|_| actor.is_staff()) else {
            return self
                .bank
                .refused(actor, action, None, BankError::Forbidden("handle cash"));
        };
        if count.total() <= Decimal::ZERO {
            let e = ValidationError::new(Field::CashCount, "count at least one banknote or coin");
            return self.bank.refused(actor, action, None, e.into());
        }
        let approved_by = self
            .bank
            .verify_approval(actor, action, "drawer", approval)?;
        let stamp = self.bank.stamp(actor);
        // Read outside the transaction for the currency; locked again inside it.
        let sessions = drawer_sessions::open_for(&mut self.bank.conn, user_id)?;
        let open = match one_drawer(sessions, currency) {
            Ok(open) => open,
            Err(e) => return self.bank.refused(actor, action, None, e),
        };
        let result = self.bank.in_transaction(|conn| {
            count_in(conn, open.currency, count)?;
            let drawer = lock_drawer(conn, actor, open.currency.as_str())?;
            let session = drawer_sessions::lock_open_in(conn, user_id, open.currency.as_str())?
                .filter(|session| session.id == open.id)
                .ok_or_else(|| BankError::DrawerClosed(open.currency.to_string()))?;
            if let Some(done) = movements::find_by_key(conn, key.as_str())? {
                let same = done.kind == direction.kind()
                    && done.amount == count.total()
                    && done.drawer_session_id == Some(session.id)
                    && vault::pieces_of(conn, done.id)?.as_deref() == Some(&count.to_string()[..]);
                return if same {
                    session_view(conn, session.id)
                } else {
                    Err(BankError::IdempotencyConflict(key.to_string()))
                };
            }
            let vault = lock_vault(conn, session.currency.as_str())?;
            refuse_closed_day(conn, super::bank::now().date())?;
            let day = match session.vault_day_id {
                Some(id) => vault::find_day(conn, id)?,
                None => None,
            }
            .ok_or_else(|| BankError::VaultNotOpen(session.currency.to_string()))?;
            VaultStep {
                day: &day,
                vault: &vault,
                drawer: &drawer,
                pieces: count,
                into_vault: direction == VaultTransfer::Drop,
                posting: Posting {
                    kind: direction.kind(),
                    key,
                    amount: count.total(),
                    memo: None,
                    stamp: &stamp,
                    approved_by: Some(&approved_by),
                    session_id: Some(session.id),
                    reverses: None,
                },
            }
            .post(conn)?;
            let detail = format!(
                "{} {} ({count}), approved by {approved_by}",
                format_money(count.total()),
                session.currency
            );
            audit(conn, &stamp, action, &drawer.number, Some(&detail))?;
            session_view(conn, session.id)
        });
        self.bank.audited(actor, action, "drawer", result)
    }
}

/// The open session a step is for: the one in `currency`, or the only one open.
pub(super) fn one_drawer(
    sessions: Vec<drawer_sessions::SessionRow>,
    currency: Option<Currency>,
) -> BankResult<drawer_sessions::SessionRow> {
    let open: Vec<String> = sessions.iter().map(|s| s.currency.to_string()).collect();
    let mut matching = sessions
        .into_iter()
        .filter(|s| currency.is_none_or(|c| s.currency == c));
    match (matching.next(), matching.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(BankError::DrawerClosed(
            currency.map_or_else(|| "any currency".into(), |c| c.to_string()),
        )),
        (Some(_), Some(_)) => Err(BankError::Invalid(ValidationError::new(
            Field::Currency,
            format!(
                "drawers in {} are open: name the currency (--currency)",
                open.join(" and ")
            ),
        ))),
    }
}
