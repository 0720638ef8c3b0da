//! The real `teller` binary (users: create, show, update, passwords and lock-outs), each test
//! on its own fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;
use serde_json::Value;

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
