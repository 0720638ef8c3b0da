//! `teller batch post FILE`: a payment file checked line by line (nothing moves while a line is
//! invalid), the supervisor's approval once for the whole total, then posted in batches through
//! `Bank::post_batch`, with a results file beside the input and a summary.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rust_decimal::Decimal;
use serde_json::json;

use super::CliError;
use crate::bulk::{self, BulkLine, FileCheck, LineError, LineReader, ResultsWriter};
use crate::domain::{format_money, AccountNumber};
use crate::services::{
    Actor, Approval, Bank, BatchApproval, BatchOutcome, BatchTransfer, MAX_BATCH,
};

/// What `batch post` was asked to do.
pub struct PostOptions<'a> {
    pub file: &'a Path,
    pub from: Option<AccountNumber>,
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub batch_size: usize,
    pub json: bool,
}

/// What happened to the lines.
#[derive(Default)]
struct Tally {
    done: u64,
    replayed: u64,
    refused: u64,
    checked: u64,
    moved: Decimal,
}

pub fn post(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    options: &PostOptions,
) -> Result<(), CliError> {
    if !(1..=MAX_BATCH).contains(&options.batch_size) {
        return Err(CliError::Usage(format!(
            "--batch-size must be from 1 to {MAX_BATCH}"
        )));
    }
    let started = Instant::now();
    let check = bulk::check_file(options.file, options.from.as_ref())?;
    if check.invalid > 0 && !options.skip_invalid {
        report_invalid(&check, options.json);
        return Err(CliError::InvalidLines(check.invalid));
    }
    let subject = match check.by_payer.keys().next() {
        Some(first) if check.by_payer.len() == 1 => first.clone(),
        _ => options.file.display().to_string(),
    };
    // Four eyes once, for the whole file's total (checked before anything moves).
    let mut approved = bank.approve_batch(actor, &subject, check.total, approval)?;
    let suffix = if options.dry_run {
        "dry-run"
    } else {
        "results"
    };
    let mut results = ResultsWriter::create(options.file, suffix)?;
    let progress = progress_bar(check.valid, options.json);
    let mut tally = Tally::default();
    let mut reader = LineReader::open(options.file, options.from.as_ref())?;
    // Lines in file order; invalid ones ride along so the results keep that order.
    let mut pending: Vec<Result<BulkLine, LineError>> = Vec::with_capacity(options.batch_size);
    let mut valid_pending = 0;
    let mut dry_balances: HashMap<i64, Decimal> = HashMap::new();
    let mut send = |lines: &mut Vec<Result<BulkLine, LineError>>,
                    results: &mut ResultsWriter,
                    tally: &mut Tally|
     -> Result<(), CliError> {
        let requests: Vec<BatchTransfer> = lines
            .iter()
            .flatten()
            .map(|line| BatchTransfer {
                from: line.from.clone(),
                to: line.to.clone(),
                amount: line.amount,
                key: bulk::key_for(&check.digest, line),
                memo: line.memo.clone(),
                linked: false,
            })
            .collect();
        let outcomes = if requests.is_empty() {
            Vec::new()
        } else if options.dry_run {
            bank.check_batch(actor, &requests, &mut dry_balances)?
        } else {
            bank.post_batch(actor, &requests, &mut approved)?
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
        progress.inc(requests.len() as u64);
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
    progress.finish_and_clear();
    if reader.digest() != check.digest {
        return Err(bulk::FileError::Changed {
            path: options.file.display().to_string(),
        }
        .into());
    }
    let results = results.finish()?;
    summary(options, &check, &tally, &approved, &results, started);
    if tally.refused > 0 {
        return Err(CliError::RefusedLines(
            tally.refused,
            results.display().to_string(),
        ));
    }
    Ok(())
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

/// A bar with rate and time left, on a terminal only (never in a pipe or with --json).
fn progress_bar(lines: u64, json: bool) -> ProgressBar {
    if json || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(lines);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} lines  {per_sec}  {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

fn report_invalid(check: &FileCheck, json: bool) {
    if json {
        let lines: Vec<_> = check
            .errors
            .iter()
            .map(|e| json!({ "line": e.line, "column": e.column, "rule": e.rule }))
            .collect();
        println!(
            "{}",
            json!({ "valid": check.valid, "invalid": check.invalid, "errors": lines })
        );
    } else {
        for error in &check.errors {
            eprintln!("{error}");
        }
        if check.invalid > check.errors.len() as u64 {
            eprintln!(
                "… and {} more invalid line(s)",
                check.invalid - check.errors.len() as u64
            );
        }
    }
}

fn summary(
    options: &PostOptions,
    check: &FileCheck,
    tally: &Tally,
    approved: &BatchApproval,
    results: &Path,
    started: Instant,
) {
    let seconds = started.elapsed().as_secs_f64();
    let handled = tally.done + tally.replayed + tally.refused + tally.checked;
    let rate = if seconds > 0.0 {
        (handled as f64 / seconds).round()
    } else {
        0.0
    };
    if options.json {
        println!(
            "{}",
            json!({
                "file": options.file.display().to_string(),
                "dry_run": options.dry_run,
                "lines": check.valid + check.invalid,
                "valid": check.valid,
                "invalid": check.invalid,
                "done": tally.done,
                "replayed": tally.replayed,
                "refused": tally.refused,
                "checked": tally.checked,
                "total": format_money(check.total),
                "moved": format_money(tally.moved),
                "approved_by": approved.approved_by(),
                "results": results.display().to_string(),
                "seconds": (seconds * 100.0).round() / 100.0,
                "transfers_per_second": rate,
            })
        );
        return;
    }
    let verb = if options.dry_run {
        "would move"
    } else {
        "moved"
    };
    println!(
        "{} line(s): {} done, {} replayed, {} refused, {} ok in a dry run, {} invalid; {verb} {} \
         in {seconds:.1} s ({rate:.0} transfers/s). Results: {}",
        check.valid + check.invalid,
        tally.done,
        tally.replayed,
        tally.refused,
        tally.checked,
        check.invalid,
        format_money(tally.moved),
        results.display()
    );
}
