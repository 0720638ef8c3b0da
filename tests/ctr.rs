//! Large cash (CTR) on a real database: above 10,000.00 cash in (or out) for one customer in a
//! day, summed over every teller and each direction on its own, the customer's ID is recorded
//! with the operation or nothing moves; the day's report lists them and flags structuring.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use chrono::Utc;
use common::*;
use teller::domain::{IdDocument, Role};
use teller::services::{Actor, Bank, CashRequest};

fn passport() -> IdDocument {
    IdDocument::parse(
        "passport",
        "X1234567",
        "US",
        "2035-06-30",
        Utc::now().date_naive(),
    )
    .unwrap()
}

fn with_id(mut request: CashRequest) -> CashRequest {
    request.id = Some(passport());
    request
}

/// A teller with an open drawer.
fn teller_at_work(bank: &mut Bank) -> Actor {
    let teller = user(bank, "teller@example.com", Role::Teller);
    open_drawer(bank, &teller, "100x50").unwrap();
    teller
}

#[test]
fn cash_above_the_line_in_a_day_needs_the_customers_id_each_way_on_its_own() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = teller_at_work(&mut bank);
    let (_, account) = customer_with_account(&mut bank, "big@example.com", "0");
    // Two tellers (the operator is another drawer) in one day: 6,000 + 5,000 = 11,000.
    bank.money()
        .deposit(&operator(), &cash(&account, "6000.00"), None)
        .unwrap();
    let refused = bank
        .money()
        .deposit(&teller, &cash(&account, "5000.00"), None)
        .unwrap_err();
    assert_eq!(refused.code(), "id_required");
    assert_eq!(
        balance(&mut bank, &account),
        money("6000.00"),
        "nothing moved"
    );
    let done = bank
        .money()
        .deposit(&teller, &with_id(cash(&account, "5000.00")), None)
        .unwrap();
    assert_eq!(balance(&mut bank, &account), money("11000.00"));
    let ids = teller::db::cash_ids::recorded_between(
        bank.connection(),
        Utc::now().date_naive().and_hms_opt(0, 0, 0).unwrap(),
        (Utc::now() + chrono::Duration::days(1)).naive_utc(),
    )
    .unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].movement_id, done.id);
    assert_eq!(ids[0].id_number, "X1234567");
    // Cash out is counted on its own: 9,000 out needs no ID.
    bank.money()
        .withdraw(&operator(), &cash(&account, "9000.00"), None)
        .unwrap();
    assert_audit_ok(&mut bank);
}

#[test]
fn one_large_deposit_needs_an_id_and_an_expired_one_is_refused() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "big@example.com", "0");
    let error = bank
        .money()
        .deposit(&operator(), &cash(&account, "12000.00"), None)
        .unwrap_err();
    assert_eq!(error.code(), "id_required");
    let mut expired = passport();
    expired.expiry = chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap();
    let mut request = cash(&account, "12000.00");
    request.id = Some(expired);
    assert_eq!(
        bank.money()
            .deposit(&operator(), &request, None)
            .unwrap_err()
            .code(),
        "invalid_id"
    );
    // 10,000.00 exactly is not above the line.
    let (_, other) = customer_with_account(&mut bank, "exact@example.com", "0");
    bank.money()
        .deposit(&operator(), &cash(&other, "10000.00"), None)
        .unwrap();
}

#[test]
fn the_days_report_lists_large_cash_and_flags_structuring() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = teller_at_work(&mut bank);
    let (_, split) = customer_with_account(&mut bank, "split@example.com", "0");
    let (_, large) = customer_with_account(&mut bank, "large@example.com", "0");
    let (_, small) = customer_with_account(&mut bank, "small@example.com", "0");
    bank.money()
        .deposit(&teller, &cash(&split, "9500.00"), None)
        .unwrap();
    bank.money()
        .deposit(&teller, &with_id(cash(&split, "900.00")), None)
        .unwrap();
    // The teller's drawer would pass its limit: the rest goes through the operator's drawer.
    bank.money()
        .deposit(&operator(), &with_id(cash(&large, "15000.00")), None)
        .unwrap();
    bank.money()
        .deposit(&operator(), &cash(&small, "9000.00"), None)
        .unwrap();

    let report = bank
        .desk()
        .ctr_report(&teller, Utc::now().date_naive())
        .unwrap();
    let emails: Vec<&str> = report.customers.iter().map(|c| c.email.as_str()).collect();
    assert_eq!(emails.len(), 2, "{emails:?}");
    let split_row = report
        .customers
        .iter()
        .find(|c| c.email == "split@example.com")
        .unwrap();
    assert!(split_row.possible_structuring);
    assert_eq!(split_row.cash_in, money("10400.00"));
    assert_eq!(split_row.deposits, 2);
    assert_eq!(split_row.ids.len(), 1);
    let large_row = report
        .customers
        .iter()
        .find(|c| c.email == "large@example.com")
        .unwrap();
    assert!(!large_row.possible_structuring);
    // A teller sees the ID number's last 4 characters only.
    assert!(large_row.ids[0].contains("****4567"), "{:?}", large_row.ids);
    assert!(
        !large_row.ids[0].contains("X1234567"),
        "{:?}",
        large_row.ids
    );
    // A supervisor sees it whole.
    let whole = bank
        .desk()
        .ctr_report(&operator(), Utc::now().date_naive())
        .unwrap();
    let large_whole = whole
        .customers
        .iter()
        .find(|c| c.email == "large@example.com")
        .unwrap();
    assert!(
        large_whole.ids[0].contains("X1234567"),
        "{:?}",
        large_whole.ids
    );

    // Customers do not read it.
    let (diana, _) = customer_with_account(&mut bank, "diana@example.com", "0");
    let refused = bank
        .desk()
        .ctr_report(&diana, Utc::now().date_naive())
        .unwrap_err();
    assert_eq!(refused.code(), "forbidden");
}

#[test]
fn a_drawer_above_its_limit_takes_cash_only_with_a_supervisor() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "boss@example.com", Role::Admin);
    // A float of 19,000.00; the bank's drawer limit is 20,000.00.
    let teller = user(&mut bank, "teller@example.com", Role::Teller);
    open_drawer(&mut bank, &teller, "100x190").unwrap();
    let (_, account) = customer_with_account(&mut bank, "shop@example.com", "0");
    bank.money()
        .deposit(&teller, &cash(&account, "900.00"), None)
        .unwrap();
    // The cash-in that crosses the limit is taken, and warned; the next needs a supervisor.
    let crossing = bank
        .money()
        .deposit(&teller, &cash(&account, "200.00"), None)
        .unwrap();
    assert!(crossing.drawer_over_limit);
    let over = bank
        .money()
        .deposit(&teller, &cash(&account, "200.00"), None)
        .unwrap_err();
    assert_eq!(over.code(), "approval_required");
    assert!(over.to_string().contains("20,000.00"), "{over}");
    assert!(
        !over.to_string().contains("20,100"),
        "the drawer's total stays unsaid"
    );
    let approval = teller::services::Approval::Typed {
        supervisor: email("boss@example.com"),
        password: teller::domain::Secret::new(PASSWORD.into()),
    };
    let done = bank
        .money()
        .deposit(&teller, &cash(&account, "200.00"), Some(&approval))
        .unwrap();
    assert_eq!(done.amount, money("200.00"));
    // Cash out brings it back under: the next deposit needs nobody.
    bank.money()
        .withdraw(&teller, &cash(&account, "1300.00"), None)
        .unwrap();
    bank.money()
        .deposit(&teller, &cash(&account, "50.00"), None)
        .unwrap();
    assert_audit_ok(&mut bank);
}
