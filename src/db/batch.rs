//! The statements of a batch of transfers (`Bank::post_batch`): a few set-based statements for
//! the whole batch instead of a handful per transfer.
//!
//! Lists of keys and ids are bound parameters, never literals: MariaDB rewrites a literal `IN`
//! list of 1,000 values or more into a join (`in_predicate_conversion_threshold`), which locks
//! and reads far more than the rows asked for. Statements stay under the 65,535 placeholders a
//! prepared statement may hold.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::audit_log::NewAuditEntry;
use super::movements::{MovementRow, NewMovement};
use super::schema::{audit_log, movements};
use super::{Connection, QueryResult};

/// Rows per multi-row INSERT (14 columns a movement: 28,000 placeholders).
const ROWS_PER_INSERT: usize = 2_000;
/// Values per `IN (…)` list.
const KEYS_PER_QUERY: usize = 5_000;

/// The journal rows that already carry any of these keys.
pub fn movements_with_keys(conn: &mut Connection, keys: &[&str]) -> QueryResult<Vec<MovementRow>> {
    let mut found = Vec::new();
    for chunk in keys.chunks(KEYS_PER_QUERY) {
        found.extend(
            movements::table
                .filter(movements::idempotency_key.eq_any(chunk))
                .select(MovementRow::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

/// The ids the journal gave these keys (ids are not assumed consecutive: a cluster hands them
/// out with gaps).
pub fn ids_of_keys(conn: &mut Connection, keys: &[&str]) -> QueryResult<Vec<(i64, String)>> {
    let mut found = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(KEYS_PER_QUERY) {
        found.extend(
            movements::table
                .filter(movements::idempotency_key.eq_any(chunk))
                .select((movements::id, movements::idempotency_key))
                .load::<(i64, String)>(conn)?,
        );
    }
    Ok(found)
}

pub fn insert_movements(conn: &mut Connection, rows: &[NewMovement<'_>]) -> QueryResult<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        diesel::insert_into(movements::table)
            .values(chunk)
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_audit(conn: &mut Connection, rows: &[NewAuditEntry<'_>]) -> QueryResult<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        diesel::insert_into(audit_log::table)
            .values(chunk)
            .execute(conn)?;
    }
    Ok(())
}

/// Writes new cached balances of locked rows, one statement per 2,000 accounts.
///
/// The new balances go as a derived table joined on the primary key, driven from the derived
/// table (`STRAIGHT_JOIN`, `FORCE INDEX`), so only the rows named are read and locked. Only
/// `i64`s and `Decimal`s are formatted into the text, which cannot carry SQL.
pub fn set_balances(conn: &mut Connection, balances: &[(i64, Decimal)]) -> QueryResult<()> {
    use std::fmt::Write;
    for chunk in balances.chunks(ROWS_PER_INSERT) {
        let Some(((first_id, first_balance), rest)) = chunk.split_first() else {
            continue;
        };
        let mut values =
            format!("SELECT {first_id} AS id, CAST({first_balance} AS DECIMAL(19, 2)) AS balance");
        for (id, balance) in rest {
            // Writing to a String cannot fail.
            let _ = write!(values, " UNION ALL SELECT {id}, {balance}");
        }
        conn.batch_execute(&format!(
            "UPDATE ({values}) AS v STRAIGHT_JOIN accounts AS a FORCE INDEX (PRIMARY) \
             ON a.id = v.id SET a.balance = v.balance"
        ))?;
    }
    Ok(())
}
