//! The bank's policy as the owner set it: name and value, read by the app, written by
//! `teller migrate`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::bank_settings;
use super::{Connection, QueryResult};

/// Every setting, as stored.
pub fn all(conn: &mut Connection) -> QueryResult<Vec<(String, String)>> {
    bank_settings::table
        .select((bank_settings::name, bank_settings::value))
        .load(conn)
}

/// Sets one setting (the owner account only: the app account may not write this table).
pub fn put(conn: &mut Connection, name: &str, value: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::replace_into(bank_settings::table)
        .values((
            bank_settings::name.eq(name),
            bank_settings::value.eq(value),
            bank_settings::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
