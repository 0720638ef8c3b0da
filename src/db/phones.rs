//! Phone numbers of a person, stored normalised (`+` and digits).

use diesel::prelude::*;

use super::schema::phones;
use super::{Connection, QueryResult};

pub fn list_for_user(conn: &mut Connection, user_id: i64) -> QueryResult<Vec<String>> {
    phones::table
        .filter(phones::user_id.eq(user_id))
        .order(phones::id)
        .select(phones::number)
        .load(conn)
}

/// Adds numbers the person does not have yet (adding one twice is not an error).
pub fn add(conn: &mut Connection, user_id: i64, numbers: &[&str]) -> QueryResult<()> {
    if numbers.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = numbers
        .iter()
        .map(|n| (phones::user_id.eq(user_id), phones::number.eq(*n)))
        .collect();
    diesel::insert_or_ignore_into(phones::table)
        .values(&rows)
        .execute(conn)?;
    Ok(())
}

/// Removes numbers; returns how many were there.
pub fn remove(conn: &mut Connection, user_id: i64, numbers: &[&str]) -> QueryResult<usize> {
    if numbers.is_empty() {
        return Ok(0);
    }
    diesel::delete(
        phones::table
            .filter(phones::user_id.eq(user_id))
            .filter(phones::number.eq_any(numbers)),
    )
    .execute(conn)
}

pub fn count(conn: &mut Connection) -> QueryResult<i64> {
    phones::table.count().get_result(conn)
}

/// Ids of people with a phone number containing these digits.
pub fn users_with_number_like(conn: &mut Connection, digits: &str) -> QueryResult<Vec<i64>> {
    phones::table
        .filter(phones::number.like(format!("%{digits}%")))
        .select(phones::user_id)
        .distinct()
        .limit(50)
        .load(conn)
}
