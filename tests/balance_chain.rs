//! Balances that cannot drift silently (issue 22): every posting checks that an account's
//! balance before it is the balance after the account's last movement, so a lost or doubled
//! update of a cached balance is refused by the next movement on that account (a single one, a
//! batch, a bulk opening), and the audit names the account.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::RunQueryDsl;
use teller::domain::AccountNumber;
use teller::services::{BatchTransfer, TransferRequest};

/// What a lost update leaves: the cached balance moved with no journal row behind it.
fn drift(bank: &mut teller::services::Bank, account: &AccountNumber, by: &str) {
    diesel::sql_query(format!(
        "UPDATE accounts SET balance = balance + {by} WHERE number = '{account}'"
    ))
    .execute(bank.connection())
    .expect("the app account may update a balance");
}

fn journal_rows(bank: &mut teller::services::Bank) -> i64 {
    teller::db::movements::count(bank.connection()).unwrap()
}

#[test]
fn the_next_movement_on_a_drifted_account_is_refused_and_others_go_on() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, a) = customer_with_account(&mut bank, "alice@example.com", "100.00");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "0");
    let (_, c) = customer_with_account(&mut bank, "carol@example.com", "50.00");
    drift(&mut bank, &a, "7.00");
    let rows = journal_rows(&mut bank);

    let paid = bank
        .money()
        .transfer(&alice, &transfer_request(&a, &b, "10.00"), None);
    assert_eq!(code(paid), "ledger_broken");
    let deposited = bank.money().deposit(&operator(), &cash(&a, "5.00"), None);
    let error = deposited.expect_err("the drifted account takes no deposit");
    assert_eq!(error.code(), "ledger_broken");
    assert!(error.to_string().contains(a.as_str()), "{error}");
    // Nothing was written, and the other side of a refused transfer is untouched.
    assert_eq!(journal_rows(&mut bank), rows);
    assert_eq!(balance(&mut bank, &b), money("0"));

    // Accounts whose journal agrees go on.
    bank.money()
        .transfer(&operator(), &transfer_request(&c, &b, "20.00"), None)
        .expect("a transfer between sound accounts");
    assert_eq!(balance(&mut bank, &b), money("20.00"));

    // The refusal is in the audit log, and the audit names the account.
    let log = bank.ledger().audit_log(&operator(), 20).expect("log");
    assert!(
        log.iter().any(|e| e.outcome.contains("ledger_broken")),
        "{log:?}"
    );
    let report = audit(&mut bank);
    let chain = report
        .checks
        .iter()
        .find(|c| c.name == "balance_chains_unbroken")
        .expect("the check");
    assert!(!chain.ok);
    assert!(chain.detail.contains(a.as_str()), "{}", chain.detail);
}

#[test]
fn a_batch_touching_a_drifted_account_is_refused_whole() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, payer) = customer_with_account(&mut bank, "payer@example.com", "100.00");
    let (_, sound) = customer_with_account(&mut bank, "sound@example.com", "0");
    let (_, drifted) = customer_with_account(&mut bank, "drifted@example.com", "1.00");
    drift(&mut bank, &drifted, "-0.50");
    let rows = journal_rows(&mut bank);
    let pay = |to: &AccountNumber| BatchTransfer {
        from: payer.clone(),
        to: to.clone(),
        amount: amount("5.00"),
        key: key(),
        memo: None,
        linked: false,
    };
    let operator = operator();
    let mut approval = bank
        .batches()
        .approve_batch(&operator, "tests", money("1000"), None)
        .expect("no approval needed");
    let result = bank
        .batches()
        .post_batch(&operator, &[pay(&sound), pay(&drifted)], &mut approval);
    let error = result.expect_err("the batch is refused");
    assert_eq!(error.code(), "ledger_broken");
    assert!(error.to_string().contains(drifted.as_str()), "{error}");
    assert_eq!(journal_rows(&mut bank), rows);

    // Without the drifted account the same kind of batch posts, and its accounts' chains hold
    // for the single movements after it.
    let outcomes = bank
        .batches()
        .post_batch(&operator, &[pay(&sound), pay(&sound)], &mut approval)
        .expect("a sound batch");
    assert!(outcomes.iter().all(|o| o.error().is_none()));
    bank.money()
        .transfer(
            &operator,
            &TransferRequest {
                from: sound.clone(),
                to: payer.clone(),
                amount: amount("3.00"),
                key: key(),
                memo: None,
            },
            None,
        )
        .expect("a transfer after the batch");
    assert_eq!(balance(&mut bank, &sound), money("7.00"));
    // Only the drifted account's own books disagree.
    let report = audit(&mut bank);
    assert_eq!(
        failed_checks(&report),
        [
            "cached_balances_match_journal",
            "balance_chains_unbroken",
            "balances_sum_to_zero"
        ]
    );
    let chain = &report.checks[2];
    assert_eq!(chain.name, "balance_chains_unbroken");
    assert!(chain.detail.contains(drifted.as_str()), "{}", chain.detail);
    assert!(!chain.detail.contains(sound.as_str()), "{}", chain.detail);
}

#[test]
fn accounts_opened_in_bulk_carry_their_chain() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = user(&mut bank, "tess@bank.local", teller::domain::Role::Teller);
    ensure_vault(&mut bank);
    let (_, first) = customer_with_account(&mut bank, "owner@example.com", "0");
    // Cash only through a counted drawer, as at the counter.
    let closed = bank.batches().open_funded_accounts(
        &teller,
        &email("owner@example.com"),
        teller::domain::Currency::USD,
        3,
        amount("10.00"),
    );
    assert_eq!(code(closed), "drawer_closed");
    open_drawer(&mut bank, &teller, "100x20").expect("drawer");
    let opened = bank
        .batches()
        .open_funded_accounts(
            &teller,
            &email("owner@example.com"),
            teller::domain::Currency::USD,
            3,
            amount("10.00"),
        )
        .expect("bulk opening");
    let some = opened.first().expect("an account").clone();
    bank.money()
        .transfer(&operator(), &transfer_request(&some, &first, "4.00"), None)
        .expect("a transfer from a bulk-opened account");
    bank.money()
        .deposit(&teller, &cash(&some, "1.00"), None)
        .expect("a deposit through the drawer that paid the openings");
    assert_eq!(balance(&mut bank, &some), money("7.00"));
    // The openings belong to the teller's drawer session, as deposits at the counter do.
    assert_audit_ok(&mut bank);
}

#[test]
fn a_posting_in_a_transaction_that_read_earlier_checks_the_newest_chain() {
    use diesel::connection::SimpleConnection;
    use teller::db::posting::{self, NewPosting};
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "100.00");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "0");
    let (id_a, id_b) = (i64::from(a.serial()), i64::from(b.serial()));
    // A transaction reads first (its snapshot starts there), as the vault's and the
    // exchange's do before they lock the bank's shared accounts.
    let mut late = teller::db::connect(&db.app_url).expect("connect");
    late.batch_execute("START TRANSACTION").expect("begin");
    teller::db::movements::count(&mut late).expect("a plain read");
    // Meanwhile a movement on both accounts commits.
    bank.money()
        .transfer(&operator(), &transfer_request(&a, &b, "10.00"), None)
        .expect("a transfer");
    // The late transaction locks both rows, which name that movement, and posts.
    teller::db::accounts::lock(&mut late, &[id_a, id_b]).expect("lock");
    posting::post(
        &mut late,
        &NewPosting {
            idempotency_key: "late-0001",
            kind: "transfer",
            debit_account_id: id_a,
            credit_account_id: id_b,
            amount: money("5.00"),
            currency: "USD",
            memo: None,
            reverses_id: None,
            actor: "setup:tests",
            approved_by: None,
            created_at: chrono::Utc::now().naive_utc(),
            drawer_session_id: None,
            device: "local",
            subject: a.as_str(),
            detail_before_id: "5.00 USD, key late-0001, reference ",
        },
    )
    .expect("the chain is read as it stands, not as the snapshot saw it");
    let posted = posting::posted(&mut late).expect("posted");
    assert_eq!(posted.debit_after, money("85.00"));
    late.batch_execute("COMMIT").expect("commit");
    assert_eq!(balance(&mut bank, &b), money("15.00"));
    let report = audit(&mut bank);
    let failed = failed_checks(&report);
    for check in ["cached_balances_match_journal", "balance_chains_unbroken"] {
        assert!(!failed.contains(&check), "{failed:?}");
    }
}
