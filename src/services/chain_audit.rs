//! The audit's chain checks: every sealed row (movement, ID record, audit line) still hashes to
//! its link, every seal's head is its last link, no row appeared in a sealed range, and how
//! much is not sealed yet.

use std::collections::HashMap;

use super::chain::{
    audit_bytes, cash_id_bytes, from_hex, movement_bytes, next_link, to_hex, Link, GENESIS,
};
use super::{AuditCheck, BankResult};
use crate::db::ledger::{self, ChainedTable, LinkRow, SealRow};
use crate::db::Connection;

/// Links read and checked at a time.
const PAGE: i64 = 10_000;

const TABLES: [ChainedTable; 2] = [ChainedTable::Movements, ChainedTable::AuditLog];

/// What a chain check covers: the seals after `start`, as the audit's snapshot sees them. The
/// rows they sealed never change, so `verify` may read them on another connection (the full
/// audit does, alongside its SQL checks); seals written since are not its business.
pub(super) struct ChainPlan<'a> {
    start: Option<&'a SealRow>,
    seals: Vec<SealRow>,
    /// Rows the seals link (movements, audit lines, ID records).
    total: u64,
}

impl<'a> ChainPlan<'a> {
    pub(super) fn read(conn: &mut Connection, start: Option<&'a SealRow>) -> BankResult<Self> {
        let seals = ledger::seals_after(conn, start.map_or(0, |s| s.id))?;
        let total: i64 = seals
            .iter()
            .map(|s| s.movements + s.audit_lines + s.cash_ids.unwrap_or(0))
            .sum();
        Ok(Self {
            start,
            seals,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    fn start_id(&self) -> i64 {
        self.start.map_or(0, |s| s.id)
    }

    /// The newest seal checked (the start when there is none after it).
    fn newest(&self) -> Option<&SealRow> {
        self.seals.last().or(self.start)
    }

    fn end_id(&self) -> i64 {
        self.newest().map_or(0, |s| s.id)
    }

    fn sealed_up_to(&self) -> [i64; 2] {
        self.newest()
            .map_or([0, 0], |s| [s.last_movement_id, s.last_audit_id])
    }

    /// Every seal's head from its rows; the links walked only when something disagrees.
    pub(super) fn verify(
        &self,
        conn: &mut Connection,
        progress: &mut dyn FnMut(u64, u64),
    ) -> BankResult<Found> {
        let total = self.total;
        progress(0, total);
        // Every link is a row a seal counts: a link added by hand shows in the count.
        let links = ledger::count_links_between(conn, self.start_id(), self.end_id())?;
        let heads = if links == i64::try_from(total).unwrap_or(-1) {
            heads_agree(conn, self, &mut |done| progress(done, total))?
        } else {
            None
        };
        Ok(match heads {
            Some(rows_checked) => Found {
                rows_checked,
                ..Found::default()
            },
            None => walk_links(conn, self, &mut |done| progress(done, total))?,
        })
    }

    /// The chain's checks from what `verify` found, with the rows not sealed yet (counted on
    /// the audit's snapshot).
    pub(super) fn checks(
        &self,
        conn: &mut Connection,
        found: Found,
    ) -> BankResult<Vec<AuditCheck>> {
        let sealed_up_to = self.sealed_up_to();
        let mut unsealed = [0; 2];
        for (i, table) in TABLES.into_iter().enumerate() {
            unsealed[i] = ledger::count_after(conn, table, sealed_up_to[i])?;
        }
        let head = self
            .newest()
            .map_or("nothing is sealed yet".to_string(), |s| {
                format!("head of seal {}: {}", s.id, s.head)
            });
        let checked = match self.start {
            Some(s) => format!("after seal {}", s.id),
            None => "from the first".to_string(),
        };
        Ok(vec![
            found.rows.check(
                "ledger_chain",
                format!(
                    "all {} sealed rows {checked} hash to their seals' heads; {head}",
                    found.rows_checked
                ),
            ),
            found.seals.check(
                "ledger_seals",
                format!(
                    "all {} seals {checked} end on their last link",
                    self.seals.len()
                ),
            ),
            found.inserted.check(
                "ledger_sealed_range",
                "no row was inserted into the sealed range".to_string(),
            ),
            AuditCheck {
                name: "ledger_unsealed",
                ok: true,
                detail: format!(
                    "{} movements and {} audit lines are not sealed yet",
                    unsealed[0], unsealed[1]
                ),
            },
        ])
    }
}

/// What the chain's check found, by check.
#[derive(Default)]
pub(super) struct Found {
    rows_checked: u64,
    rows: Problems,
    seals: Problems,
    inserted: Problems,
}

/// Recomputes each seal's head from the rows in its id ranges, in the seal's order (each
/// movement, its ID record, then the audit lines), without reading a link: `Some(rows checked)`
/// when every seal after `start` agrees (ids consecutive, its counts, its head). A row changed,
/// removed or slipped into a sealed range changes a count or a head; only then does the audit
/// read the links (`walk_links`), to name the row. Half the reads of the walk, and no join.
fn heads_agree(
    conn: &mut Connection,
    plan: &ChainPlan,
    progress: &mut dyn FnMut(u64),
) -> BankResult<Option<u64>> {
    let (seals, start) = (plan.seals.as_slice(), plan.start);
    let mut head = match start {
        None => GENESIS,
        Some(s) => match from_hex(&s.head) {
            Some(head) => head,
            None => return Ok(None),
        },
    };
    let (mut id, mut last_m, mut last_a) =
        start.map_or((0, 0, 0), |s| (s.id, s.last_movement_id, s.last_audit_id));
    let mut checked: u64 = 0;
    for seal in seals {
        if seal.id != id + 1 {
            return Ok(None);
        }
        let movements = ledger::movements_in(conn, last_m + 1, seal.last_movement_id)?;
        let audit = ledger::audit_rows_in(conn, last_a + 1, seal.last_audit_id)?;
        let id_records = match seal.cash_ids {
            // Seals from before ID records were chained link none.
            None => Vec::new(),
            Some(_) => ledger::cash_ids_in(conn, last_m + 1, seal.last_movement_id)?,
        };
        let counts = [movements.len(), audit.len(), id_records.len()]
            .map(|n| i64::try_from(n).unwrap_or(-1));
        if counts != [seal.movements, seal.audit_lines, seal.cash_ids.unwrap_or(0)] {
            return Ok(None);
        }
        let mut ids_by_movement = id_records.iter().peekable();
        for m in &movements {
            head = next_link(&head, &movement_bytes(m));
            if let Some(c) = ids_by_movement.next_if(|c| c.movement_id == m.id) {
                head = next_link(&head, &cash_id_bytes(c));
            }
        }
        for a in &audit {
            head = next_link(&head, &audit_bytes(a));
        }
        if ids_by_movement.next().is_some() || to_hex(&head) != seal.head {
            return Ok(None);
        }
        checked += u64::try_from(movements.len() + audit.len() + id_records.len()).unwrap_or(0);
        progress(checked);
        (id, last_m, last_a) = (seal.id, seal.last_movement_id, seal.last_audit_id);
    }
    Ok(Some(checked))
}

/// Walks every link after `start` against its row, naming each row and seal that disagrees,
/// and looks for rows in the sealed range (`from` to `sealed_up_to`) that no link names.
fn walk_links(
    conn: &mut Connection,
    plan: &ChainPlan,
    progress: &mut dyn FnMut(u64),
) -> BankResult<Found> {
    let (seals, start) = (plan.seals.as_slice(), plan.start);
    let from = start.map_or([0, 0], |s| [s.last_movement_id, s.last_audit_id]);
    let sealed_up_to = plan.sealed_up_to();
    let mut walk = Walk::new(seals, start);
    let mut after = start.map(|s| (s.id, i32::MAX));
    loop {
        let page = ledger::links_after(conn, after, plan.end_id(), PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some((last.seal_id, last.seq));
        let rows = canonical_rows(conn, &page)?;
        for link in &page {
            walk.link(link, &rows);
        }
        progress(u64::try_from(walk.rows_checked).unwrap_or(0));
    }
    walk.finish_until(i64::MAX);
    let mut inserted = Problems::default();
    for (i, table) in TABLES.into_iter().enumerate() {
        if let Some(id) = ledger::first_unlinked(conn, table, from[i], sealed_up_to[i])? {
            inserted.note(format!(
                "{} {id} is inside the sealed range (up to {}) but was never sealed: it was inserted afterwards",
                row_name(table),
                sealed_up_to[i]
            ));
        }
    }
    if let Some(movement) = ledger::first_unlinked_cash_id(conn, from[0])? {
        inserted.note(format!(
            "the ID record of movement {movement} is not in the chain, though its movement was sealed with the ID records: it was added afterwards"
        ));
    }
    Ok(Found {
        rows_checked: u64::try_from(walk.rows_checked).unwrap_or(0),
        rows: walk.rows,
        seals: walk.seal_problems,
        inserted,
    })
}

/// The first problem of a kind, and how many more.
#[derive(Default)]
struct Problems {
    first: Option<String>,
    more: usize,
}

impl Problems {
    fn note(&mut self, problem: String) {
        if self.first.is_none() {
            self.first = Some(problem);
        } else {
            self.more += 1;
        }
    }

    fn check(&self, name: &'static str, holds: String) -> AuditCheck {
        let detail = match (&self.first, self.more) {
            (None, _) => holds,
            (Some(first), 0) => first.clone(),
            (Some(first), more) => format!("{first} (and {more} more problems)"),
        };
        AuditCheck {
            name,
            ok: self.first.is_none(),
            detail,
        }
    }
}

type Rows = HashMap<(ChainedTable, i64), Vec<u8>>;

/// The canonical bytes of the rows a page of links refers to.
fn canonical_rows(conn: &mut Connection, page: &[LinkRow]) -> BankResult<Rows> {
    let ids = |table: ChainedTable| -> Vec<i64> {
        page.iter()
            .filter(|l| ChainedTable::from_db(&l.row_table) == Some(table))
            .map(|l| l.row_id)
            .collect()
    };
    let mut rows = Rows::new();
    linked_in_range(
        &mut rows,
        ChainedTable::Movements,
        &ids(ChainedTable::Movements),
        |first, last| ledger::movements_in(conn, first, last),
        |m| (m.id, movement_bytes(m)),
    )?;
    linked_in_range(
        &mut rows,
        ChainedTable::AuditLog,
        &ids(ChainedTable::AuditLog),
        |first, last| ledger::audit_rows_in(conn, first, last),
        |a| (a.id, audit_bytes(a)),
    )?;
    for c in ledger::cash_ids_by_movements(conn, &ids(ChainedTable::CashIds))? {
        rows.insert((ChainedTable::CashIds, c.movement_id), cash_id_bytes(&c));
    }
    Ok(rows)
}

/// Adds to `rows` the canonical bytes of the rows of `table` with these ids. A page's rows of a
/// table lie in one range of ids (a seal takes them in id order): one range read, keeping the
/// linked ones, is cheaper than a list of ids.
fn linked_in_range<R>(
    rows: &mut Rows,
    table: ChainedTable,
    ids: &[i64],
    read: impl FnOnce(i64, i64) -> crate::db::QueryResult<Vec<R>>,
    bytes: impl Fn(&R) -> (i64, Vec<u8>),
) -> BankResult<()> {
    let (Some(&first), Some(&last)) = (ids.iter().min(), ids.iter().max()) else {
        return Ok(());
    };
    let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
    for row in read(first, last)? {
        let (id, canonical) = bytes(&row);
        if wanted.contains(&id) {
            rows.insert((table, id), canonical);
        }
    }
    Ok(())
}

fn row_name(table: ChainedTable) -> &'static str {
    match table {
        ChainedTable::Movements => "movement",
        ChainedTable::AuditLog => "audit line",
        ChainedTable::CashIds => "the ID record of movement",
    }
}

fn index(table: ChainedTable) -> usize {
    match table {
        ChainedTable::Movements => 0,
        ChainedTable::AuditLog => 1,
        ChainedTable::CashIds => 2,
    }
}

/// Walks the links in chain order, each checked against its row and the link before it, and
/// closes each seal when the links move past it.
struct Walk<'a> {
    seals: &'a [SealRow],
    /// The seal the walk starts after (0: the genesis).
    start_id: i64,
    /// The seal whose links come next.
    next: usize,
    /// The last link so far (as stored, once checked).
    head: Link,
    seq: i32,
    /// The movement the previous link named (an ID record's link follows its movement's).
    previous_movement: Option<i64>,
    /// Links of the current seal, by table (movements, audit lines, ID records).
    linked: [i64; 3],
    /// The highest row id linked so far, by table.
    last: [i64; 2],
    /// The previous seal's last ids.
    sealed_up_to: [i64; 2],
    rows_checked: i64,
    rows: Problems,
    seal_problems: Problems,
}

impl<'a> Walk<'a> {
    fn new(seals: &'a [SealRow], start: Option<&SealRow>) -> Self {
        let mut rows = Problems::default();
        let head = match start {
            None => GENESIS,
            Some(s) => from_hex(&s.head).unwrap_or_else(|| {
                rows.note(format!("seal {} has no valid head", s.id));
                GENESIS
            }),
        };
        let up_to = start.map_or([0, 0], |s| [s.last_movement_id, s.last_audit_id]);
        Self {
            seals,
            start_id: start.map_or(0, |s| s.id),
            next: 0,
            head,
            seq: 0,
            previous_movement: None,
            linked: [0; 3],
            last: up_to,
            sealed_up_to: up_to,
            rows_checked: 0,
            rows,
            seal_problems: Problems::default(),
        }
    }

    fn link(&mut self, link: &LinkRow, rows: &Rows) {
        self.finish_until(link.seal_id);
        let Some(seal) = self.seals.get(self.next).filter(|s| s.id == link.seal_id) else {
            self.rows.note(format!(
                "link {} of seal {} belongs to no seal",
                link.seq, link.seal_id
            ));
            return;
        };
        if link.seq != self.seq {
            self.rows.note(format!(
                "seal {} lost its link {} (the next one is {})",
                seal.id, self.seq, link.seq
            ));
        }
        self.seq = link.seq.saturating_add(1);
        let Some(table) = ChainedTable::from_db(&link.row_table) else {
            self.rows.note(format!(
                "link {} of seal {} names no chained table ({:?})",
                link.seq, seal.id, link.row_table
            ));
            return;
        };
        let (t, id, what) = (index(table), link.row_id, row_name(table));
        let out_of_order = match table {
            // Right after its movement's link, in a seal that chains ID records.
            ChainedTable::CashIds => self.previous_movement != Some(id) || seal.cash_ids.is_none(),
            _ => {
                let up_to = [seal.last_movement_id, seal.last_audit_id][t];
                let out = id <= self.last[t] || id <= self.sealed_up_to[t] || id > up_to;
                self.last[t] = self.last[t].max(id);
                out
            }
        };
        if out_of_order {
            self.rows.note(format!(
                "the link to {what} {id} is out of order in seal {}",
                seal.id
            ));
        }
        self.previous_movement = (table == ChainedTable::Movements).then_some(id);
        self.linked[t] += 1;
        self.rows_checked += 1;
        let expected = rows
            .get(&(table, id))
            .map(|bytes| next_link(&self.head, bytes));
        match expected {
            None => self.rows.note(format!(
                "{what} {id} was removed after seal {} sealed it",
                seal.id
            )),
            Some(expected) if to_hex(&expected) != link.link => self.rows.note(format!(
                "{what} {id} was changed after seal {} sealed it (or its link was)",
                seal.id
            )),
            Some(_) => {}
        }
        let stored = from_hex(&link.link);
        // Go on from the stored link, so that each later row is checked on its own.
        self.head = stored.or(expected).unwrap_or(self.head);
    }

    /// Closes every seal before `seal_id`: its head, its counts, its place in the sequence.
    fn finish_until(&mut self, seal_id: i64) {
        while let Some(seal) = self.seals.get(self.next).filter(|s| s.id < seal_id) {
            let previous = self
                .next
                .checked_sub(1)
                .map_or(self.start_id, |i| self.seals[i].id);
            if seal.id != previous + 1 {
                self.seal_problems.note(format!(
                    "seals {} to {} are missing",
                    previous + 1,
                    seal.id - 1
                ));
            }
            if [seal.movements, seal.audit_lines] != self.linked[..2] {
                self.seal_problems.note(format!(
                    "seal {} lists {} movements and {} audit lines but links {} and {}",
                    seal.id, seal.movements, seal.audit_lines, self.linked[0], self.linked[1]
                ));
            }
            if seal.cash_ids.unwrap_or(0) != self.linked[2] {
                self.seal_problems.note(format!(
                    "seal {} lists {} ID records but links {}",
                    seal.id,
                    seal.cash_ids.unwrap_or(0),
                    self.linked[2]
                ));
            }
            let last = [seal.last_movement_id, seal.last_audit_id];
            for t in 0..2 {
                let expected = if self.linked[t] > 0 {
                    self.last[t]
                } else {
                    self.sealed_up_to[t]
                };
                if last[t] != expected {
                    self.seal_problems.note(format!(
                        "seal {} claims {} up to {} but its links end at {expected}",
                        seal.id,
                        row_name(TABLES[t]),
                        last[t]
                    ));
                }
            }
            if seal.head != to_hex(&self.head) {
                self.seal_problems.note(format!(
                    "the head of seal {} ({}) does not match the chain ({})",
                    seal.id,
                    seal.head,
                    to_hex(&self.head)
                ));
            }
            self.sealed_up_to = last;
            self.linked = [0; 3];
            self.previous_movement = None;
            self.seq = 0;
            self.next += 1;
        }
    }
}
