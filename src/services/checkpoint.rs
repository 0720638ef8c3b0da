//! The incremental audit's checkpoints: what a passing audit hands on to the next one, and the
//! full audit's check that the newest checkpoint is the journal's.

use super::bank::now;
use super::{Actor, AuditCheck, AuditScope, Bank, BankError, BankResult};
use crate::db::checkpoints;
use crate::db::ledger::SealRow;
use crate::domain::format_money;

/// Rows younger than this are checked again by the next audit: one with a lower id may still
/// commit after this audit's snapshot.
pub(super) const SETTLED: chrono::Duration = chrono::Duration::minutes(5);

/// What a passing audit hands on to the next one.
pub(super) struct Reached {
    pub base: Option<checkpoints::CheckpointRow>,
    pub seal: SealRow,
    pub movements: i64,
    pub audit_lines: i64,
    pub open: checkpoints::OpenFrom,
}

impl Bank {
    /// Writes the checkpoint a passing audit reached, unless another audit wrote one since
    /// this one began (then theirs stands). Returns its id.
    pub(super) fn write_checkpoint(
        &mut self,
        actor: &Actor,
        scope: AuditScope,
        reached: Reached,
    ) -> BankResult<Option<i64>> {
        // The checkpoint row names its actor and time itself: no audit line of its own, so an
        // audit leaves the journal and the audit log as they were.
        let name = self.stamp(actor).actor;
        let written = self.in_transaction(|conn| {
            let latest = checkpoints::latest(conn)?;
            if latest.as_ref().map(|c| c.id) != reached.base.as_ref().map(|c| c.id) {
                return Ok(None);
            }
            let (id, after) = reached
                .base
                .as_ref()
                .map_or((1, 0), |b| (b.id + 1, b.last_movement_id));
            let row = checkpoints::CheckpointRow {
                id,
                at: now(),
                actor: name.clone(),
                seal_id: reached.seal.id,
                last_movement_id: reached.seal.last_movement_id,
                last_audit_id: reached.seal.last_audit_id,
                movements: reached.movements,
                audit_lines: reached.audit_lines,
                next_drawer_session_id: reached.open.drawer_session_id,
                next_vault_day_id: reached.open.vault_day_id,
                next_login_session_id: reached.open.login_session_id,
                full_check: scope == AuditScope::Full,
            };
            checkpoints::insert(conn, &row)?;
            let sums = checkpoints::sums_between(conn, after, row.last_movement_id)?;
            checkpoints::add_sums(conn, id, &sums)?;
            Ok(Some(id))
        });
        match written {
            // Another audit wrote this checkpoint first: theirs stands.
            Err(BankError::Duplicate(_)) => Ok(None),
            other => other,
        }
    }
}

/// The full audit's check of the newest checkpoint: its carried sums (`sums`: the accounts
/// whose carried sum is not the journal's up to it) and its count (the journal holds
/// `movements` up to it) are the journal's.
pub(super) fn checkpoint_check(
    cp: &checkpoints::CheckpointRow,
    sums: Vec<checkpoints::SumMismatch>,
    movements: i64,
) -> AuditCheck {
    let mut problems: Vec<String> = sums
        .into_iter()
        .map(|m| {
            format!(
                "account {}: checkpoint {} carries {} but the journal sums to {}",
                super::accounts::number_of(m.account_id),
                cp.id,
                format_money(m.carried),
                format_money(m.journal)
            )
        })
        .collect();
    if movements != cp.movements {
        problems.push(format!(
            "checkpoint {} counts {} movements up to {} but the journal holds {movements}",
            cp.id, cp.movements, cp.last_movement_id
        ));
    }
    AuditCheck::from_problems(
        "checkpoint_agrees",
        problems.into_iter(),
        "the newest checkpoint's carried sums and counts are the journal's",
    )
}
