//! Database accounts: root needs a password, and `teller migrate` (the owner) sets up an app
//! account the database administrator created, never creating, altering or stripping one it
//! did not set up.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;
use common::{create_account, server_url};
use diesel::connection::SimpleConnection;
use teller::db;

/// The server root of the test server, without a password.
fn root_without_password() -> String {
    let server = db::DatabaseUrl::parse(&server_url()).unwrap();
    format!(
        "mysql://root@{}:{}/",
        server.host,
        server.port.unwrap_or(3306)
    )
}

#[test]
fn root_of_the_test_server_needs_a_password() {
    let error = db::connect(&root_without_password())
        .err()
        .expect("root logged in without a password");
    let text = error.to_string();
    assert!(
        matches!(error, db::ConnectError::Connect { .. }) && text.contains("Access denied"),
        "{text}"
    );
}

/// A scratch bank: its database name (with the harness's prefix and pid, so a crashed run's
/// leftovers are cleaned), and URLs for accounts named after it.
struct Scene {
    name: String,
    _guards: Vec<Scratch>,
}

impl Scene {
    fn new(tag: &str) -> Self {
        let name = format!(
            "teller_test_{}_{tag}_{}",
            std::process::id(),
            rand::random::<u32>()
        );
        Self {
            _guards: vec![Scratch {
                name: name.clone(),
                app_url: None,
            }],
            name,
        }
    }

    /// `mysql://<name><suffix>:<password>@host:port/<name>`, dropped when the test ends.
    fn account(&mut self, suffix: &str, password: &str) -> String {
        let server = db::DatabaseUrl::parse(&server_url()).unwrap();
        let url = format!(
            "mysql://{}{suffix}:{password}@{}:{}/{}",
            self.name,
            server.host,
            server.port.unwrap_or(3306),
            self.name
        );
        self._guards.push(Scratch {
            name: format!("{}{suffix}", self.name),
            app_url: Some(url.clone()),
        });
        url
    }
}

/// `teller migrate` with both URLs in the environment (never on the command line).
fn migrate(owner_url: &str, app_url: &str) -> Out {
    let mut command = bare_command();
    command
        .env("TELLER_OWNER_URL", owner_url)
        .env("DATABASE_URL", app_url)
        .arg("migrate");
    run(command, None)
}

/// A database name in a database-level GRANT, where `_` is a wildcard (and the test server's
/// account may grant only on names its own pattern covers).
fn exact(name: &str) -> String {
    name.replace('_', "\\_")
}

fn as_tester(sql: &str) {
    let mut admin = db::connect(&server_url()).unwrap();
    admin.batch_execute(sql).unwrap();
}

/// Grant lines in a fixed order (SHOW GRANTS lists tables and columns in no set order).
fn sorted(lines: Vec<db::grants::GrantLine>) -> Vec<db::grants::GrantLine> {
    let mut lines: Vec<_> = lines
        .into_iter()
        .map(|line| match line {
            db::grants::GrantLine::Object(mut grant) => {
                for privilege in &mut grant.privileges {
                    if let Some(columns) = privilege.columns.as_mut() {
                        columns.sort();
                    }
                }
                db::grants::GrantLine::Object(grant)
            }
            other => other,
        })
        .collect();
    lines.sort_by_key(|line| format!("{line:?}"));
    lines
}

/// What the account of `url` holds, as it sees it.
fn grants_of(url: &str) -> Vec<db::grants::GrantLine> {
    let mut conn = db::connect(&db::server_url(url)).expect("the account logs in");
    db::grants::current_grants(&mut conn).unwrap()
}

#[test]
fn migrate_sets_up_an_existing_app_account_with_an_owner_that_cannot_create_accounts() {
    let mut scene = Scene::new("noowner");
    let owner_url = scene.account("_o", "owner-pw-1");
    let app_url = scene.account("_a", "app-pw-2");
    // The owner as scripts/run.sh makes it: everything on the bank's database, no account
    // management. The app account as the administrator makes it: no rights at all.
    create_account(&owner_url);
    create_account(&app_url);
    as_tester(&format!(
        "CREATE DATABASE `{0}` CHARACTER SET utf8mb4; \
         GRANT ALL PRIVILEGES ON `{1}`.* TO '{0}_o'@'127.0.0.1' WITH GRANT OPTION",
        scene.name,
        exact(&scene.name)
    ));
    let mut owner = db::connect(&owner_url).unwrap();
    let error = owner
        .batch_execute(&format!("CREATE USER '{}_x'@'127.0.0.1'", scene.name))
        .expect_err("the owner may not create accounts");
    assert!(error.to_string().contains("CREATE USER"), "{error}");

    let out = migrate(&owner_url, &app_url);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("exactly the rights"), "{out:?}");

    // Exactly the app's rights, and the app runs on them.
    let lines = grants_of(&app_url);
    assert!(
        db::grants::excess_rights(&lines, &scene.name).is_empty(),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| matches!(l,
            db::grants::GrantLine::Object(g) if g.table == "movements" && g.names() == ["SELECT", "INSERT"])),
        "{lines:?}"
    );
    db::connect_app(&app_url, false).expect("the app account runs the app");
    // Run again: the same rights (revoked and granted again, nothing added).
    let again = migrate(&owner_url, &app_url);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(sorted(grants_of(&app_url)), sorted(lines));
}

#[test]
fn migrate_refuses_an_account_with_rights_elsewhere_and_leaves_them() {
    let mut scene = Scene::new("foreign");
    let app_url = scene.account("_a", "app-pw-3");
    let other = format!("{}_other", scene.name);
    scene._guards.push(Scratch {
        name: other.clone(),
        app_url: None,
    });
    create_account(&app_url);
    // Another application's account: it reads another database.
    as_tester(&format!(
        "CREATE DATABASE `{other}`; GRANT SELECT ON `{}`.* TO '{}_a'@'127.0.0.1'",
        exact(&other),
        scene.name
    ));
    // The test server's account as the owner: it could change any account, and must not.
    let owner_url = db::with_database(&server_url(), &scene.name);
    let out = migrate(&owner_url, &app_url);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("did not set up"), "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("SELECT on database {}", exact(&other))),
        "{out:?}"
    );
    let lines = grants_of(&app_url);
    assert!(
        lines.iter().any(|l| matches!(l,
            db::grants::GrantLine::Object(g) if g.database == exact(&other) && g.names() == ["SELECT"])),
        "the other database's right was taken away: {lines:?}"
    );
    assert!(
        !lines.iter().any(|l| matches!(l,
            db::grants::GrantLine::Object(g) if g.database == scene.name)),
        "the account got the bank's rights: {lines:?}"
    );
}

#[test]
fn migrate_creates_no_account_and_changes_no_password() {
    let mut scene = Scene::new("nopw");
    let owner_url = db::with_database(&server_url(), &scene.name);
    // An account nobody created: migrate does not create it.
    let missing = scene.account("_m", "any-pw-4");
    let out = migrate(&owner_url, &missing);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("creates no accounts"), "{out:?}");
    assert!(!out.stderr.contains("any-pw-4"), "{out:?}");
    assert_access_denied(&missing);

    // An account whose password DATABASE_URL does not know: migrate does not take it over.
    let real = scene.account("_t", "the-real-pw-5");
    create_account(&real);
    let guessed = real.replace("the-real-pw-5", "a-guess-6");
    let out = migrate(&owner_url, &guessed);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("cannot log in"), "{out:?}");
    db::connect(&db::server_url(&real)).expect("the real password still works");
    assert_access_denied(&guessed);
}

fn assert_access_denied(url: &str) {
    let error = db::connect(&db::server_url(url))
        .err()
        .expect("the account logged in");
    assert!(error.to_string().contains("Access denied"), "{error}");
}

#[test]
fn migrate_says_when_an_app_account_on_tls_may_log_in_without_it() {
    let ca = std::env::var("TEST_DATABASE_TLS_CA").unwrap_or_else(|_| {
        panic!("TEST_DATABASE_TLS_CA is not set: run the tests with scripts/test.sh")
    });
    let mut scene = Scene::new("tlsnote");
    let plain = scene.account("_a", "app-pw-7");
    create_account(&plain);
    let owner_url = db::with_database(&server_url(), &scene.name);
    let tls = format!("{plain}?ssl_mode=verify_identity&ssl_ca={ca}");
    // The account as the administrator made it: TLS is not required of it.
    let out = migrate(&owner_url, &tls);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("may also log in without TLS"),
        "{out:?}"
    );
    assert!(out.stdout.contains("REQUIRE SSL"), "{out:?}");
    // Once the administrator requires it, nothing to say.
    as_tester(&format!(
        "ALTER USER '{}_a'@'127.0.0.1' REQUIRE SSL",
        scene.name
    ));
    let out = migrate(&owner_url, &tls);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stdout.contains("without TLS"), "{out:?}");
}
