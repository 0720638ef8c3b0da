//! The vault: one row per currency and business day (opening and closing counts), the pieces
//! each vault movement carried, and the closed business days.

use crate::domain::Currency;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::mysql::Mysql;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::{business_days, movements, vault_days, vault_moves};
use super::{inserted_id, Connection, QueryResult};

#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = vault_days, check_for_backend(Mysql))]
pub struct VaultDayRow {
    pub id: i64,
    pub currency: Currency,
    pub business_date: NaiveDate,
    pub vault_account_id: i64,
    pub opened_by: String,
    pub opened_at: NaiveDateTime,
    pub opening_count: String,
    pub opening_total: Decimal,
    pub opening_book: Decimal,
    pub counted_by: Option<String>,
    pub counted_at: Option<NaiveDateTime>,
    pub closing_count: Option<String>,
    pub closing_total: Option<Decimal>,
    pub closing_book: Option<Decimal>,
}

#[derive(Insertable)]
#[diesel(table_name = vault_days)]
pub struct NewVaultDay<'a> {
    pub currency: &'a str,
    pub business_date: NaiveDate,
    pub vault_account_id: i64,
    pub opened_by: &'a str,
    pub opened_at: NaiveDateTime,
    pub opening_count: &'a str,
    pub opening_total: Decimal,
    pub opening_book: Decimal,
}

/// The closing count of a vault day.
#[derive(AsChangeset)]
#[diesel(table_name = vault_days)]
pub struct ClosingCount<'a> {
    pub counted_by: &'a str,
    pub counted_at: NaiveDateTime,
    pub closing_count: &'a str,
    pub closing_total: Decimal,
    pub closing_book: Decimal,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = vault_moves, check_for_backend(Mysql))]
pub struct VaultMoveRow {
    pub movement_id: i64,
    pub vault_day_id: i64,
    pub drawer_session_id: Option<i64>,
    /// 1 into the vault, -1 out of it.
    pub direction: i8,
    pub pieces: String,
}

/// A vault movement with what the journal says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct VaultMoveLine {
    pub movement: VaultMoveRow,
    pub kind: String,
    pub amount: Decimal,
    pub actor: String,
    pub approved_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable, Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = business_days, check_for_backend(Mysql))]
pub struct BusinessDayRow {
    pub business_date: NaiveDate,
    pub closed_by: String,
    pub closed_at: NaiveDateTime,
    pub chain_head: String,
    pub movement_count: i64,
}

pub fn insert_day(conn: &mut Connection, day: &NewVaultDay<'_>) -> QueryResult<i64> {
    diesel::insert_into(vault_days::table)
        .values(day)
        .execute(conn)?;
    inserted_id(conn)
}

pub fn find_day(conn: &mut Connection, id: i64) -> QueryResult<Option<VaultDayRow>> {
    vault_days::table
        .find(id)
        .select(VaultDayRow::as_select())
        .first(conn)
        .optional()
}

/// The vault day of a currency and date.
pub fn day_of(
    conn: &mut Connection,
    currency: &str,
    date: NaiveDate,
) -> QueryResult<Option<VaultDayRow>> {
    vault_days::table
        .filter(vault_days::currency.eq(currency))
        .filter(vault_days::business_date.eq(date))
        .select(VaultDayRow::as_select())
        .first(conn)
        .optional()
}

/// The newest vault day of a currency that is not counted yet (it may be an earlier date's,
/// when a drawer stayed open past midnight).
pub fn uncounted(conn: &mut Connection, currency: &str) -> QueryResult<Option<VaultDayRow>> {
    vault_days::table
        .filter(vault_days::currency.eq(currency))
        .filter(vault_days::counted_at.is_null())
        .order(vault_days::business_date.desc())
        .select(VaultDayRow::as_select())
        .first(conn)
        .optional()
}

/// Every currency's vault day of a date.
pub fn days_on(conn: &mut Connection, date: NaiveDate) -> QueryResult<Vec<VaultDayRow>> {
    vault_days::table
        .filter(vault_days::business_date.eq(date))
        .order(vault_days::currency)
        .select(VaultDayRow::as_select())
        .load(conn)
}

/// Every vault day, oldest first (for the audit).
pub fn days_from(conn: &mut Connection, from_id: i64) -> QueryResult<Vec<VaultDayRow>> {
    vault_days::table
        .filter(vault_days::id.ge(from_id))
        .order(vault_days::id)
        .select(VaultDayRow::as_select())
        .load(conn)
}

pub fn record_count(conn: &mut Connection, id: i64, count: &ClosingCount<'_>) -> QueryResult<()> {
    diesel::update(vault_days::table.find(id))
        .set(count)
        .execute(conn)?;
    Ok(())
}

/// The pieces a vault movement carried.
pub fn pieces_of(conn: &mut Connection, movement_id: i64) -> QueryResult<Option<String>> {
    vault_moves::table
        .find(movement_id)
        .select(vault_moves::pieces)
        .first(conn)
        .optional()
}

pub fn insert_move(conn: &mut Connection, row: &VaultMoveRow) -> QueryResult<()> {
    diesel::insert_into(vault_moves::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A vault day's movements, oldest first, with their journal lines.
pub fn moves_of(conn: &mut Connection, vault_day_id: i64) -> QueryResult<Vec<VaultMoveLine>> {
    let rows: Vec<(
        VaultMoveRow,
        String,
        Decimal,
        String,
        Option<String>,
        NaiveDateTime,
    )> = vault_moves::table
        .inner_join(movements::table)
        .filter(vault_moves::vault_day_id.eq(vault_day_id))
        .order(vault_moves::movement_id)
        .select((
            VaultMoveRow::as_select(),
            movements::kind,
            movements::amount,
            movements::actor,
            movements::approved_by,
            movements::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(movement, kind, amount, actor, approved_by, created_at)| VaultMoveLine {
                movement,
                kind,
                amount,
                actor,
                approved_by,
                created_at,
            },
        )
        .collect())
}

/// The closed business day of a date, read with a lock: a cash step that saw the day open
/// keeps end of day from closing it until that step commits (the read locks the gap where
/// its row would go; MariaDB 10.11 has no `FOR SHARE`, and gap locks do not block each other).
pub fn closed_day_locked(
    conn: &mut Connection,
    date: NaiveDate,
) -> QueryResult<Option<BusinessDayRow>> {
    business_days::table
        .find(date)
        .select(BusinessDayRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// The closed business day of a date, if it is closed.
pub fn closed_day(conn: &mut Connection, date: NaiveDate) -> QueryResult<Option<BusinessDayRow>> {
    business_days::table
        .find(date)
        .select(BusinessDayRow::as_select())
        .first(conn)
        .optional()
}

pub fn close_day(conn: &mut Connection, day: &BusinessDayRow) -> QueryResult<()> {
    diesel::insert_into(business_days::table)
        .values(day)
        .execute(conn)?;
    Ok(())
}
