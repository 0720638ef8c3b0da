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
use super::{inserted_id, Connection, QueryError, QueryResult};

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

/// Appends the rows in order and returns their ids, in the same order. When the server hands
/// out the ids of one multi-row insert consecutively (`innodb_autoinc_lock_mode` 0 or 1) they
/// follow from `LAST_INSERT_ID()`; otherwise (2, as a Galera cluster requires) they are read
/// back by key.
pub fn insert_movements(conn: &mut Connection, rows: &[NewMovement<'_>]) -> QueryResult<Vec<i64>> {
    let step = consecutive_id_step(conn)?;
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        diesel::insert_into(movements::table)
            .values(chunk)
            .execute(conn)?;
        match step {
            Some(step) => {
                let first = inserted_id(conn)?;
                ids.extend((0..chunk.len()).map(|i| first + step * i as i64));
            }
            None => {
                let keys: Vec<&str> = chunk.iter().map(|r| r.idempotency_key).collect();
                let by_key: std::collections::HashMap<String, i64> = ids_of_keys(conn, &keys)?
                    .into_iter()
                    .map(|(id, key)| (key, id))
                    .collect();
                for key in keys {
                    ids.push(by_key.get(key).copied().ok_or_else(|| {
                        QueryError::DeserializationError(
                            format!("no journal row for key {key}").into(),
                        )
                    })?);
                }
            }
        }
    }
    Ok(ids)
}

/// The distance between the ids of one multi-row insert, when they are consecutive.
fn consecutive_id_step(conn: &mut Connection) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct Modes {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        lock_mode: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        increment: i64,
    }
    let modes: Modes = diesel::sql_query(
        "SELECT CAST(@@innodb_autoinc_lock_mode AS SIGNED) AS lock_mode, \
         CAST(@@auto_increment_increment AS SIGNED) AS increment",
    )
    .get_result(conn)?;
    Ok((modes.lock_mode < 2).then_some(modes.increment.max(1)))
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
        // The first row names the columns; the rest is one table value constructor, which
        // the server parses as one query block (a UNION of 2,000 SELECTs is 2,000 blocks).
        let mut values =
            format!("SELECT {first_id} AS id, CAST({first_balance} AS DECIMAL(19, 2)) AS balance");
        for (i, (id, balance)) in rest.iter().enumerate() {
            let lead = if i == 0 { " UNION ALL VALUES " } else { ", " };
            // Writing to a String cannot fail.
            let _ = write!(values, "{lead}({id}, {balance})");
        }
        conn.batch_execute(&format!(
            "UPDATE ({values}) AS v STRAIGHT_JOIN accounts AS a FORCE INDEX (PRIMARY) \
             ON a.id = v.id SET a.balance = v.balance"
        ))?;
    }
    Ok(())
}
