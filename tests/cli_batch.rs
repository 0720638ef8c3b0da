//! `teller batch post` through the real binary: a payroll file posted once however often it
//! is posted (also after the process is killed half way), dry runs, invalid lines, a corpus of
//! malformed files, and the supervisor's approval of the total.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::path::{Path, PathBuf};

use common::cli::*;
use common::{operator, user};
use teller::domain::{AccountNumber, Amount, Currency, Email, Role};

/// A folder of this test's own for its files.
fn folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "teller-batch-test-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `count` payee accounts of one customer, each opened with 1.00.
fn payees(teller: &Teller, count: usize) -> Vec<AccountNumber> {
    let mut bank = teller.bank();
    user(&mut bank, "payees@example.com", Role::Customer);
    bank.batches()
        .open_funded_accounts(
            &operator(),
            &Email::parse("payees@example.com").unwrap(),
            Currency::USD,
            count,
            Amount::parse("1.00").unwrap(),
        )
        .unwrap()
}

fn payroll(dir: &Path, name: &str, payees: &[AccountNumber], amount: &str) -> PathBuf {
    let mut text = String::from("to,amount,memo\n");
    for payee in payees {
        text.push_str(&format!("{payee},{amount},salary\n"));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn post(teller: &Teller, file: &Path, extra: &[&str]) -> Out {
    let mut args = vec!["batch", "post", file.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    teller.run(&args)
}

fn journal_rows(teller: &Teller) -> i64 {
    teller::db::movements::count(teller.bank().connection()).unwrap()
}

fn results(file: &Path, suffix: &str) -> Vec<Vec<String>> {
    let mut name = file.file_name().unwrap().to_os_string();
    name.push(format!(".{suffix}.csv"));
    let text = std::fs::read_to_string(file.with_file_name(name)).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn a_payroll_file_posts_once_however_often_it_is_posted() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "5000");
    let payees = payees(&teller, 120);
    let dir = folder();
    let file = payroll(&dir, "payroll.csv", &payees, "25.00");
    let before = journal_rows(&teller);

    let out = post(&teller, &file, &["--from", &payer, "--batch-size", "50"]);
    assert_eq!(out.code, 0, "{out:?}");
    let summary = out.json();
    assert_eq!(summary["done"], 120);
    assert_eq!(summary["moved"], "3000.00");
    assert_eq!(journal_rows(&teller) - before, 120);
    assert_eq!(teller.balance(&payer), "2000.00");
    let lines = results(&file, "results");
    assert_eq!(lines.len(), 120);
    assert!(lines.iter().all(|l| l[2] == "done" && !l[4].is_empty()));
    assert_eq!(lines[0][0], "2", "results name the file's line numbers");

    // Again: every line replayed, nothing moved.
    let again = post(&teller, &file, &["--from", &payer]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(again.json()["replayed"], 120);
    assert_eq!(journal_rows(&teller) - before, 120);
    assert_eq!(teller.balance(&payer), "2000.00");
    assert_eq!(teller.run(&["audit"]).code, 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_dry_run_checks_funds_and_moves_nothing() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "100");
    let payees = payees(&teller, 6);
    let dir = folder();
    // 6 x 20.00 = 120.00 from 100.00: the last line would not be covered.
    let file = payroll(&dir, "payroll.csv", &payees, "20.00");
    let before = journal_rows(&teller);
    let out = post(
        &teller,
        &file,
        &["--from", &payer, "--dry-run", "--batch-size", "4"],
    );
    assert_eq!(out.code, 1, "{out:?}");
    let summary: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(summary["checked"], 5);
    assert_eq!(summary["refused"], 1);
    assert_eq!(journal_rows(&teller), before);
    assert_eq!(teller.balance(&payer), "100.00");
    let lines = results(&file, "dry-run");
    assert_eq!(lines[5][3], "insufficient_funds");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn invalid_lines_stop_everything_unless_skipped() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "100");
    let payees = payees(&teller, 3);
    let dir = folder();
    let file = dir.join("mixed.csv");
    std::fs::write(
        &file,
        format!(
            "to,amount,memo\n{},10.00,ok\n{},-5,negative\n12345,1.00,bad number\n{},10.00,ok\n",
            payees[0], payees[1], payees[2]
        ),
    )
    .unwrap();
    let before = journal_rows(&teller);
    let out = post(&teller, &file, &["--from", &payer]);
    assert_eq!(out.code, 2, "{out:?}");
    let report: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(report["invalid"], 2);
    assert_eq!(report["errors"][0]["line"], 3);
    assert_eq!(report["errors"][0]["column"], "amount");
    assert_eq!(report["errors"][1]["line"], 4);
    assert_eq!(report["errors"][1]["column"], "to");
    assert!(out.stderr.contains("invalid_lines"), "{out:?}");
    assert_eq!(journal_rows(&teller), before);

    let out = post(&teller, &file, &["--from", &payer, "--skip-invalid"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["done"], 2);
    let lines = results(&file, "results");
    let statuses: Vec<&str> = lines.iter().map(|l| l[2].as_str()).collect();
    assert_eq!(statuses, ["done", "invalid", "invalid", "done"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn malformed_files_get_a_clear_error_and_nothing_moves() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "100");
    let payee = payees(&teller, 1).remove(0);
    let dir = folder();
    let big = "x".repeat(10 * 1024 * 1024);
    let corpus: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "is empty"),
        (
            "no-header",
            format!("{payee},1.00\n").into_bytes(),
            "no header",
        ),
        (
            "unknown-column",
            format!("to,amount,colour\n{payee},1.00,red\n").into_bytes(),
            "unknown column",
        ),
        (
            "extra-columns",
            format!("to,amount\n{payee},1.00,surprise\n").into_bytes(),
            "has 3 columns",
        ),
        (
            "bad-utf8",
            [
                b"to,amount,memo\n".to_vec(),
                format!("{payee},1.00,").into_bytes(),
                vec![0xff, 0xfe, b'\n'],
            ]
            .concat(),
            "not UTF-8",
        ),
        (
            "unbalanced-quote",
            format!("to,amount\n\"{payee},1.00\n").into_bytes(),
            "has 1 columns",
        ),
        (
            "huge-line",
            format!("to,amount,memo\n{payee},1.00,{big}\n").into_bytes(),
            "longer than",
        ),
    ];
    let before = journal_rows(&teller);
    for (name, bytes, says) in corpus {
        let file = dir.join(format!("{name}.csv"));
        std::fs::write(&file, bytes).unwrap();
        let out = teller.run(&["batch", "post", file.to_str().unwrap(), "--from", &payer]);
        assert_eq!(out.code, 2, "{name}: {out:?}");
        assert!(out.stderr.contains(says), "{name}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{name}: {out:?}");
    }
    // A quoted comma is data, not a column: "1,000.00" is one amount (refused: not covered).
    let file = dir.join("quoted-amount.csv");
    std::fs::write(&file, format!("to,amount\n{payee},\"1,000.00\"\n")).unwrap();
    let out = post(&teller, &file, &["--from", &payer]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(results(&file, "results")[0][3], "insufficient_funds");
    // A quoted comma inside a memo is data, not a column.
    let file = dir.join("quoted-memo.csv");
    std::fs::write(
        &file,
        format!("to,amount,memo\n{payee},1.00,\"Smith, J.\"\n"),
    )
    .unwrap();
    let out = post(&teller, &file, &["--from", &payer]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(journal_rows(&teller), before + 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn staff_need_a_supervisor_once_for_a_total_above_the_limit() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "50000");
    let payees = payees(&teller, 4);
    let dir = folder();
    // 4 x 3,000.00: each below the limit, 12,000.00 in all.
    let file = payroll(&dir, "bonus.csv", &payees, "3000.00");
    let before = journal_rows(&teller);
    let out = post(&teller, &file, &["--from", &payer]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("approval_required"), "{out:?}");
    assert_eq!(journal_rows(&teller), before);

    let file_arg = file.to_str().unwrap().to_string();
    let out = teller.approved(&["batch", "post", &file_arg, "--from", &payer, "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let summary = out.json();
    assert_eq!(summary["done"], 4);
    assert_eq!(summary["approved_by"], BOSS);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_file_killed_half_way_and_posted_again_applies_every_line_once() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "50000");
    let payees = payees(&teller, 400);
    let dir = folder();
    // 8,000 lines: 400 payees, 20 times each, 0.25 each = 2,000.00.
    let mut text = String::from("to,amount\n");
    for _ in 0..20 {
        for payee in &payees {
            text.push_str(&format!("{payee},0.25\n"));
        }
    }
    let file = dir.join("big.csv");
    std::fs::write(&file, text).unwrap();
    let before = journal_rows(&teller);

    let mut command = teller.command(&[
        "batch",
        "post",
        file.to_str().unwrap(),
        "--from",
        &payer,
        "--batch-size",
        "20",
    ]);
    command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = command.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let posted = journal_rows(&teller) - before;
        if posted >= 400 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the post did not start"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before the kill"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no clean-up runs
    child.wait().unwrap();
    let half = journal_rows(&teller) - before;
    assert!(half < 8000, "it had finished already ({half})");

    let out = post(&teller, &file, &["--from", &payer, "--batch-size", "500"]);
    assert_eq!(out.code, 0, "{out:?}");
    let summary = out.json();
    assert_eq!(
        summary["done"].as_i64().unwrap() + summary["replayed"].as_i64().unwrap(),
        8000
    );
    assert_eq!(summary["replayed"].as_i64().unwrap(), half);
    assert_eq!(journal_rows(&teller) - before, 8000);
    assert_eq!(teller.balance(&payer), "48000.00");
    assert_eq!(teller.run(&["audit"]).code, 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_from_column_naming_another_payer_than_from_is_an_invalid_line() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "100");
    let victim = teller.funded_account("victim@example.com", "500");
    let payees = payees(&teller, 2);
    let dir = folder();
    let file = dir.join("planted.csv");
    // The second line names another payer than --from: a planted line, not an override.
    std::fs::write(
        &file,
        format!(
            "to,amount,from\n{},10.00,{payer}\n{},400.00,{victim}\n",
            payees[0], payees[1]
        ),
    )
    .unwrap();
    let before = journal_rows(&teller);
    let out = post(&teller, &file, &["--from", &payer]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("invalid_lines"), "{out:?}");
    let report: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(report["invalid"], 1);
    assert_eq!(report["errors"][0]["line"], 3);
    assert_eq!(report["errors"][0]["column"], "from");
    assert!(
        report["errors"][0]["rule"]
            .as_str()
            .unwrap()
            .contains("--from"),
        "{report}"
    );
    assert_eq!(journal_rows(&teller), before);

    // Skipped, the planted line moves nothing from the other account.
    let out = post(&teller, &file, &["--from", &payer, "--skip-invalid"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["done"], 1);
    assert_eq!(teller.balance(&victim), "500.00");
    assert_eq!(teller.balance(&payer), "90.00");
    let statuses: Vec<String> = results(&file, "results")
        .into_iter()
        .map(|l| l[2].clone())
        .collect();
    assert_eq!(statuses, ["done", "invalid"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_same_bytes_posted_by_two_payers_are_two_payments() {
    let teller = Teller::new();
    let first = teller.funded_account("first@example.com", "100");
    let second = teller.funded_account("second@example.com", "100");
    let payees = payees(&teller, 3);
    let dir = folder();
    let file = payroll(&dir, "shared.csv", &payees, "5.00");
    let before = journal_rows(&teller);

    let out = post(&teller, &file, &["--from", &first]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["done"], 3);
    // The same bytes from another payer: new payments, not replays of the first payer's.
    let out = post(&teller, &file, &["--from", &second]);
    assert_eq!(out.code, 0, "{out:?}");
    let summary = out.json();
    assert_eq!(summary["done"], 3, "{summary}");
    assert_eq!(summary["replayed"], 0, "{summary}");
    assert_eq!(journal_rows(&teller) - before, 6);
    assert_eq!(teller.balance(&first), "85.00");
    assert_eq!(teller.balance(&second), "85.00");
    // Each payer's own repost is still replayed.
    let out = post(&teller, &file, &["--from", &second]);
    assert_eq!(out.json()["replayed"], 3);
    assert_eq!(journal_rows(&teller) - before, 6);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_post_names_the_previewed_digest_and_a_changed_file_is_refused_before_anything_moves() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "1000");
    let payees = payees(&teller, 4);
    let dir = folder();
    let file = payroll(&dir, "payroll.csv", &payees, "10.00");
    let bytes = std::fs::read(&file).unwrap();
    let expected = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };

    // The preview (a dry run) shows the file's total and its full SHA-256.
    let out = post(&teller, &file, &["--from", &payer, "--dry-run"]);
    assert_eq!(out.code, 0, "{out:?}");
    let preview = out.json();
    assert_eq!(preview["total"], "40.00");
    assert_eq!(preview["digest"], expected.as_str(), "{preview}");

    // The file is changed after the preview: the post naming the preview's digest is refused
    // before its first commit.
    let changed = payroll(&dir, "payroll.csv", &payees, "99.00");
    let before = journal_rows(&teller);
    let out = post(
        &teller,
        &changed,
        &["--from", &payer, "--expect-digest", &expected],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("bad_file"), "{out:?}");
    assert!(
        out.stderr.contains("not the file that was previewed"),
        "{out:?}"
    );
    assert_eq!(journal_rows(&teller), before);
    assert_eq!(teller.balance(&payer), "1000.00");

    // The previewed bytes back: posted, the summary naming the same digest and total.
    std::fs::write(&file, &bytes).unwrap();
    let out = post(
        &teller,
        &file,
        &["--from", &payer, "--expect-digest", &expected],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let summary = out.json();
    assert_eq!(summary["digest"], expected.as_str());
    assert_eq!(summary["moved"], "40.00");
    assert_eq!(teller.balance(&payer), "960.00");

    // A digest that is not 64 hex digits is a usage error.
    let out = post(
        &teller,
        &file,
        &["--from", &payer, "--expect-digest", "abc"],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--expect-digest"), "{out:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_file_on_standard_input_is_read_once_and_its_results_come_back_on_standard_output() {
    let teller = Teller::new();
    let payer = teller.funded_account("employer@example.com", "100");
    let payees = payees(&teller, 2);
    let text = format!(
        "to,amount,reference\n{},1.00,r-1\n{},2.00,r-2\n",
        payees[0], payees[1]
    );
    let cwd = empty_dir();
    let out = teller.run_with_stdin(&["batch", "post", "-", "--from", &payer, "--json"], &text);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("line,reference,status"), "{out:?}");
    assert!(out.stdout.contains("r-2,done"), "{out:?}");
    let summary: serde_json::Value = serde_json::from_str(out.stderr.trim()).unwrap();
    assert_eq!(summary["done"], 2);
    let digest = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(text.as_bytes()))
    };
    assert_eq!(summary["digest"], digest.as_str());
    // Nothing is left behind in the working folder (no "-.results.csv").
    assert!(!cwd.join("-.results.csv").exists());
}
