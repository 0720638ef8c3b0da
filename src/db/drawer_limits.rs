//! A teller's own drawer limit, where the bank set one.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::drawer_limits;
use super::{Connection, QueryResult};

#[derive(Insertable)]
#[diesel(table_name = drawer_limits)]
pub struct NewLimit<'a> {
    pub teller_id: i64,
    pub amount: Decimal,
    pub set_by: &'a str,
    pub set_at: NaiveDateTime,
}

/// The teller's own limit, if the bank set one.
pub fn find(conn: &mut Connection, teller_id: i64) -> QueryResult<Option<Decimal>> {
    drawer_limits::table
        .find(teller_id)
        .select(drawer_limits::amount)
        .first(conn)
        .optional()
}

/// Replaces the teller's limit (`None`: back to the bank's policy).
pub fn set(conn: &mut Connection, teller_id: i64, limit: Option<&NewLimit<'_>>) -> QueryResult<()> {
    diesel::delete(drawer_limits::table.find(teller_id)).execute(conn)?;
    if let Some(limit) = limit {
        diesel::insert_into(drawer_limits::table)
            .values(limit)
            .execute(conn)?;
    }
    Ok(())
}
