//! The audit's rule checks: each movement, staff user, login session and account status has
//! the audited action the services would have written with it, under the bank's rules. The
//! arithmetic checks (`audit.rs`) cannot see a balanced movement nobody was allowed to make.

use super::{AuditCheck, BankResult};
use crate::db::ledger::{self, ChainedTable};
use crate::db::rules::{self, MovementOffense, Offender, Since};
use crate::db::{invariants, settings, Connection};
use crate::domain::MovementKind;
use rust_decimal::Decimal;

/// The rules over the rows after `since` that pair a row with another (staff users and account
/// statuses: all of them, they are the bank's state, not its history). The rules a movement's
/// own row answers are `journal_findings`.
pub(super) fn rule_checks(conn: &mut Connection, since: Since) -> BankResult<Vec<AuditCheck>> {
    let setup_rows = settings::setup_rows_allowed(conn)?;
    let kinds: Vec<&str> = MovementKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut staff = rules::unapproved_staff(conn, setup_rows)?;
    staff.extend(rules::unapproved_staff_resets(conn, setup_rows, since)?);
    let mut statuses = rules::unaudited_statuses(conn)?;
    statuses.extend(rules::unapproved_unfreezes(conn, setup_rows, since)?);
    let (unaudited, orphans) = paired(conn, &kinds, since)?;
    Ok(vec![
        rule(
            "movements_audited",
            unaudited,
            "every movement has the audit line of the action that made it (same actor, device, time and approver)",
        ),
        rule(
            "money_lines_have_movements",
            orphans,
            "every audit line that says money moved has its movement",
        ),
        rule(
            "exchanges_linked",
            rules::unlinked_exchanges(conn, since)?,
            "every exchange is two linked legs, one in each currency through its position, with the amounts of the quote it used, made by who used it while it held, both legs cash or both accounts",
        ),
        rule(
            "exchanges_at_their_rate",
            super::fx::misquoted(conn, since.movement)?,
            "every exchange's quote used its rate's buy or sell, and the amount received is the amount paid at that rate, rounded down to the currency's minor unit",
        ),
        rule(
            "fx_settings_audited",
            rules::unaudited_fx_settings(conn)?,
            "every exchange rate and every traded currency has the audited line of the admin who set or added it",
        ),
        rule(
            "staff_approved",
            staff,
            "every staff user and staff password reset has its audited, approved line",
        ),
        rule(
            "login_sessions_audited",
            rules::unaudited_sessions(conn, since)?,
            "every login session has its audited opening",
        ),
        rule(
            "account_statuses_audited",
            statuses,
            "every account's status is what its last audited (and, to unfreeze, approved) change made it",
        ),
    ])
}

/// Movements without their line, and money lines without their movement. Once every line has
/// its movement and no movement is named by two lines, every movement has its line exactly when
/// the lines match as many movements as there are: one pass over the lines (and one over an
/// index) answers both directions. The movements' own lookup of their line (the full audit's
/// slowest query: 116 s of 255 at 10M movements) runs only to name the ones without.
fn paired(
    conn: &mut Connection,
    kinds: &[&str],
    since: Since,
) -> BankResult<(Vec<Offender>, Vec<Offender>)> {
    let pairing = rules::money_line_pairing(conn, kinds, since)?;
    let orphans = match pairing.orphans {
        0 => Vec::new(),
        _ => rules::lines_without_movement(conn, kinds, since)?,
    };
    let movements = ledger::count_after(conn, ChainedTable::Movements, since.movement)?;
    let unaudited = if orphans.is_empty()
        && pairing.covered == movements
        && !rules::movement_named_twice(conn, since)?
    {
        Vec::new()
    } else {
        rules::movements_without_line(conn, since)?
    };
    Ok((unaudited, orphans))
}

/// What one read of the journal finds about each movement's own row: the ones that do not
/// balance (an invariant: their ids), and the checks of two rules, staff payments approved and
/// kinds that fit.
pub(super) struct JournalFindings {
    pub unbalanced: Vec<i64>,
    pub rule_checks: Vec<AuditCheck>,
}

/// The movements after `since` checked row by row in one read of the journal, unless so many
/// break a rule that the read may not hold the first of each (then one query each).
pub(super) fn journal_findings(
    conn: &mut Connection,
    limit: Decimal,
    since: Since,
) -> BankResult<JournalFindings> {
    const AT_ONCE: usize = 1_000;
    let setup_rows = settings::setup_rows_allowed(conn)?;
    let offenses = rules::movement_offenses(conn, setup_rows, limit, since, AT_ONCE)?;
    let (unbalanced, misfits, mut approvals) = if offenses.len() >= AT_ONCE {
        (
            invariants::unbalanced_movements(conn, since.movement)?
                .into_iter()
                .map(|m| m.id)
                .collect(),
            rules::misfit_movements(conn, setup_rows, since)?,
            rules::unapproved_payments(conn, limit, since)?,
        )
    } else {
        let first = |breaks: fn(&MovementOffense) -> bool, row: fn(&MovementOffense) -> String| {
            offenses
                .iter()
                .filter(|o| breaks(o))
                .take(rules::FIRST_ROWS)
                .map(|o| Offender { row: row(o) })
                .collect::<Vec<_>>()
        };
        (
            offenses
                .iter()
                .filter(|o| o.unbalanced)
                .take(invariants::UNBALANCED_LISTED)
                .map(|o| o.id)
                .collect(),
            first(|o| o.misfit, |o| format!("movement {} ({})", o.id, o.kind)),
            first(|o| o.unapproved, |o| format!("movement {}", o.id)),
        )
    };
    approvals.extend(rules::unbacked_requests(conn, since)?);
    Ok(JournalFindings {
        unbalanced,
        rule_checks: vec![
            rule(
                "payments_approved",
                approvals,
                "every staff payment above the approval limit and every reversal names a second admin, whose approval request (if sent) was audited",
            ),
            rule(
                "movement_kinds_fit",
                misfits,
                "every movement's kind fits its accounts and its maker (cash in the maker's own drawer session)",
            ),
        ],
    })
}

/// A rule's check: the first offending row named, and how many were found.
fn rule(name: &'static str, offenders: Vec<Offender>, holds: &str) -> AuditCheck {
    let detail = match offenders.as_slice() {
        [] => holds.to_string(),
        [only] => format!("{} breaks it: {holds}", only.row),
        [first, rest @ ..] => format!(
            "{} breaks it, and {} more{}: {holds}",
            first.row,
            rest.len(),
            if rest.len() + 1 >= rules::FIRST_ROWS {
                " at least"
            } else {
                ""
            }
        ),
    };
    AuditCheck {
        name,
        ok: offenders.is_empty(),
        detail,
    }
}
