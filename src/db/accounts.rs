//! Accounts: customers' accounts and the bank's internal ones (cash drawers, over/short).

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Decimal as SqlDecimal};
use rust_decimal::Decimal;

use super::schema::{accounts, users};
use super::{Connection, QueryResult};

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = accounts, check_for_backend(Mysql))]
pub struct AccountRow {
    pub id: i64,
    pub number: String,
    pub owner_id: Option<i64>,
    pub kind: crate::domain::AccountKind,
    pub label: Option<String>,
    pub currency: crate::domain::Currency,
    pub status: crate::domain::AccountStatus,
    pub balance: Decimal,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The account's last movement: its balance after must be `balance` (docs/ledger.md).
    pub last_movement_id: Option<i64>,
}

#[derive(Insertable)]
// NULL rather than DEFAULT for None keeps the statement one shape, so it is cached.
#[diesel(table_name = accounts, treat_none_as_default_value = false)]
pub struct NewAccount<'a> {
    pub id: i64,
    pub number: &'a str,
    pub owner_id: Option<i64>,
    pub kind: &'a str,
    pub label: Option<&'a str>,
    pub currency: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut Connection, account: &NewAccount<'_>) -> QueryResult<()> {
    diesel::insert_into(accounts::table)
        .values(account)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut Connection, id: i64) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .find(id)
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_label(conn: &mut Connection, label: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::label.eq(label))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

/// Locks the rows (`SELECT … FOR UPDATE`) in ascending id order, the one order every
/// transaction uses, so two transfers between the same accounts queue instead of deadlocking.
///
/// One or two rows (a money movement's sides) use statements of a fixed shape, which the
/// connection prepares once and caches; `IN (…)` lists are prepared anew every time.
pub fn lock(conn: &mut Connection, ids: &[i64]) -> QueryResult<Vec<AccountRow>> {
    let query = accounts::table
        .order(accounts::id.asc())
        .select(AccountRow::as_select())
        .for_update();
    match *ids {
        [id] => query.filter(accounts::id.eq(id)).load(conn),
        [a, b] => query
            .filter(accounts::id.eq(a).or(accounts::id.eq(b)))
            .load(conn),
        _ => query.filter(accounts::id.eq_any(ids)).load(conn),
    }
}

/// Two rows by id without locking them, in one cached statement.
pub fn read_two(conn: &mut Connection, a: i64, b: i64) -> QueryResult<Vec<AccountRow>> {
    accounts::table
        .filter(accounts::id.eq(a).or(accounts::id.eq(b)))
        .select(AccountRow::as_select())
        .load(conn)
}

/// The rows with these ids, without locking them (a dry run's read).
pub fn by_ids(conn: &mut Connection, ids: &[i64]) -> QueryResult<Vec<AccountRow>> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        rows.extend(
            accounts::table
                .filter(accounts::id.eq_any(chunk))
                .select(AccountRow::as_select())
                .load(conn)?,
        );
    }
    Ok(rows)
}

/// A customer's accounts, oldest first.
pub fn list_for_owner(conn: &mut Connection, owner_id: i64) -> QueryResult<Vec<AccountRow>> {
    accounts::table
        .filter(accounts::owner_id.eq(owner_id))
        .order((accounts::created_at, accounts::id))
        .select(AccountRow::as_select())
        .load(conn)
}

/// The owner's email of each customer account among `ids`.
pub fn owner_emails(conn: &mut Connection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    accounts::table
        .inner_join(users::table)
        .filter(accounts::id.eq_any(ids))
        .select((accounts::id, users::email))
        .load(conn)
}

/// Owner's id, name and surname of a customer account, for showing a recipient.
pub fn owner_names(
    conn: &mut Connection,
    id: i64,
) -> QueryResult<Option<(i64, String, Option<String>)>> {
    accounts::table
        .inner_join(users::table)
        .filter(accounts::id.eq(id))
        .select((users::id, users::name, users::surname))
        .first(conn)
        .optional()
}

/// Writes new cached balances of locked rows, each account's last movement being the row this
/// connection inserted last: two (a movement's) in one prepared statement,
/// cached per connection, so one round trip while the rows stay locked. (`batch_execute` costs
/// three: it switches multi-statements on and off around the query; a `sql_query` two: it is
/// prepared again each time.)
pub fn set_balances(conn: &mut Connection, balances: &[(i64, Decimal)]) -> QueryResult<()> {
    match *balances {
        [] => Ok(()),
        [(a, balance_a), (b, balance_b)] => {
            SetTwoBalances {
                a,
                balance_a,
                b,
                balance_b,
            }
            .execute(conn)?;
            Ok(())
        }
        _ => balances.iter().try_for_each(|&(id, balance)| {
            diesel::update(accounts::table.find(id))
                .set((
                    accounts::balance.eq(balance),
                    accounts::last_movement_id.eq(diesel::dsl::sql::<
                        diesel::sql_types::Nullable<BigInt>,
                    >("LAST_INSERT_ID()")),
                ))
                .execute(conn)
                .map(|_| ())
        }),
    }
}

/// `UPDATE accounts SET balance = IF(id = a, x, y), last_movement_id = LAST_INSERT_ID() WHERE
/// id = a OR id = b`, prepared once.
struct SetTwoBalances {
    a: i64,
    balance_a: Decimal,
    b: i64,
    balance_b: Decimal,
}

impl QueryId for SetTwoBalances {
    type QueryId = SetTwoBalances;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl RunQueryDsl<Connection> for SetTwoBalances {}

impl QueryFragment<Mysql> for SetTwoBalances {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        out.push_sql("UPDATE accounts SET balance = IF(id = ");
        out.push_bind_param::<BigInt, _>(&self.a)?;
        out.push_sql(", ");
        out.push_bind_param::<SqlDecimal, _>(&self.balance_a)?;
        out.push_sql(", ");
        out.push_bind_param::<SqlDecimal, _>(&self.balance_b)?;
        out.push_sql("), last_movement_id = LAST_INSERT_ID() WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.a)?;
        out.push_sql(" OR id = ");
        out.push_bind_param::<BigInt, _>(&self.b)?;
        Ok(())
    }
}

pub fn set_status(
    conn: &mut Connection,
    id: i64,
    status: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((accounts::status.eq(status), accounts::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn count_customer_accounts(conn: &mut Connection) -> QueryResult<i64> {
    accounts::table
        .filter(accounts::kind.eq("customer"))
        .count()
        .get_result(conn)
}

/// Inserts many accounts in one statement (benchmark and bulk loads).
pub fn insert_many(conn: &mut Connection, rows: &[NewAccount<'_>]) -> QueryResult<()> {
    diesel::insert_into(accounts::table)
        .values(rows)
        .execute(conn)?;
    Ok(())
}

/// Locks an internal account found by its label (a locking read sees the latest commit).
pub fn lock_by_label(conn: &mut Connection, label: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::label.eq(label))
        .select(AccountRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn count_all(conn: &mut Connection) -> QueryResult<i64> {
    accounts::table.count().get_result(conn)
}

/// Every vault account's id (end of day locks them all).
pub fn vault_ids(conn: &mut Connection) -> QueryResult<Vec<i64>> {
    accounts::table
        .filter(accounts::kind.eq("vault"))
        .order(accounts::id)
        .select(accounts::id)
        .load(conn)
}
