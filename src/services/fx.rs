//! Foreign currency: the currencies the bank trades, its rates, quotes, and money that crosses
//! from one currency to another. Never one movement between two currencies: an exchange is two
//! movements, each inside one currency, through the bank's position account of that currency
//! (TigerBeetle's currency-exchange recipe), written in one transaction, so each currency's
//! books balance by themselves and either both legs happen or neither. See docs/fx.md.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use rust_decimal::Decimal;

use super::accounts::{cash_unit, lock_internal_account, traded, Holder};
use super::authz::{require, require_supervisor};
use super::bank::now;
use super::views::utc;
use super::{Actor, Bank, BankError, BankResult};
use crate::db::{accounts, audit_log, fx, Connection};
use crate::domain::{
    convert, convert_to_unit, default_denominations, format_money_in, margin, parse_denominations,
    Amount, AuditAction, AuditOutcome, Currency, Field, QuoteId, Rate, RatePair, Role, Side,
    ValidationError, QUOTE_SECONDS,
};

/// The currency the bank keeps its books and limits in: the approval limit, the drawer limit
/// and the large-cash line compare an amount's value in it.
pub const BASE_CURRENCY: Currency = Currency::USD;

/// The quotes a customer may hold at once (neither used nor expired): each is a row the bank
/// keeps, so a script cannot fill the table. Staff quote for the customers in front of them.
pub const MAX_OPEN_QUOTES: i64 = 5;

/// The foreign-currency desk: currencies, rates, quotes and exchanges.
pub struct Fx<'b> {
    pub(super) bank: &'b mut Bank,
}

impl Bank {
    pub fn fx(&mut self) -> Fx<'_> {
        Fx { bank: self }
    }
}

/// A currency the bank trades.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyView {
    pub code: Currency,
    pub name: String,
    /// Digits after the point, fixed when the bank added it.
    pub decimals: u32,
    /// Banknotes and coins, in the currency's units, largest first.
    pub denominations: Vec<Decimal>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// A rate the bank set, and whether quotes use it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateView {
    pub id: i64,
    pub base: Currency,
    pub quote: Currency,
    pub buy: Decimal,
    pub sell: Decimal,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub set_by: String,
    pub set_at: DateTime<Utc>,
    /// The newest rate of its pair that is valid now: the one a quote uses.
    pub in_force: bool,
}

/// A quote: what an amount of one currency buys of another, until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteView {
    pub id: QuoteId,
    pub pay: Currency,
    pub get: Currency,
    pub pays: Decimal,
    pub gets: Decimal,
    /// The rate used, of the pair `base`/`quote`, on `side`.
    pub rate: Decimal,
    pub side: Side,
    pub base: Currency,
    pub quote: Currency,
    pub rate_id: i64,
    /// The bank's margin against the mid rate, in `get`.
    pub margin: Decimal,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

fn currency_view(row: fx::CurrencyRow) -> BankResult<CurrencyView> {
    let denominations = if row.denominations.is_empty() {
        Vec::new()
    } else {
        parse_denominations(&row.denominations, row.code)
            .map_err(|e| BankError::Database(format!("currency {}: {e}", row.code)))?
    };
    Ok(CurrencyView {
        name: row.code.name(),
        decimals: u32::try_from(row.minor_units).unwrap_or(2),
        code: row.code,
        denominations,
        added_by: row.added_by,
        added_at: utc(row.added_at),
    })
}

fn rate_view(row: fx::RateRow, in_force: bool) -> RateView {
    RateView {
        id: row.id,
        base: row.base,
        quote: row.quote,
        buy: row.buy.normalize(),
        sell: row.sell.normalize(),
        valid_from: utc(row.valid_from),
        valid_until: row.valid_until.map(utc),
        set_by: row.set_by,
        set_at: utc(row.set_at),
        in_force,
    }
}

pub(super) fn quote_view(row: &fx::QuoteRow, rate: &fx::RateRow) -> QuoteView {
    QuoteView {
        id: QuoteId::from_stored(row.id),
        pay: row.from_currency,
        get: row.to_currency,
        pays: row.from_amount,
        gets: row.to_amount,
        rate: row.rate.normalize(),
        side: row.side,
        base: rate.base,
        quote: rate.quote,
        rate_id: row.rate_id,
        margin: row.margin,
        expires_at: utc(row.expires_at),
        used: row.used_key.is_some(),
    }
}

fn is_valid_at(row: &fx::RateRow, at: NaiveDateTime) -> bool {
    row.valid_from <= at && row.valid_until.is_none_or(|until| at < until)
}

/// The rate in force now between `pay` and `get` (either pair order) and how it converts.
pub(super) fn rate_in_force(
    conn: &mut Connection,
    pay: Currency,
    get: Currency,
    at: NaiveDateTime,
) -> BankResult<(fx::RateRow, RatePair, Side)> {
    for (base, quote) in [(pay, get), (get, pay)] {
        let Some(row) = fx::rate_valid_at(conn, base, quote, at)? else {
            continue;
        };
        let pair = stored_pair(&row)?;
        if let Some(side) = pair.side_for(pay, get) {
            return Ok((row, pair, side));
        }
    }
    Err(BankError::NoRate { pay, get })
}

fn stored_pair(row: &fx::RateRow) -> BankResult<RatePair> {
    let rate = |d: Decimal| Rate::from_decimal(d);
    rate(row.buy)
        .and_then(|buy| RatePair::new(row.base, row.quote, buy, rate(row.sell)?))
        .map_err(|e| BankError::Database(format!("rate {}: {e}", row.id)))
}

/// The position account of `currency`, created on first use: the bank's side of every
/// exchange in that currency.
pub(super) fn lock_position(
    conn: &mut Connection,
    currency: Currency,
) -> BankResult<accounts::AccountRow> {
    let label = format!("position:{currency}");
    lock_internal_account(conn, Holder::Position(&label), currency.as_str())
}

/// An audit line written inside the caller's transaction.
fn audit_in(
    conn: &mut Connection,
    actor: &str,
    device: &str,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> BankResult<()> {
    audit_log::insert(
        conn,
        &audit_log::NewAuditEntry {
            at: now(),
            actor,
            action: action.as_str(),
            subject: Some(subject),
            outcome: AuditOutcome::Ok.as_str(),
            detail: Some(detail),
            approved_by: None,
            device,
        },
    )?;
    Ok(())
}

impl Fx<'_> {
    /// Adds a currency the bank trades (supervisors): its minor units from ISO 4217, its
    /// denominations (`None`: the defaults for a common currency), and its position account.
    pub fn add_currency(
        &mut self,
        actor: &Actor,
        currency: Currency,
        denominations: Option<&str>,
    ) -> BankResult<CurrencyView> {
        let action = AuditAction::CurrencyAdd;
        let subject = currency.as_str();
        let stamp = self.bank.stamp(actor);
        let result = require_supervisor(actor, "add a currency")
            .and_then(|()| {
                let raw = denominations.unwrap_or(default_denominations(currency));
                // A currency nobody lists banknotes for is still tradable between accounts.
                if raw.trim().is_empty() {
                    return Ok(String::new());
                }
                let values = parse_denominations(raw, currency)?;
                Ok(values
                    .iter()
                    .map(|v| format_money_in(*v, currency))
                    .collect::<Vec<_>>()
                    .join(" "))
            })
            .and_then(|denominations| {
                self.bank.in_transaction(|conn| {
                    if fx::currency(conn, currency)?.is_some() {
                        return Err(BankError::AlreadyTraded(currency));
                    }
                    let at = now();
                    let minor_units = i8::try_from(currency.decimals()).unwrap_or(2);
                    fx::insert_currency(
                        conn,
                        &fx::NewCurrency {
                            code: currency.as_str(),
                            minor_units,
                            denominations: &denominations,
                            added_by: &stamp.actor,
                            added_at: at,
                        },
                    )?;
                    let position = lock_position(conn, currency)?;
                    let detail = format!(
                        "{} decimals, position {}, denominations {}",
                        currency.decimals(),
                        position.number,
                        if denominations.is_empty() {
                            "none"
                        } else {
                            &denominations
                        }
                    );
                    audit_in(conn, &stamp.actor, &stamp.device, action, subject, &detail)?;
                    let row = fx::currency(conn, currency)?
                        .ok_or_else(|| BankError::Database("the currency just added".into()))?;
                    currency_view(row)
                })
            });
        match result {
            Err(e) => self.bank.refused(actor, action, Some(subject), e),
            ok => ok,
        }
    }

    /// The currencies the bank trades.
    pub fn currencies(&mut self, actor: &Actor) -> BankResult<Vec<CurrencyView>> {
        require(
            actor.user().is_some() || actor.is_staff(),
            "see the currencies",
        )?;
        fx::currencies(&mut self.bank.conn)?
            .into_iter()
            .map(currency_view)
            .collect()
    }

    /// Sets the bank's rates for a pair (supervisors), valid from `valid_from` (now when
    /// `None`) until `valid_until` (until replaced when `None`). A rate is never changed: a new
    /// one is added, and quotes use the newest valid one.
    pub fn set_rate(
        &mut self,
        actor: &Actor,
        pair: &RatePair,
        valid_from: Option<DateTime<Utc>>,
        valid_until: Option<DateTime<Utc>>,
    ) -> BankResult<RateView> {
        let action = AuditAction::FxRateSet;
        let subject = format!("{}/{}", pair.base, pair.quote);
        let stamp = self.bank.stamp(actor);
        let at = now();
        let from = valid_from.map_or(at, |t| t.naive_utc());
        let until = valid_until.map(|t| t.naive_utc());
        let result = require_supervisor(actor, "set exchange rates").and_then(|()| {
            if until.is_some_and(|until| until <= from) {
                return Err(BankError::Invalid(ValidationError::new(
                    Field::Rate,
                    "the end of the validity must come after its start",
                )));
            }
            self.bank.in_transaction(|conn| {
                traded(conn, pair.base)?;
                traded(conn, pair.quote)?;
                // One order per pair: two orders could disagree (and be traded in a loop).
                if fx::pair_exists(conn, pair.quote, pair.base)? {
                    return Err(BankError::Invalid(ValidationError::new(
                        Field::Rate,
                        format!(
                            "the bank quotes this pair as {}/{}: set it in that order",
                            pair.quote, pair.base
                        ),
                    )));
                }
                let id = fx::insert_rate(
                    conn,
                    &fx::NewRate {
                        base: pair.base.as_str(),
                        quote: pair.quote.as_str(),
                        buy: pair.buy.value(),
                        sell: pair.sell.value(),
                        valid_from: from,
                        valid_until: until,
                        set_by: &stamp.actor,
                        set_at: at,
                    },
                )?;
                let detail = format!(
                    "rate {id}: buy {} sell {}, valid from {}{}",
                    pair.buy,
                    pair.sell,
                    utc(from).to_rfc3339(),
                    until.map_or(String::new(), |u| format!(" until {}", utc(u).to_rfc3339()))
                );
                audit_in(conn, &stamp.actor, &stamp.device, action, &subject, &detail)?;
                let row = fx::rate(conn, id)?;
                let in_force =
                    fx::rate_valid_at(conn, pair.base, pair.quote, at)?.is_some_and(|r| r.id == id);
                Ok(rate_view(row, in_force))
            })
        });
        match result {
            Err(e) => self.bank.refused(actor, action, Some(&subject), e),
            ok => ok,
        }
    }

    /// Every rate in force now or set to come into force, by pair.
    pub fn rates(&mut self, actor: &Actor) -> BankResult<Vec<RateView>> {
        require(actor.user().is_some() || actor.is_staff(), "see the rates")?;
        let at = now();
        let conn = &mut self.bank.conn;
        let rows = fx::current_and_coming(conn, at)?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let in_force = is_valid_at(&row, at)
                && fx::rate_valid_at(conn, row.base, row.quote, at)?
                    .is_some_and(|r| r.id == row.id);
            views.push(rate_view(row, in_force));
        }
        Ok(views)
    }

    /// A quote: what `pays` of `pay` buys of `get` at the rate in force, held for 60 seconds
    /// and used at most once. Anyone logged in may ask (a customer's own app shows one).
    /// `for_cash`: the amount received is paid out of a drawer, so it is rounded down to the
    /// currency's smallest banknote or coin.
    pub fn quote(
        &mut self,
        actor: &Actor,
        pay: Currency,
        get: Currency,
        pays: Amount,
        for_cash: bool,
    ) -> BankResult<QuoteView> {
        let action = AuditAction::FxQuote;
        let subject = format!("{pay}/{get}");
        let stamp = self.bank.stamp(actor);
        let result = require(
            actor.user().is_some() || actor.is_staff(),
            "ask for a quote",
        )
        .and_then(|()| {
            self.bank.in_transaction(|conn| {
                // A customer's quotes are bounded: each is a row the bank keeps.
                if actor.role() == Some(Role::Customer) {
                    let open = fx::open_quotes_of(conn, &stamp.actor, now())?;
                    if open >= MAX_OPEN_QUOTES {
                        return Err(BankError::TooManyQuotes(open));
                    }
                }
                let unit = if for_cash {
                    Some(cash_unit(conn, get)?)
                } else {
                    None
                };
                let (row, rate) =
                    new_quote(conn, &stamp.actor, &stamp.device, pay, get, pays, unit)?;
                Ok(quote_view(&row, &rate))
            })
        });
        match result {
            Err(e) => self.bank.refused(actor, action, Some(&subject), e),
            ok => ok,
        }
    }
}

/// The quotes used since movement `after` whose numbers the rate does not give: a rate other
/// than the pair's buy or sell for its side, currencies other than the pair's, or an amount
/// received other than the amount paid at the rate, rounded down to the minor unit (to the
/// smallest banknote or coin, for cash), a rate not in force when the quote was made, or a
/// margin other than the mid rate's.
pub(super) fn misquoted(
    conn: &mut Connection,
    after: i64,
) -> BankResult<Vec<crate::db::rules::Offender>> {
    let mut offenders = Vec::new();
    for (quote, rate) in fx::quotes_used_after(conn, after)? {
        let pair_rate = match quote.side {
            Side::Buy => (quote.from_currency, quote.to_currency, rate.buy),
            Side::Sell => (quote.to_currency, quote.from_currency, rate.sell),
        };
        let gets = match quote.cash_unit {
            Some(unit) => convert_to_unit(quote.from_amount, quote.side, quote.rate, unit),
            None => convert(quote.from_amount, quote.side, quote.rate, quote.to_currency),
        };
        let mid = (rate.buy + rate.sell) / Decimal::TWO;
        let kept = pair_rate == (rate.base, rate.quote, quote.rate)
            && gets == quote.to_amount
            && is_valid_at(&rate, quote.created_at)
            && margin(quote.from_amount, quote.side, mid, quote.to_currency, gets) == quote.margin;
        if !kept {
            offenders.push(crate::db::rules::Offender {
                row: format!("quote {}", quote.id),
            });
        }
    }
    Ok(offenders)
}

/// The quote, locked, if `actor` can still use it: it exists, is unused and has not expired. A
/// customer uses their own quotes only (another's is "not found"); staff use any, so a quote
/// shown at one till can be confirmed at another.
pub(super) fn usable_quote(
    conn: &mut Connection,
    id: QuoteId,
    actor: &Actor,
) -> BankResult<fx::QuoteRow> {
    let not_found = || BankError::NotFound(format!("Quote {id}"));
    let quote = fx::lock_quote(conn, id.get())?.ok_or_else(not_found)?;
    if !actor.is_staff() && quote.created_by != actor.audit_name() {
        return Err(not_found());
    }
    if quote.used_key.is_some() {
        return Err(BankError::QuoteUsed(id.get()));
    }
    if now() >= quote.expires_at {
        return Err(BankError::QuoteExpired {
            id: id.get(),
            at: utc(quote.expires_at),
        });
    }
    Ok(quote)
}

/// Records a quote at the rate in force, with its audit line; returns it and its rate.
pub(super) fn new_quote(
    conn: &mut Connection,
    actor: &str,
    device: &str,
    pay: Currency,
    get: Currency,
    pays: Amount,
    cash_unit: Option<Decimal>,
) -> BankResult<(fx::QuoteRow, fx::RateRow)> {
    if pay == get {
        return Err(BankError::Invalid(ValidationError::new(
            Field::Currency,
            "an exchange is between two different currencies",
        )));
    }
    traded(conn, pay)?;
    traded(conn, get)?;
    pays.fits(pay)?;
    let at = now();
    let (rate_row, pair, side) = rate_in_force(conn, pay, get, at)?;
    let rate = pair.rate(side).value();
    let gets = match cash_unit {
        Some(unit) => convert_to_unit(pays.value(), side, rate, unit),
        None => convert(pays.value(), side, rate, get),
    };
    if gets.is_zero() {
        return Err(BankError::Invalid(ValidationError::new(
            Field::Amount,
            format!("too small: it buys less than the smallest unit of {get}"),
        )));
    }
    let margin = margin(pays.value(), side, pair.mid(), get, gets);
    let expires_at = at + Duration::seconds(QUOTE_SECONDS);
    let id = fx::insert_quote(
        conn,
        &fx::NewQuote {
            rate_id: rate_row.id,
            side: side.as_str(),
            rate,
            from_currency: pay.as_str(),
            to_currency: get.as_str(),
            from_amount: pays.value(),
            to_amount: gets,
            cash_unit,
            margin,
            created_by: actor,
            created_at: at,
            expires_at,
        },
    )?;
    let detail = format!(
        "quote {id}: {} {pay} -> {} {get} at {} ({}), rate {}",
        format_money_in(pays.value(), pay),
        format_money_in(gets, get),
        rate.normalize(),
        side.as_str(),
        rate_row.id
    );
    audit_in(
        conn,
        actor,
        device,
        AuditAction::FxQuote,
        &format!("{pay}/{get}"),
        &detail,
    )?;
    // Read back as stored (and locked by its insert until this transaction ends).
    let row =
        fx::quote(conn, id)?.ok_or_else(|| BankError::Database("the quote just made".into()))?;
    Ok((row, rate_row))
}

/// `amount` of `currency` in the base currency at the mid rate in force; `None` without a rate.
/// The sum of several amounts, each at its value in the base currency at the mid rate; `None`
/// when one of them is in a currency without a rate to it (never a guess).
pub(super) fn total_at_mid(
    conn: &mut Connection,
    amounts: impl IntoIterator<Item = (Currency, Decimal)>,
) -> BankResult<Option<Decimal>> {
    let mut total = Decimal::ZERO;
    for (currency, amount) in amounts {
        match value_at_mid(conn, currency, amount)? {
            Some(value) => total += value,
            None => return Ok(None),
        }
    }
    Ok(Some(total))
}

pub(super) fn value_at_mid(
    conn: &mut Connection,
    currency: Currency,
    amount: Decimal,
) -> BankResult<Option<Decimal>> {
    if currency == BASE_CURRENCY {
        return Ok(Some(amount));
    }
    match rate_in_force(conn, currency, BASE_CURRENCY, now()) {
        Ok((_, pair, side)) => Ok(Some(convert(amount, side, pair.mid(), BASE_CURRENCY))),
        Err(BankError::NoRate { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
