//! The Jepsen-style campaign of issue 22 (docs/cluster-safety.md): clients writing through the
//! cluster while a seeded nemesis kills, cuts, pauses and skews nodes; then every fault healed
//! and the history checked against every node.

pub mod checker;
pub mod history;
pub mod nemesis;
pub mod workload;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use crate::common::cluster::starting_at;
use crate::common::{customer_with_account, TestDb};
use history::{History, Outcome};
use nemesis::{Cleanup, Fault};

/// A campaign's settings: `TELLER_CAMPAIGN_SECONDS` (default 150: the short one CI runs),
/// `TELLER_CAMPAIGN_SEED` (default: from the clock, printed), `TELLER_CAMPAIGN_REPORT` (a file
/// the report is also written to).
pub struct Settings {
    pub seconds: u64,
    pub seed: u64,
    pub clients: usize,
    pub report: Option<std::path::PathBuf>,
}

impl Settings {
    pub fn from_env() -> Self {
        let number = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse().ok());
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs());
        Self {
            seconds: number("TELLER_CAMPAIGN_SECONDS").unwrap_or(150),
            seed: number("TELLER_CAMPAIGN_SEED").unwrap_or(clock),
            clients: 6,
            report: std::env::var_os("TELLER_CAMPAIGN_REPORT").map(Into::into),
        }
    }
}

/// Accounts the clients move money between, and what each holds at the start.
const ACCOUNTS: usize = 8;
const OPENING: &str = "100.00";

pub struct Report {
    pub text: String,
    pub anomalies: Vec<String>,
    pub acknowledged: usize,
}

pub fn run(server: &str, settings: &Settings) -> Report {
    let _cleanup = Cleanup;
    nemesis::all_synced(Duration::from_secs(120));
    let testdb = TestDb::on_server(server);
    let mut setup = testdb.bank();
    let accounts: Vec<_> = (0..ACCOUNTS)
        .map(|i| customer_with_account(&mut setup, &format!("j{i}@example.com"), OPENING).1)
        .collect();
    let numbers: Vec<String> = accounts.iter().map(|a| a.as_str().to_string()).collect();
    let opening = Decimal::from(ACCOUNTS as u64) * OPENING.parse::<Decimal>().unwrap_or_default();
    let prefix = format!("j{}", settings.seed % 1_000_000);

    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let history = Arc::new(History::default());
    let accounts = Arc::new(accounts);
    let clients: Vec<_> = (0..settings.clients)
        .map(|id| {
            let client = workload::Client {
                id,
                // Clients list the nodes in three orders; all write through one.
                url: starting_at(&testdb.app_url, id % 3),
                accounts: accounts.clone(),
                stop: stop.clone(),
                history: history.clone(),
                seed: settings.seed.wrapping_add(id as u64 + 1),
                started,
                prefix: prefix.clone(),
            };
            std::thread::spawn(move || client.run())
        })
        .collect();

    let mut rng = StdRng::seed_from_u64(settings.seed);
    let deadline = started + Duration::from_secs(settings.seconds);
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(rng.random_range(2_000..=5_000)));
        let fault = Fault::pick(&mut rng);
        let from = started.elapsed();
        fault.apply();
        std::thread::sleep(Duration::from_millis(rng.random_range(3_000..=8_000)));
        fault.heal();
        history.fault(history::FaultRecord {
            kind: fault.kind(),
            what: fault.describe(),
            from,
            to: started.elapsed(),
        });
        eprintln!(
            "campaign: {:>5.1} s {} (healed at {:.1} s)",
            from.as_secs_f64(),
            fault.describe(),
            started.elapsed().as_secs_f64()
        );
    }
    stop.store(true, Ordering::Relaxed);
    let mut panicked = 0;
    for client in clients {
        if client.join().is_err() {
            panicked += 1;
        }
    }
    let ran = started.elapsed();
    nemesis::all_synced(Duration::from_secs(180));
    let keys = history.keys();
    let mut anomalies = checker::check(&testdb.url, &keys, &prefix, &numbers, opening);
    if panicked > 0 {
        anomalies.push(format!("{panicked} client(s) panicked"));
    }
    let text = report_text(settings, ran, &keys, &history.faults(), &anomalies);
    Report {
        acknowledged: keys.values().filter(|r| r.outcome == Outcome::Ok).count(),
        text,
        anomalies,
    }
}

fn report_text(
    settings: &Settings,
    ran: Duration,
    keys: &BTreeMap<String, history::KeyRecord>,
    faults: &[history::FaultRecord],
    anomalies: &[String],
) -> String {
    let mut text = String::new();
    let count = |f: &dyn Fn(&Outcome) -> bool| keys.values().filter(|r| f(&r.outcome)).count();
    let ok = count(&|o| *o == Outcome::Ok);
    let fail = count(&|o| matches!(o, Outcome::Fail(_)));
    let unknown = count(&|o| matches!(o, Outcome::Unknown(_)));
    let resent = keys.values().filter(|r| r.attempts > 1).count();
    let mut fails: BTreeMap<&str, usize> = BTreeMap::new();
    for record in keys.values() {
        if let Outcome::Fail(code) = &record.outcome {
            *fails.entry(code).or_default() += 1;
        }
    }
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for kind in nemesis::KINDS {
        kinds.insert(kind, faults.iter().filter(|f| f.kind == kind).count());
    }
    let _ = writeln!(
        text,
        "campaign: seed {}, {} clients, {:.0} s, {} faults",
        settings.seed,
        settings.clients,
        ran.as_secs_f64(),
        faults.len()
    );
    let _ = writeln!(
        text,
        "operations (keys): {} sent, {ok} ok, {fail} failed for certain, {unknown} unknown; {resent} resent after an unknown answer ({:.0} ok/s)",
        keys.len(),
        ok as f64 / ran.as_secs_f64().max(1.0)
    );
    let _ = writeln!(text, "failed for certain, by code: {fails:?}");
    let _ = writeln!(text, "faults by kind: {kinds:?}");
    for fault in faults {
        let _ = writeln!(
            text,
            "  {:>6.1}-{:>6.1} s  {}",
            fault.from.as_secs_f64(),
            fault.to.as_secs_f64(),
            fault.what
        );
    }
    for (key, record) in keys
        .iter()
        .filter(|(_, r)| matches!(r.outcome, Outcome::Unknown(_)))
        .take(20)
    {
        let _ = writeln!(
            text,
            "  unknown: {key} (client {}, {}, {:.1}-{:.1} s, {} attempts): {:?}",
            record.client,
            record.kind,
            record.invoked.as_secs_f64(),
            record.completed.as_secs_f64(),
            record.attempts,
            record.outcome
        );
    }
    let _ = writeln!(text, "anomalies: {}", anomalies.len());
    for anomaly in anomalies {
        let _ = writeln!(text, "  {anomaly}");
    }
    text
}
