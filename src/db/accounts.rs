//! Accounts: customers' accounts and the bank's internal ones (cash drawers, over/short).

use chrono::NaiveDateTime;
use diesel::dsl::case_when;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::{accounts, users};
use super::{Connection, QueryResult};

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]
#[diesel(table_name = accounts, check_for_backend(Mysql))]
pub struct AccountRow {
    pub id: i64,
    pub number: String,
    pub owner_id: Option<i64>,
    pub kind: String,
    pub label: Option<String>,
    pub currency: String,
    pub status: String,
    pub balance: Decimal,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
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
pub fn lock(conn: &mut Connection, ids: &[i64]) -> QueryResult<Vec<AccountRow>> {
    accounts::table
        .filter(accounts::id.eq_any(ids))
        .order(accounts::id.asc())
        .select(AccountRow::as_select())
        .for_update()
        .load(conn)
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

/// Writes new cached balances of locked rows in one statement.
pub fn set_balances(conn: &mut Connection, balances: &[(i64, Decimal)]) -> QueryResult<()> {
    match *balances {
        [] => Ok(()),
        [(id, balance)] => {
            diesel::update(accounts::table.find(id))
                .set(accounts::balance.eq(balance))
                .execute(conn)?;
            Ok(())
        }
        [(a, balance_a), (b, balance_b)] => {
            let new_balance = case_when(
                accounts::id.eq(a),
                balance_a.into_sql::<diesel::sql_types::Decimal>(),
            )
            .when(
                accounts::id.eq(b),
                balance_b.into_sql::<diesel::sql_types::Decimal>(),
            )
            .otherwise(accounts::balance);
            diesel::update(accounts::table.filter(accounts::id.eq_any([a, b])))
                .set(accounts::balance.eq(new_balance))
                .execute(conn)?;
            Ok(())
        }
        _ => balances
            .iter()
            .try_for_each(|pair| set_balances(conn, std::slice::from_ref(pair))),
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

/// Sets the same balance on many freshly opened accounts (bulk opening).
pub fn set_balance_of_many(
    conn: &mut Connection,
    ids: &[i64],
    balance: Decimal,
) -> QueryResult<()> {
    diesel::update(accounts::table.filter(accounts::id.eq_any(ids)))
        .set(accounts::balance.eq(balance))
        .execute(conn)?;
    Ok(())
}
