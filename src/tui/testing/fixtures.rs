//! The fixtures' fixed values: the people and their passwords, the clock's "now", the app's
//! configuration, the screen size.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::domain::AccountNumber;
use crate::tui::TuiConfig;

pub const WIDTH: u16 = 80;
pub const HEIGHT: u16 = 24;
pub const EMAIL: &str = "di.julis@icloud.com";
pub const PASSWORD: &str = "lesson-demo-2026";
pub const TELLER_EMAIL: &str = "teller@bank.local";
pub const TELLER_PASSWORD: &str = "teller-demo-2026";
pub const ADMIN_EMAIL: &str = "admin@bank.local";
pub const ADMIN_PASSWORD: &str = "admin-demo-2026!";
/// Marco Rossi, the fake bank's second customer.
pub const OTHER_EMAIL: &str = "marco.rossi@example.com";

/// 2026-03-14 09:30 UTC, the fixtures' "now".
pub fn fixed_wall() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

pub fn config() -> TuiConfig {
    TuiConfig {
        idle_timeout: Some(Duration::from_secs(300)),
        export_dir: PathBuf::from("/tmp/teller-exports"),
        database_label: "teller_demo on 127.0.0.1:3307".into(),
        tick: Duration::from_millis(200),
        ..TuiConfig::new("mysql://root@127.0.0.1:3307/teller_demo")
    }
}

/// A valid account number from a 9-digit serial.
pub fn number(serial: u32) -> String {
    AccountNumber::from_serial(serial)
        .map(|n| n.as_str().to_string())
        .unwrap_or_default()
}

/// The same number, typed.
pub fn account_number(serial: u32) -> AccountNumber {
    AccountNumber::from_serial(serial).unwrap_or_else(|| account_number(100_000_001))
}

pub(super) fn money(raw: &str) -> Decimal {
    raw.parse().unwrap_or_default()
}

/// Nina's registration on the teller's screen, field by field up to her password: first and
/// last name, age, country, city, email, phone.
pub const NINA: [&str; 7] = [
    "Nina",
    "Novak",
    "29",
    "Slovenia",
    "Ljubljana",
    "nina.novak@example.com",
    "+386 1 555 0101",
];
