//! The hash chain's storage: seals and one link per sealed movement, ID record (cash_ids) or
//! audit line, both append-only. The hashing itself is in the services; this is only reading
//! and writing.

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::audit_log::AuditRow;
use super::cash_ids::CashIdRow;
use super::movements::MovementRow;
use super::schema::{audit_log, cash_ids, ledger_links, ledger_seals, movements};
use super::{Connection, QueryResult};

/// The chained tables. An ID record (cash_ids) is keyed by its movement's id and linked right
/// after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChainedTable {
    Movements,
    AuditLog,
    CashIds,
}

impl ChainedTable {
    /// The table's SQL name, as stored in `ledger_links.row_table`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Movements => "movements",
            Self::AuditLog => "audit_log",
            Self::CashIds => "cash_ids",
        }
    }

    /// The column `ledger_links.row_id` names.
    fn id_column(self) -> &'static str {
        match self {
            Self::Movements | Self::AuditLog => "id",
            Self::CashIds => "movement_id",
        }
    }

    pub fn from_db(raw: &str) -> Option<Self> {
        match raw {
            "movements" => Some(Self::Movements),
            "audit_log" => Some(Self::AuditLog),
            "cash_ids" => Some(Self::CashIds),
            _ => None,
        }
    }
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = ledger_seals, check_for_backend(Mysql))]
pub struct SealRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub head: String,
    pub last_movement_id: i64,
    pub last_audit_id: i64,
    pub movement_seen_id: i64,
    pub audit_seen_id: i64,
    pub movements: i64,
    pub audit_lines: i64,
    /// ID records linked; None for a seal made before ID records joined the chain.
    pub cash_ids: Option<i64>,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = ledger_links, check_for_backend(Mysql))]
pub struct LinkRow {
    pub seal_id: i64,
    pub seq: i32,
    pub row_table: String,
    pub row_id: i64,
    pub link: String,
}

/// The newest seal, if any.
pub fn latest_seal(conn: &mut Connection) -> QueryResult<Option<SealRow>> {
    ledger_seals::table
        .order(ledger_seals::id.desc())
        .select(SealRow::as_select())
        .first(conn)
        .optional()
}

/// The highest (movement, audit) ids seen by seals made at or before `at`: every id below
/// them had been handed out by then.
pub fn seen_by(conn: &mut Connection, at: NaiveDateTime) -> QueryResult<(i64, i64)> {
    use diesel::dsl::max;
    let (movement, audit): (Option<i64>, Option<i64>) = ledger_seals::table
        .filter(ledger_seals::at.le(at))
        .select((
            max(ledger_seals::movement_seen_id),
            max(ledger_seals::audit_seen_id),
        ))
        .first(conn)?;
    Ok((movement.unwrap_or(0), audit.unwrap_or(0)))
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Up to `limit` rows of a chained table (`MovementRow`s, `AuditRow`s) after `after`, in id
/// order, under a shared lock: the read waits for transactions that inserted such a row and
/// have not committed yet. At READ COMMITTED it locks only these rows, no gaps, so it holds up
/// no insert. Needs only SELECT.
///
/// The rows come from the locking read itself. Reading them again with a plain read (a fresh
/// read view) once missed a row the lock had just waited for: MariaDB's read views and locks
/// disagree for a moment after a commit (MDEV-33802 is one such anomaly).
pub fn lock_rows_after<Row>(
    conn: &mut Connection,
    table: ChainedTable,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Row>>
where
    Row: diesel::QueryableByName<diesel::mysql::Mysql> + 'static,
{
    diesel::sql_query(format!(
        "SELECT * FROM {} WHERE {id} > ? ORDER BY {id} LIMIT ? LOCK IN SHARE MODE",
        table.as_str(),
        id = table.id_column()
    ))
    .bind::<BigInt, _>(after)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// The ID records of the movements from `first` to `last`, in movement order, under a shared
/// lock (as above).
pub fn lock_cash_ids_in(
    conn: &mut Connection,
    first: i64,
    last: i64,
) -> QueryResult<Vec<CashIdRow>> {
    diesel::sql_query(
        "SELECT * FROM cash_ids WHERE movement_id BETWEEN ? AND ? \
         ORDER BY movement_id LOCK IN SHARE MODE",
    )
    .bind::<BigInt, _>(first)
    .bind::<BigInt, _>(last)
    .load(conn)
}

/// The movements with ids from `first` to `last`, in id order: one range read by primary key,
/// cheaper than a list of ids (the audit's chain walk reads a page of links this way).
pub fn movements_in(conn: &mut Connection, first: i64, last: i64) -> QueryResult<Vec<MovementRow>> {
    movements::table
        .filter(movements::id.between(first, last))
        .order(movements::id)
        .select(MovementRow::as_select())
        .load(conn)
}

/// The audit lines with ids from `first` to `last`, in id order.
pub fn audit_rows_in(conn: &mut Connection, first: i64, last: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::id.between(first, last))
        .order(audit_log::id)
        .select(AuditRow::as_select())
        .load(conn)
}

/// The ID records of these movements, in movement order.
pub fn cash_ids_by_movements(conn: &mut Connection, ids: &[i64]) -> QueryResult<Vec<CashIdRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    cash_ids::table
        .filter(cash_ids::movement_id.eq_any(ids))
        .order(cash_ids::movement_id)
        .select(CashIdRow::as_select())
        .load(conn)
}

/// The ID records of the movements with ids from `first` to `last`, in movement order.
pub fn cash_ids_in(conn: &mut Connection, first: i64, last: i64) -> QueryResult<Vec<CashIdRow>> {
    cash_ids::table
        .filter(cash_ids::movement_id.between(first, last))
        .order(cash_ids::movement_id)
        .select(CashIdRow::as_select())
        .load(conn)
}

/// The first ID record whose movement a seal linked while chaining ID records, but which has no
/// link itself: it was added (or its link removed) after that seal. Of movements after `after`.
pub fn first_unlinked_cash_id(conn: &mut Connection, after: i64) -> QueryResult<Option<i64>> {
    let rows: Vec<Id> = diesel::sql_query(
        "SELECT c.movement_id AS id FROM cash_ids c \
         JOIN ledger_links m ON m.row_table = 'movements' AND m.row_id = c.movement_id \
         JOIN ledger_seals s ON s.id = m.seal_id AND s.cash_ids IS NOT NULL \
         WHERE c.movement_id > ? AND NOT EXISTS (SELECT 1 FROM ledger_links l \
                           WHERE l.row_table = 'cash_ids' AND l.row_id = c.movement_id) \
         ORDER BY c.movement_id LIMIT 1",
    )
    .bind::<BigInt, _>(after)
    .load(conn)?;
    Ok(rows.first().map(|r| r.id))
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    flag: Option<i32>,
}

/// The session's named lock for sealing this database: waits up to 10 s for another sealer;
/// false if it did not come. Needs no privilege; ends with the session at the latest.
pub fn lock_sealing(conn: &mut Connection) -> QueryResult<bool> {
    let rows: Vec<Flag> =
        diesel::sql_query("SELECT GET_LOCK(CONCAT('teller.seal.', MD5(DATABASE())), 10) AS flag")
            .load(conn)?;
    Ok(rows.first().and_then(|r| r.flag) == Some(1))
}

pub fn unlock_sealing(conn: &mut Connection) -> QueryResult<()> {
    diesel::sql_query("SELECT RELEASE_LOCK(CONCAT('teller.seal.', MD5(DATABASE()))) AS flag")
        .load::<Flag>(conn)?;
    Ok(())
}

/// Writes a seal; its links go in after it (they refer to it).
pub fn insert_seal(conn: &mut Connection, seal: &SealRow) -> QueryResult<()> {
    diesel::insert_into(ledger_seals::table)
        .values(seal)
        .execute(conn)?;
    Ok(())
}

/// Writes links, 10,000 a statement (5 placeholders a row; a statement takes 65,535).
pub fn insert_links(conn: &mut Connection, links: &[LinkRow]) -> QueryResult<()> {
    for chunk in links.chunks(10_000) {
        diesel::insert_into(ledger_links::table)
            .values(chunk)
            .execute(conn)?;
    }
    Ok(())
}

/// The seals after `after_id`, oldest first.
pub fn seals_after(conn: &mut Connection, after_id: i64) -> QueryResult<Vec<SealRow>> {
    ledger_seals::table
        .filter(ledger_seals::id.gt(after_id))
        .order(ledger_seals::id)
        .select(SealRow::as_select())
        .load(conn)
}

/// Up to `limit` links in chain order, after the link at (seal id, seq) if given, of the
/// seals up to `up_to_seal`.
pub fn links_after(
    conn: &mut Connection,
    after: Option<(i64, i32)>,
    up_to_seal: i64,
    limit: i64,
) -> QueryResult<Vec<LinkRow>> {
    let mut query = ledger_links::table
        .filter(ledger_links::seal_id.le(up_to_seal))
        .order((ledger_links::seal_id, ledger_links::seq))
        .limit(limit)
        .select(LinkRow::as_select())
        .into_boxed();
    if let Some((seal, seq)) = after {
        query = query.filter(
            ledger_links::seal_id.gt(seal).or(ledger_links::seal_id
                .eq(seal)
                .and(ledger_links::seq.gt(seq))),
        );
    }
    query.load(conn)
}

/// How many links the seals from `after_id` (excluded) to `up_to_id` have.
pub fn count_links_between(
    conn: &mut Connection,
    after_id: i64,
    up_to_id: i64,
) -> QueryResult<i64> {
    ledger_links::table
        .filter(ledger_links::seal_id.gt(after_id))
        .filter(ledger_links::seal_id.le(up_to_id))
        .count()
        .get_result(conn)
}

/// The seal with this id.
pub fn seal(conn: &mut Connection, id: i64) -> QueryResult<Option<SealRow>> {
    ledger_seals::table
        .find(id)
        .select(SealRow::as_select())
        .first(conn)
        .optional()
}

/// The lowest id in `(after, up_to]` that has no link: a row that appeared in the sealed range.
pub fn first_unlinked(
    conn: &mut Connection,
    table: ChainedTable,
    after: i64,
    up_to: i64,
) -> QueryResult<Option<i64>> {
    let sql = format!(
        "SELECT t.{id} AS id FROM {} t WHERE t.{id} > ? AND t.{id} <= ? AND NOT EXISTS \
         (SELECT 1 FROM ledger_links l WHERE l.row_table = ? AND l.row_id = t.{id}) \
         ORDER BY t.{id} LIMIT 1",
        table.as_str(),
        id = table.id_column()
    );
    let rows: Vec<Id> = diesel::sql_query(sql)
        .bind::<BigInt, _>(after)
        .bind::<BigInt, _>(up_to)
        .bind::<diesel::sql_types::Text, _>(table.as_str())
        .load(conn)?;
    Ok(rows.first().map(|r| r.id))
}

/// How many rows have an id in `(after, up_to]`.
pub fn count_between(
    conn: &mut Connection,
    table: ChainedTable,
    after: i64,
    up_to: i64,
) -> QueryResult<i64> {
    if up_to <= after {
        return Ok(0);
    }
    match table {
        ChainedTable::Movements => movements::table
            .filter(movements::id.gt(after))
            .filter(movements::id.le(up_to))
            .count()
            .get_result(conn),
        ChainedTable::AuditLog => audit_log::table
            .filter(audit_log::id.gt(after))
            .filter(audit_log::id.le(up_to))
            .count()
            .get_result(conn),
        ChainedTable::CashIds => cash_ids::table
            .filter(cash_ids::movement_id.gt(after))
            .filter(cash_ids::movement_id.le(up_to))
            .count()
            .get_result(conn),
    }
}

/// How many rows have an id above `after`.
pub fn count_after(conn: &mut Connection, table: ChainedTable, after: i64) -> QueryResult<i64> {
    count_between(conn, table, after, i64::MAX)
}
