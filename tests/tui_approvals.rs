//! Approvals that travel, key by key: the teller sends an operation above the limit to the
//! supervisors (Ctrl-S in the approval dialog) and waits without being blocked; a supervisor
//! sees the badge and the request on F9, approves it with their own password, and the
//! teller's screen goes on by itself. Esc withdraws a request.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::time::Duration;

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use teller::services::{BankError, RequestStatus};
use teller::tui::app::Route;
use teller::tui::screens::counter::Stage;
use teller::tui::testing::{Driver, FakeBank, ADMIN_PASSWORD};

/// A teller at the counter with a 9,000.00 withdrawal for Diana, at the approval dialog.
fn teller_at_the_approval() -> Driver {
    let mut bank = FakeBank::demo().with_open_drawer();
    bank.accounts[0].balance = Decimal::new(2_000_000, 2);
    // A bank whose limit is 5,000.00: 9,000.00 needs a supervisor but no ID.
    bank.approval_limit = Decimal::new(500_000, 2);
    let mut d = Driver::teller_on(bank);
    d.type_text("julis").pause().press(KeyCode::Enter).settle();
    d.press(KeyCode::Char('w'))
        .settle()
        .type_text("9000")
        .press(KeyCode::Enter)
        .press(KeyCode::Enter);
    assert!(
        matches!(d.app.screens().counter.stage, Stage::Approve(..)),
        "{}",
        d.screen()
    );
    d
}

#[test]
fn the_teller_sends_the_request_and_goes_on_once_it_is_approved() {
    let mut d = teller_at_the_approval();
    assert!(d.screen().contains("Ctrl-S"), "{}", d.screen());
    d.ctrl('s').settle();
    assert!(matches!(d.app.screens().counter.stage, Stage::Waiting(..)));
    let waiting = d.screen();
    assert!(
        waiting.contains("Request sent to the supervisors: #900"),
        "{waiting}"
    );
    assert_snapshot!("counter_waiting_for_a_supervisor", waiting);
    assert_eq!(d.bank.approval_requests.len(), 1);
    assert_eq!(d.bank.approval_requests[0].kind, "withdrawal");

    // Still waiting: looking again changes nothing, and nothing moved.
    d.wait(Duration::from_secs(2)).settle();
    assert!(matches!(d.app.screens().counter.stage, Stage::Waiting(..)));
    assert_eq!(d.bank.accounts[0].balance, Decimal::new(2_000_000, 2));

    // A supervisor approves it elsewhere: the next look sends the withdrawal by itself.
    d.bank.approval_requests[0].status = RequestStatus::Approved;
    d.bank.approval_requests[0].decided_by = Some("admin@bank.local".into());
    d.wait(Duration::from_secs(2)).settle();
    let done = d.screen();
    assert!(
        matches!(d.app.screens().counter.stage, Stage::Done(..)),
        "{done}"
    );
    assert_eq!(d.bank.accounts[0].balance, Decimal::new(1_100_000, 2));
}

#[test]
fn esc_withdraws_the_request_and_a_rejection_says_why() {
    let mut d = teller_at_the_approval();
    d.ctrl('s').settle();
    d.press(KeyCode::Esc).settle();
    assert!(matches!(d.app.screens().counter.stage, Stage::Form));
    assert_eq!(d.bank.approval_requests[0].status, RequestStatus::Withdrawn);

    let mut d = teller_at_the_approval();
    d.ctrl('s').settle();
    d.bank.approval_requests[0].status = RequestStatus::Rejected {
        reason: Some("call the customer first".into()),
    };
    d.wait(Duration::from_secs(2)).settle();
    assert!(matches!(d.app.screens().counter.stage, Stage::Approve(..)));
    assert!(
        d.screen().contains("call the customer first"),
        "{}",
        d.screen()
    );
}

#[test]
fn a_supervisor_sees_the_badge_and_approves_on_f9_with_their_own_password() {
    // A teller's request waits in the bank.
    let mut teller = teller_at_the_approval();
    teller.ctrl('s').settle();
    let mut bank = FakeBank::demo();
    bank.approval_requests = teller.bank.approval_requests.clone();

    let mut d = Driver::supervisor_on(bank);
    d.wait(Duration::from_secs(4)).settle();
    assert!(
        d.screen().contains("1 approval waiting (F9)"),
        "{}",
        d.screen()
    );
    d.press(KeyCode::F(9)).settle();
    assert_eq!(d.app.route(), Route::Approvals);
    let list = d.screen();
    assert!(list.contains("withdrawal"), "{list}");
    assert!(list.contains("9,000.00"), "{list}");
    assert_snapshot!("approvals_list", list);

    // A wrong password decides nothing.
    d.bank.refuse_next("decide_approval", || {
        BankError::ApprovalRefused("your password is incorrect")
    });
    d.press(KeyCode::Char('a'))
        .type_text("not-it")
        .press(KeyCode::Enter)
        .settle();
    assert!(
        d.screen().contains("password is incorrect"),
        "{}",
        d.screen()
    );
    assert_eq!(d.bank.approval_requests[0].status, RequestStatus::Pending);
    d.type_text(ADMIN_PASSWORD).press(KeyCode::Enter).settle();
    assert_eq!(d.bank.approval_requests[0].status, RequestStatus::Approved);
    assert_eq!(d.bank.decision_passwords, ["not-it", ADMIN_PASSWORD]);
    let after = d.screen();
    assert!(after.contains("Approved request 900."), "{after}");
    assert!(after.contains("No request is waiting"), "{after}");
}

#[test]
fn a_supervisor_rejects_with_a_reason() {
    let mut teller = teller_at_the_approval();
    teller.ctrl('s').settle();
    let mut bank = FakeBank::demo();
    bank.approval_requests = teller.bank.approval_requests.clone();
    let mut d = Driver::supervisor_on(bank);
    d.press(KeyCode::F(9)).settle();
    d.press(KeyCode::Char('x'))
        .type_text(ADMIN_PASSWORD)
        .press(KeyCode::Tab)
        .type_text("no")
        .press(KeyCode::Enter)
        .settle();
    // Too short a reason is refused before anything is sent.
    assert_eq!(d.bank.approval_requests[0].status, RequestStatus::Pending);
    d.type_text(" ID on file").press(KeyCode::Enter).settle();
    assert!(matches!(
        d.bank.approval_requests[0].status,
        RequestStatus::Rejected { .. }
    ));
}

#[test]
fn the_palette_opens_the_approvals_for_supervisors_only() {
    let mut d = Driver::supervisor_on(FakeBank::demo());
    d.ctrl('p')
        .type_text("approvals")
        .press(KeyCode::Enter)
        .settle();
    assert_eq!(d.app.route(), Route::Approvals);
    assert!(
        d.screen().contains("No request is waiting"),
        "{}",
        d.screen()
    );

    let mut teller = Driver::teller_on(FakeBank::demo());
    teller.press(KeyCode::F(9)).settle();
    assert_ne!(teller.app.route(), Route::Approvals);
}
