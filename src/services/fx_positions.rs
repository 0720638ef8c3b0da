//! Each currency's exchange position of a day, for end of day: what the bank bought and sold of
//! it, at what average rates against the base currency, and what the exchanges earned (their
//! quotes' margins), valued in the base currency.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use super::ctr::day_bounds;
use super::fx::BASE_CURRENCY;
use super::BankResult;
use crate::db::{fx, Connection};
use crate::domain::Currency;

/// One currency's exchanges of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyPosition {
    pub currency: Currency,
    /// Exchanges with this currency on one side.
    pub exchanges: i64,
    /// Received from customers (the bank bought it).
    pub bought: Decimal,
    /// Paid out to customers (the bank sold it).
    pub sold: Decimal,
    /// Units of this currency per unit of the base currency, over the exchanges against the
    /// base currency: what the bank bought at, and sold at. `None` without such exchanges (and
    /// for the base currency itself).
    pub average_buy_rate: Option<Decimal>,
    pub average_sell_rate: Option<Decimal>,
    /// The margins of its exchanges against the base currency, in the base currency.
    pub result: Decimal,
    /// Exchanges between two other currencies whose margin is not valued here.
    pub unvalued: i64,
}

#[derive(Default)]
struct Sums {
    exchanges: i64,
    bought: Decimal,
    sold: Decimal,
    bought_vs_base: Decimal,
    base_paid: Decimal,
    sold_vs_base: Decimal,
    base_received: Decimal,
    result: Decimal,
    unvalued: i64,
}

/// The positions of `date`'s exchanges, one per currency that was exchanged, by code.
pub(super) fn day_positions(
    conn: &mut Connection,
    date: NaiveDate,
) -> BankResult<Vec<CurrencyPosition>> {
    let (start, end) = day_bounds(date);
    let mut sums: std::collections::BTreeMap<&'static str, (Currency, Sums)> = Default::default();
    for (quote, rate) in fx::quotes_used_between(conn, start, end)? {
        let (pay, get) = (quote.from_currency, quote.to_currency);
        let margin = margin_in_base(&quote, &rate);
        for currency in [pay, get] {
            let entry = &mut sums
                .entry(currency.as_str())
                .or_insert_with(|| (currency, Sums::default()))
                .1;
            entry.exchanges += 1;
            if currency == pay {
                entry.bought += quote.from_amount;
                if get == BASE_CURRENCY {
                    entry.bought_vs_base += quote.from_amount;
                    entry.base_paid += quote.to_amount;
                }
            } else {
                entry.sold += quote.to_amount;
                if pay == BASE_CURRENCY {
                    entry.sold_vs_base += quote.to_amount;
                    entry.base_received += quote.from_amount;
                }
            }
            // The margin is the foreign side's: counted once, on the currency not the base.
            let foreign = if pay == BASE_CURRENCY { get } else { pay };
            if currency == foreign {
                match margin {
                    Some(m) => entry.result += m,
                    None => entry.unvalued += 1,
                }
            }
        }
    }
    Ok(sums
        .into_values()
        .map(|(currency, s)| CurrencyPosition {
            currency,
            exchanges: s.exchanges,
            bought: currency.in_minor_units(s.bought),
            sold: currency.in_minor_units(s.sold),
            average_buy_rate: rate_of(s.bought_vs_base, s.base_paid),
            average_sell_rate: rate_of(s.sold_vs_base, s.base_received),
            result: BASE_CURRENCY.in_minor_units(s.result.round_dp_with_strategy(
                BASE_CURRENCY.decimals(),
                RoundingStrategy::MidpointNearestEven,
            )),
            unvalued: s.unvalued,
        })
        .collect())
}

fn rate_of(foreign: Decimal, base: Decimal) -> Option<Decimal> {
    (!base.is_zero()).then(|| {
        (foreign / base)
            .round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven)
            .normalize()
    })
}

/// A quote's margin (in the currency paid out) in the base currency, at its rate's mid; `None`
/// for an exchange between two other currencies.
fn margin_in_base(quote: &fx::QuoteRow, rate: &fx::RateRow) -> Option<Decimal> {
    let mid = (rate.buy + rate.sell) / Decimal::TWO;
    let margin_currency = quote.to_currency;
    if margin_currency == BASE_CURRENCY {
        Some(quote.margin)
    } else if rate.base == BASE_CURRENCY && rate.quote == margin_currency && !mid.is_zero() {
        Some(quote.margin / mid)
    } else if rate.quote == BASE_CURRENCY && rate.base == margin_currency {
        Some(quote.margin * mid)
    } else {
        None
    }
}
