//! Every file teller writes for a person is readable by its owner only (mode 0600): the log,
//! the app's receipts, exports and statements, the CLI's statements, a payment file's results
//! and the end-of-day reports. A file that existed with a wider mode is narrowed to 0600.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use common::cli::*;
use common::*;
use teller::tui::app::Action;
use teller::tui::worker::{Job, ReplyBody, Request, WorkerConfig, WorkerHandle, WorkerMessage};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A folder of this test's own.
fn folder(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "teller-modes-{tag}-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A file someone left readable by everybody.
fn shared_file(path: &Path) {
    std::fs::write(path, "left here by someone, readable by all\n").unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

fn this_month() -> String {
    chrono::Utc::now().format("%Y-%m").to_string()
}

#[test]
fn statements_written_by_the_cli_are_private() {
    let teller = Teller::new();
    let account = teller.funded_account("diana@example.com", "250.00");
    let dir = folder("statement");
    let new = dir.join("new.pdf");
    let shared = dir.join("shared.pdf");
    shared_file(&shared);
    for path in [&new, &shared] {
        let arg = path.to_str().unwrap();
        teller.ok(&[
            "statement",
            &account,
            "--month",
            &this_month(),
            "--pdf",
            arg,
        ]);
        assert!(std::fs::read(path).unwrap().starts_with(b"%PDF"));
        assert_eq!(mode(path), 0o600, "{}", path.display());
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_payment_files_results_are_private() {
    let teller = Teller::new();
    let payer = teller.funded_account("payer@example.com", "100.00");
    teller.customer("payee@example.com");
    let payee = teller.open_account("payee@example.com", "USD");
    let dir = folder("batch");
    let file = dir.join("payroll.csv");
    std::fs::write(&file, format!("to,amount,memo\n{payee},1.00,salary\n")).unwrap();
    let results = dir.join("payroll.csv.results.csv");
    shared_file(&results);
    let out = teller.run(&[
        "batch",
        "post",
        file.to_str().unwrap(),
        "--from",
        &payer,
        "--json",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(std::fs::read_to_string(&results).unwrap().contains("done"));
    assert_eq!(mode(&results), 0o600);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_end_of_day_files_are_private() {
    let teller = Teller::new();
    let reports = folder("eod");
    teller.json(&["drawer", "close", "--count", "100x1000", "--json"]);
    teller.json(&["vault", "count", "--count", FULL_VAULT, "--json"]);
    let mut command = teller.command(&["eod", "--json"]);
    command.env("TELLER_EXPORT_DIR", &reports);
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
    let report = out.json();
    for field in ["report", "pdf"] {
        let path = PathBuf::from(report[field].as_str().unwrap());
        assert!(path.starts_with(&reports), "{report}");
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    std::fs::remove_dir_all(reports).unwrap();
}

/// Sends one job to a real worker and waits for its reply.
fn ask(worker: &WorkerHandle, inbox: &mpsc::Receiver<Action>, id: u64, job: Job) -> ReplyBody {
    assert!(worker.send(Request { id, job }));
    loop {
        let action = inbox
            .recv_timeout(Duration::from_secs(30))
            .expect("the worker answers");
        if let Action::Worker(message) = action {
            if let WorkerMessage::Reply(reply) = *message {
                if reply.id == id {
                    return reply.body;
                }
            }
        }
    }
}

#[test]
fn the_apps_receipts_exports_and_statements_are_private() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "c@example.com", "75.00");
    let (actions, inbox) = mpsc::channel();
    let worker =
        WorkerHandle::spawn(WorkerConfig::new(&db.app_url, test_config()), actions).unwrap();
    let dir = folder("app");

    let receipt = dir.join("receipt.txt");
    shared_file(&receipt);
    let job = Job::WriteReceipt {
        path: receipt.clone(),
        text: "Deposit 75.00\n".into(),
    };
    assert!(matches!(
        ask(&worker, &inbox, 1, job),
        ReplyBody::Receipt(Ok(_))
    ));
    assert_eq!(
        std::fs::read_to_string(&receipt).unwrap(),
        "Deposit 75.00\n"
    );

    let export = dir.join("history.csv");
    let job = Job::ExportHistory {
        actor: operator(),
        account: account.clone(),
        path: export.clone(),
    };
    let reply = ask(&worker, &inbox, 2, job);
    assert!(
        std::fs::read_to_string(&export).unwrap().contains("75.00"),
        "{reply:?}"
    );

    let statement = dir.join("statement.pdf");
    let job = Job::Statement {
        actor: operator(),
        account,
        month: teller::domain::Month::parse(&this_month()).unwrap(),
        path: statement.clone(),
    };
    let reply = ask(&worker, &inbox, 3, job);
    assert!(
        std::fs::read(&statement).unwrap().starts_with(b"%PDF"),
        "{reply:?}"
    );

    for path in [&receipt, &export, &statement] {
        assert_eq!(mode(path), 0o600, "{}", path.display());
    }
    worker.shutdown();
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_log_file_is_private() {
    let dir = folder("log");
    let log = dir.join("teller.log");
    shared_file(&log);
    // This test binary's only logger; no other test here reads TELLER_LOG.
    std::env::set_var("TELLER_LOG", &log);
    let path = teller::tui::logging::init().expect("the log opens");
    assert_eq!(path, log);
    tracing::info!("a line for the log");
    assert_eq!(mode(&log), 0o600);
    assert!(std::fs::read_to_string(&log)
        .unwrap()
        .contains("a line for the log"));
    std::fs::remove_dir_all(dir).unwrap();
}
