//! Least privilege: the app account's rights, granting them (with the owner account) and
//! checking at connect that the account in use has no more than it should.

use diesel::connection::SimpleConnection;
use diesel::mysql::Mysql;
use diesel::sql_types::Text;
use diesel::RunQueryDsl;

use super::url::DatabaseUrl;
use super::{Connection, QueryResult};

/// The rights of the app account on one table.
pub struct TableRights {
    pub table: &'static str,
    /// Rights on the whole table.
    pub privileges: &'static [&'static str],
    /// The only columns the app may UPDATE (none: no UPDATE at all).
    pub update_columns: &'static [&'static str],
}

const fn rights(
    table: &'static str,
    privileges: &'static [&'static str],
    update_columns: &'static [&'static str],
) -> TableRights {
    TableRights {
        table,
        privileges,
        update_columns,
    }
}

/// Every table the app uses and exactly the rights it needs on it. The journal, the audit log
/// and the ledger chain are SELECT and INSERT only: history is never rewritten, not even by the
/// app's own account. UPDATE is limited to the columns the app writes (never a user's role, an
/// account's owner, kind or currency). Nothing may DROP, ALTER, CREATE or GRANT.
pub const APP_RIGHTS: &[TableRights] = &[
    rights(
        "users",
        &["SELECT", "INSERT"],
        &[
            "email",
            "name",
            "surname",
            "age",
            "country",
            "city",
            "password_hash",
            "must_change_password",
            "failed_logins",
            "locked_until",
            "updated_at",
        ],
    ),
    rights("phones", &["SELECT", "INSERT", "DELETE"], &[]),
    rights(
        "accounts",
        &["SELECT", "INSERT"],
        &["balance", "status", "updated_at", "last_movement_id"],
    ),
    rights("movements", &["SELECT", "INSERT"], &[]),
    rights("audit_log", &["SELECT", "INSERT"], &[]),
    rights("ledger_seals", &["SELECT", "INSERT"], &[]),
    rights("ledger_links", &["SELECT", "INSERT"], &[]),
    // The incremental audit's checked state: checkpoints are appended, the sums carried on
    // (`INSERT … ON DUPLICATE KEY UPDATE` needs UPDATE on every column it inserts).
    rights("audit_checkpoints", &["SELECT", "INSERT"], &[]),
    rights(
        "audit_account_sums",
        &["SELECT", "INSERT"],
        &["account_id", "journal_sum", "checkpoint_id"],
    ),
    rights(
        "drawer_sessions",
        &["SELECT", "INSERT"],
        &[
            "closed_at",
            "counted",
            "closing_count",
            "expected",
            "over_short",
            "over_short_movement_id",
        ],
    ),
    rights(
        "login_sessions",
        &["SELECT", "INSERT"],
        &["last_seen_at", "ended_at"],
    ),
    rights("bank_settings", &["SELECT"], &[]),
    rights("cash_ids", &["SELECT", "INSERT"], &[]),
    // Approver guesses per (requester, approver) pair: counted, reset, never deleted.
    rights(
        "approval_failures",
        &["SELECT", "INSERT"],
        &["failed", "locked_until", "updated_at"],
    ),
    // A request is decided, withdrawn or used; never deleted.
    rights(
        "approval_requests",
        &["SELECT", "INSERT"],
        &["status", "decided_by", "reason", "movement_id"],
    ),
    // Devices are revoked, never deleted: their names stay in the journal.
    rights(
        "devices",
        &["SELECT", "INSERT"],
        &["revoked_by", "revoked_at"],
    ),
    rights(
        "vault_days",
        &["SELECT", "INSERT"],
        &[
            "counted_by",
            "counted_at",
            "closing_count",
            "closing_total",
            "closing_book",
        ],
    ),
    rights("vault_moves", &["SELECT", "INSERT"], &[]),
    // Settings, not history: a teller's own limit is replaced or removed.
    rights("drawer_limits", &["SELECT", "INSERT", "DELETE"], &[]),
    // INSERT ... ON DUPLICATE KEY UPDATE wants UPDATE on every column it names.
    rights("tx_guard", &["SELECT", "INSERT"], &["token", "n"]),
    rights("business_days", &["SELECT", "INSERT"], &[]),
    rights("currencies", &["SELECT", "INSERT"], &[]),
    rights("fx_rates", &["SELECT", "INSERT"], &[]),
    rights(
        "fx_quotes",
        &["SELECT", "INSERT"],
        &["used_key", "used_by", "used_at"],
    ),
    rights("__diesel_schema_migrations", &["SELECT"], &[]),
];

/// The stored procedures the app may CALL (EXECUTE only). Each is `SQL SECURITY INVOKER`: it
/// runs with the rights above and adds none.
pub const APP_PROCEDURES: &[&str] = &["post_movement", "commit_movement"];

/// One right of a grant: `UPDATE (a, b)` has columns, `SELECT` has none (the whole table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privilege {
    /// Upper case.
    pub name: String,
    pub columns: Option<Vec<String>>,
}

/// One line of `SHOW GRANTS`, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub privileges: Vec<Privilege>,
    /// `*` for every database.
    pub database: String,
    /// `*` for every table of the database; a routine's name for a routine.
    pub table: String,
    /// `ON PROCEDURE` or `ON FUNCTION` rather than a table.
    pub routine: Option<Routine>,
    pub grant_option: bool,
}

/// The kind of stored routine a grant is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routine {
    Procedure,
    Function,
}

impl Routine {
    fn keyword(self) -> &'static str {
        match self {
            Routine::Procedure => "PROCEDURE",
            Routine::Function => "FUNCTION",
        }
    }
}

impl Grant {
    /// The privilege names, for messages and tests.
    pub fn names(&self) -> Vec<&str> {
        self.privileges.iter().map(|p| p.name.as_str()).collect()
    }
}

/// What `SHOW GRANTS` said, line by line: a grant on objects, or anything else (a role, a
/// default role, a proxy, a line this parser does not know), which the check refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantLine {
    Object(Grant),
    Other(String),
}

/// Reads one `GRANT … ON … TO …` line; `None` for lines that grant no object rights (roles,
/// PROXY).
pub fn parse_grant(line: &str) -> Option<Grant> {
    let rest = line.strip_prefix("GRANT ")?;
    let (privileges, rest) = split_outside_parens(rest, " ON ")?;
    let (object, tail) = rest.split_once(" TO ")?;
    let object = object.trim();
    let (routine, object) = if let Some(name) = object.strip_prefix("PROCEDURE ") {
        (Some(Routine::Procedure), name)
    } else if let Some(name) = object.strip_prefix("FUNCTION ") {
        (Some(Routine::Function), name)
    } else {
        (None, object)
    };
    let (database, table) = split_object(object.trim())?;
    let privileges = split_privileges(privileges);
    if privileges.is_empty() || privileges.iter().any(|p| p.name == "PROXY") {
        return None;
    }
    Some(Grant {
        privileges,
        database,
        table,
        routine,
        grant_option: tail.contains("WITH GRANT OPTION"),
    })
}

fn split_outside_parens<'a>(text: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 && text[i..].starts_with(needle) => {
                return Some((&text[..i], &text[i + needle.len()..]));
            }
            _ => {}
        }
    }
    None
}

fn split_privileges(list: &str) -> Vec<Privilege> {
    let mut out = Vec::new();
    let mut name = String::new();
    let mut columns: Option<Vec<String>> = None;
    let mut column = String::new();
    let mut in_columns = false;
    let mut finish = |name: &mut String, columns: &mut Option<Vec<String>>| {
        let trimmed = name.trim().to_ascii_uppercase();
        if !trimmed.is_empty() {
            out.push(Privilege {
                name: trimmed,
                columns: columns.take(),
            });
        }
        name.clear();
    };
    for c in list.chars() {
        match (in_columns, c) {
            (false, '(') => {
                in_columns = true;
                columns = Some(Vec::new());
            }
            (true, ',' | ')') => {
                let col = column.trim().trim_matches('`').to_string();
                if let (Some(cols), false) = (columns.as_mut(), col.is_empty()) {
                    cols.push(col);
                }
                column.clear();
                in_columns = c == ',';
            }
            (true, _) => column.push(c),
            (false, ',') => finish(&mut name, &mut columns),
            (false, _) => name.push(c),
        }
    }
    finish(&mut name, &mut columns);
    out
}

fn split_object(object: &str) -> Option<(String, String)> {
    let unquote = |part: &str| part.trim_matches('`').replace("``", "`");
    if let Some(rest) = object.strip_prefix('`') {
        // `db`.`table` or `db`.*: the database name ends at the first lone backtick.
        let mut end = None;
        let bytes = rest.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'`' {
                if bytes.get(i + 1) == Some(&b'`') {
                    i += 2;
                    continue;
                }
                end = Some(i);
                break;
            }
            i += 1;
        }
        let end = end?;
        let database = rest[..end].replace("``", "`");
        let table = rest[end + 1..].strip_prefix('.')?;
        return Some((database, unquote(table)));
    }
    let (database, table) = object.split_once('.')?;
    Some((unquote(database), unquote(table)))
}

/// What is wrong with an app account holding `lines` on `database`; empty when nothing is.
/// An allowlist: every right must be one `APP_RIGHTS` names for that table of that database
/// (or USAGE, which is none); a role, a proxy or a line this parser does not know is refused.
pub fn excess_rights(lines: &[GrantLine], database: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for line in lines {
        let grant = match line {
            GrantLine::Object(grant) => grant,
            GrantLine::Other(text) => {
                problems.push(format!("a grant this check cannot vouch for: {text}"));
                continue;
            }
        };
        let place = if let Some(routine) = grant.routine {
            format!(
                "{} {}.{}",
                routine.keyword().to_ascii_lowercase(),
                grant.database,
                grant.table
            )
        } else if grant.database == "*" {
            "every database".to_string()
        } else if grant.table == "*" {
            format!("database {}", grant.database)
        } else {
            format!("{}.{}", grant.database, grant.table)
        };
        if grant.grant_option {
            problems.push(format!("GRANT OPTION on {place}"));
        }
        if let Some(routine) = grant.routine {
            let callable = routine == Routine::Procedure
                && grant.database == database
                && APP_PROCEDURES.contains(&grant.table.as_str());
            for privilege in &grant.privileges {
                if !(callable && privilege.name == "EXECUTE" && privilege.columns.is_none()) {
                    problems.push(format!("{} on {place}", privilege.name));
                }
            }
            continue;
        }
        let allowed = (grant.database == database)
            .then(|| APP_RIGHTS.iter().find(|r| r.table == grant.table))
            .flatten();
        for privilege in &grant.privileges {
            let ok = match (privilege.name.as_str(), allowed) {
                ("USAGE", _) => true,
                (_, None) => false,
                ("UPDATE", Some(rights)) => privilege.columns.as_ref().is_some_and(|columns| {
                    columns
                        .iter()
                        .all(|c| rights.update_columns.contains(&c.as_str()))
                }),
                (name, Some(rights)) => {
                    privilege.columns.is_none() && rights.privileges.contains(&name)
                }
            };
            if !ok {
                let columns = privilege
                    .columns
                    .as_ref()
                    .map_or(String::new(), |c| format!(" ({})", c.join(", ")));
                problems.push(format!("{}{columns} on {place}", privilege.name));
            }
        }
    }
    problems
}

/// The app's procedures the account may not CALL (a migration that re-creates a procedure
/// drops the rights on it until `teller migrate` grants them again), as `EXECUTE on …` lines.
pub fn missing_procedures(lines: &[GrantLine], database: &str) -> Vec<String> {
    APP_PROCEDURES
        .iter()
        .filter(|procedure| {
            !lines.iter().any(|line| {
                matches!(line, GrantLine::Object(g)
                    if g.routine == Some(Routine::Procedure)
                        && g.database == database
                        && g.table == **procedure
                        && g.privileges.iter().any(|p| p.name == "EXECUTE"))
            })
        })
        .map(|procedure| format!("EXECUTE on procedure {database}.{procedure}"))
        .collect()
}

/// One line of `SHOW GRANTS`, whose single column is named after the account: read it by
/// position.
struct ShownLine(String);

impl diesel::deserialize::QueryableByName<Mysql> for ShownLine {
    fn build<'a>(row: &impl diesel::row::NamedRow<'a, Mysql>) -> diesel::deserialize::Result<Self> {
        use diesel::deserialize::FromSql;
        use diesel::row::{Field, Row};
        let field = Row::get(row, 0usize).ok_or("SHOW GRANTS returned no column")?;
        let value = field.value().ok_or("SHOW GRANTS returned NULL")?;
        Ok(Self(<String as FromSql<Text, Mysql>>::from_sql(value)?))
    }
}

/// The rights of the account this connection logged in as, from `SHOW GRANTS`, every line.
pub fn current_grants(conn: &mut Connection) -> QueryResult<Vec<GrantLine>> {
    let lines: Vec<ShownLine> = diesel::sql_query("SHOW GRANTS FOR CURRENT_USER()").load(conn)?;
    Ok(lines.iter().map(|l| classify(&l.0)).collect())
}

/// Does the account this connection logged in as have to use TLS (`REQUIRE SSL`, `X509`, an
/// issuer, a subject or a cipher)? Only its own `SHOW GRANTS` tells, without rights on `mysql`.
pub fn login_requires_tls(conn: &mut Connection) -> QueryResult<bool> {
    let lines: Vec<ShownLine> = diesel::sql_query("SHOW GRANTS FOR CURRENT_USER()").load(conn)?;
    Ok(lines.iter().any(|l| requires_tls(&l.0)))
}

/// True when a `GRANT USAGE … REQUIRE …` line asks for TLS.
fn requires_tls(line: &str) -> bool {
    line.split_once(" REQUIRE ").is_some_and(|(_, rest)| {
        ["SSL", "X509", "ISSUER", "SUBJECT", "CIPHER"]
            .iter()
            .any(|kind| rest.trim_start().starts_with(kind))
    })
}

/// A line of `SHOW GRANTS` as the check sees it.
pub fn classify(line: &str) -> GrantLine {
    match parse_grant(line) {
        Some(grant) => GrantLine::Object(grant),
        None => GrantLine::Other(line.to_string()),
    }
}

/// Why `teller migrate` must leave an existing account alone: it changes only an account that
/// holds nothing but rights on the bank's own `database` (which it replaces). Global rights
/// (USAGE aside), a GRANT OPTION, rights on another database, a role or a proxy mean the
/// account is someone else's (a DBA's, another application's). Empty: the account may be set up.
pub fn foreign_account_rights(lines: &[GrantLine], database: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for line in lines {
        let grant = match line {
            GrantLine::Object(grant) => grant,
            GrantLine::Other(text) => {
                problems.push(format!("a grant teller did not make: {text}"));
                continue;
            }
        };
        if grant.grant_option {
            problems.push(format!(
                "GRANT OPTION on {}.{}",
                grant.database, grant.table
            ));
        }
        if grant.database == "*" {
            let global: Vec<&str> = grant
                .names()
                .into_iter()
                .filter(|n| *n != "USAGE")
                .collect();
            if !global.is_empty() {
                problems.push(format!("{} on every database", global.join(", ")));
            }
        } else if grant.database != database {
            problems.push(format!(
                "{} on database {}",
                grant.names().join(", "),
                grant.database
            ));
        }
    }
    problems
}

/// The account (`user`, `host`) a connection logged in as: the one its URL reaches.
pub fn current_account(conn: &mut Connection) -> QueryResult<(String, String)> {
    #[derive(diesel::QueryableByName)]
    struct Current {
        #[diesel(sql_type = Text)]
        account: String,
    }
    let current: Current =
        diesel::sql_query("SELECT CURRENT_USER() AS account").get_result(conn)?;
    match current.account.rsplit_once('@') {
        Some((user, host)) => Ok((user.to_string(), host.to_string())),
        None => Err(diesel::result::Error::QueryBuilderError(
            format!("CURRENT_USER() gave no host: {}", current.account).into(),
        )),
    }
}

/// Replaces the rights of the existing account `user`@`host` on `database` with exactly
/// `APP_RIGHTS`: `current` are its grants as it sees them (`SHOW GRANTS`), checked with
/// `foreign_account_rights` first. Needs only GRANT OPTION on `database` (the owner's), no
/// right to create or alter accounts: the account must exist.
pub fn set_app_rights(
    owner: &mut Connection,
    (user, host): (&str, &str),
    database: &str,
    current: &[GrantLine],
) -> QueryResult<()> {
    let account = format!("{}@{}", quote_string(user), quote_string(host));
    let mut batch = String::new();
    for line in current {
        let GrantLine::Object(grant) = line else {
            continue;
        };
        let names: Vec<String> = grant
            .privileges
            .iter()
            .filter(|p| p.name != "USAGE")
            .map(|p| match &p.columns {
                Some(columns) => {
                    let columns: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
                    format!("{} ({})", p.name, columns.join(", "))
                }
                None => p.name.clone(),
            })
            .collect();
        if grant.database != database || names.is_empty() {
            continue;
        }
        let table = if grant.table == "*" {
            "*".to_string()
        } else {
            quote_ident(&grant.table)
        };
        let kind = grant
            .routine
            .map_or(String::new(), |r| format!("{} ", r.keyword()));
        batch.push_str(&format!(
            " REVOKE {} ON {kind}{}.{table} FROM {account};",
            names.join(", "),
            quote_ident(database)
        ));
    }
    batch.push_str(&app_grants(database, &account));
    owner.batch_execute(&batch)
}

/// `GRANT` statements giving `account` exactly `APP_RIGHTS` on `database`.
fn app_grants(database: &str, account: &str) -> String {
    let mut batch = String::new();
    for rights in APP_RIGHTS {
        let mut list: Vec<String> = rights.privileges.iter().map(|p| p.to_string()).collect();
        if !rights.update_columns.is_empty() {
            let columns: Vec<String> = rights
                .update_columns
                .iter()
                .map(|c| quote_ident(c))
                .collect();
            list.push(format!("UPDATE ({})", columns.join(", ")));
        }
        batch.push_str(&format!(
            " GRANT {} ON {}.{} TO {account};",
            list.join(", "),
            quote_ident(database),
            quote_ident(rights.table)
        ));
    }
    for procedure in APP_PROCEDURES {
        batch.push_str(&format!(
            " GRANT EXECUTE ON PROCEDURE {}.{} TO {account};",
            quote_ident(database),
            quote_ident(procedure)
        ));
    }
    batch
}

/// Creates or updates the app account (every host it may connect from) with exactly
/// `APP_RIGHTS` on its database. `admin` must be allowed to create and alter accounts: the
/// test harness's account or a DBA's, never the owner (`teller migrate` uses `set_app_rights`
/// on an account that exists already).
pub fn grant_app_account(admin: &mut Connection, app: &DatabaseUrl) -> QueryResult<()> {
    let Some(database) = app.database.as_deref() else {
        return Err(diesel::result::Error::QueryBuilderError(
            "the app account's URL names no database".into(),
        ));
    };
    let password = app.password.as_deref().unwrap_or_default();
    for host in app.account_hosts() {
        let account = format!("{}@{}", quote_string(&app.user), quote_string(&host));
        // An app that connects with TLS gets an account that cannot log in without it.
        let tls = if app.requires_tls() {
            "REQUIRE SSL"
        } else {
            "REQUIRE NONE"
        };
        // One batch per account: the rights are gone only for the moment between two
        // statements of the same round trip.
        let mut batch = format!(
            "CREATE USER IF NOT EXISTS {account} IDENTIFIED BY {pw}; \
             ALTER USER {account} IDENTIFIED BY {pw} {tls}; \
             REVOKE ALL PRIVILEGES, GRANT OPTION FROM {account};",
            pw = quote_string(password)
        );
        batch.push_str(&app_grants(database, &account));
        admin.batch_execute(&batch)?;
    }
    Ok(())
}

/// Drops the app account (tests and their clean-up).
pub fn drop_app_account(owner: &mut Connection, app: &DatabaseUrl) -> QueryResult<()> {
    for host in app.account_hosts() {
        owner.batch_execute(&format!(
            "DROP USER IF EXISTS {}@{}",
            quote_string(&app.user),
            quote_string(&host)
        ))?;
    }
    Ok(())
}

fn quote_string(raw: &str) -> String {
    format!("'{}'", raw.replace('\\', "\\\\").replace('\'', "''"))
}

fn quote_ident(raw: &str) -> String {
    format!("`{}`", raw.replace('`', "``"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[&str]) -> Vec<GrantLine> {
        text.iter().map(|l| classify(l)).collect()
    }

    #[test]
    fn grant_lines_are_taken_apart() {
        let g = parse_grant("GRANT SELECT, INSERT ON `teller`.`movements` TO `app`@`127.0.0.1`")
            .expect("a grant");
        assert_eq!(g.names(), ["SELECT", "INSERT"]);
        assert_eq!(
            (g.database.as_str(), g.table.as_str()),
            ("teller", "movements")
        );
        assert!(!g.grant_option);
        let all =
            parse_grant("GRANT ALL PRIVILEGES ON *.* TO `root`@`127.0.0.1` WITH GRANT OPTION")
                .expect("a grant");
        assert_eq!((all.database.as_str(), all.table.as_str()), ("*", "*"));
        assert!(all.grant_option);
        let columns =
            parse_grant("GRANT SELECT, INSERT, UPDATE (`status`, `balance`) ON `d`.`t` TO `x`@`%`")
                .expect("a grant");
        assert_eq!(columns.names(), ["SELECT", "INSERT", "UPDATE"]);
        assert_eq!(
            columns.privileges[2].columns.as_deref(),
            Some(&["status".to_string(), "balance".to_string()][..])
        );
        assert_eq!(
            parse_grant("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION"),
            None
        );
        let call = parse_grant("GRANT EXECUTE ON PROCEDURE `teller`.`post_movement` TO `x`@`%`")
            .expect("a grant");
        assert_eq!(call.routine, Some(Routine::Procedure));
        assert_eq!(
            (call.database.as_str(), call.table.as_str()),
            ("teller", "post_movement")
        );
        let odd = parse_grant("GRANT SELECT ON `we``ird`.* TO `x`@`%`").expect("a grant");
        assert_eq!((odd.database.as_str(), odd.table.as_str()), ("we`ird", "*"));
    }

    #[test]
    fn only_the_app_rights_pass() {
        let fine = lines(&[
            "GRANT USAGE ON *.* TO `app`@`127.0.0.1` IDENTIFIED BY PASSWORD '*AB' REQUIRE SSL",
            "GRANT SELECT, INSERT ON `teller`.`movements` TO `app`@`127.0.0.1`",
            "GRANT SELECT, INSERT, UPDATE (`status`, `balance`) ON `teller`.`accounts` TO `app`@`127.0.0.1`",
            "GRANT EXECUTE ON PROCEDURE `teller`.`post_movement` TO `app`@`127.0.0.1`",
            "GRANT EXECUTE ON PROCEDURE `teller`.`commit_movement` TO `app`@`127.0.0.1`",
        ]);
        assert!(excess_rights(&fine, "teller").is_empty());
        assert!(missing_procedures(&fine, "teller").is_empty());
        assert_eq!(
            missing_procedures(&fine[..4], "teller"),
            ["EXECUTE on procedure teller.commit_movement"]
        );
        // EXECUTE of the bank's own procedures only, and nothing else on them.
        for (line, why) in [
            (
                "GRANT EXECUTE ON PROCEDURE `teller`.`other` TO `a`@`%`",
                "EXECUTE on procedure teller.other",
            ),
            (
                "GRANT EXECUTE ON PROCEDURE `elsewhere`.`post_movement` TO `a`@`%`",
                "EXECUTE on procedure elsewhere.post_movement",
            ),
            (
                "GRANT ALTER ROUTINE ON PROCEDURE `teller`.`post_movement` TO `a`@`%`",
                "ALTER ROUTINE on procedure teller.post_movement",
            ),
            (
                "GRANT EXECUTE ON FUNCTION `teller`.`post_movement` TO `a`@`%`",
                "EXECUTE on function teller.post_movement",
            ),
        ] {
            assert_eq!(excess_rights(&lines(&[line]), "teller"), [why], "{line}");
        }

        for (line, why) in [
            (
                "GRANT ALL PRIVILEGES ON *.* TO `root`@`%`",
                "ALL PRIVILEGES",
            ),
            ("GRANT SELECT ON *.* TO `a`@`%`", "every database"),
            (
                "GRANT UPDATE ON `teller`.`movements` TO `a`@`%`",
                "UPDATE on teller.movements",
            ),
            ("GRANT DELETE ON `teller`.* TO `a`@`%`", "database teller"),
            ("GRANT DROP ON `teller`.* TO `a`@`%`", "DROP"),
            (
                "GRANT SELECT ON `teller`.`users` TO `a`@`%` WITH GRANT OPTION",
                "GRANT OPTION",
            ),
            (
                "GRANT TRIGGER ON `teller`.`audit_log` TO `a`@`%`",
                "TRIGGER",
            ),
            // Other databases, wildcard names and the server's own tables.
            (
                "GRANT SELECT, INSERT, UPDATE ON `mysql`.* TO `a`@`%`",
                "database mysql",
            ),
            ("GRANT UPDATE ON `teller%`.* TO `a`@`%`", "database teller%"),
            ("GRANT UPDATE ON `telle_`.* TO `a`@`%`", "database telle_"),
            // A whole-table UPDATE where only some columns are the app's.
            (
                "GRANT UPDATE ON `teller`.`users` TO `a`@`%`",
                "UPDATE on teller.users",
            ),
            (
                "GRANT UPDATE (`role`) ON `teller`.`users` TO `a`@`%`",
                "UPDATE (role)",
            ),
            (
                "GRANT DELETE ON `teller`.`users` TO `a`@`%`",
                "DELETE on teller.users",
            ),
            ("GRANT LOCK TABLES ON `teller`.* TO `a`@`%`", "LOCK TABLES"),
            (
                "GRANT EXECUTE ON PROCEDURE `teller`.`p` TO `a`@`%`",
                "EXECUTE",
            ),
            // Roles and proxies bring rights this check cannot see: refused.
            ("GRANT `dba` TO `a`@`%`", "cannot vouch"),
            ("SET DEFAULT ROLE `dba` FOR `a`@`%`", "cannot vouch"),
            ("GRANT PROXY ON ''@'%' TO `a`@`%`", "cannot vouch"),
        ] {
            let problems = excess_rights(&lines(&[line]), "teller");
            assert!(
                problems.iter().any(|p| p.contains(why)),
                "{line}: {problems:?}"
            );
        }
    }

    #[test]
    fn migrate_touches_only_an_account_with_rights_on_the_bank_alone() {
        let fresh = lines(&[
            "GRANT USAGE ON *.* TO `app`@`127.0.0.1` IDENTIFIED BY PASSWORD '*AB' REQUIRE SSL",
        ]);
        assert!(foreign_account_rights(&fresh, "teller").is_empty());
        let set_up = lines(&[
            "GRANT USAGE ON *.* TO `app`@`127.0.0.1`",
            "GRANT SELECT, INSERT ON `teller`.`movements` TO `app`@`127.0.0.1`",
            "GRANT ALL PRIVILEGES ON `teller`.* TO `app`@`127.0.0.1`",
        ]);
        assert!(foreign_account_rights(&set_up, "teller").is_empty());

        for (line, why) in [
            ("GRANT SELECT ON *.* TO `a`@`%`", "SELECT on every database"),
            (
                "GRANT CREATE USER ON *.* TO `a`@`%`",
                "CREATE USER on every database",
            ),
            ("GRANT SELECT ON `other`.* TO `a`@`%`", "database other"),
            ("GRANT SELECT ON `teller%`.* TO `a`@`%`", "database teller%"),
            (
                "GRANT SELECT ON `teller`.`users` TO `a`@`%` WITH GRANT OPTION",
                "GRANT OPTION",
            ),
            ("GRANT `dba` TO `a`@`%`", "did not make"),
            ("GRANT PROXY ON ''@'%' TO `a`@`%`", "did not make"),
        ] {
            let problems = foreign_account_rights(&lines(&[line]), "teller");
            assert!(
                problems.iter().any(|p| p.contains(why)),
                "{line}: {problems:?}"
            );
        }
    }

    #[test]
    fn a_tls_requirement_is_read_from_the_usage_line() {
        for line in [
            "GRANT USAGE ON *.* TO `a`@`%` IDENTIFIED BY PASSWORD '*AB' REQUIRE SSL",
            "GRANT USAGE ON *.* TO `a`@`%` REQUIRE X509",
            "GRANT USAGE ON *.* TO `a`@`%` REQUIRE ISSUER '/CN=ca' AND SUBJECT '/CN=a'",
        ] {
            assert!(requires_tls(line), "{line}");
        }
        for line in [
            "GRANT USAGE ON *.* TO `a`@`%` IDENTIFIED BY PASSWORD '*AB'",
            "GRANT SELECT ON `teller`.`movements` TO `a`@`%`",
        ] {
            assert!(!requires_tls(line), "{line}");
        }
    }
}
