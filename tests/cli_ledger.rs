//! The real `teller` binary (history, audit, the audit log, reversals, search and the
//! terminal), each test on its own fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::cli::*;
use common::PASSWORD;
use serde_json::Value;

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
        "balance_chains_unbroken",
        "no_negative_customer_balance",
        "balances_sum_to_zero",
        "idempotency_keys_used_once",
        "drawer_sessions_agree",
        "vault_agrees",
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
    // The test's three, and the harness's day: the vault's first count and the admin's float.
    assert_eq!(report["movements"], 5);
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
        .env("DATABASE_URL", &teller.db.url)
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

#[test]
fn audit_names_every_acknowledged_key_the_journal_lacks() {
    let teller = Teller::new();
    let a = teller.funded_account("a@example.com", "50");
    let b = teller.funded_account("b@example.com", "0");
    teller.ok(&["transfer", &a, &b, "5", "--key", "till-1-0001"]);
    teller.ok(&["transfer", &a, &b, "6", "--key", "till-1-0002"]);
    let dir = std::env::temp_dir().join(format!("teller-ack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let receipts = dir.join("receipts.txt");

    // Keys the journal holds once each: the check passes, beside every other.
    std::fs::write(&receipts, "# till 1\ntill-1-0001\n\nTILL-1-0002\n").unwrap();
    let path = receipts.to_str().unwrap();
    let out = teller.run(&["audit", "--acknowledged", path, "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let report = out.json();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "acknowledged_keys_present")
        .cloned()
        .expect("the check is reported");
    assert_eq!(check["ok"], true, "{report}");

    // A receipt the bank cannot back: named, and the audit fails.
    std::fs::write(&receipts, "till-1-0001\ntill-1-0003\ntill-1-0002\n").unwrap();
    let out = teller.run(&["audit", "--acknowledged", path]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stdout.contains("till-1-0003 missing"), "{out:?}");
    assert!(!out.stdout.contains("till-1-0001 missing"), "{out:?}");

    // Standard input works too; a line that is no key is refused before any audit.
    let out = teller.run_with_stdin(&["audit", "--acknowledged", "-"], "till-1-0001\n");
    assert_eq!(out.code, 0, "{out:?}");
    std::fs::write(&receipts, "till-1-0001\nnot a key!\n").unwrap();
    let out = teller.run(&["audit", "--acknowledged", path]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("line 2"), "{out:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
