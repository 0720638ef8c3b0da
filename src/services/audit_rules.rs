//! The audit's rule checks: each movement, staff user, login session and account status has
//! the audited action the services would have written with it, under the bank's rules. The
//! arithmetic checks (`audit.rs`) cannot see a balanced movement nobody was allowed to make.

use super::{AuditCheck, BankResult};
use crate::db::ledger::{self, ChainedTable};
use crate::db::rules::{self, MovementOffense, Offender, Since};
use crate::db::{settings, Connection};
use crate::domain::MovementKind;
use rust_decimal::Decimal;

/// The rules over the rows after `since` (staff users and account statuses: all of them, they
/// are the bank's state, not its history).
pub(super) fn rule_checks(
    conn: &mut Connection,
    limit: Decimal,
    since: Since,
) -> BankResult<Vec<AuditCheck>> {
    let setup_rows = settings::setup_rows_allowed(conn)?;
    let kinds: Vec<&str> = MovementKind::ALL.iter().map(|k| k.as_str()).collect();
    let (misfits, mut approvals) = movement_rules(conn, setup_rows, limit, since)?;
    approvals.extend(rules::unbacked_requests(conn, since)?);
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
            "payments_approved",
            approvals,
            "every staff payment above the approval limit and every reversal names a second admin, whose approval request (if sent) was audited",
        ),
        rule(
            "movement_kinds_fit",
            misfits,
            "every movement's kind fits its accounts and its maker (cash in the maker's own drawer session)",
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

/// Movements that do not fit their kind or maker, and staff payments nobody approved: one read
/// of the journal for both, unless so many break them that the read may not hold the first of
/// each (then one query each).
fn movement_rules(
    conn: &mut Connection,
    setup_rows: bool,
    limit: Decimal,
    since: Since,
) -> BankResult<(Vec<Offender>, Vec<Offender>)> {
    const AT_ONCE: usize = 1_000;
    let offenses = rules::movement_offenses(conn, setup_rows, limit, since, AT_ONCE)?;
    if offenses.len() >= AT_ONCE {
        return Ok((
            rules::misfit_movements(conn, setup_rows, since)?,
            rules::unapproved_payments(conn, limit, since)?,
        ));
    }
    let first = |breaks: fn(&MovementOffense) -> bool, row: fn(&MovementOffense) -> String| {
        offenses
            .iter()
            .filter(|o| breaks(o))
            .take(rules::FIRST_ROWS)
            .map(|o| Offender { row: row(o) })
            .collect::<Vec<_>>()
    };
    Ok((
        first(|o| o.misfit, |o| format!("movement {} ({})", o.id, o.kind)),
        first(|o| o.unapproved, |o| format!("movement {}", o.id)),
    ))
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
