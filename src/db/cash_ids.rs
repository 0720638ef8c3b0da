//! Large cash (CTR): the identifications recorded with cash movements, and the day's cash per
//! customer and direction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::mysql::Mysql;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::{accounts, cash_ids, movements};
use super::{Connection, QueryResult};

#[derive(Insertable)]
#[diesel(table_name = cash_ids)]
pub struct NewCashId<'a> {
    pub movement_id: i64,
    pub customer_id: i64,
    pub id_type: &'a str,
    pub id_number: &'a str,
    pub id_country: &'a str,
    pub id_expiry: NaiveDate,
    pub recorded_by: &'a str,
    pub recorded_at: NaiveDateTime,
}

/// Its `Debug` hides the ID number (rows end up in error messages and logs).
#[derive(Queryable, Selectable, Clone, PartialEq)]
#[diesel(table_name = cash_ids, check_for_backend(Mysql))]
pub struct CashIdRow {
    pub movement_id: i64,
    pub customer_id: i64,
    pub id_type: String,
    pub id_number: String,
    pub id_country: String,
    pub id_expiry: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

impl std::fmt::Debug for CashIdRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CashIdRow")
            .field("movement_id", &self.movement_id)
            .field("customer_id", &self.customer_id)
            .field("id_type", &self.id_type)
            .field("id_number", &"<hidden>")
            .field("id_country", &self.id_country)
            .field("id_expiry", &self.id_expiry)
            .field("recorded_by", &self.recorded_by)
            .field("recorded_at", &self.recorded_at)
            .finish()
    }
}

pub fn insert(conn: &mut Connection, row: &NewCashId<'_>) -> QueryResult<()> {
    diesel::insert_into(cash_ids::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A cash movement of a customer: (movement id, kind, amount, the customer).
pub type CashMovement = (i64, crate::domain::MovementKind, Decimal, i64);

/// The day's cash deposits (money into the customer's account) and withdrawals (out of it),
/// with the customer each belongs to.
pub fn cash_between(
    conn: &mut Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    customer: Option<i64>,
) -> QueryResult<Vec<CashMovement>> {
    // The customer's side: the credited account of a deposit, the debited one of a withdrawal.
    macro_rules! side {
        ($kind:literal, $account:expr) => {
            movements::table
                .inner_join(accounts::table.on(accounts::id.eq($account)))
                .filter(movements::kind.eq($kind))
                .filter(movements::created_at.ge(from))
                .filter(movements::created_at.lt(to))
                .select((
                    movements::id,
                    movements::kind,
                    movements::amount,
                    accounts::owner_id.assume_not_null(),
                ))
                .into_boxed()
        };
    }
    let mut deposits = side!("deposit", movements::credit_account_id);
    let mut withdrawals = side!("withdrawal", movements::debit_account_id);
    if let Some(customer) = customer {
        deposits = deposits.filter(accounts::owner_id.eq(customer));
        withdrawals = withdrawals.filter(accounts::owner_id.eq(customer));
    }
    let mut rows: Vec<CashMovement> = deposits.load(conn)?;
    rows.extend(withdrawals.load::<CashMovement>(conn)?);
    rows.sort_unstable_by_key(|row| row.0);
    Ok(rows)
}

/// The identifications recorded in a period.
pub fn recorded_between(
    conn: &mut Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<CashIdRow>> {
    cash_ids::table
        .filter(cash_ids::recorded_at.ge(from))
        .filter(cash_ids::recorded_at.lt(to))
        .order(cash_ids::movement_id)
        .select(CashIdRow::as_select())
        .load(conn)
}
