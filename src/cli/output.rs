//! What commands print: one JSON value with `--json`, a short readable text otherwise.
//! Amounts are strings with their currency's decimals (two for most, none for JPY, three for
//! KWD); times are UTC RFC 3339.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use crate::domain::{format_money, format_money_in, AccountNumber};
use crate::services::{
    AccountView, Actor, AuditEntryView, AuditReport, CtrReport, CustomerHit, DemoReport,
    DrawerView, HistoryEntry, LoginSession, MoneyResult, SealReport, Statement, UserProfile,
};

pub(super) fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn print_json(value: &Value) {
    println!("{value}");
}

pub fn account_json(view: &AccountView) -> Value {
    json!({
        "number": view.number.as_str(),
        "owner": view.owner,
        "currency": view.currency.as_str(),
        "balance": format_money_in(view.balance, view.currency),
        "status": view.status.as_str(),
        "created_at": time(view.created_at),
    })
}

pub fn account(view: &AccountView, as_json: bool) {
    if as_json {
        return print_json(&account_json(view));
    }
    println!(
        "{}  {}  {} {}  {}",
        view.number,
        view.owner.as_deref().unwrap_or("-"),
        format_money_in(view.balance, view.currency),
        view.currency,
        view.status.as_str()
    );
}

pub fn accounts(views: &[AccountView], as_json: bool) {
    if as_json {
        return print_json(&Value::Array(views.iter().map(account_json).collect()));
    }
    if views.is_empty() {
        println!("No accounts.");
    }
    for view in views {
        account(view, false);
    }
}

/// A movement's answer as JSON (also each leg of an exchange).
pub fn money_json(result: &MoneyResult) -> Value {
    let balances: Map<String, Value> = result
        .balances
        .iter()
        .map(|(number, balance)| {
            (
                number.as_str().to_string(),
                Value::String(format_money_in(*balance, result.currency)),
            )
        })
        .collect();
    json!({
        "reference": result.id,
        "key": result.key,
        "kind": result.kind.as_str(),
        "amount": format_money_in(result.amount, result.currency),
        "currency": result.currency.as_str(),
        "from": result.from.to_string(),
        "to": result.to.to_string(),
        "balances": balances,
        "memo": result.memo,
        "at": time(result.at),
        "replayed": result.replayed,
        "drawer_over_limit": result.drawer_over_limit,
        "device": result.device,
    })
}

pub fn money(result: &MoneyResult, as_json: bool) {
    if as_json {
        return print_json(&money_json(result));
    }
    let verb = if result.replayed {
        "Already done"
    } else {
        "Done"
    };
    println!(
        "{verb}: {} {} {} from {} to {} (reference {}, key {})",
        result.kind.as_str(),
        format_money_in(result.amount, result.currency),
        result.currency,
        result.from,
        result.to,
        result.id,
        result.key
    );
    for (number, balance) in &result.balances {
        println!(
            "  {number} balance {} {}",
            format_money_in(*balance, result.currency),
            result.currency
        );
    }
    if result.drawer_over_limit {
        println!("  your drawer is above its limit: make a cash drop (teller drawer drop) before more cash comes in");
    }
}

fn entry_json(e: &HistoryEntry) -> Value {
    json!({
        "reference": e.id,
        "at": time(e.at),
        "kind": e.kind.as_str(),
        "amount": format_money_in(e.amount, e.currency),
        "currency": e.currency.as_str(),
        "counterparty": e.counterparty.to_string(),
        "balance_after": format_money_in(e.balance_after, e.currency),
        "key": e.key,
        "memo": e.memo,
        "device": e.device,
    })
}

pub fn history(entries: &[HistoryEntry], as_json: bool) {
    if as_json {
        return print_json(&Value::Array(entries.iter().map(entry_json).collect()));
    }
    if entries.is_empty() {
        println!("No movements.");
    }
    for e in entries {
        println!(
            "{}  {:<10} {:>16} {}  {:<10}  balance {:>16}  {}",
            time(e.at),
            e.kind.as_str(),
            format_money_in(e.amount, e.currency),
            e.currency,
            e.counterparty.to_string(),
            format_money_in(e.balance_after, e.currency),
            e.memo.as_deref().unwrap_or("")
        );
    }
}

pub fn ctr(report: &CtrReport, as_json: bool) {
    if as_json {
        let customers: Vec<Value> = report
            .customers
            .iter()
            .map(|c| {
                json!({
                    "email": c.email,
                    "name": c.name,
                    "cash_in": format_money(c.cash_in),
                    "cash_out": format_money(c.cash_out),
                    "deposits": c.deposits,
                    "withdrawals": c.withdrawals,
                    "possible_structuring": c.possible_structuring,
                    "ids": c.ids,
                })
            })
            .collect();
        return print_json(&json!({
            "date": report.date.to_string(),
            "line": format_money(report.line),
            "customers": customers,
        }));
    }
    println!(
        "Large cash on {} (above {} a day, in or out): {} customer(s)",
        report.date,
        format_money(report.line),
        report.customers.len()
    );
    for c in &report.customers {
        println!(
            "{} <{}>  in {} ({} deposit(s))  out {} ({} withdrawal(s)){}",
            c.name,
            c.email,
            format_money(c.cash_in),
            c.deposits,
            format_money(c.cash_out),
            c.withdrawals,
            if c.possible_structuring {
                "  POSSIBLE STRUCTURING"
            } else {
                ""
            }
        );
        for id in &c.ids {
            println!("    ID {id}");
        }
    }
}

/// The report as CSV, one customer a line (IDs joined with "; ").
pub fn ctr_csv(report: &CtrReport) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "email",
        "name",
        "cash_in",
        "cash_out",
        "deposits",
        "withdrawals",
        "possible_structuring",
        "ids",
    ]);
    for c in &report.customers {
        let _ = out.write_record([
            c.email.clone(),
            c.name.clone(),
            format_money(c.cash_in),
            format_money(c.cash_out),
            c.deposits.to_string(),
            c.withdrawals.to_string(),
            c.possible_structuring.to_string(),
            c.ids.join("; "),
        ]);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn statement(s: &Statement, as_json: bool) {
    if as_json {
        return print_json(&json!({
            "bank": s.bank,
            "account": s.account,
            "owner": s.owner,
            "currency": s.currency.as_str(),
            "month": s.month.to_string(),
            "from": s.from.to_string(),
            "to": s.to.to_string(),
            "opening": format_money_in(s.opening, s.currency),
            "money_in": format_money_in(s.money_in, s.currency),
            "money_out": format_money_in(s.money_out, s.currency),
            "closing": format_money_in(s.closing, s.currency),
            "lines": s.lines.iter().map(|l| {
                let mut line = entry_json(l);
                if let Some(r) = s.rate_of(l.id) {
                    line["rate"] = json!({
                        "base": r.base.as_str(),
                        "quote": r.quote.as_str(),
                        "rate": r.rate.to_string(),
                        "quote_id": r.quote_id,
                    });
                }
                line
            }).collect::<Vec<_>>(),
        }));
    }
    println!(
        "{}: statement of account {} ({})",
        s.bank, s.account, s.currency
    );
    if let Some(owner) = &s.owner {
        println!("{owner}");
    }
    println!("Period {} to {} (UTC)", s.from, s.to);
    println!(
        "Opening balance {:>16}",
        format_money_in(s.opening, s.currency)
    );
    history(&s.lines, false);
    if !s.rates.is_empty() {
        println!("Exchange rates:");
        for r in &s.rates {
            println!("  #{} at {}", r.movement, r.describe());
        }
    }
    println!(
        "Money in {:>16}   money out {:>16}   closing balance {:>16}",
        format_money_in(s.money_in, s.currency),
        format_money_in(s.money_out, s.currency),
        format_money_in(s.closing, s.currency)
    );
}

/// Account numbers as text, as scripts read them.
fn numbers(accounts: &[AccountNumber]) -> Vec<&str> {
    accounts.iter().map(AccountNumber::as_str).collect()
}

pub fn profile(profile: &UserProfile, as_json: bool) {
    if as_json {
        return print_json(&json!({
            "id": profile.id,
            "email": profile.email.as_str(),
            "name": profile.name,
            "surname": profile.surname,
            "age": profile.age,
            "country": profile.country,
            "city": profile.city,
            "phones": profile.phones,
            "role": profile.role.as_str(),
            "locked_until": profile.locked_until.map(time),
            "created_at": time(profile.created_at),
            "updated_at": time(profile.updated_at),
        }));
    }
    println!(
        "{} <{}>  {}",
        profile.full_name(),
        profile.email,
        profile.role.as_str()
    );
    println!(
        "  age {}, {}{}",
        profile.age,
        profile
            .city
            .as_deref()
            .map(|c| format!("{c}, "))
            .unwrap_or_default(),
        profile.country
    );
    if !profile.phones.is_empty() {
        println!("  phones: {}", profile.phones.join(", "));
    }
    if let Some(until) = profile.locked_until {
        println!("  locked until {}", time(until));
    }
}

pub fn audit(report: &AuditReport, seconds: f64, as_json: bool) {
    // Rows checked a second: the full audit's summary says how fast it reads history.
    let rate = if seconds > 0.0 {
        (report.rows_checked as f64 / seconds).round() as i64
    } else {
        0
    };
    if as_json {
        let checks: Vec<Value> = report
            .checks
            .iter()
            .map(|c| json!({ "name": c.name, "ok": c.ok, "detail": c.detail }))
            .collect();
        return print_json(&json!({
            "ok": report.ok,
            "checks": checks,
            "accounts": report.accounts,
            "movements": report.movements,
            "scope": report.scope.as_str(),
            "after_movement_id": report.after_movement_id,
            "after_audit_id": report.after_audit_id,
            "rows_checked": report.rows_checked,
            "checkpoint": report.checkpoint,
            "seconds": (seconds * 1000.0).round() / 1000.0,
            "rows_per_second": rate,
        }));
    }
    for check in &report.checks {
        let mark = if check.ok { "ok  " } else { "FAIL" };
        println!("{mark} {}: {}", check.name, check.detail);
    }
    let verdict = if report.ok {
        "all invariants hold"
    } else {
        "INVARIANTS BROKEN"
    };
    println!(
        "{} accounts, {} movements: {verdict}",
        report.accounts, report.movements
    );
    let scope = match report.scope {
        crate::services::AuditScope::Full => "every row".to_string(),
        crate::services::AuditScope::SinceCheckpoint if report.after_movement_id == 0 => {
            "every row (no checkpoint yet)".to_string()
        }
        crate::services::AuditScope::SinceCheckpoint => format!(
            "the rows after movement {} and audit line {} (teller audit --full checks all)",
            report.after_movement_id, report.after_audit_id
        ),
    };
    println!(
        "checked {scope}: {} rows in {seconds:.1} s ({rate} rows/s){}",
        report.rows_checked,
        report
            .checkpoint
            .map_or(String::new(), |id| format!("; checkpoint {id} written"))
    );
}

pub fn seal(report: &SealReport, as_json: bool) {
    if as_json {
        return print_json(&json!({
            "seal_id": report.seal_id,
            "head": report.head,
            "seals": report.seals,
            "movements": report.movements,
            "audit_lines": report.audit_lines,
            "last_movement_id": report.last_movement_id,
            "last_audit_id": report.last_audit_id,
            "unsealed_movements": report.unsealed_movements,
            "unsealed_audit_lines": report.unsealed_audit_lines,
            "at": time(report.at),
        }));
    }
    println!(
        "Seal {}: {} movements and {} audit lines sealed (up to movement {} and audit line {}).",
        report.seal_id,
        report.movements,
        report.audit_lines,
        report.last_movement_id,
        report.last_audit_id
    );
    if report.unsealed_movements + report.unsealed_audit_lines > 0 {
        println!(
            "Not sealed yet: {} movements and {} audit lines.",
            report.unsealed_movements, report.unsealed_audit_lines
        );
    }
    println!("Head: {}", report.head);
    println!(
        "Keep the seal id and head outside the database: they are what a later audit is checked against (docs/security.md)."
    );
}

pub fn audit_log(entries: &[AuditEntryView], as_json: bool) {
    if as_json {
        let list = entries
            .iter()
            .map(|e| {
                json!({
                    "id": e.id, "at": time(e.at), "actor": e.actor, "action": e.action,
                    "subject": e.subject, "outcome": e.outcome, "detail": e.detail,
                    "approved_by": e.approved_by, "device": e.device,
                })
            })
            .collect();
        return print_json(&Value::Array(list));
    }
    for e in entries {
        println!(
            "{}  {:<24} {:<20} {:<28} {:<20} {}",
            time(e.at),
            e.actor,
            e.action,
            e.subject.as_deref().unwrap_or("-"),
            e.outcome,
            e.detail.as_deref().unwrap_or("")
        );
    }
}

pub fn customers(hits: &[CustomerHit], as_json: bool) {
    if as_json {
        let list = hits
            .iter()
            .map(|h| {
                json!({
                    "email": h.email.as_str(), "name": h.name, "surname": h.surname,
                    "phones": h.phones, "accounts": numbers(&h.accounts), "locked": h.locked,
                })
            })
            .collect();
        return print_json(&Value::Array(list));
    }
    if hits.is_empty() {
        println!("No customers found.");
    }
    for h in hits {
        let name = match &h.surname {
            Some(surname) => format!("{} {surname}", h.name),
            None => h.name.clone(),
        };
        let locked = if h.locked { "  (locked)" } else { "" };
        println!(
            "{name} <{}>  accounts: {}{locked}",
            h.email,
            numbers(&h.accounts).join(", ")
        );
    }
}

pub fn demo(report: &DemoReport) {
    println!(
        "Demo bank ready: {} users ({} created now), {} phone numbers, {} customer accounts.",
        report.users, report.users_created, report.phones, report.customer_accounts
    );
    if let Some(total) = report.vault_opened {
        println!(
            "Today's USD vault is open with {} (admin@bank.local counted it): tellers open their drawers from it.",
            crate::domain::format_money_grouped(total)
        );
    }
    println!("Logins (demo passwords, change them for anything real):");
    for login in &report.logins {
        println!(
            "  {:<22} {:<9} {}",
            login.email,
            login.role.as_str(),
            login.password
        );
    }
}

pub fn whoami(actor: &Actor, as_json: bool) {
    let (email, role) = match actor {
        Actor::User(user) => (user.email.as_str().to_string(), user.role.as_str()),
        Actor::Setup { .. } => (actor.audit_name(), "setup"),
    };
    if as_json {
        return print_json(&json!({ "email": email, "role": role }));
    }
    println!("{email} ({role})");
}

pub fn logged_in(session: &LoginSession, file: &std::path::Path, as_json: bool) {
    if as_json {
        return print_json(&json!({
            "email": session.user.email.as_str(),
            "role": session.user.role.as_str(),
            "expires_at": time(session.expires_at),
            "session_file": file.display().to_string(),
        }));
    }
    println!(
        "Logged in as {} ({}) until {} at the latest; `teller logout` ends it.",
        session.user.email,
        session.user.role.as_str(),
        time(session.expires_at)
    );
}

pub(super) fn drawer_json(view: &DrawerView) -> Value {
    let figure = |value: Option<rust_decimal::Decimal>| value.map(format_money);
    json!({
        "session": view.session_id,
        "currency": view.currency.as_str(),
        "opening_float": format_money(view.opening_float),
        "opening_count": view.opening_count,
        "opened_at": time(view.opened_at),
        "closed_at": view.closed_at.map(time),
        "cash_in": figure(view.cash_in),
        "cash_out": figure(view.cash_out),
        "top_ups": format_money(view.top_ups),
        "drops": format_money(view.drops),
        "expected": figure(view.expected),
        "counted": figure(view.counted),
        "over_short": figure(view.over_short),
    })
}

pub fn drawer(view: &DrawerView, as_json: bool) {
    if as_json {
        return print_json(&drawer_json(view));
    }
    println!(
        "Drawer session {} ({}), opened {} with a float of {}",
        view.session_id,
        view.currency,
        time(view.opened_at),
        format_money(view.opening_float)
    );
    if !(view.top_ups.is_zero() && view.drops.is_zero()) {
        println!(
            "  top-ups from the vault {}, cash drops to the vault {}",
            format_money(view.top_ups),
            format_money(view.drops)
        );
    }
    match (view.closed_at, view.expected, view.counted, view.over_short) {
        (Some(closed), Some(expected), Some(counted), Some(over_short)) => println!(
            "  closed {}: expected {}, counted {}, over/short {}",
            time(closed),
            format_money(expected),
            format_money(counted),
            format_money(over_short)
        ),
        _ => println!("  open: the expected cash is shown after the blind close"),
    }
}
