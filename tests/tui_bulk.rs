//! The card's bulk payment, key by key on the fake bank: the file checked on the worker and
//! previewed (lines, invalid lines and why, total, the payer's balance before and after), the
//! supervisor's approval above the limit, a live progress bar while posting, and the result with
//! where the results file went.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use std::sync::Arc;
use teller::services::BankError;
use teller::tui::app::Route;
use teller::tui::screens::card::{BulkStage, Dialog};

use teller::tui::app::App;
use teller::tui::testing::{config, number, Driver, FakeBank, ADMIN_EMAIL, ADMIN_PASSWORD};
use teller::tui::worker::{Job, WorkerMessage};

/// Writes a payment file into the fixture's export folder (where the dialog starts).
fn payment_file(name: &str, lines: &[(&str, &str)]) -> String {
    let dir = std::path::Path::new("/tmp/teller-exports");
    std::fs::create_dir_all(dir).unwrap();
    // One name per test: the snapshots show it.
    let unique = format!("bulk-test-{name}.csv");
    let mut text = String::from("to,amount,memo\n");
    for (to, amount) in lines {
        text.push_str(&format!("{to},{amount},salary\n"));
    }
    std::fs::write(dir.join(&unique), text).unwrap();
    unique
}

/// The teller on Diana's card with the bulk payment dialog open on `file`.
fn previewing(file: &str) -> Driver {
    let mut d = Driver::teller();
    d.type_text("julis").pause().press(KeyCode::Enter).settle();
    assert_eq!(d.app.route(), Route::Card);
    d.press(KeyCode::Char('b'));
    d.type_text(file).press(KeyCode::Enter);
    assert!(d
        .app
        .queued_requests()
        .iter()
        .any(|r| matches!(r.job, Job::BulkPreview { .. })));
    d.settle();
    d
}

fn stage(d: &Driver) -> BulkStage {
    match &d.app.screens().card.dialog {
        Some(Dialog::Bulk(bulk)) => bulk.stage.clone(),
        other => panic!("no bulk dialog: {other:?}"),
    }
}

#[test]
fn preview_then_post_with_a_live_progress_bar() {
    let marco = number(200_000_042);
    let file = payment_file(
        "payroll",
        &[
            (&marco, "100.00"),
            (&marco, "50.25"),
            (&marco, "1.005"),
            ("12345", "1"),
        ],
    );
    let mut d = previewing(&file);
    assert!(matches!(stage(&d), BulkStage::Preview(_)));
    assert_snapshot!("bulk_preview", d.screen());

    // Enter posts; the worker reports progress while it works.
    d.press(KeyCode::Enter).hold();
    let post = d
        .held
        .iter()
        .find(|r| matches!(r.job, Job::BulkPost { .. }))
        .unwrap()
        .id;
    d.worker(WorkerMessage::Progress {
        id: post,
        done: 1,
        total: 2,
    });
    assert!(matches!(
        stage(&d),
        BulkStage::Posting {
            done: 1,
            total: 2,
            ..
        }
    ));
    assert_snapshot!("bulk_posting", d.screen());
    d.settle();
    assert!(matches!(stage(&d), BulkStage::Done(_)));
    assert_snapshot!("bulk_done", d.screen());
    d.press(KeyCode::Enter);
    assert!(d.app.screens().card.dialog.is_none());
}

#[test]
fn a_total_above_the_limit_asks_a_supervisor_once() {
    let marco = number(200_000_042);
    let file = payment_file("bonus", &[(&marco, "6000.00"), (&marco, "6000.00")]);
    let mut d = previewing(&file);
    let BulkStage::Preview(preview) = stage(&d) else {
        panic!("no preview")
    };
    assert!(preview.needs_approval);
    assert!(d.screen().contains("Supervisor approval"));
    // Nothing is sent until the supervisor's fields are filled.
    d.press(KeyCode::Enter);
    assert!(d.app.queued_requests().is_empty());
    d.bank.refuse_next("bulk_post", || {
        BankError::ApprovalRefused("the supervisor's email or password is incorrect")
    });
    d.type_text(ADMIN_EMAIL)
        .press(KeyCode::Tab)
        .type_text("wrong")
        .press(KeyCode::Enter)
        .settle();
    assert!(d.screen().contains("incorrect"), "{}", d.screen());
    d.type_text(ADMIN_PASSWORD).press(KeyCode::Enter).settle();
    assert!(matches!(stage(&d), BulkStage::Done(_)));
    let sent = d.bank.approvals_sent();
    let admin = ADMIN_EMAIL.to_string();
    assert_eq!(
        sent,
        [
            (admin.clone(), "wrong".to_string()),
            (admin, ADMIN_PASSWORD.to_string())
        ]
    );
}

#[test]
fn a_file_that_cannot_be_read_says_why_and_keeps_the_path() {
    let mut d = previewing("no-such-file.csv");
    assert!(matches!(stage(&d), BulkStage::Path));
    let screen = d.screen();
    assert!(screen.contains("could not be read"), "{screen}");
    let Some(Dialog::Bulk(bulk)) = &d.app.screens().card.dialog else {
        panic!("closed")
    };
    assert!(bulk.path.value().ends_with("no-such-file.csv"));
    // Esc closes the dialog; the card stays.
    d.press(KeyCode::Esc);
    assert!(d.app.screens().card.dialog.is_none());
}

#[test]
fn tab_picks_the_csv_files_of_the_export_folder() {
    // A folder of this test's own, so other tests' files do not come between.
    let dir = std::env::temp_dir().join(format!("teller-bulk-pick-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["a.csv", "b.CSV", "a.csv.results.csv", "notes.txt"] {
        std::fs::write(dir.join(name), "to,amount\n").unwrap();
    }
    let mut d = Driver::new();
    let mut settings = config();
    settings.export_dir = dir.clone();
    d.app = App::new(settings, Arc::new(d.clock.clone()));
    d.bank = FakeBank::demo().with_open_drawer();
    d.login_teller();
    d.type_text("julis").pause().press(KeyCode::Enter).settle();
    d.press(KeyCode::Char('b'));
    let path = |d: &Driver| match &d.app.screens().card.dialog {
        Some(Dialog::Bulk(bulk)) => bulk.path.value().to_string(),
        _ => panic!("closed"),
    };
    // The folder is listed by the worker, never on the UI thread.
    let before = path(&d);
    d.press(KeyCode::Tab);
    assert_eq!(path(&d), before, "nothing picked before the worker answers");
    d.settle();
    let mut picked = vec![path(&d)];
    for _ in 0..2 {
        d.press(KeyCode::Tab).settle();
        picked.push(path(&d));
    }
    let a = dir.join("a.csv").display().to_string();
    let b = dir.join("b.CSV").display().to_string();
    assert_eq!(picked, [a.clone(), b.clone(), a.clone()]);
    d.press(KeyCode::BackTab).settle();
    assert_eq!(path(&d), b);
    // What is typed while the answer is on its way wins over it.
    d.press(KeyCode::Tab).type_text("x").settle();
    assert_eq!(path(&d), format!("{b}x"));
    // A folder without payment files says so.
    for name in ["a.csv", "b.CSV"] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    d.press(KeyCode::Tab).settle();
    assert!(
        d.screen().contains("holds no payment file"),
        "{}",
        d.screen()
    );
    std::fs::remove_dir_all(dir).unwrap();
}
