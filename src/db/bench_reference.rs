//! The benchmark's yardstick: the least a transfer can do on this schema (lock both rows, write
//! the journal row, write both balances and their last movement) with Diesel's cached statements,
//! in one transaction.
//! `teller bench --reference` runs it where the real transfer runs, so that the two are measured
//! side by side. It writes no audit line: a bank it ran on fails its audit.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::movements;
use super::{accounts, movements::NewMovement, Connection, QueryResult};

/// Moves `amount` from one account to another; false (nothing moved) when either is missing or
/// the payer has too little.
pub fn minimal_transfer(
    conn: &mut Connection,
    from: i64,
    to: i64,
    amount: Decimal,
    key: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::Connection::transaction(conn, |conn| {
        let rows = accounts::lock(conn, &[from, to])?;
        let find = |id: i64| rows.iter().find(|r| r.id == id);
        let (Some(payer), Some(payee)) = (find(from), find(to)) else {
            return Ok(false);
        };
        let (payer_after, payee_after) = (payer.balance - amount, payee.balance + amount);
        if payer_after < Decimal::ZERO {
            return Ok(false);
        }
        diesel::insert_into(movements::table)
            .values(&NewMovement {
                idempotency_key: key,
                kind: "transfer",
                debit_account_id: from,
                credit_account_id: to,
                amount,
                currency: payer.currency.as_str(),
                memo: None,
                debit_balance_after: payer_after,
                credit_balance_after: payee_after,
                reverses_id: None,
                actor: "setup:bench-reference",
                approved_by: None,
                created_at: at,
                drawer_session_id: None,
                device: "local",
            })
            .execute(conn)?;
        accounts::set_balances(conn, &[(from, payer_after), (to, payee_after)])?;
        Ok(true)
    })
}
