//! The real `teller` binary: commands, JSON output, exit codes and error reports, each test
//! on its own fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::cli::*;
use common::{server_url, PASSWORD};
use serde_json::Value;
use teller::domain::AccountNumber;

// ---------------------------------------------------------------------------------------------
// migrate and demo

/// Drops a database when the test ends, even when it fails.
struct DropDatabase(String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        if let Ok(mut server) = teller::db::connect(&server_url()) {
            let _ = teller::db::drop_database(&mut server, &self.0);
        }
    }
}

#[test]
fn migrate_creates_a_missing_database_and_can_run_again() {
    // The test harness's prefix and pid: a crashed run's leftover gets cleaned up.
    let name = format!(
        "teller_test_{}_climigrate_{}",
        std::process::id(),
        rand::random::<u32>()
    );
    let _guard = DropDatabase(name.clone());
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
    // 32 demo users, plus the two admins every test bank starts with.
    assert_eq!(
        counts,
        vec![34, 35, 30],
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

// ---------------------------------------------------------------------------------------------
// users

#[test]
fn user_create_reads_the_password_from_the_first_stdin_line() {
    let teller = Teller::new();
    let out = teller.run_with_stdin(
        &[
            "user",
            "create",
            "--email",
            "New.Person@Example.com",
            "--name",
            "Дмитрий",
            "--surname",
            "Petrov",
            "--age",
            "17",
            "--country",
            "Russia",
            "--city",
            "Kazan",
            "--phone",
            "+7 843 555 01 02",
            "--phone",
            "+1 787 55 41",
            "--role",
            "teller",
            "--approver",
            BOSS,
            "--json",
        ],
        "first-line-passphrase\nsecond-line-is-ignored\n",
    );
    assert_eq!(out.code, 0, "{out:?}");
    let profile = out.json();
    assert_eq!(profile["email"], "new.person@example.com");
    assert_eq!(profile["name"], "Дмитрий");
    assert_eq!(profile["surname"], "Petrov");
    assert_eq!(profile["age"], 17);
    assert_eq!(profile["country"], "Russia");
    assert_eq!(profile["city"], "Kazan");
    assert_eq!(
        profile["phones"],
        serde_json::json!(["+78435550102", "+17875541"])
    );
    assert_eq!(profile["role"], "teller");

    // The right password, chosen by the admin: its owner must change it first.
    let mut bank = teller.bank();
    assert_eq!(
        log_in(&mut bank, "new.person@example.com", "first-line-passphrase"),
        Err("password_change_required")
    );
    assert_eq!(
        log_in(
            &mut bank,
            "new.person@example.com",
            "second-line-is-ignored"
        ),
        Err("invalid_credentials")
    );

    // Without --json the result is a readable line, and the role defaults to customer.
    let out = teller.create_user("plain@example.com", &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("plain@example.com"), "{out:?}");
    let profile = teller.json(&["user", "show", "plain@example.com", "--json"]);
    assert_eq!(profile["role"], "customer");
    assert_eq!(
        log_in(&mut bank, "plain@example.com", CUSTOMER_PASSWORD),
        Err("password_change_required")
    );
}

#[test]
fn user_create_refuses_weak_passwords() {
    let teller = Teller::new();
    let address = "weak@example.com";
    let base = [
        "user",
        "create",
        "--email",
        address,
        "--name",
        "Weak",
        "--age",
        "30",
        "--country",
        "USA",
        "--json",
    ];
    let too_long = "x".repeat(73);
    let cases = [
        ("short-pass", "12"),
        // Trimmed and lower-cased, this is one of the most common passwords.
        ("  PASSWORD    ", "common"),
        ("weak@example.com", "email"),
        ("            ", "spaces"),
        (too_long.as_str(), "72"),
    ];
    for (password, hint) in cases {
        let out = teller.run_with_stdin(&base, &format!("{password}\n"));
        let error = check_failure(&out, &base, 2, "invalid_password");
        let message = error["message"].as_str().unwrap();
        assert!(message.starts_with("Password"), "{message}");
        assert!(message.contains(hint), "{password:?}: {message}");
        if !password.trim().is_empty() {
            assert!(
                !message.contains(password.trim()),
                "{message} repeats the password"
            );
        }
    }
    // No password at all is a usage error.
    let out = teller.run_with_stdin(&base, "");
    assert_eq!(out.code, 2, "{out:?}");
    // Nothing was created.
    teller.fails(&["user", "show", address, "--json"], 1, "not_found");
}

#[test]
fn user_create_refuses_invalid_fields_and_duplicates() {
    let teller = Teller::new();
    teller.customer("taken@example.com");
    let cases: [(&[&str], &str); 5] = [
        (&["--email", "not-an-email"], "invalid_email"),
        (&["--email", "a@b.com", "--age", "13"], "invalid_age"),
        (
            &["--email", "a@b.com", "--phone", "555-0100"],
            "invalid_phone",
        ),
        (&["--email", "a@b.com", "--city", "C1ty 42"], "invalid_city"),
        (&["--email", "a@b.com", "--name", "   "], "invalid_name"),
    ];
    for (overrides, code) in cases {
        // Later flags win in clap only for repeatable ones; build each argument list whole.
        let mut fields = vec![
            ("--email", "x@example.com"),
            ("--name", "Diana"),
            ("--age", "30"),
            ("--country", "USA"),
        ];
        for pair in overrides.chunks(2) {
            match fields.iter_mut().find(|(flag, _)| *flag == pair[0]) {
                Some(field) => field.1 = pair[1],
                None => fields.push((pair[0], pair[1])),
            }
        }
        let mut args = vec!["user", "create", "--json"];
        for (flag, value) in &fields {
            args.push(flag);
            args.push(value);
        }
        let out = teller.run_with_stdin(&args, &format!("{CUSTOMER_PASSWORD}\n"));
        check_failure(&out, &args, 2, code);
    }
    let args = [
        "user",
        "create",
        "--email",
        "TAKEN@example.com",
        "--name",
        "Other",
        "--age",
        "40",
        "--country",
        "USA",
        "--json",
    ];
    let out = teller.run_with_stdin(&args, &format!("{CUSTOMER_PASSWORD}\n"));
    check_failure(&out, &args, 1, "duplicate_email");
}

#[test]
fn user_show_json_has_every_field() {
    let teller = Teller::new();
    let out = teller.create_user(
        "show@example.com",
        &[
            "--surname",
            "Julis",
            "--city",
            "Boston",
            "--phone",
            "+1 617 555 0100",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let profile = teller.json(&["user", "show", "SHOW@example.com", "--json"]);
    assert!(profile["id"].as_i64().is_some_and(|id| id > 0), "{profile}");
    assert_eq!(profile["email"], "show@example.com");
    assert_eq!(profile["name"], "Diana");
    assert_eq!(profile["surname"], "Julis");
    assert_eq!(profile["age"], 30);
    assert_eq!(profile["country"], "USA");
    assert_eq!(profile["city"], "Boston");
    assert_eq!(profile["phones"], serde_json::json!(["+16175550100"]));
    assert_eq!(profile["role"], "customer");
    assert_eq!(profile["locked_until"], Value::Null);
    for field in ["created_at", "updated_at"] {
        assert!(
            is_rfc3339_utc(str_of(&profile, field)),
            "{field}: {profile}"
        );
    }
    // Never a hash or a password.
    let text = profile.to_string();
    assert!(
        !text.contains("$2") && !text.contains(CUSTOMER_PASSWORD),
        "{text}"
    );

    let plain = teller.ok(&["user", "show", "show@example.com"]);
    assert!(plain.stdout.contains("Diana Julis"), "{plain:?}");
    teller.fails(
        &["user", "show", "nobody@example.com", "--json"],
        1,
        "not_found",
    );
}

#[test]
fn user_update_changes_fields_phones_and_email() {
    let teller = Teller::new();
    let out = teller.create_user(
        "update@example.com",
        &[
            "--surname",
            "Julis",
            "--city",
            "Boston",
            "--phone",
            "+1 787 55 41",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let profile = teller.json(&[
        "user",
        "update",
        "update@example.com",
        "--name",
        "Irina",
        "--surname",
        "",
        "--city",
        "",
        "--age",
        "41",
        "--country",
        "Canada",
        "--add-phone",
        "+1 555 0100 99",
        "--add-phone",
        "+44 20 7946 0958",
        "--remove-phone",
        "+1 787 5541",
        "--json",
    ]);
    assert_eq!(profile["name"], "Irina");
    assert_eq!(profile["surname"], Value::Null);
    assert_eq!(profile["city"], Value::Null);
    assert_eq!(profile["age"], 41);
    assert_eq!(profile["country"], "Canada");
    assert_eq!(
        profile["phones"],
        serde_json::json!(["+1555010099", "+442079460958"])
    );
    let shown = teller.json(&["user", "show", "update@example.com", "--json"]);
    assert_eq!(shown, profile);

    // A new email: the old one is gone, the new one logs in.
    teller.customer("other@example.com");
    teller.fails(
        &[
            "user",
            "update",
            "update@example.com",
            "--email",
            "Other@Example.com",
            "--json",
        ],
        1,
        "duplicate_email",
    );
    let moved = teller.json(&[
        "user",
        "update",
        "update@example.com",
        "--email",
        "Moved@Example.com",
        "--json",
    ]);
    assert_eq!(moved["email"], "moved@example.com");
    assert_eq!(moved["id"], profile["id"]);
    teller.fails(
        &["user", "show", "update@example.com", "--json"],
        1,
        "not_found",
    );
    let mut bank = teller.bank();
    assert_eq!(
        log_in(&mut bank, "moved@example.com", CUSTOMER_PASSWORD),
        Err("password_change_required")
    );

    teller.fails(
        &[
            "user",
            "update",
            "moved@example.com",
            "--age",
            "200",
            "--json",
        ],
        2,
        "invalid_age",
    );
    teller.fails(
        &[
            "user",
            "update",
            "ghost@example.com",
            "--age",
            "20",
            "--json",
        ],
        1,
        "not_found",
    );
}

#[test]
fn user_password_and_unlock() {
    let teller = Teller::new();
    teller.customer("locked@example.com");
    let mut bank = teller.bank();
    for _ in 0..5 {
        let _ = log_in(&mut bank, "locked@example.com", "wrong-password");
    }
    assert_eq!(
        log_in(&mut bank, "locked@example.com", CUSTOMER_PASSWORD),
        // A locked login answers like a wrong password; the profile shows the lock.
        Err("invalid_credentials")
    );
    let profile = teller.json(&["user", "show", "locked@example.com", "--json"]);
    assert!(
        is_rfc3339_utc(str_of(&profile, "locked_until")),
        "{profile}"
    );

    let out = teller.ok(&["user", "unlock", "locked@example.com"]);
    assert!(out.stdout.contains("locked@example.com"), "{out:?}");
    let profile = teller.json(&["user", "show", "locked@example.com", "--json"]);
    assert_eq!(profile["locked_until"], Value::Null);
    assert_eq!(
        log_in(&mut bank, "locked@example.com", CUSTOMER_PASSWORD),
        Err("password_change_required")
    );

    // A new password from stdin; it also lifts a lock-out.
    for _ in 0..5 {
        let _ = log_in(&mut bank, "locked@example.com", "wrong-password");
    }
    let out = teller.run_with_stdin(
        &["user", "password", "locked@example.com"],
        "a-new-passphrase-99\n",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        log_in(&mut bank, "locked@example.com", "a-new-passphrase-99"),
        Err("password_change_required")
    );
    assert_eq!(
        log_in(&mut bank, "locked@example.com", CUSTOMER_PASSWORD),
        Err("invalid_credentials")
    );

    // A weak new password is refused (exit 2) and changes nothing.
    let out = teller.run_with_stdin(&["user", "password", "locked@example.com"], "short\n");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("Password"), "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        log_in(&mut bank, "locked@example.com", "a-new-passphrase-99"),
        Err("password_change_required")
    );
    let out = teller.run(&["user", "unlock", "ghost@example.com"]);
    assert_eq!(out.code, 1, "{out:?}");
}

// ---------------------------------------------------------------------------------------------
// accounts and money

#[test]
fn account_open_and_list_json() {
    let teller = Teller::new();
    teller.customer("owner@example.com");
    assert_eq!(
        teller.json(&["account", "list", "owner@example.com", "--json"]),
        serde_json::json!([])
    );
    let usd = teller.json(&["account", "open", "owner@example.com", "--json"]);
    let eur = teller.json(&[
        "account",
        "open",
        "OWNER@example.com",
        "--currency",
        "eur",
        "--json",
    ]);
    for (account, currency) in [(&usd, "USD"), (&eur, "EUR")] {
        let number = str_of(account, "number");
        assert!(AccountNumber::parse(number).is_ok(), "{account}");
        assert_eq!(account["owner"], "owner@example.com");
        assert_eq!(account["currency"], currency);
        assert_eq!(account["balance"], "0.00");
        assert_eq!(account["status"], "open");
    }
    assert_ne!(usd["number"], eur["number"]);
    let list = teller.json(&["account", "list", "owner@example.com", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["number"], usd["number"]);
    assert_eq!(list[1]["number"], eur["number"]);
    for account in list {
        for field in ["number", "owner", "currency", "balance", "status"] {
            assert!(account[field].is_string(), "{field} in {account}");
        }
    }

    teller.fails(
        &[
            "account",
            "open",
            "owner@example.com",
            "--currency",
            "XYZ",
            "--json",
        ],
        2,
        "invalid_currency",
    );
    teller.fails(
        &["account", "open", "ghost@example.com", "--json"],
        1,
        "not_found",
    );
    teller.fails(
        &["account", "list", "ghost@example.com", "--json"],
        1,
        "not_found",
    );
}

#[test]
fn freeze_and_unfreeze() {
    let teller = Teller::new();
    let account = teller.funded_account("frozen@example.com", "100");
    let out = teller.ok(&["account", "freeze", &account]);
    assert!(out.stdout.contains("frozen"), "{out:?}");
    let view = teller.json(&["balance", &account, "--json"]);
    assert_eq!(view["status"], "frozen");
    teller.fails(&["deposit", &account, "5", "--json"], 1, "account_frozen");
    teller.fails(&["withdraw", &account, "5", "--json"], 1, "account_frozen");
    // Freezing twice is refused, not silently accepted.
    assert_eq!(teller.run(&["account", "freeze", &account]).code, 1);

    // Unfreezing needs a second admin (four eyes).
    let alone = teller.run(&["account", "unfreeze", &account]);
    assert_eq!(alone.code, 1, "{alone:?}");
    assert!(alone.stderr.contains("approval"), "{alone:?}");
    let out = teller.approved(&["account", "unfreeze", &account]);
    assert_eq!(out.code, 0, "{out:?}");
    let view = teller.json(&["balance", &account, "--json"]);
    assert_eq!(view["status"], "open");
    teller.ok(&["deposit", &account, "5"]);
    assert_eq!(teller.balance(&account), "105.00");
}

#[test]
fn money_commands_print_results_as_json() {
    let teller = Teller::new();
    teller.customer("a@example.com");
    teller.customer("b@example.com");
    let a = teller.open_account("a@example.com", "USD");
    let b = teller.open_account("b@example.com", "USD");

    let deposit = teller.json(&["deposit", &a, "1,234.50", "--key", "dep-1", "--json"]);
    assert_eq!(deposit["key"], "dep-1");
    assert_eq!(deposit["kind"], "deposit");
    assert_eq!(deposit["amount"], "1234.50");
    assert_eq!(deposit["from"], "cash");
    assert_eq!(deposit["to"], a.as_str());
    assert_eq!(deposit["balances"], serde_json::json!({ &a: "1234.50" }));
    assert_eq!(deposit["replayed"], false);

    let withdrawal = teller.json(&["withdraw", &a, " 34.5 ", "--json"]);
    assert_eq!(withdrawal["kind"], "withdrawal");
    assert_eq!(withdrawal["amount"], "34.50");
    assert_eq!(withdrawal["from"], a.as_str());
    assert_eq!(withdrawal["to"], "cash");
    assert_eq!(withdrawal["balances"], serde_json::json!({ &a: "1200.00" }));
    assert_eq!(withdrawal["replayed"], false);
    // Without --key a key is generated, and reported.
    assert!(!str_of(&withdrawal, "key").is_empty());

    let transfer = teller.json(&[
        "transfer", &a, &b, "200", "--key", "tr-1", "--memo", "rent", "--json",
    ]);
    assert_eq!(transfer["key"], "tr-1");
    assert_eq!(transfer["kind"], "transfer");
    assert_eq!(transfer["amount"], "200.00");
    assert_eq!(transfer["from"], a.as_str());
    assert_eq!(transfer["to"], b.as_str());
    assert_eq!(
        transfer["balances"],
        serde_json::json!({ &a: "1000.00", &b: "200.00" })
    );
    assert_eq!(transfer["replayed"], false);
    assert_eq!(transfer["memo"], "rent");

    let view = teller.json(&["balance", &a, "--json"]);
    assert_eq!(view["number"], a.as_str());
    assert_eq!(view["owner"], "a@example.com");
    assert_eq!(view["currency"], "USD");
    assert_eq!(view["balance"], "1000.00");
    assert_eq!(view["status"], "open");
    assert_eq!(teller.balance(&b), "200.00");

    // Account numbers may be typed grouped.
    let grouped = format!("{} {} {}", &a[..4], &a[4..8], &a[8..]);
    assert_eq!(teller.balance(&grouped), "1000.00");

    // Text output names the movement and the new balance.
    let out = teller.ok(&["deposit", &b, "0.01"]);
    assert!(out.stdout.contains("200.01"), "{out:?}");
}

#[test]
fn the_same_key_twice_is_applied_once() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "0");
    let b = teller.funded_account("b@example.com", "0");

    let first = teller.json(&["deposit", &a, "100", "--key", "k-dep", "--json"]);
    let again = teller.json(&["deposit", &a, "100", "--key", "k-dep", "--json"]);
    assert_eq!(first["replayed"], false);
    assert_eq!(again["replayed"], true);
    for field in ["key", "kind", "amount", "from", "to", "balances"] {
        assert_eq!(first[field], again[field], "{field}");
    }
    assert_eq!(teller.balance(&a), "100.00");

    let first = teller.json(&[
        "transfer", &a, &b, "60", "--key", "k-tr", "--memo", "x", "--json",
    ]);
    let again = teller.json(&[
        "transfer", &a, &b, "60", "--key", "k-tr", "--memo", "x", "--json",
    ]);
    assert_eq!(first["replayed"], false);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["balances"], first["balances"]);
    assert_eq!(teller.balance(&a), "40.00");
    assert_eq!(teller.balance(&b), "60.00");

    // A replay answers with the original result even when it could not run again now.
    teller.json(&["withdraw", &b, "60", "--key", "k-wd", "--json"]);
    let again = teller.json(&["withdraw", &b, "60", "--key", "k-wd", "--json"]);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["balances"], serde_json::json!({ &b: "0.00" }));
    assert_eq!(teller.balance(&b), "0.00");

    let audit = teller.json(&["audit", "--json"]);
    assert_eq!(audit["ok"], true, "{audit}");
}

#[test]
fn the_same_key_with_another_request_conflicts() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "500");
    let b = teller.funded_account("b@example.com", "0");
    teller.json(&["deposit", &a, "100", "--key", "k1", "--json"]);
    for other in [
        vec!["deposit", &a, "101", "--key", "k1", "--json"],
        vec!["deposit", &b, "100", "--key", "k1", "--json"],
        vec![
            "deposit",
            &a,
            "100",
            "--key",
            "k1",
            "--memo",
            "different",
            "--json",
        ],
        vec!["withdraw", &a, "100", "--key", "k1", "--json"],
        vec!["transfer", &a, &b, "100", "--key", "k1", "--json"],
    ] {
        let error = teller.fails(&other, 1, "idempotency_conflict");
        assert!(error["message"].as_str().unwrap().contains("k1"), "{error}");
    }
    assert_eq!(teller.balance(&a), "600.00");
    assert_eq!(teller.balance(&b), "0.00");
}

#[test]
fn a_refused_transfer_does_not_use_up_its_key() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "100");
    let b = teller.funded_account("b@example.com", "0");
    let args = ["transfer", &a, &b, "500", "--key", "rent-may", "--json"];
    teller.fails(&args, 1, "insufficient_funds");
    assert_eq!(teller.balance(&a), "100.00");
    teller.ok(&["deposit", &a, "400"]);
    let done = teller.json(&args);
    assert_eq!(done["replayed"], false);
    assert_eq!(done["key"], "rent-may");
    assert_eq!(teller.balance(&a), "0.00");
    assert_eq!(teller.balance(&b), "500.00");
    assert_eq!(teller.json(&args)["replayed"], true);
}

#[test]
fn bank_rule_refusals_exit_1_with_their_code() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "100");
    let b = teller.funded_account("b@example.com", "100");
    let frozen = teller.open_account("b@example.com", "USD");
    teller.ok(&["account", "freeze", &frozen]);
    let closed = teller.open_account("b@example.com", "USD");
    teller.ok(&["account", "close", &closed]);
    let euro = teller.open_account("b@example.com", "EUR");
    teller.ok(&["deposit", &a, "1", "--key", "used"]);
    let unused = unused_account_number();

    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["withdraw", &a, "101.01"], "insufficient_funds"),
        (vec!["transfer", &a, &b, "101.01"], "insufficient_funds"),
        (vec!["deposit", &frozen, "1"], "account_frozen"),
        (vec!["transfer", &a, &frozen, "1"], "account_frozen"),
        (vec!["deposit", &closed, "1"], "account_closed"),
        (vec!["transfer", &a, &closed, "1"], "account_closed"),
        (vec!["balance", &unused], "not_found"),
        (vec!["deposit", &unused, "1"], "not_found"),
        (vec!["transfer", &a, &unused, "1"], "not_found"),
        (vec!["history", &unused], "not_found"),
        (vec!["user", "show", "ghost@example.com"], "not_found"),
        (
            vec![
                "user",
                "update",
                "a@example.com",
                "--email",
                "B@example.com",
            ],
            "duplicate_email",
        ),
        (vec!["transfer", &a, &euro, "1"], "currency_mismatch"),
        (vec!["transfer", &a, &a, "1"], "same_account"),
        (
            vec!["deposit", &a, "2", "--key", "used"],
            "idempotency_conflict",
        ),
    ];
    for (mut args, code) in cases {
        args.push("--json");
        teller.fails(&args, 1, code);
        // Without --json: a readable line on stderr, nothing on stdout, the same exit code.
        args.pop();
        let out = teller.run(&args);
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        assert_eq!(out.stdout, "", "{args:?}: {out:?}");
        assert!(out.stderr.starts_with("teller: "), "{args:?}: {out:?}");
    }
    // Closing needs an empty account; a closed account stays closed.
    assert_eq!(teller.run(&["account", "close", &a]).code, 1);
    assert_eq!(teller.run(&["account", "unfreeze", &closed]).code, 1);
    // Nothing moved.
    assert_eq!(teller.balance(&a), "101.00");
    assert_eq!(teller.balance(&b), "100.00");
    assert_eq!(teller.json(&["audit", "--json"])["ok"], true);
}

#[test]
fn invalid_input_exits_2_with_its_code() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "100");
    let b = teller.funded_account("b@example.com", "0");
    let typo = mistyped(&a);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["deposit", &a, "-5"], "invalid_amount"),
        (vec!["deposit", &a, "1.005"], "invalid_amount"),
        (vec!["deposit", &a, "1e3"], "invalid_amount"),
        (vec!["deposit", &a, "abc"], "invalid_amount"),
        (vec!["deposit", &a, "0"], "invalid_amount"),
        (vec!["deposit", &a, "1,00"], "invalid_amount"),
        (vec!["deposit", &a, "NaN"], "invalid_amount"),
        (vec!["deposit", &a, ""], "invalid_amount"),
        (vec!["deposit", &a, "1000000000.01"], "invalid_amount"),
        (vec!["withdraw", &a, "+5"], "invalid_amount"),
        (vec!["transfer", &a, &b, "-5"], "invalid_amount"),
        (vec!["balance", &typo], "invalid_account_number"),
        (vec!["deposit", &typo, "5"], "invalid_account_number"),
        (vec!["transfer", &a, &typo, "5"], "invalid_account_number"),
        (vec!["history", "12345"], "invalid_account_number"),
        (vec!["user", "show", "not-an-email"], "invalid_email"),
        (vec!["user", "show", "two@@example.com"], "invalid_email"),
        (
            vec!["account", "list", "no-domain@example"],
            "invalid_email",
        ),
    ];
    for (mut args, code) in cases {
        args.push("--json");
        let error = teller.fails(&args, 2, code);
        let message = error["message"].as_str().unwrap();
        let label = if code == "invalid_amount" {
            "Amount"
        } else if code == "invalid_email" {
            "Email"
        } else {
            "Account number"
        };
        assert!(message.starts_with(label), "{args:?}: {message}");
    }
    // Nothing moved.
    assert_eq!(teller.balance(&a), "100.00");
    assert_eq!(teller.balance(&b), "0.00");
    // Usage errors (unknown command, missing argument) exit 2 as well; with --json they are
    // reported as JSON too.
    assert_eq!(teller.run(&["deposit", &a]).code, 2);
    assert_eq!(teller.run(&["no-such-command"]).code, 2);
    teller.fails(&["deposit", &a, "--json"], 2, "usage");
    teller.fails(&["deposit", &a, "5", "--json", "--bogus"], 2, "usage");
    // Help is not an error.
    let help = teller.run(&["deposit", "--help"]);
    assert_eq!(help.code, 0, "{help:?}");
    assert!(help.stdout.contains("Usage"), "{help:?}");
}

#[test]
fn invalid_keys_and_memos_exit_2() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "10");
    let long_key = "k".repeat(65);
    let long_memo = "m".repeat(141);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["deposit", &a, "1", "--key", ""],
            "invalid_idempotency_key",
        ),
        (
            vec!["deposit", &a, "1", "--key", "has space"],
            "invalid_idempotency_key",
        ),
        (
            vec!["deposit", &a, "1", "--key", &long_key],
            "invalid_idempotency_key",
        ),
        (
            vec!["deposit", &a, "1", "--memo", &long_memo],
            "invalid_memo",
        ),
    ];
    for (mut args, code) in cases {
        args.push("--json");
        teller.fails(&args, 2, code);
    }
    assert_eq!(teller.balance(&a), "10.00");
}

#[test]
fn an_unreachable_database_exits_3() {
    let unreachable = "mysql://root@127.0.0.1:1/x";
    let mut command = bare_command();
    command.args([
        "--database-url",
        unreachable,
        "balance",
        &unused_account_number(),
        "--json",
    ]);
    let out = run(command, None);
    check_failure(&out, &["balance"], 3, "database_unavailable");

    let mut command = bare_command();
    command.args([
        "--database-url",
        unreachable,
        "user",
        "show",
        "a@example.com",
    ]);
    let out = run(command, None);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("database"), "{out:?}");

    // The same through DATABASE_URL.
    let mut command = bare_command();
    command.env("DATABASE_URL", unreachable).arg("migrate");
    assert_eq!(run(command, None).code, 3);

    // No database configured at all is a configuration problem: exit 3, and it says how.
    let mut command = bare_command();
    command.args(["audit", "--json"]);
    let out = run(command, None);
    let error = check_failure(&out, &["audit"], 3, "misconfigured");
    assert!(
        error["message"].as_str().unwrap().contains("DATABASE_URL"),
        "{error}"
    );
}

#[test]
fn history_lists_movements_newest_first() {
    let teller = Teller::new();
    teller.customer("a@example.com");
    teller.customer("b@example.com");
    let a = teller.open_account("a@example.com", "USD");
    let b = teller.open_account("b@example.com", "USD");
    teller.ok(&["deposit", &a, "100", "--key", "h-dep"]);
    teller.ok(&["withdraw", &a, "30", "--key", "h-wd", "--memo", "cash out"]);
    teller.ok(&[
        "transfer", &a, &b, "20.50", "--key", "h-tr", "--memo", "rent",
    ]);

    let history = teller.json(&["history", &a, "--json"]);
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{history}");
    let expected = [
        (
            "transfer",
            "-20.50",
            b.as_str(),
            "49.50",
            "h-tr",
            Value::from("rent"),
        ),
        (
            "withdrawal",
            "-30.00",
            "cash",
            "70.00",
            "h-wd",
            Value::from("cash out"),
        ),
        ("deposit", "100.00", "cash", "100.00", "h-dep", Value::Null),
    ];
    for (entry, (kind, amount, counterparty, after, key, memo)) in entries.iter().zip(expected) {
        assert_eq!(entry["kind"], kind, "{entry}");
        assert_eq!(entry["amount"], amount, "{entry}");
        assert_eq!(entry["counterparty"], counterparty, "{entry}");
        assert_eq!(entry["balance_after"], after, "{entry}");
        assert_eq!(entry["key"], key, "{entry}");
        assert_eq!(entry["memo"], memo, "{entry}");
        assert!(is_rfc3339_utc(str_of(entry, "at")), "{entry}");
    }
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = entries
        .iter()
        .map(|e| chrono::DateTime::parse_from_rfc3339(str_of(e, "at")).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    // The other side sees money arriving from the first account.
    let theirs = teller.json(&["history", &b, "--json"]);
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(theirs[0]["amount"], "20.50");
    assert_eq!(theirs[0]["counterparty"], a.as_str());
    assert_eq!(theirs[0]["balance_after"], "20.50");

    let limited = teller.json(&["history", &a, "--limit", "2", "--json"]);
    assert_eq!(limited.as_array().unwrap().as_slice(), &entries[..2]);
    let empty_account = teller.open_account("b@example.com", "USD");
    assert_eq!(
        teller.json(&["history", &empty_account, "--json"]),
        serde_json::json!([])
    );
}

#[test]
fn history_as_csv() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "0");
    teller.ok(&[
        "deposit",
        &a,
        "1,000",
        "--key",
        "c-dep",
        "--memo",
        "salary, May",
    ]);
    teller.ok(&["withdraw", &a, "0.99", "--key", "c-wd"]);
    let out = teller.ok(&["history", &a, "--csv"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{out:?}");
    let header: Vec<&str> = lines[0].split(',').collect();
    for column in [
        "at",
        "kind",
        "amount",
        "counterparty",
        "balance_after",
        "key",
        "memo",
    ] {
        assert!(header.contains(&column), "{column} missing from {header:?}");
    }
    let column = |name: &str| header.iter().position(|c| *c == name).unwrap();
    // Newest first; the memo with a comma is quoted and is the last column.
    let newest: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(newest[column("kind")], "withdrawal");
    assert_eq!(newest[column("amount")], "-0.99");
    assert_eq!(newest[column("counterparty")], "cash");
    assert_eq!(newest[column("balance_after")], "999.01");
    assert_eq!(newest[column("key")], "c-wd");
    assert!(is_rfc3339_utc(newest[column("at")]), "{}", lines[1]);
    assert!(lines[2].contains(",deposit,"), "{}", lines[2]);
    assert!(lines[2].contains(",1000.00,"), "{}", lines[2]);
    assert!(lines[2].contains("\"salary, May\""), "{}", lines[2]);
    let limited = teller.ok(&["history", &a, "--csv", "--limit", "1"]);
    assert_eq!(limited.stdout.lines().count(), 2, "{limited:?}");
}

#[test]
fn audit_json_reports_every_check() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "250");
    let b = teller.funded_account("b@example.com", "0");
    teller.ok(&["transfer", &a, &b, "100"]);
    teller.ok(&["withdraw", &b, "40"]);
    let out = teller.ok(&["audit", "--json"]);
    let report = out.json();
    assert_eq!(report["ok"], true, "{report}");
    let checks = report["checks"].as_array().unwrap();
    let names: Vec<&str> = checks.iter().map(|c| str_of(c, "name")).collect();
    for expected in [
        "movements_balance",
        "cached_balances_match_journal",
        "no_negative_customer_balance",
        "balances_sum_to_zero",
        "idempotency_keys_used_once",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for check in checks {
        assert_eq!(check["ok"], true, "{check}");
        assert!(check["detail"].is_string(), "{check}");
    }
    assert_eq!(report["movements"], 3);
    // Plain text: one line per check, exit 0.
    let text = teller.ok(&["audit"]);
    assert!(text.stdout.lines().count() >= checks.len(), "{text:?}");
}

#[test]
fn audit_exits_1_when_an_invariant_is_broken() {
    use diesel::RunQueryDsl;
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "50");
    // Tamper with a cached balance behind the bank's back.
    let mut conn = teller::db::connect(&teller.db.url).unwrap();
    diesel::sql_query(format!(
        "UPDATE accounts SET balance = balance + 1 WHERE number = '{a}'"
    ))
    .execute(&mut conn)
    .unwrap();
    let out = teller.run(&["audit", "--json"]);
    assert_eq!(out.code, 1, "{out:?}");
    let report = out.json();
    assert_eq!(report["ok"], false, "{report}");
    let failed: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| str_of(c, "name"))
        .collect();
    assert!(
        failed.contains(&"cached_balances_match_journal"),
        "{report}"
    );
    assert!(failed.contains(&"balances_sum_to_zero"), "{report}");
    let text = teller.run(&["audit"]);
    assert_eq!(text.code, 1, "{text:?}");
    assert!(
        text.stdout.contains(&a),
        "the report names the account: {text:?}"
    );
}

#[test]
fn every_command_is_audited_as_the_person_who_ran_it() {
    let teller = Teller::new();
    let account = teller.funded_account("a@example.com", "10");
    teller.ok(&["search", "a@example.com"]);
    let log = teller.json(&["log", "--json"]);
    let entries = log.as_array().unwrap();
    for action in ["user.create", "account.open", "deposit"] {
        assert!(
            entries
                .iter()
                .any(|e| e["action"] == action && e["actor"] == ADMIN),
            "no {action} by {ADMIN} in {log}"
        );
    }
    // No command acts as an operator or as the OS user any more.
    assert!(
        !entries
            .iter()
            .any(|e| e["actor"].as_str().is_some_and(|a| a.starts_with("cli:"))),
        "{log}"
    );
    // Another person's refusal is audited under their own name.
    let out = teller.run_as(BOSS, PASSWORD, &["withdraw", &account, "1", "--json"]);
    check_failure(&out, &["withdraw"], 1, "drawer_closed");
    let log = teller.json(&["log", "--json"]);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"] == BOSS && e["outcome"] == "drawer_closed"),
        "{log}"
    );
}

#[test]
fn no_command_without_a_terminal_returns_promptly() {
    let teller = Teller::new();
    // A new session has no controlling terminal, even when the tests run in one.
    let mut command = if std::path::Path::new("/usr/bin/setsid").exists() {
        let mut command = Command::new("/usr/bin/setsid");
        command.arg("--wait").arg(BIN);
        command
    } else {
        Command::new(BIN)
    };
    command
        .arg("--database-url")
        .arg(&teller.db.url)
        .env_remove("DATABASE_URL")
        .env("TELLER_BCRYPT_COST", "4")
        .current_dir(empty_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("start teller");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let status = status.unwrap_or_else(|| {
        panic!(
            "`teller` with no command and no terminal hung; stdout {stdout:?}, stderr {stderr:?}"
        )
    });
    if status.success() {
        assert!(
            stdout.contains("Usage") || stdout.contains("teller"),
            "exit 0 without help text: {stdout:?} {stderr:?}"
        );
    } else {
        assert!(
            !stderr.trim().is_empty(),
            "failed ({status}) without saying why: {stdout:?}"
        );
    }
}

#[test]
fn reverse_undoes_a_movement_once_with_a_reason() {
    let teller = Teller::new();
    let a = teller.funded_account("rev-a@example.com", "100.00");
    let b = teller.funded_account("rev-b@example.com", "0");
    let done = teller.json(&["transfer", &a, &b, "30.00", "--json"]);
    let reference = done["reference"].as_i64().expect("reference").to_string();
    teller.fails(
        &["reverse", &reference, "--reason", "", "--json"],
        2,
        "invalid_reason",
    );
    teller.fails(
        &["reverse", &reference, "--reason", "wrong account", "--json"],
        1,
        "approval_required",
    );
    let out = teller.approved(&["reverse", &reference, "--reason", "wrong account", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let reversal = out.json();
    assert_eq!(str_of(&reversal, "kind"), "reversal");
    assert_eq!(str_of(&reversal, "amount"), "30.00");
    assert_eq!(str_of(&reversal, "memo"), "wrong account");
    assert_eq!(teller.balance(&a), "100.00");
    assert_eq!(teller.balance(&b), "0.00");
    let again = teller.approved(&["reverse", &reference, "--reason", "again", "--json"]);
    check_failure(&again, &["reverse"], 1, "already_reversed");
    let missing = teller.approved(&["reverse", "999999", "--reason", "nothing", "--json"]);
    check_failure(&missing, &["reverse"], 1, "not_found");
    let history = teller.json(&["history", &b, "--json"]);
    assert_eq!(str_of(&history[0], "kind"), "reversal");
    assert_eq!(str_of(&history[0], "amount"), "-30.00");
    assert_eq!(teller.run(&["audit"]).code, 0);
}

#[test]
fn search_finds_customers_by_name_phone_or_account() {
    let teller = Teller::new();
    let number = teller.funded_account("search.me@example.com", "0");
    teller.ok(&[
        "user",
        "update",
        "search.me@example.com",
        "--surname",
        "Zyxwv",
        "--add-phone",
        "+1 555 0199",
    ]);
    for query in ["zyxw", "search.me", "555 01", number.as_str()] {
        let hits = teller.json(&["search", query, "--json"]);
        assert_eq!(hits.as_array().map(Vec::len), Some(1), "{query}: {hits}");
        assert_eq!(str_of(&hits[0], "email"), "search.me@example.com");
        assert_eq!(hits[0]["accounts"][0].as_str(), Some(number.as_str()));
    }
    assert_eq!(
        teller.json(&["search", "nobody-like-this", "--json"]),
        serde_json::json!([])
    );
}
