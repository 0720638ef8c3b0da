//! A money amount typed by a teller for one operation (deposit, withdrawal,
//! transfer). Parsed exactly from text, never through floating point, and never
//! rounded: a third decimal is a typing mistake, not something to guess about.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use super::currency::{Currency, MAX_DECIMALS};
use super::error::{Field, ValidationError};

/// Largest amount accepted in one operation, in cents (1,000,000,000.00).
const MAX_CENTS: i64 = 100_000_000_000;

const MSG_EMPTY: &str = "enter an amount, like 1234.50";
const MSG_FORMAT: &str = "use digits only, like 1234.50 or 1,234.50";
const MSG_POSITIVE: &str = "must be greater than zero";
const MSG_PLUS: &str = "type the amount without a + sign";
const MSG_DECIMALS: &str = "at most 2 decimals (cents)";
const MSG_DECIMALS_ANY: &str = "at most 3 decimals";
const MSG_MAX: &str = "at most 1,000,000,000.00 in one operation";
const MSG_COMMAS: &str = "commas only between groups of three digits, like 1,234,567.50";
const MSG_LEADING_POINT: &str = "write a digit before the decimal point, like 0.50";
const MSG_TRAILING_POINT: &str =
    "write the cents after the decimal point, like 5.00, or leave the point out";

/// A strictly positive amount with at most 3 decimals (2 unless parsed for a currency that has
/// 3) and at most [`Amount::max_value`]. Stored with 2 decimals, or 3 when it has a third.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);

fn err(rule: &str) -> ValidationError {
    ValidationError::new(Field::Amount, rule)
}

impl Amount {
    /// The most one operation may move: 1,000,000,000.00. A cap catches an
    /// extra zero typed by accident before it reaches the ledger.
    pub fn max_value() -> Decimal {
        Decimal::new(MAX_CENTS, 2)
    }

    /// Parses what a teller typed for an amount in a currency with cents (2 decimals):
    /// `1234.50`, `1,234.50`, `007`, `0.01`. Commas are only thousands separators; the decimal
    /// separator is `.`.
    pub fn parse(raw: &str) -> Result<Amount, ValidationError> {
        parse_exact(raw, 2, MSG_DECIMALS)
    }

    /// Parses an amount for `currency`: no decimals for JPY, 3 for KWD, 2 for most.
    pub fn parse_for(raw: &str, currency: Currency) -> Result<Amount, ValidationError> {
        let decimals = currency.decimals();
        parse_exact(raw, decimals, &decimals_rule(currency))
    }

    /// Parses an amount whose currency the caller does not know yet (a command line names the
    /// account, whose currency the bank knows): up to 3 decimals, the most any currency has.
    /// The bank then checks it against the account's currency ([`Amount::fits`]).
    pub fn parse_any(raw: &str) -> Result<Amount, ValidationError> {
        parse_exact(raw, MAX_DECIMALS, MSG_DECIMALS_ANY)
    }

    /// The amount, if `currency` can hold it: no more decimals than its minor unit has.
    pub fn fits(self, currency: Currency) -> Result<Amount, ValidationError> {
        if self.0.normalize().scale() > currency.decimals() {
            return Err(err(&decimals_rule(currency)));
        }
        Ok(self)
    }

    /// Checks a value computed elsewhere (e.g. read from storage) against the
    /// same rules as typed input: > 0, at most 2 decimals, at most the cap.
    pub fn from_decimal(d: Decimal) -> Result<Amount, ValidationError> {
        Self::from_decimal_with(d, 2, MSG_DECIMALS)
    }

    /// [`Amount::from_decimal`] for a value in `currency` (a quote's amounts, a KWD balance).
    pub fn from_decimal_in(d: Decimal, currency: Currency) -> Result<Amount, ValidationError> {
        Self::from_decimal_with(d, currency.decimals(), &decimals_rule(currency))
    }

    fn from_decimal_with(d: Decimal, decimals: u32, rule: &str) -> Result<Amount, ValidationError> {
        if d <= Decimal::ZERO {
            return Err(err(MSG_POSITIVE));
        }
        let value = d.normalize();
        if value.scale() > decimals {
            return Err(err(rule));
        }
        if value > Amount::max_value() {
            return Err(err(MSG_MAX));
        }
        Ok(Amount(at_least_cents(value)))
    }

    /// The exact value, with 2 decimals (3 when it has a third).
    pub fn value(self) -> Decimal {
        self.0
    }
}

/// What an amount with too many decimals for `currency` is told.
fn decimals_rule(currency: Currency) -> String {
    match currency.decimals() {
        0 => format!("no decimals: {currency} has no minor unit, like 1500"),
        2 => MSG_DECIMALS.to_owned(),
        n => format!("at most {n} decimals for {currency}"),
    }
}

/// `value` with at least 2 decimals (how amounts print: "7.00"); exact, as the value is at most
/// 10^9 with at most 3 decimals.
fn at_least_cents(mut value: Decimal) -> Decimal {
    if value.scale() < 2 {
        value.rescale(2);
    }
    value
}

/// The common parser: `max_decimals` digits after the point at most, else `decimals_rule`.
fn parse_exact(
    raw: &str,
    max_decimals: u32,
    decimals_rule: &str,
) -> Result<Amount, ValidationError> {
    let s = raw.trim_matches(|c: char| c.is_ascii_whitespace());
    if s.is_empty() {
        return Err(err(MSG_EMPTY));
    }
    if s.starts_with('-') {
        return Err(err(MSG_POSITIVE));
    }
    if s.starts_with('+') {
        return Err(err(MSG_PLUS));
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(err(MSG_FORMAT));
    }

    let (whole, fraction) = match s.split_once('.') {
        None => (s, ""),
        Some((whole, fraction)) => {
            if !fraction.bytes().all(|b| b.is_ascii_digit()) {
                // A second point, or a comma after the point (1.234,50).
                return Err(err(MSG_FORMAT));
            }
            if whole.is_empty() {
                return Err(err(MSG_LEADING_POINT));
            }
            if fraction.is_empty() {
                return Err(err(MSG_TRAILING_POINT));
            }
            if fraction.len() > max_decimals as usize {
                return Err(err(decimals_rule));
            }
            (whole, fraction)
        }
    };

    let whole_digits = whole_part_digits(whole)?;
    let significant = whole_digits.trim_start_matches('0');
    // 10 digits already exceed the cap; this also keeps the sum below small.
    if significant.len() > 10 {
        return Err(err(MSG_MAX));
    }

    // In thousandths, the smallest unit any currency has.
    let mut total: i64 = 0;
    for b in significant.bytes() {
        total = total * 10 + i64::from(b - b'0');
    }
    total *= 1000;
    let mut fraction_value: i64 = 0;
    for b in fraction.bytes() {
        fraction_value = fraction_value * 10 + i64::from(b - b'0');
    }
    for _ in fraction.len()..3 {
        fraction_value *= 10;
    }
    total += fraction_value;

    if total == 0 {
        return Err(err(MSG_POSITIVE));
    }
    if total > MAX_CENTS * 10 {
        return Err(err(MSG_MAX));
    }
    Ok(Amount(at_least_cents(Decimal::new(total, 3).normalize())))
}

/// Returns the digits of the whole part, with thousands separators checked
/// and removed. `whole` only holds ASCII digits and commas here.
fn whole_part_digits(whole: &str) -> Result<String, ValidationError> {
    if !whole.contains(',') {
        return Ok(whole.to_owned());
    }
    let mut digits = String::with_capacity(whole.len());
    for (i, group) in whole.split(',').enumerate() {
        let ok = if i == 0 {
            (1..=3).contains(&group.len())
        } else {
            group.len() == 3
        };
        if !ok {
            return Err(err(MSG_COMMAS));
        }
        digits.push_str(group);
    }
    Ok(digits)
}

impl fmt::Display for Amount {
    /// Exactly 2 decimals, no grouping: "1234.50".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_money(self.0))
    }
}

/// Prints any balance or amount exactly, with at least 2 decimals ("-12.50", "0.00", "1.235"),
/// no grouping; for logs, CSV and the CLI where the currency is not at hand. The ledger keeps
/// at most 3 decimals; a computed value with more is rounded half-to-even to 3 as a last resort
/// rather than printed with a confusing number of decimals.
pub fn format_money(d: Decimal) -> String {
    format_decimals(d, 2)
}

/// Prints an amount of `currency` with its own decimals: "1500" yen, "12.50" dollars, "1.250"
/// dinars. A value with more decimals than the currency has prints them all (never rounded
/// into something it is not).
pub fn format_money_in(d: Decimal, currency: Currency) -> String {
    format_decimals(d, currency.decimals())
}

fn format_decimals(d: Decimal, at_least: u32) -> String {
    let mut value = if d.scale() > MAX_DECIMALS {
        d.round_dp_with_strategy(MAX_DECIMALS, RoundingStrategy::MidpointNearestEven)
    } else {
        d
    }
    .normalize();
    if value.is_zero() {
        // Never print "-0.00".
        value = Decimal::ZERO;
    }
    // Pad the text instead of rescaling, so even 28-digit values stay exact.
    let mut text = value.to_string();
    if at_least == 0 {
        return text;
    }
    match text.find('.') {
        None => {
            text.push('.');
            for _ in 0..at_least {
                text.push('0');
            }
        }
        Some(point) => {
            for _ in (text.len() - point - 1)..at_least as usize {
                text.push('0');
            }
        }
    }
    text
}

/// Same as [`format_money`] with thousands separators, for screens:
/// "1,234,567.50", "-1,000.00".
pub fn format_money_grouped(d: Decimal) -> String {
    group_thousands(&format_money(d))
}

/// Same as [`format_money_in`] with thousands separators, for screens: "1,500" yen.
pub fn format_money_grouped_in(d: Decimal, currency: Currency) -> String {
    group_thousands(&format_money_in(d, currency))
}

fn group_thousands(plain: &str) -> String {
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let mut grouped = String::with_capacity(plain.len() + whole.len() / 3);
    grouped.push_str(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(fraction) = fraction {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn rule_of(raw: &str) -> String {
        let e = Amount::parse(raw).unwrap_err();
        assert_eq!(e.field, Field::Amount, "{raw:?}");
        e.rule
    }

    #[test]
    fn accepts_common_forms() {
        for (raw, want) in [
            ("1234.50", "1234.50"),
            ("1,234.50", "1234.50"),
            ("1,234,567", "1234567"),
            ("  12.3\t", "12.30"),
            ("007", "7"),
            ("0.01", "0.01"),
            ("0,001.10", "1.10"),
            ("999", "999"),
            ("1000000000", "1000000000"),
            ("1,000,000,000.00", "1000000000"),
        ] {
            let a = Amount::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(a.value(), dec(want), "{raw:?}");
            assert_eq!(a.value().scale(), 2);
        }
    }

    #[test]
    fn refuses_listed_inputs_with_amount_field() {
        let cases = [
            ("", MSG_EMPTY),
            ("   ", MSG_EMPTY),
            ("0", MSG_POSITIVE),
            ("0.00", MSG_POSITIVE),
            ("000", MSG_POSITIVE),
            ("-5", MSG_POSITIVE),
            ("+5", MSG_PLUS),
            ("1e3", MSG_FORMAT),
            ("NaN", MSG_FORMAT),
            ("inf", MSG_FORMAT),
            ("1.005", MSG_DECIMALS),
            ("1.000", MSG_DECIMALS),
            ("5.", MSG_TRAILING_POINT),
            (".5", MSG_LEADING_POINT),
            ("1,23", MSG_COMMAS),
            ("12,34.5", MSG_COMMAS),
            (",123", MSG_COMMAS),
            ("1,,234", MSG_COMMAS),
            ("1234,567", MSG_COMMAS),
            ("1,234,", MSG_COMMAS),
            ("1 234", MSG_FORMAT),
            ("1'234", MSG_FORMAT),
            ("1_234", MSG_FORMAT),
            ("1.234,50", MSG_FORMAT),
            ("1.2.3", MSG_FORMAT),
            ("١٢٣", MSG_FORMAT),
            ("１２３", MSG_FORMAT),
            ("$5", MSG_FORMAT),
            ("1000000000.01", MSG_MAX),
            ("1,000,000,001", MSG_MAX),
            ("99999999999999999999999999999999999", MSG_MAX),
        ];
        for (raw, want) in cases {
            assert_eq!(rule_of(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn messages_read_as_plain_sentences() {
        let e = Amount::parse("0").unwrap_err();
        assert_eq!(e.to_string(), "Amount: must be greater than zero");
        assert_eq!(e.code(), "invalid_amount");
        assert_eq!(
            Amount::parse("1.005").unwrap_err().to_string(),
            "Amount: at most 2 decimals (cents)"
        );
        assert_eq!(
            Amount::parse("1000000000.01").unwrap_err().to_string(),
            "Amount: at most 1,000,000,000.00 in one operation"
        );
    }

    #[test]
    fn max_value_is_one_billion() {
        assert_eq!(Amount::max_value(), dec("1000000000.00"));
    }

    #[test]
    fn from_decimal_rules() {
        assert_eq!(
            Amount::from_decimal(dec("1.5")).unwrap().to_string(),
            "1.50"
        );
        assert_eq!(
            Amount::from_decimal(dec("1.5000")).unwrap().to_string(),
            "1.50"
        );
        assert_eq!(
            Amount::from_decimal(dec("1000000000")).unwrap().value(),
            Amount::max_value()
        );
        for bad in [
            "0",
            "0.000",
            "-1",
            "0.001",
            "1.005",
            "1000000000.01",
            "79228162514264337593543950335",
        ] {
            let e = Amount::from_decimal(dec(bad)).unwrap_err();
            assert_eq!(e.field, Field::Amount, "{bad}");
        }
    }

    #[test]
    fn display_has_two_decimals_no_grouping() {
        assert_eq!(Amount::parse("1,234.5").unwrap().to_string(), "1234.50");
        assert_eq!(Amount::parse("7").unwrap().to_string(), "7.00");
    }

    #[test]
    fn format_money_examples() {
        assert_eq!(format_money(dec("-12.5")), "-12.50");
        assert_eq!(format_money(Decimal::ZERO), "0.00");
        assert_eq!(format_money(dec("0.000")), "0.00");
        assert_eq!(format_money(dec("-0.001")), "-0.001");
        assert_eq!(format_money(dec("-0.0004")), "0.00");
        assert_eq!(format_money(dec("1234.5")), "1234.50");
        assert_eq!(format_money(dec("2.345")), "2.345"); // exact: a dinar amount
        assert_eq!(format_money(dec("2.3455")), "2.346"); // half to even, last resort
        assert_eq!(format_money(dec("2.3445")), "2.344");
        assert_eq!(format_money(dec("12.500")), "12.50");
        assert_eq!(
            format_money(Decimal::MAX),
            "79228162514264337593543950335.00"
        );
        assert_eq!(
            format_money(Decimal::MIN),
            "-79228162514264337593543950335.00"
        );
    }

    #[test]
    fn amounts_follow_their_currency() {
        let jpy = Currency::JPY;
        let kwd = Currency::KWD;
        assert_eq!(
            Amount::parse_for("1,500", jpy).unwrap().value(),
            dec("1500")
        );
        assert_eq!(
            Amount::parse_for("1500.5", jpy).unwrap_err().rule,
            "no decimals: JPY has no minor unit, like 1500"
        );
        assert_eq!(
            Amount::parse_for("1.000", jpy).unwrap_err().rule,
            "no decimals: JPY has no minor unit, like 1500"
        );
        assert_eq!(
            Amount::parse_for("1.235", kwd).unwrap().value(),
            dec("1.235")
        );
        assert_eq!(
            Amount::parse_for("1.2345", kwd).unwrap_err().rule,
            "at most 3 decimals for KWD"
        );
        assert_eq!(
            Amount::parse_for("1.234", Currency::USD).unwrap_err().rule,
            MSG_DECIMALS
        );
        // Parsed before the currency is known, checked once it is: never rounded.
        let any = Amount::parse_any("2.345").unwrap();
        assert_eq!(any.value(), dec("2.345"));
        assert!(any.fits(kwd).is_ok());
        assert_eq!(any.fits(Currency::USD).unwrap_err().rule, MSG_DECIMALS);
        assert!(Amount::parse_any("2.30")
            .unwrap()
            .fits(Currency::USD)
            .is_ok());
        assert!(Amount::parse_any("2.3").unwrap().fits(jpy).is_err());
        assert!(Amount::parse_any("2.000").unwrap().fits(jpy).is_ok());
        assert_eq!(
            Amount::parse_any("1.2345").unwrap_err().rule,
            MSG_DECIMALS_ANY
        );
        assert_eq!(
            Amount::from_decimal_in(dec("1.235"), kwd).unwrap().value(),
            dec("1.235")
        );
        assert!(Amount::from_decimal_in(dec("1.5"), jpy).is_err());

        assert_eq!(format_money_in(dec("1500.00"), jpy), "1500");
        assert_eq!(format_money_in(dec("1.250"), kwd), "1.250");
        assert_eq!(format_money_in(dec("12.5"), Currency::USD), "12.50");
        assert_eq!(format_money_in(dec("0.5"), jpy), "0.5"); // never rounded away
        assert_eq!(format_money_grouped_in(dec("-1234567"), jpy), "-1,234,567");
        assert_eq!(format_money_grouped_in(dec("1234.5"), kwd), "1,234.500");
    }

    #[test]
    fn format_money_grouped_examples() {
        assert_eq!(format_money_grouped(dec("1234567.5")), "1,234,567.50");
        assert_eq!(format_money_grouped(dec("-1000")), "-1,000.00");
        assert_eq!(format_money_grouped(dec("999.99")), "999.99");
        assert_eq!(format_money_grouped(dec("-100")), "-100.00");
        assert_eq!(format_money_grouped(Decimal::ZERO), "0.00");
        assert_eq!(format_money_grouped(dec("100000")), "100,000.00");
    }

    proptest! {
        #[test]
        fn valid_amounts_round_trip_plain_and_grouped(cents in 1i64..=MAX_CENTS) {
            let d = Decimal::new(cents, 2);
            for text in [format_money(d), format_money_grouped(d), d.normalize().to_string()] {
                let a = Amount::parse(&text).unwrap();
                prop_assert_eq!(a.value(), d);
                prop_assert_eq!(Amount::parse(&a.to_string()).unwrap(), a);
            }
            prop_assert_eq!(Amount::from_decimal(d).unwrap().value(), d);
        }

        #[test]
        fn three_or_more_decimals_are_refused_never_rounded(
            whole in 0u64..=1_000_000_000,
            frac in "[0-9]{3,10}",
        ) {
            let raw = format!("{whole}.{frac}");
            prop_assert_eq!(rule_of(&raw), MSG_DECIMALS);
            if let Ok(d) = Decimal::from_str(&raw) {
                if d.normalize().scale() > 2 {
                    prop_assert_eq!(
                        Amount::from_decimal(d).unwrap_err().rule,
                        MSG_DECIMALS.to_owned()
                    );
                }
            }
        }

        #[test]
        fn over_the_cap_is_refused(cents in (MAX_CENTS + 1)..i64::MAX / 2) {
            let d = Decimal::new(cents, 2);
            prop_assert_eq!(rule_of(&format_money_grouped(d)), MSG_MAX);
            prop_assert_eq!(Amount::from_decimal(d).unwrap_err().rule, MSG_MAX.to_owned());
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            if let Ok(a) = Amount::parse(&raw) {
                prop_assert!(a.value() > Decimal::ZERO && a.value() <= Amount::max_value());
            }
        }

        #[test]
        fn number_like_text_is_exact_when_accepted(raw in "[ 0-9.,+-]{0,16}") {
            if let Ok(a) = Amount::parse(&raw) {
                let cleaned: String = raw.trim().chars().filter(|c| *c != ',').collect();
                prop_assert_eq!(a.value(), Decimal::from_str_exact(&cleaned).unwrap());
            }
        }

        #[test]
        fn any_decimal_never_panics(mantissa in any::<i64>(), scale in 0u32..=28) {
            let d = Decimal::new(mantissa, scale);
            let _ = Amount::from_decimal(d);
            let plain = format_money(d);
            let decimals = plain.split_once('.').map(|(_, c)| c.len());
            prop_assert!(matches!(decimals, Some(2 | 3)), "{plain}");
            prop_assert_eq!(format_money_grouped(d).replace(',', ""), plain);
            // Exact whenever the ledger could hold the value (3 decimals at most).
            if d.normalize().scale() <= 3 {
                prop_assert_eq!(Decimal::from_str_exact(&format_money(d)).unwrap(), d);
            }
        }
    }
}
