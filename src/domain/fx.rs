//! Exchange rates and a quote's arithmetic. A rate pair names a base and a quote currency:
//! `buy` is what the bank pays, in the quote currency, for one unit of the base it buys; `sell`
//! what it asks for one unit it sells, so `sell > buy` (the spread is the bank's margin). The
//! amount a customer gets is rounded *down* to its currency's minor unit: the bank never pays
//! out a fraction of a cent (or any yen) the rate does not give.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use super::currency::Currency;
use super::error::{Field, ValidationError};

/// Digits a rate keeps after the point (the rate columns are `DECIMAL(24,8)`).
pub const RATE_DECIMALS: u32 = 8;

/// How long a quote holds, in seconds.
pub const QUOTE_SECONDS: i64 = 60;

/// A positive exchange rate with at most 8 decimals, below a billion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rate(Decimal);

fn rate_error(rule: &str) -> ValidationError {
    ValidationError::new(Field::Rate, rule)
}

impl Rate {
    /// Parses a rate typed as text ("0.9", "151.25"): digits and one point, never a float.
    pub fn parse(raw: &str) -> Result<Rate, ValidationError> {
        let s = raw.trim();
        let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || s.ends_with('.') {
            return Err(rate_error(
                "write the rate as digits with a point, like 0.9312",
            ));
        }
        let value = Decimal::from_str_exact(s)
            .map_err(|_| rate_error("write the rate as digits with a point, like 0.9312"))?;
        Self::from_decimal(value)
    }

    /// Checks a stored or computed rate by the same rules.
    pub fn from_decimal(value: Decimal) -> Result<Rate, ValidationError> {
        let value = value.normalize();
        if value <= Decimal::ZERO {
            return Err(rate_error("must be greater than zero"));
        }
        if value.scale() > RATE_DECIMALS {
            return Err(rate_error("at most 8 decimals"));
        }
        if value >= Decimal::from(1_000_000_000) {
            return Err(rate_error("must be below 1,000,000,000"));
        }
        Ok(Rate(value))
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The bank's two rates for a pair of currencies it trades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatePair {
    pub base: Currency,
    pub quote: Currency,
    pub buy: Rate,
    pub sell: Rate,
}

impl RatePair {
    /// Two different currencies, and the bank sells dearer than it buys.
    pub fn new(
        base: Currency,
        quote: Currency,
        buy: Rate,
        sell: Rate,
    ) -> Result<RatePair, ValidationError> {
        if base == quote {
            return Err(rate_error("a rate is between two different currencies"));
        }
        if sell <= buy {
            return Err(rate_error(
                "the sell rate must be above the buy rate (the bank's margin)",
            ));
        }
        Ok(RatePair {
            base,
            quote,
            buy,
            sell,
        })
    }

    /// The mid rate, against which a quote's margin is counted.
    pub fn mid(&self) -> Decimal {
        (self.buy.value() + self.sell.value()) / Decimal::TWO
    }

    /// How this pair turns `pay` into `get`, if it is their pair: buying the base when the
    /// customer pays it, selling it when the customer gets it.
    pub fn side_for(&self, pay: Currency, get: Currency) -> Option<Side> {
        if (pay, get) == (self.base, self.quote) {
            Some(Side::Buy)
        } else if (pay, get) == (self.quote, self.base) {
            Some(Side::Sell)
        } else {
            None
        }
    }

    /// The rate a quote on `side` uses.
    pub fn rate(&self, side: Side) -> Rate {
        match side {
            Side::Buy => self.buy,
            Side::Sell => self.sell,
        }
    }
}

/// Which of its pair's rates a quote used: `Buy` when the customer pays the pair's base (the
/// amount paid is multiplied by the rate), `Sell` when they get it (divided by the rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "buy",
            Side::Sell => "sell",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Side> {
        match raw {
            "buy" => Some(Side::Buy),
            "sell" => Some(Side::Sell),
            _ => None,
        }
    }
}

/// What `paid` buys of `get` at `rate` on `side`, rounded down to `get`'s minor unit (zero if
/// the amount buys less than one).
pub fn convert(paid: Decimal, side: Side, rate: Decimal, get: Currency) -> Decimal {
    let exact = at_rate(paid, side, rate);
    exact.round_dp_with_strategy(get.decimals(), RoundingStrategy::ToZero)
}

/// [`convert`] rounded down to a multiple of `unit` instead (cash paid out: a drawer pays in its
/// smallest banknote or coin, 0.05 Canadian dollars, say); `unit` must be positive.
pub fn convert_to_unit(paid: Decimal, side: Side, rate: Decimal, unit: Decimal) -> Decimal {
    let exact = at_rate(paid, side, rate);
    if unit <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    (exact / unit).floor() * unit
}

/// The bank's margin on a quote, in `get`: what the mid rate would pay, rounded half-even to the
/// minor unit, less what the customer gets.
pub fn margin(paid: Decimal, side: Side, mid: Decimal, get: Currency, gets: Decimal) -> Decimal {
    let at_mid = at_rate(paid, side, mid)
        .round_dp_with_strategy(get.decimals(), RoundingStrategy::MidpointNearestEven);
    (at_mid - gets).max(Decimal::ZERO)
}

fn at_rate(paid: Decimal, side: Side, rate: Decimal) -> Decimal {
    match side {
        Side::Buy => paid * rate,
        Side::Sell => paid / rate,
    }
}

/// A quote's number, as the bank gave it (`teller fx quote` prints it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuoteId(i64);

impl QuoteId {
    pub fn parse(raw: &str) -> Result<QuoteId, ValidationError> {
        let s = raw.trim();
        s.parse::<i64>()
            .ok()
            .filter(|id| *id > 0 && s.bytes().all(|b| b.is_ascii_digit()))
            .map(QuoteId)
            .ok_or_else(|| ValidationError::new(Field::Quote, "a quote number, like 42"))
    }

    /// A number the database gave.
    pub fn from_stored(id: i64) -> QuoteId {
        QuoteId(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for QuoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn usd_eur() -> RatePair {
        RatePair::new(
            Currency::USD,
            Currency::EUR,
            Rate::parse("0.90").unwrap(),
            Rate::parse("0.94").unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn the_issue_example_100_dollars_buy_90_euros() {
        let pair = usd_eur();
        let side = pair.side_for(Currency::USD, Currency::EUR).unwrap();
        assert_eq!(side, Side::Buy);
        let gets = convert(dec("100.00"), side, pair.rate(side).value(), Currency::EUR);
        assert_eq!(gets, dec("90.00"));
        // Mid 0.92: 92.00 at mid, so the bank keeps 2.00 euros.
        assert_eq!(
            margin(dec("100.00"), side, pair.mid(), Currency::EUR, gets),
            dec("2.00")
        );
    }

    #[test]
    fn selling_the_base_divides_and_rounds_down() {
        let pair = usd_eur();
        let side = pair.side_for(Currency::EUR, Currency::USD).unwrap();
        assert_eq!(side, Side::Sell);
        // 500 / 0.94 = 531.914893...: 531.91 dollars, never 531.92.
        let gets = convert(dec("500"), side, pair.rate(side).value(), Currency::USD);
        assert_eq!(gets, dec("531.91"));
        assert!(margin(dec("500"), side, pair.mid(), Currency::USD, gets) > Decimal::ZERO);
        assert_eq!(pair.side_for(Currency::USD, Currency::GBP), None);
    }

    #[test]
    fn minor_units_of_the_currency_paid_out() {
        let usd_jpy = RatePair::new(
            Currency::USD,
            Currency::JPY,
            Rate::parse("149.5").unwrap(),
            Rate::parse("151.5").unwrap(),
        )
        .unwrap();
        assert_eq!(
            convert(dec("10.01"), Side::Buy, usd_jpy.buy.value(), Currency::JPY),
            dec("1496")
        );
        let kwd = convert(dec("100"), Side::Buy, dec("0.30712"), Currency::KWD);
        assert_eq!(kwd, dec("30.712"));
        assert_eq!(
            convert(dec("1"), Side::Sell, dec("151.5"), Currency::JPY),
            Decimal::ZERO
        );
    }

    #[test]
    fn cash_is_paid_in_the_smallest_coin() {
        // 12.3799 Canadian dollars: the drawer pays 12.35 (no 0.01 coin), never 12.40.
        let paid = dec("13.01");
        let gets = convert_to_unit(paid, Side::Buy, dec("0.9516"), dec("0.05"));
        assert_eq!(gets.normalize(), dec("12.35"));
        assert_eq!(
            convert(paid, Side::Buy, dec("0.9516"), Currency::CAD),
            dec("12.38")
        );
        assert_eq!(
            convert_to_unit(dec("1"), Side::Sell, dec("3"), dec("0.01")),
            dec("0.33")
        );
        assert_eq!(
            convert_to_unit(dec("1"), Side::Buy, dec("3"), dec("0")),
            Decimal::ZERO
        );
    }

    #[test]
    fn rates_are_refused_in_plain_words() {
        for bad in [
            "",
            "-1",
            "0",
            "0.000",
            "1e3",
            "1,5",
            ".5",
            "5.",
            "0.123456789",
            "1000000000",
        ] {
            assert_eq!(Rate::parse(bad).unwrap_err().field, Field::Rate, "{bad:?}");
        }
        let r = |s| Rate::parse(s).unwrap();
        let same = RatePair::new(Currency::USD, Currency::USD, r("1"), r("2"));
        assert!(same.is_err());
        let crossed = RatePair::new(Currency::USD, Currency::EUR, r("0.94"), r("0.90"));
        assert_eq!(crossed.unwrap_err().code(), "invalid_rate");
        assert!(RatePair::new(Currency::USD, Currency::EUR, r("0.9"), r("0.9")).is_err());
    }

    #[test]
    fn quote_numbers() {
        assert_eq!(QuoteId::parse(" 42 ").unwrap().get(), 42);
        for bad in ["", "0", "-3", "+3", "4a", "99999999999999999999"] {
            assert!(QuoteId::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn the_customer_never_gets_more_than_the_rate_gives(
            cents in 1i64..100_000_000_000,
            rate_units in 1i64..10_000_000_000,
            buy in any::<bool>(),
        ) {
            let paid = Decimal::new(cents, 2);
            let rate = Decimal::new(rate_units, 6);
            let side = if buy { Side::Buy } else { Side::Sell };
            // Checked against the product or quotient written out here, not the helper.
            let exact = if buy { paid * rate } else { paid / rate };
            for get in [Currency::JPY, Currency::USD, Currency::KWD] {
                let gets = convert(paid, side, rate, get);
                prop_assert!(gets <= exact);
                prop_assert!(gets.normalize().scale() <= get.decimals());
                let unit = Decimal::new(1, get.decimals());
                prop_assert!(exact - gets < unit);
                let cash = convert_to_unit(paid, side, rate, Decimal::new(5, 2));
                prop_assert!(cash <= exact && exact - cash < Decimal::new(5, 2));
                prop_assert!((cash / Decimal::new(5, 2)).fract().is_zero());
            }
        }
    }
}
