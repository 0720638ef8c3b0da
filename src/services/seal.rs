//! Sealing: extending the hash chain to the newest committed movements and audit lines.
//!
//! Off the transfer path: transfers never touch the chain. A seal reads the rows after the last
//! sealed ids with a shared lock at READ COMMITTED, which waits for transactions that inserted
//! such a row and have not committed, and holds up no insert. A hole in the ids (a rolled back
//! insert, or an id handed out whose row is not written yet) stops the seal until a seal at
//! least `seal_grace` old saw a higher id: only then is the hole final. See docs/security.md.

use chrono::{DateTime, Utc};

use super::authz::require;
use super::bank::now;
use super::chain::{
    audit_bytes, cash_id_bytes, from_hex, movement_bytes, next_link, to_hex, Link, GENESIS,
};
use super::views::utc;
use super::Ledger;
use super::{Actor, BankError, BankResult};
use crate::db::audit_log::AuditRow;
use crate::db::ledger::{self, ChainedTable, LinkRow, SealRow};
use crate::db::movements::MovementRow;
use crate::db::Connection;
use crate::domain::AuditAction;

/// Rows of each table one seal takes at most (one statement each way).
pub(super) const BATCH: i64 = 10_000;

/// What `Ledger::seal` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealReport {
    /// The newest seal, the last one this call wrote.
    pub seal_id: i64,
    /// Seals written by this call (one per batch).
    pub seals: u32,
    /// The chain head after the newest seal: keep it outside the database.
    pub head: String,
    /// Rows sealed by this call.
    pub movements: i64,
    pub audit_lines: i64,
    /// Every row up to these ids is sealed.
    pub last_movement_id: i64,
    pub last_audit_id: i64,
    /// Rows left for a later seal (committed since, or behind a hole that is not final yet).
    pub unsealed_movements: i64,
    pub unsealed_audit_lines: i64,
    pub at: DateTime<Utc>,
}

/// One seal's worth of work.
struct Batch {
    seal: SealRow,
    /// A table's batch was full and all of it sealed: there may be more.
    more: bool,
}

impl Ledger<'_> {
    /// Extends the chain to the newest committed rows (admins only), in batches of `BATCH`
    /// rows a table, one seal each.
    pub fn seal(&mut self, actor: &Actor) -> BankResult<SealReport> {
        if let Err(e) = require(actor.is_admin(), "seal the ledger") {
            return self.bank.refused(actor, AuditAction::LedgerSeal, None, e);
        }
        let stamp = self.bank.stamp(actor);
        let name = stamp.actor.as_str();
        let grace = self.bank.config.seal_grace;
        let (mut seals, mut sealed_movements, mut sealed_audit) = (0, 0, 0);
        let last = loop {
            // One sealer at a time, so that sealers wait for each other rather than collide.
            if !ledger::lock_sealing(&mut self.bank.conn)? {
                return Err(BankError::Busy);
            }
            let batch = self
                .bank
                .in_read_committed_transaction(|conn| seal_batch(conn, name, grace));
            // A retry reconnects and so loses the lock: harmless, a collision is retried too.
            // A failed release is a broken connection, and its end releases the lock as well.
            let _ = ledger::unlock_sealing(&mut self.bank.conn);
            let batch = batch?;
            seals += 1;
            sealed_movements += batch.seal.movements;
            sealed_audit += batch.seal.audit_lines;
            if !batch.more {
                break batch.seal;
            }
        };
        let conn = &mut self.bank.conn;
        Ok(SealReport {
            seal_id: last.id,
            seals,
            head: last.head,
            movements: sealed_movements,
            audit_lines: sealed_audit,
            last_movement_id: last.last_movement_id,
            last_audit_id: last.last_audit_id,
            unsealed_movements: ledger::count_after(
                conn,
                ChainedTable::Movements,
                last.last_movement_id,
            )?,
            unsealed_audit_lines: ledger::count_after(
                conn,
                ChainedTable::AuditLog,
                last.last_audit_id,
            )?,
            at: utc(last.at),
        })
    }
}

fn seal_batch(conn: &mut Connection, actor: &str, grace: chrono::Duration) -> BankResult<Batch> {
    let at = now();
    let previous = ledger::latest_seal(conn)?;
    let (prev_id, mut head, last_m, last_a, seen_m, seen_a) = match &previous {
        Some(s) => (
            s.id,
            parse_head(&s.head, s.id)?,
            s.last_movement_id,
            s.last_audit_id,
            s.movement_seen_id,
            s.audit_seen_id,
        ),
        None => (0, GENESIS, 0, 0, 0, 0),
    };
    let (final_m, final_a) = ledger::seen_by(conn, at - grace)?;
    let locked_movements: Vec<MovementRow> =
        ledger::lock_rows_after(conn, ChainedTable::Movements, last_m, BATCH)?;
    let locked_audit: Vec<AuditRow> =
        ledger::lock_rows_after(conn, ChainedTable::AuditLog, last_a, BATCH)?;
    let m_ids: Vec<i64> = locked_movements.iter().map(|m| m.id).collect();
    let a_ids: Vec<i64> = locked_audit.iter().map(|a| a.id).collect();
    let movements = &locked_movements[..sealable(last_m, &m_ids, final_m)];
    let audit = &locked_audit[..sealable(last_a, &a_ids, final_a)];
    let (m_take, a_take) = (movements.len(), audit.len());
    // An ID record commits with its movement: the movement's lock above waited for both. Only
    // those of the movements taken (one in a hole could commit in between).
    let id_records: Vec<_> = match (movements.first(), movements.last()) {
        (Some(first), Some(last)) => ledger::lock_cash_ids_in(conn, first.id, last.id)?
            .into_iter()
            .filter(|c| m_ids[..m_take].binary_search(&c.movement_id).is_ok())
            .collect(),
        _ => Vec::new(),
    };
    let seal_id = prev_id + 1;
    let mut links = Vec::with_capacity(m_take + id_records.len() + a_take);
    // Each movement, then its ID record if it has one, then the audit lines.
    let mut ids_by_movement = id_records.iter().peekable();
    let rows = movements
        .iter()
        .flat_map(|m| {
            let id_record = ids_by_movement
                .next_if(|c| c.movement_id == m.id)
                .map(|c| (ChainedTable::CashIds, c.movement_id, cash_id_bytes(c)));
            std::iter::once((ChainedTable::Movements, m.id, movement_bytes(m))).chain(id_record)
        })
        .chain(
            audit
                .iter()
                .map(|a| (ChainedTable::AuditLog, a.id, audit_bytes(a))),
        );
    for (seq, (table, row_id, bytes)) in rows.enumerate() {
        head = next_link(&head, &bytes);
        links.push(LinkRow {
            seal_id,
            seq: i32::try_from(seq).map_err(|_| BankError::Database("seal too large".into()))?,
            row_table: table.as_str().to_string(),
            row_id,
            link: to_hex(&head),
        });
    }
    let seal = SealRow {
        id: seal_id,
        at,
        actor: actor.to_string(),
        head: to_hex(&head),
        last_movement_id: movements.last().map_or(last_m, |m| m.id),
        last_audit_id: audit.last().map_or(last_a, |a| a.id),
        movement_seen_id: m_ids.last().copied().unwrap_or(0).max(seen_m),
        audit_seen_id: a_ids.last().copied().unwrap_or(0).max(seen_a),
        movements: count(m_take),
        audit_lines: count(a_take),
        cash_ids: Some(count(id_records.len())),
    };
    ledger::insert_seal(conn, &seal).map_err(|e| match BankError::from(e) {
        // Another seal took this id first: roll back and start over from it.
        BankError::Duplicate(_) => BankError::Busy,
        other => other,
    })?;
    ledger::insert_links(conn, &links).map_err(|e| match BankError::from(e) {
        BankError::Duplicate(_) => {
            BankError::Database("a row is linked twice; run teller audit".into())
        }
        other => other,
    })?;
    let full = |ids: &[i64], take: usize| ids.len() == take && count(take) == BATCH;
    Ok(Batch {
        seal,
        more: full(&m_ids, m_take) || full(&a_ids, a_take),
    })
}

/// How many of `ids` (ascending, all above `last`) can be sealed: up to the first hole that is
/// not final. A hole below an id that a seal at least the grace period old had seen is final:
/// its id was handed out before then, and no insert takes that long.
fn sealable(last: i64, ids: &[i64], final_below: i64) -> usize {
    let mut expected = last + 1;
    for (n, &id) in ids.iter().enumerate() {
        if id != expected && id > final_below {
            return n;
        }
        expected = id + 1;
    }
    ids.len()
}

fn parse_head(hex: &str, seal: i64) -> BankResult<Link> {
    from_hex(hex).ok_or_else(|| {
        BankError::Database(format!("seal {seal} has no valid head; run teller audit"))
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_ids_are_all_sealed() {
        assert_eq!(sealable(10, &[11, 12, 13], 0), 3);
        assert_eq!(sealable(0, &[], 0), 0);
    }

    #[test]
    fn a_fresh_hole_stops_the_seal_and_a_final_one_does_not() {
        // 12 is missing; nothing old enough saw beyond 11
        assert_eq!(sealable(10, &[11, 13, 14], 11), 1);
        // a seal old enough saw 13: 12 was handed out before then and never written
        assert_eq!(sealable(10, &[11, 13, 14], 13), 3);
        // a hole right after the last sealed id
        assert_eq!(sealable(10, &[12], 0), 0);
        assert_eq!(sealable(10, &[12, 20], 12), 1);
    }

    #[test]
    fn heads_parse_back() {
        let link = next_link(&GENESIS, b"x");
        assert_eq!(parse_head(&to_hex(&link), 1).ok(), Some(link));
        assert!(parse_head("zz", 1).is_err());
        assert!(parse_head(&"g".repeat(64), 1).is_err());
    }
}
