//! Lock wait timeouts (1205) and deadlocks (1213) are retried inside the service and never
//! reach the caller.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::*;
use diesel::connection::SimpleConnection;
use diesel::Connection as _;
use teller::domain::IdempotencyKey;
use teller::services::TransferRequest;

/// Locks one account row the way another session would.
fn lock_row(conn: &mut teller::db::Connection, number: &str) -> diesel::QueryResult<()> {
    use diesel::prelude::*;
    use teller::db::schema::accounts;
    accounts::table
        .filter(accounts::number.eq(number))
        .select(accounts::id)
        .for_update()
        .load::<i64>(conn)
        .map(drop)
}

#[test]
fn a_lock_wait_timeout_is_rolled_back_and_retried() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "10.00");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "0");
    bank.connection()
        .batch_execute("SET SESSION innodb_lock_wait_timeout = 1")
        .expect("short lock wait");

    // Another teller holds account a's row for 1.6 s: our first attempt times out after 1 s.
    let (locked, wait_locked) = mpsc::channel();
    let url = db.url.clone();
    let number = a.to_string();
    let holder = std::thread::spawn(move || {
        let mut other = teller::db::connect(&url).expect("connect");
        other
            .transaction::<_, diesel::result::Error, _>(|conn| {
                lock_row(conn, &number)?;
                locked.send(()).expect("signal");
                std::thread::sleep(Duration::from_millis(1_600));
                Ok(())
            })
            .expect("holder");
    });
    wait_locked.recv().expect("lock taken");
    let request = TransferRequest {
        from: a.clone(),
        to: b.clone(),
        amount: amount("4.00"),
        key: IdempotencyKey::generate(),
        memo: None,
    };
    let result = bank
        .transfer(&operator(), &request)
        .expect("the retry gets through");
    holder.join().expect("holder thread");
    assert!(!result.replayed);
    assert!(bank.retries() >= 1, "the timeout should have been retried");
    assert_eq!(balance(&mut bank, &a), money("6.00"));
    assert_eq!(balance(&mut bank, &b), money("4.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn a_deadlock_never_reaches_the_caller() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "10.00");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "10.00");
    let (low, high) = if a.serial() < b.serial() {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    };

    // A rogue session locks the higher row first, then (after our transfer has locked the
    // lower one and waits for the higher) asks for the lower: a deadlock, and InnoDB kills one.
    let (locked, wait_locked) = mpsc::channel();
    let url = db.url.clone();
    let (low_number, high_number) = (low.to_string(), high.to_string());
    let rogue = std::thread::spawn(move || {
        let mut other = teller::db::connect(&url).expect("connect");
        other.transaction::<_, diesel::result::Error, _>(|conn| {
            lock_row(conn, &high_number)?;
            locked.send(()).expect("signal");
            std::thread::sleep(Duration::from_millis(300));
            lock_row(conn, &low_number)?;
            Ok(())
        })
    });
    wait_locked.recv().expect("rogue lock taken");
    let request = TransferRequest {
        from: low.clone(),
        to: high.clone(),
        amount: amount("1.00"),
        key: IdempotencyKey::generate(),
        memo: None,
    };
    let result = bank
        .transfer(&operator(), &request)
        .expect("no deadlock reaches the caller");
    let _ = rogue.join().expect("rogue thread");
    assert!(!result.replayed);
    assert_eq!(balance(&mut bank, &low), money("9.00"));
    assert_eq!(balance(&mut bank, &high), money("11.00"));
    assert_audit_ok(&mut bank);
}
