//! Reversals: a movement made today is undone by the opposite movement, which references it,
//! with a reason and a supervisor's approval. The original stays; each is reversed once.

use super::accounts::{is_internal, number_of};
use super::bank::now;
use super::money::{ensure_open, lock_cash_session, lock_drawer};
use super::posting::Posting;
use super::Approval;
use super::Money;
use super::{Actor, BankError, BankResult, MoneyResult, MovementKind};
use crate::db::{accounts, movements, Connection, DuplicateKey};
use crate::domain::AuditAction;
use crate::domain::{IdempotencyKey, Reason};
use crate::services::ApprovalNeed;

impl Money<'_> {
    /// Reverses movement `reference` (a deposit, withdrawal or transfer made today, UTC).
    /// Cash goes back through the reversing teller's own open drawer. Staff only; tellers and
    /// admins need a supervisor's approval; set-up tasks are not limited.
    pub fn reverse(
        &mut self,
        actor: &Actor,
        reference: i64,
        reason: &Reason,
        approval: Option<&Approval>,
    ) -> BankResult<MoneyResult> {
        let subject = format!("movement {reference}");
        if let Err(e) = super::authz::require(actor.is_staff(), "reverse movements") {
            return self
                .bank
                .refused(actor, AuditAction::Reversal, Some(&subject), e);
        }
        let approved_by = match (approval, actor) {
            (Some(approval), _) => {
                Some(
                    self.bank
                        .verify_approval(actor, AuditAction::Reversal, &subject, approval)?,
                )
            }
            (None, Actor::User(_)) => {
                let e = BankError::ApprovalRequired(ApprovalNeed::Reversal);
                return self
                    .bank
                    .refused(actor, AuditAction::Reversal, Some(&subject), e);
            }
            (None, Actor::Setup { .. }) => None,
        };
        let stamp = self.bank.stamp(actor);
        let key = IdempotencyKey::generate();
        let result = self.bank.in_transaction(|conn| {
            let original = movements::find(conn, reference)?
                .ok_or_else(|| BankError::NotFound(format!("Movement {reference}")))?;
            // The unique index on `reverses_id` is the guard; this only answers sooner and
            // more plainly than, say, "insufficient funds" would.
            if movements::reversal_of(conn, reference)?.is_some() {
                return Err(BankError::AlreadyReversed(reference));
            }
            let kind = original.kind;
            if !matches!(
                kind,
                MovementKind::Deposit | MovementKind::Withdrawal | MovementKind::Transfer
            ) {
                return Err(BankError::NotReversible {
                    id: reference,
                    why: "only deposits, withdrawals and transfers are reversed",
                });
            }
            if original.created_at.date() != now().date() {
                return Err(BankError::NotReversible {
                    id: reference,
                    why: "only movements made today (UTC) can be reversed",
                });
            }
            // The opposite movement: who received pays back, who paid receives.
            let (payer, payee) = (original.credit_account_id, original.debit_account_id);
            let customers = lock_customers(conn, &[payer, payee])?;
            let currency = original.currency;
            let drawer = if is_internal(payer) || is_internal(payee) {
                Some(lock_drawer(conn, actor, currency.as_str())?)
            } else {
                None
            };
            let session_id = match &drawer {
                Some(drawer) => lock_cash_session(conn, actor, drawer, currency)?.map(|s| s.id),
                None => None,
            };
            let side = |id: i64| -> BankResult<&accounts::AccountRow> {
                if is_internal(id) {
                    drawer.as_ref().ok_or(BankError::Busy)
                } else {
                    customers
                        .iter()
                        .find(|row| row.id == id)
                        .ok_or_else(|| BankError::NotFound(format!("Account {}", number_of(id))))
                }
            };
            let (debit, credit) = (side(payer)?, side(payee)?);
            Posting {
                kind: MovementKind::Reversal,
                key: &key,
                amount: original.amount,
                memo: Some(reason.as_str()),
                stamp: &stamp,
                approved_by: approved_by.as_deref(),
                session_id,
                reverses: Some(original.id),
            }
            .post(conn, debit, credit)
        });
        let result = match result {
            Err(BankError::Duplicate(Some(DuplicateKey::MovementReverses))) => {
                Err(BankError::AlreadyReversed(reference))
            }
            other => other,
        };
        self.bank
            .audited(actor, AuditAction::Reversal, &subject, result)
    }
}

/// Locks the customer accounts among `ids` (ascending id), each of which must be open.
fn lock_customers(conn: &mut Connection, ids: &[i64]) -> BankResult<Vec<accounts::AccountRow>> {
    let wanted: Vec<i64> = ids.iter().copied().filter(|id| !is_internal(*id)).collect();
    let rows = accounts::lock(conn, &wanted)?;
    for id in &wanted {
        let row = rows
            .iter()
            .find(|row| row.id == *id)
            .ok_or_else(|| BankError::NotFound(format!("Account {}", number_of(*id))))?;
        ensure_open(row)?;
    }
    Ok(rows)
}
