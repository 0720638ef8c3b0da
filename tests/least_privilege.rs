//! The app account: exactly the rights the app needs. The database itself refuses to let it
//! rewrite the journal or the audit log, or change the schema; the app refuses an account
//! that could.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::connection::SimpleConnection;
use teller::db;

/// Runs `sql` as the app account and returns the server's error text (panics if it worked).
fn denied(conn: &mut db::Connection, sql: &str) -> String {
    let error = conn
        .batch_execute(sql)
        .expect_err(&format!("the app account may not run: {sql}"));
    error.to_string()
}

#[test]
fn the_app_account_cannot_rewrite_history_or_change_the_schema() {
    let db = TestDb::new();
    // Some history to try to rewrite.
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "h@example.com", "10.00");
    let mut conn = db::connect(&db.app_url).expect("the app account connects");
    for table in ["movements", "audit_log"] {
        for sql in [
            format!("UPDATE {table} SET id = id"),
            format!("DELETE FROM {table}"),
            format!("TRUNCATE TABLE {table}"),
            format!("DROP TRIGGER IF EXISTS {table}_no_update"),
            format!("ALTER TABLE {table} ADD COLUMN x INT"),
            format!("DROP TABLE {table}"),
        ] {
            let error = denied(&mut conn, &sql);
            assert!(
                error.contains("denied"),
                "{sql}: expected access denied, got {error}"
            );
        }
    }
    for sql in [
        "CREATE TABLE sneaky (id INT)".to_string(),
        "CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW SET NEW.age = NEW.age".into(),
        format!("DROP DATABASE `{}`", db.name),
        "CREATE DATABASE elsewhere".into(),
        "ALTER TABLE accounts DROP CONSTRAINT accounts_customer_not_negative".into(),
        "DELETE FROM accounts".into(),
        "GRANT SELECT ON *.* TO CURRENT_USER()".into(),
        "SELECT * FROM mysql.user".into(),
    ] {
        let error = denied(&mut conn, &sql);
        assert!(
            error.contains("denied"),
            "{sql}: expected access denied, got {error}"
        );
    }
    // What the app does need still works through the same account.
    let mut app = db.app_bank();
    assert_eq!(
        app.money()
            .account(&operator(), &account)
            .expect("read")
            .balance,
        money("10.00")
    );
    assert_audit_ok(&mut app);
}

#[test]
fn granting_twice_changes_nothing() {
    let db = TestDb::new();
    let show = |db: &TestDb| {
        let mut conn = db::connect(&db.app_url).expect("connect");
        let mut grants: Vec<db::grants::Grant> = db::grants::current_grants(&mut conn)
            .expect("grants")
            .into_iter()
            .map(|line| match line {
                db::grants::GrantLine::Object(grant) => grant,
                db::grants::GrantLine::Other(text) => panic!("unexpected grant line {text}"),
            })
            .collect();
        grants.sort_by(|a, b| a.table.cmp(&b.table));
        grants
    };
    let before = show(&db);
    let mut owner = db::connect(&db.url).expect("owner");
    let app = db::DatabaseUrl::parse(&db.app_url).expect("url");
    db::grant_app_account(&mut owner, &app).expect("grant again");
    assert_eq!(show(&db), before);
    // Exactly select and insert on the journal and the audit log.
    for table in ["movements", "audit_log"] {
        let grant = before
            .iter()
            .find(|g| g.table == table)
            .unwrap_or_else(|| panic!("no grant on {table}: {before:?}"));
        assert_eq!(grant.names(), ["SELECT", "INSERT"], "{table}");
    }
    let lines: Vec<db::grants::GrantLine> = before
        .iter()
        .cloned()
        .map(db::grants::GrantLine::Object)
        .collect();
    assert!(db::grants::excess_rights(&lines, &db.name).is_empty());
}

#[test]
fn the_app_refuses_an_owner_account_and_a_schema_behind() {
    let db = TestDb::new();
    // The owner (root) as DATABASE_URL: refused unless explicitly allowed.
    match db::connect_app(&db.url, false) {
        Err(db::ConnectError::OwnerAccount(problems)) => {
            assert!(
                problems.iter().any(|p| p.contains("ALL PRIVILEGES")),
                "{problems:?}"
            )
        }
        other => panic!(
            "expected the owner account to be refused, got {:?}",
            other.err()
        ),
    }
    db::connect_app(&db.url, true).expect("allowed on a developer's server");
    db::connect_app(&db.app_url, false).expect("the app account is fine");

    // A schema with a migration missing: refused, naming `teller migrate`.
    let mut owner = db::connect(&db.url).expect("owner");
    owner
        .batch_execute("DELETE FROM __diesel_schema_migrations ORDER BY version DESC LIMIT 1")
        .expect("forget the newest migration");
    match db::connect_app(&db.app_url, false) {
        Err(error @ db::ConnectError::PendingMigrations(1)) => {
            assert!(error.to_string().contains("teller migrate"), "{error}")
        }
        other => panic!("expected pending migrations, got {:?}", other.err()),
    }
}

#[test]
fn an_audit_line_that_cannot_be_written_fails_the_operation() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (customer, account) = customer_with_account(&mut bank, "a@example.com", "10.00");
    // The DBA takes the app's right to append to the audit log away.
    let mut owner = db::connect(&db.url).expect("owner");
    owner
        .batch_execute(&format!(
            "REVOKE INSERT ON `{0}`.`audit_log` FROM '{0}'@'127.0.0.1', '{0}'@'localhost', '{0}'@'::1'",
            db.name
        ))
        .expect("revoke");
    let mut app = db.app_bank();
    // A refusal whose audit line is lost is not answered as if all were well...
    let wrong = app
        .people()
        .authenticate(
            &email("a@example.com"),
            &teller::domain::Secret::new("nope-nope-nope".into()),
        )
        .unwrap_err();
    assert_eq!(wrong.code(), "internal_error", "{wrong}");
    assert!(wrong.to_string().contains("audit_log"), "{wrong}");
    // ...and a movement whose audit line cannot be written does not happen.
    let moved = app.money().transfer(
        &customer,
        &teller::services::TransferRequest {
            from: account.clone(),
            to: account.clone(),
            amount: amount("1.00"),
            key: key(),
            memo: None,
        },
        None,
    );
    // (a refusal, same account, whose audit line is lost: the database error is the answer)
    let moved = moved.expect_err("a transfer to the same account went through");
    assert_eq!(moved.code(), "internal_error", "{moved}");
    assert!(moved.to_string().contains("audit_log"), "{moved}");
    let deposit = app
        .money()
        .deposit(&operator(), &cash(&account, "5.00"), None);
    let error = deposit.expect_err("a deposit went through without its audit line");
    assert_eq!(error.code(), "internal_error", "{error}");
    assert!(error.to_string().contains("audit_log"), "{error}");
    assert_eq!(balance(&mut bank, &account), money("10.00"));
}

#[test]
fn the_posting_procedure_is_called_not_changed_and_a_missing_grant_is_named() {
    let db = TestDb::new();
    let mut conn = db::connect(&db.app_url).expect("the app account connects");
    for sql in [
        "DROP PROCEDURE post_movement",
        "CREATE PROCEDURE sneaky() SELECT 1",
        "CREATE OR REPLACE PROCEDURE post_movement() SELECT 1",
    ] {
        let error = denied(&mut conn, sql);
        assert!(
            error.contains("denied"),
            "{sql}: expected access denied, got {error}"
        );
    }
    // A migration that re-creates the procedure drops the rights on it: the app says what to
    // run instead of failing at the first deposit.
    let mut owner = db::connect(&db.url).expect("owner");
    let app = db::DatabaseUrl::parse(&db.app_url).expect("url");
    for host in app.account_hosts() {
        owner
            .batch_execute(&format!(
                "REVOKE EXECUTE ON PROCEDURE `{}`.post_movement FROM '{}'@'{host}'",
                db.name, app.user
            ))
            .expect("revoke");
    }
    match db::connect_app(&db.app_url, false) {
        Err(e @ db::ConnectError::MissingRights(_)) => {
            let text = e.to_string();
            assert!(text.contains("post_movement"), "{text}");
            assert!(text.contains("teller migrate"), "{text}");
        }
        other => panic!("expected missing rights, got {:?}", other.err()),
    }
    db::grant_app_account(&mut owner, &app).expect("grant again");
    let mut bank = db.app_bank();
    let (_, account) = customer_with_account(&mut bank, "p@example.com", "10.00");
    assert_eq!(balance(&mut bank, &account), money("10.00"));
    assert_audit_ok(&mut bank);
}
