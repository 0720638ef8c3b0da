//! Many connections moving money at once: nothing created or lost, nothing negative, no
//! deadlock reaching a caller, and the audit holds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::sync::{Arc, Barrier};

use common::*;
use rand::Rng;
use rust_decimal::Decimal;
use teller::domain::{AccountNumber, Amount, IdempotencyKey};
use teller::services::{BankError, TransferRequest};

const THREADS: usize = 8;
const TRANSFERS_PER_THREAD: usize = 300;
const ACCOUNTS: usize = 5;

#[test]
fn thousands_of_random_transfers_keep_every_cent() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let accounts: Vec<AccountNumber> = (0..ACCOUNTS)
        .map(|i| customer_with_account(&mut bank, &format!("c{i}@example.com"), "1000.00").1)
        .collect();
    let total_before: Decimal = accounts.iter().map(|a| balance(&mut bank, a)).sum();
    let accounts = Arc::new(accounts);
    let start = Arc::new(Barrier::new(THREADS));

    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let accounts = Arc::clone(&accounts);
            let start = Arc::clone(&start);
            // The app account, as every workstation runs: its rights must be enough under load.
            let url = db.app_url.clone();
            std::thread::spawn(move || {
                let mut bank =
                    teller::services::Bank::connect(&url, test_config()).expect("connect");
                let mut rng = rand::rng();
                let (mut done, mut refused) = (0usize, 0usize);
                start.wait();
                for _ in 0..TRANSFERS_PER_THREAD {
                    let from = rng.random_range(0..ACCOUNTS);
                    let to = (from + rng.random_range(1..ACCOUNTS)) % ACCOUNTS;
                    let cents = rng.random_range(1..=5_000);
                    let request = TransferRequest {
                        from: accounts[from].clone(),
                        to: accounts[to].clone(),
                        amount: Amount::from_decimal(Decimal::new(cents, 2)).expect("amount"),
                        key: IdempotencyKey::generate(),
                        memo: None,
                    };
                    match bank.money().transfer(&operator(), &request, None) {
                        Ok(result) => {
                            assert!(!result.replayed);
                            done += 1;
                        }
                        Err(BankError::InsufficientFunds { .. }) => refused += 1,
                        Err(other) => panic!("a transfer failed with {other:?} ({})", other.code()),
                    }
                }
                (done, refused, bank.retries())
            })
        })
        .collect();

    let (mut done, mut refused, mut retries) = (0, 0, 0);
    for worker in workers {
        let (d, r, t) = worker.join().expect("worker panicked");
        done += d;
        refused += r;
        retries += t;
    }
    assert_eq!(done + refused, THREADS * TRANSFERS_PER_THREAD);
    assert!(
        done >= 2_000,
        "only {done} transfers went through ({refused} refused)"
    );
    eprintln!("{done} transfers, {refused} refused for funds, {retries} retries");

    let balances: Vec<Decimal> = accounts.iter().map(|a| balance(&mut bank, a)).collect();
    assert_eq!(
        balances.iter().copied().sum::<Decimal>(),
        total_before,
        "money created or lost"
    );
    assert!(balances.iter().all(|b| *b >= Decimal::ZERO), "{balances:?}");
    let journal = bank
        .money()
        .history(&operator(), &accounts[0], None, 10_000)
        .expect("history");
    assert!(journal.len() > 1);
    assert_audit_ok(&mut bank);
}

#[test]
fn one_key_submitted_by_many_connections_at_once_moves_money_once() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "100.00");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "0");
    let request = TransferRequest {
        from: a.clone(),
        to: b.clone(),
        amount: amount("25.00"),
        key: IdempotencyKey::generate(),
        memo: None,
    };
    let start = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (url, request, start) = (db.app_url.clone(), request.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                let mut bank =
                    teller::services::Bank::connect(&url, test_config()).expect("connect");
                start.wait();
                bank.money()
                    .transfer(&operator(), &request, None)
                    .expect("applied or replayed")
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .map(|w| w.join().expect("worker"))
        .collect();
    assert_eq!(results.iter().filter(|r| !r.replayed).count(), 1);
    assert!(results.iter().all(|r| r.id == results[0].id));
    assert_eq!(balance(&mut bank, &a), money("75.00"));
    assert_eq!(balance(&mut bank, &b), money("25.00"));
    assert_audit_ok(&mut bank);
}
