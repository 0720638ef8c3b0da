//! The journal: one append-only row per movement of money, debit account to credit account.

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::movements;
use super::{Connection, QueryResult};

#[derive(Queryable, QueryableByName, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = movements, check_for_backend(Mysql))]
pub struct MovementRow {
    pub id: i64,
    pub idempotency_key: String,
    pub kind: crate::domain::MovementKind,
    pub debit_account_id: i64,
    pub credit_account_id: i64,
    pub amount: Decimal,
    pub currency: crate::domain::Currency,
    pub memo: Option<String>,
    pub debit_balance_after: Decimal,
    pub credit_balance_after: Decimal,
    pub reverses_id: Option<i64>,
    pub actor: String,
    pub approved_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub drawer_session_id: Option<i64>,
    /// The device it came from (`local` without the branch server).
    pub device: String,
}

#[derive(Insertable)]
// NULL rather than DEFAULT for None keeps the statement one shape, so it is cached.
#[diesel(table_name = movements, treat_none_as_default_value = false)]
pub struct NewMovement<'a> {
    pub idempotency_key: &'a str,
    pub kind: &'a str,
    pub debit_account_id: i64,
    pub credit_account_id: i64,
    pub amount: Decimal,
    pub currency: &'a str,
    pub memo: Option<&'a str>,
    pub debit_balance_after: Decimal,
    pub credit_balance_after: Decimal,
    pub reverses_id: Option<i64>,
    pub actor: &'a str,
    pub approved_by: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub drawer_session_id: Option<i64>,
    pub device: &'a str,
}

pub fn find_by_key(conn: &mut Connection, key: &str) -> QueryResult<Option<MovementRow>> {
    movements::table
        .filter(movements::idempotency_key.eq(key))
        .select(MovementRow::as_select())
        .first(conn)
        .optional()
}

/// The id of the movement that reverses `id`, if any.
pub fn reversal_of(conn: &mut Connection, id: i64) -> QueryResult<Option<i64>> {
    movements::table
        .filter(movements::reverses_id.eq(id))
        .select(movements::id)
        .first(conn)
        .optional()
}

pub fn find(conn: &mut Connection, id: i64) -> QueryResult<Option<MovementRow>> {
    movements::table
        .find(id)
        .select(MovementRow::as_select())
        .first(conn)
        .optional()
}

/// Up to `limit` movements touching the account, newest first (by time, then id), older than
/// the movement `before_id` if given. Two index range scans on (account, time), debit side and
/// credit side, merged here: an `OR` would scan more, and the cost is the page, not the history.
pub fn history(
    conn: &mut Connection,
    account_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<MovementRow>> {
    let cursor = match before_id {
        Some(id) => match movements::table
            .find(id)
            .select(movements::created_at)
            .first::<NaiveDateTime>(conn)
            .optional()?
        {
            Some(at) => Some((at, id)),
            // A page after a movement that does not exist is empty.
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    // First the page's (time, id) pairs from each side's (account, time) index alone (the id
    // is in every secondary index), then only the rows the page shows, by primary key: old rows
    // live on pages of their own, and each one read is a page the buffer pool may not hold.
    let side = |debit: bool, conn: &mut Connection| {
        let mut query = movements::table
            .order((movements::created_at.desc(), movements::id.desc()))
            .limit(limit)
            .select((movements::created_at, movements::id))
            .into_boxed();
        query = if debit {
            query.filter(movements::debit_account_id.eq(account_id))
        } else {
            query.filter(movements::credit_account_id.eq(account_id))
        };
        if let Some((at, id)) = cursor {
            query = query.filter(
                movements::created_at
                    .lt(at)
                    .or(movements::created_at.eq(at).and(movements::id.lt(id))),
            );
        }
        query.load::<(NaiveDateTime, i64)>(conn)
    };
    let mut keys = side(true, conn)?;
    keys.extend(side(false, conn)?);
    keys.sort_unstable_by_key(|k| std::cmp::Reverse(*k));
    keys.truncate(usize::try_from(limit).unwrap_or(0));
    let ids: Vec<i64> = keys.iter().map(|(_, id)| *id).collect();
    let mut page: Vec<MovementRow> = movements::table
        .filter(movements::id.eq_any(&ids))
        .select(MovementRow::as_select())
        .load(conn)?;
    page.sort_unstable_by_key(|m| std::cmp::Reverse((m.created_at, m.id)));
    Ok(page)
}

/// The movements touching the account with `from <= created_at < to`, oldest first (a
/// statement's period).
pub fn between(
    conn: &mut Connection,
    account_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<MovementRow>> {
    let side = |debit: bool, conn: &mut Connection| {
        let query = movements::table
            .filter(movements::created_at.ge(from))
            .filter(movements::created_at.lt(to))
            .select(MovementRow::as_select())
            .into_boxed();
        let query = if debit {
            query.filter(movements::debit_account_id.eq(account_id))
        } else {
            query.filter(movements::credit_account_id.eq(account_id))
        };
        query.load(conn)
    };
    let mut rows = side(true, conn)?;
    rows.extend(side(false, conn)?);
    rows.sort_unstable_by_key(|m| (m.created_at, m.id));
    Ok(rows)
}

/// The account's last movement before `at` (its balance then is the statement's opening).
pub fn last_before(
    conn: &mut Connection,
    account_id: i64,
    at: NaiveDateTime,
) -> QueryResult<Option<MovementRow>> {
    let debit = movements::table
        .filter(movements::debit_account_id.eq(account_id))
        .filter(movements::created_at.lt(at))
        .order((movements::created_at.desc(), movements::id.desc()))
        .select(MovementRow::as_select())
        .first(conn)
        .optional()?;
    let credit = movements::table
        .filter(movements::credit_account_id.eq(account_id))
        .filter(movements::created_at.lt(at))
        .order((movements::created_at.desc(), movements::id.desc()))
        .select(MovementRow::as_select())
        .first(conn)
        .optional()?;
    Ok([debit, credit]
        .into_iter()
        .flatten()
        .max_by_key(|m| (m.created_at, m.id)))
}

/// Inserts many movements in one statement (benchmark and bulk loads).
pub fn insert_many(conn: &mut Connection, rows: &[NewMovement<'_>]) -> QueryResult<()> {
    diesel::insert_into(movements::table)
        .values(rows)
        .execute(conn)?;
    Ok(())
}

pub fn count(conn: &mut Connection) -> QueryResult<i64> {
    movements::table.count().get_result(conn)
}

/// The cash that went through a drawer session, by where it came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionFlows {
    /// Cash paid in at the counter (deposits).
    pub cash_in: Decimal,
    /// Cash paid out at the counter (withdrawals).
    pub cash_out: Decimal,
    /// Top-ups from the vault.
    pub top_ups: Decimal,
    /// Cash drops to the vault.
    pub drops: Decimal,
}

impl SessionFlows {
    /// What the drawer should hold, from its float.
    pub fn expected(&self, opening_float: Decimal) -> Decimal {
        opening_float + self.cash_in - self.cash_out + self.top_ups - self.drops
    }
}

/// The cash flows of a drawer session. The float, the over/short and the cash returned at
/// closing are not flows of the day: the float is the start, the other two settle the count.
pub fn session_cash_flows(
    conn: &mut Connection,
    session_id: i64,
    drawer_account_id: i64,
) -> QueryResult<SessionFlows> {
    use diesel::dsl::sum;
    let rows: Vec<(String, i64, Option<Decimal>)> = movements::table
        .filter(movements::drawer_session_id.eq(session_id))
        .group_by((movements::kind, movements::debit_account_id))
        .select((
            movements::kind,
            movements::debit_account_id,
            sum(movements::amount),
        ))
        .load(conn)?;
    let mut flows = SessionFlows::default();
    for (kind, debited, total) in rows {
        let total = total.unwrap_or_default();
        match (kind.as_str(), debited == drawer_account_id) {
            ("top_up", _) => flows.top_ups += total,
            ("cash_drop", _) => flows.drops += total,
            ("over_short" | "float" | "cash_return", _) => {}
            (_, true) => flows.cash_in += total,
            (_, false) => flows.cash_out += total,
        }
    }
    Ok(flows)
}

/// Every kind, named in a day's query so that it reads the (kind, time) index one kind at a
/// time: the day's rows only, however long the journal.
fn all_kinds() -> Vec<&'static str> {
    crate::domain::MovementKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect()
}

/// Movements of one kind and currency: (kind, currency, count, total).
pub type KindTotalRow = (String, String, i64, Option<Decimal>);

/// (`by`, currency, count, total) of the movements with `from <= created_at < to`, grouped by
/// `by` and the currency and sorted by `order`.
macro_rules! period_totals {
    ($conn:expr, $from:expr, $to:expr, $by:expr, $order:expr) => {{
        use diesel::dsl::{count_star, sum};
        movements::table
            .filter(movements::kind.eq_any(all_kinds()))
            .filter(movements::created_at.ge($from))
            .filter(movements::created_at.lt($to))
            .group_by(($by, movements::currency))
            .order($order)
            .select((
                $by,
                movements::currency,
                count_star(),
                sum(movements::amount),
            ))
            .load($conn)
    }};
}

/// Movements of a period by kind and currency, by currency first.
pub fn totals_between(
    conn: &mut Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<KindTotalRow>> {
    let order = (movements::currency, movements::kind);
    period_totals!(conn, from, to, movements::kind, order)
}

/// Movements of a period by device and currency.
pub fn device_totals_between(
    conn: &mut Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<KindTotalRow>> {
    let order = (movements::device, movements::currency);
    period_totals!(conn, from, to, movements::device, order)
}

/// What `actor` paid out of the accounts of `account`'s owner since `since`: withdrawals,
/// transfers and transfers between currencies, per currency. Nothing for an account without an owner.
pub fn paid_by_since(
    conn: &mut Connection,
    account: i64,
    actor: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<(String, Decimal)>> {
    use super::schema::accounts;
    let owner: Option<Option<i64>> = accounts::table
        .find(account)
        .select(accounts::owner_id)
        .first(conn)
        .optional()?;
    let Some(Some(owner)) = owner else {
        return Ok(Vec::new());
    };
    let ids: Vec<i64> = accounts::table
        .filter(accounts::owner_id.eq(owner))
        .select(accounts::id)
        .load(conn)?;
    let totals: Vec<(String, Option<Decimal>)> = movements::table
        .filter(movements::debit_account_id.eq_any(ids))
        .filter(movements::actor.eq(actor))
        // A transfer between currencies pays out through an exchange leg (a cash exchange's
        // legs leave a drawer, never a customer's account).
        .filter(movements::kind.eq_any(["withdrawal", "transfer", "exchange"]))
        .filter(movements::created_at.ge(since))
        .group_by(movements::currency)
        .select((movements::currency, diesel::dsl::sum(movements::amount)))
        .load(conn)?;
    Ok(totals
        .into_iter()
        .map(|(currency, total)| (currency, total.unwrap_or(Decimal::ZERO)))
        .collect())
}
