//! Approval requests: operations a teller sent to the supervisors.

use crate::domain::Currency;
use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::approval_requests as requests;
use super::{inserted_id, Connection, QueryResult};

#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = requests, check_for_backend(Mysql))]
pub struct RequestRow {
    pub id: i64,
    pub kind: String,
    pub digest: String,
    pub amount: Decimal,
    pub currency: Currency,
    pub accounts: String,
    pub customer: Option<String>,
    pub idempotency_key: String,
    pub teller_id: i64,
    pub device: String,
    pub requested_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub status: String,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub movement_id: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = requests)]
pub struct NewRequest<'a> {
    pub kind: &'a str,
    pub digest: &'a str,
    pub amount: Decimal,
    pub currency: &'a str,
    pub accounts: &'a str,
    pub customer: Option<&'a str>,
    pub idempotency_key: &'a str,
    pub teller_id: i64,
    pub device: &'a str,
    pub requested_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub status: &'a str,
}

pub fn insert(conn: &mut Connection, row: &NewRequest<'_>) -> QueryResult<i64> {
    diesel::insert_into(requests::table)
        .values(row)
        .execute(conn)?;
    inserted_id(conn)
}

pub fn find(conn: &mut Connection, id: i64) -> QueryResult<Option<RequestRow>> {
    requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_for_update(conn: &mut Connection, id: i64) -> QueryResult<Option<RequestRow>> {
    requests::table
        .find(id)
        .select(RequestRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// Requests still waiting for a supervisor at `now`, oldest first.
pub fn pending(conn: &mut Connection, now: NaiveDateTime) -> QueryResult<Vec<RequestRow>> {
    requests::table
        .filter(requests::status.eq("pending"))
        .filter(requests::expires_at.gt(now))
        .order(requests::id.asc())
        .select(RequestRow::as_select())
        .load(conn)
}

/// Decides a pending request; false when it was no longer pending or had expired.
pub fn decide(
    conn: &mut Connection,
    id: i64,
    status: &str,
    by: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        requests::table
            .find(id)
            .filter(requests::status.eq("pending"))
            .filter(requests::expires_at.gt(now)),
    )
    .set((
        requests::status.eq(status),
        requests::decided_by.eq(by),
        requests::reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The requester takes a pending request back.
pub fn withdraw(conn: &mut Connection, id: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        requests::table
            .find(id)
            .filter(requests::status.eq("pending")),
    )
    .set(requests::status.eq("withdrawn"))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Marks an approved request used by a movement: once, and only before it expires. False
/// otherwise (the caller's transaction then rolls the movement back).
pub fn consume(
    conn: &mut Connection,
    id: i64,
    movement_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        requests::table
            .find(id)
            .filter(requests::status.eq("approved"))
            .filter(requests::movement_id.is_null())
            .filter(requests::expires_at.gt(now)),
    )
    .set(requests::movement_id.eq(movement_id))
    .execute(conn)?;
    Ok(changed == 1)
}
