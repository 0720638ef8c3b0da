//! `teller bench --scale N`: a bank with N movements over many days, and what each everyday
//! operation, the daily audit, end of day and the full audit cost at 0, N/10 and N movements.
//!
//! The history is made the way a bank makes it: the batch engine posts each day's transfers on
//! the bank's clock set back by the number of days (this thread only), and each day ends with a
//! seal and the daily audit, which writes its checkpoint. Nothing bypasses the services.

use std::time::Instant;

use chrono::Duration;
use rand::Rng;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::args::BenchArgs;
use super::scratch::{pick_uniform, scratch_bank, scratch_customer, ScratchDatabase};
use super::CliError;
use crate::db::{self, clock};
use crate::domain::{
    AccountNumber, Amount, CashCount, Currency, Email, IdempotencyKey, Month, Role, Secret,
};
use crate::services::{Actor, Bank, BankConfig, BatchApproval, CashRequest, TransferRequest};

/// Accounts per bench customer.
const ACCOUNTS_EACH: usize = 10;
/// Everyday operations are timed this many times each; the median is reported.
const REPS: usize = 25;
const PASSWORD: &str = "bench-scale-only";
const VAULT: &str = "100x1000 20x1000";
/// History pages and statements are read on these first accounts, each of which also makes up
/// to `WATCHED_DAILY` transfers on every measured day (no more than the day's volume in all):
/// a page is then a full page (50 lines) at every point, the empty bank's included, so that the
/// same work is compared.
const WATCHED: usize = 20;
const WATCHED_DAILY: usize = 60;
/// Lines on a history page.
const PAGE: u32 = 50;
/// Transfers a batch. On a measured day each batch is paired with one on an empty bank on the
/// same server: the two rates are measured side by side, so that the machine's speed, which
/// drifts over a long run and in bursts, weighs on both alike.
const BATCH: u64 = 1_000;

struct Scale {
    bank: Bank,
    actor: Actor,
    supervisor: Actor,
    customer: Email,
    numbers: Vec<AccountNumber>,
    approval: BatchApproval,
    /// Days back from today the clock stands at.
    days_back: i64,
}

pub fn run(url: &str, config: BankConfig, args: &BenchArgs, target: u64) -> Result<(), CliError> {
    let days = i64::from(args.days.max(1));
    let per_day = (target / u64::try_from(days).unwrap_or(1)).max(1);
    let (scratch, bench_url) = ScratchDatabase::create(url)?;
    let points = [0, target / 10, target];
    // The opening day, the history's days and the measured ones: the last measured is today.
    let back = days + i64::try_from(points.len()).unwrap_or(3);
    let mut scale = Scale::new(&bench_url, config.clone(), args.accounts, back)?;
    // The opening deposits' day is large cash for every customer: measure from the next one.
    scale.close_day_quietly()?;
    scale.next_day();
    let mut results: Vec<Value> = Vec::new();
    let mut made: u64 = 0;
    if !args.json {
        eprintln!(
            "bench --scale: {} accounts, {per_day} movements a day over {days} days, measured at {points:?}",
            scale.numbers.len()
        );
    }
    for (i, point) in points.iter().enumerate() {
        // Past days up to this point, each sealed and audited as end of day would.
        let started = Instant::now();
        while made + per_day <= *point {
            scale.post_day(per_day)?;
            scale.close_day_quietly()?;
            made += per_day;
            scale.next_day();
            if !args.json && made % (per_day * 10).max(1) == 0 {
                eprintln!(
                    "  {made} movements ({:.0} s)",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        // An empty bank beside this one, for the batch engine's rate side by side.
        let (empty_database, empty_url) = ScratchDatabase::create(url)?;
        let mut empty = Scale::new(&empty_url, config.clone(), args.accounts, scale.days_back)?;
        let measured = scale.measure(per_day, made, &mut empty)?;
        drop(empty);
        drop(empty_database);
        made += per_day;
        if !args.json {
            print_point(&measured);
        }
        results.push(measured);
        if i + 1 < points.len() {
            scale.next_day();
        }
    }
    drop(scale);
    if args.keep {
        eprintln!(
            "bench --scale: the bank is kept in the database {}",
            scratch.keep()
        );
    } else {
        drop(scratch);
    }
    if args.json {
        println!(
            "{}",
            json!({ "per_day": per_day, "days": days, "points": results })
        );
    }
    Ok(())
}

impl Scale {
    fn new(url: &str, config: BankConfig, accounts: usize, days: i64) -> Result<Self, CliError> {
        let mut bank = scratch_bank(url, config)?;
        // A year back: the clock moves to today day by day.
        clock::set_this_thread_shift(-Duration::days(days));
        let actor = Actor::setup("bench");
        let opening = Amount::from_decimal(Decimal::new(1_000_000, 0))?;
        let mut numbers = Vec::with_capacity(accounts);
        let customers = accounts.div_ceil(ACCOUNTS_EACH).max(1);
        let mut customer = Email::parse("bench0@bank.local")?;
        for n in 0..customers {
            customer = Email::parse(&format!("bench{n}@bank.local"))?;
            let mut input = scratch_customer(&customer, "Bench", PASSWORD)?;
            input.role = Role::Customer;
            bank.people().register_user(&actor, input, None)?;
            let each = ACCOUNTS_EACH.min(accounts - numbers.len()).max(1);
            numbers.extend(bank.batches().open_funded_accounts(
                &actor,
                &customer,
                Currency::USD,
                each,
                opening,
            )?);
        }
        let boss = Email::parse("bench-supervisor@bank.local")?;
        let mut input = scratch_customer(&boss, "Supervisor", PASSWORD)?;
        input.role = Role::Admin;
        bank.people().register_user(&actor, input, None)?;
        let supervisor = Actor::User(
            bank.people()
                .authenticate(&boss, &Secret::new(PASSWORD.into()))?,
        );
        let approval = bank
            .batches()
            .approve_batch(&actor, "bench --scale", Decimal::MAX, None)?;
        Ok(Self {
            bank,
            actor,
            supervisor,
            customer,
            numbers,
            approval,
            days_back: days,
        })
    }

    fn next_day(&mut self) {
        self.days_back -= 1;
        clock::set_this_thread_shift(-Duration::days(self.days_back));
    }

    /// A day's transfers through the batch engine, 1,000 a batch; the seconds they took.
    fn post_day(&mut self, count: u64) -> Result<f64, CliError> {
        let mut rng = rand::rng();
        let started = Instant::now();
        let mut left = count;
        while left > 0 {
            let size = left.min(BATCH);
            let batch: Vec<_> = (0..size)
                .filter_map(|_| pick_uniform(&mut rng, &self.numbers))
                .collect();
            self.bank
                .batches()
                .post_batch(&self.actor, &batch, &mut self.approval)?;
            left -= size;
        }
        Ok(started.elapsed().as_secs_f64())
    }

    /// The watched accounts' own day: up to `WATCHED_DAILY` transfers each, with random others.
    fn post_watched(&mut self, per_day: u64) -> Result<(), CliError> {
        let mut rng = rand::rng();
        let watched = WATCHED.min(self.numbers.len());
        let each = WATCHED_DAILY.min(usize::try_from(per_day).unwrap_or(0) / watched.max(1));
        let batch: Vec<_> = (0..watched * each)
            .filter_map(|i| {
                let mut transfer = pick_uniform(&mut rng, &self.numbers)?;
                let account = self.numbers[i % watched].clone();
                if transfer.to == account || transfer.from == account {
                    return Some(transfer);
                }
                if rng.random_bool(0.5) {
                    transfer.from = account;
                } else {
                    transfer.to = account;
                }
                Some(transfer)
            })
            .filter(|t| t.from != t.to)
            .collect();
        self.bank
            .batches()
            .post_batch(&self.actor, &batch, &mut self.approval)?;
        Ok(())
    }

    /// The day's end without a vault: seal, then the daily audit (its checkpoint).
    fn close_day_quietly(&mut self) -> Result<(), CliError> {
        self.bank.ledger().seal(&self.supervisor)?;
        let audit = self.bank.ledger().audit(&self.actor)?;
        if !audit.ok {
            return Err(CliError::AuditFailed);
        }
        Ok(())
    }

    /// The day's transfers a batch at a time, each batch paired with one of the same size on
    /// `empty` (every other pair the empty bank first: the second of a pair pays for the
    /// server's flushing after the first): both banks' rates over the same stretch of time.
    fn post_day_beside(&mut self, count: u64, empty: &mut Scale) -> Result<Value, CliError> {
        let (mut here, mut there) = (0.0, 0.0);
        let (mut left, mut pairs) = (count, 0_u64);
        while left > 0 {
            let size = left.min(BATCH);
            if pairs % 2 == 0 {
                here += self.post_day(size)?;
                there += empty.post_day(size)?;
            } else {
                there += empty.post_day(size)?;
                here += self.post_day(size)?;
            }
            left -= size;
            pairs += 1;
        }
        let rate = |seconds: f64| count as f64 / seconds.max(1e-9);
        Ok(json!({
            "batches": pairs,
            "this_bank_per_s": rate(here).round(),
            "empty_bank_per_s": rate(there).round(),
            "ratio": round(there / here.max(1e-9)),
        }))
    }

    /// One measured day: the vault opens, the day's volume is posted (beside an empty bank),
    /// each everyday operation is timed, then the daily audit, end of day and the full audit.
    fn measure(&mut self, per_day: u64, made: u64, empty: &mut Scale) -> Result<Value, CliError> {
        let count = CashCount::parse(VAULT)?;
        self.bank
            .desk()
            .open_vault(&self.supervisor, Currency::USD, &count)?;
        let side_by_side = self.post_day_beside(per_day, empty)?;
        self.post_watched(per_day)?;
        let mut rng = rand::rng();
        let mut ops = serde_json::Map::new();
        let numbers = self.numbers.clone();
        let some =
            |rng: &mut rand::rngs::ThreadRng| numbers[rng.random_range(0..numbers.len())].clone();
        let watched = numbers[..WATCHED.min(numbers.len())].to_vec();
        let some_watched =
            |rng: &mut rand::rngs::ThreadRng| watched[rng.random_range(0..watched.len())].clone();
        let (bank, actor) = (&mut self.bank, &self.actor);
        let month = Month::of(clock::now().date());
        let (mut lines, mut page_lines) = (0, 0);
        ops.insert(
            "balance_ms".into(),
            median_ms(|| Ok(bank.money().account(actor, &some(&mut rng)).map(|_| ())?))?.into(),
        );
        ops.insert(
            "history_page_ms".into(),
            median_ms(|| {
                page_lines = bank
                    .money()
                    .history(actor, &some_watched(&mut rng), None, PAGE)?
                    .len();
                Ok(())
            })?
            .into(),
        );
        ops.insert(
            "statement_month_ms".into(),
            median_ms(|| {
                lines = bank
                    .money()
                    .statement(actor, &some_watched(&mut rng), month)?
                    .lines
                    .len();
                Ok(())
            })?
            .into(),
        );
        ops.insert(
            "search_ms".into(),
            median_ms(|| {
                Ok(bank
                    .people()
                    .search_customers(actor, "bench1")
                    .map(|_| ())?)
            })?
            .into(),
        );
        let customer = self.customer.clone();
        ops.insert(
            "login_ms".into(),
            median_ms(|| {
                Ok(bank
                    .people()
                    .authenticate(&customer, &Secret::new(PASSWORD.into()))
                    .map(|_| ())?)
            })?
            .into(),
        );
        let one = Amount::from_decimal(Decimal::ONE)?;
        ops.insert(
            "transfer_ms".into(),
            median_ms(|| {
                let (from, to) = (some(&mut rng), some(&mut rng));
                if from == to {
                    return Ok(());
                }
                let request = TransferRequest {
                    from,
                    to,
                    amount: one,
                    key: IdempotencyKey::generate(),
                    memo: None,
                };
                Ok(bank.money().transfer(actor, &request, None).map(|_| ())?)
            })?
            .into(),
        );
        let cash = |account: AccountNumber| CashRequest {
            account,
            amount: one,
            key: IdempotencyKey::generate(),
            memo: None,
            id: None,
        };
        ops.insert(
            "deposit_with_ctr_check_ms".into(),
            median_ms(|| {
                Ok(bank
                    .money()
                    .deposit(actor, &cash(some(&mut rng)), None)
                    .map(|_| ())?)
            })?
            .into(),
        );
        ops.insert(
            "withdrawal_with_ctr_check_ms".into(),
            median_ms(|| {
                Ok(bank
                    .money()
                    .withdraw(actor, &cash(some(&mut rng)), None)
                    .map(|_| ())?)
            })?
            .into(),
        );
        let today = clock::now().date();
        ops.insert(
            "ctr_report_ms".into(),
            median_ms(|| Ok(bank.desk().ctr_report(actor, today).map(|_| ())?))?.into(),
        );

        // The day ends: seal, the daily audit over the day's rows, the vault counted, end of day.
        let (seal_s, _) = timed(|| Ok(self.bank.ledger().seal(&self.supervisor)?))?;
        let (audit_s, audit) = timed(|| Ok(self.bank.ledger().audit(&self.actor)?))?;
        self.bank
            .desk()
            .count_vault(&self.supervisor, Currency::USD, &count)?;
        let (eod_s, _) = timed(|| Ok(self.bank.desk().end_of_day(&self.supervisor, None)?))?;
        // Where the full audit's time goes: each phase from its first progress report.
        let mut phases: Vec<(&'static str, Instant)> = Vec::new();
        let (full_s, full) = timed(|| {
            Ok(self.bank.ledger().audit_full(&self.actor, &mut |step| {
                if phases.last().is_none_or(|(name, _)| *name != step.phase) {
                    phases.push((step.phase, Instant::now()));
                }
            })?)
        })?;
        let ended = Instant::now();
        let phase_s: serde_json::Map<String, Value> = phases
            .iter()
            .enumerate()
            .map(|(i, (name, began))| {
                let end = phases.get(i + 1).map_or(ended, |(_, next)| *next);
                (
                    format!("{name}_s"),
                    round((end - *began).as_secs_f64()).into(),
                )
            })
            .collect();
        if !audit.ok || !full.ok {
            return Err(CliError::AuditFailed);
        }
        let full_rate = full.rows_checked as f64 / full_s.max(1e-9);
        let mb = |bytes: i64| (bytes as f64 / 1_048_576.0).round();
        let sizes: serde_json::Map<String, Value> = db::sizes::table_sizes(self.bank.connection())
            .map_err(db::ConnectError::from)?
            .into_iter()
            .take(6)
            .map(|t| {
                (
                    t.table,
                    json!({ "data_mb": mb(t.data_bytes), "index_mb": mb(t.index_bytes) }),
                )
            })
            .collect();
        Ok(json!({
            "movements_before_the_day": made,
            "movements": full.movements,
            "day_movements": per_day,
            "batch_transfers_per_s": side_by_side["this_bank_per_s"],
            "batch_side_by_side": side_by_side,
            "operations": ops,
            "history_page_lines": page_lines,
            "statement_lines": lines,
            "seal_s": round(seal_s),
            "daily_audit_s": round(audit_s),
            "daily_audit_rows": audit.rows_checked,
            "end_of_day_s": round(eod_s),
            "full_audit_s": round(full_s),
            "full_audit_rows": full.rows_checked,
            "full_audit_rows_per_s": full_rate.round(),
            "full_audit_phases": phase_s,
            "table_sizes": sizes,
        }))
    }
}

fn timed<T>(work: impl FnOnce() -> Result<T, CliError>) -> Result<(f64, T), CliError> {
    let started = Instant::now();
    let value = work()?;
    Ok((started.elapsed().as_secs_f64(), value))
}

/// The median of `REPS` runs, in milliseconds.
fn median_ms(mut work: impl FnMut() -> Result<(), CliError>) -> Result<f64, CliError> {
    let mut times = Vec::with_capacity(REPS);
    for _ in 0..REPS {
        let (seconds, ()) = timed(&mut work)?;
        times.push(seconds * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(round(times[REPS / 2]))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn print_point(point: &Value) {
    println!(
        "at {} movements (+{} that day): batch {} transfers/s",
        point["movements_before_the_day"], point["day_movements"], point["batch_transfers_per_s"]
    );
    if let Some(ops) = point["operations"].as_object() {
        for (name, ms) in ops {
            println!("  {name:<32} {ms}");
        }
    }
    for key in [
        "batch_side_by_side",
        "history_page_lines",
        "statement_lines",
        "seal_s",
        "daily_audit_s",
        "daily_audit_rows",
        "end_of_day_s",
        "full_audit_s",
        "full_audit_rows",
        "full_audit_rows_per_s",
        "full_audit_phases",
        "table_sizes",
    ] {
        println!("  {key:<32} {}", point[key]);
    }
}
