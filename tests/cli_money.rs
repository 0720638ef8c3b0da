//! The real `teller` binary (accounts and money: JSON results, keys, refusals and exit codes),
//! each test on its own fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;
use teller::domain::AccountNumber;

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
