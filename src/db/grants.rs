//! Least privilege: the app account's rights, granting them (with the owner account) and
//! checking at connect that the account in use has no more than it should.

use diesel::connection::SimpleConnection;
use diesel::mysql::Mysql;
use diesel::sql_types::Text;
use diesel::RunQueryDsl;

use super::url::DatabaseUrl;
use super::{Connection, QueryResult};

/// Every table the app uses and exactly the rights it needs on it. The journal and the audit
/// log are SELECT and INSERT only: history is never rewritten, not even by the app's own
/// account. Nothing may DROP, ALTER, CREATE or GRANT.
pub const APP_RIGHTS: &[(&str, &[&str])] = &[
    ("users", &["SELECT", "INSERT", "UPDATE"]),
    ("phones", &["SELECT", "INSERT", "DELETE"]),
    ("accounts", &["SELECT", "INSERT", "UPDATE"]),
    ("movements", &["SELECT", "INSERT"]),
    ("audit_log", &["SELECT", "INSERT"]),
    ("ledger_seals", &["SELECT", "INSERT"]),
    ("ledger_links", &["SELECT", "INSERT"]),
    ("drawer_sessions", &["SELECT", "INSERT", "UPDATE"]),
    ("login_sessions", &["SELECT", "INSERT", "UPDATE"]),
    ("__diesel_schema_migrations", &["SELECT"]),
];

/// Tables whose rows are history: no UPDATE or DELETE for the app, ever.
const APPEND_ONLY: &[&str] = &["movements", "audit_log", "ledger_seals", "ledger_links"];

/// Rights that change the schema or hand rights on: the app account must hold none.
const SCHEMA_RIGHTS: &[&str] = &[
    "ALL PRIVILEGES",
    "CREATE",
    "DROP",
    "ALTER",
    "INDEX",
    "TRIGGER",
    "CREATE VIEW",
    "CREATE ROUTINE",
    "ALTER ROUTINE",
    "EVENT",
    "GRANT OPTION",
    "SUPER",
    "FILE",
    "CREATE USER",
    "DELETE HISTORY",
];

/// One line of `SHOW GRANTS`, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Upper-case privilege names, without column lists.
    pub privileges: Vec<String>,
    /// `*` for every database.
    pub database: String,
    /// `*` for every table of the database.
    pub table: String,
    pub grant_option: bool,
}

/// Reads one `GRANT … ON … TO …` line; `None` for lines that grant no object rights (roles,
/// PROXY).
pub fn parse_grant(line: &str) -> Option<Grant> {
    let rest = line.strip_prefix("GRANT ")?;
    let (privileges, rest) = split_outside_parens(rest, " ON ")?;
    let (object, tail) = rest.split_once(" TO ")?;
    let (database, table) = split_object(object.trim())?;
    let privileges: Vec<String> = split_privileges(privileges)
        .into_iter()
        .filter(|p| p != "PROXY")
        .collect();
    if privileges.is_empty() {
        return None;
    }
    Some(Grant {
        privileges,
        database,
        table,
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

fn split_privileges(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    for c in list.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ if depth > 0 => continue,
            _ => {}
        }
        if depth == 0 && c != ')' {
            current.push(c);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|p| p.trim().to_ascii_uppercase())
        .filter(|p| !p.is_empty())
        .collect()
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

/// What is wrong with an app account holding `grants` on `database`; empty when nothing is.
pub fn excess_rights(grants: &[Grant], database: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for grant in grants {
        let covers_db = grant.database == "*" || grant.database.eq_ignore_ascii_case(database);
        let place = if grant.database == "*" {
            "every database".to_string()
        } else if grant.table == "*" {
            format!("database {}", grant.database)
        } else {
            format!("{}.{}", grant.database, grant.table)
        };
        if grant.grant_option {
            problems.push(format!("GRANT OPTION on {place}"));
        }
        for privilege in &grant.privileges {
            if privilege == "USAGE" {
                continue;
            }
            // Schema rights anywhere, and any right on every database, are too much.
            if SCHEMA_RIGHTS.contains(&privilege.as_str()) || grant.database == "*" {
                problems.push(format!("{privilege} on {place}"));
            } else if covers_db
                && matches!(privilege.as_str(), "UPDATE" | "DELETE")
                && (grant.table == "*" || APPEND_ONLY.contains(&grant.table.as_str()))
            {
                problems.push(format!(
                    "{privilege} on {place} (the journal is append-only)"
                ));
            }
        }
    }
    problems
}

/// One line of `SHOW GRANTS`, whose single column is named after the account: read it by
/// position.
struct GrantLine(String);

impl diesel::deserialize::QueryableByName<Mysql> for GrantLine {
    fn build<'a>(row: &impl diesel::row::NamedRow<'a, Mysql>) -> diesel::deserialize::Result<Self> {
        use diesel::deserialize::FromSql;
        use diesel::row::{Field, Row};
        let field = Row::get(row, 0usize).ok_or("SHOW GRANTS returned no column")?;
        let value = field.value().ok_or("SHOW GRANTS returned NULL")?;
        Ok(Self(<String as FromSql<Text, Mysql>>::from_sql(value)?))
    }
}

/// The rights of the account this connection logged in as, from `SHOW GRANTS`.
pub fn current_grants(conn: &mut Connection) -> QueryResult<Vec<Grant>> {
    let lines: Vec<GrantLine> = diesel::sql_query("SHOW GRANTS FOR CURRENT_USER()").load(conn)?;
    Ok(lines.iter().filter_map(|l| parse_grant(&l.0)).collect())
}

/// Creates or updates the app account (every host it may connect from) with exactly
/// `APP_RIGHTS` on its database; `owner` must be allowed to create users and grant.
pub fn grant_app_account(owner: &mut Connection, app: &DatabaseUrl) -> QueryResult<()> {
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
        owner.batch_execute(&format!(
            "CREATE USER IF NOT EXISTS {account} IDENTIFIED BY {pw}; \
             ALTER USER {account} IDENTIFIED BY {pw} {tls}; \
             REVOKE ALL PRIVILEGES, GRANT OPTION FROM {account}",
            pw = quote_string(password)
        ))?;
        for (table, rights) in APP_RIGHTS {
            owner.batch_execute(&format!(
                "GRANT {} ON {}.{} TO {account}",
                rights.join(", "),
                quote_ident(database),
                quote_ident(table)
            ))?;
        }
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

    #[test]
    fn grant_lines_are_taken_apart() {
        let g = parse_grant("GRANT SELECT, INSERT ON `teller`.`movements` TO `app`@`127.0.0.1`")
            .expect("a grant");
        assert_eq!(g.privileges, ["SELECT", "INSERT"]);
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
            parse_grant("GRANT SELECT (a, b), UPDATE (c) ON `d`.`t` TO `x`@`%`").expect("a grant");
        assert_eq!(columns.privileges, ["SELECT", "UPDATE"]);
        assert_eq!(
            parse_grant("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION"),
            None
        );
        let odd = parse_grant("GRANT SELECT ON `we``ird`.* TO `x`@`%`").expect("a grant");
        assert_eq!((odd.database.as_str(), odd.table.as_str()), ("we`ird", "*"));
    }

    #[test]
    fn only_the_app_rights_pass() {
        let lines = [
            "GRANT USAGE ON *.* TO `app`@`127.0.0.1` IDENTIFIED BY PASSWORD '*AB'",
            "GRANT SELECT, INSERT ON `teller`.`movements` TO `app`@`127.0.0.1`",
            "GRANT SELECT, INSERT, UPDATE ON `teller`.`accounts` TO `app`@`127.0.0.1`",
        ];
        let grants: Vec<Grant> = lines.iter().filter_map(|l| parse_grant(l)).collect();
        assert!(excess_rights(&grants, "teller").is_empty());

        for (line, why) in [
            (
                "GRANT ALL PRIVILEGES ON *.* TO `root`@`%`",
                "ALL PRIVILEGES",
            ),
            ("GRANT SELECT ON *.* TO `a`@`%`", "every database"),
            (
                "GRANT UPDATE ON `teller`.`movements` TO `a`@`%`",
                "append-only",
            ),
            ("GRANT DELETE ON `teller`.* TO `a`@`%`", "append-only"),
            ("GRANT DROP ON `teller`.* TO `a`@`%`", "DROP"),
            (
                "GRANT SELECT ON `teller`.`users` TO `a`@`%` WITH GRANT OPTION",
                "GRANT OPTION",
            ),
            (
                "GRANT TRIGGER ON `teller`.`audit_log` TO `a`@`%`",
                "TRIGGER",
            ),
        ] {
            let grants: Vec<Grant> = parse_grant(line).into_iter().collect();
            let problems = excess_rights(&grants, "teller");
            assert!(
                problems.iter().any(|p| p.contains(why)),
                "{line}: {problems:?}"
            );
        }
    }
}
