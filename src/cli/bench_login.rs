//! `teller bench --login-timing N`: does a login tell an unknown email from a wrong password
//! by its time? N tries of each, interleaved, at the bank's bcrypt cost; their medians
//! compared (the bank's aim: less than 10 % apart).

use std::time::Instant;

use serde_json::json;

use super::CliError;
use crate::db;
use crate::domain::{Email, Secret};
use crate::services::{Actor, Bank, BankConfig, BankError};

pub fn login_timing(bench_url: &str, tries: u32, json: bool) -> Result<(), CliError> {
    if tries == 0 {
        return Err(CliError::Usage(
            "--login-timing needs at least 1 try".into(),
        ));
    }
    let mut conn = db::connect(bench_url)?;
    db::run_migrations(&mut conn)?;
    let mut bank = Bank::new(conn, bench_url, BankConfig::default());
    // The policy as `migrate` stored it (12), as every workstation reads it.
    bank.load_policy()?;
    let email = Email::parse("timing@bank.local")?;
    let user = bank.people().register_user(
        &Actor::setup("bench"),
        super::scratch::scratch_customer(&email, "Timing", "timing-bench-passphrase")?,
        None,
    )?;
    let wrong = Secret::new("not-the-passphrase-at-all".into());
    let mut unknown_ms = Vec::with_capacity(tries as usize);
    let mut wrong_ms = Vec::with_capacity(tries as usize);
    for i in 0..tries {
        let nobody = Email::parse(&format!("nobody-{i}@bank.local"))?;
        unknown_ms.push(timed(&mut bank, &nobody, &wrong)?);
        // Every try a counted wrong password, never the locked path.
        db::users::set_login_failures(bank.connection(), user.id, 0, None)
            .map_err(BankError::from)?;
        wrong_ms.push(timed(&mut bank, &email, &wrong)?);
    }
    let unknown = median(&mut unknown_ms);
    let wrong = median(&mut wrong_ms);
    let apart = (unknown - wrong).abs() / unknown.min(wrong) * 100.0;
    let cost = bank.people().password_cost();
    if json {
        println!(
            "{}",
            json!({
                "bcrypt_cost": cost,
                "unknown_email_cost": bank.people().unknown_email_cost(),
                "tries": tries,
                "unknown_email_median_ms": round2(unknown),
                "wrong_password_median_ms": round2(wrong),
                "difference_percent": round2(apart),
            })
        );
    } else {
        println!(
            "bcrypt cost {cost} (unknown email checked at {}): {tries} tries each; median \
             unknown email {unknown:.2} ms, wrong password {wrong:.2} ms: {apart:.1} % apart",
            bank.people().unknown_email_cost()
        );
    }
    Ok(())
}

/// One failed login, in milliseconds (it must fail: both are wrong).
fn timed(bank: &mut Bank, email: &Email, password: &Secret) -> Result<f64, CliError> {
    let started = Instant::now();
    match bank.people().authenticate(email, password) {
        Err(BankError::InvalidCredentials) => Ok(started.elapsed().as_secs_f64() * 1000.0),
        Err(e) => Err(e.into()),
        Ok(_) => Err(CliError::Config("a wrong password logged in".into())),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
