//! Many transfers in one ACID transaction (TigerBeetle's lesson, on SQL): every account of the
//! batch locked once, in ascending id order, in one statement; every transfer checked in order
//! in memory (`plan`), each with its own result; then one multi-row insert for the journal, one
//! for the audit and one statement for the balances; one commit. What lands in the journal and
//! the audit is exactly what single transfers write, so `teller audit`, the hash chain and the
//! idempotency keys treat batched and single transfers alike.

mod check;
mod plan;
mod write;

use crate::services::ApprovalNeed;
use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;

use super::accounts::account_id;
use super::approval_requests::{consume, ApprovalOperation};
use super::approvals::ApprovalCheck;
use super::authz::may_use_account;
use super::fx::{total_at_mid, BASE_CURRENCY};
use super::money::payers_view;
use super::Approval;
use super::{Actor, BankError, BankResult, MoneyResult};
use crate::db::movements::MovementRow;
use crate::db::{accounts, batch as queries, Connection};
use crate::domain::AuditAction;
use crate::domain::{AccountNumber, Amount, IdempotencyKey, Memo};
use crate::services::Batches;
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
    /// A dry run found nothing against it: it would be done.
    Checked,
}

impl BatchOutcome {
    pub fn status(&self) -> &'static str {
        match self {
            Self::Done(_) => "done",
            Self::Replayed(_) => "replayed",
            Self::Refused(_) => "refused",
            Self::Checked => "ok",
        }
    }

    pub fn result(&self) -> Option<&MoneyResult> {
        match self {
            Self::Done(result) | Self::Replayed(result) => Some(result),
            Self::Refused(_) | Self::Checked => None,
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
/// still covers and who approved. Only `Batches::approve_batch` makes one.
#[derive(Debug, Clone)]
pub struct BatchApproval {
    approved_by: Option<String>,
    remaining: Decimal,
    /// An approved request (a payment file sent to the supervisors), used up by the first
    /// movement the file writes.
    request: Option<i64>,
    /// The last batch under this approval met keys already in the journal (a file posted
    /// again): the next one looks its keys up first instead of letting the journal's index
    /// find them.
    keys_seen: bool,
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

impl Batches<'_> {
    /// Checks once whether moving `total` in batches needs a supervisor (staff above the
    /// approval limit, as for one transfer of that amount) and verifies the approval if so.
    pub fn approve_batch(
        &mut self,
        actor: &Actor,
        subject: &str,
        total: Decimal,
        approval: Option<&Approval>,
    ) -> BankResult<BatchApproval> {
        self.approve_batch_file(actor, subject, (total, &BTreeMap::new()), approval, None)
    }

    /// As `approve_batch`, for a payment file that may have been sent to the supervisors as
    /// `file` (an approved request for exactly that file covers it). `payers` is the file's
    /// total per paying account: each part is weighed in the base currency at the mid rate of
    /// its account's currency (without them, the total counts as base currency).
    pub fn approve_batch_file(
        &mut self,
        actor: &Actor,
        subject: &str,
        (total, payers): (Decimal, &BTreeMap<String, Decimal>),
        approval: Option<&Approval>,
        file: Option<&ApprovalOperation>,
    ) -> BankResult<BatchApproval> {
        // Without a rate for one of its currencies the value is unknown: a supervisor decides.
        let value = if payers.is_empty() {
            total
        } else {
            self.base_total(payers)?.unwrap_or(Amount::max_value())
        };
        let amount = Amount::from_decimal(value.min(Amount::max_value()))?;
        let digest = file.map(ApprovalOperation::digest);
        let check = ApprovalCheck {
            action: AuditAction::Batch,
            subject,
            amount,
            currency: Some(BASE_CURRENCY),
            limited: true,
            paying: None,
            digest: digest.as_deref(),
        };
        let granted = self.bank.approval(actor, &check, approval)?;
        Ok(BatchApproval {
            approved_by: granted.by,
            remaining: total,
            request: granted.request,
            keys_seen: false,
        })
    }

    /// The sum of each payer's part in the base currency; `None` when a part's currency has no
    /// rate to it. A payer that is no account of the bank counts as it is (its lines fail).
    fn base_total(&mut self, payers: &BTreeMap<String, Decimal>) -> BankResult<Option<Decimal>> {
        let mut parts = Vec::with_capacity(payers.len());
        for (payer, part) in payers {
            let currency = match AccountNumber::parse(payer) {
                Ok(number) => accounts::find(&mut self.bank.conn, account_id(&number))?
                    .map_or(BASE_CURRENCY, |row| row.currency),
                Err(_) => BASE_CURRENCY,
            };
            parts.push((currency, *part));
        }
        total_at_mid(&mut self.bank.conn, parts)
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
        let stamp = self.bank.stamp(actor);
        let covered = approval.remaining;
        let approved_by = approval.approved_by.clone();
        let request = approval.request;
        // After a batch that met used keys the next likely does too (the rest of a file posted
        // again): reading its keys first spares a failed insert and the ids it would burn.
        let look_up_first = approval.keys_seen;
        let written = self.bank.in_transaction(|conn| {
            let locked = lock_accounts(conn, requests)?;
            let mut keys_looked_up = look_up_first;
            loop {
                let (steps, accounts) = plan_batch(conn, actor, requests, &locked, keys_looked_up)?;
                let moved: Decimal = requests
                    .iter()
                    .zip(&steps)
                    .filter(|(_, step)| matches!(step, Step::Post { .. }))
                    .map(|(request, _)| request.amount.value())
                    .sum();
                if moved > covered && !keys_looked_up {
                    // Some of it may be replays, which move nothing: count again knowing.
                    keys_looked_up = true;
                    continue;
                }
                if moved > covered {
                    return Err(BankError::ApprovalRequired(
                        ApprovalNeed::BeyondApprovedTotal {
                            excess: moved - covered,
                        },
                    ));
                }
                let signed = (&stamp, approved_by.as_deref());
                match write::write(
                    conn,
                    requests,
                    steps,
                    (&accounts, &locked),
                    keys_looked_up,
                    signed,
                )? {
                    Some(outcomes) => {
                        // A request sent for the file is used once, with its first movement.
                        let first = outcomes.iter().find_map(|o| match o {
                            BatchOutcome::Done(result) => Some(result.id),
                            _ => None,
                        });
                        if let (Some(request), Some(first)) = (request, first) {
                            consume(conn, request, first)?;
                        }
                        return Ok((outcomes, moved));
                    }
                    // A key the plan took for new was in the journal: plan again knowing them.
                    None => keys_looked_up = true,
                }
            }
        });
        let (mut outcomes, moved) = match written {
            Ok(done) => done,
            Err(e @ BankError::ApprovalRequired(_)) => {
                return self.bank.refused(actor, AuditAction::Batch, None, e);
            }
            Err(e) => return Err(e),
        };
        approval.remaining -= moved;
        if outcomes.iter().any(|o| matches!(o, BatchOutcome::Done(_))) {
            approval.request = None;
        }
        approval.keys_seen = outcomes.iter().any(|outcome| {
            matches!(
                outcome,
                BatchOutcome::Replayed(_)
                    | BatchOutcome::Refused(BankError::IdempotencyConflict(_))
            )
        });
        for (outcome, request) in outcomes.iter_mut().zip(requests) {
            if let BatchOutcome::Done(result) | BatchOutcome::Replayed(result) = outcome {
                payers_view(actor, result, &request.from);
            }
        }
        Ok(outcomes)
    }
}

/// Every account of the batch once, in ascending id order.
pub(super) fn account_ids(requests: &[BatchTransfer]) -> Vec<i64> {
    let mut ids: Vec<i64> = requests
        .iter()
        .flat_map(|r| [account_id(&r.from), account_id(&r.to)])
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    ids.sort_unstable();
    ids
}

/// The journal rows that already hold any of the batch's keys, by key (`plan::same_key`).
pub(super) fn known_keys(
    conn: &mut Connection,
    requests: &[BatchTransfer],
) -> BankResult<HashMap<String, MovementRow>> {
    let keys: Vec<&str> = requests.iter().map(|r| r.key.as_str()).collect();
    Ok(queries::movements_with_keys(conn, &keys)?
        .into_iter()
        .map(|row| (plan::same_key(&row.idempotency_key), row))
        .collect())
}

/// Locks every account of the batch: ascending ids, one statement.
fn lock_accounts(
    conn: &mut Connection,
    requests: &[BatchTransfer],
) -> BankResult<HashMap<i64, accounts::AccountRow>> {
    let locked: HashMap<i64, accounts::AccountRow> = accounts::lock(conn, &account_ids(requests))?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    // A journal that disagrees with a cached balance stops the batch before it adds to it.
    if let Some(id) = queries::broken_chains(conn, locked.values())?.first() {
        return Err(BankError::LedgerBroken(super::accounts::number_of(*id)));
    }
    Ok(locked)
}

/// Plans each transfer against the locked accounts.
///
/// A batch's keys are nearly always new, so unless told to look them all up (`keys_looked_up`)
/// the plan first takes them for new and reads back only the refused transfers' keys (a replay
/// answers before the status and funds checks that refused them). A posted transfer whose key
/// is in the journal after all is caught by the journal's unique index when written, and the
/// batch is planned again with every key looked up. The keys are read after the locks: a batch
/// that held them has committed, so its keys are seen.
fn plan_batch(
    conn: &mut Connection,
    actor: &Actor,
    requests: &[BatchTransfer],
    locked: &HashMap<i64, accounts::AccountRow>,
    keys_looked_up: bool,
) -> BankResult<(Vec<Step>, HashMap<i64, accounts::AccountRow>)> {
    let plan_knowing = |known: &HashMap<String, MovementRow>| {
        let mut rows = locked.clone();
        let steps = plan::plan(requests, &mut rows, known, |owner| {
            may_use_account(actor, owner)
        });
        (steps, rows)
    };
    if !keys_looked_up {
        let (steps, rows) = plan_knowing(&HashMap::new());
        let refused: Vec<&str> = requests
            .iter()
            .zip(&steps)
            .filter(|(_, step)| matches!(step, Step::Refuse(_)))
            .map(|(request, _)| request.key.as_str())
            .collect();
        if refused.is_empty() || queries::movements_with_keys(conn, &refused)?.is_empty() {
            return Ok((steps, rows));
        }
    }
    Ok(plan_knowing(&known_keys(conn, requests)?))
}
