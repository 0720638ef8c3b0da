//! `teller bench`: transfers per second through the real services, on a scratch database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;
use rust_decimal::Decimal;
use serde_json::json;

use super::args::{BenchArgs, Pattern};
use super::CliError;
use crate::db;
use crate::domain::{
    AccountNumber, Age, Amount, Country, Currency, Email, IdempotencyKey, Name, Password, Role,
};
use crate::services::{Actor, Bank, BankConfig, BankError, NewUserInput, TransferRequest};

/// Drops the scratch database however the benchmark ends.
struct ScratchDatabase {
    server_url: String,
    name: String,
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Ok(mut server) = db::connect(&self.server_url) {
            let _ = db::drop_database(&mut server, &self.name);
        }
    }
}

/// What one worker measured.
#[derive(Default)]
struct WorkerStats {
    latencies_us: Vec<u64>,
    refused: u64,
    retries: u64,
    failure: Option<String>,
}

pub fn run(url: &str, config: BankConfig, args: &BenchArgs) -> Result<(), CliError> {
    if args.workers == 0 || args.accounts < 2 || args.seconds == 0 {
        return Err(CliError::Usage(
            "bench needs --workers >= 1, --accounts >= 2 and --seconds >= 1".into(),
        ));
    }
    let server_url = db::server_url(url);
    let mut server = db::connect(&server_url)?;
    let name = format!(
        "teller_bench_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp()
    );
    db::create_database(&mut server, &name)?;
    let scratch = ScratchDatabase {
        server_url: server_url.clone(),
        name: name.clone(),
    };
    let bench_url = db::with_database(url, &name);
    let numbers = Arc::new(fill(&bench_url, args.accounts)?);
    if !args.json {
        eprintln!(
            "bench: {} accounts ready in {name}; {} worker(s), {:?} pattern, {} s",
            numbers.len(),
            args.workers,
            args.pattern,
            args.seconds
        );
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let handles: Vec<_> = (0..args.workers)
        .map(|_| {
            let numbers = Arc::clone(&numbers);
            let bench_url = bench_url.clone();
            let config = config.clone();
            let pattern = args.pattern;
            std::thread::spawn(move || worker(&bench_url, config, &numbers, pattern, deadline))
        })
        .collect();
    let mut all = WorkerStats::default();
    for handle in handles {
        let stats = handle
            .join()
            .map_err(|_| CliError::Config("a benchmark worker panicked".into()))?;
        all.latencies_us.extend(stats.latencies_us);
        all.refused += stats.refused;
        all.retries += stats.retries;
        all.failure = all.failure.or(stats.failure);
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(failure) = all.failure {
        return Err(CliError::Bank(BankError::Database(failure)));
    }
    let mut bank = Bank::connect(&bench_url, config)?;
    let audit_ok = bank.audit(&Actor::setup("bench"))?.ok;
    drop(bank);
    drop(scratch);
    report(
        args,
        &mut all.latencies_us,
        all.refused,
        all.retries,
        elapsed,
        audit_ok,
    );
    Ok(())
}

/// Migrates the scratch database and opens the accounts, each with 1,000,000.00.
fn fill(bench_url: &str, accounts: usize) -> Result<Vec<AccountNumber>, CliError> {
    let mut conn = db::connect(bench_url)?;
    db::run_migrations(&mut conn)?;
    // Only the benchmark's own scratch customer is hashed here: the cheapest cost will do.
    let mut bank = Bank::new(
        conn,
        bench_url,
        BankConfig {
            bcrypt_cost: 4,
            ..BankConfig::default()
        },
    );
    let actor = Actor::setup("bench");
    let email = Email::parse("bench@bank.local")?;
    bank.register_user(
        &actor,
        NewUserInput {
            password: Password::parse("bench-scratch-only".into(), &email)?,
            email: email.clone(),
            name: Name::parse("Bench")?,
            surname: None,
            age: Age::new(30)?,
            country: Country::parse("USA")?,
            city: None,
            phones: Vec::new(),
            role: Role::Customer,
        },
    )?;
    let opening = Amount::from_decimal(Decimal::new(1_000_000, 0))?;
    Ok(bank.open_funded_accounts(&actor, &email, Currency::USD, accounts, opening)?)
}

fn worker(
    url: &str,
    config: BankConfig,
    numbers: &[AccountNumber],
    pattern: Pattern,
    deadline: Instant,
) -> WorkerStats {
    let mut stats = WorkerStats::default();
    let mut bank = match Bank::connect(url, config) {
        Ok(bank) => bank,
        Err(e) => {
            stats.failure = Some(e.to_string());
            return stats;
        }
    };
    let actor = Actor::setup("bench");
    let mut rng = rand::rng();
    while Instant::now() < deadline {
        let first = match pattern {
            Pattern::Hot => 0,
            Pattern::Uniform => rng.random_range(0..numbers.len()),
        };
        let mut second = rng.random_range(0..numbers.len() - 1);
        if second >= first {
            second += 1;
        }
        let (from, to) = if rng.random_bool(0.5) {
            (first, second)
        } else {
            (second, first)
        };
        let Ok(amount) = Amount::from_decimal(Decimal::new(rng.random_range(1..=10_000), 2)) else {
            continue;
        };
        let request = TransferRequest {
            from: numbers[from].clone(),
            to: numbers[to].clone(),
            amount,
            key: IdempotencyKey::generate(),
            memo: None,
        };
        let begun = Instant::now();
        match bank.transfer(&actor, &request) {
            Ok(_) => stats
                .latencies_us
                .push(u64::try_from(begun.elapsed().as_micros()).unwrap_or(u64::MAX)),
            Err(e) if e.is_refusal() => stats.refused += 1,
            Err(e) => {
                stats.failure = Some(e.to_string());
                break;
            }
        }
    }
    stats.retries = bank.retries();
    stats
}

fn report(
    args: &BenchArgs,
    latencies: &mut [u64],
    refused: u64,
    retries: u64,
    elapsed: f64,
    audit_ok: bool,
) {
    latencies.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let rank = ((latencies.len() as f64) * p).ceil() as usize;
        latencies[rank.clamp(1, latencies.len()) - 1] as f64 / 1000.0
    };
    let transfers = latencies.len();
    let tps = transfers as f64 / elapsed;
    let (p50, p99) = (percentile(0.50), percentile(0.99));
    if args.json {
        println!(
            "{}",
            json!({
                "workers": args.workers,
                "pattern": match args.pattern { Pattern::Uniform => "uniform", Pattern::Hot => "hot" },
                "accounts": args.accounts,
                "transfers": transfers,
                "refused": refused,
                "seconds": (elapsed * 100.0).round() / 100.0,
                "tps": tps.round(),
                "p50_ms": (p50 * 100.0).round() / 100.0,
                "p99_ms": (p99 * 100.0).round() / 100.0,
                "retries": retries,
                "audit_ok": audit_ok,
            })
        );
    } else {
        println!(
            "{transfers} transfers in {elapsed:.1} s: {tps:.0} transfers/s, p50 {p50:.2} ms, p99 {p99:.2} ms, \
             {retries} retries, {refused} refused, audit {}",
            if audit_ok { "ok" } else { "FAILED" }
        );
    }
}
