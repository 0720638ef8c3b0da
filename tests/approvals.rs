//! Approval requests through the services: bound to the operation's digest, used once,
//! expiring, decided only by another supervisor with their own password.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::connection::SimpleConnection;
use teller::domain::Role;
use teller::services::{
    Actor, Approval, ApprovalOperation, ApprovalRequestView, Decision, RequestStatus,
};

struct Desk {
    db: TestDb,
    bank: teller::services::Bank,
    teller: Actor,
    boss: Actor,
    from: teller::domain::AccountNumber,
    to: teller::domain::AccountNumber,
}

impl Desk {
    /// The teller sends `operation` to the supervisors.
    fn send(&mut self, operation: &ApprovalOperation) -> ApprovalRequestView {
        self.bank
            .desk()
            .request_approval(&self.teller, operation)
            .expect("request sent")
    }
}

fn desk() -> Desk {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = user(&mut bank, "teller@example.com", Role::Teller);
    let boss = user(&mut bank, "boss@example.com", Role::Admin);
    let (_, from) = customer_with_account(&mut bank, "payer@example.com", "40000.00");
    let (_, to) = customer_with_account(&mut bank, "payee@example.com", "0");
    Desk {
        db,
        bank,
        teller,
        boss,
        from,
        to,
    }
}

#[test]
fn an_approval_is_bound_to_its_operation_and_used_once() {
    let mut d = desk();
    let request = transfer_request(&d.from, &d.to, "15000.00");
    let operation = ApprovalOperation::Transfer(request.clone());
    let sent = d.send(&operation);
    assert_eq!(sent.status, RequestStatus::Pending);
    // Not approved yet: the transfer still waits.
    let early = d
        .bank
        .money()
        .transfer(&d.teller, &request, Some(&Approval::Request(sent.id)));
    assert_eq!(code(early), "approval_required");

    // A wrong password decides nothing; nor can the teller approve their own.
    let wrong =
        d.bank
            .desk()
            .decide_approval(&d.boss, sent.id, &secret("not-it"), &Decision::Approve);
    assert_eq!(code(wrong), "approval_refused");
    let own =
        d.bank
            .desk()
            .decide_approval(&d.teller, sent.id, &secret(PASSWORD), &Decision::Approve);
    assert_eq!(code(own), "forbidden");
    let approved = d
        .bank
        .desk()
        .decide_approval(&d.boss, sent.id, &secret(PASSWORD), &Decision::Approve)
        .unwrap();
    assert_eq!(approved.status, RequestStatus::Approved);
    assert_eq!(approved.decided_by.as_deref(), Some("boss@example.com"));

    // Another amount, another key or another teller is another operation.
    let mut more = request.clone();
    more.amount = amount("15000.01");
    let refused = d
        .bank
        .money()
        .transfer(&d.teller, &more, Some(&Approval::Request(sent.id)));
    assert_eq!(code(refused), "approval_refused");
    let other_key = transfer_request(&d.from, &d.to, "15000.00");
    let refused = d
        .bank
        .money()
        .transfer(&d.teller, &other_key, Some(&Approval::Request(sent.id)));
    assert_eq!(code(refused), "approval_refused");
    let stranger = user(&mut d.bank, "other-teller@example.com", Role::Teller);
    let refused = d
        .bank
        .money()
        .transfer(&stranger, &request, Some(&Approval::Request(sent.id)));
    assert_eq!(code(refused), "not_found");

    // The operation itself goes through once, approved by the supervisor.
    let done = d
        .bank
        .money()
        .transfer(&d.teller, &request, Some(&Approval::Request(sent.id)))
        .unwrap();
    assert!(!done.replayed);
    let again = d
        .bank
        .money()
        .transfer(&d.teller, &request, Some(&Approval::Request(sent.id)))
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.id, done.id);
    let view = d.bank.desk().approval_request(&d.teller, sent.id).unwrap();
    assert_eq!(view.status, RequestStatus::Used(done.id));
    assert_eq!(balance(&mut d.bank, &d.to), money("15000.00"));
    assert_audit_ok(&mut d.bank);
}

#[test]
fn an_expired_approval_is_refused_and_moves_nothing() {
    let mut d = desk();
    let request = transfer_request(&d.from, &d.to, "12000.00");
    let operation = ApprovalOperation::Transfer(request.clone());
    let sent = d.send(&operation);
    d.bank
        .desk()
        .decide_approval(&d.boss, sent.id, &secret(PASSWORD), &Decision::Approve)
        .unwrap();
    // Ten minutes pass (on the database's clock).
    d.db.owner_bank()
        .connection()
        .batch_execute(&format!(
            "UPDATE approval_requests SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE id = {}",
            sent.id
        ))
        .unwrap();
    let late = d
        .bank
        .money()
        .transfer(&d.teller, &request, Some(&Approval::Request(sent.id)));
    assert_eq!(code(late), "approval_expired");
    assert_eq!(balance(&mut d.bank, &d.to), money("0"));
    let view = d.bank.desk().approval_request(&d.boss, sent.id).unwrap();
    assert_eq!(view.status, RequestStatus::Expired);
}

#[test]
fn a_withdrawn_request_cannot_be_approved_and_only_staff_send_requests() {
    let mut d = desk();
    let operation = ApprovalOperation::Transfer(transfer_request(&d.from, &d.to, "11000.00"));
    let sent = d.send(&operation);
    d.bank.desk().withdraw_approval(&d.teller, sent.id).unwrap();
    let late =
        d.bank
            .desk()
            .decide_approval(&d.boss, sent.id, &secret(PASSWORD), &Decision::Approve);
    assert_eq!(code(late), "approval_refused");
    assert!(d.bank.desk().pending_approvals(&d.boss).unwrap().is_empty());
    let customer = user(&mut d.bank, "someone@example.com", Role::Customer);
    assert_eq!(
        code(d.bank.desk().request_approval(&customer, &operation)),
        "forbidden"
    );
    assert_eq!(
        code(d.bank.desk().pending_approvals(&d.teller)),
        "forbidden"
    );
    // The audit log holds the request and its end.
    let log = d.bank.ledger().audit_log(&d.boss, 20).unwrap();
    assert!(log.iter().any(|l| l.action == "approval.request"));
    assert!(log.iter().any(|l| l.action == "approval.withdraw"));
}

#[test]
fn approver_guesses_at_a_till_lock_that_pair_not_the_supervisors_own_login() {
    let mut desk = desk();
    let other = user(&mut desk.bank, "other-teller@example.com", Role::Teller);
    let typed = |password: &str| Approval::Typed {
        supervisor: email("boss@example.com"),
        password: secret(password),
    };
    let (from, to) = (desk.from.clone(), desk.to.clone());
    let big = || transfer_request(&from, &to, "15000.00");
    // A teller guesses the supervisor's password at their till until the pair locks.
    for _ in 0..5 {
        let refused =
            desk.bank
                .money()
                .transfer(&desk.teller, &big(), Some(&typed("a-wrong-guess-1")));
        assert_eq!(code(refused), "approval_refused");
    }
    // That teller can no longer have that supervisor's password checked, even the right one.
    let locked = desk
        .bank
        .money()
        .transfer(&desk.teller, &big(), Some(&typed(PASSWORD)));
    assert_eq!(code(locked), "approval_refused");
    assert_eq!(balance(&mut desk.bank, &to), money("0"));
    // The supervisor's own login is not locked by someone else's guesses...
    login(&mut desk.bank, "boss@example.com", PASSWORD).expect("the supervisor logs in");
    // ...and another teller still gets their approval.
    desk.bank
        .money()
        .transfer(&other, &big(), Some(&typed(PASSWORD)))
        .expect("approved for another teller");
    assert_eq!(balance(&mut desk.bank, &to), money("15000.00"));
    // The pair's lock runs out like a login's (15 minutes on the database's clock).
    let mut conn = teller::db::connect(&desk.db.url).expect("owner connection");
    conn.batch_execute(
        "UPDATE approval_failures SET locked_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND",
    )
    .expect("let the lock run out");
    desk.bank
        .money()
        .transfer(&desk.teller, &big(), Some(&typed(PASSWORD)))
        .expect("approved once the pair's lock ran out");
}
