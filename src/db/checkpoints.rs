//! The incremental audit's checked state: a checkpoint per passing audit that got further than
//! the last one, and per account the journal's sum up to the newest checkpoint.

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Decimal as SqlDecimal};
use rust_decimal::Decimal;

use super::schema::{audit_checkpoints, drawer_sessions, login_sessions, vault_days};
use super::{Connection, QueryResult};

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = audit_checkpoints, check_for_backend(Mysql))]
pub struct CheckpointRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub seal_id: i64,
    pub last_movement_id: i64,
    pub last_audit_id: i64,
    pub movements: i64,
    pub audit_lines: i64,
    pub next_drawer_session_id: i64,
    pub next_vault_day_id: i64,
    pub next_login_session_id: i64,
    pub full_check: bool,
}

pub fn latest(conn: &mut Connection) -> QueryResult<Option<CheckpointRow>> {
    audit_checkpoints::table
        .order(audit_checkpoints::id.desc())
        .select(CheckpointRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut Connection, row: &CheckpointRow) -> QueryResult<()> {
    diesel::insert_into(audit_checkpoints::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Where the next audit starts again on the rows that were still open: the first open drawer
/// session, vault day (not counted yet) and login session not yet `grace` old. A row younger
/// than that may still be followed by one with a lower id that has not committed yet (ids are
/// handed out at insert, rows appear at commit), so it is checked again next time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenFrom {
    pub drawer_session_id: i64,
    pub vault_day_id: i64,
    pub login_session_id: i64,
}

pub fn open_from(conn: &mut Connection, settled_before: NaiveDateTime) -> QueryResult<OpenFrom> {
    use diesel::dsl::{max, min};
    let first_open_session: Option<i64> = drawer_sessions::table
        .filter(drawer_sessions::closed_at.is_null())
        .select(min(drawer_sessions::id))
        .first(conn)?;
    let last_settled_session: Option<i64> = drawer_sessions::table
        .filter(drawer_sessions::opened_at.lt(settled_before))
        .select(max(drawer_sessions::id))
        .first(conn)?;
    let first_open_day: Option<i64> = vault_days::table
        .filter(vault_days::closing_total.is_null())
        .select(min(vault_days::id))
        .first(conn)?;
    let last_settled_day: Option<i64> = vault_days::table
        .filter(vault_days::opened_at.lt(settled_before))
        .select(max(vault_days::id))
        .first(conn)?;
    let last_settled_login: Option<i64> = login_sessions::table
        .filter(login_sessions::created_at.lt(settled_before))
        .select(max(login_sessions::id))
        .first(conn)?;
    let next = |last: Option<i64>| last.unwrap_or(0) + 1;
    let from = |first_open: Option<i64>, last_settled: Option<i64>| {
        first_open.map_or(next(last_settled), |open| open.min(next(last_settled)))
    };
    Ok(OpenFrom {
        drawer_session_id: from(first_open_session, last_settled_session),
        vault_day_id: from(first_open_day, last_settled_day),
        login_session_id: next(last_settled_login),
    })
}

/// Credits minus debits of one account over a range of the journal.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct AccountSum {
    #[diesel(sql_type = BigInt)]
    pub account_id: i64,
    #[diesel(sql_type = SqlDecimal)]
    pub total: Decimal,
}

/// Per account, credits minus debits of the movements with `after < id <= up_to`; accounts
/// without such movements are left out. Reads that range of ids only.
pub fn sums_between(conn: &mut Connection, after: i64, up_to: i64) -> QueryResult<Vec<AccountSum>> {
    diesel::sql_query(
        "SELECT account_id, CAST(SUM(delta) AS DECIMAL(22, 3)) AS total FROM ( \
            SELECT credit_account_id AS account_id, amount AS delta FROM movements \
                WHERE id > ? AND id <= ? \
            UNION ALL \
            SELECT debit_account_id, -amount FROM movements WHERE id > ? AND id <= ?) x \
         GROUP BY account_id ORDER BY account_id",
    )
    .bind::<BigInt, _>(after)
    .bind::<BigInt, _>(up_to)
    .bind::<BigInt, _>(after)
    .bind::<BigInt, _>(up_to)
    .load(conn)
}

/// Adds each account's sum to its carried sum, as of `checkpoint`.
pub fn add_sums(conn: &mut Connection, checkpoint: i64, sums: &[AccountSum]) -> QueryResult<()> {
    for chunk in sums.chunks(1_000) {
        let rows = vec!["(?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!(
            "INSERT INTO audit_account_sums (account_id, journal_sum, checkpoint_id) VALUES {rows} \
             ON DUPLICATE KEY UPDATE journal_sum = journal_sum + VALUES(journal_sum), \
                checkpoint_id = VALUES(checkpoint_id)"
        );
        let mut query = diesel::sql_query(sql).into_boxed::<Mysql>();
        for sum in chunk {
            query = query
                .bind::<BigInt, _>(sum.account_id)
                .bind::<SqlDecimal, _>(sum.total)
                .bind::<BigInt, _>(checkpoint);
        }
        query.execute(conn)?;
    }
    Ok(())
}

/// Accounts whose carried sum differs from the journal's sum up to `up_to` (the full audit's
/// check of the newest checkpoint): (account id, carried, journal).
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct SumMismatch {
    #[diesel(sql_type = BigInt)]
    pub account_id: i64,
    #[diesel(sql_type = SqlDecimal)]
    pub carried: Decimal,
    #[diesel(sql_type = SqlDecimal)]
    pub journal: Decimal,
}

/// How many accounts `sum_mismatches` names at most.
pub const SUM_MISMATCHES_LISTED: usize = 20;

/// The checkpoint's carried sums against the journal up to it; the journal read in id order, as
/// in `invariants::balance_mismatches`.
pub fn sum_mismatches(conn: &mut Connection, up_to: i64) -> QueryResult<Vec<SumMismatch>> {
    diesel::sql_query(format!(
        "SELECT a.id AS account_id, CAST(COALESCE(s.journal_sum, 0) AS DECIMAL(22, 3)) AS carried, \
                CAST(COALESCE(c.total, 0) - COALESCE(d.total, 0) AS DECIMAL(22, 3)) AS journal \
         FROM accounts a \
         LEFT JOIN audit_account_sums s ON s.account_id = a.id \
         LEFT JOIN (SELECT credit_account_id AS id, SUM(amount) AS total \
                    FROM movements FORCE INDEX (PRIMARY) \
                    WHERE id <= ? GROUP BY credit_account_id) c ON c.id = a.id \
         LEFT JOIN (SELECT debit_account_id AS id, SUM(amount) AS total \
                    FROM movements FORCE INDEX (PRIMARY) \
                    WHERE id <= ? GROUP BY debit_account_id) d ON d.id = a.id \
         WHERE COALESCE(s.journal_sum, 0) <> COALESCE(c.total, 0) - COALESCE(d.total, 0) \
         ORDER BY a.id LIMIT {SUM_MISMATCHES_LISTED}",
    ))
    .bind::<BigInt, _>(up_to)
    .bind::<BigInt, _>(up_to)
    .load(conn)
}
