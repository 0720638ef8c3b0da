//! `teller batch post FILE`: a payment file checked line by line (nothing moves while a line is
//! invalid), the supervisor's approval once for the whole total, then posted in batches through
//! `Batches::post_batch`, with a results file beside the input and a summary.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::approvals::{with_approval, Waiting};
use super::CliError;
use crate::bulk::{self, FileCheck, PostError, PostOptions, Posted, Prepared};
use crate::domain::format_money;
use crate::services::{Actor, Approval, Bank, BankError, MAX_BATCH};

/// `teller batch post`: posts, prints the summary, and fails when lines were refused.
/// `prepared` is the file read once: the request sent to the supervisors (`--wait-approval`)
/// and the posting both use its bytes.
pub fn run(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    prepared: &Prepared,
    options: &PostOptions,
    waiting: Waiting,
    from_stdin: bool,
) -> Result<(), CliError> {
    let json = waiting.json;
    if !(1..=MAX_BATCH).contains(&options.batch_size) {
        return Err(CliError::Usage(format!(
            "--batch-size must be from 1 to {MAX_BATCH}"
        )));
    }
    let mut bar: Option<ProgressBar> = None;
    // Waiting for the supervisors needs the file as they will see it.
    let file = waiting.wait.and_then(|_| prepared.payment_file());
    let waiting = Waiting {
        wait: waiting.wait.filter(|_| file.is_some()),
        json,
    };
    let posted = match &file {
        Some(file) => with_approval(
            bank,
            actor,
            file,
            approval,
            waiting,
            |bank, approval| {
                // The supervisors approved the bytes read; a file changed on disk meanwhile is
                // refused before anything moves (posting either version would surprise someone).
                if approval.is_some() && !prepared.snapshot().unchanged_on_disk()? {
                    return Err(PostError::Bank(BankError::ApprovalRefused(
                        "the file changed after it was sent to the supervisors; send it again",
                    )));
                }
                bulk::post_file(bank, actor, approval, prepared, options, |done, total| {
                    let bar = bar.get_or_insert_with(|| progress_bar(total, json));
                    bar.set_position(done);
                })
            },
            |e| matches!(e, PostError::Bank(BankError::ApprovalRequired(_))),
        ),
        None => bulk::post_file(bank, actor, approval, prepared, options, |done, total| {
            let bar = bar.get_or_insert_with(|| progress_bar(total, json));
            bar.set_position(done);
        }),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let posted = match posted {
        Ok(posted) => posted,
        Err(PostError::InvalidLines(check)) => {
            report_invalid(&check, json);
            return Err(CliError::InvalidLines(check.invalid));
        }
        Err(PostError::File(e)) => return Err(e.into()),
        Err(PostError::Bank(e)) => return Err(e.into()),
        Err(PostError::Io(e)) => return Err(e.into()),
    };
    let file_name = prepared.snapshot().source();
    if from_stdin {
        // The results go where the file came from: standard output; the summary to stderr.
        let mut results = std::fs::File::open(&posted.results)?;
        std::io::copy(&mut results, &mut std::io::stdout().lock())?;
        eprintln!("{}", summary_text(file_name, options, &posted, json));
    } else {
        println!("{}", summary_text(file_name, options, &posted, json));
    }
    if posted.tally.refused > 0 {
        return Err(CliError::RefusedLines(
            posted.tally.refused,
            posted.results.display().to_string(),
        ));
    }
    Ok(())
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
            json!({
                "valid": check.valid,
                "invalid": check.invalid,
                "errors": lines,
                "digest": hex::encode(check.digest),
            })
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

fn summary_text(file: &Path, options: &PostOptions, posted: &Posted, json: bool) -> String {
    let Posted {
        check,
        tally,
        approved_by,
        results,
        seconds,
    } = posted;
    let seconds = *seconds;
    let handled = tally.done + tally.replayed + tally.refused + tally.checked;
    let rate = if seconds > 0.0 {
        (handled as f64 / seconds).round()
    } else {
        0.0
    };
    if json {
        return json!({
            "file": file.display().to_string(),
            // What a later post names with --expect-digest, and what supervisors approve.
            "digest": hex::encode(check.digest),
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
            "approved_by": approved_by,
            "results": results.display().to_string(),
            "seconds": (seconds * 100.0).round() / 100.0,
            "transfers_per_second": rate,
        })
        .to_string();
    }
    let verb = if options.dry_run {
        "would move"
    } else {
        "moved"
    };
    format!(
        "{} line(s): {} done, {} replayed, {} refused, {} ok in a dry run, {} invalid; {verb} {} \
         in {seconds:.1} s ({rate:.0} transfers/s). Total {}, SHA-256 {}. Results: {}",
        check.valid + check.invalid,
        tally.done,
        tally.replayed,
        tally.refused,
        tally.checked,
        check.invalid,
        format_money(tally.moved),
        format_money(check.total),
        hex::encode(check.digest),
        results.display()
    )
}
