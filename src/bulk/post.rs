//! Posting a payment file: checked as a whole first (nothing moves while a line is invalid
//! unless told to skip them), the supervisor's approval once for the whole total, then posted
//! (or dry-run) in batches through `Batches::post_batch`, the results written beside the input.
//! The CLI and the app's bulk payment both run this.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use rust_decimal::Decimal;

use super::{
    key_for, BulkLine, FileCheck, FileError, LineError, LineReader, ResultsWriter, Snapshot,
};
use crate::domain::AccountNumber;
use crate::services::{
    Actor, Approval, ApprovalOperation, Bank, BankError, BatchOutcome, BatchTransfer, PaymentFile,
};

/// Why a file was not posted to its end.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error("the results file could not be written: {0}")]
    Io(#[from] std::io::Error),
    /// Lines are invalid and skipping them was not asked for: nothing moved.
    #[error("{} line(s) of the file are invalid; nothing moved", .0.invalid)]
    InvalidLines(Box<FileCheck>),
}

/// A payment file read once and checked: what the preview shows, the supervisors approve
/// and `post_file` posts are these bytes.
pub struct Prepared {
    snapshot: Snapshot,
    check: FileCheck,
    from: Option<AccountNumber>,
}

impl Prepared {
    /// Reads `path` once (into a private copy) and checks it.
    pub fn read(path: &Path, from: Option<AccountNumber>) -> Result<Self, FileError> {
        Self::of(Snapshot::take(path)?, from)
    }

    /// Checks a snapshot already taken (standard input, say).
    pub fn of(snapshot: Snapshot, from: Option<AccountNumber>) -> Result<Self, FileError> {
        let check = snapshot.check(from.as_ref())?;
        Ok(Self {
            snapshot,
            check,
            from,
        })
    }

    pub fn check(&self) -> &FileCheck {
        &self.check
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The file as the supervisors see it (None with several payers).
    pub fn payment_file(&self) -> Option<ApprovalOperation> {
        payment_file(&self.check)
    }
}

/// How to post.
pub struct PostOptions {
    pub dry_run: bool,
    pub skip_invalid: bool,
    /// Transfers per batch (1 to `MAX_BATCH`).
    pub batch_size: usize,
    /// The digest the preview showed (`--expect-digest`): other bytes are refused before
    /// anything moves.
    pub expect_digest: Option<[u8; 32]>,
}

/// What happened to the lines.
#[derive(Default)]
pub struct Tally {
    pub done: u64,
    pub replayed: u64,
    pub refused: u64,
    pub checked: u64,
    pub moved: Decimal,
}

/// A file posted (or checked) to its end.
pub struct Posted {
    pub check: FileCheck,
    pub tally: Tally,
    pub approved_by: Option<String>,
    pub results: std::path::PathBuf,
    pub seconds: f64,
}

/// Checks the whole file, then posts (or dry-runs) it in batches, writing the results file.
/// `progress` hears (lines handled, valid lines) after every batch.
pub fn post_file(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    prepared: &Prepared,
    options: &PostOptions,
    mut progress: impl FnMut(u64, u64),
) -> Result<Posted, PostError> {
    let started = Instant::now();
    let check = &prepared.check;
    let snapshot = &prepared.snapshot;
    if let Some(expected) = options.expect_digest {
        if expected != check.digest {
            return Err(FileError::NotPreviewed {
                path: snapshot.shown(),
                expected: hex::encode(expected),
                found: hex::encode(check.digest),
            }
            .into());
        }
    }
    if check.invalid > 0 && !options.skip_invalid {
        return Err(PostError::InvalidLines(Box::new(check.clone())));
    }
    let subject = match check.by_payer.keys().next() {
        Some(first) if check.by_payer.len() == 1 => first.clone(),
        _ => snapshot.shown(),
    };
    // Four eyes once, for the whole file's total (checked before anything moves). A file with
    // one paying account may have been sent to the supervisors: their approval is for exactly
    // these bytes.
    let file = payment_file(check);
    let mut approved = bank.batches().approve_batch_file(
        actor,
        &subject,
        (check.total, &check.by_payer),
        approval,
        file.as_ref(),
    )?;
    let suffix = if options.dry_run {
        "dry-run"
    } else {
        "results"
    };
    let mut results = ResultsWriter::create(snapshot.results_beside(), suffix)?;
    let mut handled = 0;
    let mut tally = Tally::default();
    // The private copy: the bytes checked above, whatever became of the file since.
    let mut reader =
        LineReader::open_as(snapshot.copy(), &snapshot.shown(), prepared.from.as_ref())?;
    // Lines in file order; invalid ones ride along so the results keep that order.
    let mut pending: Vec<Result<BulkLine, LineError>> = Vec::with_capacity(options.batch_size);
    let mut valid_pending = 0;
    let mut dry_balances: HashMap<i64, Decimal> = HashMap::new();
    let mut send = |lines: &mut Vec<Result<BulkLine, LineError>>,
                    results: &mut ResultsWriter,
                    tally: &mut Tally|
     -> Result<(), PostError> {
        let requests: Vec<BatchTransfer> = lines
            .iter()
            .flatten()
            .map(|line| BatchTransfer {
                from: line.from.clone(),
                to: line.to.clone(),
                amount: line.amount,
                key: key_for(&check.digest, line),
                memo: line.memo.clone(),
                linked: false,
            })
            .collect();
        let outcomes = if requests.is_empty() {
            Vec::new()
        } else if options.dry_run {
            bank.batches()
                .check_batch(actor, &requests, &mut dry_balances)?
        } else {
            bank.batches().post_batch(actor, &requests, &mut approved)?
        };
        let mut outcomes = outcomes.iter();
        for item in lines.iter() {
            match item {
                Ok(line) => {
                    let Some(outcome) = outcomes.next() else {
                        break;
                    };
                    count(tally, line, outcome);
                    results.line(
                        line.line,
                        line.reference.as_deref(),
                        outcome.status(),
                        outcome.error().map(|e| e.code()),
                        outcome.result().map(|r| r.id),
                    )?;
                }
                Err(invalid) => results.line(
                    invalid.line,
                    None,
                    "invalid",
                    Some(&format!("{}: {}", invalid.column, invalid.rule)),
                    None,
                )?,
            }
        }
        handled += requests.len() as u64;
        progress(handled, check.valid);
        lines.clear();
        Ok(())
    };
    for item in reader.by_ref() {
        valid_pending += usize::from(item.is_ok());
        pending.push(item);
        if valid_pending == options.batch_size {
            send(&mut pending, &mut results, &mut tally)?;
            valid_pending = 0;
        }
    }
    send(&mut pending, &mut results, &mut tally)?;
    if reader.digest() != check.digest {
        return Err(FileError::Changed {
            path: snapshot.shown(),
        }
        .into());
    }
    let results = results.finish()?;
    Ok(Posted {
        check: check.clone(),
        tally,
        approved_by: approved.approved_by().map(str::to_string),
        results,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn count(tally: &mut Tally, line: &BulkLine, outcome: &BatchOutcome) {
    match outcome {
        BatchOutcome::Done(_) => {
            tally.done += 1;
            tally.moved += line.amount.value();
        }
        BatchOutcome::Replayed(_) => tally.replayed += 1,
        BatchOutcome::Refused(_) => tally.refused += 1,
        BatchOutcome::Checked => {
            tally.checked += 1;
            tally.moved += line.amount.value();
        }
    }
}

/// The file as the supervisors approve it: one paying account, its total, its valid lines and
/// the SHA-256 of its bytes. None for a file with several payers (a supervisor types their
/// password for those).
pub fn payment_file(check: &FileCheck) -> Option<ApprovalOperation> {
    let (payer, total) = match check.by_payer.iter().collect::<Vec<_>>()[..] {
        [(payer, total)] => (payer, *total),
        _ => return None,
    };
    Some(ApprovalOperation::Batch(PaymentFile {
        payer: AccountNumber::parse(payer).ok()?,
        total,
        lines: check.valid,
        file_digest: hex::encode(check.digest),
    }))
}
