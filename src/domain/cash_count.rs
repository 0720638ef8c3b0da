//! Banknotes and coins counted in a cash drawer, by denomination: how a teller counts the
//! opening float and the cash at closing.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::amount::Amount;
use super::currency::Currency;
use super::error::{Field, ValidationError};

/// The US dollar's banknotes and coins, in cents, largest first (the screens' count form; every
/// currency's own list is the bank's setting, `teller currency add`).
pub const DENOMINATIONS_CENTS: [i64; 12] =
    [10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 25, 10, 5, 1];

/// The largest banknote value a count takes, in cents: 100,000 (a 10,000 yen note is 10000).
const MAX_DENOMINATION_CENTS: i64 = 10_000_000;

/// The most pieces of one denomination a count may hold.
const MAX_PIECES: u32 = 1_000_000;

/// How many pieces of each denomination were counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CashCount(BTreeMap<i64, u32>);

impl CashCount {
    /// Parses "100x3 20x5 0.25x4" (commas also separate; `×` works for `x`). An empty text is
    /// an empty drawer.
    pub fn parse(raw: &str) -> Result<CashCount, ValidationError> {
        // "0" is how an empty count prints.
        if raw.trim() == "0" {
            return Ok(CashCount::default());
        }
        let mut pieces = Vec::new();
        for token in raw.split([' ', ',', ';']).filter(|t| !t.is_empty()) {
            let token = token.replace('×', "x");
            let (denomination, count) = token.split_once(['x', 'X']).ok_or_else(|| {
                invalid(format!(
                    "write each denomination as value x count, like 20x5, not {token:?}"
                ))
            })?;
            let cents = denomination_cents(denomination)?;
            let count: u32 = count
                .parse()
                .ok()
                .filter(|c: &u32| *c <= MAX_PIECES && count.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    invalid(format!(
                        "the count of {denomination} must be a whole number up to {MAX_PIECES}"
                    ))
                })?;
            pieces.push((cents, count));
        }
        Self::from_counts(&pieces)
    }

    /// Builds a count from (denomination in cents, pieces) pairs.
    pub fn from_counts(pieces: &[(i64, u32)]) -> Result<CashCount, ValidationError> {
        let mut counts = BTreeMap::new();
        for &(cents, count) in pieces {
            if !(1..=MAX_DENOMINATION_CENTS).contains(&cents) {
                return Err(invalid(format!(
                    "{} is not a banknote or coin",
                    Decimal::new(cents, 2)
                )));
            }
            if count > MAX_PIECES {
                return Err(invalid(format!(
                    "at most {MAX_PIECES} pieces of one denomination"
                )));
            }
            if counts.insert(cents, count).is_some() {
                return Err(invalid(format!(
                    "{} is counted twice",
                    Decimal::new(cents, 2)
                )));
            }
        }
        counts.retain(|_, count| *count > 0);
        Ok(CashCount(counts))
    }

    /// The count, if every denomination in it is one of `allowed` (in cents), the banknotes and
    /// coins of `currency`.
    pub fn only(&self, allowed: &[i64], currency: &str) -> Result<&CashCount, ValidationError> {
        match self.0.keys().find(|cents| !allowed.contains(cents)) {
            None => Ok(self),
            Some(cents) => {
                let list: Vec<String> = allowed.iter().map(|c| denomination_text(*c)).collect();
                Err(invalid(format!(
                    "{} is not a {currency} banknote or coin ({})",
                    denomination_text(*cents),
                    list.join(", ")
                )))
            }
        }
    }

    /// Pieces counted of a denomination (in cents).
    pub fn pieces(&self, cents: i64) -> u32 {
        self.0.get(&cents).copied().unwrap_or(0)
    }

    /// (cents, pieces) of every denomination counted, smallest first.
    pub fn counts(&self) -> Vec<(i64, u32)> {
        self.0
            .iter()
            .map(|(cents, pieces)| (*cents, *pieces))
            .collect()
    }

    /// Both counts together (a vault receiving cash).
    pub fn plus(&self, other: &CashCount) -> CashCount {
        let mut counts = self.0.clone();
        for (cents, pieces) in &other.0 {
            let held = counts.entry(*cents).or_default();
            *held = held.saturating_add(*pieces);
        }
        CashCount(counts)
    }

    /// What is left after `other` is taken out, or the first denomination there is not enough
    /// of: (denomination, pieces held, pieces wanted).
    pub fn minus(&self, other: &CashCount) -> Result<CashCount, Shortfall> {
        let mut counts = self.0.clone();
        for (cents, wanted) in other.0.iter().rev() {
            let held = counts.get(cents).copied().unwrap_or(0);
            if held < *wanted {
                return Err(Shortfall {
                    cents: *cents,
                    held,
                    wanted: *wanted,
                });
            }
            counts.insert(*cents, held - wanted);
        }
        counts.retain(|_, pieces| *pieces > 0);
        Ok(CashCount(counts))
    }

    /// The value of everything counted.
    pub fn total(&self) -> Decimal {
        let cents: i64 = self
            .0
            .iter()
            .map(|(value, count)| value * i64::from(*count))
            .sum();
        Decimal::new(cents, 2)
    }
}

/// Not enough pieces of one denomination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// The denomination, in cents.
    pub cents: i64,
    pub held: u32,
    pub wanted: u32,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The pieces held stay unsaid: a refused request must not tell the vault's count.
        write!(f, "not enough pieces of {}", denomination_text(self.cents))
    }
}

impl fmt::Display for CashCount {
    /// "100x3 20x5 0.25x4", largest first; an empty count is "0".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("0");
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .rev()
            .map(|(cents, count)| format!("{}x{count}", denomination_text(*cents)))
            .collect();
        f.write_str(&parts.join(" "))
    }
}

fn denomination_text(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        Decimal::new(cents, 2).to_string()
    }
}

/// A banknote's or coin's value as typed ("20", "0.25"): positive, at most 2 decimals (cash is
/// counted in cents), at most 100,000. Which values a currency has is the bank's setting
/// (`CashCount::only`).
fn denomination_cents(raw: &str) -> Result<i64, ValidationError> {
    let not_a_value = || {
        invalid(format!(
            "{raw} is not a banknote or coin value, like 20 or 0.25"
        ))
    };
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(not_a_value());
    }
    let value = Decimal::from_str_exact(raw).map_err(|_| not_a_value())?;
    let cents = value * Decimal::ONE_HUNDRED;
    if !cents.fract().is_zero() {
        return Err(invalid(format!(
            "{raw}: cash is counted in cents, at most 2 decimals"
        )));
    }
    i64::try_from(cents.trunc())
        .ok()
        .filter(|c| (1..=MAX_DENOMINATION_CENTS).contains(c))
        .ok_or_else(not_a_value)
}

/// Parses a currency's list of banknotes and coins ("100 50 20 0.5"): positive, in its minor
/// units and in whole cents (cash is counted in cents), each once, largest first. The bank's
/// setting (`teller currency add --denominations`), and what `CashCount::only` is checked
/// against.
pub fn parse_denominations(raw: &str, currency: Currency) -> Result<Vec<Decimal>, ValidationError> {
    let invalid = |rule: String| ValidationError::new(Field::CashCount, rule);
    let mut values = Vec::new();
    for token in raw.split([' ', ',']).filter(|t| !t.is_empty()) {
        let value = Amount::parse_for(token, currency)
            .map_err(|e| invalid(format!("denomination {token:?}: {}", e.rule)))?
            .value();
        if !(value * Decimal::ONE_HUNDRED).fract().is_zero() {
            return Err(invalid(format!(
                "denomination {token}: cash is counted in cents (a currency with smaller coins is traded between accounts only)"
            )));
        }
        if values.contains(&value) {
            return Err(invalid(format!("{token} is listed twice")));
        }
        values.push(value);
    }
    if values.is_empty() {
        return Err(invalid(format!(
            "list the {currency} banknotes and coins the drawers count, like \"100 50 20 10 5 1\""
        )));
    }
    values.sort_by(|a, b| b.cmp(a));
    Ok(values)
}

/// Banknotes and coins a new currency counts by default (ISO codes the bank often trades).
pub fn default_denominations(currency: Currency) -> &'static str {
    match currency.as_str() {
        "USD" => "100 50 20 10 5 2 1 0.50 0.25 0.10 0.05 0.01",
        "EUR" => "500 200 100 50 20 10 5 2 1 0.50 0.20 0.10 0.05 0.02 0.01",
        "GBP" => "50 20 10 5 2 1 0.50 0.20 0.10 0.05 0.02 0.01",
        "JPY" => "10000 5000 2000 1000 500 100 50 10 5 1",
        "CHF" => "1000 200 100 50 20 10 5 2 1 0.50 0.20 0.10 0.05",
        "CAD" => "100 50 20 10 5 2 1 0.25 0.10 0.05",
        "AUD" => "100 50 20 10 5 2 1 0.50 0.20 0.10 0.05",
        "KWD" => "20 10 5 1 0.500 0.250 0.100 0.050 0.020 0.010",
        _ => "",
    }
}

/// A list of banknotes and coins (as [`parse_denominations`] gives it) in cents, as a count
/// holds them.
pub fn denominations_in_cents(values: &[Decimal]) -> Vec<i64> {
    values
        .iter()
        .filter_map(|v| (v * Decimal::ONE_HUNDRED).trunc().to_i64())
        .collect()
}

fn invalid(rule: String) -> ValidationError {
    ValidationError::new(Field::CashCount, rule)
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_add_and_take_out_by_denomination() {
        let vault = CashCount::parse("100x10 20x5").unwrap();
        let more = vault.plus(&CashCount::parse("20x5 1x3").unwrap());
        assert_eq!(more.to_string(), "100x10 20x10 1x3");
        let left = more
            .minus(&CashCount::parse("100x10 20x1").unwrap())
            .unwrap();
        assert_eq!(left.to_string(), "20x9 1x3");
        let short = left.minus(&CashCount::parse("50x1").unwrap()).unwrap_err();
        assert_eq!(short.to_string(), "not enough pieces of 50");
        assert_eq!((short.held, short.wanted), (0, 1));
        assert_eq!(left.total(), Decimal::new(18_300, 2));
        let empty = CashCount::default();
        assert_eq!(CashCount::parse(&empty.to_string()).unwrap(), empty);
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_add_up_exactly() {
        let count = CashCount::parse("100x3, 20x5 0.25x4 0.01x3").expect("count");
        assert_eq!(count.total(), Decimal::new(40_103, 2));
        assert_eq!(count.to_string(), "100x3 20x5 0.25x4 0.01x3");
        assert_eq!(CashCount::parse("").expect("empty").total(), Decimal::ZERO);
        assert_eq!(CashCount::parse("50x0").expect("zero").to_string(), "0");
    }

    #[test]
    fn refusals_name_the_field() {
        for raw in [
            "100",
            "100x-1",
            "100x1.5",
            "100x1 100x2",
            "1e2x1",
            "100x9999999",
            "0.005x1",
            "0x1",
            "200000x1",
        ] {
            let err = CashCount::parse(raw).expect_err(raw);
            assert_eq!(err.field, Field::CashCount, "{raw}");
        }
        // A value no banknote of the currency has is refused against the currency's list.
        for raw in ["3x100", "7x2", "500x1"] {
            let count = CashCount::parse(raw).expect(raw);
            let err = count.only(&DENOMINATIONS_CENTS, "USD").expect_err(raw);
            assert_eq!(err.field, Field::CashCount, "{raw}");
            assert!(
                err.rule
                    .contains("is not a USD banknote or coin (100, 50, 20"),
                "{err}"
            );
        }
        let euros = CashCount::parse("500x2 0.20x5").unwrap();
        assert_eq!(euros.total(), Decimal::new(100_100, 2));
        assert!(euros.only(&[50_000, 20], "EUR").is_ok());
    }

    proptest! {
        #[test]
        fn display_parses_back(counts in proptest::collection::vec(0u32..500, 12)) {
            let pieces: Vec<(i64, u32)> = DENOMINATIONS_CENTS.iter().copied().zip(counts).collect();
            let count = CashCount::from_counts(&pieces).expect("valid");
            let again = CashCount::parse(&count.to_string()).expect("parses back");
            prop_assert_eq!(again.total(), count.total());
            prop_assert_eq!(again, count);
        }

        #[test]
        fn any_text_is_answered(raw in "\\PC*") {
            let _ = CashCount::parse(&raw);
        }
    }
}
