//! The bank's rules, checked row by row over the rows after a `Since` (all of them for the
//! full audit): each query returns the first rows (by id, at most `FIRST`) that break one rule. A row written with the app account's rights
//! outside the services (a movement with no audit line, an admin nobody approved, a login
//! session nobody opened) shows here even when the arithmetic balances.

use crate::domain::AuditOutcome;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Decimal as SqlDecimal, Text};
use rust_decimal::Decimal;

use super::invariants::UNBALANCED;
use super::{Connection, QueryResult};

/// How many offending rows a check lists at most.
const FIRST: i64 = 20;
/// The same, as a count of rows.
pub const FIRST_ROWS: usize = 20;

/// The rows a check starts after: movements, audit lines and login sessions with higher ids
/// are checked (each against whatever older row it names).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Since {
    pub movement: i64,
    pub audit_line: i64,
    pub login_session: i64,
}

/// One offending row: its id (or name) as the audit prints it.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct Offender {
    #[diesel(sql_type = Text)]
    pub row: String,
}

/// A value a rule's query binds to its next `?`.
enum Param {
    Id(i64),
    Money(Decimal),
    Flag(bool),
}

/// The first offenders (`FIRST`, by `order_by`) that `sql` finds, with `params` bound in order.
fn first_offenders(
    conn: &mut Connection,
    sql: &str,
    order_by: &str,
    params: &[Param],
) -> QueryResult<Vec<Offender>> {
    let mut query =
        diesel::sql_query(format!("{sql} ORDER BY {order_by} LIMIT {FIRST}")).into_boxed();
    for param in params {
        query = match *param {
            Param::Id(id) => query.bind::<BigInt, _>(id),
            Param::Money(amount) => query.bind::<SqlDecimal, _>(amount),
            Param::Flag(flag) => query.bind::<Bool, _>(flag),
        };
    }
    query.load(conn)
}

/// The audit lines that say money moved: action = a movement kind, outcome ok, and the
/// movement they name (`movement_ref`, computed from "reference N" at the end of the detail,
/// as `Posting::post` and the batch engine write it; NULL when the line names none).
fn money_lines(kinds: &[&str]) -> String {
    let list: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
    format!(
        "SELECT a.id, a.movement_ref, a.action, a.actor, a.device, a.at, a.approved_by \
         FROM audit_log a WHERE a.id > ? AND a.outcome = '{}' AND a.action IN ({})",
        AuditOutcome::Ok.as_str(),
        list.join(", ")
    )
}

/// How an audit line `l` pairs with movement `m`: it names the movement and says what made it
/// (kind, actor, device, time and approver). Both directions of the pairing use it.
const LINE_MATCHES_MOVEMENT: &str = "m.id = l.movement_ref AND l.action = m.kind \
    AND l.actor = m.actor AND l.device = m.device AND l.at = m.created_at \
    AND l.approved_by <=> m.approved_by";

/// Movements without the audit line of the action that made it: same kind, actor, device,
/// time and approver, naming the movement. By the line's `movement_ref`, forced: a batch's
/// thousand lines share one time, and the optimizer, left alone, reads them all by `at` for
/// every movement (121 s instead of 1 for a 100,000-line payroll file).
pub fn movements_without_line(conn: &mut Connection, since: Since) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        &format!(
            "SELECT CONCAT('movement ', m.id) AS `row` FROM movements m \
         WHERE m.id > ? AND NOT EXISTS (SELECT 1 FROM audit_log l \
            FORCE INDEX (audit_log_movement_ref) WHERE {LINE_MATCHES_MOVEMENT})"
        ),
        "m.id",
        &[Param::Id(since.movement)],
    )
}

/// Audit lines that say money moved, with no such movement behind them (or naming none).
pub fn lines_without_movement(
    conn: &mut Connection,
    kinds: &[&str],
    since: Since,
) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        &format!(
            "SELECT CONCAT('audit line ', l.id) AS `row` FROM ({}) l \
         LEFT JOIN movements m ON {LINE_MATCHES_MOVEMENT} WHERE m.id IS NULL",
            money_lines(kinds)
        ),
        "l.id",
        &[Param::Id(since.audit_line)],
    )
}

/// How the money lines after `since.audit_line` pair with movements, in one pass over them.
#[derive(QueryableByName, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    /// Lines that name no movement of theirs (`lines_without_movement` lists them).
    #[diesel(sql_type = BigInt)]
    pub orphans: i64,
    /// Lines that match a movement after `since.movement`: as many movements have their line
    /// when no movement is named by two lines (`movement_named_twice`).
    #[diesel(sql_type = BigInt)]
    pub covered: i64,
}

/// The money lines' pairing with their movements (see `Pairing`).
pub fn money_line_pairing(
    conn: &mut Connection,
    kinds: &[&str],
    since: Since,
) -> QueryResult<Pairing> {
    diesel::sql_query(format!(
        "SELECT CAST(COUNT(*) - COUNT(m.id) AS SIGNED) AS orphans, \
                COUNT(IF(m.id > ?, 1, NULL)) AS covered \
         FROM ({}) l LEFT JOIN movements m ON {LINE_MATCHES_MOVEMENT}",
        money_lines(kinds)
    ))
    .bind::<BigInt, _>(since.movement)
    .bind::<BigInt, _>(since.audit_line)
    .get_result(conn)
}

/// Whether two audit lines name one movement after `since.movement` (the services write one
/// per movement; a replay's line is not `ok` and names none). Read from the index alone: a
/// second line forged for one movement must not stand in for another's missing line.
pub fn movement_named_twice(conn: &mut Connection, since: Since) -> QueryResult<bool> {
    let twice = first_offenders(
        conn,
        "SELECT CONCAT('movement ', movement_ref) AS `row` \
         FROM audit_log FORCE INDEX (audit_log_movement_ref) \
         WHERE movement_ref > ? GROUP BY movement_ref HAVING COUNT(*) > 1",
        "movement_ref",
        &[Param::Id(since.movement)],
    )?;
    Ok(!twice.is_empty())
}

/// Staff payments above `limit` (withdrawals, transfers) and every staff reversal without an
/// approver who is an admin other than the actor.
pub fn unapproved_payments(
    conn: &mut Connection,
    limit: Decimal,
    since: Since,
) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        &format!(
            "SELECT CONCAT('movement ', m.id) AS `row` FROM movements m \
         JOIN users u ON u.email = m.actor {APPROVER_JOIN} \
         WHERE m.id > ? AND {PAYMENT_UNAPPROVED}"
        ),
        "m.id",
        &[Param::Id(since.movement), Param::Money(limit)],
    )
}

/// The approver of movement `m` made by user `u`, when they are an admin other than `u`.
const APPROVER_JOIN: &str =
    "LEFT JOIN users ap ON ap.email = m.approved_by AND ap.role = 'admin' AND ap.id <> u.id";

/// A staff payment above the limit (the one `?`), or a staff reversal, with no such approver.
const PAYMENT_UNAPPROVED: &str = "u.role IN ('teller', 'admin') \
    AND ((m.kind IN ('withdrawal', 'transfer') AND m.amount > ?) OR m.kind = 'reversal') \
    AND ap.id IS NULL";

/// Movements that used a sent approval request whose decision does not back them: the
/// request was not approved, by someone else than the movement names, or without the
/// supervisor's audited `approval.approve` line.
pub fn unbacked_requests(conn: &mut Connection, since: Since) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        "SELECT CONCAT('movement ', m.id, ' (request ', r.id, ')') AS `row` \
         FROM approval_requests r JOIN movements m ON m.id = r.movement_id \
         WHERE m.id > ? AND (r.status <> 'approved' OR NOT (r.decided_by <=> m.approved_by) \
            OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'approval.approve' \
                AND a.subject = CONCAT('request ', r.id) AND a.outcome = 'ok' \
                AND a.actor = r.decided_by))",
        "m.id",
        &[Param::Id(since.movement)],
    )
}

/// Movements whose kind does not fit their accounts or their maker: cash kinds touch the
/// maker's drawer in one of their own drawer sessions, transfers go between customer accounts
/// (a customer's only out of their own), floats and drops between the vault and a drawer,
/// over/short between a cash account and the over/short account, and a reversal mirrors its
/// original. Set-up tasks (`setup:…`) may only have made movements in a bank that allows
/// set-up rows (a demo, test or benchmark bank), and need no drawer session there.
pub fn misfit_movements(
    conn: &mut Connection,
    setup_rows: bool,
    since: Since,
) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        // STRAIGHT_JOIN: the journal in id order (see `invariants::unbalanced_movements`).
        &format!(
            "SELECT STRAIGHT_JOIN CONCAT('movement ', m.id, ' (', m.kind, ')') AS `row` \
             FROM {MOVEMENT_JOINS} WHERE m.id > ? AND NOT {MOVEMENT_FITS}"
        ),
        "m.id",
        &[Param::Id(since.movement), Param::Flag(setup_rows)],
    )
}

/// A movement `m` with its accounts `d` and `c`, its maker `u`, drawer session `s` and the
/// movement it reverses `o`.
const MOVEMENT_JOINS: &str = "movements m \
    JOIN accounts d ON d.id = m.debit_account_id \
    JOIN accounts c ON c.id = m.credit_account_id \
    LEFT JOIN users u ON u.email = m.actor \
    LEFT JOIN drawer_sessions s ON s.id = m.drawer_session_id \
    LEFT JOIN movements o ON o.id = m.reverses_id";

/// Whether movement `m` (with `MOVEMENT_JOINS`) fits its kind and maker; the one `?`: whether
/// set-up rows are allowed.
const MOVEMENT_FITS: &str = "COALESCE(( \
    CASE m.kind \
      WHEN 'deposit' THEN d.kind = 'drawer' AND c.kind = 'customer' \
      WHEN 'withdrawal' THEN d.kind = 'customer' AND c.kind = 'drawer' \
      WHEN 'transfer' THEN d.kind = 'customer' AND c.kind = 'customer' \
      WHEN 'float' THEN d.kind = 'drawer' AND c.kind = 'vault' \
      WHEN 'top_up' THEN d.kind = 'drawer' AND c.kind = 'vault' \
      WHEN 'cash_drop' THEN d.kind = 'vault' AND c.kind = 'drawer' \
      WHEN 'cash_return' THEN d.kind = 'vault' AND c.kind = 'drawer' \
      WHEN 'over_short' THEN (d.kind = 'over_short' AND c.kind IN ('drawer', 'vault')) \
          OR (c.kind = 'over_short' AND d.kind IN ('drawer', 'vault')) \
      WHEN 'exchange' THEN (d.kind IN ('customer', 'drawer') AND c.kind = 'position') \
          OR (d.kind = 'position' AND c.kind IN ('customer', 'drawer')) \
      WHEN 'reversal' THEN o.kind <> 'reversal' AND m.amount = o.amount \
          AND m.debit_account_id = o.credit_account_id \
          AND m.credit_account_id = o.debit_account_id \
      ELSE FALSE END) \
    AND (m.reverses_id IS NULL OR m.kind = 'reversal') \
    AND (CASE \
      WHEN m.actor LIKE 'setup:%' THEN ? \
      WHEN u.id IS NULL THEN FALSE \
      WHEN u.role = 'customer' THEN (m.kind = 'transfer' AND d.owner_id = u.id) \
          OR (m.kind = 'exchange' AND (d.owner_id = u.id \
              OR (d.kind = 'position' AND c.kind = 'customer'))) \
      WHEN u.role NOT IN ('teller', 'admin') THEN FALSE \
      WHEN d.kind = 'drawer' OR c.kind = 'drawer' THEN s.teller_id = u.id \
          AND s.drawer_account_id IN (d.id, c.id) AND m.created_at >= s.opened_at \
          AND (s.closed_at IS NULL OR m.created_at <= s.closed_at \
               OR m.kind IN ('cash_return', 'over_short')) \
      ELSE m.drawer_session_id IS NULL END), FALSE)";

/// A movement that breaks a rule of its own row: it does not balance
/// (`invariants::unbalanced_movements`), does not fit its kind or maker (`misfit_movements`),
/// or is a payment nobody approved (`unapproved_payments`).
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct MovementOffense {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Bool)]
    pub unbalanced: bool,
    #[diesel(sql_type = Bool)]
    pub misfit: bool,
    #[diesel(sql_type = Bool)]
    pub unapproved: bool,
}

/// Every rule of a movement's own row in one read of the journal: the first `at_most`
/// movements after `since` that break one, in id order.
pub fn movement_offenses(
    conn: &mut Connection,
    setup_rows: bool,
    limit: Decimal,
    since: Since,
    at_most: usize,
) -> QueryResult<Vec<MovementOffense>> {
    diesel::sql_query(format!(
        "SELECT STRAIGHT_JOIN m.id, m.kind, {UNBALANCED} AS unbalanced, \
            NOT {MOVEMENT_FITS} AS misfit, COALESCE({PAYMENT_UNAPPROVED}, FALSE) AS unapproved \
         FROM {MOVEMENT_JOINS} {APPROVER_JOIN} \
         WHERE m.id > ? HAVING unbalanced OR misfit OR unapproved ORDER BY m.id LIMIT {at_most}"
    ))
    .bind::<Bool, _>(setup_rows)
    .bind::<SqlDecimal, _>(limit)
    .bind::<BigInt, _>(since.movement)
    .load(conn)
}

/// Exchange legs that are not one of the two legs of the quote their key names, in its
/// currencies and amounts through the positions, or whose other leg is missing; and used quotes
/// without their first leg. The first leg's key is the quote's `used_key`, the second's that
/// key with "/2" (which no caller's key can hold).
pub fn unlinked_exchanges(conn: &mut Connection, since: Since) -> QueryResult<Vec<Offender>> {
    let mut legs = first_offenders(
        conn,
        "SELECT CONCAT('movement ', m.id) AS `row` FROM movements m \
         JOIN accounts d ON d.id = m.debit_account_id \
         JOIN accounts c ON c.id = m.credit_account_id \
         LEFT JOIN fx_quotes q ON q.used_key = IF(m.idempotency_key LIKE '%/2', \
            LEFT(m.idempotency_key, CHAR_LENGTH(m.idempotency_key) - 2), m.idempotency_key) \
         LEFT JOIN movements p ON p.kind = 'exchange' AND p.idempotency_key = \
            IF(m.idempotency_key LIKE '%/2', q.used_key, CONCAT(m.idempotency_key, '/2')) \
         LEFT JOIN accounts pd ON pd.id = p.debit_account_id \
         LEFT JOIN accounts pc ON pc.id = p.credit_account_id \
         WHERE m.id > ? AND m.kind = 'exchange' AND NOT COALESCE(p.id IS NOT NULL \
            AND m.actor = q.used_by AND p.actor = m.actor \
            AND m.created_at BETWEEN q.created_at AND q.used_at \
            AND IF(m.idempotency_key LIKE '%/2', \
               m.currency = q.to_currency AND m.amount = q.to_amount AND d.kind = 'position' \
                  AND c.kind = pd.kind, \
               m.currency = q.from_currency AND m.amount = q.from_amount \
                  AND c.kind = 'position' AND d.kind = pc.kind), FALSE)",
        "m.id",
        &[Param::Id(since.movement)],
    )?;
    legs.extend(first_offenders(
        conn,
        "SELECT CONCAT('quote ', q.id) AS `row` FROM fx_quotes q \
         LEFT JOIN movements m ON m.idempotency_key = q.used_key AND m.kind = 'exchange' \
         WHERE q.used_key IS NOT NULL AND m.id IS NULL",
        "q.id",
        &[],
    )?);
    Ok(legs)
}

/// Rates and traded currencies without the audited line of the admin who set or added them
/// (the currencies a new bank starts with come from the migration).
pub fn unaudited_fx_settings(conn: &mut Connection) -> QueryResult<Vec<Offender>> {
    let mut rows = first_offenders(
        conn,
        "SELECT CONCAT('rate ', r.id) AS `row` FROM fx_rates r \
         WHERE NOT EXISTS (SELECT 1 FROM audit_log a JOIN users u ON u.email = a.actor \
            WHERE a.action = 'fx.rate_set' AND a.outcome = 'ok' AND a.actor = r.set_by \
              AND a.subject = CONCAT(r.base, '/', r.quote) \
              AND a.detail LIKE CONCAT('rate ', r.id, ':%') AND u.role = 'admin')",
        "r.id",
        &[],
    )?;
    rows.extend(first_offenders(
        conn,
        "SELECT CONCAT('currency ', c.code) AS `row` FROM currencies c \
         WHERE c.added_by <> 'migration' AND NOT EXISTS (SELECT 1 FROM audit_log a \
            JOIN users u ON u.email = a.actor \
            WHERE a.action = 'currency.add' AND a.outcome = 'ok' AND a.actor = c.added_by \
              AND a.subject = c.code AND u.role = 'admin')",
        "c.code",
        &[],
    )?);
    Ok(rows)
}

/// Staff users without an audited `user.create` line for their role that a second admin
/// approved. Alone, an admin acts without approval while they are the only admin (the line of
/// no other admin comes before theirs); the first admin is the owner's `bootstrap-admin`; in a
/// bank that allows set-up rows, set-up tasks create staff too.
pub fn unapproved_staff(conn: &mut Connection, setup_rows: bool) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        &format!(
            "SELECT u.email AS `row` FROM users u \
         WHERE u.role IN ('teller', 'admin') AND NOT EXISTS ( \
            SELECT 1 FROM audit_log a \
            WHERE a.action = 'user.create' AND a.subject = u.email AND a.outcome = 'ok' \
              AND a.detail = CONCAT('role ', u.role) AND ({}))",
            APPROVED_BY_RULE
        ),
        "u.id",
        &[Param::Flag(setup_rows)],
    )
}

/// Password resets of staff by someone else, without the approval of a second admin.
pub fn unapproved_staff_resets(
    conn: &mut Connection,
    setup_rows: bool,
    since: Since,
) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        &format!(
            "SELECT CONCAT('audit line ', a.id) AS `row` FROM audit_log a \
         JOIN users t ON t.email = a.subject AND t.role IN ('teller', 'admin') \
         WHERE a.id > ? AND a.action = 'user.password_reset' AND a.outcome = 'ok' \
           AND a.actor <> a.subject AND NOT ({})",
            APPROVED_BY_RULE
        ),
        "a.id",
        &[Param::Id(since.audit_line), Param::Flag(setup_rows)],
    )
}

/// When audit line `a` (creating or resetting staff) was approved well enough: by an admin
/// other than its actor; by the owner's first `bootstrap-admin`; by a set-up task where set-up
/// rows are allowed (the one `?`); or by an admin who was the only admin at the time.
const APPROVED_BY_RULE: &str = "\
    EXISTS (SELECT 1 FROM users ap WHERE ap.email = a.approved_by AND ap.role = 'admin' \
            AND a.approved_by <> a.actor) \
    OR (a.actor LIKE 'setup:%' AND ?) \
    OR (a.actor = 'setup:bootstrap-admin' AND a.action = 'user.create' \
        AND a.detail = 'role admin' AND NOT EXISTS (SELECT 1 FROM audit_log b \
            WHERE b.action = 'user.create' AND b.outcome = 'ok' AND b.detail = 'role admin' \
              AND b.id < a.id)) \
    OR (a.approved_by IS NULL \
        AND EXISTS (SELECT 1 FROM users me WHERE me.email = a.actor AND me.role = 'admin') \
        AND NOT EXISTS (SELECT 1 FROM audit_log b \
            WHERE b.action = 'user.create' AND b.outcome = 'ok' AND b.detail = 'role admin' \
              AND b.id < a.id AND b.subject <> a.actor))";

/// Login sessions without the audited `session.open` of their person at the time they began
/// (the same time since both are written in one transaction; within a second for sessions
/// opened before that, when the line followed the row).
pub fn unaudited_sessions(conn: &mut Connection, since: Since) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        "SELECT CONCAT('login session ', s.id) AS `row` FROM login_sessions s \
         LEFT JOIN users u ON u.id = s.user_id \
         WHERE s.id > ? AND (u.id IS NULL OR NOT EXISTS (SELECT 1 FROM audit_log a \
            WHERE a.action = 'session.open' AND a.subject = u.email AND a.outcome = 'ok' \
              AND a.at BETWEEN s.created_at AND s.created_at + INTERVAL 1 SECOND))",
        "s.id",
        &[Param::Id(since.login_session)],
    )
}

/// Customer accounts whose status is not what their last audited status change made it
/// (open: never changed, or unfrozen last).
pub fn unaudited_statuses(conn: &mut Connection) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        "SELECT CONCAT(acc.number, ' (', acc.status, ')') AS `row` FROM accounts acc \
         LEFT JOIN (SELECT subject, MAX(id) AS last FROM audit_log \
                    WHERE action IN ('account.freeze', 'account.unfreeze', 'account.close') \
                      AND outcome = 'ok' GROUP BY subject) l ON l.subject = acc.number \
         LEFT JOIN audit_log a ON a.id = l.last \
         WHERE acc.kind = 'customer' AND NOT COALESCE(CASE acc.status \
            WHEN 'open' THEN a.id IS NULL OR a.action = 'account.unfreeze' \
            WHEN 'frozen' THEN a.action = 'account.freeze' \
            WHEN 'closed' THEN a.action = 'account.close' \
            ELSE FALSE END, FALSE)",
        "acc.id",
        &[],
    )
}

/// Unfreezing needs a second pair of eyes: unfreeze lines without an admin other than the
/// actor approving them (set-up tasks excepted where set-up rows are allowed).
pub fn unapproved_unfreezes(
    conn: &mut Connection,
    setup_rows: bool,
    since: Since,
) -> QueryResult<Vec<Offender>> {
    first_offenders(
        conn,
        "SELECT CONCAT('audit line ', a.id) AS `row` FROM audit_log a \
         WHERE a.id > ? AND a.action = 'account.unfreeze' AND a.outcome = 'ok' \
           AND NOT (EXISTS (SELECT 1 FROM users ap WHERE ap.email = a.approved_by \
                AND ap.role = 'admin' AND a.approved_by <> a.actor) \
             OR (a.actor LIKE 'setup:%' AND ?))",
        "a.id",
        &[Param::Id(since.audit_line), Param::Flag(setup_rows)],
    )
}

#[cfg(test)]
mod named_actions {
    use crate::domain::AuditAction;

    /// The rules' SQL names audit actions by their stored text: each must be one the services
    /// write (`AuditAction`), or a renamed action would pass every rule unnoticed.
    #[test]
    fn every_action_the_rules_name_is_one_the_services_write() {
        let source = include_str!("rules.rs");
        // Every text between a quote and the next one that reads like `area.verb`.
        let named: Vec<&str> = source
            .match_indices('\'')
            .filter_map(|(at, _)| source[at + 1..].split('\'').next())
            .filter(|text| {
                text.contains('.')
                    && text.split('.').all(|part| !part.is_empty())
                    && text
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            })
            .collect();
        assert!(named.len() >= 5, "{named:?}");
        for text in named {
            assert!(
                AuditAction::from_stored(text).is_ok(),
                "{text} is no audit action"
            );
        }
    }
}
