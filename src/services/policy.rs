//! The bank's policy lives in the database, set by the owner account: the approval limit and
//! the idle lock of `teller login` sessions. The person running a command cannot loosen either
//! through their environment.

use super::bank::now;
use super::{Bank, BankError, BankResult};
use crate::db::settings;
use crate::domain::Amount;
use crate::domain::AuditAction;
use crate::domain::AuditOutcome;

pub const APPROVAL_LIMIT: &str = "approval_limit";
pub const IDLE_SECONDS: &str = "idle_seconds";
/// The most cash a teller's drawer may hold (per currency) before a cash-in needs a
/// supervisor.
pub const DRAWER_LIMIT: &str = "drawer_limit";
/// The bank's name, printed on statements.
pub const BANK_NAME: &str = "bank_name";
/// The bcrypt cost of new password hashes (and of the unknown-email dummy hash).
pub const BCRYPT_COST: &str = "bcrypt_cost";
/// The costs the bank may choose: the unknown-email dummy hash exists for each of them, so an
/// unknown email always costs what a wrong password costs.
pub const BCRYPT_COSTS: std::ops::RangeInclusive<u32> = 4..=14;

/// A policy value in the form it is stored, checked.
fn parse(name: &str, raw: &str) -> Result<Policy, String> {
    match name {
        APPROVAL_LIMIT => Amount::parse(raw)
            .map(|a| Policy::ApprovalLimit(a.value()))
            .map_err(|e| format!("{name}: {e}")),
        IDLE_SECONDS => raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| *s >= 0)
            .map(|s| Policy::IdleSeconds((s > 0).then(|| chrono::Duration::seconds(s))))
            .ok_or_else(|| {
                format!("{name} must be a whole number of seconds (0: never), not {raw:?}")
            }),
        DRAWER_LIMIT => Amount::parse(raw)
            .map(|a| Policy::DrawerLimit(a.value()))
            .map_err(|e| format!("{name}: {e}")),
        BCRYPT_COST => raw
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|c| BCRYPT_COSTS.contains(c))
            .map(Policy::BcryptCost)
            .ok_or_else(|| format!("{name} must be a number from 4 to 14, not {raw:?}")),
        BANK_NAME => {
            let name_text = raw.trim();
            if name_text.is_empty()
                || name_text.chars().count() > 64
                || name_text.chars().any(char::is_control)
            {
                Err(format!("{name}: 1 to 64 characters, no control characters"))
            } else {
                Ok(Policy::BankName(name_text.to_string()))
            }
        }
        _ => Err(format!("{name} is not a setting of the bank")),
    }
}

enum Policy {
    ApprovalLimit(rust_decimal::Decimal),
    IdleSeconds(Option<chrono::Duration>),
    BankName(String),
    DrawerLimit(rust_decimal::Decimal),
    BcryptCost(u32),
}

impl Bank {
    /// Reads the bank's policy over the built-in defaults (call once after connecting).
    pub fn load_policy(&mut self) -> BankResult<()> {
        for (name, raw) in settings::all(&mut self.conn)? {
            match parse(&name, &raw) {
                Ok(Policy::ApprovalLimit(limit)) => self.config.approval_limit = limit,
                Ok(Policy::IdleSeconds(idle)) => self.config.session_idle = idle,
                Ok(Policy::BankName(bank)) => self.config.bank_name = bank,
                Ok(Policy::DrawerLimit(limit)) => self.config.drawer_limit = limit,
                Ok(Policy::BcryptCost(cost)) => self.config.bcrypt_cost = cost,
                // A setting this version does not know is left for a newer one.
                Err(_)
                    if ![
                        APPROVAL_LIMIT,
                        IDLE_SECONDS,
                        BANK_NAME,
                        DRAWER_LIMIT,
                        BCRYPT_COST,
                    ]
                    .contains(&name.as_str()) => {}
                Err(why) => {
                    return Err(BankError::Database(format!("bank_settings: {why}")));
                }
            }
        }
        Ok(())
    }

    /// Stores a policy value (set-up: the owner account's `teller migrate`).
    pub fn set_policy(&mut self, name: &str, raw: &str) -> Result<(), String> {
        parse(name, raw)?;
        settings::put(&mut self.conn, name, raw.trim(), now()).map_err(|e| e.to_string())?;
        let detail = format!("{name} = {}", raw.trim());
        self.record(
            "setup:migrate",
            AuditAction::PolicySet,
            Some(name),
            AuditOutcome::Ok,
            Some(&detail),
        )
        .map_err(|e| e.to_string())
    }
}
