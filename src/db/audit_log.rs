//! The audit log: who did what, to whom, when and with what outcome.

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;

use super::schema::audit_log;
use super::{Connection, QueryResult};

#[derive(Queryable, QueryableByName, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = audit_log, check_for_backend(Mysql))]
pub struct AuditRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
    pub approved_by: Option<String>,
    pub device: String,
}

#[derive(Insertable, Debug)]
// NULL rather than DEFAULT for None keeps the statement one shape, so it is cached.
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct NewAuditEntry<'a> {
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: Option<&'a str>,
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
    pub approved_by: Option<&'a str>,
    pub device: &'a str,
}

pub fn insert(conn: &mut Connection, entry: &NewAuditEntry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(entry)
        .execute(conn)?;
    Ok(())
}

/// The newest entries first.
pub fn recent(conn: &mut Connection, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

pub fn count_for(conn: &mut Connection, action: &str, outcome: &str) -> QueryResult<i64> {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .filter(audit_log::outcome.eq(outcome))
        .count()
        .get_result(conn)
}
