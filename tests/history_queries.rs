//! The queries that keep every everyday operation's cost to the rows it shows or the day it
//! checks: the large-cash totals of one day (also across midnight), a statement of a month long
//! past, and history pages by time.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use chrono::{Duration, NaiveDate, NaiveTime};
use common::*;
use teller::db::clock;
use teller::domain::Month;

/// Moves this thread's bank clock to `seconds` before the next midnight (UTC).
fn to_just_before_midnight(seconds: i64) -> NaiveDate {
    let now = clock::now();
    let midnight = (now.date() + Duration::days(1)).and_time(NaiveTime::MIN);
    clock::advance_this_thread(midnight - now - Duration::seconds(seconds));
    now.date()
}

#[test]
fn large_cash_is_counted_per_day_across_midnight() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "night@example.com", "0");
    let day_one = to_just_before_midnight(30);
    bank.money()
        .deposit(&operator(), &cash(&account, "9000.00"), None)
        .unwrap();
    clock::advance_this_thread(Duration::seconds(60));
    let day_two = clock::now().date();
    assert_eq!(day_two, day_one + Duration::days(1));
    // A new day: yesterday's 9,000 no longer counts, so 9,000 more needs no ID ...
    bank.money()
        .deposit(&operator(), &cash(&account, "9000.00"), None)
        .unwrap();
    // ... and 2,000 on top of today's 9,000 does.
    let refused = bank
        .money()
        .deposit(&operator(), &cash(&account, "2000.00"), None)
        .unwrap_err();
    assert_eq!(refused.code(), "id_required");
    bank.money()
        .deposit(&operator(), &cash_with_id(&account, "2000.00"), None)
        .unwrap();

    let first = bank.desk().ctr_report(&operator(), day_one).unwrap();
    assert!(first.customers.is_empty(), "{:?}", first.customers);
    let second = bank.desk().ctr_report(&operator(), day_two).unwrap();
    assert_eq!(second.customers.len(), 1);
    let customer = &second.customers[0];
    assert_eq!(customer.email, "night@example.com");
    assert_eq!(
        (customer.cash_in, customer.deposits),
        (money("11000.00"), 2)
    );
    assert_eq!(customer.ids.len(), 1);
    assert_audit_ok(&mut bank);
}

#[test]
fn a_statement_of_a_month_long_past_is_unchanged_by_a_year_of_history() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (diana, mine, theirs) = diana_paid_marco(&mut bank);
    let old_month = Month::of(clock::now().date());
    let before = bank.money().statement(&diana, &mine, old_month).unwrap();

    // Thirteen months later, more history on both accounts.
    clock::advance_this_thread(Duration::days(400));
    for raw in ["1.00", "2.00", "3.00"] {
        bank.money()
            .transfer(&diana, &transfer_request(&mine, &theirs, raw), None)
            .unwrap();
    }
    deposit(&mut bank, &mine, "10.00");

    let after = bank.money().statement(&diana, &mine, old_month).unwrap();
    assert_eq!(after.lines, before.lines);
    assert_eq!((after.opening, after.closing), (money("0"), money("70.00")));
    let now = bank
        .money()
        .statement(&diana, &mine, Month::of(clock::now().date()))
        .unwrap();
    // The new month opens where the old one closed (nothing in between).
    assert_eq!(now.opening, money("70.00"));
    assert_eq!(now.lines.len(), 4);
    assert_eq!(now.closing, money("74.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn history_pages_run_newest_first_by_time_and_meet_without_a_gap() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (diana, mine) = customer_with_account(&mut bank, "diana@example.com", "100.00");
    let (_, theirs) = customer_with_account(&mut bank, "marco@example.com", "0");
    for (n, raw) in ["1.00", "2.00", "3.00", "4.00", "5.00"].iter().enumerate() {
        // A month apart, so that time, not only the id, orders them.
        if n > 0 {
            clock::advance_this_thread(Duration::days(31));
        }
        bank.money()
            .transfer(&diana, &transfer_request(&mine, &theirs, raw), None)
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = bank.money().history(&diana, &mine, before, 2).unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        seen.extend(page.iter().map(|e| (e.at, e.amount.to_string())));
    }
    let amounts: Vec<&str> = seen.iter().map(|(_, a)| a.as_str()).collect();
    // Five transfers out, then the opening deposit.
    assert_eq!(
        amounts,
        ["-5.00", "-4.00", "-3.00", "-2.00", "-1.00", "100.00"]
    );
    assert!(seen.windows(2).all(|w| w[0].0 >= w[1].0), "{seen:?}");
    // A page after a reference that does not exist is empty, not an error.
    assert!(bank
        .money()
        .history(&diana, &mine, Some(999_999), 2)
        .unwrap()
        .is_empty());
}
