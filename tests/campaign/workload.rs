//! A client of the campaign: a workstation sending transfers and small payment batches between
//! a few hot accounts, each with its own keys. An answer that leaves the outcome unknown (the
//! node went away, no second node confirmed) is resubmitted with the same keys, as a teller
//! would, until the bank answers for certain or the client gives up; every key's end is
//! recorded in the history.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use teller::domain::{AccountNumber, Amount, IdempotencyKey};
use teller::services::{Bank, BankError, BatchOutcome, BatchTransfer, TransferRequest};

use super::history::{History, KeyRecord, Outcome};
use crate::common::{operator, test_config};

/// How long a client keeps resubmitting one operation before calling its outcome unknown.
const GIVE_UP: Duration = Duration::from_secs(90);

pub struct Client {
    pub id: usize,
    pub url: String,
    pub accounts: Arc<Vec<AccountNumber>>,
    pub stop: Arc<AtomicBool>,
    pub history: Arc<History>,
    pub seed: u64,
    pub started: Instant,
    /// Keys start with this, so the checker can tell the campaign's movements.
    pub prefix: String,
}

/// What one attempt's error means for the operation.
enum Next {
    Failed(String),
    SendAgain(String),
}

fn next_after(error: &BankError) -> Next {
    // Unknown: the connection went, no second node confirmed, or an unexpected database error.
    // Everything else is certain: a refusal, or rolled back (busy) with nothing done.
    if error.leaves_outcome_unknown() || matches!(error, BankError::Database(_)) {
        Next::SendAgain(format!("{}: {error}", error.code()))
    } else {
        Next::Failed(error.code().to_string())
    }
}

impl Client {
    pub fn run(self) {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut bank: Option<Bank> = None;
        let mut n = 0u64;
        while !self.stop.load(Ordering::Relaxed) {
            n += 1;
            let size = if rng.random_bool(0.15) {
                rng.random_range(2..=4)
            } else {
                1
            };
            let transfers: Vec<BatchTransfer> =
                (0..size).map(|i| self.transfer(&mut rng, n, i)).collect();
            self.settle(&mut bank, &transfers);
        }
    }

    fn transfer(&self, rng: &mut StdRng, n: u64, i: usize) -> BatchTransfer {
        let count = self.accounts.len();
        let from = rng.random_range(0..count);
        let to = (from + rng.random_range(1..count)) % count;
        let cents = rng.random_range(100..=3_000i64);
        BatchTransfer {
            from: self.accounts[from].clone(),
            to: self.accounts[to].clone(),
            amount: Amount::from_decimal(Decimal::new(cents, 2)).expect("a positive amount"),
            key: IdempotencyKey::parse(&format!("{}-{}-{n}-{i}", self.prefix, self.id))
                .expect("a valid key"),
            memo: None,
            linked: false,
        }
    }

    /// Sends the operation (one transfer, or a batch of them) until the bank answers for
    /// certain or `GIVE_UP` passes, and records each key's end.
    fn settle(&self, bank: &mut Option<Bank>, transfers: &[BatchTransfer]) {
        let invoked = self.started.elapsed();
        let deadline = Instant::now() + GIVE_UP;
        let mut attempts = 0;
        let outcomes: Vec<Outcome> = loop {
            if bank.is_none() {
                *bank = Bank::connect(&self.url, test_config()).ok();
            }
            let Some(b) = bank.as_mut() else {
                if Instant::now() >= deadline {
                    break vec![Outcome::Unknown("no node answered".into()); transfers.len()];
                }
                std::thread::sleep(Duration::from_millis(300));
                continue;
            };
            attempts += 1;
            let answer = if let [one] = transfers {
                send_one(b, one).map(|o| vec![o])
            } else {
                send_batch(b, transfers)
            };
            match answer {
                Ok(outcomes) => break outcomes,
                Err(Next::Failed(code)) => break vec![Outcome::Fail(code); transfers.len()],
                Err(Next::SendAgain(why)) => {
                    if Instant::now() >= deadline {
                        break vec![Outcome::Unknown(why); transfers.len()];
                    }
                    *bank = None;
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        };
        let completed = self.started.elapsed();
        let kind = if transfers.len() == 1 {
            "transfer"
        } else {
            "batch"
        };
        for (transfer, outcome) in transfers.iter().zip(outcomes) {
            self.history.complete(
                transfer.key.as_str(),
                KeyRecord {
                    client: self.id,
                    kind,
                    invoked,
                    completed,
                    attempts,
                    outcome,
                },
            );
        }
    }
}

fn send_one(bank: &mut Bank, transfer: &BatchTransfer) -> Result<Outcome, Next> {
    let request = TransferRequest {
        from: transfer.from.clone(),
        to: transfer.to.clone(),
        amount: transfer.amount,
        key: transfer.key.clone(),
        memo: None,
    };
    match bank.money().transfer(&operator(), &request, None) {
        Ok(_) => Ok(Outcome::Ok),
        Err(error) => match next_after(&error) {
            Next::Failed(code) => Ok(Outcome::Fail(code)),
            again => Err(again),
        },
    }
}

fn send_batch(bank: &mut Bank, transfers: &[BatchTransfer]) -> Result<Vec<Outcome>, Next> {
    let actor = operator();
    let total: Decimal = transfers.iter().map(|t| t.amount.value()).sum();
    let mut approval = bank
        .batches()
        .approve_batch(&actor, "campaign", total, None)
        .map_err(|e| next_after(&e))?;
    let outcomes = bank
        .batches()
        .post_batch(&actor, transfers, &mut approval)
        .map_err(|e| next_after(&e))?;
    Ok(outcomes
        .iter()
        .map(|outcome| match outcome {
            BatchOutcome::Done(_) | BatchOutcome::Replayed(_) => Outcome::Ok,
            BatchOutcome::Refused(error) => Outcome::Fail(error.code().to_string()),
            BatchOutcome::Checked => Outcome::Fail("checked only".into()),
        })
        .collect())
}
