//! `teller login` sessions: a person's session at a terminal, found by the hash of its token.

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;

use super::schema::login_sessions;
use super::{Connection, QueryResult};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = login_sessions, check_for_backend(Mysql))]
pub struct LoginSessionRow {
    pub id: i64,
    pub token_hash: String,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = login_sessions)]
pub struct NewLoginSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut Connection, session: &NewLoginSession<'_>) -> QueryResult<()> {
    diesel::insert_into(login_sessions::table)
        .values(session)
        .execute(conn)?;
    Ok(())
}

/// The session with this token hash, ended or not.
pub fn find(conn: &mut Connection, token_hash: &str) -> QueryResult<Option<LoginSessionRow>> {
    login_sessions::table
        .filter(login_sessions::token_hash.eq(token_hash))
        .select(LoginSessionRow::as_select())
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut Connection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(login_sessions::table.find(id))
        .set(login_sessions::last_seen_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Ends a session (logout, idle lock, expiry); an ended session never comes back.
pub fn end(conn: &mut Connection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(login_sessions::table.find(id))
        .filter(login_sessions::ended_at.is_null())
        .set(login_sessions::ended_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Ends every open session of a user (their password changed or was reset).
pub fn end_all_for(conn: &mut Connection, user_id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(login_sessions::table)
        .filter(login_sessions::user_id.eq(user_id))
        .filter(login_sessions::ended_at.is_null())
        .set(login_sessions::ended_at.eq(at))
        .execute(conn)?;
    Ok(())
}
