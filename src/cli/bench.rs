//! `teller bench`: transfers per second through the real services, on a scratch database.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use serde_json::json;

use super::args::{BenchArgs, Pattern};
use super::scratch::{pick, scratch_bank, scratch_customer, ScratchDatabase};
use super::CliError;
use crate::db;
use crate::domain::{AccountNumber, Amount, Currency, Email};
use crate::services::{Actor, Bank, BankConfig, BankError, BatchTransfer, TransferRequest};

/// What one worker measured.
#[derive(Default)]
struct WorkerStats {
    /// Per transfer, or per batch with `--batch`.
    latencies_us: Vec<u64>,
    transfers: u64,
    refused: u64,
    retries: u64,
    failure: Option<String>,
    /// (seconds since the start, transfers done by everyone then), for the rate over time.
    progress: Vec<(f64, u64)>,
}

impl WorkerStats {
    /// Runs `step` until told to stop or until it fails (the failure is kept).
    fn run_until(&mut self, stop: &Stop, mut step: impl FnMut(&mut Self) -> Result<(), String>) {
        while stop.go_on() {
            if let Err(failure) = step(self) {
                self.failure = Some(failure);
                break;
            }
        }
    }

    /// One transfer done, begun at `begun`: its latency, and now and then a progress sample.
    fn done_one(&mut self, begun: Instant, stop: &Stop) {
        self.latencies_us
            .push(u64::try_from(begun.elapsed().as_micros()).unwrap_or(u64::MAX));
        self.transfers += 1;
        let sample = stop.add(1);
        if sample.1 % 256 == 0 {
            self.progress.push(sample);
        }
    }
}

/// When the workers stop: after a time, or once the transfers asked for are done.
struct Stop {
    started: Instant,
    deadline: Instant,
    target: Option<u64>,
    done: AtomicU64,
}

impl Stop {
    fn go_on(&self) -> bool {
        match self.target {
            Some(target) => self.done.load(Ordering::Relaxed) < target,
            None => Instant::now() < self.deadline,
        }
    }

    /// Counts `n` more transfers done; returns the progress sample to keep.
    fn add(&self, n: u64) -> (f64, u64) {
        let total = self.done.fetch_add(n, Ordering::Relaxed) + n;
        (self.started.elapsed().as_secs_f64(), total)
    }
}

pub fn run(url: &str, mut config: BankConfig, args: &BenchArgs) -> Result<(), CliError> {
    config.acknowledge = !args.unacknowledged;
    if args.workers == 0 || args.accounts < 2 || args.seconds == 0 {
        return Err(CliError::Usage(
            "bench needs --workers >= 1, --accounts >= 2 and --seconds >= 1".into(),
        ));
    }
    if let Some(target) = args.scale {
        return super::bench_scale::run(url, config, args, target);
    }
    let (scratch, bench_url) = ScratchDatabase::create(url)?;
    let name = scratch.name.clone();
    if let Some(tries) = args.login_timing {
        let result = super::bench_login::login_timing(&bench_url, tries, args.json);
        drop(scratch);
        return result;
    }
    let numbers = Arc::new(fill(&bench_url, args.accounts)?);
    if let Some(lines) = args.payroll_file {
        let result = payroll_file(&bench_url, config, &numbers, lines, args);
        drop(scratch);
        return result;
    }
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
    let stop = Arc::new(Stop {
        started,
        deadline: started + Duration::from_secs(args.seconds),
        target: args.transfers,
        done: AtomicU64::new(0),
    });
    let handles: Vec<_> = (0..args.workers)
        .map(|_| {
            let numbers = Arc::clone(&numbers);
            let bench_url = bench_url.clone();
            let config = config.clone();
            let pattern = args.pattern;
            let batch = args.batch;
            let stop = Arc::clone(&stop);
            let reference = args.reference;
            std::thread::spawn(move || {
                if reference {
                    reference_worker(&bench_url, &numbers, pattern, &stop)
                } else if batch > 0 {
                    batch_worker(&bench_url, config, &numbers, pattern, batch, &stop)
                } else {
                    worker(&bench_url, config, &numbers, pattern, &stop)
                }
            })
        })
        .collect();
    let mut all = WorkerStats::default();
    for handle in handles {
        let stats = handle
            .join()
            .map_err(|_| CliError::Config("a benchmark worker panicked".into()))?;
        all.latencies_us.extend(stats.latencies_us);
        all.transfers += stats.transfers;
        all.refused += stats.refused;
        all.retries += stats.retries;
        all.failure = all.failure.or(stats.failure);
        all.progress.extend(stats.progress);
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(failure) = all.failure {
        return Err(CliError::Bank(BankError::Database(failure)));
    }
    // The reference writes no audit lines: its bank cannot pass an audit.
    let audit = if args.reference {
        AuditRun {
            ok: false,
            seconds: 0.0,
        }
    } else {
        let mut bank = Bank::connect(&bench_url, config)?;
        timed_audit(&mut bank)?
    };
    drop(scratch);
    report(args, &mut all, elapsed, audit);
    Ok(())
}

/// Migrates the scratch database and opens the accounts, each with 1,000,000.00.
fn fill(bench_url: &str, accounts: usize) -> Result<Vec<AccountNumber>, CliError> {
    let mut bank = scratch_bank(bench_url, BankConfig::default())?;
    let actor = Actor::setup("bench");
    let email = Email::parse("bench@bank.local")?;
    bank.people().register_user(
        &actor,
        scratch_customer(&email, "Bench", "bench-scratch-only")?,
        None,
    )?;
    let opening = Amount::from_decimal(Decimal::new(1_000_000, 0))?;
    Ok(bank
        .batches()
        .open_funded_accounts(&actor, &email, Currency::USD, accounts, opening)?)
}

fn worker(
    url: &str,
    config: BankConfig,
    numbers: &[AccountNumber],
    pattern: Pattern,
    stop: &Stop,
) -> WorkerStats {
    let mut stats = WorkerStats::default();
    let Some(mut bank) = connect_worker(url, config, &mut stats) else {
        return stats;
    };
    let actor = Actor::setup("bench");
    let mut rng = rand::rng();
    stats.run_until(stop, |stats| {
        let Some(request) = pick(&mut rng, numbers, pattern) else {
            return Ok(());
        };
        let request = TransferRequest {
            from: request.from,
            to: request.to,
            amount: request.amount,
            key: request.key,
            memo: None,
        };
        let begun = Instant::now();
        match bank.money().transfer(&actor, &request, None) {
            Ok(_) => stats.done_one(begun, stop),
            Err(e) if e.is_refusal() => stats.refused += 1,
            Err(e) => return Err(e.to_string()),
        }
        Ok(())
    });
    stats.retries = bank.retries();
    stats
}

/// The yardstick: the minimal transfer (`db::bench_reference`) on the same accounts.
fn reference_worker(
    url: &str,
    numbers: &[AccountNumber],
    pattern: Pattern,
    stop: &Stop,
) -> WorkerStats {
    let mut stats = WorkerStats::default();
    let mut conn = match db::connect(url) {
        Ok(conn) => conn,
        Err(e) => {
            stats.failure = Some(e.to_string());
            return stats;
        }
    };
    let mut rng = rand::rng();
    stats.run_until(stop, |stats| {
        let Some(t) = pick(&mut rng, numbers, pattern) else {
            return Ok(());
        };
        let begun = Instant::now();
        let (from, to) = (i64::from(t.from.serial()), i64::from(t.to.serial()));
        match db::bench_reference::minimal_transfer(
            &mut conn,
            from,
            to,
            t.amount.value(),
            t.key.as_str(),
            db::clock::now(),
        ) {
            Ok(true) => stats.done_one(begun, stop),
            Ok(false) => stats.refused += 1,
            Err(e) if db::classify(&e) == db::Failure::Retryable => stats.retries += 1,
            Err(e) => return Err(e.to_string()),
        }
        Ok(())
    });
    stats
}

/// A worker's own connection; a failure is kept in its stats.
fn connect_worker(url: &str, config: BankConfig, stats: &mut WorkerStats) -> Option<Bank> {
    Bank::connect(url, config)
        .map_err(|e| stats.failure = Some(e.to_string()))
        .ok()
}

/// Posts batches of `size` through the engine until told to stop.
fn batch_worker(
    url: &str,
    config: BankConfig,
    numbers: &[AccountNumber],
    pattern: Pattern,
    size: usize,
    stop: &Stop,
) -> WorkerStats {
    let mut stats = WorkerStats::default();
    let Some(mut bank) = connect_worker(url, config, &mut stats) else {
        return stats;
    };
    let actor = Actor::setup("bench");
    // The set-up actor needs no supervisor; the approval only counts what moves.
    let mut approval = match bank
        .batches()
        .approve_batch(&actor, "bench", Decimal::MAX, None)
    {
        Ok(approval) => approval,
        Err(e) => {
            stats.failure = Some(e.to_string());
            return stats;
        }
    };
    let mut rng = rand::rng();
    stats.run_until(stop, |stats| {
        let batch: Vec<BatchTransfer> = (0..size)
            .filter_map(|_| pick(&mut rng, numbers, pattern))
            .collect();
        let begun = Instant::now();
        let outcomes = bank
            .batches()
            .post_batch(&actor, &batch, &mut approval)
            .map_err(|e| e.to_string())?;
        stats
            .latencies_us
            .push(u64::try_from(begun.elapsed().as_micros()).unwrap_or(u64::MAX));
        let done = outcomes.iter().filter(|o| o.status() == "done").count() as u64;
        stats.transfers += done;
        stats.refused += outcomes.len() as u64 - done;
        stats.progress.push(stop.add(done));
        Ok(())
    });
    stats.retries = bank.retries();
    stats
}

/// Writes a payroll of `lines` lines (account 0 pays the others in turn), posts it with
/// `batch post` and reports the time end to end and the peak memory of this process.
fn payroll_file(
    url: &str,
    config: BankConfig,
    numbers: &[AccountNumber],
    lines: u64,
    args: &BenchArgs,
) -> Result<(), CliError> {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("teller-bench-payroll-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("payroll.csv");
    {
        let mut out = std::io::BufWriter::new(crate::files::create(&file)?);
        writeln!(out, "to,amount,memo")?;
        let payees = &numbers[1..];
        for i in 0..lines {
            let payee = &payees[usize::try_from(i).unwrap_or(0) % payees.len()];
            writeln!(out, "{payee},0.25,salary {i}")?;
        }
    }
    let mut bank = Bank::connect(url, config)?;
    // Reading the file (its private copy and the check) is part of posting it: timed too.
    let started = std::time::Instant::now();
    let prepared = crate::bulk::Prepared::read(&file, numbers.first().cloned())
        .map_err(|e| CliError::Config(e.to_string()))?;
    let options = crate::bulk::PostOptions {
        expect_digest: None,
        dry_run: false,
        skip_invalid: false,
        batch_size: if args.batch > 0 {
            args.batch
        } else {
            crate::services::DEFAULT_BATCH
        },
    };
    let posted = crate::bulk::post_file(
        &mut bank,
        &Actor::setup("bench"),
        None,
        &prepared,
        &options,
        |_, _| {},
    );
    let _ = std::fs::remove_dir_all(&dir);
    let mut posted = posted.map_err(|e| CliError::Config(e.to_string()))?;
    posted.seconds = started.elapsed().as_secs_f64();
    let audit = timed_audit(&mut bank)?;
    let tps = (posted.tally.done as f64 / posted.seconds).round();
    let peak_mb = peak_rss_kb().map(|kb| (kb as f64 / 1024.0).round());
    if args.json {
        println!(
            "{}",
            json!({
                "file_lines": lines,
                "batch": options.batch_size,
                "done": posted.tally.done,
                "refused": posted.tally.refused,
                "seconds": (posted.seconds * 100.0).round() / 100.0,
                "tps": tps,
                "peak_rss_mb": peak_mb,
                "audit_ok": audit.ok,
                "audit_seconds": audit.seconds,
            })
        );
    } else {
        println!(
            "{lines} lines posted end to end in {:.1} s ({tps:.0} transfers/s), {} done, {} refused, \
             peak memory {} MB, audit {} in {:.2} s",
            posted.seconds,
            posted.tally.done,
            posted.tally.refused,
            peak_mb.map_or_else(|| "?".to_string(), |mb| mb.to_string()),
            if audit.ok { "ok" } else { "FAILED" },
            audit.seconds
        );
    }
    Ok(())
}

/// The process's peak resident memory (`VmHWM`), where the system tells it.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Transfers per second over the first and the last tenth of the run.
fn tenths(progress: &mut [(f64, u64)], total: u64) -> (f64, f64) {
    progress.sort_by(|a, b| a.0.total_cmp(&b.0));
    let tenth = total / 10;
    let time_at = |count: u64| {
        progress
            .iter()
            .find(|(_, done)| *done >= count)
            .map_or(0.0, |(at, _)| *at)
    };
    let first = time_at(tenth);
    let end = progress.last().map_or(0.0, |(at, _)| *at);
    let last = end - time_at(total.saturating_sub(tenth));
    let rate = |seconds: f64| {
        if seconds > 0.0 {
            (tenth as f64 / seconds).round()
        } else {
            0.0
        }
    };
    (rate(first), rate(last))
}

/// The audit at the end of a run: whether it passed, and how long it took (every check over
/// the whole book, the bank's rules included).
struct AuditRun {
    ok: bool,
    seconds: f64,
}

fn timed_audit(bank: &mut Bank) -> Result<AuditRun, CliError> {
    let started = Instant::now();
    let ok = bank.ledger().audit(&Actor::setup("bench"))?.ok;
    let seconds = (started.elapsed().as_secs_f64() * 100.0).round() / 100.0;
    Ok(AuditRun { ok, seconds })
}

fn report(args: &BenchArgs, all: &mut WorkerStats, elapsed: f64, audit: AuditRun) {
    let latencies = &mut all.latencies_us;
    latencies.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let rank = ((latencies.len() as f64) * p).ceil() as usize;
        latencies[rank.clamp(1, latencies.len()) - 1] as f64 / 1000.0
    };
    let transfers = all.transfers;
    let tps = transfers as f64 / elapsed;
    let (p50, p99) = (percentile(0.50), percentile(0.99));
    let (first_tenth, last_tenth) = tenths(&mut all.progress, transfers);
    let (refused, retries) = (all.refused, all.retries);
    let pattern = match args.pattern {
        Pattern::Uniform => "uniform",
        Pattern::Hot => "hot",
        Pattern::Payroll => "payroll",
    };
    if args.json {
        println!(
            "{}",
            json!({
                "workers": args.workers,
                "pattern": pattern,
                "reference": args.reference,
                "accounts": args.accounts,
                "batch": args.batch,
                "transfers": transfers,
                "refused": refused,
                "seconds": (elapsed * 100.0).round() / 100.0,
                "tps": tps.round(),
                "tps_first_tenth": first_tenth,
                "tps_last_tenth": last_tenth,
                "p50_ms": (p50 * 100.0).round() / 100.0,
                "p99_ms": (p99 * 100.0).round() / 100.0,
                "retries": retries,
                "audit_ok": audit.ok,
                "audit_seconds": audit.seconds,
            })
        );
    } else {
        let per = if args.batch > 0 { "batch" } else { "transfer" };
        if args.reference {
            print!("reference (minimal transfer, no audit): ");
        }
        println!(
            "{transfers} transfers in {elapsed:.1} s: {tps:.0} transfers/s (first tenth {first_tenth:.0}/s, \
             last tenth {last_tenth:.0}/s), per {per} p50 {p50:.2} ms, p99 {p99:.2} ms, {retries} retries, \
             {refused} refused, audit {} in {:.2} s",
            if audit.ok { "ok" } else { "FAILED" },
            audit.seconds
        );
    }
}
