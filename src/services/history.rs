//! An account's movements, newest first, a page at a time.

use super::accounts::{account_id, account_not_found, is_internal, number_of};
use super::authz::{may_use_account, require};
use super::views::utc;
use super::{Actor, Bank, BankResult, HistoryEntry, MovementKind, Party};
use crate::db::{accounts, movements};
use crate::domain::AccountNumber;

/// The most lines one page may hold.
pub const MAX_PAGE: u32 = 10_000;

impl Bank {
    /// Up to `limit` movements of the account older than the movement `before` (a reference
    /// from the previous page), newest first.
    pub fn history(
        &mut self,
        actor: &Actor,
        number: &AccountNumber,
        before: Option<i64>,
        limit: u32,
    ) -> BankResult<Vec<HistoryEntry>> {
        let id = account_id(number);
        let row = accounts::find(&mut self.conn, id)?
            .filter(|row| row.owner_id.is_some() || actor.is_staff())
            .ok_or_else(|| account_not_found(number))?;
        require(
            may_use_account(actor, row.owner_id),
            "see this account's history",
        )?;
        let rows = movements::history(&mut self.conn, id, before, i64::from(limit.min(MAX_PAGE)))?;
        Ok(rows
            .into_iter()
            .map(|m| {
                let paid = m.debit_account_id == id;
                let (other, balance_after) = if paid {
                    (m.credit_account_id, m.debit_balance_after)
                } else {
                    (m.debit_account_id, m.credit_balance_after)
                };
                HistoryEntry {
                    id: m.id,
                    at: utc(m.created_at),
                    kind: MovementKind::from_db(&m.kind),
                    amount: if paid { -m.amount } else { m.amount },
                    currency: m.currency,
                    counterparty: if is_internal(other) {
                        Party::Cash
                    } else {
                        Party::Account(number_of(other))
                    },
                    balance_after,
                    key: m.idempotency_key,
                    memo: m.memo,
                }
            })
            .collect())
    }
}
