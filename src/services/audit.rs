//! Checking the book (since the last checkpoint, or all of it), and reading the audit log.

use super::authz::require;
use super::bank::now;
use super::chain_audit::ChainPlan;
use super::checkpoint::{Reached, SETTLED};
use super::views::utc;
use super::{Actor, AuditCheck, AuditEntryView, AuditReport, AuditScope, BankError, BankResult};
use rust_decimal::Decimal;

use super::Ledger;
use crate::db::checkpoints::SumMismatch;
use crate::db::invariants::BalanceMismatch;
use crate::db::ledger::{self, ChainedTable};
use crate::db::rules::Since;
use crate::db::{audit_log, checkpoints, drawer_sessions, invariants, movements, Connection};
use crate::domain::format_money;
use crate::domain::AuditAction;

/// How far a long audit has come: its phase, and for the chain the rows checked of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditProgress {
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
}

impl Ledger<'_> {
    /// The daily audit: every invariant and rule over the rows since the newest checkpoint
    /// (staff only). A passing audit that got past the checkpoint's seal writes the next one.
    pub fn audit(&mut self, actor: &Actor) -> BankResult<AuditReport> {
        self.audit_scoped(actor, AuditScope::SinceCheckpoint, &mut |_| {})
    }

    /// The full audit: every row from the first, and the newest checkpoint against the journal
    /// (staff only). `progress` hears each phase and, through the chain, the rows checked.
    pub fn audit_full(
        &mut self,
        actor: &Actor,
        progress: &mut dyn FnMut(AuditProgress),
    ) -> BankResult<AuditReport> {
        self.audit_scoped(actor, AuditScope::Full, progress)
    }

    fn audit_scoped(
        &mut self,
        actor: &Actor,
        scope: AuditScope,
        progress: &mut dyn FnMut(AuditProgress),
    ) -> BankResult<AuditReport> {
        let allowed = require(actor.is_staff(), "audit the ledger");
        let subject = match scope {
            AuditScope::SinceCheckpoint => "ledger",
            AuditScope::Full => "ledger (full)",
        };
        self.bank
            .audited(actor, AuditAction::Audit, subject, allowed)?;
        let limit = self.bank.config.approval_limit;
        // The full audit checks the chain and the rules on connections of their own while the
        // invariants run on the snapshot's (the server's scans and the client's hashing share
        // the cores). Not on a cluster, whose other connections may be to a node still behind.
        let mut helpers = match scope {
            AuditScope::Full if self.bank.on_plain_server()? => Some(Helpers {
                chain: self.bank.another_connection()?,
                rules: self.bank.another_connection()?,
            }),
            _ => None,
        };
        let (mut report, reached) = self.bank.in_transaction(|conn| {
            audit_snapshot(conn, helpers.as_mut(), scope, limit, &mut *progress)
        })?;
        if let Some(reached) = reached.filter(|_| report.ok) {
            report.checkpoint = self.bank.write_checkpoint(actor, scope, reached)?;
        }
        Ok(report)
    }

    /// The newest audit log entries (staff only).
    pub fn audit_log(&mut self, actor: &Actor, limit: u32) -> BankResult<Vec<AuditEntryView>> {
        let allowed = require(actor.is_staff(), "read the audit log");
        self.bank
            .audited(actor, AuditAction::AuditLogRead, "audit log", allowed)?;
        Ok(audit_log::recent(&mut self.bank.conn, i64::from(limit))?
            .into_iter()
            .map(|row| AuditEntryView {
                id: row.id,
                at: utc(row.at),
                actor: row.actor,
                action: row.action,
                subject: row.subject,
                outcome: row.outcome,
                detail: row.detail,
                approved_by: row.approved_by,
                device: row.device,
            })
            .collect())
    }
}

/// The full audit's other connections: one walks the chain, one checks the rules that pair
/// rows. Those are about rows that are only ever appended (and each is read with its partner in
/// one snapshot of its own), so they need not share the invariants' snapshot.
struct Helpers {
    chain: Connection,
    rules: Connection,
}

/// The audit itself, in one consistent snapshot: the report, and what a pass reached.
fn audit_snapshot(
    conn: &mut Connection,
    helpers: Option<&mut Helpers>,
    scope: AuditScope,
    limit: Decimal,
    progress: &mut dyn FnMut(AuditProgress),
) -> BankResult<(AuditReport, Option<Reached>)> {
    let latest = checkpoints::latest(conn)?;
    // The daily audit starts after the newest checkpoint; the full one at the first row.
    let base = match scope {
        AuditScope::SinceCheckpoint => latest.clone(),
        AuditScope::Full => None,
    };
    let start = match &base {
        Some(cp) => Some(ledger::seal(conn, cp.seal_id)?.ok_or_else(|| {
            BankError::Database(format!(
                "the seal of checkpoint {} is missing; run teller audit --full",
                cp.id
            ))
        })?),
        None => None,
    };
    let since = base.as_ref().map_or(Since::default(), |cp| Since {
        movement: cp.last_movement_id,
        audit_line: cp.last_audit_id,
        login_session: cp.next_login_session_id - 1,
    });
    let (sessions_from, vault_from) = base.as_ref().map_or((0, 0), |cp| {
        (cp.next_drawer_session_id, cp.next_vault_day_id)
    });
    let window = Window {
        since,
        carried: base.is_some(),
        sessions_from,
        vault_from,
    };
    // The full audit also checks the newest checkpoint against the journal.
    let checkpoint = latest.as_ref().filter(|_| scope == AuditScope::Full);
    let plan = ChainPlan::read(conn, start.as_ref())?;
    let chain = |done, total| AuditProgress {
        phase: "chain",
        done,
        total,
    };
    let (snapshot, found) = match helpers {
        None => {
            let mut phase = |phase: &'static str| {
                progress(AuditProgress {
                    phase,
                    done: 0,
                    total: 0,
                });
            };
            let mut snapshot = invariant_checks(conn, checkpoint, &window, limit, &mut phase)?;
            phase("rules");
            let rules = super::audit_rules::rule_checks(conn, window.since)?;
            snapshot.checks.extend(rules);
            (
                snapshot,
                plan.verify(conn, &mut |d, t| progress(chain(d, t)))?,
            )
        }
        Some(Helpers {
            chain: other,
            rules,
        }) => std::thread::scope(|threads| {
            let snapshot = &mut *conn;
            let since = window.since;
            let window = &window;
            let invariants = threads
                .spawn(move || invariant_checks(snapshot, checkpoint, window, limit, &mut |_| {}));
            let rules = threads.spawn(move || {
                crate::db::transaction(rules, |c| super::audit_rules::rule_checks(c, since))
            });
            let found = plan.verify(other, &mut |d, t| progress(chain(d, t)));
            // The chain is done; the SQL checks may still run.
            progress(AuditProgress {
                phase: "rules",
                done: 0,
                total: 0,
            });
            let stopped = |_| BankError::Database("the audit's checks stopped unexpectedly".into());
            let mut snapshot = invariants.join().map_err(stopped)??;
            snapshot.checks.extend(rules.join().map_err(stopped)??);
            Ok::<_, BankError>((snapshot, found?))
        })?,
    };
    let mut checks = snapshot.checks;
    checks.extend(plan.checks(conn, found)?);
    // Counts: what the checkpoint carried plus the rows after it.
    let base_movements = base.as_ref().map_or(0, |cp| cp.movements);
    let (new_movements, new_lines) = (snapshot.new_movements, snapshot.new_lines);
    let ok = checks.iter().all(|c| c.ok);
    // Where the next audit may start: the newest seal, if this audit passed and got past the
    // newest checkpoint's (the full audit carries on from that checkpoint, just verified).
    let reached = match ledger::latest_seal(conn)? {
        Some(seal) if ok && latest.as_ref().is_none_or(|cp| seal.id > cp.seal_id) => {
            let (from_m, from_a, movements, lines) = latest.as_ref().map_or((0, 0, 0, 0), |cp| {
                (
                    cp.last_movement_id,
                    cp.last_audit_id,
                    cp.movements,
                    cp.audit_lines,
                )
            });
            let (to_m, to_a) = (seal.last_movement_id, seal.last_audit_id);
            Some(Reached {
                base: latest.clone(),
                movements: movements
                    + ledger::count_between(conn, ChainedTable::Movements, from_m, to_m)?,
                audit_lines: lines
                    + ledger::count_between(conn, ChainedTable::AuditLog, from_a, to_a)?,
                open: checkpoints::open_from(conn, now() - SETTLED)?,
                seal,
            })
        }
        _ => None,
    };
    let report = AuditReport {
        ok,
        checks,
        accounts: crate::db::accounts::count_all(conn)?,
        movements: base_movements + new_movements,
        scope,
        after_movement_id: since.movement,
        after_audit_id: since.audit_line,
        rows_checked: new_movements + new_lines,
        checkpoint: None,
    };
    Ok((report, reached))
}

/// The part of an audit a check is about: the rows after `since` (the checkpoint's sums
/// carried when `carried`), the drawer sessions and vault days from these ids.
struct Window {
    since: Since,
    carried: bool,
    sessions_from: i64,
    vault_from: i64,
}

/// What the audit's snapshot found: its checks, and the rows after the window's start.
struct SnapshotChecks {
    checks: Vec<AuditCheck>,
    new_movements: i64,
    new_lines: i64,
}

/// Every invariant the SQL checks, on the audit's snapshot, with the rules each movement's row
/// answers alone (read with the invariants': one read of the journal), `checkpoint` (if given)
/// against the journal, and the rows counted; `phase` hears each step.
fn invariant_checks(
    conn: &mut Connection,
    checkpoint: Option<&checkpoints::CheckpointRow>,
    window: &Window,
    limit: Decimal,
    phase: &mut dyn FnMut(&'static str),
) -> BankResult<SnapshotChecks> {
    phase("invariants");
    let journal = super::audit_rules::journal_findings(conn, limit, window.since)?;
    let (mismatches, checkpoint_sums) = journal_sums(conn, window, checkpoint)?;
    let heads = invariants::broken_chain_heads(conn)?;
    let negatives = invariants::negative_customer_balances(conn)?;
    let totals = invariants::balance_totals(conn)?;
    let reused = invariants::reused_keys(conn, window.since.movement)?;
    let mut checks = vec![
        AuditCheck::from_problems(
            "movements_balance",
            journal.unbalanced.iter().map(|id| format!("movement {id}")),
            "every movement has a positive amount and two distinct accounts of its currency",
        ),
        AuditCheck::from_problems(
            "cached_balances_match_journal",
            mismatches.iter().map(|m| {
                format!(
                    "{}: cached {} but journal {}",
                    m.number,
                    format_money(m.cached),
                    format_money(m.journal)
                )
            }),
            "every cached balance equals the sum of its journal entries",
        ),
        AuditCheck::from_problems(
            "balance_chains_unbroken",
            heads.iter().map(|m| {
                format!(
                    "{}: cached {} but {} after its last movement",
                    m.number,
                    format_money(m.cached),
                    format_money(m.journal)
                )
            }),
            "every cached balance is the balance after its account's last movement",
        ),
        AuditCheck::from_problems(
            "no_negative_customer_balance",
            negatives
                .iter()
                .map(|n| format!("{}: {}", n.number, format_money(n.balance))),
            "no customer account is below zero",
        ),
        AuditCheck::from_problems(
            "balances_sum_to_zero",
            totals
                .iter()
                .filter(|t| !t.total.is_zero())
                .map(|t| format!("{} sums to {}", t.currency, format_money(t.total))),
            "all balances of each currency sum to zero",
        ),
        AuditCheck::from_problems(
            "idempotency_keys_used_once",
            reused
                .iter()
                .map(|r| format!("{} used {} times", r.idempotency_key, r.uses)),
            "every idempotency key moved money at most once",
        ),
        AuditCheck::from_problems(
            "drawer_sessions_agree",
            closed_session_problems(conn, window.sessions_from)?.into_iter(),
            "every closed drawer session's counts, expected cash and over/short posting agree",
        ),
        AuditCheck::from_problems(
            "vault_agrees",
            super::vault_audit::vault_problems(conn, window.vault_from)?.into_iter(),
            "every vault's counts agree with its movements, each float, top-up and drop approved",
        ),
    ];
    let new_movements = ledger::count_after(conn, ChainedTable::Movements, window.since.movement)?;
    if let (Some(cp), Some(sums)) = (checkpoint, checkpoint_sums) {
        // The window starts at the first movement (`journal_sums` gives sums only then): the
        // movements up to the checkpoint are all of them but the few after it, rather than a
        // second count of the whole journal.
        let after = ledger::count_after(conn, ChainedTable::Movements, cp.last_movement_id)?;
        checks.push(super::checkpoint::checkpoint_check(
            cp,
            sums,
            new_movements - after,
        ));
    }
    checks.extend(journal.rule_checks);
    Ok(SnapshotChecks {
        checks,
        new_movements,
        new_lines: ledger::count_after(conn, ChainedTable::AuditLog, window.since.audit_line)?,
    })
}

/// The cached balances against the journal and, when `checkpoint` is given (the full audit),
/// its carried sums against the journal up to it: both from one read of the journal when few
/// enough accounts disagree to list them all.
fn journal_sums(
    conn: &mut Connection,
    window: &Window,
    checkpoint: Option<&checkpoints::CheckpointRow>,
) -> BankResult<(Vec<BalanceMismatch>, Option<Vec<SumMismatch>>)> {
    let Some(cp) = checkpoint.filter(|_| !window.carried && window.since.movement == 0) else {
        let balances = invariants::balance_mismatches(conn, window.since.movement, window.carried)?;
        return Ok((balances, None));
    };
    Ok(
        match invariants::balance_and_checkpoint_mismatches(conn, cp.last_movement_id)? {
            Some((balances, sums)) => (balances, Some(sums)),
            None => (
                invariants::balance_mismatches(conn, 0, false)?,
                Some(checkpoints::sum_mismatches(conn, cp.last_movement_id)?),
            ),
        },
    )
}

/// What is wrong with the closed drawer sessions: the expected cash recomputed from the
/// journal, the counted minus expected difference, and its over/short posting must agree.
fn closed_session_problems(conn: &mut Connection, from_id: i64) -> BankResult<Vec<String>> {
    let mut problems = Vec::new();
    for session in drawer_sessions::closed_from(conn, from_id)? {
        let id = session.id;
        let expected = movements::session_cash_flows(conn, id, session.drawer_account_id)?
            .expected(session.opening_float);
        let (Some(recorded), Some(counted), Some(over_short)) =
            (session.expected, session.counted, session.over_short)
        else {
            problems.push(format!("session {id} is closed without its count"));
            continue;
        };
        // The counts by denomination are what their totals say.
        let opening = super::vault::stored_count(&session.opening_count)?.total();
        let closing = match &session.closing_count {
            Some(count) => Some(super::vault::stored_count(count)?.total()),
            None => None,
        };
        if opening != session.opening_float || closing != Some(counted) {
            problems.push(format!(
                "session {id}: a count by denomination differs from its total"
            ));
        }
        if recorded != expected {
            problems.push(format!(
                "session {id}: expected {} recorded, journal says {}",
                format_money(recorded),
                format_money(expected)
            ));
        }
        if counted - recorded != over_short {
            problems.push(format!(
                "session {id}: counted minus expected is not its over/short"
            ));
        }
        let posting = match session.over_short_movement_id {
            Some(movement) => movements::find(conn, movement)?,
            None => None,
        };
        let agrees = match posting {
            None => over_short.is_zero() && session.over_short_movement_id.is_none(),
            Some(m) => {
                let drawer_side = if over_short < Decimal::ZERO {
                    m.credit_account_id
                } else {
                    m.debit_account_id
                };
                m.kind == crate::domain::MovementKind::OverShort
                    && m.amount == over_short.abs()
                    && drawer_side == session.drawer_account_id
                    && m.drawer_session_id == Some(id)
            }
        };
        if !agrees {
            problems.push(format!(
                "session {id}: over/short {} does not match its posting",
                format_money(over_short)
            ));
        }
    }
    Ok(problems)
}
