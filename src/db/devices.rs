//! Registered devices: the workstations that may reach the branch server, each by its key.

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;

use super::schema::devices;
use super::{Connection, QueryResult};

#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = devices, check_for_backend(Mysql))]
pub struct DeviceRow {
    pub id: i64,
    pub name: String,
    pub public_key: String,
    pub fingerprint: String,
    pub added_by: String,
    pub approved_by: Option<String>,
    pub added_at: NaiveDateTime,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = devices)]
pub struct NewDevice<'a> {
    pub name: &'a str,
    pub public_key: &'a str,
    pub fingerprint: &'a str,
    pub added_by: &'a str,
    pub approved_by: Option<&'a str>,
    pub added_at: NaiveDateTime,
}

pub fn insert(conn: &mut Connection, device: &NewDevice<'_>) -> QueryResult<()> {
    diesel::insert_into(devices::table)
        .values(device)
        .execute(conn)?;
    Ok(())
}

/// Every device, in the order they were added.
pub fn all(conn: &mut Connection) -> QueryResult<Vec<DeviceRow>> {
    devices::table
        .order(devices::id.asc())
        .select(DeviceRow::as_select())
        .load(conn)
}

/// The device with this name or this key, revoked or not (both are unique for good).
pub fn find_by_name_or_fingerprint(
    conn: &mut Connection,
    name: &str,
    fingerprint: &str,
) -> QueryResult<Option<DeviceRow>> {
    devices::table
        .filter(
            devices::name
                .eq(name)
                .or(devices::fingerprint.eq(fingerprint)),
        )
        .select(DeviceRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_for_update(conn: &mut Connection, name: &str) -> QueryResult<Option<DeviceRow>> {
    devices::table
        .filter(devices::name.eq(name))
        .select(DeviceRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// Marks a device revoked; true when it was active.
pub fn revoke(conn: &mut Connection, name: &str, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        devices::table
            .filter(devices::name.eq(name))
            .filter(devices::revoked_at.is_null()),
    )
    .set((devices::revoked_by.eq(by), devices::revoked_at.eq(at)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// (fingerprint, name) of every device not revoked: what the server lets in.
pub fn active_keys(conn: &mut Connection) -> QueryResult<Vec<(String, String, String)>> {
    devices::table
        .filter(devices::revoked_at.is_null())
        .select((devices::fingerprint, devices::name, devices::public_key))
        .load(conn)
}
