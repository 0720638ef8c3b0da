//! The branch's day: the vault and closing the day.

use serde_json::{json, Value};

use super::args::VaultCommand;
use super::input::parse_date;
use super::output::{drawer_json, print_json, time};
use super::CliError;
use crate::config::FileConfig;
use crate::domain::format_money;
use crate::services::{Actor, Bank, EodReport, VaultView};

pub(super) fn run_vault(
    bank: &mut Bank,
    actor: &Actor,
    command: VaultCommand,
    json: bool,
) -> Result<(), CliError> {
    let opening = matches!(command, VaultCommand::Open(_));
    match command {
        VaultCommand::Open(args) | VaultCommand::Count(args) => {
            let currency = args.currency;
            let count = args.count;
            let view = if opening {
                bank.desk().open_vault(actor, currency, &count)?
            } else {
                bank.desk().count_vault(actor, currency, &count)?
            };
            vault(&view, json);
        }
        VaultCommand::Show { currency } => match bank.desk().vault(actor, currency)? {
            Some(view) => vault(&view, json),
            None if json => println!("null"),
            None => println!("The {currency} vault is not open today."),
        },
    }
    Ok(())
}

pub(super) fn run_eod(
    bank: &mut Bank,
    actor: &Actor,
    date: Option<&str>,
    json: bool,
) -> Result<(), CliError> {
    let date = date.map(parse_date).transpose()?;
    let report = bank.desk().end_of_day(actor, date)?;
    let dir = FileConfig::load()
        .map_err(|e| CliError::Config(e.to_string()))?
        .export_dir();
    let (text, pdf) = crate::day_report::write_eod(&report, &dir).map_err(|e| {
        CliError::Io(std::io::Error::new(
            e.kind(),
            format!(
                "the day {} is closed, but its report could not be written to {}: {e} (run `teller eod --date {}` again to write it)",
                report.business_date,
                dir.display(),
                report.business_date
            ),
        ))
    })?;
    if json {
        let mut value = eod_json(&report);
        value["report"] = json!(text.display().to_string());
        value["pdf"] = json!(pdf.display().to_string());
        print_json(&value);
    } else {
        let verb = if report.already_closed {
            "was closed already"
        } else {
            "is closed"
        };
        println!(
            "The day {} {verb}: {} drawer session(s), audit {}.",
            report.business_date,
            report.drawers.len(),
            if report.audit.ok { "ok" } else { "FAILED" }
        );
        println!("Report: {}", text.display());
        println!("PDF:    {}", pdf.display());
    }
    Ok(())
}

fn vault_json(view: &VaultView) -> Value {
    let moves: Vec<Value> = view
        .moves
        .iter()
        .map(|m| {
            json!({
                "reference": m.reference,
                "kind": m.kind.as_str(),
                "direction": if m.into_vault { "in" } else { "out" },
                "amount": format_money(m.amount),
                "count": m.pieces,
                "teller": m.teller,
                "approved_by": m.approved_by,
                "at": time(m.at),
            })
        })
        .collect();
    json!({
        "currency": view.currency.as_str(),
        "date": view.business_date.to_string(),
        "opened_by": view.opened_by,
        "opened_at": time(view.opened_at),
        "opening_count": view.opening_count,
        "opening_total": format_money(view.opening_total),
        "opening_difference": format_money(view.opening_difference),
        "holdings": view.holdings,
        "holdings_total": format_money(view.holdings_total),
        "moves": moves,
        "closing": view.closing.as_ref().map(|c| json!({
            "counted_by": c.counted_by,
            "counted_at": time(c.counted_at),
            "count": c.count,
            "counted": format_money(c.counted),
            "expected": format_money(c.expected),
            "over_short": format_money(c.difference),
        })),
        "day_closed": view.day_closed,
    })
}

fn vault(view: &VaultView, as_json: bool) {
    if as_json {
        return print_json(&vault_json(view));
    }
    println!(
        "Vault {} on {}: opened by {} with {} ({})",
        view.currency,
        view.business_date,
        view.opened_by,
        format_money(view.opening_total),
        view.opening_count
    );
    if !view.opening_difference.is_zero() {
        println!(
            "  the opening count differed from the book by {} (posted as over/short)",
            format_money(view.opening_difference)
        );
    }
    for m in &view.moves {
        println!(
            "  #{} {} {} {} ({}) teller {}",
            m.reference,
            m.kind.as_str(),
            if m.into_vault { "in" } else { "out" },
            format_money(m.amount),
            m.pieces,
            m.teller
        );
    }
    println!(
        "  holds {} ({})",
        format_money(view.holdings_total),
        view.holdings
    );
    if let Some(c) = &view.closing {
        println!(
            "  counted by {}: {} against {} expected, over/short {}",
            c.counted_by,
            format_money(c.counted),
            format_money(c.expected),
            format_money(c.difference)
        );
    }
}

fn eod_json(report: &EodReport) -> Value {
    let drawers: Vec<Value> = report
        .drawers
        .iter()
        .map(|d| {
            let mut value = drawer_json(&d.session);
            value["teller"] = json!(d.teller);
            value
        })
        .collect();
    json!({
        "date": report.business_date.to_string(),
        "bank": report.bank_name,
        "closed_by": report.closed_by,
        "closed_at": time(report.closed_at),
        "already_closed": report.already_closed,
        "chain_head": report.chain_head,
        "drawers": drawers,
        "vaults": report.vaults.iter().map(vault_json).collect::<Vec<_>>(),
        "cash": report.cash.iter().map(|c| json!({
            "currency": c.currency,
            "cash_in": format_money(c.cash_in),
            "cash_out": format_money(c.cash_out),
        })).collect::<Vec<_>>(),
        "ctr_customers": report.ctr_customers,
        "possible_structuring": report.possible_structuring,
        "movements": report.movements.iter().map(|m| json!({
            "kind": m.kind.as_str(),
            "currency": m.currency,
            "count": m.count,
            "total": format_money(m.total),
        })).collect::<Vec<_>>(),
        "devices": report.devices.iter().map(|d| json!({
            "device": d.device,
            "currency": d.currency,
            "count": d.count,
            "total": format_money(d.total),
        })).collect::<Vec<_>>(),
        "positions": report.positions.iter().map(|p| json!({
            "currency": p.currency.as_str(),
            "exchanges": p.exchanges,
            "bought": crate::domain::format_money_in(p.bought, p.currency),
            "sold": crate::domain::format_money_in(p.sold, p.currency),
            "average_buy_rate": p.average_buy_rate.map(|r| r.to_string()),
            "average_sell_rate": p.average_sell_rate.map(|r| r.to_string()),
            "result": format_money(p.result),
            "result_currency": crate::services::BASE_CURRENCY.as_str(),
            "unvalued": p.unvalued,
        })).collect::<Vec<_>>(),
        "audit_ok": report.audit.ok,
        "audit": report.audit.checks.iter().map(|c| json!({
            "name": c.name, "ok": c.ok, "detail": c.detail,
        })).collect::<Vec<_>>(),
    })
}
