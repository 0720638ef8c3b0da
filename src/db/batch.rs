//! The statements of a batch of transfers (`Batches::post_batch`): a few set-based statements for
//! the whole batch instead of a handful per transfer.
//!
//! Lists of keys and ids are bound parameters, never literals: MariaDB rewrites a literal `IN`
//! list of 1,000 values or more into a join (`in_predicate_conversion_threshold`), which locks
//! and reads far more than the rows asked for. Statements stay under the 65,535 placeholders a
//! prepared statement may hold.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::audit_log::NewAuditEntry;
use super::movements::{MovementRow, NewMovement};
use super::schema::{audit_log, movements};
use super::{classify, inserted_id, Connection, DuplicateKey, Failure, QueryError, QueryResult};

/// Rows per statement of the balance update.
const ROWS_PER_UPDATE: usize = 2_000;
/// Appends `$rows` to `$table` in chunks of fixed sizes, calling `$after(chunk)` after each.
///
/// A multi-row insert of a `Vec` is prepared anew every time (Diesel cannot cache a statement
/// whose shape varies); one of an array has one shape per size, so each size is prepared once
/// per connection and then only executed. Parsing a 14,000-placeholder statement was a sixth of
/// the server's time per batch. The sizes: 2,000, the default batch of 1,000, then powers of two
/// down to 1 (2,000 movements of 14 columns: 28,000 of the 65,535 placeholders allowed).
macro_rules! insert_in_fixed_chunks {
    ($conn:expr, $table:expr, $rows:expr, $after:expr) => {{
        let mut rest = $rows;
        while !rest.is_empty() {
            rest = insert_in_fixed_chunks!(@sizes $conn, $table, rest, $after,
                2000, 1000, 512, 256, 128, 64, 32, 16, 8, 4, 2, 1);
        }
    }};
    (@sizes $conn:expr, $table:expr, $rest:expr, $after:expr, $($size:literal),*) => {{
        let rest = $rest;
        $(
            if let Some((chunk, tail)) = rest.split_first_chunk::<$size>() {
                diesel::insert_into($table).values(chunk).execute($conn)?;
                $after(chunk.as_slice())?;
                tail
            } else
        )* {
            // A non-empty slice always holds a chunk of 1: never drop rows silently all the same.
            return Err(QueryError::QueryBuilderError(
                format!("{} rows left without a chunk size", rest.len()).into(),
            ));
        }
    }};
}

/// A journal row as the fixed-size inserts take it: owned, because a cached statement's type
/// (its Diesel query id) must not borrow.
#[derive(Insertable)]
#[diesel(table_name = movements, treat_none_as_default_value = false)]
struct OwnedMovement {
    idempotency_key: String,
    kind: String,
    debit_account_id: i64,
    credit_account_id: i64,
    amount: Decimal,
    currency: String,
    memo: Option<String>,
    debit_balance_after: Decimal,
    credit_balance_after: Decimal,
    reverses_id: Option<i64>,
    actor: String,
    approved_by: Option<String>,
    created_at: NaiveDateTime,
    drawer_session_id: Option<i64>,
    device: String,
}

impl From<&NewMovement<'_>> for OwnedMovement {
    fn from(row: &NewMovement<'_>) -> Self {
        Self {
            idempotency_key: row.idempotency_key.to_owned(),
            kind: row.kind.to_owned(),
            debit_account_id: row.debit_account_id,
            credit_account_id: row.credit_account_id,
            amount: row.amount,
            currency: row.currency.to_owned(),
            memo: row.memo.map(str::to_owned),
            debit_balance_after: row.debit_balance_after,
            credit_balance_after: row.credit_balance_after,
            reverses_id: row.reverses_id,
            actor: row.actor.to_owned(),
            approved_by: row.approved_by.map(str::to_owned),
            created_at: row.created_at,
            drawer_session_id: row.drawer_session_id,
            device: row.device.to_owned(),
        }
    }
}

/// An audit line as the fixed-size inserts take it (owned, as above).
#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
struct OwnedAuditEntry {
    at: NaiveDateTime,
    actor: String,
    action: String,
    subject: Option<String>,
    outcome: String,
    detail: Option<String>,
    approved_by: Option<String>,
    device: String,
}

impl From<&NewAuditEntry<'_>> for OwnedAuditEntry {
    fn from(row: &NewAuditEntry<'_>) -> Self {
        Self {
            at: row.at,
            actor: row.actor.to_owned(),
            action: row.action.to_owned(),
            subject: row.subject.map(str::to_owned),
            outcome: row.outcome.to_owned(),
            detail: row.detail.map(str::to_owned),
            approved_by: row.approved_by.map(str::to_owned),
            device: row.device.to_owned(),
        }
    }
}

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
fn insert_movements(conn: &mut Connection, rows: &[NewMovement<'_>]) -> QueryResult<Vec<i64>> {
    let step = consecutive_id_step(conn)?;
    let mut ids = Vec::with_capacity(rows.len());
    let owned: Vec<OwnedMovement> = rows.iter().map(OwnedMovement::from).collect();
    let mut read_ids = |conn: &mut Connection, chunk: &[OwnedMovement]| -> QueryResult<()> {
        match step {
            Some(step) => {
                let first = inserted_id(conn)?;
                ids.extend((0..chunk.len()).map(|i| first + step * i as i64));
            }
            None => {
                let keys: Vec<&str> = chunk.iter().map(|r| r.idempotency_key.as_str()).collect();
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
        Ok(())
    };
    insert_in_fixed_chunks!(conn, movements::table, owned.as_slice(), |chunk| {
        read_ids(conn, chunk)
    });
    Ok(ids)
}

/// Appends the rows as `insert_movements` does, or answers `None` when one of their keys is in
/// the journal already (the unique index refused it), with nothing of the rows left behind (a
/// savepoint is rolled back: an earlier chunk may have gone in).
pub fn insert_new_movements(
    conn: &mut Connection,
    rows: &[NewMovement<'_>],
) -> QueryResult<Option<Vec<i64>>> {
    let inserted = super::transaction(conn, |conn| insert_movements(conn, rows));
    match inserted {
        Ok(ids) => Ok(Some(ids)),
        Err(e) if classify(&e) == Failure::Duplicate(Some(DuplicateKey::MovementKey)) => Ok(None),
        Err(e) => Err(e),
    }
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
    let owned: Vec<OwnedAuditEntry> = rows.iter().map(OwnedAuditEntry::from).collect();
    insert_in_fixed_chunks!(conn, audit_log::table, owned.as_slice(), |_| {
        QueryResult::Ok(())
    });
    Ok(())
}

/// One account's cached balance as a batch found it locked, what it becomes, and the journal
/// row that leaves it there (the account's new `last_movement_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceWrite {
    pub id: i64,
    pub before: Decimal,
    pub after: Decimal,
    pub last_movement_id: i64,
}

/// Writes new cached balances of locked rows, one statement per 2,000 accounts, each only where
/// the row still holds the balance it was locked with (a compare-and-set, not a blind write of a
/// value computed from a read). False when a row did not: nothing is to be committed then.
///
/// The new balances go as a derived table joined on the primary key, driven from the derived
/// table (`STRAIGHT_JOIN`, `FORCE INDEX`), so only the rows named are read and locked. Only
/// `i64`s and `Decimal`s are formatted into the text, which cannot carry SQL.
pub fn set_balances(conn: &mut Connection, balances: &[BalanceWrite]) -> QueryResult<bool> {
    use std::fmt::Write;
    for chunk in balances.chunks(ROWS_PER_UPDATE) {
        let Some((first, rest)) = chunk.split_first() else {
            continue;
        };
        // The first row names the columns; the rest is one table value constructor, which
        // the server parses as one query block (a UNION of 2,000 SELECTs is 2,000 blocks).
        let mut values = format!(
            "SELECT {} AS id, CAST({} AS DECIMAL(20, 3)) AS before_balance, \
             CAST({} AS DECIMAL(20, 3)) AS balance, {} AS last_id",
            first.id, first.before, first.after, first.last_movement_id
        );
        for (i, row) in rest.iter().enumerate() {
            let lead = if i == 0 { " UNION ALL VALUES " } else { ", " };
            // Writing to a String cannot fail.
            let _ = write!(
                values,
                "{lead}({}, {}, {}, {})",
                row.id, row.before, row.after, row.last_movement_id
            );
        }
        // Every row named gets a new `last_movement_id`, so the rows changed are the rows that
        // matched, whatever the connection's found-rows flag.
        let written = diesel::sql_query(format!(
            "UPDATE ({values}) AS v STRAIGHT_JOIN accounts AS a FORCE INDEX (PRIMARY) \
             ON a.id = v.id SET a.balance = v.balance, a.last_movement_id = v.last_id \
             WHERE a.balance = v.before_balance"
        ))
        .execute(conn)?;
        if written != chunk.len() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Of `locked` (rows read with their lock), the accounts whose cached balance is not the
/// balance after their last movement (or not zero before their first): their journal and
/// balance disagree, and nothing may be posted on them until an auditor has looked. One read of
/// the journal rows named, by primary key, whatever the history.
pub fn broken_chains<'r>(
    conn: &mut Connection,
    locked: impl IntoIterator<Item = &'r super::accounts::AccountRow>,
) -> QueryResult<Vec<i64>> {
    let locked: Vec<&super::accounts::AccountRow> = locked.into_iter().collect();
    let last_ids: Vec<i64> = locked.iter().filter_map(|a| a.last_movement_id).collect();
    let mut after: std::collections::HashMap<(i64, i64), Decimal> =
        std::collections::HashMap::with_capacity(last_ids.len() * 2);
    #[derive(QueryableByName)]
    struct Last {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        debit_account_id: i64,
        #[diesel(sql_type = diesel::sql_types::Decimal)]
        debit_balance_after: Decimal,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        credit_account_id: i64,
        #[diesel(sql_type = diesel::sql_types::Decimal)]
        credit_balance_after: Decimal,
    }
    for chunk in last_ids.chunks(ROWS_PER_UPDATE) {
        // A locking read: a plain one would read the transaction's snapshot, which may be older
        // than the locked rows and miss the very movement they name. (MariaDB knows no
        // `FOR SHARE`, Diesel's spelling.)
        let places = vec!["?"; chunk.len()].join(", ");
        let mut query = diesel::sql_query(format!(
            "SELECT id, debit_account_id, debit_balance_after, credit_account_id, \
             credit_balance_after FROM movements WHERE id IN ({places}) LOCK IN SHARE MODE"
        ))
        .into_boxed();
        for id in chunk {
            query = query.bind::<diesel::sql_types::BigInt, _>(*id);
        }
        for row in query.load::<Last>(conn)? {
            after.insert((row.id, row.debit_account_id), row.debit_balance_after);
            after.insert((row.id, row.credit_account_id), row.credit_balance_after);
        }
    }
    Ok(locked
        .into_iter()
        .filter(|account| {
            let chained = match account.last_movement_id {
                None => Some(Decimal::ZERO),
                Some(last) => after.get(&(last, account.id)).copied(),
            };
            chained != Some(account.balance)
        })
        .map(|account| account.id)
        .collect())
}
