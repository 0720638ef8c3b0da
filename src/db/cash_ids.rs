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
    /// `None`: a walk-in's cash exchange (no account at the bank).
    pub customer_id: Option<i64>,
    pub id_type: &'a str,
    pub id_number: &'a str,
    pub id_country: &'a str,
    pub id_expiry: NaiveDate,
    pub recorded_by: &'a str,
    pub recorded_at: NaiveDateTime,
}

/// Its `Debug` hides the ID number (rows end up in error messages and logs).
#[derive(Queryable, QueryableByName, Selectable, Clone, PartialEq)]
#[diesel(table_name = cash_ids, check_for_backend(Mysql))]
pub struct CashIdRow {
    pub movement_id: i64,
    pub customer_id: Option<i64>,
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
/// (movement id, kind, amount, currency, the customer: the owner of the account credited by a
/// deposit, debited by a withdrawal).
pub type CashMovement = (
    i64,
    crate::domain::MovementKind,
    Decimal,
    crate::domain::Currency,
    i64,
);

/// The day's cash deposits (money into the customer's account) and withdrawals (out of it),
/// with the customer each belongs to: of one customer (the check on every cash operation, by
/// their accounts' (account, time) index) or of everyone (the day's report, by the journal's
/// time index). Either reads the period's rows only, however long the history.
pub fn cash_between(
    conn: &mut Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    customer: Option<i64>,
) -> QueryResult<Vec<CashMovement>> {
    // (movement id, kind, amount, the customer's account: credited by a deposit, debited by a
    // withdrawal)
    type Row = (
        i64,
        crate::domain::MovementKind,
        Decimal,
        crate::domain::Currency,
        i64,
    );
    let side = |kind: &'static str, conn: &mut Connection, accounts: Option<&[i64]>| {
        let deposit = kind == "deposit";
        let mut query = movements::table
            .filter(movements::kind.eq(kind))
            .filter(movements::created_at.ge(from))
            .filter(movements::created_at.lt(to))
            .into_boxed();
        if let Some(ids) = accounts {
            query = if deposit {
                query.filter(movements::credit_account_id.eq_any(ids.to_vec()))
            } else {
                query.filter(movements::debit_account_id.eq_any(ids.to_vec()))
            };
        }
        if deposit {
            query
                .select((
                    movements::id,
                    movements::kind,
                    movements::amount,
                    movements::currency,
                    movements::credit_account_id,
                ))
                .load::<Row>(conn)
        } else {
            query
                .select((
                    movements::id,
                    movements::kind,
                    movements::amount,
                    movements::currency,
                    movements::debit_account_id,
                ))
                .load::<Row>(conn)
        }
    };
    let owned: Option<Vec<i64>> = match customer {
        Some(owner) => Some(
            accounts::table
                .filter(accounts::owner_id.eq(owner))
                .select(accounts::id)
                .load(conn)?,
        ),
        None => None,
    };
    let mut rows = side("deposit", conn, owned.as_deref())?;
    rows.extend(side("withdrawal", conn, owned.as_deref())?);
    // The owner of each account that appears (customer accounts only: a drawer has none).
    let mut ids: Vec<i64> = rows.iter().map(|r| r.4).collect();
    ids.sort_unstable();
    ids.dedup();
    let owners: std::collections::HashMap<i64, i64> = accounts::table
        .filter(accounts::id.eq_any(&ids))
        .filter(accounts::owner_id.is_not_null())
        .select((accounts::id, accounts::owner_id.assume_not_null()))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let mut out: Vec<CashMovement> = rows
        .into_iter()
        .filter_map(|(id, kind, amount, currency, account)| {
            Some((id, kind, amount, currency, *owners.get(&account)?))
        })
        .collect();
    out.sort_unstable_by_key(|row| row.0);
    Ok(out)
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

/// A walk-in's cash exchange of a period, by the ID recorded with it: (the ID record, the cash
/// paid in: amount and currency, the cash paid out).
pub type WalkInExchange = (
    CashIdRow,
    (Decimal, crate::domain::Currency),
    Option<(Decimal, crate::domain::Currency)>,
);

/// The cash exchanges of walk-in customers recorded in a period, each with both its legs (the
/// first leg carries the ID; the second's key is the first's with "/2").
pub fn walk_in_exchanges_between(
    conn: &mut Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<WalkInExchange>> {
    let ids: Vec<CashIdRow> = cash_ids::table
        .filter(cash_ids::customer_id.is_null())
        .filter(cash_ids::recorded_at.ge(from))
        .filter(cash_ids::recorded_at.lt(to))
        .order(cash_ids::movement_id)
        .select(CashIdRow::as_select())
        .load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let paid: Vec<(i64, String, Decimal, crate::domain::Currency)> = movements::table
        .filter(movements::id.eq_any(ids.iter().map(|r| r.movement_id)))
        .select((
            movements::id,
            movements::idempotency_key,
            movements::amount,
            movements::currency,
        ))
        .load(conn)?;
    let second_keys: Vec<String> = paid
        .iter()
        .map(|(_, key, _, _)| format!("{key}/2"))
        .collect();
    let received: Vec<(String, Decimal, crate::domain::Currency)> = movements::table
        .filter(movements::idempotency_key.eq_any(&second_keys))
        .select((
            movements::idempotency_key,
            movements::amount,
            movements::currency,
        ))
        .load(conn)?;
    Ok(ids
        .into_iter()
        .filter_map(|row| {
            let (_, key, amount, currency) = paid.iter().find(|p| p.0 == row.movement_id)?;
            let second = format!("{key}/2");
            let out = received
                .iter()
                .find(|(k, _, _)| *k == second)
                .map(|(_, amount, currency)| (*amount, *currency));
            Some((row, (*amount, *currency), out))
        })
        .collect())
}
