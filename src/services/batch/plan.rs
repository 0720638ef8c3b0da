//! The heart of a batch, without the database: every transfer checked in order against the
//! locked accounts' balances as the batch leaves them, exactly as a single transfer is checked,
//! with linked chains that succeed or fail as one. Pure, so it is tested case by case.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::BatchTransfer;
use crate::db::accounts::AccountRow;
use crate::db::movements::MovementRow;
use crate::services::accounts::{account_id, account_not_found};
use crate::services::money::{ensure_open, Fingerprint};
use crate::services::{BankError, MovementKind};

/// What the plan decided for one transfer.
#[derive(Debug)]
pub(super) enum Step {
    /// To be written, with both balances after it.
    Post {
        debit_after: Decimal,
        credit_after: Decimal,
    },
    /// Applied before under this key with the same request: this row.
    Replay(Box<MovementRow>),
    /// Applied earlier in this very batch under the same key: that transfer's index.
    ReplayInBatch(usize),
    Refuse(BankError),
}

/// The fingerprint a batch transfer would leave in the journal.
pub(super) fn fingerprint(request: &BatchTransfer) -> Fingerprint {
    Fingerprint {
        kind: MovementKind::Transfer,
        debit: Some(account_id(&request.from)),
        credit: Some(account_id(&request.to)),
        amount: request.amount.value(),
        memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
    }
}

/// Keys posted by this batch so far: key (as `same_key` has it) -> (index, fingerprint).
type Posted = HashMap<String, (usize, Fingerprint)>;

/// A key as the journal compares it: without letter case (the unique index's collation), so
/// `ABC` and `abc` are one key here as in a single transfer. Keys are ASCII.
pub(super) fn same_key(key: &str) -> String {
    key.to_ascii_lowercase()
}

/// Plans `requests` in order. `accounts` are the locked rows by id (their balances move as the
/// plan goes); `known` the journal rows that already hold any of the batch's keys (by
/// `same_key`); `may_use`
/// says whether the actor may pay from an account with this owner.
pub(super) fn plan(
    requests: &[BatchTransfer],
    accounts: &mut HashMap<i64, AccountRow>,
    known: &HashMap<String, MovementRow>,
    may_use: impl Fn(Option<i64>) -> bool,
) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::with_capacity(requests.len());
    let mut posted: Posted = HashMap::new();
    // The open chain: where it began and each touched account's balance before it.
    let mut chain: Option<(usize, HashMap<i64, Decimal>)> = None;
    let mut i = 0;
    while i < requests.len() {
        let request = &requests[i];
        if request.linked && chain.is_none() {
            chain = Some((i, HashMap::new()));
        }
        let step = check(request, accounts, known, &posted, &may_use);
        if let Step::Post {
            debit_after,
            credit_after,
        } = &step
        {
            let (from, to) = (account_id(&request.from), account_id(&request.to));
            for (id, balance) in [(from, *debit_after), (to, *credit_after)] {
                if let Some(row) = accounts.get_mut(&id) {
                    if let Some((_, before)) = chain.as_mut() {
                        before.entry(id).or_insert(row.balance);
                    }
                    row.balance = balance;
                }
            }
            posted.insert(same_key(request.key.as_str()), (i, fingerprint(request)));
        }
        let failed = matches!(step, Step::Refuse(_));
        steps.push(step);
        match chain.take() {
            Some((start, before)) if failed => {
                // The chain fails as one: undo what it did, and refuse the rest of it.
                undo(
                    start,
                    i,
                    &before,
                    requests,
                    accounts,
                    &mut posted,
                    &mut steps,
                );
                let mut last = i;
                while requests[last].linked && last + 1 < requests.len() {
                    last += 1;
                    steps.push(Step::Refuse(BankError::LinkedEventFailed));
                }
                if requests[last].linked {
                    // The chain runs off the end of the batch as well.
                    for step in &mut steps[start..=last] {
                        *step = Step::Refuse(BankError::LinkedChainOpen);
                    }
                }
                i = last + 1;
                continue;
            }
            // The chain goes on to the next transfer.
            Some(open) if request.linked => chain = Some(open),
            // Its last transfer went through: the chain is done.
            _ => {}
        }
        i += 1;
    }
    if let Some((start, before)) = chain {
        // A chain may not end with the batch still open.
        undo(
            start,
            requests.len(),
            &before,
            requests,
            accounts,
            &mut posted,
            &mut steps,
        );
        for step in &mut steps[start..] {
            *step = Step::Refuse(BankError::LinkedChainOpen);
        }
    }
    steps
}

/// Undoes a failed chain's steps `start..end`: balances back, its keys forgotten, each refused
/// as "linked event failed" (the step at `end`, if any, keeps its own reason).
fn undo(
    start: usize,
    end: usize,
    before: &HashMap<i64, Decimal>,
    requests: &[BatchTransfer],
    accounts: &mut HashMap<i64, AccountRow>,
    posted: &mut Posted,
    steps: &mut [Step],
) {
    for (id, balance) in before {
        if let Some(row) = accounts.get_mut(id) {
            row.balance = *balance;
        }
    }
    for (k, request) in requests.iter().enumerate().take(end).skip(start) {
        let key = same_key(request.key.as_str());
        if posted.get(&key).is_some_and(|(index, _)| *index >= start) {
            posted.remove(&key);
        }
        steps[k] = Step::Refuse(BankError::LinkedEventFailed);
    }
}

/// One transfer, in the order a single transfer checks: same account, existence and permission,
/// then its key, then status, currency and funds.
fn check(
    request: &BatchTransfer,
    accounts: &HashMap<i64, AccountRow>,
    known: &HashMap<String, MovementRow>,
    posted: &Posted,
    may_use: &impl Fn(Option<i64>) -> bool,
) -> Step {
    if request.from == request.to {
        return Step::Refuse(BankError::SameAccount);
    }
    let customer = |number| {
        accounts
            .get(&account_id(number))
            .filter(|row| row.owner_id.is_some())
    };
    let Some(from) = customer(&request.from) else {
        return Step::Refuse(account_not_found(&request.from));
    };
    let Some(to) = customer(&request.to) else {
        return Step::Refuse(account_not_found(&request.to));
    };
    // Someone else's account answers as one that does not exist.
    if !may_use(from.owner_id) {
        return Step::Refuse(account_not_found(&request.from));
    }
    let mine = fingerprint(request);
    let key = same_key(request.key.as_str());
    if let Some(row) = known.get(&key) {
        return if Fingerprint::of_row(row) == mine {
            Step::Replay(Box::new(row.clone()))
        } else {
            Step::Refuse(BankError::IdempotencyConflict(request.key.to_string()))
        };
    }
    if let Some((earlier, theirs)) = posted.get(&key) {
        return if *theirs == mine {
            Step::ReplayInBatch(*earlier)
        } else {
            Step::Refuse(BankError::IdempotencyConflict(request.key.to_string()))
        };
    }
    if let Err(e) = ensure_open(from).and_then(|()| ensure_open(to)) {
        return Step::Refuse(e);
    }
    if from.currency != to.currency {
        return Step::Refuse(BankError::CurrencyMismatch {
            from: from.number.clone(),
            from_currency: from.currency,
            to: to.number.clone(),
            to_currency: to.currency,
        });
    }
    let amount = request.amount.value();
    let debit_after = from.balance - amount;
    if debit_after < Decimal::ZERO {
        return Step::Refuse(BankError::InsufficientFunds {
            account: from.number.clone(),
            balance: from.balance,
            needed: amount,
        });
    }
    Step::Post {
        debit_after,
        credit_after: to.balance + amount,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;
    use crate::domain::{AccountKind, AccountNumber, AccountStatus, Amount, IdempotencyKey};

    const PAYER: u32 = 100_000_001;
    const ALICE: u32 = 100_000_002;
    const BOB: u32 = 100_000_003;
    const EURO: u32 = 100_000_004;
    const FROZEN: u32 = 100_000_005;

    fn number(serial: u32) -> AccountNumber {
        AccountNumber::from_serial(serial).unwrap()
    }

    fn row(serial: u32, balance: &str) -> AccountRow {
        AccountRow {
            id: i64::from(serial),
            number: number(serial).as_str().to_string(),
            owner_id: Some(i64::from(serial)),
            kind: AccountKind::Customer,
            label: None,
            currency: if serial == EURO {
                crate::domain::Currency::EUR
            } else {
                crate::domain::Currency::USD
            },
            status: if serial == FROZEN {
                AccountStatus::Frozen
            } else {
                AccountStatus::Open
            },
            balance: balance.parse().unwrap(),
            created_at: NaiveDateTime::default(),
            updated_at: NaiveDateTime::default(),
            last_movement_id: None,
        }
    }

    fn accounts(payer: &str) -> HashMap<i64, AccountRow> {
        [
            row(PAYER, payer),
            row(ALICE, "0"),
            row(BOB, "0"),
            row(EURO, "0"),
            row(FROZEN, "0"),
        ]
        .into_iter()
        .map(|r| (r.id, r))
        .collect()
    }

    fn pay(to: u32, amount: &str, key: &str) -> BatchTransfer {
        BatchTransfer {
            from: number(PAYER),
            to: number(to),
            amount: Amount::parse(amount).unwrap(),
            key: IdempotencyKey::parse(key).unwrap(),
            memo: None,
            linked: false,
        }
    }

    fn linked(mut transfer: BatchTransfer) -> BatchTransfer {
        transfer.linked = true;
        transfer
    }

    fn run(requests: &[BatchTransfer], accounts: &mut HashMap<i64, AccountRow>) -> Vec<String> {
        plan(requests, accounts, &HashMap::new(), |_| true)
            .iter()
            .map(describe)
            .collect()
    }

    fn describe(step: &Step) -> String {
        match step {
            Step::Post { debit_after, .. } => format!("post {debit_after}"),
            Step::Replay(row) => format!("replay {}", row.id),
            Step::ReplayInBatch(i) => format!("replay #{i}"),
            Step::Refuse(e) => e.code().to_string(),
        }
    }

    fn balance(accounts: &HashMap<i64, AccountRow>, serial: u32) -> String {
        accounts[&i64::from(serial)].balance.normalize().to_string()
    }

    #[test]
    fn funds_run_out_half_way_and_the_rest_go_on() {
        let mut accounts = accounts("100.00");
        let steps = run(
            &[
                pay(ALICE, "60", "k1"),
                pay(BOB, "60", "k2"),
                pay(BOB, "40", "k3"),
            ],
            &mut accounts,
        );
        assert_eq!(steps, ["post 40.00", "insufficient_funds", "post 0.00"]);
        assert_eq!(balance(&accounts, BOB), "40");
        assert_eq!(balance(&accounts, ALICE), "60");
    }

    #[test]
    fn each_is_refused_as_a_single_transfer_would_be() {
        let mut accounts = accounts("100.00");
        let mut same = pay(ALICE, "1", "k4");
        same.to = number(PAYER);
        let steps = run(
            &[
                pay(FROZEN, "1", "k1"),
                pay(EURO, "1", "k2"),
                pay(100_000_099, "1", "k3"),
                same,
            ],
            &mut accounts,
        );
        assert_eq!(
            steps,
            [
                "account_frozen",
                "currency_mismatch",
                "not_found",
                "same_account"
            ]
        );
        // Someone else's account answers as a missing one.
        let steps: Vec<String> = plan(
            &[pay(ALICE, "1", "k5")],
            &mut accounts,
            &HashMap::new(),
            |_| false,
        )
        .iter()
        .map(describe)
        .collect();
        assert_eq!(steps, ["not_found"]);
    }

    #[test]
    fn keys_replay_when_the_request_is_the_same_and_conflict_when_not() {
        let mut accounts = accounts("100.00");
        let earlier = pay(ALICE, "10", "old");
        let journal_row = MovementRow {
            id: 77,
            idempotency_key: "old".into(),
            kind: MovementKind::Transfer,
            debit_account_id: i64::from(PAYER),
            credit_account_id: i64::from(ALICE),
            amount: earlier.amount.value(),
            currency: crate::domain::Currency::USD,
            memo: None,
            debit_balance_after: "90".parse().unwrap(),
            credit_balance_after: "10".parse().unwrap(),
            reverses_id: None,
            actor: "x".into(),
            approved_by: None,
            created_at: NaiveDateTime::default(),
            drawer_session_id: None,
            device: "local".into(),
        };
        let known = HashMap::from([("old".to_string(), journal_row)]);
        let requests = [
            earlier,
            pay(BOB, "10", "old"),
            pay(BOB, "5", "new"),
            pay(BOB, "5", "new"),
            pay(ALICE, "5", "new"),
        ];
        let steps: Vec<String> = plan(&requests, &mut accounts, &known, |_| true)
            .iter()
            .map(describe)
            .collect();
        assert_eq!(
            steps,
            [
                "replay 77",
                "idempotency_conflict",
                "post 95.00",
                "replay #2",
                "idempotency_conflict"
            ]
        );
        assert_eq!(balance(&accounts, PAYER), "95");
    }

    #[test]
    fn a_linked_chain_moves_all_or_nothing() {
        let mut accounts = accounts("100.00");
        let steps = run(
            &[
                linked(pay(ALICE, "30", "a1")),
                linked(pay(BOB, "30", "a2")),
                pay(FROZEN, "1", "a3"),
                pay(BOB, "5", "a4"),
            ],
            &mut accounts,
        );
        assert_eq!(
            steps,
            [
                "linked_event_failed",
                "linked_event_failed",
                "account_frozen",
                "post 95.00"
            ]
        );
        assert_eq!(balance(&accounts, ALICE), "0");
        assert_eq!(balance(&accounts, BOB), "5");

        // A chain that fails in its middle refuses its rest without looking at it.
        let mut accounts = self::accounts("100.00");
        let steps = run(
            &[
                linked(pay(ALICE, "30", "b1")),
                linked(pay(BOB, "300", "b2")),
                pay(ALICE, "1", "b3"),
                linked(pay(ALICE, "10", "b4")),
                pay(BOB, "10", "b5"),
            ],
            &mut accounts,
        );
        assert_eq!(
            steps,
            [
                "linked_event_failed",
                "insufficient_funds",
                "linked_event_failed",
                "post 90.00",
                "post 80.00"
            ]
        );
        assert_eq!(balance(&accounts, ALICE), "10");
        // The failed chain's keys are free again for a later transfer.
        let steps = run(&[pay(ALICE, "1", "b1")], &mut accounts);
        assert_eq!(steps, ["post 79.00"]);
    }

    #[test]
    fn a_chain_left_open_at_the_end_of_the_batch_moves_nothing() {
        let mut accounts = accounts("100.00");
        let steps = run(
            &[
                pay(ALICE, "1", "c0"),
                linked(pay(ALICE, "30", "c1")),
                linked(pay(BOB, "30", "c2")),
            ],
            &mut accounts,
        );
        assert_eq!(
            steps,
            [
                "post 99.00",
                "linked_event_chain_open",
                "linked_event_chain_open"
            ]
        );
        assert_eq!(balance(&accounts, PAYER), "99");
        assert_eq!(balance(&accounts, BOB), "0");
    }
}
