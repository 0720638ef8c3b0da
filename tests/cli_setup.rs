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
    assert!(teller::db::connect(&url).is_err(), "{name} exists already");

    let mut command = bare_command();
    command.args(["--database-url", &url, "migrate"]);
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
    command.args(["--database-url", &url, "migrate"]);
    let second = run(command, None);
    assert_eq!(second.code, 0, "{second:?}");
    assert!(second.stdout.starts_with("0 "), "{second:?}");

    // DATABASE_URL from the environment works as well as the flag.
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

#[test]
fn demo_loaded_twice_gives_the_same_bank() {
    let teller = Teller::new();
    let first = teller.owner(&["demo"]);
    assert_eq!(first.code, 0, "{first:?}");
    let (counts, created) = demo_counts(&first);
    // 32 demo users, plus the three admins every test bank starts with (two and the
    // supervisor who opened the vault).
    assert_eq!(
        counts,
        vec![35, 35, 30],
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
        let profile = teller.json(&["user", "show", &person.email, "--json"]);
        assert_eq!(profile["role"], "customer");
        assert_eq!(profile["email"], person.email.to_lowercase());
        let shown = profile["phones"].as_array().unwrap().len();
        assert_eq!(shown, person.phones.len(), "{}", person.email);
        phones += shown;

        let accounts = teller.json(&["account", "list", &person.email, "--json"]);
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
            teller.json(&["user", "show", login, "--json"])["role"],
            role
        );
    }
    let audit = teller.json(&["audit", "--json"]);
    assert_eq!(audit["ok"], true, "{audit}");
}
