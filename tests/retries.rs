//! Lock wait timeouts (1205) and deadlocks (1213) are retried inside the service and never
//! reach the caller.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::sync::{mpsc, Arc, Barrier};
use std::time::{Duration, Instant};

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

/// True when another transaction holds account `number`'s row: a locking read that does not
/// wait (NOWAIT) and is rolled back at once, so it never keeps the row from anyone.
fn row_is_locked(conn: &mut teller::db::Connection, number: &str) -> bool {
    use diesel::prelude::*;
    use teller::db::schema::accounts;
    let probe = conn.transaction::<_, diesel::result::Error, _>(|conn| {
        accounts::table
            .filter(accounts::number.eq(number))
            .select(accounts::id)
            .for_update()
            .no_wait()
            .load::<i64>(conn)
            .map(drop)
    });
    probe.is_err()
}

/// Waits (at most 30 s, never a fixed sleep) until another transaction holds `number`'s row.
fn wait_until_locked(url: &str, number: &str) {
    let mut probe = teller::db::connect(url).expect("connect the probe");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !row_is_locked(&mut probe, number) {
        assert!(
            Instant::now() < deadline,
            "nobody locked {number} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
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
    // The transfer locks its two rows in id order: it takes the lower one, then waits for the
    // higher, which another teller holds.
    let (low, high) = if a.serial() < b.serial() {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    };

    // The other teller holds the higher row until our transfer has surely timed out once: it
    // sees the transfer take the lower row (so the transfer is waiting for the higher one),
    // then keeps its lock for longer than the 1 s wait the transfer may do.
    let (locked, wait_locked) = mpsc::channel();
    let url = db.url.clone();
    let (low_number, high_number) = (low.to_string(), high.to_string());
    let holder = std::thread::spawn(move || {
        let mut other = teller::db::connect(&url).expect("connect");
        other.transaction::<_, diesel::result::Error, _>(|conn| {
            lock_row(conn, &high_number)?;
            locked.send(()).expect("signal");
            wait_until_locked(&url, &low_number);
            std::thread::sleep(Duration::from_millis(2_000));
            Ok(())
        })
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
        .money()
        .transfer(&operator(), &request, None)
        .expect("the retry gets through");
    holder
        .join()
        .expect("holder thread")
        .expect("the holder's transaction committed");
    assert!(!result.replayed);
    // One wait of 1 s at least timed out; at most two fit in the holder's 2 s.
    let retries = bank.retries();
    assert!(
        (1..=2).contains(&retries),
        "the timeout should have been retried: {retries}"
    );
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
    // Rows the rogue writes first, so that it is the heavier transaction: InnoDB rolls back
    // the lighter one of a deadlock, which makes our transfer the victim, certainly.
    let mut owner = teller::db::connect(&db.url).expect("owner");
    owner
        .batch_execute("CREATE TABLE ballast (n INT NOT NULL) ENGINE=InnoDB")
        .expect("ballast table");

    // A rogue session locks the higher row; our transfer starts (barrier), locks the lower row
    // and waits for the higher; the rogue sees the lower row taken (a probe, no sleep) and asks
    // for it: a deadlock, every time.
    let start = Arc::new(Barrier::new(2));
    let url = db.url.clone();
    let (low_number, high_number) = (low.to_string(), high.to_string());
    let rogue_start = Arc::clone(&start);
    let rogue = std::thread::spawn(move || {
        let mut other = teller::db::connect(&url).expect("connect");
        other.transaction::<_, diesel::result::Error, _>(|conn| {
            lock_row(conn, &high_number)?;
            conn.batch_execute(
                "INSERT INTO ballast (n) WITH RECURSIVE r (n) AS \
                 (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 200) SELECT n FROM r",
            )?;
            rogue_start.wait();
            wait_until_locked(&url, &low_number);
            lock_row(conn, &low_number)?;
            Ok(())
        })
    });
    start.wait();
    let request = TransferRequest {
        from: low.clone(),
        to: high.clone(),
        amount: amount("1.00"),
        key: IdempotencyKey::generate(),
        memo: None,
    };
    let result = bank
        .money()
        .transfer(&operator(), &request, None)
        .expect("no deadlock reaches the caller");
    // The rogue was not the victim: it got both rows and committed, after which our transfer,
    // rolled back once, ran again and went through.
    rogue
        .join()
        .expect("rogue thread")
        .expect("the rogue's transaction committed");
    assert_eq!(bank.retries(), 1, "exactly one deadlock, retried once");
    assert!(!result.replayed);
    assert_eq!(balance(&mut bank, &low), money("9.00"));
    assert_eq!(balance(&mut bank, &high), money("11.00"));
    assert_audit_ok(&mut bank);
}
