//! The posting procedures (migration 000016), called as the app account calls them: a
//! transfer's one-round-trip commit re-checks the accounts under its own locks and writes all of
//! a movement or none of it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::RunQueryDsl;
use teller::db::{self, posting};
use teller::domain::AccountNumber;
use teller::services::{AccountStatus, Bank};

fn posting_of<'a>(
    actor: &'a str,
    key: &'a str,
    from: &'a AccountNumber,
    to: &'a AccountNumber,
    amount: &str,
    detail: &'a str,
) -> posting::NewPosting<'a> {
    posting::NewPosting {
        idempotency_key: key,
        kind: "transfer",
        debit_account_id: i64::from(from.serial()),
        credit_account_id: i64::from(to.serial()),
        amount: money(amount),
        currency: "USD",
        memo: None,
        reverses_id: None,
        actor,
        approved_by: None,
        created_at: chrono::Utc::now().naive_utc(),
        drawer_session_id: None,
        device: "local",
        subject: from.as_str(),
        detail_before_id: detail,
    }
}

fn count(conn: &mut db::Connection, table: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(conn)
        .unwrap()
        .n
}

/// Journal rows and audit lines, to see that a refused posting wrote neither.
fn rows(conn: &mut db::Connection) -> (i64, i64) {
    (count(conn, "movements"), count(conn, "audit_log"))
}

/// A bank with two customers (100.00 and 5.00), the app account's own connection, and the
/// fixtures' operator as the maker (so that the audit's rules accept what it posts).
struct Books {
    db: TestDb,
    bank: Bank,
    a: AccountNumber,
    b: AccountNumber,
    conn: db::Connection,
    maker: String,
}

fn books() -> Books {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "100.00");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "5.00");
    let conn = db::connect(&db.app_url).unwrap();
    Books {
        db,
        bank,
        a,
        b,
        conn,
        maker: operator().audit_name(),
    }
}

#[test]
fn a_rechecked_commit_writes_the_whole_movement_and_reports_it() {
    let Books {
        db: _db,
        mut bank,
        a,
        b,
        mut conn,
        maker,
    } = books();
    let before = rows(&mut conn);
    let detail = format!("30.00 USD from {a} to {b}, key k-1, reference ");
    posting::commit_rechecked(
        &mut conn,
        &posting_of(&maker, "k-1", &a, &b, "30.00", &detail),
    )
    .unwrap();
    let posted = posting::posted(&mut conn).unwrap();
    assert_eq!(
        (posted.debit_after, posted.credit_after),
        (money("70.00"), money("35.00"))
    );
    assert_eq!(rows(&mut conn), (before.0 + 1, before.1 + 1));
    // Committed: another connection sees it, and the line names the movement.
    assert_eq!(balance(&mut bank, &a), money("70.00"));
    assert_eq!(balance(&mut bank, &b), money("35.00"));
    let line = bank.ledger().audit_log(&operator(), 1).unwrap().remove(0);
    assert_eq!(
        line.detail.as_deref(),
        Some(format!("{detail}{}", posted.id).as_str())
    );
    assert_audit_ok(&mut bank);
}

#[test]
fn a_rechecked_commit_refuses_accounts_that_changed_and_writes_nothing() {
    let Books {
        db: _db,
        mut bank,
        a,
        b,
        mut conn,
        maker,
    } = books();
    let before = rows(&mut conn);
    // More than the payer holds: the table's CHECK refuses the balance.
    let error =
        posting::commit_rechecked(&mut conn, &posting_of(&maker, "k-2", &a, &b, "100.01", "x"))
            .unwrap_err();
    assert!(posting::is_changed(&error), "{error}");
    assert_eq!(rows(&mut conn), before);
    // Frozen since it was read (the freeze writes its own audit line).
    bank.money()
        .set_account_status(&operator(), &b, AccountStatus::Frozen, None)
        .unwrap();
    let before = rows(&mut conn);
    let error =
        posting::commit_rechecked(&mut conn, &posting_of(&maker, "k-3", &a, &b, "1.00", "x"))
            .unwrap_err();
    assert!(posting::is_changed(&error), "{error}");
    // Another currency than the accounts'.
    let mut other = posting_of(&maker, "k-4", &b, &a, "1.00", "x");
    other.currency = "EUR";
    let error = posting::commit_rechecked(&mut conn, &other).unwrap_err();
    assert!(posting::is_changed(&error), "{error}");
    assert_eq!(rows(&mut conn), before);
    assert_eq!(balance(&mut bank, &a), money("100.00"));
    assert_eq!(balance(&mut bank, &b), money("5.00"));
    // The connection is left with no transaction open: the next posting goes through.
    bank.money()
        .set_account_status(&operator(), &b, AccountStatus::Open, None)
        .unwrap();
    posting::commit_rechecked(
        &mut conn,
        &posting_of(&maker, "k-7", &a, &b, "1.00", "ok, reference "),
    )
    .unwrap();
    assert_eq!(balance(&mut bank, &b), money("6.00"));
}

#[test]
fn a_failure_after_the_balances_moved_rolls_all_of_it_back() {
    let Books {
        db: _db,
        mut bank,
        a,
        b,
        mut conn,
        maker,
    } = books();
    let before = rows(&mut conn);
    // The audit line is the last write: a text too long for it fails after the balances and
    // the journal row were written.
    let long = "x".repeat(600);
    let error = posting::commit_rechecked(
        &mut conn,
        &posting_of(&maker, "k-5", &a, &b, "10.00", &long),
    )
    .unwrap_err();
    assert!(!posting::is_changed(&error), "{error}");
    assert_eq!(rows(&mut conn), before);
    assert_eq!(balance(&mut bank, &a), money("100.00"));
    // A key already in the journal: refused by its unique key, nothing else written.
    let detail = "ok, reference ";
    posting::commit_rechecked(
        &mut conn,
        &posting_of(&maker, "k-6", &a, &b, "1.00", detail),
    )
    .unwrap();
    let error = posting::commit_rechecked(
        &mut conn,
        &posting_of(&maker, "k-6", &a, &b, "2.00", detail),
    )
    .unwrap_err();
    assert_eq!(
        db::classify(&error),
        db::Failure::Duplicate(Some(db::DuplicateKey::MovementKey))
    );
    assert_eq!(rows(&mut conn), (before.0 + 1, before.1 + 1));
    assert_eq!(balance(&mut bank, &a), money("99.00"));
}

#[test]
fn transfers_refused_on_a_changed_account_get_their_own_words() {
    // The service's fast path falls back to the checks on locked rows, whose refusal names
    // what is wrong (the procedure's own refusal is never shown).
    let Books {
        db: _db,
        mut bank,
        a,
        b,
        ..
    } = books();
    let op = operator();
    let error = bank
        .money()
        .transfer(&op, &transfer_request(&b, &a, "5.01"), None)
        .unwrap_err();
    assert_eq!(error.code(), "insufficient_funds");
    bank.money()
        .set_account_status(&op, &a, AccountStatus::Frozen, None)
        .unwrap();
    let error = bank
        .money()
        .transfer(&op, &transfer_request(&b, &a, "1.00"), None)
        .unwrap_err();
    assert_eq!(error.code(), "account_frozen");
    // And a transfer through the fast path replays under its key.
    let request = transfer_request(&a, &b, "1.00");
    bank.money()
        .set_account_status(&op, &a, AccountStatus::Open, None)
        .unwrap();
    let first = bank.money().transfer(&op, &request, None).unwrap();
    let again = bank.money().transfer(&op, &request, None).unwrap();
    assert!(!first.replayed && again.replayed);
    assert_eq!(first.id, again.id);
    assert_eq!(balance(&mut bank, &a), money("99.00"));
    assert_audit_ok(&mut bank);
}
