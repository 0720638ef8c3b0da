//! Monthly statements on a real database: opening balance from before the month, every
//! movement of the month with its running balance, money in and out, the closing balance, and
//! who may get one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use chrono::{Datelike, Utc};
use common::*;
use teller::domain::Month;
use teller::services::BankError;

fn this_month() -> Month {
    Month::of(Utc::now().date_naive())
}

fn month_after(month: Month) -> Month {
    Month::of(month.next_first_day())
}

fn month_before(month: Month) -> Month {
    Month::of(month.first_day().pred_opt().unwrap())
}

#[test]
fn a_month_adds_up_from_its_opening_to_its_closing_balance() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (diana, mine, _) = diana_paid_marco(&mut bank);
    deposit(&mut bank, &mine, "5.25");

    let now = this_month();
    let statement = bank.money().statement(&diana, &mine, now).unwrap();
    assert_eq!(statement.opening, money("0"));
    assert_eq!(statement.lines.len(), 3);
    let running: Vec<String> = statement
        .lines
        .iter()
        .map(|l| l.balance_after.to_string())
        .collect();
    assert_eq!(running, ["100.00", "70.00", "75.25"]);
    assert_eq!(statement.money_in, money("105.25"));
    assert_eq!(statement.money_out, money("30.00"));
    assert_eq!(statement.closing, money("75.25"));
    assert_eq!(statement.bank, "Teller Bank");
    assert_eq!(statement.owner.as_deref(), Some("Diana Julis"));
    assert_eq!(statement.from.day(), 1);

    // The month after opens where this one closed and has nothing in it; the month before is empty.
    let next = bank
        .money()
        .statement(&diana, &mine, month_after(now))
        .unwrap();
    assert_eq!(
        (next.opening, next.closing),
        (money("75.25"), money("75.25"))
    );
    assert!(next.lines.is_empty());
    let before = bank
        .money()
        .statement(&diana, &mine, month_before(now))
        .unwrap();
    assert_eq!((before.opening, before.closing), (money("0"), money("0")));
}

#[test]
fn a_customer_gets_only_their_own_and_staff_any_customers() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (diana, _) = customer_with_account(&mut bank, "diana@example.com", "10.00");
    let (_, theirs) = customer_with_account(&mut bank, "marco@example.com", "10.00");
    let refused = bank.money().statement(&diana, &theirs, this_month());
    assert!(
        matches!(refused, Err(BankError::NotFound(_))),
        "{refused:?}"
    );
    let teller = user(
        &mut bank,
        "teller@example.com",
        teller::domain::Role::Teller,
    );
    let statement = bank
        .money()
        .statement(&teller, &theirs, this_month())
        .unwrap();
    assert_eq!(statement.closing, money("10.00"));
}
