//! Keys a bank acknowledged, checked against its journal: after a crash of every cluster node
//! the database may have lost commits it had confirmed (Jepsen, MariaDB Galera 12.1.2). The
//! keys live outside the database (a workstation's receipts, a payment file's results, a
//! script's log), so `teller audit --acknowledged FILE` can name any that are missing.

use std::collections::HashMap;

use super::authz::require;
use super::views::AuditCheck;
use super::{Actor, BankResult, Ledger};
use crate::db::batch as queries;
use crate::domain::{AuditAction, IdempotencyKey};

impl Ledger<'_> {
    /// Every key in `keys` moved money exactly once (staff only): the check names each key the
    /// journal does not hold, or holds twice.
    pub fn acknowledged_keys(
        &mut self,
        actor: &Actor,
        keys: &[IdempotencyKey],
    ) -> BankResult<AuditCheck> {
        let allowed = require(actor.is_staff(), "audit the ledger");
        self.bank
            .audited(actor, AuditAction::Audit, "acknowledged keys", allowed)?;
        let asked: Vec<&str> = keys.iter().map(IdempotencyKey::as_str).collect();
        // Keys are one key whatever their letters' case, as the journal's index says.
        let mut held: HashMap<String, usize> = HashMap::new();
        for (_, key) in queries::ids_of_keys(&mut self.bank.conn, &asked)? {
            *held.entry(key.to_lowercase()).or_default() += 1;
        }
        let problems = asked.iter().filter_map(|key| {
            match held.get(&key.to_lowercase()).copied().unwrap_or(0) {
                1 => None,
                0 => Some(format!("{key} missing")),
                n => Some(format!("{key} applied {n} times")),
            }
        });
        Ok(AuditCheck::from_problems(
            "acknowledged_keys_present",
            problems,
            &format!(
                "each of the {} acknowledged keys moved money exactly once",
                keys.len()
            ),
        ))
    }
}
