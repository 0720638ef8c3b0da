//! The end-of-day proof as a text report and a PDF, written to the export folder. The CLI and
//! the supervisor's screen write the same files.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::domain::format_money_grouped as money;
use crate::services::{EodReport, VaultMoveView, VaultView};

/// The report, line by line (fixed-width columns).
pub fn eod_lines(report: &EodReport) -> Vec<String> {
    let mut out = vec![
        format!("{} - end of day {}", report.bank_name, report.business_date),
        format!(
            "Closed by {} at {} UTC",
            report.closed_by,
            report.closed_at.format("%Y-%m-%d %H:%M:%S")
        ),
        format!("Chain head sealed at closing: {}", report.chain_head),
        String::new(),
        "DRAWERS".into(),
        format!(
            "{:<28} {:>3} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>10}",
            "teller",
            "cur",
            "float",
            "in",
            "out",
            "top-ups",
            "drops",
            "expected",
            "counted",
            "over/short"
        ),
    ];
    if report.drawers.is_empty() {
        out.push("  (no drawer worked this day)".into());
    }
    for drawer in &report.drawers {
        let s = &drawer.session;
        let figure = |v: Option<rust_decimal::Decimal>| v.map(money).unwrap_or_else(|| "-".into());
        out.push(format!(
            "{:<28} {:>3} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>10}",
            clip(&drawer.teller, 28),
            s.currency,
            money(s.opening_float),
            figure(s.cash_in),
            figure(s.cash_out),
            money(s.top_ups),
            money(s.drops),
            figure(s.expected),
            figure(s.counted),
            figure(s.over_short),
        ));
    }
    for vault in &report.vaults {
        out.push(String::new());
        out.extend(vault_lines(vault));
    }
    out.push(String::new());
    out.push("CASH AT THE COUNTERS".into());
    if report.cash.is_empty() {
        out.push("  (no cash paid in or out)".into());
    }
    for cash in &report.cash {
        out.push(format!(
            "  {}  in {:>14}  out {:>14}",
            cash.currency,
            money(cash.cash_in),
            money(cash.cash_out)
        ));
    }
    out.push(format!(
        "  Large cash (CTR): {} customer(s) to report, {} flagged as possible structuring",
        report.ctr_customers, report.possible_structuring
    ));
    out.push(String::new());
    out.push(format!(
        "EXCHANGE POSITIONS (rates: units per {}, result in {})",
        crate::services::BASE_CURRENCY,
        crate::services::BASE_CURRENCY
    ));
    if report.positions.is_empty() {
        out.push("  (no currency exchanged)".into());
    }
    for p in &report.positions {
        let rate =
            |r: Option<rust_decimal::Decimal>| r.map_or_else(|| "-".into(), |r| r.to_string());
        out.push(format!(
            "  {} {:>5} exchanges  bought {:>14}  sold {:>14}  avg buy {:>10}  avg sell {:>10}  result {:>12}{}",
            p.currency,
            p.exchanges,
            crate::domain::format_money_grouped_in(p.bought, p.currency),
            crate::domain::format_money_grouped_in(p.sold, p.currency),
            rate(p.average_buy_rate),
            rate(p.average_sell_rate),
            money(p.result),
            if p.unvalued > 0 {
                format!(" ({} not valued)", p.unvalued)
            } else {
                String::new()
            }
        ));
    }
    out.push(String::new());
    out.push("MOVEMENTS OF THE DAY".into());
    let total: i64 = report.movements.iter().map(|m| m.count).sum();
    for line in &report.movements {
        out.push(format!(
            "  {:<12} {} {:>8} {:>16}",
            line.kind.as_str(),
            line.currency,
            line.count,
            money(line.total)
        ));
    }
    out.push(format!("  {total} movements in all"));
    out.push(String::new());
    out.push("MOVEMENTS BY DEVICE".into());
    for line in &report.devices {
        out.push(format!(
            "  {:<20} {} {:>8} {:>16}",
            clip(&line.device, 20),
            line.currency,
            line.count,
            money(line.total)
        ));
    }
    out.push(String::new());
    out.push(format!(
        "AUDIT: {}",
        if report.audit.ok {
            "every invariant holds"
        } else {
            "INVARIANTS BROKEN"
        }
    ));
    for check in &report.audit.checks {
        let mark = if check.ok { "ok  " } else { "FAIL" };
        out.push(format!("  {mark} {}", check.name));
    }
    out
}

/// One movement into or out of the vault, as the report prints it.
fn vault_move_line(line: &VaultMoveView) -> String {
    format!(
        "  #{:<8} {:<11} {:<4} {:>12}  {}  teller {}{}",
        line.reference,
        line.kind.as_str(),
        if line.into_vault { "in" } else { "out" },
        money(line.amount),
        line.pieces,
        line.teller,
        line.approved_by
            .as_deref()
            .map(|a| format!(", approved by {a}"))
            .unwrap_or_default()
    )
}

fn vault_lines(vault: &VaultView) -> Vec<String> {
    let mut out = vec![
        format!("VAULT {}", vault.currency),
        format!(
            "  opened by {} with {} ({}), book difference {}",
            vault.opened_by,
            money(vault.opening_total),
            vault.opening_count,
            money(vault.opening_difference)
        ),
    ];
    out.extend(vault.moves.iter().map(vault_move_line));
    match &vault.closing {
        Some(count) => out.push(format!(
            "  counted by {}: {} ({}), expected {}, over/short {}",
            count.counted_by,
            money(count.counted),
            count.count,
            money(count.expected),
            money(count.difference)
        )),
        None => out.push("  not counted".into()),
    }
    out
}

fn clip(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

/// Writes `eod-DATE.txt` and `eod-DATE.pdf` into `dir` (each through a temporary file, so a
/// crash never leaves half a report under the final name). Returns both paths.
pub fn write_eod(report: &EodReport, dir: &Path) -> std::io::Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir)?;
    let lines = eod_lines(report);
    let stem = format!("eod-{}", report.business_date);
    let text = dir.join(format!("{stem}.txt"));
    let pdf = dir.join(format!("{stem}.pdf"));
    write_atomically(&text, (lines.join("\n") + "\n").as_bytes())?;
    write_atomically(&pdf, &crate::pdf::report_pdf(&lines))?;
    Ok((text, pdf))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let mut file = crate::files::create(Path::new(&partial))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(partial, path)
}
