//! People: customers, tellers and admins.

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;

use super::schema::users;
use super::{inserted_id, Connection, QueryResult};

#[derive(Queryable, Selectable, Identifiable, Clone)]
#[diesel(table_name = users, check_for_backend(Mysql))]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub surname: Option<String>,
    pub age: i16,
    pub country: String,
    pub city: Option<String>,
    pub role: crate::domain::Role,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub must_change_password: bool,
}

// Hand-written so a hash never reaches a log line through `{:?}`.
impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

#[derive(Insertable)]
// NULL rather than DEFAULT for None keeps the statement one shape, so it is cached.
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub surname: Option<&'a str>,
    pub age: i16,
    pub country: &'a str,
    pub city: Option<&'a str>,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub must_change_password: bool,
}

/// Profile fields to change; `None` leaves a field as it is.
#[derive(AsChangeset, Default)]
#[diesel(table_name = users)]
pub struct UserChanges<'a> {
    pub email: Option<&'a str>,
    pub name: Option<&'a str>,
    pub surname: Option<Option<&'a str>>,
    pub age: Option<i16>,
    pub country: Option<&'a str>,
    pub city: Option<Option<&'a str>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut Connection, user: &NewUser<'_>) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)?;
    inserted_id(conn)
}

pub fn find_by_email(conn: &mut Connection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email_for_update(
    conn: &mut Connection,
    email: &str,
) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut Connection, id: i64) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn update(conn: &mut Connection, id: i64, changes: &UserChanges<'_>) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

/// Stores a new password hash; `must_change` says whether its owner has to replace it at the
/// next login (true when someone else chose it).
pub fn set_password_hash(
    conn: &mut Connection,
    id: i64,
    hash: &str,
    must_change: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(must_change),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores the failed-login counter and the lock (if any) in one statement.
pub fn set_login_failures(
    conn: &mut Connection,
    id: i64,
    failed: i32,
    locked_until: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(failed),
            users::locked_until.eq(locked_until),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn count(conn: &mut Connection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// The email of some user whose email is none of `emails` (the lowest id), if any.
pub fn first_other_than(conn: &mut Connection, emails: &[&str]) -> QueryResult<Option<String>> {
    users::table
        .filter(users::email.ne_all(emails))
        .order(users::id)
        .select(users::email)
        .first(conn)
        .optional()
}

/// The ids of every user with `role`.
pub fn ids_with_role(conn: &mut Connection, role: &str) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::role.eq(role))
        .select(users::id)
        .load(conn)
}

/// The ids of every user with `role`, locked against a concurrent insert of that role (the
/// locking read takes the gap too), in id order.
pub fn ids_with_role_for_update(conn: &mut Connection, role: &str) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::role.eq(role))
        .order(users::id)
        .select(users::id)
        .for_update()
        .load(conn)
}

/// Customers whose name, surname or email contains `needle`, by name.
pub fn search(conn: &mut Connection, needle: &str, limit: i64) -> QueryResult<Vec<UserRow>> {
    let pattern = format!("%{}%", escape_like(needle));
    users::table
        .filter(
            users::email
                .like(pattern.clone())
                .or(users::name.like(pattern.clone()))
                .or(users::surname.like(pattern)),
        )
        .order((users::name, users::surname, users::id))
        .limit(limit)
        .select(UserRow::as_select())
        .load(conn)
}

fn escape_like(raw: &str) -> String {
    raw.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
