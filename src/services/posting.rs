//! Writing one movement: its funds check on locked rows, then both balances, the journal row and
//! its audit line in one round trip (`db::posting`).

use chrono::NaiveDateTime;
use rust_decimal::Decimal;

use super::accounts::{account_number, is_internal};
use super::actor::Stamp;
use super::bank::now;
use super::views::utc;
use super::{BankError, BankResult, MoneyResult, MovementKind, Party};
use crate::db::posting::{self, NewPosting, Posted};
use crate::db::{accounts, Connection, QueryResult};
use crate::domain::{format_money_in, IdempotencyKey};

/// One movement about to be written.
pub(super) struct Posting<'a> {
    pub kind: MovementKind,
    pub key: &'a IdempotencyKey,
    pub amount: Decimal,
    pub memo: Option<&'a str>,
    pub stamp: &'a Stamp,
    /// The supervisor who approved it (four eyes), if it needed one.
    pub approved_by: Option<&'a str>,
    /// The teller's drawer session a cash movement belongs to.
    pub session_id: Option<i64>,
    /// The movement this one reverses.
    pub reverses: Option<i64>,
}

impl Posting<'_> {
    /// Checks funds, writes both balances, the journal row and the audit line. The rows must
    /// be locked by the caller.
    pub(super) fn post(
        &self,
        conn: &mut Connection,
        debit: &accounts::AccountRow,
        credit: &accounts::AccountRow,
    ) -> BankResult<MoneyResult> {
        self.ensure_funds(debit)?;
        let at = now();
        self.write(conn, debit, credit, at, posting::post)?;
        let posted = posting::posted(conn)?;
        Ok(self.result(debit, credit, at, posted))
    }

    /// A customer account pays no more than it holds.
    pub(super) fn ensure_funds(&self, debit: &accounts::AccountRow) -> BankResult<()> {
        if debit.owner_id.is_some() && debit.balance < self.amount {
            return Err(BankError::InsufficientFunds {
                account: debit.number.clone(),
                balance: debit.balance,
                needed: self.amount,
            });
        }
        Ok(())
    }

    /// The movement's writes in one round trip, by `call` (`posting::post` on locked rows or
    /// `posting::commit_rechecked`); what was written is read with `posting::posted`.
    pub(super) fn write(
        &self,
        conn: &mut Connection,
        debit: &accounts::AccountRow,
        credit: &accounts::AccountRow,
        at: NaiveDateTime,
        call: fn(&mut Connection, &NewPosting<'_>) -> QueryResult<()>,
    ) -> QueryResult<()> {
        let detail_before_id = format!(
            "{} {} from {} to {}, key {}, reference ",
            format_money_in(self.amount, debit.currency),
            debit.currency,
            debit.number,
            credit.number,
            self.key
        );
        call(
            conn,
            &NewPosting {
                idempotency_key: self.key.as_str(),
                kind: self.kind.as_str(),
                debit_account_id: debit.id,
                credit_account_id: credit.id,
                amount: self.amount,
                currency: debit.currency.as_str(),
                memo: self.memo,
                reverses_id: self.reverses,
                actor: &self.stamp.actor,
                approved_by: self.approved_by,
                created_at: at,
                drawer_session_id: self.session_id,
                device: &self.stamp.device,
                subject: if debit.owner_id.is_some() {
                    &debit.number
                } else {
                    &credit.number
                },
                detail_before_id: &detail_before_id,
            },
        )
    }

    /// What the person is told: the movement and the customer balances after it.
    pub(super) fn result(
        &self,
        debit: &accounts::AccountRow,
        credit: &accounts::AccountRow,
        at: NaiveDateTime,
        posted: Posted,
    ) -> MoneyResult {
        let balances = [(debit, posted.debit_after), (credit, posted.credit_after)]
            .into_iter()
            .filter(|(row, _)| row.owner_id.is_some())
            .filter_map(|(row, balance)| {
                Some((
                    account_number(row.id)?,
                    debit.currency.in_minor_units(balance),
                ))
            })
            .collect();
        MoneyResult {
            id: posted.id,
            key: self.key.to_string(),
            kind: self.kind,
            amount: debit.currency.in_minor_units(self.amount),
            currency: debit.currency,
            from: party_of(debit),
            to: party_of(credit),
            balances,
            memo: self.memo.map(str::to_string),
            at: utc(at),
            replayed: false,
            drawer_over_limit: false,
            device: self.stamp.device.clone(),
        }
    }
}

/// Who a locked account is to a person: a customer's account, the exchange (a position), or
/// cash (a drawer, the vault, over/short).
fn party_of(row: &accounts::AccountRow) -> Party {
    if row.kind == crate::domain::AccountKind::Position {
        return Party::Exchange;
    }
    party(row.id)
}

/// The two sides of a journal row: an exchange leg's position side is its credit (the first
/// leg, paid in) or its debit (the second, key "…/2", paid out).
pub(super) fn parties(row: &crate::db::movements::MovementRow) -> (Party, Party) {
    let (debit, credit) = (party(row.debit_account_id), party(row.credit_account_id));
    if row.kind != MovementKind::Exchange {
        return (debit, credit);
    }
    if row.idempotency_key.ends_with("/2") {
        (Party::Exchange, credit)
    } else {
        (debit, Party::Exchange)
    }
}

/// Who a movement's side is to a person: a customer account, or cash (every internal
/// account; an id outside the numbers' range, which the schema's ids never are, too).
pub(super) fn party(id: i64) -> Party {
    match account_number(id) {
        Some(number) if !is_internal(id) => Party::Account(number),
        _ => Party::Cash,
    }
}
