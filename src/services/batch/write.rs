//! Writing a planned batch: the journal rows, the balances and an audit line per transfer, in
//! a few set-based statements.

use crate::domain::AuditOutcome;
use std::collections::HashMap;

use rust_decimal::Decimal;

use super::plan::Step;
use super::{BatchOutcome, BatchTransfer};
use crate::db::audit_log::NewAuditEntry;
use crate::db::movements::NewMovement;
use crate::db::{accounts, batch as queries, Connection};
use crate::domain::{format_money, Currency, Memo};
use crate::services::accounts::account_id;
use crate::services::actor::Stamp;
use crate::services::bank::now;
use crate::services::money::result_of;
use crate::services::views::utc;
use crate::services::{BankError, BankResult, MoneyResult, MovementKind, Party};

/// Writes the planned batch: the journal rows, their ids, the balances, an audit line for
/// every transfer (done, replayed or refused), and turns the steps into outcomes.
///
/// `None` when the plan assumed its keys new (`keys_looked_up` false) and one was in the journal
/// after all: nothing is written then, and the batch is to be planned again knowing its keys.
pub(super) fn write(
    conn: &mut Connection,
    requests: &[BatchTransfer],
    steps: Vec<Step>,
    (accounts, locked): (
        &HashMap<i64, accounts::AccountRow>,
        &HashMap<i64, accounts::AccountRow>,
    ),
    keys_looked_up: bool,
    signed: (&Stamp, Option<&str>),
) -> BankResult<Option<Vec<BatchOutcome>>> {
    let (stamp, approved_by) = signed;
    let (actor, device) = (stamp.actor.as_str(), stamp.device.as_str());
    let at = now();
    // Every account of the batch was locked and checked before: one missing is a fault.
    let currency_of = |id: i64| {
        accounts.get(&id).map(|row| row.currency).ok_or_else(|| {
            BankError::Database(format!("account #{id} of the batch was not locked"))
        })
    };
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
                currency: currency_of(account_id(&request.from))?.as_str(),
                memo: request.memo.as_ref().map(Memo::as_str),
                debit_balance_after: *debit_after,
                credit_balance_after: *credit_after,
                reverses_id: None,
                actor,
                approved_by,
                created_at: at,
                drawer_session_id: None,
                device,
            });
        }
    }
    let inserted = match queries::insert_new_movements(conn, &rows)? {
        Some(ids) => ids,
        // The keys were read from this transaction's snapshot; another poster committed one of
        // them since: run again with a fresh snapshot.
        None if keys_looked_up => return Err(BankError::Busy),
        None => return Ok(None),
    };
    if inserted.len() != rows.len() {
        return Err(BankError::Database(format!(
            "{} journal ids for {} rows",
            inserted.len(),
            rows.len()
        )));
    }
    let ids: HashMap<&str, i64> = rows
        .iter()
        .map(|r| r.idempotency_key)
        .zip(inserted)
        .collect();
    // Each account's balance after the batch and its last journal row: the last posting that
    // touched it (rows and ids in the same order).
    let mut last: HashMap<i64, (Decimal, i64)> = HashMap::new();
    for row in &rows {
        let id = ids[row.idempotency_key];
        last.insert(row.debit_account_id, (row.debit_balance_after, id));
        last.insert(row.credit_account_id, (row.credit_balance_after, id));
    }
    let mut balances = Vec::with_capacity(last.len());
    for (account, (after, last_movement_id)) in last {
        let before = locked.get(&account).map(|row| row.balance).ok_or_else(|| {
            BankError::Database(format!("account #{account} of the batch was not locked"))
        })?;
        balances.push(queries::BalanceWrite {
            id: account,
            before,
            after,
            last_movement_id,
        });
    }
    balances.sort_unstable_by_key(|b| b.id);
    if !queries::set_balances(conn, &balances)? {
        return Err(BankError::Database(
            "an account's balance changed while the batch held its lock".into(),
        ));
    }

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
                    currency_of(account_id(&request.from))?,
                    at,
                    device,
                ))
            }
            Step::Replay(row) => BatchOutcome::Replayed(result_of(&row, true)),
            Step::ReplayInBatch(earlier) => {
                match outcomes.get(earlier).and_then(BatchOutcome::result) {
                    Some(first) => BatchOutcome::Replayed(MoneyResult {
                        replayed: true,
                        drawer_over_limit: false,
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
                BatchOutcome::Done(_) | BatchOutcome::Checked => AuditOutcome::Ok,
                BatchOutcome::Replayed(_) => AuditOutcome::Replayed,
                BatchOutcome::Refused(error) => AuditOutcome::Refused(error.code()),
            }
            .as_str(),
            detail: Some(detail),
            approved_by: matches!(outcome, BatchOutcome::Done(_))
                .then_some(approved_by)
                .flatten(),
            device,
        })
        .collect();
    queries::insert_audit(conn, &lines)?;
    Ok(Some(outcomes))
}

/// The result of a transfer the batch wrote, as a single transfer reports it.
fn done(
    request: &BatchTransfer,
    id: i64,
    debit_after: Decimal,
    credit_after: Decimal,
    currency: Currency,
    at: chrono::NaiveDateTime,
    device: &str,
) -> MoneyResult {
    MoneyResult {
        id,
        key: request.key.to_string(),
        kind: MovementKind::Transfer,
        amount: request.amount.value(),
        currency,
        from: Party::Account(request.from.clone()),
        to: Party::Account(request.to.clone()),
        balances: vec![
            (request.from.clone(), debit_after),
            (request.to.clone(), credit_after),
        ],
        memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
        at: utc(at),
        replayed: false,
        drawer_over_limit: false,
        device: device.to_string(),
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
        BatchOutcome::Checked => format!("checked (batch, key {})", request.key),
    }
}
