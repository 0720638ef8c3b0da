//! The ledger's invariants, each one query over the movements after a given id (all of them
//! for `teller audit --full`, those since the last checkpoint for the daily audit).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Decimal as SqlDecimal, Text};
use rust_decimal::Decimal;

use super::checkpoints::SumMismatch;
use super::{Connection, QueryResult};

/// A movement that does not balance: wrong amount, one account on both sides, or a currency
/// that differs from either account's.
#[derive(QueryableByName, Debug, Clone)]
pub struct UnbalancedMovement {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
}

/// Whether movement `m`, with its debit account `d` and credit account `c`, does not balance.
pub(super) const UNBALANCED: &str = "(m.amount <= 0 OR m.debit_account_id = m.credit_account_id \
    OR d.currency <> m.currency OR c.currency <> m.currency)";

/// How many unbalanced movements the audit names at most.
pub const UNBALANCED_LISTED: usize = 100;

pub fn unbalanced_movements(
    conn: &mut Connection,
    after: i64,
) -> QueryResult<Vec<UnbalancedMovement>> {
    diesel::sql_query(format!(
        // STRAIGHT_JOIN: the journal in id order, each account by primary key. Left alone, the
        // optimizer starts from the (small) accounts table and reads the journal account by
        // account, one random row at a time: hours once the journal outgrows the buffer pool.
        "SELECT STRAIGHT_JOIN m.id FROM movements m \
         JOIN accounts d ON d.id = m.debit_account_id \
         JOIN accounts c ON c.id = m.credit_account_id \
         WHERE m.id > ? AND {UNBALANCED} ORDER BY m.id LIMIT {UNBALANCED_LISTED}",
    ))
    .bind::<BigInt, _>(after)
    .load(conn)
}

/// An account whose cached balance differs from the sum of its journal entries.
#[derive(QueryableByName, Debug, Clone)]
pub struct BalanceMismatch {
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = SqlDecimal)]
    pub cached: Decimal,
    #[diesel(sql_type = SqlDecimal)]
    pub journal: Decimal,
}

/// How many accounts whose cached balance is off the audit names at most.
const BALANCE_MISMATCHES_LISTED: usize = 100;

/// Accounts whose cached balance differs from their journal: the sum carried to the last
/// checkpoint (`carried`; none for the full check) plus the movements after `after`.
///
/// The sums read the journal by id (`FORCE INDEX (PRIMARY)`): left alone, the optimizer sums
/// each account through its (account, time) index, which walks the account's whole history to
/// find the rows after `after` (3.2 s of a 4.1 s daily audit at 10M movements, against 0.09 s).
pub fn balance_mismatches(
    conn: &mut Connection,
    after: i64,
    carried: bool,
) -> QueryResult<Vec<BalanceMismatch>> {
    let (join, base) = if carried {
        (
            "LEFT JOIN audit_account_sums s ON s.account_id = a.id",
            "COALESCE(s.journal_sum, 0)",
        )
    } else {
        ("", "0")
    };
    diesel::sql_query(format!(
        "SELECT a.number, a.balance AS cached, \
                CAST({base} + COALESCE(c.total, 0) - COALESCE(d.total, 0) AS DECIMAL(22, 3)) AS journal \
         FROM accounts a {join} \
         LEFT JOIN (SELECT credit_account_id AS id, SUM(amount) AS total \
                    FROM movements FORCE INDEX (PRIMARY) \
                    WHERE id > ? GROUP BY credit_account_id) c ON c.id = a.id \
         LEFT JOIN (SELECT debit_account_id AS id, SUM(amount) AS total \
                    FROM movements FORCE INDEX (PRIMARY) \
                    WHERE id > ? GROUP BY debit_account_id) d ON d.id = a.id \
         WHERE a.balance <> {base} + COALESCE(c.total, 0) - COALESCE(d.total, 0) \
         ORDER BY a.number LIMIT {BALANCE_MISMATCHES_LISTED}"
    ))
    .bind::<BigInt, _>(after)
    .bind::<BigInt, _>(after)
    .load(conn)
}

/// One account's sums in the full audit's single read of the journal.
#[derive(QueryableByName, Debug, Clone)]
struct AccountSums {
    #[diesel(sql_type = BigInt)]
    account_id: i64,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = SqlDecimal)]
    cached: Decimal,
    #[diesel(sql_type = SqlDecimal)]
    journal: Decimal,
    #[diesel(sql_type = SqlDecimal)]
    carried: Decimal,
    #[diesel(sql_type = SqlDecimal)]
    journal_up_to: Decimal,
}

/// Accounts the one read may name before the two lists could be cut short.
const SUMS_AT_ONCE: usize = 1_000;

/// The full audit's two sums in one read of the journal (one per side), where the separate
/// queries read it twice each: what `balance_mismatches` finds over every movement, and what
/// `checkpoints::sum_mismatches` finds up to `up_to` (the newest checkpoint). `None` when more
/// accounts disagree than one read lists: then the separate queries name the first ones.
pub fn balance_and_checkpoint_mismatches(
    conn: &mut Connection,
    up_to: i64,
) -> QueryResult<Option<(Vec<BalanceMismatch>, Vec<SumMismatch>)>> {
    let side = |account: &str| {
        format!(
            "SELECT {account} AS id, SUM(amount) AS total, SUM(IF(id <= ?, amount, 0)) AS up_to \
             FROM movements FORCE INDEX (PRIMARY) GROUP BY {account}"
        )
    };
    let rows: Vec<AccountSums> = diesel::sql_query(format!(
        "SELECT a.id AS account_id, a.number, a.balance AS cached, \
            CAST(COALESCE(c.total, 0) - COALESCE(d.total, 0) AS DECIMAL(22, 3)) AS journal, \
            CAST(COALESCE(s.journal_sum, 0) AS DECIMAL(22, 3)) AS carried, \
            CAST(COALESCE(c.up_to, 0) - COALESCE(d.up_to, 0) AS DECIMAL(22, 3)) AS journal_up_to \
         FROM accounts a LEFT JOIN audit_account_sums s ON s.account_id = a.id \
         LEFT JOIN ({}) c ON c.id = a.id LEFT JOIN ({}) d ON d.id = a.id \
         WHERE a.balance <> COALESCE(c.total, 0) - COALESCE(d.total, 0) \
            OR COALESCE(s.journal_sum, 0) <> COALESCE(c.up_to, 0) - COALESCE(d.up_to, 0) \
         ORDER BY a.id LIMIT {SUMS_AT_ONCE}",
        side("credit_account_id"),
        side("debit_account_id")
    ))
    .bind::<BigInt, _>(up_to)
    .bind::<BigInt, _>(up_to)
    .load(conn)?;
    if rows.len() >= SUMS_AT_ONCE {
        return Ok(None);
    }
    // The lists in the separate queries' orders and lengths.
    let mut balances: Vec<BalanceMismatch> = rows
        .iter()
        .filter(|r| r.cached != r.journal)
        .map(|r| BalanceMismatch {
            number: r.number.clone(),
            cached: r.cached,
            journal: r.journal,
        })
        .collect();
    balances.sort_by(|a, b| a.number.cmp(&b.number));
    balances.truncate(BALANCE_MISMATCHES_LISTED);
    let sums = rows
        .iter()
        .filter(|r| r.carried != r.journal_up_to)
        .take(super::checkpoints::SUM_MISMATCHES_LISTED)
        .map(|r| SumMismatch {
            account_id: r.account_id,
            carried: r.carried,
            journal: r.journal_up_to,
        })
        .collect();
    Ok(Some((balances, sums)))
}

/// A customer account below zero.
#[derive(QueryableByName, Debug, Clone)]
pub struct NegativeBalance {
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = SqlDecimal)]
    pub balance: Decimal,
}

pub fn negative_customer_balances(conn: &mut Connection) -> QueryResult<Vec<NegativeBalance>> {
    diesel::sql_query(
        "SELECT number, balance FROM accounts WHERE kind = 'customer' AND balance < 0 \
         ORDER BY number LIMIT 100",
    )
    .load(conn)
}

/// Accounts whose cached balance is not the balance after their last movement (zero before the
/// first; a movement named that is missing or not the account's counts as broken): the head of
/// the account's balance chain, which every posting checks
/// (`post_movement`), as it stands. One primary-key read per account, whatever the history.
pub fn broken_chain_heads(conn: &mut Connection) -> QueryResult<Vec<BalanceMismatch>> {
    diesel::sql_query(
        "SELECT number, cached, COALESCE(expected, 0) AS journal FROM ( \
            SELECT a.number, a.balance AS cached, \
                CASE WHEN a.last_movement_id IS NULL THEN 0 \
                    WHEN m.debit_account_id = a.id THEN m.debit_balance_after \
                    WHEN m.credit_account_id = a.id THEN m.credit_balance_after END AS expected \
            FROM accounts a LEFT JOIN movements m ON m.id = a.last_movement_id) heads \
         WHERE NOT (cached <=> expected) ORDER BY number LIMIT 100",
    )
    .load(conn)
}

/// The sum of all balances of one currency; zero in a double-entry book.
#[derive(QueryableByName, Debug, Clone)]
pub struct CurrencyTotal {
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = SqlDecimal)]
    pub total: Decimal,
}

pub fn balance_totals(conn: &mut Connection) -> QueryResult<Vec<CurrencyTotal>> {
    diesel::sql_query(
        "SELECT currency, CAST(SUM(balance) AS DECIMAL(22, 3)) AS total FROM accounts \
         GROUP BY currency ORDER BY currency",
    )
    .load(conn)
}

/// An idempotency key used by more than one movement.
#[derive(QueryableByName, Debug, Clone)]
pub struct ReusedKey {
    #[diesel(sql_type = Text)]
    pub idempotency_key: String,
    #[diesel(sql_type = BigInt)]
    pub uses: i64,
}

/// Keys used twice among the movements after `after` (the unique index makes this impossible;
/// the check proves the index is still there and holding).
pub fn reused_keys(conn: &mut Connection, after: i64) -> QueryResult<Vec<ReusedKey>> {
    if after == 0 {
        // Every row: walk the key index in order, grouping as it goes. With `id > 0` the
        // optimizer read by primary key into a temporary table of every key (minutes at 10M).
        return diesel::sql_query(
            "SELECT idempotency_key, COUNT(*) AS uses \
             FROM movements FORCE INDEX (movements_idempotency_key) \
             GROUP BY idempotency_key HAVING COUNT(*) > 1 LIMIT 100",
        )
        .load(conn);
    }
    diesel::sql_query(
        "SELECT idempotency_key, COUNT(*) AS uses FROM movements WHERE id > ? \
         GROUP BY idempotency_key HAVING COUNT(*) > 1 LIMIT 100",
    )
    .bind::<BigInt, _>(after)
    .load(conn)
}
