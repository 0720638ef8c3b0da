//! Checking the whole book, and reading the audit log.

use super::authz::require;
use super::chain_audit::chain_checks;
use super::views::utc;
use super::{Actor, AuditCheck, AuditEntryView, AuditReport, Bank, BankResult};
use rust_decimal::Decimal;

use crate::db::{audit_log, drawer_sessions, invariants, movements, Connection};
use crate::domain::format_money;

impl Bank {
    /// Checks every invariant of the ledger in one consistent snapshot (staff only).
    pub fn audit(&mut self, actor: &Actor) -> BankResult<AuditReport> {
        let allowed = require(actor.is_staff(), "audit the ledger");
        self.audited(actor, "audit", "ledger", allowed)?;
        let limit = self.config.approval_limit;
        self.in_transaction(|conn| {
            let unbalanced = invariants::unbalanced_movements(conn)?;
            let mismatches = invariants::balance_mismatches(conn)?;
            let negatives = invariants::negative_customer_balances(conn)?;
            let totals = invariants::balance_totals(conn)?;
            let reused = invariants::reused_keys(conn)?;
            let mut checks = vec![
                check(
                    "movements_balance",
                    unbalanced.iter().map(|m| format!("movement {}", m.id)),
                    "every movement has a positive amount and two distinct accounts of its currency",
                ),
                check(
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
                check(
                    "no_negative_customer_balance",
                    negatives
                        .iter()
                        .map(|n| format!("{}: {}", n.number, format_money(n.balance))),
                    "no customer account is below zero",
                ),
                check(
                    "balances_sum_to_zero",
                    totals
                        .iter()
                        .filter(|t| !t.total.is_zero())
                        .map(|t| format!("{} sums to {}", t.currency, format_money(t.total))),
                    "all balances of each currency sum to zero",
                ),
                check(
                    "idempotency_keys_used_once",
                    reused
                        .iter()
                        .map(|r| format!("{} used {} times", r.idempotency_key, r.uses)),
                    "every idempotency key moved money at most once",
                ),
                check(
                    "drawer_sessions_agree",
                    closed_session_problems(conn)?.into_iter(),
                    "every closed drawer session's counts, expected cash and over/short posting agree",
                ),
                check(
                    "vault_agrees",
                    super::vault_audit::vault_problems(conn)?.into_iter(),
                    "every vault's counts agree with its movements, each float, top-up and drop approved",
                ),
            ];
            checks.extend(super::audit_rules::rule_checks(conn, limit)?);
            checks.extend(chain_checks(conn)?);
            Ok(AuditReport {
                ok: checks.iter().all(|c| c.ok),
                checks,
                accounts: crate::db::accounts::count_all(conn)?,
                movements: movements::count(conn)?,
            })
        })
    }

    /// The newest audit log entries (staff only).
    pub fn audit_log(&mut self, actor: &Actor, limit: u32) -> BankResult<Vec<AuditEntryView>> {
        let allowed = require(actor.is_staff(), "read the audit log");
        self.audited(actor, "audit_log.read", "audit log", allowed)?;
        Ok(audit_log::recent(&mut self.conn, i64::from(limit))?
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

fn check(name: &'static str, problems: impl Iterator<Item = String>, holds: &str) -> AuditCheck {
    let problems: Vec<String> = problems.collect();
    AuditCheck {
        name,
        ok: problems.is_empty(),
        detail: if problems.is_empty() {
            holds.to_string()
        } else {
            problems.join("; ")
        },
    }
}

/// What is wrong with the closed drawer sessions: the expected cash recomputed from the
/// journal, the counted minus expected difference, and its over/short posting must agree.
fn closed_session_problems(conn: &mut Connection) -> BankResult<Vec<String>> {
    let mut problems = Vec::new();
    for session in drawer_sessions::closed(conn)? {
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
