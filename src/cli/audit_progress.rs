//! `teller audit --full`: the long check, with a progress bar on a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use super::CliError;
use crate::services::{Actor, AuditReport, Bank};

/// Runs the full audit; on a terminal (and without --json) a spinner names each phase and a
/// bar counts the chain's rows, with their rate and the time left.
pub fn full_audit(bank: &mut Bank, actor: &Actor, json: bool) -> Result<AuditReport, CliError> {
    let bar = if json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    let mut counting = false;
    let report = bank.ledger().audit_full(actor, &mut |step| {
        if step.total > 0 && !counting {
            counting = true;
            bar.set_length(step.total);
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} {bar:40} {pos}/{len} rows  {per_sec}  {eta} left",
            ) {
                bar.set_style(style);
            }
        }
        bar.set_message(step.phase);
        bar.set_position(step.done);
    });
    bar.finish_and_clear();
    Ok(report?)
}
