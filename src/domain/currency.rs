//! A currency: any ISO 4217 code that names money with minor units (the table is the
//! `iso_currency` crate's, not a list of ours). Which of them the bank *trades* (may open
//! accounts, drawers and vaults in, and exchange) is the bank's setting, kept in the database
//! (`teller currency add`); this type only says the code is real money and how many decimals it
//! has: JPY 0, USD 2, KWD 3.

use std::fmt;

use super::error::{Field, ValidationError};

/// The most decimals any stored amount has (the money columns are `DECIMAL(20,3)`).
pub const MAX_DECIMALS: u32 = 3;

/// An ISO 4217 currency with 0 to 3 minor-unit digits, not a fund, metal or test code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(iso_currency::Currency);

impl Default for Currency {
    fn default() -> Self {
        Currency::USD
    }
}

impl Currency {
    pub const USD: Currency = Currency(iso_currency::Currency::USD);
    pub const EUR: Currency = Currency(iso_currency::Currency::EUR);
    pub const GBP: Currency = Currency(iso_currency::Currency::GBP);
    pub const CAD: Currency = Currency(iso_currency::Currency::CAD);
    pub const CHF: Currency = Currency(iso_currency::Currency::CHF);
    pub const AUD: Currency = Currency(iso_currency::Currency::AUD);
    pub const JPY: Currency = Currency(iso_currency::Currency::JPY);
    pub const KWD: Currency = Currency(iso_currency::Currency::KWD);

    /// The currencies a new bank trades (migration 000017 lists them), in menu order.
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
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ValidationError::new(
                Field::Currency,
                "use a three-letter ISO 4217 code, like USD, EUR or JPY",
            ));
        }
        let upper = code.to_ascii_uppercase();
        let Some(iso) = iso_currency::Currency::from_code(&upper) else {
            return Err(ValidationError::new(
                Field::Currency,
                "is not an ISO 4217 currency code",
            ));
        };
        let money = iso.exponent().is_some_and(|e| u32::from(e) <= MAX_DECIMALS)
            && !iso.is_fund()
            && !iso.is_special()
            && iso.is_superseded().is_none();
        if !money {
            return Err(ValidationError::new(
                Field::Currency,
                "is a fund, metal or retired code, not a currency the bank can hold",
            ));
        }
        Ok(Currency(iso))
    }

    /// The ISO 4217 code, upper case.
    pub fn as_str(self) -> &'static str {
        self.0.code()
    }

    /// The currency's English name ("Japanese yen").
    pub fn name(self) -> String {
        self.0.name().to_string()
    }

    /// `value` with exactly this currency's decimals when it has no more: the ledger stores
    /// every amount with 3 (`12.500` dollars), a view shows `12.50`, `1496` yen. A value with
    /// more decimals than the currency has is returned as it is (never rounded).
    pub fn in_minor_units(self, value: rust_decimal::Decimal) -> rust_decimal::Decimal {
        let mut exact = value.normalize();
        if exact.scale() <= self.decimals() {
            exact.rescale(self.decimals());
        }
        exact
    }

    /// Digits after the decimal point (ISO 4217's minor unit): JPY 0, USD 2, KWD 3.
    pub fn decimals(self) -> u32 {
        // `parse` admits only currencies with an exponent of at most 3.
        self.0.exponent().map_or(2, u32::from)
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
        for bad in [
            "",
            "US",
            "USDD",
            "usx",
            "$",
            "U SD",
            "ＵＳＤ",
            "XAU",
            "XXX",
            "XTS",
        ] {
            assert_eq!(
                Currency::parse(bad).unwrap_err().field,
                Field::Currency,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn minor_units_come_from_iso_4217() {
        for (code, decimals) in [("JPY", 0), ("KRW", 0), ("USD", 2), ("KWD", 3), ("BHD", 3)] {
            assert_eq!(
                Currency::parse(code).unwrap().decimals(),
                decimals,
                "{code}"
            );
        }
        assert_eq!(Currency::JPY.name(), "Japanese yen");
        let d = |s: &str| rust_decimal::Decimal::from_str_exact(s).unwrap();
        assert_eq!(
            Currency::USD.in_minor_units(d("12.500")).to_string(),
            "12.50"
        );
        assert_eq!(
            Currency::JPY.in_minor_units(d("1496.000")).to_string(),
            "1496"
        );
        assert_eq!(
            Currency::KWD.in_minor_units(d("30.7")).to_string(),
            "30.700"
        );
        assert_eq!(Currency::JPY.in_minor_units(d("0.5")).to_string(), "0.5");
        assert_eq!(
            Currency::USD.in_minor_units(d("-0.000")).to_string(),
            "0.00"
        );
        // CLF (4 decimals) is a unit of account: more decimals than the ledger keeps.
        assert!(Currency::parse("CLF").is_err());
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
