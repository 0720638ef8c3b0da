//! The currencies the bank keeps accounts in. A closed list, so a typo like
//! "USX" is refused instead of opening an account nobody can use.

use std::fmt;

use super::error::{Field, ValidationError};

/// A supported ISO 4217 currency; all use 2 decimals (cents).
#[allow(clippy::upper_case_acronyms)] // ISO codes are how tellers know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Currency {
    #[default]
    USD,
    EUR,
    GBP,
    CAD,
    CHF,
    AUD,
}

impl Currency {
    /// Every supported currency, in menu order.
    pub const ALL: [Currency; 6] = [
        Currency::USD,
        Currency::EUR,
        Currency::GBP,
        Currency::CAD,
        Currency::CHF,
        Currency::AUD,
    ];

    /// Accepts the ISO code in any case, with surrounding spaces ("usd ").
    pub fn parse(raw: &str) -> Result<Currency, ValidationError> {
        let code = raw.trim();
        Currency::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(code))
            .ok_or_else(|| {
                ValidationError::new(
                    Field::Currency,
                    "not supported; use USD, EUR, GBP, CAD, CHF or AUD",
                )
            })
    }

    /// The ISO 4217 code, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Currency::USD => "USD",
            Currency::EUR => "EUR",
            Currency::GBP => "GBP",
            Currency::CAD => "CAD",
            Currency::CHF => "CHF",
            Currency::AUD => "AUD",
        }
    }

    /// Digits after the decimal point; 2 for every supported currency.
    pub fn decimals(self) -> u32 {
        2
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_and_display() {
        assert_eq!(Currency::default(), Currency::USD);
        assert_eq!(Currency::parse(" usd ").unwrap(), Currency::USD);
        assert_eq!(Currency::parse("Eur").unwrap(), Currency::EUR);
        for c in Currency::ALL {
            assert_eq!(Currency::parse(c.as_str()).unwrap(), c);
            assert_eq!(Currency::parse(&c.to_string().to_lowercase()).unwrap(), c);
            assert_eq!(c.decimals(), 2);
        }
        for bad in ["", "US", "USDD", "usx", "JPY", "$", "U SD", "ＵＳＤ"] {
            assert_eq!(
                Currency::parse(bad).unwrap_err().field,
                Field::Currency,
                "{bad:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            if let Ok(c) = Currency::parse(&raw) {
                prop_assert!(raw.trim().eq_ignore_ascii_case(c.as_str()));
            }
        }
    }
}
