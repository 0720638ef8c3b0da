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

/// The setting that lets set-up tasks (`setup:…` actors: the demo, tests, benchmarks) make
/// rows the rules would otherwise refuse. Only the owner writes it (`teller demo`, a test or
/// benchmark bank); a bank that serves customers never has it.
pub const SETUP_ROWS: &str = "setup_rows";

/// Marks this bank as a demo, test or benchmark bank (owner account only).
pub fn allow_setup_rows(conn: &mut Connection, at: NaiveDateTime) -> QueryResult<()> {
    put(conn, SETUP_ROWS, "allowed", at)
}

/// Whether set-up rows are allowed here.
pub fn setup_rows_allowed(conn: &mut Connection) -> QueryResult<bool> {
    let value: Option<String> = bank_settings::table
        .find(SETUP_ROWS)
        .select(bank_settings::value)
        .first(conn)
        .optional()?;
    Ok(value.as_deref() == Some("allowed"))
}
