//! A supervisor's password typed at someone else's till (four eyes): wrong guesses counted per
//! (requester, approver) pair, so they lock that pair and never the supervisor's own login.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::approval_failures;
use super::{Connection, QueryResult};

/// The pair's count and lock, its row locked for the rest of the transaction (created at zero
/// the first time; INSERT IGNORE so two first guesses at once do not collide).
pub fn lock_pair(
    conn: &mut Connection,
    requester: &str,
    approver_id: i64,
    at: NaiveDateTime,
) -> QueryResult<(i32, Option<NaiveDateTime>)> {
    diesel::insert_or_ignore_into(approval_failures::table)
        .values((
            approval_failures::requester.eq(requester),
            approval_failures::approver_id.eq(approver_id),
            approval_failures::failed.eq(0),
            approval_failures::locked_until.eq(None::<NaiveDateTime>),
            approval_failures::updated_at.eq(at),
        ))
        .execute(conn)?;
    approval_failures::table
        .find((requester, approver_id))
        .select((approval_failures::failed, approval_failures::locked_until))
        .for_update()
        .first(conn)
}

/// Sets the pair's count and lock.
pub fn set(
    conn: &mut Connection,
    requester: &str,
    approver_id: i64,
    failed: i32,
    locked_until: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(approval_failures::table.find((requester, approver_id)))
        .set((
            approval_failures::failed.eq(failed),
            approval_failures::locked_until.eq(locked_until),
            approval_failures::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
