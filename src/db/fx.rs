//! The currencies the bank trades, its exchange rates (append-only history) and the quotes it
//! gave (each used at most once).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::{currencies, fx_quotes, fx_rates};
use super::{Connection, QueryResult};
use crate::domain::{Currency, Side};

#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = currencies, check_for_backend(diesel::mysql::Mysql))]
pub struct CurrencyRow {
    pub code: Currency,
    pub minor_units: i8,
    pub denominations: String,
    pub added_by: String,
    pub added_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = currencies)]
pub struct NewCurrency<'a> {
    pub code: &'a str,
    pub minor_units: i8,
    pub denominations: &'a str,
    pub added_by: &'a str,
    pub added_at: NaiveDateTime,
}

/// Every currency the bank trades, by code.
pub fn currencies(conn: &mut Connection) -> QueryResult<Vec<CurrencyRow>> {
    currencies::table
        .order(currencies::code)
        .select(CurrencyRow::as_select())
        .load(conn)
}

/// The traded currency `code`, if the bank trades it.
pub fn currency(conn: &mut Connection, code: Currency) -> QueryResult<Option<CurrencyRow>> {
    currencies::table
        .find(code.as_str())
        .select(CurrencyRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_currency(conn: &mut Connection, row: &NewCurrency<'_>) -> QueryResult<()> {
    diesel::insert_into(currencies::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = fx_rates, check_for_backend(diesel::mysql::Mysql))]
pub struct RateRow {
    pub id: i64,
    pub base: Currency,
    pub quote: Currency,
    pub buy: Decimal,
    pub sell: Decimal,
    pub valid_from: NaiveDateTime,
    pub valid_until: Option<NaiveDateTime>,
    pub set_by: String,
    pub set_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = fx_rates, treat_none_as_default_value = false)]
pub struct NewRate<'a> {
    pub base: &'a str,
    pub quote: &'a str,
    pub buy: Decimal,
    pub sell: Decimal,
    pub valid_from: NaiveDateTime,
    pub valid_until: Option<NaiveDateTime>,
    pub set_by: &'a str,
    pub set_at: NaiveDateTime,
}

/// Appends a rate; returns its id.
pub fn insert_rate(conn: &mut Connection, row: &NewRate<'_>) -> QueryResult<i64> {
    diesel::insert_into(fx_rates::table)
        .values(row)
        .execute(conn)?;
    super::inserted_id(conn)
}

pub fn rate(conn: &mut Connection, id: i64) -> QueryResult<RateRow> {
    fx_rates::table
        .find(id)
        .select(RateRow::as_select())
        .first(conn)
}

#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = fx_quotes, check_for_backend(diesel::mysql::Mysql))]
pub struct QuoteRow {
    pub id: i64,
    pub rate_id: i64,
    pub side: Side,
    pub rate: Decimal,
    pub from_currency: Currency,
    pub to_currency: Currency,
    pub from_amount: Decimal,
    pub to_amount: Decimal,
    pub cash_unit: Option<Decimal>,
    pub margin: Decimal,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_key: Option<String>,
    pub used_by: Option<String>,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = fx_quotes, treat_none_as_default_value = false)]
pub struct NewQuote<'a> {
    pub rate_id: i64,
    pub side: &'a str,
    pub rate: Decimal,
    pub from_currency: &'a str,
    pub to_currency: &'a str,
    pub from_amount: Decimal,
    pub to_amount: Decimal,
    pub cash_unit: Option<Decimal>,
    pub margin: Decimal,
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Records a quote; returns its id.
pub fn insert_quote(conn: &mut Connection, row: &NewQuote<'_>) -> QueryResult<i64> {
    diesel::insert_into(fx_quotes::table)
        .values(row)
        .execute(conn)?;
    super::inserted_id(conn)
}

/// The quote, locked until the transaction ends (two tellers using one quote: the second waits
/// and then sees it used).
pub fn lock_quote(conn: &mut Connection, id: i64) -> QueryResult<Option<QuoteRow>> {
    fx_quotes::table
        .find(id)
        .select(QuoteRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// The quote an exchange with key `key` used.
pub fn quote_used_by(conn: &mut Connection, key: &str) -> QueryResult<Option<QuoteRow>> {
    fx_quotes::table
        .filter(fx_quotes::used_key.eq(key))
        .select(QuoteRow::as_select())
        .first(conn)
        .optional()
}

/// The quotes used by the exchanges with these keys (an exchange's first key).
pub fn quotes_used_by(conn: &mut Connection, keys: &[&str]) -> QueryResult<Vec<QuoteRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    fx_quotes::table
        .filter(fx_quotes::used_key.eq_any(keys))
        .select(QuoteRow::as_select())
        .load(conn)
}

/// How many quotes `by` made that are neither used nor expired at `now` (by the index on
/// (created_by, expires_at)).
pub fn open_quotes_of(conn: &mut Connection, by: &str, now: NaiveDateTime) -> QueryResult<i64> {
    fx_quotes::table
        .filter(fx_quotes::created_by.eq(by))
        .filter(fx_quotes::expires_at.gt(now))
        .filter(fx_quotes::used_key.is_null())
        .count()
        .get_result(conn)
}

/// Marks a locked, unused quote used by the exchange with `key`; false if it was not unused.
pub fn mark_used(
    conn: &mut Connection,
    id: i64,
    key: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        fx_quotes::table
            .find(id)
            .filter(fx_quotes::used_key.is_null()),
    )
    .set((
        fx_quotes::used_key.eq(key),
        fx_quotes::used_by.eq(by),
        fx_quotes::used_at.eq(at),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The rate quotes use at `at` for `base`/`quote`: the newest valid then.
pub fn rate_valid_at(
    conn: &mut Connection,
    base: Currency,
    quote: Currency,
    at: NaiveDateTime,
) -> QueryResult<Option<RateRow>> {
    fx_rates::table
        .filter(fx_rates::base.eq(base.as_str()))
        .filter(fx_rates::quote.eq(quote.as_str()))
        .filter(fx_rates::valid_from.le(at))
        .filter(
            fx_rates::valid_until
                .is_null()
                .or(fx_rates::valid_until.gt(at)),
        )
        // The one that began last: a correction made today does not hide tomorrow's rate.
        .order((fx_rates::valid_from.desc(), fx_rates::id.desc()))
        .select(RateRow::as_select())
        .first(conn)
        .optional()
}

/// Every rate not yet expired at `at` (in force, replaced, or still to come), by pair and age.
pub fn current_and_coming(conn: &mut Connection, at: NaiveDateTime) -> QueryResult<Vec<RateRow>> {
    fx_rates::table
        .filter(
            fx_rates::valid_until
                .is_null()
                .or(fx_rates::valid_until.gt(at)),
        )
        .order((fx_rates::base, fx_rates::quote, fx_rates::id.desc()))
        .select(RateRow::as_select())
        .load(conn)
}

/// A quote, without locking it.
pub fn quote(conn: &mut Connection, id: i64) -> QueryResult<Option<QuoteRow>> {
    fx_quotes::table
        .find(id)
        .select(QuoteRow::as_select())
        .first(conn)
        .optional()
}

/// The quotes used by exchanges whose first leg comes after movement `after`, with their rates.
pub fn quotes_used_after(
    conn: &mut Connection,
    after: i64,
) -> QueryResult<Vec<(QuoteRow, RateRow)>> {
    use super::schema::movements;
    fx_quotes::table
        .inner_join(fx_rates::table)
        .inner_join(
            movements::table.on(movements::idempotency_key
                .nullable()
                .eq(fx_quotes::used_key)
                .and(movements::id.gt(after))),
        )
        .order(fx_quotes::id)
        .select((QuoteRow::as_select(), RateRow::as_select()))
        .load(conn)
}

/// The quotes used by exchanges in `[from, to)`, with their rates, in the order of use.
pub fn quotes_used_between(
    conn: &mut Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(QuoteRow, RateRow)>> {
    fx_quotes::table
        .inner_join(fx_rates::table)
        .filter(fx_quotes::used_at.ge(from))
        .filter(fx_quotes::used_at.lt(to))
        .order(fx_quotes::used_at)
        .select((QuoteRow::as_select(), RateRow::as_select()))
        .load(conn)
}

/// Whether any rate was ever set for `base`/`quote` in this order.
pub fn pair_exists(conn: &mut Connection, base: Currency, quote: Currency) -> QueryResult<bool> {
    use diesel::dsl::exists;
    diesel::select(exists(
        fx_rates::table
            .filter(fx_rates::base.eq(base.as_str()))
            .filter(fx_rates::quote.eq(quote.as_str())),
    ))
    .get_result(conn)
}
