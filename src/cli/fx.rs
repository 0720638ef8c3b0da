//! Foreign currency on the command line: `teller currency`, `teller fx` and the transfer
//! between two currencies (`teller transfer A B AMOUNT --quote ID`).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::args::{CurrencyCommand, FxCommand, RateCommand};
use super::output::{print_json, time};
use super::CliError;
use crate::domain::{format_money_in, RatePair, ValidationError};
use crate::services::{
    Actor, Approval, Bank, CashExchange, CurrencyView, ExchangeResult, ExchangeTransfer, QuoteView,
    RateView,
};

pub(super) fn run_currency(
    bank: &mut Bank,
    actor: &Actor,
    command: CurrencyCommand,
    json: bool,
) -> Result<(), CliError> {
    match command {
        CurrencyCommand::Add {
            code,
            denominations,
        } => {
            let view = bank
                .fx()
                .add_currency(actor, code, denominations.as_deref())?;
            if json {
                print_json(&currency_json(&view));
            } else {
                println!("The bank now trades {} ({}).", view.code, view.name);
                print_currency(&view);
            }
        }
        CurrencyCommand::List => {
            let views = bank.fx().currencies(actor)?;
            if json {
                print_json(&Value::Array(views.iter().map(currency_json).collect()));
            } else {
                views.iter().for_each(print_currency);
            }
        }
    }
    Ok(())
}

pub(super) fn run_fx(
    bank: &mut Bank,
    actor: &Actor,
    command: FxCommand,
    json: bool,
) -> Result<(), CliError> {
    match command {
        FxCommand::Rate(RateCommand::Set {
            base,
            quote,
            buy,
            sell,
            valid_from,
            valid_until,
        }) => {
            let pair = RatePair::new(base, quote, buy, sell)?;
            let from = valid_from.as_deref().map(parse_time).transpose()?;
            let until = valid_until.as_deref().map(parse_time).transpose()?;
            let view = bank.fx().set_rate(actor, &pair, from, until)?;
            if json {
                print_json(&rate_json(&view));
            } else {
                print_rate(&view);
            }
        }
        FxCommand::Rates => {
            let views = bank.fx().rates(actor)?;
            if json {
                print_json(&Value::Array(views.iter().map(rate_json).collect()));
            } else if views.is_empty() {
                println!("No rates are set: a supervisor sets them with `teller fx rate set`.");
            } else {
                views.iter().for_each(print_rate);
            }
        }
        FxCommand::Quote {
            from,
            to,
            amount,
            cash,
        } => {
            let view = bank.fx().quote(actor, from, to, amount, cash)?;
            if json {
                print_json(&quote_json(&view));
            } else {
                println!(
                    "Quote {}: {} {} buys {} {} (1 {} = {} {}, {}), until {} UTC.",
                    view.id,
                    format_money_in(view.pays, view.pay),
                    view.pay,
                    format_money_in(view.gets, view.get),
                    view.get,
                    view.base,
                    view.rate,
                    view.quote,
                    view.side.as_str(),
                    view.expires_at.format("%H:%M:%S")
                );
            }
        }
    }
    Ok(())
}

/// `teller transfer A B AMOUNT --quote ID`.
pub(super) fn run_exchange_transfer(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    request: &ExchangeTransfer,
    json: bool,
) -> Result<(), CliError> {
    match bank.fx().transfer(actor, request, approval) {
        Ok(done) => {
            print_exchange(&done, json);
            Ok(())
        }
        Err(error) if error.leaves_outcome_unknown() => Err(CliError::Uncertain {
            key: request.transfer.key.to_string(),
            source: error,
        }),
        Err(error) => Err(error.into()),
    }
}

/// `teller exchange --pay CUR AMOUNT --get CUR`.
pub(super) fn run_cash_exchange(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    request: &CashExchange,
    json: bool,
) -> Result<(), CliError> {
    match bank.fx().exchange_cash(actor, request, approval) {
        Ok(done) => {
            print_exchange(&done, json);
            Ok(())
        }
        Err(error) if error.leaves_outcome_unknown() => Err(CliError::Uncertain {
            key: request.key.to_string(),
            source: error,
        }),
        Err(error) => Err(error.into()),
    }
}

fn parse_time(raw: &str) -> Result<DateTime<Utc>, ValidationError> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            ValidationError::new(
                crate::domain::Field::Rate,
                "give the validity as an RFC 3339 time, like 2026-12-07T08:00:00Z",
            )
        })
}

fn currency_json(view: &CurrencyView) -> Value {
    json!({
        "code": view.code.as_str(),
        "name": view.name,
        "decimals": view.decimals,
        "denominations": view
            .denominations
            .iter()
            .map(|d| format_money_in(*d, view.code))
            .collect::<Vec<_>>(),
        "added_by": view.added_by,
        "added_at": time(view.added_at),
    })
}

fn print_currency(view: &CurrencyView) {
    let notes: Vec<String> = view
        .denominations
        .iter()
        .map(|d| format_money_in(*d, view.code))
        .collect();
    println!(
        "{}  {}  {} decimals  {}",
        view.code,
        view.name,
        view.decimals,
        if notes.is_empty() {
            "no cash".to_string()
        } else {
            notes.join(" ")
        }
    );
}

fn rate_json(view: &RateView) -> Value {
    json!({
        "id": view.id,
        "base": view.base.as_str(),
        "quote": view.quote.as_str(),
        "buy": view.buy.to_string(),
        "sell": view.sell.to_string(),
        "valid_from": time(view.valid_from),
        "valid_until": view.valid_until.map(time),
        "set_by": view.set_by,
        "set_at": time(view.set_at),
        "in_force": view.in_force,
    })
}

fn print_rate(view: &RateView) {
    let until = view.valid_until.map_or_else(
        || "until replaced".to_string(),
        |t| format!("until {}", time(t)),
    );
    println!(
        "{}/{}  buy {}  sell {}  from {} {}{}",
        view.base,
        view.quote,
        view.buy,
        view.sell,
        time(view.valid_from),
        until,
        if view.in_force { "  (in force)" } else { "" }
    );
}

fn quote_json(view: &QuoteView) -> Value {
    json!({
        "id": view.id.get(),
        "from": view.pay.as_str(),
        "to": view.get.as_str(),
        "from_amount": format_money_in(view.pays, view.pay),
        "to_amount": format_money_in(view.gets, view.get),
        "rate": view.rate.to_string(),
        "side": view.side.as_str(),
        "pair": format!("{}/{}", view.base, view.quote),
        "rate_id": view.rate_id,
        "margin": format_money_in(view.margin, view.get),
        "margin_currency": view.get.as_str(),
        "expires_at": time(view.expires_at),
        "used": view.used,
    })
}

fn print_exchange(done: &ExchangeResult, json: bool) {
    if json {
        return print_json(&json!({
            "quote": quote_json(&done.quote),
            "legs": [super::output::money_json(&done.paid), super::output::money_json(&done.received)],
            "key": done.paid.key,
            "replayed": done.replayed,
            "drawer_over_limit": done.drawer_over_limit,
        }));
    }
    let q = &done.quote;
    println!(
        "{}: {} {} from {} became {} {} to {} at {} (quote {}, references {} and {}, key {})",
        if done.replayed {
            "Already done"
        } else {
            "Done"
        },
        format_money_in(q.pays, q.pay),
        q.pay,
        done.paid.from,
        format_money_in(q.gets, q.get),
        q.get,
        done.received.to,
        q.rate,
        q.id,
        done.paid.id,
        done.received.id,
        done.paid.key
    );
    for (number, balance) in done.paid.balances.iter().chain(&done.received.balances) {
        let currency = if done.paid.balances.iter().any(|(n, _)| n == number) {
            q.pay
        } else {
            q.get
        };
        println!(
            "  {number} balance {} {currency}",
            format_money_in(*balance, currency)
        );
    }
}
