//! The real `teller` binary (migrate and demo: set-up commands on the owner account), each test
//! on its own fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;
use common::server_url;

#[test]
fn migrate_creates_a_missing_database_and_can_run_again() {
    // The test harness's prefix and pid: a crashed run's leftover gets cleaned up.
    let name = format!(
        "teller_test_{}_climigrate_{}",
        std::process::id(),
        rand::random::<u32>()
    );
    let _guard = Scratch {
        name: name.clone(),
        app_url: None,
    };
    let url = teller::db::with_database(&server_url(), &name);
    let absent = teller::db::connect(&url)
        .err()
        .unwrap_or_else(|| panic!("{name} exists already"));
    assert!(absent.to_string().contains("Unknown database"), "{absent}");

    // The URL in the environment: a password on the command line is there for all to see.
    let mut command = bare_command();
    command.env("DATABASE_URL", &url).arg("migrate");
    let first = run(command, None);
    assert_eq!(first.code, 0, "{first:?}");
    let applied: u32 = first
        .stdout
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no migration count in {first:?}"));
    assert!(applied >= 1, "{first:?}");

    // The database exists now, with the schema: a second run applies nothing.
    teller::db::connect(&url).expect("the database was created");
    let mut command = bare_command();
    command.env("DATABASE_URL", &url).arg("migrate");
    let second = run(command, None);
    assert_eq!(second.code, 0, "{second:?}");
    assert!(second.stdout.starts_with("0 "), "{second:?}");

    // DATABASE_URL alone names the owner too.
    let mut command = bare_command();
    command.env("DATABASE_URL", &url).arg("migrate");
    let third = run(command, None);
    assert_eq!(third.code, 0, "{third:?}");
    assert!(third.stdout.starts_with("0 "), "{third:?}");
}

#[derive(serde::Deserialize)]
struct LessonUsers {
    users: Vec<LessonUser>,
}

#[derive(serde::Deserialize)]
struct LessonUser {
    email: String,
    phones: Vec<String>,
}

/// "Demo bank ready: 32 users (32 created now), 35 phone numbers, 30 customer accounts."
fn demo_counts(out: &Out) -> (Vec<u64>, u64) {
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("Demo bank ready"))
        .unwrap_or_else(|| panic!("no summary: {out:?}"));
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(numbers.len(), 4, "{line}");
    (vec![numbers[0], numbers[2], numbers[3]], numbers[1])
}

/// The demo's admin and its default password (`bare_command` unsets TELLER_DEMO_PASSWORD).
const DEMO_ADMIN: (&str, &str) = ("admin@bank.local", "admin-demo-2026!");

#[test]
fn demo_loaded_twice_gives_the_same_bank() {
    // A new bank (migrated, its app account set up, nobody in it): the demo's only home.
    let teller = Teller {
        db: common::TestDb::new(),
    };
    let first = teller.owner(&["demo"]);
    assert_eq!(first.code, 0, "{first:?}");
    let (counts, created) = demo_counts(&first);
    // The 30 lesson customers, a teller and an admin.
    assert_eq!(
        counts,
        vec![32, 35, 30],
        "users, phones, accounts: {first:?}"
    );
    assert_eq!(created, 32);
    for login in ["teller@bank.local", "admin@bank.local"] {
        assert!(first.stdout.contains(login), "{first:?}");
    }

    let second = teller.owner(&["demo"]);
    assert_eq!(second.code, 0, "{second:?}");
    let (counts_again, created_again) = demo_counts(&second);
    assert_eq!(counts_again, counts);
    assert_eq!(created_again, 0);

    // Checked one by one through the CLI: every customer, their phones and one account each
    // holding only the opening deposit (1,000.00, 1,137.25, 1,274.50…).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/lesson-users.json");
    let lesson: LessonUsers =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(lesson.users.len(), 30);
    let mut phones = 0;
    for (index, person) in lesson.users.iter().enumerate() {
        let profile = demo_json(&teller, &["user", "show", &person.email, "--json"]);
        assert_eq!(profile["role"], "customer");
        assert_eq!(profile["email"], person.email.to_lowercase());
        let shown = profile["phones"].as_array().unwrap().len();
        assert_eq!(shown, person.phones.len(), "{}", person.email);
        phones += shown;

        let accounts = demo_json(&teller, &["account", "list", &person.email, "--json"]);
        let accounts = accounts.as_array().unwrap();
        assert_eq!(accounts.len(), 1, "{}: {accounts:?}", person.email);
        assert_eq!(accounts[0]["currency"], "USD");
        assert_eq!(accounts[0]["status"], "open");
        let cents = 100_000 + 13_725 * index as i64;
        let opening = format!("{}.{:02}", cents / 100, cents % 100);
        assert_eq!(accounts[0]["balance"], opening.as_str(), "{}", person.email);
    }
    assert_eq!(phones, 35);
    for (login, role) in [
        ("teller@bank.local", "teller"),
        ("admin@bank.local", "admin"),
    ] {
        assert_eq!(
            demo_json(&teller, &["user", "show", login, "--json"])["role"],
            role
        );
    }
    let audit = demo_json(&teller, &["audit", "--json"]);
    assert_eq!(audit["ok"], true, "{audit}");
}

/// A `--json` command as the demo's admin, which must succeed.
fn demo_json(teller: &Teller, args: &[&str]) -> serde_json::Value {
    let out = teller.run_as(DEMO_ADMIN.0, DEMO_ADMIN.1, args);
    assert_eq!(out.code, 0, "teller {args:?}: {out:?}");
    out.json()
}

#[test]
fn the_demo_refuses_a_bank_with_users_of_its_own() {
    // A bank in use: its admins, a customer with money.
    let teller = Teller::new();
    let account = teller.funded_account("real.customer@example.com", "250.00");

    let out = teller.owner(&["demo"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout, "", "{out:?}");
    assert!(out.stderr.contains("holds users of its own"), "{out:?}");
    assert!(out.stderr.contains("admin@example.com"), "{out:?}");
    assert!(out.stderr.contains("Nothing was changed"), "{out:?}");

    // Nothing changed: no audit line of the demo's, the customer's money as it was, no demo login.
    let log = teller.json(&["log", "--json"]);
    assert!(
        !log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"] == "setup:demo"),
        "{log}"
    );
    assert_eq!(teller.balance(&account), "250.00");
    let out = teller.run_as(DEMO_ADMIN.0, DEMO_ADMIN.1, &["whoami", "--json"]);
    assert_eq!(out.code, 4, "the demo's admin exists: {out:?}");
}
