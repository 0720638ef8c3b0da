//! A benchmark's scratch bank: a database of its own (dropped however the run ends), migrated
//! and marked as a benchmark bank, its own customers, and random transfers between accounts.

use std::sync::atomic::{AtomicU32, Ordering};

use rand::Rng;
use rust_decimal::Decimal;

use super::args::Pattern;
use super::CliError;
use crate::db;
use crate::domain::{
    AccountNumber, Age, Amount, Country, Email, IdempotencyKey, Name, Password, Role,
};
use crate::services::{Bank, BankConfig, BatchTransfer, NewUserInput};

/// Drops the scratch database however the benchmark ends.
pub(super) struct ScratchDatabase {
    server_url: String,
    pub(super) name: String,
}

impl ScratchDatabase {
    /// A new, empty database beside the bank's; returns it and its URL.
    pub(super) fn create(url: &str) -> Result<(Self, String), CliError> {
        let server_url = db::server_url(url);
        let mut server = db::connect(&server_url)?;
        // A run may hold two at once (bench --scale's empty bank beside its big one).
        static MADE: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "teller_bench_{}_{}_{}",
            std::process::id(),
            chrono::Utc::now().timestamp(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        db::create_database(&mut server, &name)?;
        let bench_url = db::with_database(url, &name);
        Ok((Self { server_url, name }, bench_url))
    }

    /// Leaves the database on the server (for a rerun against it); returns its name.
    pub(super) fn keep(mut self) -> String {
        std::mem::take(&mut self.name)
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if self.name.is_empty() {
            return;
        }
        if let Ok(mut server) = db::connect(&self.server_url) {
            let _ = db::drop_database(&mut server, &self.name);
        }
    }
}

/// The scratch database migrated and marked as a benchmark bank (its set-up task opens and
/// funds accounts without drawer sessions), as a bank that hashes at the cheapest cost: only
/// the benchmark's own scratch people are hashed.
pub(super) fn scratch_bank(bench_url: &str, config: BankConfig) -> Result<Bank, CliError> {
    let mut conn = db::connect(bench_url)?;
    db::run_migrations(&mut conn)?;
    db::settings::allow_setup_rows(&mut conn, chrono::Utc::now().naive_utc())
        .map_err(db::ConnectError::from)?;
    Ok(Bank::new(
        conn,
        bench_url,
        BankConfig {
            bcrypt_cost: 4,
            ..config
        },
    ))
}

/// A benchmark's own customer (a scratch bank's only person).
pub(super) fn scratch_customer(
    email: &Email,
    name: &str,
    password: &str,
) -> Result<NewUserInput, CliError> {
    Ok(NewUserInput {
        password: Password::parse(password.into(), email)?,
        email: email.clone(),
        name: Name::parse(name)?,
        surname: None,
        age: Age::new(30)?,
        country: Country::parse("USA")?,
        city: None,
        phones: Vec::new(),
        role: Role::Customer,
    })
}

/// One random transfer between two accounts, with a fresh key.
pub(super) fn pick_uniform(rng: &mut impl Rng, numbers: &[AccountNumber]) -> Option<BatchTransfer> {
    pick(rng, numbers, Pattern::Uniform)
}

/// One random transfer of the pattern, with a fresh key.
pub(super) fn pick(
    rng: &mut impl Rng,
    numbers: &[AccountNumber],
    pattern: Pattern,
) -> Option<BatchTransfer> {
    let first = match pattern {
        Pattern::Hot | Pattern::Payroll => 0,
        Pattern::Uniform => rng.random_range(0..numbers.len()),
    };
    let mut second = rng.random_range(0..numbers.len() - 1);
    if second >= first {
        second += 1;
    }
    let (from, to) = if pattern == Pattern::Payroll || rng.random_bool(0.5) {
        (first, second)
    } else {
        (second, first)
    };
    // A payroll's payer pays for the whole run: small amounts keep it in funds.
    let cents = match pattern {
        Pattern::Payroll => rng.random_range(1..=10),
        _ => rng.random_range(1..=10_000),
    };
    Some(BatchTransfer {
        from: numbers[from].clone(),
        to: numbers[to].clone(),
        amount: Amount::from_decimal(Decimal::new(cents, 2)).ok()?,
        key: IdempotencyKey::generate(),
        memo: None,
        linked: false,
    })
}
