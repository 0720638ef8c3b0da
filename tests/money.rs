//! Service tests of the money rules: deposits, withdrawals, transfers, idempotency, history.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::RunQueryDsl;
use teller::domain::{AccountNumber, Currency, Memo, Role};
use teller::services::{AccountStatus, BankError, MovementKind, Party, TransferRequest};

fn transfer(from: &AccountNumber, to: &AccountNumber, raw: &str) -> TransferRequest {
    transfer_request(from, to, raw)
}

/// A valid account number (check digit right) that no account has.
fn unknown_account() -> AccountNumber {
    AccountNumber::from_serial(123_456_789).expect("serial in range")
}

#[test]
fn deposit_credits_the_customer_and_debits_the_handlers_drawer() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "a@example.com", "0");
    let result = bank
        .money()
        .deposit(&operator(), &cash(&account, "1,234.50"), None)
        .expect("deposit");
    assert_eq!(result.kind, MovementKind::Deposit);
    assert_eq!(result.from, Party::Cash);
    assert_eq!(result.to, Party::Account(account.clone()));
    assert_eq!(result.balances, vec![(account.clone(), money("1234.50"))]);
    assert!(!result.replayed);
    assert_eq!(balance(&mut bank, &account), money("1234.50"));
    assert_audit_ok(&mut bank);
}

#[test]
fn withdrawal_may_empty_an_account_but_never_overdraw_it() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "a@example.com", "100.00");
    let err = bank
        .money()
        .withdraw(&operator(), &cash(&account, "100.01"), None)
        .unwrap_err();
    assert_eq!(err.code(), "insufficient_funds");
    assert_eq!(balance(&mut bank, &account), money("100.00"));
    let done = bank
        .money()
        .withdraw(&operator(), &cash(&account, "100"), None)
        .expect("withdraw all");
    assert_eq!(done.to, Party::Cash);
    assert_eq!(balance(&mut bank, &account), money("0.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn transfer_moves_exact_amounts_between_two_customers() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "10.10");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "0.20");
    let result = bank
        .money()
        .transfer(&alice, &transfer(&a, &b, "0.10"), None)
        .expect("transfer");
    // A customer is told their own new balance, never the recipient's.
    assert_eq!(result.balances, [(a.clone(), money("10.00"))]);
    assert_eq!(balance(&mut bank, &a), money("10.00"));
    assert_eq!(balance(&mut bank, &b), money("0.30"));
    assert_audit_ok(&mut bank);
}

#[test]
fn transfer_refusals_name_the_rule_and_move_nothing() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "50.00");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "50.00");
    let euro = open_account(&mut bank, "b@example.com", Currency::EUR);
    let op = operator();

    let cases: Vec<(&str, TransferRequest)> = vec![
        ("same_account", transfer(&a, &a, "1")),
        ("not_found", transfer(&a, &unknown_account(), "1")),
        ("not_found", transfer(&unknown_account(), &a, "1")),
        ("currency_mismatch", transfer(&a, &euro, "1")),
        ("insufficient_funds", transfer(&a, &b, "50.01")),
    ];
    for (code, request) in cases {
        let err = bank.money().transfer(&op, &request, None).unwrap_err();
        assert_eq!(err.code(), code, "{request:?} gave {err}");
        assert!(err.is_refusal());
    }
    assert_eq!(balance(&mut bank, &a), money("50.00"));
    assert_eq!(balance(&mut bank, &b), money("50.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn frozen_and_closed_accounts_take_and_give_nothing() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "50.00");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "0");
    let op = operator();

    bank.money()
        .set_account_status(&op, &b, AccountStatus::Frozen, None)
        .expect("freeze");
    assert_eq!(
        bank.money()
            .transfer(&op, &transfer(&a, &b, "1"), None)
            .unwrap_err()
            .code(),
        "account_frozen"
    );
    assert_eq!(
        bank.money()
            .transfer(&op, &transfer(&b, &a, "1"), None)
            .unwrap_err()
            .code(),
        "account_frozen"
    );
    assert_eq!(
        bank.money()
            .deposit(&op, &cash(&b, "1"), None)
            .unwrap_err()
            .code(),
        "account_frozen"
    );
    assert_eq!(
        bank.money()
            .withdraw(&op, &cash(&b, "1"), None)
            .unwrap_err()
            .code(),
        "account_frozen"
    );
    bank.money()
        .set_account_status(&op, &b, AccountStatus::Open, None)
        .expect("unfreeze");
    bank.money()
        .transfer(&op, &transfer(&a, &b, "1"), None)
        .expect("transfer after unfreeze");

    // Only an empty account closes, and a closed one stays closed.
    let err = bank
        .money()
        .set_account_status(&op, &b, AccountStatus::Closed, None)
        .unwrap_err();
    assert_eq!(err.code(), "balance_not_zero");
    bank.money()
        .withdraw(&op, &cash(&b, "1"), None)
        .expect("empty it");
    bank.money()
        .set_account_status(&op, &b, AccountStatus::Closed, None)
        .expect("close");
    assert_eq!(
        bank.money()
            .transfer(&op, &transfer(&a, &b, "1"), None)
            .unwrap_err()
            .code(),
        "account_closed"
    );
    assert_eq!(
        bank.money()
            .deposit(&op, &cash(&b, "1"), None)
            .unwrap_err()
            .code(),
        "account_closed"
    );
    let err = bank
        .money()
        .set_account_status(&op, &b, AccountStatus::Open, None)
        .unwrap_err();
    assert_eq!(err.code(), "account_closed");
    assert_audit_ok(&mut bank);
}

#[test]
fn the_same_key_and_request_is_applied_once() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "100.00");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "0");
    let mut request = transfer(&a, &b, "30.00");
    request.memo = Memo::parse_optional("rent").expect("memo");
    let first = bank
        .money()
        .transfer(&alice, &request, None)
        .expect("first");
    let second = bank
        .money()
        .transfer(&alice, &request, None)
        .expect("replay");
    assert!(second.replayed);
    assert_eq!(second.id, first.id);
    assert_eq!(second.balances, first.balances);
    assert_eq!(balance(&mut bank, &a), money("70.00"));
    // Replayed even after the account was frozen: the original result, nothing moves.
    bank.money()
        .set_account_status(&operator(), &a, AccountStatus::Frozen, None)
        .expect("freeze");
    let third = bank
        .money()
        .transfer(&alice, &request, None)
        .expect("replay while frozen");
    assert!(third.replayed);
    assert_eq!(balance(&mut bank, &b), money("30.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn the_same_key_with_another_request_is_a_conflict() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "100.00");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "0");
    let (_, c) = customer_with_account(&mut bank, "carol@example.com", "0");
    let original = transfer(&a, &b, "10.00");
    bank.money()
        .transfer(&alice, &original, None)
        .expect("original");

    let mut other_amount = original.clone();
    other_amount.amount = amount("10.01");
    let mut other_target = original.clone();
    other_target.to = c.clone();
    let mut other_memo = original.clone();
    other_memo.memo = Memo::parse_optional("gift").expect("memo");
    for request in [other_amount, other_target, other_memo] {
        let err = bank.money().transfer(&alice, &request, None).unwrap_err();
        assert_eq!(err.code(), "idempotency_conflict", "{request:?}");
    }
    // Another kind of operation under the same key conflicts too.
    let deposit = teller::services::CashRequest {
        key: original.key.clone(),
        ..cash(&a, "10.00")
    };
    assert_eq!(
        bank.money()
            .deposit(&operator(), &deposit, None)
            .unwrap_err()
            .code(),
        "idempotency_conflict"
    );
    assert_eq!(balance(&mut bank, &a), money("90.00"));
    assert_eq!(balance(&mut bank, &c), money("0.00"));
}

#[test]
fn a_refused_operation_does_not_use_up_its_key() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "5.00");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "0");
    let request = transfer(&a, &b, "20.00");
    assert_eq!(
        bank.money()
            .transfer(&alice, &request, None)
            .unwrap_err()
            .code(),
        "insufficient_funds"
    );
    deposit(&mut bank, &a, "15.00");
    let done = bank
        .money()
        .transfer(&alice, &request, None)
        .expect("same key, now funded");
    assert!(!done.replayed);
    assert_eq!(balance(&mut bank, &b), money("20.00"));
}

#[test]
fn a_replay_never_shows_someone_elses_movement() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "100.00");
    let (mallory, _) = customer_with_account(&mut bank, "mallory@example.com", "0");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "0");
    let request = transfer(&a, &b, "10.00");
    bank.money()
        .transfer(&alice, &request, None)
        .expect("alice pays bob");
    let err = bank.money().transfer(&mallory, &request, None).unwrap_err();
    // Alice's account is no account at all to Mallory.
    assert_eq!(err.code(), "not_found");
}

#[test]
fn customers_cannot_handle_cash() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "100.00");
    assert_eq!(
        bank.money()
            .deposit(&alice, &cash(&a, "1"), None)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        bank.money()
            .withdraw(&alice, &cash(&a, "1"), None)
            .unwrap_err()
            .code(),
        "forbidden"
    );
}

#[test]
fn each_teller_posts_cash_against_a_drawer_of_their_own() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "alice@example.com", "0");
    let tess = user(&mut bank, "tess@bank.local", Role::Teller);
    let tom = user(&mut bank, "tom@bank.local", Role::Teller);
    // No cash without an open drawer.
    assert_eq!(
        bank.money()
            .deposit(&tess, &cash(&a, "10.00"), None)
            .unwrap_err()
            .code(),
        "drawer_closed"
    );
    for teller in [&tess, &tom] {
        open_drawer(&mut bank, teller, "0").expect("open drawer");
    }
    bank.money()
        .deposit(&tess, &cash(&a, "10.00"), None)
        .expect("tess");
    bank.money()
        .deposit(&tom, &cash(&a, "5.00"), None)
        .expect("tom");
    let drawers: Vec<(String, rust_decimal::Decimal)> = {
        use diesel::prelude::*;
        use teller::db::schema::accounts;
        accounts::table
            .filter(accounts::kind.eq("drawer"))
            .order(accounts::label)
            .select((accounts::label.assume_not_null(), accounts::balance))
            .load(bank.connection())
            .expect("drawers")
    };
    assert_eq!(drawers.len(), 2, "{drawers:?}");
    assert!(drawers.iter().any(|(_, b)| *b == money("-10.00")));
    assert!(drawers.iter().any(|(_, b)| *b == money("-5.00")));
    assert_eq!(balance(&mut bank, &a), money("15.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn history_pages_newest_first_with_signed_amounts() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "0");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "0");
    for cents in 1..=12 {
        deposit(&mut bank, &a, &format!("{cents}.00"));
    }
    bank.money()
        .transfer(&alice, &transfer(&a, &b, "7.50"), None)
        .expect("transfer");
    bank.money()
        .withdraw(&operator(), &cash(&a, "0.50"), None)
        .expect("withdraw");

    let first = bank.money().history(&alice, &a, None, 10).expect("page 1");
    let second = bank
        .money()
        .history(&alice, &a, first.last().map(|e| e.id), 10)
        .expect("page 2");
    assert_eq!(first.len(), 10);
    assert_eq!(second.len(), 4);
    let all: Vec<_> = first.iter().chain(&second).collect();
    assert!(
        all.windows(2).all(|w| w[0].id > w[1].id),
        "newest first, no overlap"
    );
    assert_eq!(all[0].kind, MovementKind::Withdrawal);
    assert_eq!(all[0].amount, money("-0.50"));
    assert_eq!(all[0].counterparty, Party::Cash);
    assert_eq!(all[1].kind, MovementKind::Transfer);
    assert_eq!(all[1].amount, money("-7.50"));
    assert_eq!(all[1].counterparty, Party::Account(b.clone()));
    assert_eq!(all[0].balance_after, money("70.00"));
    // Each line's balance follows from the one before it.
    for pair in all.windows(2) {
        assert_eq!(
            pair[1].balance_after + pair[0].amount,
            pair[0].balance_after
        );
    }
    assert_eq!(
        bank.money()
            .history(&operator(), &b, None, 10)
            .expect("bob's")[0]
            .amount,
        money("7.50")
    );
    assert_eq!(
        bank.money()
            .history(&alice, &b, None, 10)
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn the_journal_and_audit_log_refuse_to_be_rewritten() {
    let db = TestDb::new();
    // Even the owner account, which has every right, meets the triggers (the app account is
    // denied before it gets there: tests/least_privilege.rs).
    let mut bank = db.owner_bank();
    let (_, a) = customer_with_account(&mut bank, "alice@example.com", "10.00");
    for statement in [
        "UPDATE movements SET amount = 1",
        "DELETE FROM movements",
        "UPDATE audit_log SET outcome = 'ok'",
        "DELETE FROM audit_log",
    ] {
        let result = diesel::sql_query(statement).execute(bank.connection());
        let message = result.expect_err(statement).to_string();
        assert!(message.contains("append-only"), "{statement}: {message}");
    }
    assert_eq!(balance(&mut bank, &a), money("10.00"));
}

#[test]
fn the_audit_catches_a_tampered_balance() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "alice@example.com", "10.00");
    assert_audit_ok(&mut bank);
    diesel::sql_query(format!(
        "UPDATE accounts SET balance = balance + 1 WHERE number = '{a}'"
    ))
    .execute(bank.connection())
    .expect("tamper");
    let report = bank.ledger().audit(&operator()).expect("audit");
    assert!(!report.ok);
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.name)
        .collect();
    assert_eq!(
        failed,
        [
            "cached_balances_match_journal",
            "balance_chains_unbroken",
            "balances_sum_to_zero"
        ]
    );
    let mismatch = &report.checks[1];
    assert!(mismatch.detail.contains(a.as_str()), "{}", mismatch.detail);
}

#[test]
fn refusals_are_written_to_the_audit_log() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "1.00");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "0");
    let _ = bank
        .money()
        .transfer(&alice, &transfer(&a, &b, "2.00"), None);
    let log = bank.ledger().audit_log(&operator(), 10).expect("log");
    let refusal = log
        .iter()
        .find(|e| e.action == "transfer")
        .expect("a transfer entry");
    assert_eq!(refusal.outcome, "insufficient_funds");
    assert_eq!(refusal.actor, "alice@example.com");
    assert_eq!(refusal.subject.as_deref(), Some(a.as_str()));
}

#[test]
fn errors_are_plain_words() {
    let err = BankError::InsufficientFunds {
        account: "1".into(),
        balance: rust_decimal::Decimal::new(1, 0),
        needed: rust_decimal::Decimal::new(25_000, 1),
    };
    assert_eq!(
        err.to_string(),
        "Not enough money in account 1: the balance is 1.00, the operation needs 2500.00."
    );
}
