//! An account's movements, newest first, a page at a time.

use super::accounts::{account_id, visible_account};
use super::posting::party;
use super::views::utc;
use super::Money;
use super::{Actor, BankResult, HistoryEntry, MovementKind, Party};
use crate::db::movements;
use crate::domain::AccountNumber;
use crate::domain::AuditAction;

/// The most lines one page may hold.
pub const MAX_PAGE: u32 = 10_000;

impl Money<'_> {
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
        let visible = visible_account(&mut self.bank.conn, actor, number);
        self.bank
            .audited(actor, AuditAction::AccountHistory, number.as_str(), visible)?;
        let rows = movements::history(
            &mut self.bank.conn,
            id,
            before,
            i64::from(limit.min(MAX_PAGE)),
        )?;
        Ok(rows.into_iter().map(|m| entry_of(id, m)).collect())
    }
}

/// A journal row as a line of this account's history: its side's amount (negative when money
/// left) and balance after, and the other side as the counterparty.
pub(super) fn entry_of(account: i64, m: movements::MovementRow) -> HistoryEntry {
    let paid = m.debit_account_id == account;
    let (other, balance_after) = if paid {
        (m.credit_account_id, m.debit_balance_after)
    } else {
        (m.debit_account_id, m.credit_balance_after)
    };
    HistoryEntry {
        id: m.id,
        at: utc(m.created_at),
        kind: m.kind,
        amount: m
            .currency
            .in_minor_units(if paid { -m.amount } else { m.amount }),
        currency: m.currency,
        counterparty: match (m.kind, party(other)) {
            (MovementKind::Exchange, Party::Cash) => Party::Exchange,
            (_, counterparty) => counterparty,
        },
        balance_after: m.currency.in_minor_units(balance_after),
        key: m.idempotency_key,
        memo: m.memo,
        device: m.device,
    }
}
