//! Many transfers in one ACID transaction (TigerBeetle's lesson, on SQL): every account of the
//! batch locked once, in ascending id order, in one statement; every transfer checked in order
//! in memory (`plan`), each with its own result; then one multi-row insert for the journal, one
//! for the audit and one statement for the balances; one commit. What lands in the journal and
//! the audit is exactly what single transfers write, so `teller audit`, the hash chain and the
//! idempotency keys treat batched and single transfers alike.

mod plan;

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use super::accounts::{account_id, number_of};
use super::approvals::Approval;
use super::authz::may_use_account;
use super::bank::now;
use super::money::result_of;
use super::views::utc;
use super::{Actor, Bank, BankError, BankResult, MoneyResult, MovementKind, Party};
use crate::db::audit_log::NewAuditEntry;
use crate::db::movements::{MovementRow, NewMovement};
use crate::db::{accounts, batch as queries, Connection};
use crate::domain::{format_money, AccountNumber, Amount, IdempotencyKey, Memo, Role};
use plan::Step;

/// Transfers per batch unless told otherwise.
pub const DEFAULT_BATCH: usize = 1_000;
/// The most one batch may hold (TigerBeetle's limit).
pub const MAX_BATCH: usize = 8_190;

/// One transfer of a batch.
#[derive(Debug, Clone)]
pub struct BatchTransfer {
    pub from: AccountNumber,
    pub to: AccountNumber,
    pub amount: Amount,
    pub key: IdempotencyKey,
    pub memo: Option<Memo>,
    /// Linked to the next transfer: the chain they form moves all or nothing.
    pub linked: bool,
}

/// What became of one transfer of a batch.
#[derive(Debug)]
pub enum BatchOutcome {
    Done(MoneyResult),
    /// Its key was applied before with the same request: nothing moved now.
    Replayed(MoneyResult),
    /// Refused with the error a single transfer would get.
    Refused(BankError),
}

impl BatchOutcome {
    pub fn status(&self) -> &'static str {
        match self {
            Self::Done(_) => "done",
            Self::Replayed(_) => "replayed",
            Self::Refused(_) => "refused",
        }
    }

    pub fn result(&self) -> Option<&MoneyResult> {
        match self {
            Self::Done(result) | Self::Replayed(result) => Some(result),
            Self::Refused(_) => None,
        }
    }

    pub fn error(&self) -> Option<&BankError> {
        match self {
            Self::Refused(error) => Some(error),
            _ => None,
        }
    }
}

/// The supervisor's approval of a whole file (four eyes once, not once per batch): how much it
/// still covers and who approved. Only `Bank::approve_batch` makes one.
#[derive(Debug, Clone)]
pub struct BatchApproval {
    approved_by: Option<String>,
    remaining: Decimal,
}

impl BatchApproval {
    /// How much more this approval lets move.
    pub fn remaining(&self) -> Decimal {
        self.remaining
    }

    pub fn approved_by(&self) -> Option<&str> {
        self.approved_by.as_deref()
    }
}

impl Bank {
    /// Checks once whether moving `total` in batches needs a supervisor (staff above the
    /// approval limit, as for one transfer of that amount) and verifies the approval if so.
    pub fn approve_batch(
        &mut self,
        actor: &Actor,
        subject: &str,
        total: Decimal,
        approval: Option<&Approval>,
    ) -> BankResult<BatchApproval> {
        let amount = Amount::from_decimal(total.min(Amount::max_value()))?;
        let approved_by = self.approval(actor, "batch", subject, amount, true, approval)?;
        Ok(BatchApproval {
            approved_by,
            remaining: total,
        })
    }

    /// Posts `requests` in order in one transaction and answers one outcome per request.
    /// The money moved comes off `approval`, which must cover it.
    pub fn post_batch(
        &mut self,
        actor: &Actor,
        requests: &[BatchTransfer],
        approval: &mut BatchApproval,
    ) -> BankResult<Vec<BatchOutcome>> {
        if requests.len() > MAX_BATCH {
            return Err(BankError::BatchTooLarge(MAX_BATCH));
        }
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let audit_name = actor.audit_name();
        let customer = actor.role() == Some(Role::Customer);
        let covered = approval.remaining;
        let approved_by = approval.approved_by.clone();
        let written = self.in_transaction(|conn| {
            let (steps, accounts) = plan_locked(conn, actor, requests)?;
            let moved: Decimal = requests
                .iter()
                .zip(&steps)
                .filter(|(_, step)| matches!(step, Step::Post { .. }))
                .map(|(request, _)| request.amount.value())
                .sum();
            if moved > covered {
                return Err(BankError::ApprovalRequired(format!(
                    "Moving {} more than the approved total",
                    format_money(moved - covered)
                )));
            }
            let outcomes = write(
                conn,
                requests,
                steps,
                &accounts,
                &audit_name,
                approved_by.as_deref(),
            )?;
            Ok((outcomes, moved))
        });
        let (mut outcomes, moved) = match written {
            Ok(done) => done,
            Err(e @ BankError::ApprovalRequired(_)) => {
                return self.refused(actor, "batch", None, e);
            }
            Err(e) => return Err(e),
        };
        approval.remaining -= moved;
        if customer {
            // A customer is told their own balance only, never the recipient's.
            for (outcome, request) in outcomes.iter_mut().zip(requests) {
                if let BatchOutcome::Done(result) | BatchOutcome::Replayed(result) = outcome {
                    result
                        .balances
                        .retain(|(number, _)| number == request.from.as_str());
                }
            }
        }
        Ok(outcomes)
    }
}

/// Locks every account of the batch (ascending ids, one statement), reads the keys already in
/// the journal, and plans each transfer.
fn plan_locked(
    conn: &mut Connection,
    actor: &Actor,
    requests: &[BatchTransfer],
) -> BankResult<(Vec<Step>, HashMap<i64, accounts::AccountRow>)> {
    let mut ids: Vec<i64> = requests
        .iter()
        .flat_map(|r| [account_id(&r.from), account_id(&r.to)])
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    ids.sort_unstable();
    let mut rows: HashMap<i64, accounts::AccountRow> = accounts::lock(conn, &ids)?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    // Read after the locks: a batch that held them has committed, so its keys are seen.
    let keys: Vec<&str> = requests.iter().map(|r| r.key.as_str()).collect();
    let known: HashMap<String, MovementRow> = queries::movements_with_keys(conn, &keys)?
        .into_iter()
        .map(|row| (row.idempotency_key.clone(), row))
        .collect();
    let steps = plan::plan(requests, &mut rows, &known, |owner| {
        may_use_account(actor, owner)
    });
    Ok((steps, rows))
}

/// Writes the planned batch: the journal rows, their ids, the balances, an audit line for
/// every transfer (done, replayed or refused), and turns the steps into outcomes.
fn write(
    conn: &mut Connection,
    requests: &[BatchTransfer],
    steps: Vec<Step>,
    accounts: &HashMap<i64, accounts::AccountRow>,
    actor: &str,
    approved_by: Option<&str>,
) -> BankResult<Vec<BatchOutcome>> {
    let at = now();
    let currency_of = |id: i64| accounts.get(&id).map_or("", |row| row.currency.as_str());
    let mut rows: Vec<NewMovement> = Vec::new();
    for (request, step) in requests.iter().zip(&steps) {
        if let Step::Post {
            debit_after,
            credit_after,
        } = step
        {
            rows.push(NewMovement {
                idempotency_key: request.key.as_str(),
                kind: MovementKind::Transfer.as_str(),
                debit_account_id: account_id(&request.from),
                credit_account_id: account_id(&request.to),
                amount: request.amount.value(),
                currency: currency_of(account_id(&request.from)),
                memo: request.memo.as_ref().map(Memo::as_str),
                debit_balance_after: *debit_after,
                credit_balance_after: *credit_after,
                reverses_id: None,
                actor,
                approved_by,
                created_at: at,
                drawer_session_id: None,
            });
        }
    }
    let ids: HashMap<&str, i64> = rows
        .iter()
        .map(|r| r.idempotency_key)
        .zip(queries::insert_movements(conn, &rows)?)
        .collect();
    // Each account's balance after the batch: the last posting that touched it.
    let mut balances: HashMap<i64, Decimal> = HashMap::new();
    for row in &rows {
        balances.insert(row.debit_account_id, row.debit_balance_after);
        balances.insert(row.credit_account_id, row.credit_balance_after);
    }
    let mut balances: Vec<(i64, Decimal)> = balances.into_iter().collect();
    balances.sort_unstable();
    queries::set_balances(conn, &balances)?;

    let mut outcomes: Vec<BatchOutcome> = Vec::with_capacity(requests.len());
    for (request, step) in requests.iter().zip(steps) {
        let outcome = match step {
            Step::Post {
                debit_after,
                credit_after,
            } => {
                let id = ids.get(request.key.as_str()).copied().ok_or_else(|| {
                    BankError::Database(format!("no journal row for key {}", request.key))
                })?;
                BatchOutcome::Done(done(
                    request,
                    id,
                    debit_after,
                    credit_after,
                    currency_of,
                    at,
                ))
            }
            Step::Replay(row) => BatchOutcome::Replayed(result_of(&row, true)),
            Step::ReplayInBatch(earlier) => {
                match outcomes.get(earlier).and_then(BatchOutcome::result) {
                    Some(first) => BatchOutcome::Replayed(MoneyResult {
                        replayed: true,
                        ..first.clone()
                    }),
                    None => BatchOutcome::Refused(BankError::IdempotencyConflict(
                        request.key.to_string(),
                    )),
                }
            }
            Step::Refuse(error) => BatchOutcome::Refused(error),
        };
        outcomes.push(outcome);
    }
    let details: Vec<String> = requests
        .iter()
        .zip(&outcomes)
        .map(|(request, outcome)| audit_detail(request, outcome))
        .collect();
    let lines: Vec<NewAuditEntry> = requests
        .iter()
        .zip(&outcomes)
        .zip(&details)
        .map(|((request, outcome), detail)| NewAuditEntry {
            at,
            actor,
            action: MovementKind::Transfer.as_str(),
            subject: Some(request.from.as_str()),
            outcome: match outcome {
                BatchOutcome::Done(_) => "ok",
                BatchOutcome::Replayed(_) => "replayed",
                BatchOutcome::Refused(error) => error.code(),
            },
            detail: Some(detail),
            approved_by: matches!(outcome, BatchOutcome::Done(_))
                .then_some(approved_by)
                .flatten(),
        })
        .collect();
    queries::insert_audit(conn, &lines)?;
    Ok(outcomes)
}

/// The result of a transfer the batch wrote, as a single transfer reports it.
fn done<'a>(
    request: &BatchTransfer,
    id: i64,
    debit_after: Decimal,
    credit_after: Decimal,
    currency_of: impl Fn(i64) -> &'a str,
    at: chrono::NaiveDateTime,
) -> MoneyResult {
    MoneyResult {
        id,
        key: request.key.to_string(),
        kind: MovementKind::Transfer,
        amount: request.amount.value(),
        currency: currency_of(account_id(&request.from)).to_string(),
        from: Party::Account(number_of(account_id(&request.from))),
        to: Party::Account(number_of(account_id(&request.to))),
        balances: vec![
            (request.from.as_str().to_string(), debit_after),
            (request.to.as_str().to_string(), credit_after),
        ],
        memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
        at: utc(at),
        replayed: false,
    }
}

/// The audit line's detail, in the words a single transfer uses.
fn audit_detail(request: &BatchTransfer, outcome: &BatchOutcome) -> String {
    match outcome {
        BatchOutcome::Done(result) => format!(
            "{} {} from {} to {}, key {}, reference {} (batch)",
            format_money(result.amount),
            result.currency,
            request.from,
            request.to,
            request.key,
            result.id
        ),
        BatchOutcome::Replayed(result) => {
            format!(
                "key {} replayed, reference {} (batch)",
                request.key, result.id
            )
        }
        BatchOutcome::Refused(error) => format!("{error} (batch, key {})", request.key),
    }
}
