//! Cash drawer sessions: a teller's drawer from the opening float to the blind count.

use crate::domain::Currency;
use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::{drawer_sessions, users};
use super::{inserted_id, Connection, QueryResult};

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = drawer_sessions, check_for_backend(Mysql))]
pub struct SessionRow {
    pub id: i64,
    pub teller_id: i64,
    pub drawer_account_id: i64,
    pub currency: Currency,
    pub opening_float: Decimal,
    pub opening_count: String,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub counted: Option<Decimal>,
    pub closing_count: Option<String>,
    pub expected: Option<Decimal>,
    pub over_short: Option<Decimal>,
    pub over_short_movement_id: Option<i64>,
    pub vault_day_id: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = drawer_sessions)]
pub struct NewSession<'a> {
    pub teller_id: i64,
    pub drawer_account_id: i64,
    pub currency: &'a str,
    pub opening_float: Decimal,
    pub opening_count: &'a str,
    pub opened_at: NaiveDateTime,
    pub vault_day_id: Option<i64>,
}

/// What closing records.
#[derive(AsChangeset)]
#[diesel(table_name = drawer_sessions)]
pub struct Closing<'a> {
    pub closed_at: NaiveDateTime,
    pub counted: Decimal,
    pub closing_count: &'a str,
    pub expected: Decimal,
    pub over_short: Decimal,
    pub over_short_movement_id: Option<i64>,
}

pub fn insert(conn: &mut Connection, session: &NewSession<'_>) -> QueryResult<i64> {
    diesel::insert_into(drawer_sessions::table)
        .values(session)
        .execute(conn)?;
    inserted_id(conn)
}

/// The teller's open sessions, one per currency at most, oldest first.
pub fn open_for(conn: &mut Connection, teller_id: i64) -> QueryResult<Vec<SessionRow>> {
    drawer_sessions::table
        .filter(drawer_sessions::teller_id.eq(teller_id))
        .filter(drawer_sessions::closed_at.is_null())
        .order(drawer_sessions::id)
        .select(SessionRow::as_select())
        .load(conn)
}

/// The teller's open session in `currency`, locked: cash movements and the closing count queue
/// on it.
pub fn lock_open_in(
    conn: &mut Connection,
    teller_id: i64,
    currency: &str,
) -> QueryResult<Option<SessionRow>> {
    drawer_sessions::table
        .filter(drawer_sessions::teller_id.eq(teller_id))
        .filter(drawer_sessions::currency.eq(currency))
        .filter(drawer_sessions::closed_at.is_null())
        .select(SessionRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn find(conn: &mut Connection, id: i64) -> QueryResult<Option<SessionRow>> {
    drawer_sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

pub fn close(conn: &mut Connection, id: i64, closing: &Closing<'_>) -> QueryResult<()> {
    diesel::update(drawer_sessions::table.find(id))
        .set(closing)
        .execute(conn)?;
    Ok(())
}

/// Every closed session, oldest first (for the audit).
pub fn closed_from(conn: &mut Connection, from_id: i64) -> QueryResult<Vec<SessionRow>> {
    drawer_sessions::table
        .filter(drawer_sessions::id.ge(from_id))
        .filter(drawer_sessions::closed_at.is_not_null())
        .order(drawer_sessions::id)
        .select(SessionRow::as_select())
        .load(conn)
}

/// Every open session with its teller's email, oldest first.
pub fn all_open(conn: &mut Connection) -> QueryResult<Vec<(SessionRow, String)>> {
    drawer_sessions::table
        .inner_join(users::table)
        .filter(drawer_sessions::closed_at.is_null())
        .order(drawer_sessions::id)
        .select((SessionRow::as_select(), users::email))
        .load(conn)
}

/// The sessions whose float came from a vault day, with their tellers' emails.
pub fn of_vault_day(
    conn: &mut Connection,
    vault_day_id: i64,
) -> QueryResult<Vec<(SessionRow, String)>> {
    drawer_sessions::table
        .inner_join(users::table)
        .filter(drawer_sessions::vault_day_id.eq(vault_day_id))
        .order(drawer_sessions::id)
        .select((SessionRow::as_select(), users::email))
        .load(conn)
}
