//! Service tests of the teller's workstation: cash drawer sessions, four-eyes approvals,
//! reversals and customer search.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::RunQueryDsl;
use teller::domain::{Email, Reason, Role, Secret};
use teller::services::{
    AccountStatus, Actor, Approval, Bank, BankConfig, MovementKind, TransferRequest,
};

fn approval_by(address: &str) -> Approval {
    Approval::Typed {
        supervisor: email(address),
        password: Secret::new(PASSWORD.into()),
    }
}

fn reason(text: &str) -> Reason {
    Reason::parse(text).expect("reason")
}

/// A bank with a teller whose drawer is open (float 500.00), a supervisor, and a customer.
struct Branch {
    bank: Bank,
    teller: Actor,
    account: teller::domain::AccountNumber,
}

fn branch(db: &TestDb) -> Branch {
    let mut bank = db.bank();
    let teller = user(&mut bank, "tess@bank.local", Role::Teller);
    user(&mut bank, "sue@bank.local", Role::Admin);
    let (_, account) = customer_with_account(&mut bank, "carl@example.com", "20000.00");
    open_drawer(&mut bank, &teller, "100x4 20x5").expect("open drawer");
    Branch {
        bank,
        teller,
        account,
    }
}

#[test]
fn a_drawer_opens_once_and_tracks_cash_in_and_out() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        teller,
        account,
    } = branch(&db);
    let again = open_drawer(&mut bank, &teller, "100x1").unwrap_err();
    assert_eq!(again.code(), "drawer_already_open");
    bank.money()
        .deposit(&teller, &cash_with_id(&account, "250.00"), None)
        .expect("deposit");
    bank.money()
        .withdraw(&teller, &cash_with_id(&account, "70.25"), None)
        .expect("withdraw");
    let drawer = bank.desk().drawer(&teller).expect("drawer").expect("open");
    assert_eq!(drawer.opening_float, money("500.00"));
    assert_eq!(drawer.opening_count, "100x4 20x5");
    // The close is blind in the services: while open, its teller is told no cash flows.
    assert_eq!(
        (drawer.cash_in, drawer.cash_out, drawer.expected),
        (None, None, None)
    );
    assert!(drawer.closed_at.is_none());
    let closed = close(&mut bank, &teller, "100x6 50x1 20x1 5x1 1x4 0.25x3").expect("close");
    assert_eq!(closed.cash_in, Some(money("250.00")));
    assert_eq!(closed.cash_out, Some(money("70.25")));
    assert_eq!(closed.expected, Some(money("679.75")));
    assert_eq!(closed.over_short, Some(money("0.00")));
    assert_audit_ok(&mut bank);
}

/// Closes the teller's open session with `raw` counted.
fn close(
    bank: &mut teller::services::Bank,
    teller: &Actor,
    raw: &str,
) -> Result<teller::services::DrawerView, teller::services::BankError> {
    let session = bank
        .desk()
        .drawer(teller)?
        .map_or(0, |open| open.session_id);
    bank.desk().close_drawer(teller, session, &cash_count(raw))
}

#[test]
fn a_count_never_closes_another_session_than_the_one_it_names() {
    let db = TestDb::new();
    let Branch {
        mut bank, teller, ..
    } = branch(&db);
    let first = bank.desk().drawer(&teller).expect("drawer").expect("open");
    close(&mut bank, &teller, "100x4 20x5").expect("close the first");
    open_drawer(&mut bank, &teller, "50x2").expect("open a second");
    // A count typed for the first session does not close the second.
    let refused = bank
        .desk()
        .close_drawer(&teller, first.session_id, &cash_count("50x2"))
        .unwrap_err();
    assert_eq!(refused.code(), "not_found");
    assert!(bank.desk().drawer(&teller).expect("drawer").is_some());
    close(&mut bank, &teller, "50x2").expect("close the second");
}

#[test]
fn a_blind_close_posts_the_shortage_and_the_session_is_final() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        teller,
        account,
    } = branch(&db);
    bank.money()
        .deposit(&teller, &cash_with_id(&account, "100.00"), None)
        .expect("deposit");
    // Expected 600.00; counted 590.00: 10.00 short.
    let closed = close(&mut bank, &teller, "100x5 50x1 20x2").expect("close");
    assert_eq!(closed.counted, Some(money("590.00")));
    assert_eq!(closed.expected, Some(money("600.00")));
    assert_eq!(closed.over_short, Some(money("-10.00")));
    assert!(closed.closed_at.is_some());
    assert!(bank.desk().drawer(&teller).expect("drawer").is_none());
    assert_eq!(
        bank.money()
            .deposit(&teller, &cash_with_id(&account, "1"), None)
            .unwrap_err()
            .code(),
        "drawer_closed"
    );
    assert_eq!(
        bank.desk()
            .close_drawer(&teller, closed.session_id, &cash_count("100x1"))
            .unwrap_err()
            .code(),
        "drawer_closed"
    );
    let result =
        diesel::sql_query("UPDATE drawer_sessions SET counted = 600").execute(bank.connection());
    assert!(result
        .expect_err("closed sessions are final")
        .to_string()
        .contains("cannot be changed"));
    assert_audit_ok(&mut bank);
    // A new day, a new session.
    open_drawer(&mut bank, &teller, "20x10").expect("reopen");
}

#[test]
fn an_overage_and_an_exact_count_close_too() {
    let db = TestDb::new();
    let Branch {
        mut bank, teller, ..
    } = branch(&db);
    let over = close(&mut bank, &teller, "100x5 0.01x3").expect("close over");
    assert_eq!(over.over_short, Some(money("0.03")));
    open_drawer(&mut bank, &teller, "50x2").expect("reopen");
    let exact = close(&mut bank, &teller, "20x5").expect("close exact");
    assert_eq!(exact.over_short, Some(money("0.00")));
    assert_audit_ok(&mut bank);
}

#[test]
fn only_tellers_and_admins_have_drawers() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (alice, _) = customer_with_account(&mut bank, "alice@example.com", "0");
    assert_eq!(
        open_drawer(&mut bank, &alice, "1x1").unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        open_drawer(&mut bank, &operator(), "1x1")
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let admin = user(&mut bank, "sue@bank.local", Role::Admin);
    open_drawer(&mut bank, &admin, "1x1").expect("admins handle cash too");
}

#[test]
fn large_withdrawals_and_transfers_need_a_supervisor() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        teller,
        account,
    } = branch(&db);
    let (_, other) = customer_with_account(&mut bank, "dora@example.com", "0");
    let big = cash(&account, "10,000.01");
    assert_eq!(
        bank.money()
            .withdraw(&teller, &big, None)
            .unwrap_err()
            .code(),
        "approval_required"
    );
    // At the limit no approval is needed.
    bank.money()
        .withdraw(&teller, &cash_with_id(&account, "10,000.00"), None)
        .expect("at the limit");
    // The same teller's payments out of one customer's accounts count together for the day:
    // a cent more by transfer needs a supervisor.
    let split = TransferRequest {
        from: account.clone(),
        to: other.clone(),
        amount: amount("0.01"),
        key: key(),
        memo: None,
    };
    assert_eq!(
        bank.money()
            .transfer(&teller, &split, None)
            .unwrap_err()
            .code(),
        "approval_required"
    );
    // Another customer's money starts its own count.
    let (_, second) = customer_with_account(&mut bank, "erin@example.com", "30000.00");
    let transfer = TransferRequest {
        from: second.clone(),
        to: other.clone(),
        amount: amount("9999.99"),
        key: key(),
        memo: None,
    };
    bank.money()
        .transfer(&teller, &transfer, None)
        .expect("below the limit");
    let bigger = TransferRequest {
        amount: amount("10000.01"),
        key: key(),
        ..transfer
    };
    bank.money()
        .deposit(&teller, &cash_with_id(&account, "10000.01"), None)
        .expect("deposits are not limited");
    assert_eq!(
        bank.money()
            .transfer(&teller, &bigger, None)
            .unwrap_err()
            .code(),
        "approval_required"
    );
    let done = bank
        .money()
        .transfer(&teller, &bigger, Some(&approval_by("sue@bank.local")))
        .expect("approved");
    let log = bank.ledger().audit_log(&operator(), 5).expect("log");
    let entry = log
        .iter()
        .find(|e| e.action == "transfer" && e.outcome == "ok")
        .expect("entry");
    assert_eq!(entry.approved_by.as_deref(), Some("sue@bank.local"));
    assert_eq!(entry.actor, "tess@bank.local");
    assert!(done.id > 0);
    // The CLI operator is trusted and not limited.
    deposit(&mut bank, &account, "20000.00");
    bank.money()
        .withdraw(&operator(), &cash_with_id(&account, "10000.01"), None)
        .expect("operator");
    assert_audit_ok(&mut bank);
}

#[test]
fn approvals_are_refused_for_the_wrong_person_or_password() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        teller,
        account,
    } = branch(&db);
    let other_teller = user(&mut bank, "tom@bank.local", Role::Teller);
    let admin = user(&mut bank, "ann@bank.local", Role::Admin);
    open_drawer(&mut bank, &admin, "0").expect("admin drawer");
    let big = cash_with_id(&account, "15000.00");
    let cases = [
        (
            approval_by("tom@bank.local"),
            &teller,
            "a teller cannot approve",
        ),
        (
            approval_by("nobody@bank.local"),
            &teller,
            "unknown supervisor",
        ),
        (
            Approval::Typed {
                supervisor: email("sue@bank.local"),
                password: Secret::new("wrong-password-1".into()),
            },
            &teller,
            "wrong password",
        ),
        (
            approval_by("ann@bank.local"),
            &admin,
            "an admin cannot approve their own withdrawal",
        ),
    ];
    for (approval, actor, why) in cases {
        let err = bank
            .money()
            .withdraw(actor, &big, Some(&approval))
            .unwrap_err();
        assert_eq!(err.code(), "approval_refused", "{why}");
    }
    let _ = other_teller;
    assert_eq!(balance(&mut bank, &account), money("20000.00"));
    bank.money()
        .withdraw(&admin, &big, Some(&approval_by("sue@bank.local")))
        .expect("another admin approves");
    assert_audit_ok(&mut bank);
}

#[test]
fn unfreezing_needs_a_supervisor_but_freezing_does_not() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        teller,
        account,
    } = branch(&db);
    bank.money()
        .set_account_status(&teller, &account, AccountStatus::Frozen, None)
        .expect("freeze");
    let err = bank
        .money()
        .set_account_status(&teller, &account, AccountStatus::Open, None)
        .unwrap_err();
    assert_eq!(err.code(), "approval_required");
    let view = bank
        .money()
        .set_account_status(
            &teller,
            &account,
            AccountStatus::Open,
            Some(&approval_by("sue@bank.local")),
        )
        .expect("unfreeze");
    assert_eq!(view.status, AccountStatus::Open);
    let log = bank.ledger().audit_log(&operator(), 3).expect("log");
    assert_eq!(log[0].action, "account.unfreeze");
    assert_eq!(log[0].approved_by.as_deref(), Some("sue@bank.local"));
}

#[test]
fn a_movement_is_reversed_once_and_the_original_stays() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        teller,
        account,
    } = branch(&db);
    let (_, other) = customer_with_account(&mut bank, "dora@example.com", "0");
    let request = TransferRequest {
        from: account.clone(),
        to: other.clone(),
        amount: amount("300.00"),
        key: key(),
        memo: None,
    };
    let original = bank
        .money()
        .transfer(&teller, &request, None)
        .expect("transfer");
    let why = reason("keyed the wrong account");
    assert_eq!(
        bank.money()
            .reverse(&teller, original.id, &why, None)
            .unwrap_err()
            .code(),
        "approval_required"
    );
    let reversal = bank
        .money()
        .reverse(
            &teller,
            original.id,
            &why,
            Some(&approval_by("sue@bank.local")),
        )
        .expect("reverse");
    assert_eq!(reversal.kind, MovementKind::Reversal);
    assert_eq!(reversal.amount, money("300.00"));
    assert_eq!(balance(&mut bank, &account), money("20000.00"));
    assert_eq!(balance(&mut bank, &other), money("0.00"));
    let again = bank
        .money()
        .reverse(
            &teller,
            original.id,
            &why,
            Some(&approval_by("sue@bank.local")),
        )
        .unwrap_err();
    assert_eq!(again.code(), "already_reversed");
    let not_again = bank
        .money()
        .reverse(
            &teller,
            reversal.id,
            &why,
            Some(&approval_by("sue@bank.local")),
        )
        .unwrap_err();
    assert_eq!(not_again.code(), "not_reversible");
    // The history keeps both lines.
    let history = bank
        .money()
        .history(&operator(), &other, None, 10)
        .expect("history");
    let kinds: Vec<MovementKind> = history.iter().map(|e| e.kind).collect();
    assert_eq!(kinds[..2], [MovementKind::Reversal, MovementKind::Transfer]);
    assert_audit_ok(&mut bank);
}

#[test]
fn reversing_a_deposit_pays_the_cash_back_through_the_tellers_drawer() {
    let db = TestDb::new();
    let Branch {
        mut bank,
        teller,
        account,
    } = branch(&db);
    let deposit = bank
        .money()
        .deposit(&teller, &cash_with_id(&account, "40.00"), None)
        .expect("deposit");
    bank.money()
        .reverse(
            &teller,
            deposit.id,
            &reason("counterfeit note"),
            Some(&approval_by("sue@bank.local")),
        )
        .expect("reverse");
    assert_eq!(balance(&mut bank, &account), money("20000.00"));
    let closed = close(&mut bank, &teller, "100x4 20x5").expect("close");
    assert_eq!(
        (closed.cash_in, closed.cash_out),
        (Some(money("40.00")), Some(money("40.00")))
    );
    assert_eq!(closed.expected, Some(money("500.00")));
    assert_eq!(closed.over_short, Some(money("0.00")));
    assert_audit_ok(&mut bank);
}

#[test]
fn only_movements_made_today_are_reversed() {
    let db = TestDb::new();
    let Branch {
        mut bank, account, ..
    } = branch(&db);
    // Yesterday's deposit, appended the way the journal allows: a new row.
    let drawer = bank
        .money()
        .deposit(&operator(), &cash_with_id(&account, "1.00"), None)
        .expect("deposit");
    diesel::sql_query(format!(
        "INSERT INTO movements (idempotency_key, kind, debit_account_id, credit_account_id, amount, currency, \
         debit_balance_after, credit_balance_after, actor, created_at) \
         SELECT 'yesterday', kind, debit_account_id, credit_account_id, amount, currency, debit_balance_after, \
         credit_balance_after, actor, created_at - INTERVAL 1 DAY FROM movements WHERE id = {}",
        drawer.id
    ))
    .execute(bank.connection())
    .expect("append an old movement");
    let old: i64 = diesel::select(teller::db::last_insert_id())
        .get_result::<u64>(bank.connection())
        .expect("id") as i64;
    let err = bank
        .money()
        .reverse(&operator(), old, &reason("too late"), None)
        .unwrap_err();
    assert_eq!(err.code(), "not_reversible");
    assert!(err.to_string().contains("today"), "{err}");
}

#[test]
fn customers_cannot_reverse_search_or_approve() {
    let db = TestDb::new();
    let Branch {
        mut bank, account, ..
    } = branch(&db);
    let (alice, _) = customer_with_account(&mut bank, "alice@example.com", "0");
    let deposit = bank
        .money()
        .deposit(&operator(), &cash_with_id(&account, "5.00"), None)
        .expect("deposit");
    assert_eq!(
        bank.money()
            .reverse(&alice, deposit.id, &reason("mine"), None)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        bank.people()
            .search_customers(&alice, "carl")
            .unwrap_err()
            .code(),
        "forbidden"
    );
}

#[test]
fn search_finds_customers_by_name_email_phone_or_account() {
    let db = TestDb::new();
    let mut bank = db.bank();
    bank.load_demo(&operator()).expect("demo");
    let staff = user(&mut bank, "tess@bank.local", Role::Teller);
    let names = |hits: Vec<teller::services::CustomerHit>| -> Vec<String> {
        hits.into_iter().map(|h| h.email.to_string()).collect()
    };
    let by_surname = names(
        bank.people()
            .search_customers(&staff, "julis")
            .expect("search"),
    );
    assert_eq!(by_surname, ["di.julis@icloud.com"]);
    let by_name = names(
        bank.people()
            .search_customers(&staff, "Diana")
            .expect("search"),
    );
    assert_eq!(by_name.len(), 2, "{by_name:?}");
    let by_email = names(
        bank.people()
            .search_customers(&staff, "mail.ru")
            .expect("search"),
    );
    assert!(by_email.len() >= 5 && by_email.iter().all(|e| e.ends_with("@mail.ru")));
    let by_phone = names(
        bank.people()
            .search_customers(&staff, "787 55")
            .expect("search"),
    );
    assert_eq!(by_phone, ["di.julis@icloud.com"]);
    let diana = Email::parse("di.julis@icloud.com").expect("email");
    let number = bank
        .money()
        .accounts(&operator(), &diana)
        .expect("accounts")[0]
        .number
        .to_string();
    let by_account = bank
        .people()
        .search_customers(&staff, &number)
        .expect("search");
    assert_eq!(by_account[0].email.as_str(), "di.julis@icloud.com");
    assert_eq!(by_account[0].accounts[0].as_str(), number);
    // Staff are not customers; one letter is too little to search.
    assert!(names(
        bank.people()
            .search_customers(&staff, "bank.local")
            .expect("search")
    )
    .is_empty());
    assert!(bank
        .people()
        .search_customers(&staff, "a")
        .expect("search")
        .is_empty());
}

#[test]
fn the_approval_limit_is_configurable() {
    let db = TestDb::new();
    let mut bank = Bank::connect(
        &db.url,
        BankConfig {
            approval_limit: money("100.00"),
            ..test_config()
        },
    )
    .expect("bank");
    let teller = user(&mut bank, "tess@bank.local", Role::Teller);
    let (_, account) = customer_with_account(&mut bank, "carl@example.com", "500.00");
    open_drawer(&mut bank, &teller, "0").expect("drawer");
    assert_eq!(
        bank.money()
            .withdraw(&teller, &cash_with_id(&account, "100.01"), None)
            .unwrap_err()
            .code(),
        "approval_required"
    );
    bank.money()
        .withdraw(&teller, &cash_with_id(&account, "100.00"), None)
        .expect("at the limit");
}
