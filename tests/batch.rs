//! The batched posting engine on a real database: per-transfer results inside a batch, linked
//! chains, replays of a whole batch, the approval of a total, customers' limits, and batches
//! racing single transfers on the same accounts.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::sync::{Arc, Barrier};

use common::*;
use rand::Rng;
use rust_decimal::Decimal;
use teller::domain::{AccountNumber, Amount, Currency, IdempotencyKey, Role};
use teller::services::{
    Actor, Approval, Bank, BankError, BatchApproval, BatchOutcome, BatchTransfer,
};

fn pay(from: &AccountNumber, to: &AccountNumber, raw: &str) -> BatchTransfer {
    BatchTransfer {
        from: from.clone(),
        to: to.clone(),
        amount: amount(raw),
        key: key(),
        memo: None,
        linked: false,
    }
}

fn unlimited(bank: &mut Bank, actor: &Actor) -> BatchApproval {
    bank.batches()
        .approve_batch(actor, "tests", money("1000000"), None)
        .expect("no approval needed")
}

fn codes(outcomes: &[BatchOutcome]) -> Vec<&'static str> {
    outcomes
        .iter()
        .map(|o| o.error().map_or(o.status(), BankError::code))
        .collect()
}

fn journal_rows(bank: &mut Bank) -> i64 {
    teller::db::movements::count(bank.connection()).unwrap()
}

/// A payer holding `balance` and `count` payees with empty accounts.
fn payer_and_payees(
    bank: &mut Bank,
    balance: &str,
    count: usize,
) -> (AccountNumber, Vec<AccountNumber>) {
    let (_, payer) = customer_with_account(bank, "payer@example.com", balance);
    let payees = (0..count)
        .map(|i| customer_with_account(bank, &format!("p{i}@example.com"), "0").1)
        .collect();
    (payer, payees)
}

#[test]
fn each_transfer_gets_its_own_result_and_the_book_holds() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, payer) = customer_with_account(&mut bank, "payer@example.com", "100.00");
    let (_, alice) = customer_with_account(&mut bank, "alice@example.com", "0");
    let (_, frozen) = customer_with_account(&mut bank, "frozen@example.com", "0");
    open_account(&mut bank, "alice@example.com", Currency::EUR);
    let euro = open_account(&mut bank, "alice@example.com", Currency::EUR);
    bank.money()
        .set_account_status(
            &operator(),
            &frozen,
            teller::services::AccountStatus::Frozen,
            None,
        )
        .expect("freeze");
    let replayed = pay(&payer, &alice, "10.00");
    bank.money()
        .transfer(
            &operator(),
            &teller::services::TransferRequest {
                from: replayed.from.clone(),
                to: replayed.to.clone(),
                amount: replayed.amount,
                key: replayed.key.clone(),
                memo: None,
            },
            None,
        )
        .expect("a transfer before the batch");
    let mut conflict = pay(&payer, &alice, "11.00");
    conflict.key = replayed.key.clone();
    let before = journal_rows(&mut bank);

    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let outcomes = bank
        .batches()
        .post_batch(
            &operator,
            &[
                pay(&payer, &alice, "50.00"),
                pay(&payer, &frozen, "1.00"),
                pay(&payer, &euro, "1.00"),
                replayed,
                conflict,
                pay(&payer, &alice, "50.00"),
                pay(&payer, &alice, "40.00"),
            ],
            &mut approval,
        )
        .expect("the batch");
    assert_eq!(
        codes(&outcomes),
        [
            "done",
            "account_frozen",
            "currency_mismatch",
            "replayed",
            "idempotency_conflict",
            "insufficient_funds",
            "done"
        ]
    );
    assert_eq!(balance(&mut bank, &payer), money("0.00"));
    assert_eq!(balance(&mut bank, &alice), money("100.00"));
    assert_eq!(journal_rows(&mut bank) - before, 2);
    // The results are what single transfers report: ids, balances after, in order.
    let first = outcomes[0].result().unwrap();
    let last = outcomes[6].result().unwrap();
    assert!(first.id < last.id);
    assert_eq!(first.balances[0], (payer.clone(), money("40.00")));
    assert_eq!(approval.remaining(), money("1000000") - money("90.00"));
    assert_audit_ok(&mut bank);
    // One audit line per transfer, refusals too.
    let log = teller::db::audit_log::recent(bank.connection(), 7).unwrap();
    assert!(log.iter().all(|line| line.action == "transfer"));
    assert_eq!(
        log.iter()
            .filter(|l| l.outcome == "insufficient_funds")
            .count(),
        1
    );
}

#[test]
fn the_same_batch_again_is_replayed_and_moves_nothing() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (payer, payees) = payer_and_payees(&mut bank, "1000.00", 20);
    let batch: Vec<BatchTransfer> = payees.iter().map(|p| pay(&payer, p, "7.50")).collect();
    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let first = bank
        .batches()
        .post_batch(&operator, &batch, &mut approval)
        .unwrap();
    assert!(first.iter().all(|o| o.status() == "done"));
    let rows = journal_rows(&mut bank);
    let again = bank
        .batches()
        .post_batch(&operator, &batch, &mut approval)
        .unwrap();
    assert!(again.iter().all(|o| o.status() == "replayed"));
    for (a, b) in first.iter().zip(&again) {
        assert_eq!(a.result().unwrap().id, b.result().unwrap().id);
    }
    assert_eq!(journal_rows(&mut bank), rows);
    assert_eq!(balance(&mut bank, &payer), money("850.00"));
    assert_audit_ok(&mut bank);
}

/// The engine takes a batch's keys for new and lets the journal's unique index say otherwise:
/// a key already used is still answered as a replay, also when its transfer would be refused
/// now, and what the batch wrote before finding it is not left behind.
#[test]
fn a_used_key_is_replayed_though_the_batch_took_its_keys_for_new() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (payer, payees) = payer_and_payees(&mut bank, "100.00", 7);
    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let batch: Vec<BatchTransfer> = payees.iter().map(|p| pay(&payer, p, "5.00")).collect();
    let big = pay(&payer, &payees[0], "60.00");
    let before = bank
        .batches()
        .post_batch(&operator, &[batch[6].clone(), big.clone()], &mut approval)
        .unwrap();
    assert_eq!(codes(&before), ["done", "done"]);
    let rows = journal_rows(&mut bank);

    // 35.00 left could not cover it now: still a replay.
    let again = bank
        .batches()
        .post_batch(
            &operator,
            &[big, pay(&payer, &payees[1], "50.00")],
            &mut approval,
        )
        .unwrap();
    assert_eq!(codes(&again), ["replayed", "insufficient_funds"]);
    assert_eq!(
        again[0].result().unwrap().id,
        before[1].result().unwrap().id
    );
    // The used key comes last, after six new ones written in statements of their own.
    let outcomes = bank
        .batches()
        .post_batch(&operator, &batch, &mut approval)
        .unwrap();
    assert_eq!(
        codes(&outcomes),
        ["done", "done", "done", "done", "done", "done", "replayed"]
    );
    assert_eq!(
        outcomes[6].result().unwrap().id,
        before[0].result().unwrap().id
    );
    assert_eq!(journal_rows(&mut bank) - rows, 6);
    assert_eq!(balance(&mut bank, &payer), money("5.00"));
    assert_audit_ok(&mut bank);
}

fn with_key(mut transfer: BatchTransfer, raw: &str) -> BatchTransfer {
    transfer.key = IdempotencyKey::parse(raw).unwrap();
    transfer
}

/// The journal's keys compare without letter case, in a batch as in a single transfer.
#[test]
fn keys_differing_only_in_letter_case_are_one_key() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, payer) = customer_with_account(&mut bank, "payer@example.com", "100.00");
    let (_, alice) = customer_with_account(&mut bank, "alice@example.com", "0");
    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let first = bank
        .batches()
        .post_batch(
            &operator,
            &[with_key(pay(&payer, &alice, "5.00"), "PAY-Case-1")],
            &mut approval,
        )
        .unwrap();
    let outcomes = bank
        .batches()
        .post_batch(
            &operator,
            &[
                with_key(pay(&payer, &alice, "5.00"), "pay-case-1"),
                with_key(pay(&payer, &alice, "6.00"), "PAY-CASE-1"),
                with_key(pay(&payer, &alice, "7.00"), "Twice-2"),
                with_key(pay(&payer, &alice, "7.00"), "twice-2"),
            ],
            &mut approval,
        )
        .unwrap();
    assert_eq!(
        codes(&outcomes),
        ["replayed", "idempotency_conflict", "done", "replayed"]
    );
    assert_eq!(
        outcomes[0].result().unwrap().id,
        first[0].result().unwrap().id
    );
    assert_eq!(
        outcomes[3].result().unwrap().id,
        outcomes[2].result().unwrap().id
    );
    assert_eq!(balance(&mut bank, &payer), money("88.00"));
    assert_audit_ok(&mut bank);
}

/// Taking the keys for new must not change a single answer: a conflict found by the index
/// frees the funds it would have used, a replay inside a linked chain keeps the chain, a replay
/// moves nothing against the approved total, and the statement shape that met the used key
/// runs again on the same connection.
#[test]
fn answers_found_by_the_journals_index_are_those_of_a_lookup() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, payer) = customer_with_account(&mut bank, "payer@example.com", "20.00");
    let (_, alice) = customer_with_account(&mut bank, "alice@example.com", "0");
    let (_, bob) = customer_with_account(&mut bank, "bob@example.com", "0");
    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let used = pay(&payer, &alice, "5.00");
    bank.batches()
        .post_batch(&operator, std::slice::from_ref(&used), &mut approval)
        .unwrap();

    // The same key for 15.00 is a conflict, so the payer's 15.00 is there for Bob.
    let mut conflict = pay(&payer, &alice, "15.00");
    conflict.key = used.key.clone();
    let outcomes = bank
        .batches()
        .post_batch(
            &operator,
            &[conflict, pay(&payer, &bob, "15.00")],
            &mut approval,
        )
        .unwrap();
    assert_eq!(codes(&outcomes), ["idempotency_conflict", "done"]);
    assert_eq!(balance(&mut bank, &payer), money("0.00"));

    // A replay inside a linked chain: the chain goes through.
    let mut first = pay(&bob, &alice, "1.00");
    first.linked = true;
    let mut again = used.clone();
    again.linked = true;
    let outcomes = bank
        .batches()
        .post_batch(
            &operator,
            &[first, again, pay(&bob, &alice, "2.00")],
            &mut approval,
        )
        .unwrap();
    assert_eq!(codes(&outcomes), ["done", "replayed", "done"]);

    // Replays against an approval of 1.00: they move nothing, so nothing needs approving.
    let mut small = bank
        .batches()
        .approve_batch(&operator, "tests", money("1.00"), None)
        .unwrap();
    let outcomes = bank
        .batches()
        .post_batch(&operator, &[used.clone(), used.clone()], &mut small)
        .unwrap();
    assert_eq!(codes(&outcomes), ["replayed", "replayed"]);
    assert_eq!(small.remaining(), money("1.00"));

    // Five rows go as a statement of 4 then one of 1; the 4 meets the used key, and the 4
    // new transfers run that very statement again.
    let mut batch = vec![used];
    batch.extend((0..4).map(|_| pay(&bob, &alice, "1.00")));
    let rows = journal_rows(&mut bank);
    let outcomes = bank
        .batches()
        .post_batch(&operator, &batch, &mut approval)
        .unwrap();
    assert_eq!(
        codes(&outcomes),
        ["replayed", "done", "done", "done", "done"]
    );
    assert_eq!(journal_rows(&mut bank) - rows, 4);
    assert_eq!(balance(&mut bank, &bob), money("8.00"));
    assert_audit_ok(&mut bank);
}

/// 2,001 transfers go as a statement of 2,000 and one of 1: every answer names its own row.
#[test]
fn every_transfer_of_a_batch_over_two_statements_names_its_own_journal_row() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (payer, payees) = payer_and_payees(&mut bank, "5000.00", 3);
    let batch: Vec<BatchTransfer> = (0..2_001)
        .map(|i| pay(&payer, &payees[i % 3], "1.00"))
        .collect();
    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let outcomes = bank
        .batches()
        .post_batch(&operator, &batch, &mut approval)
        .unwrap();
    assert!(outcomes.iter().all(|o| o.status() == "done"));
    for i in [0, 1_999, 2_000] {
        let row = teller::db::movements::find_by_key(bank.connection(), batch[i].key.as_str())
            .unwrap()
            .unwrap();
        assert_eq!(outcomes[i].result().unwrap().id, row.id, "transfer {i}");
        assert_eq!(
            row.credit_account_id.to_string(),
            payees[i % 3].as_str()[..9]
        );
    }
    assert_eq!(balance(&mut bank, &payer), money("2999.00"));
    assert_audit_ok(&mut bank);
}

/// How often this session rolled back to a savepoint (a batch's insert that met a used key).
fn savepoint_rollbacks(bank: &mut Bank) -> u64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Status {
        #[diesel(sql_type = diesel::sql_types::Text, column_name = Value)]
        value: String,
    }
    let status: Status = diesel::sql_query("SHOW SESSION STATUS LIKE 'Com_rollback_to_savepoint'")
        .get_result(bank.connection())
        .unwrap();
    status.value.parse().unwrap()
}

/// A file posted again: once a batch has met used keys, the next reads its keys first instead
/// of trying an insert the journal's index throws back.
#[test]
fn after_a_batch_of_replays_the_next_reads_its_keys_first() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, payer) = customer_with_account(&mut bank, "payer@example.com", "1000.00");
    let (_, alice) = customer_with_account(&mut bank, "alice@example.com", "0");
    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let file: Vec<Vec<BatchTransfer>> = (0..3)
        .map(|_| (0..10).map(|_| pay(&payer, &alice, "1.00")).collect())
        .collect();
    for batch in &file {
        bank.batches()
            .post_batch(&operator, batch, &mut approval)
            .unwrap();
    }
    let start = savepoint_rollbacks(&mut bank);
    for (i, batch) in file.iter().enumerate() {
        let outcomes = bank
            .batches()
            .post_batch(&operator, batch, &mut approval)
            .unwrap();
        assert!(outcomes.iter().all(|o| o.status() == "replayed"));
        // Only the first batch posted again learns it through the index.
        assert_eq!(savepoint_rollbacks(&mut bank) - start, 1, "batch {i}");
    }
    // A new batch after them reads its keys too, finds none, and the next goes back to
    // taking keys for new.
    let fresh: Vec<BatchTransfer> = (0..2).map(|_| pay(&payer, &alice, "1.00")).collect();
    let outcomes = bank
        .batches()
        .post_batch(&operator, &fresh, &mut approval)
        .unwrap();
    assert_eq!(codes(&outcomes), ["done", "done"]);
    assert_eq!(balance(&mut bank, &payer), money("968.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn a_linked_chain_in_the_database_moves_all_or_nothing() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, payer) = customer_with_account(&mut bank, "payer@example.com", "100.00");
    let (_, alice) = customer_with_account(&mut bank, "alice@example.com", "0");
    let (_, bob) = customer_with_account(&mut bank, "bob@example.com", "0");
    let mut first = pay(&payer, &alice, "60.00");
    first.linked = true;
    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let outcomes = bank
        .batches()
        .post_batch(
            &operator,
            &[
                first,
                pay(&payer, &bob, "60.00"),
                pay(&payer, &bob, "10.00"),
            ],
            &mut approval,
        )
        .unwrap();
    assert_eq!(
        codes(&outcomes),
        ["linked_event_failed", "insufficient_funds", "done"]
    );
    assert_eq!(balance(&mut bank, &alice), money("0"));
    assert_eq!(balance(&mut bank, &bob), money("10.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn staff_need_a_supervisor_for_a_total_above_the_limit_once() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = user(&mut bank, "teller@example.com", Role::Teller);
    user(&mut bank, "boss@example.com", Role::Admin);
    let (payer, payees) = payer_and_payees(&mut bank, "20000.00", 3);
    // 3 x 4,000 = 12,000: each below the 10,000 limit, the total above it.
    let total = money("12000.00");
    let refused = bank
        .batches()
        .approve_batch(&teller, payer.as_str(), total, None);
    assert!(
        matches!(refused, Err(BankError::ApprovalRequired(_))),
        "{refused:?}"
    );
    let boss = Approval::Typed {
        supervisor: email("boss@example.com"),
        password: teller::domain::Secret::new(PASSWORD.into()),
    };
    let mut approval = bank
        .batches()
        .approve_batch(&teller, payer.as_str(), total, Some(&boss))
        .expect("approved");
    assert_eq!(approval.approved_by(), Some("boss@example.com"));
    let batch: Vec<BatchTransfer> = payees.iter().map(|p| pay(&payer, p, "4000.00")).collect();
    let outcomes = bank
        .batches()
        .post_batch(&teller, &batch[..2], &mut approval)
        .unwrap();
    assert!(outcomes.iter().all(|o| o.status() == "done"));
    // The approval covers what it was given for, and no more.
    let mut more = batch[2].clone();
    more.amount = Amount::parse("4000.01").unwrap();
    let over = bank.batches().post_batch(&teller, &[more], &mut approval);
    assert!(
        matches!(over, Err(BankError::ApprovalRequired(_))),
        "{over:?}"
    );
    let rest = bank
        .batches()
        .post_batch(&teller, &batch[2..], &mut approval)
        .unwrap();
    assert_eq!(rest[0].status(), "done");
    assert_eq!(approval.remaining(), Decimal::ZERO);
    let rows = teller::db::movements::find_by_key(bank.connection(), batch[0].key.as_str())
        .unwrap()
        .unwrap();
    assert_eq!(rows.approved_by.as_deref(), Some("boss@example.com"));
}

#[test]
fn a_customer_pays_only_from_their_own_account_and_sees_only_their_balance() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (diana, mine) = customer_with_account(&mut bank, "diana@example.com", "100.00");
    let (_, theirs) = customer_with_account(&mut bank, "marco@example.com", "100.00");
    let mut approval = bank
        .batches()
        .approve_batch(&diana, mine.as_str(), money("50"), None)
        .unwrap();
    let outcomes = bank
        .batches()
        .post_batch(
            &diana,
            &[pay(&mine, &theirs, "20.00"), pay(&theirs, &mine, "20.00")],
            &mut approval,
        )
        .unwrap();
    assert_eq!(codes(&outcomes), ["done", "not_found"]);
    let done = outcomes[0].result().unwrap();
    assert_eq!(done.balances, [(mine.clone(), money("80.00"))]);
    assert_eq!(balance(&mut bank, &theirs), money("120.00"));
}

#[test]
fn a_batch_may_hold_at_most_8190_transfers() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "0");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "0");
    let operator = operator();
    let mut approval = unlimited(&mut bank, &operator);
    let too_many: Vec<BatchTransfer> = (0..8191).map(|_| pay(&a, &b, "1.00")).collect();
    let error = bank
        .batches()
        .post_batch(&operator, &too_many, &mut approval)
        .unwrap_err();
    assert_eq!(error.code(), "batch_too_large");
}

const RACERS: usize = 8;
const ROUNDS: usize = 15;
const SHARED: usize = 6;

#[test]
fn batches_racing_single_transfers_keep_every_cent_and_never_deadlock_a_caller() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let accounts: Vec<AccountNumber> = (0..SHARED)
        .map(|i| customer_with_account(&mut bank, &format!("s{i}@example.com"), "500.00").1)
        .collect();
    let total_before: Decimal = accounts.iter().map(|a| balance(&mut bank, a)).sum();
    let accounts = Arc::new(accounts);
    let start = Arc::new(Barrier::new(RACERS));
    let workers: Vec<_> = (0..RACERS)
        .map(|n| {
            let accounts = Arc::clone(&accounts);
            let start = Arc::clone(&start);
            let url = db.app_url.clone();
            std::thread::spawn(move || {
                let conn = teller::db::connect_app(&url, false).expect("connect");
                let mut bank = Bank::new(conn, &url, test_config());
                let operator = operator();
                let mut approval = bank
                    .batches()
                    .approve_batch(&operator, "race", money("100000000"), None)
                    .unwrap();
                let mut rng = rand::rng();
                start.wait();
                let mut moved = 0usize;
                for _ in 0..ROUNDS {
                    let mut pick = || {
                        let from = rng.random_range(0..SHARED);
                        let to = (from + rng.random_range(1..SHARED)) % SHARED;
                        let cents = rng.random_range(1..=9_000);
                        BatchTransfer {
                            from: accounts[from].clone(),
                            to: accounts[to].clone(),
                            amount: Amount::from_decimal(Decimal::new(cents, 2)).unwrap(),
                            key: IdempotencyKey::generate(),
                            memo: None,
                            linked: false,
                        }
                    };
                    if n % 2 == 0 {
                        let batch: Vec<BatchTransfer> = (0..40).map(|_| pick()).collect();
                        let outcomes = bank
                            .batches()
                            .post_batch(&operator, &batch, &mut approval)
                            .unwrap();
                        for o in &outcomes {
                            match o {
                                BatchOutcome::Done(_) => moved += 1,
                                BatchOutcome::Refused(BankError::InsufficientFunds { .. }) => {}
                                other => panic!("unexpected {other:?}"),
                            }
                        }
                    } else {
                        let t = pick();
                        let request = teller::services::TransferRequest {
                            from: t.from,
                            to: t.to,
                            amount: t.amount,
                            key: t.key,
                            memo: None,
                        };
                        match bank.money().transfer(&operator, &request, None) {
                            Ok(_) => moved += 1,
                            Err(BankError::InsufficientFunds { .. }) => {}
                            Err(other) => panic!("a transfer failed: {other:?}"),
                        }
                    }
                }
                moved
            })
        })
        .collect();
    let moved: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(moved > 0);
    let total_after: Decimal = accounts.iter().map(|a| balance(&mut bank, a)).sum();
    assert_eq!(total_after, total_before, "money created or lost");
    for account in accounts.iter() {
        assert!(balance(&mut bank, account) >= Decimal::ZERO);
    }
    assert_audit_ok(&mut bank);
}

#[test]
fn a_payment_file_is_read_once_and_what_was_checked_is_what_is_posted() {
    use teller::bulk::{post_file, FileError, PostError, PostOptions, Prepared};
    let db = TestDb::new();
    let mut bank = db.bank();
    let (diana, mine) = customer_with_account(&mut bank, "diana@example.com", "100.00");
    let (_, payee) = customer_with_account(&mut bank, "marco@example.com", "0");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pay.csv");
    std::fs::write(&file, format!("to,amount\n{payee},10.00\n{payee},5.00\n")).unwrap();
    let prepared = Prepared::read(&file, Some(mine.clone())).unwrap();
    assert_eq!(prepared.check().total, money("15.00"));
    let previewed = prepared.check().digest;

    // The file changes after it was read: the bytes read are posted, not the new ones.
    std::fs::write(&file, format!("to,amount\n{payee},90.00\n{payee},9.00\n")).unwrap();
    let options = PostOptions {
        dry_run: false,
        skip_invalid: false,
        batch_size: 1,
        expect_digest: Some(previewed),
    };
    let posted = post_file(&mut bank, &diana, None, &prepared, &options, |_, _| {}).unwrap();
    assert_eq!(posted.tally.done, 2);
    assert_eq!(posted.tally.moved, money("15.00"));
    assert_eq!(posted.check.digest, previewed);
    assert_eq!(balance(&mut bank, &mine), money("85.00"));
    assert_eq!(posted.results, dir.path().join("pay.csv.results.csv"));

    // Read again, the changed file is not the previewed one: refused, nothing moves.
    let rows = journal_rows(&mut bank);
    let changed = Prepared::read(&file, Some(mine.clone())).unwrap();
    let refused = post_file(&mut bank, &diana, None, &changed, &options, |_, _| {});
    assert!(
        matches!(
            refused,
            Err(PostError::File(FileError::NotPreviewed { .. }))
        ),
        "{:?}",
        refused.err()
    );
    assert_eq!(journal_rows(&mut bank), rows);
    assert_eq!(balance(&mut bank, &mine), money("85.00"));
}

#[test]
fn a_file_s_parts_are_weighed_in_dollars_at_their_accounts_currencies() {
    use std::collections::BTreeMap;
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = user(&mut bank, "teller@example.com", Role::Teller);
    let admin = user(&mut bank, "fx-admin@example.com", Role::Admin);
    bank.fx()
        .add_currency(&admin, Currency::KWD, None)
        .expect("KWD");
    set_rate(
        &mut bank,
        &admin,
        Currency::USD,
        Currency::KWD,
        "0.30712",
        "0.30901",
    );
    let (_, usd) = customer_with_account(&mut bank, "employer@example.com", "0");
    let kwd = open_account(&mut bank, "employer@example.com", Currency::KWD);
    let parts = |list: &[(&AccountNumber, &str)]| -> BTreeMap<String, Decimal> {
        list.iter()
            .map(|(account, raw)| (account.as_str().to_string(), money(raw)))
            .collect()
    };
    // 4,000 dinars: the figure is under 10,000, the value (about 12,984 dollars) is not.
    let refused = bank.batches().approve_batch_file(
        &teller,
        kwd.as_str(),
        (money("4000"), &parts(&[(&kwd, "4000")])),
        None,
        None,
    );
    assert!(
        matches!(refused, Err(BankError::ApprovalRequired(_))),
        "{refused:?}"
    );
    // 2,000 dinars (6,492 dollars) and 3,000 dollars: 9,492 dollars, within the limit.
    bank.batches()
        .approve_batch_file(
            &teller,
            "mixed.csv",
            (money("5000"), &parts(&[(&kwd, "2000"), (&usd, "3000.00")])),
            None,
            None,
        )
        .expect("within the limit");
}
