//! A customer's age in whole years. Bounded so typos like 4 or 400 are caught,
//! and so minors below the bank's minimum age cannot open an account.

use std::fmt;

use super::error::{Field, ValidationError};

/// Youngest age that may hold an account.
const MIN: u8 = 14;
/// Oldest plausible age; above this it is a typing mistake.
const MAX: u8 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Age(u8);

fn out_of_range() -> ValidationError {
    ValidationError::new(Field::Age, "must be between 14 and 120")
}

impl Age {
    /// Parses a whole number of years typed as ASCII digits ("35", " 035 ").
    pub fn parse(raw: &str) -> Result<Age, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValidationError::new(
                Field::Age,
                "enter the age in years, like 35",
            ));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(
                Field::Age,
                "use a whole number of years in digits, like 35",
            ));
        }
        let significant = s.trim_start_matches('0');
        if significant.len() > 3 {
            return Err(out_of_range());
        }
        let value = significant
            .bytes()
            .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
        Age::new(value)
    }

    /// Checks an age that is already a number (e.g. from storage).
    pub fn new(value: i64) -> Result<Age, ValidationError> {
        match u8::try_from(value) {
            Ok(v) if (MIN..=MAX).contains(&v) => Ok(Age(v)),
            _ => Err(out_of_range()),
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bounds() {
        assert_eq!(Age::parse("14").unwrap().value(), 14);
        assert_eq!(Age::parse(" 120 ").unwrap().value(), 120);
        assert_eq!(Age::parse("035").unwrap().value(), 35);
        assert_eq!(Age::new(50).unwrap().to_string(), "50");
        for bad in [13, 121, 0, -1, 256, 270, i64::MIN, i64::MAX] {
            assert_eq!(Age::new(bad).unwrap_err().field, Field::Age, "{bad}");
        }
        assert_eq!(
            Age::parse("13").unwrap_err().to_string(),
            "Age: must be between 14 and 120"
        );
    }

    #[test]
    fn refuses_non_digits() {
        for bad in [
            "",
            "  ",
            "-20",
            "+20",
            "20.5",
            "20,0",
            "2 0",
            "twenty",
            "٣٥",
            "３５",
            "0",
            "99999999999999999999999",
        ] {
            assert_eq!(Age::parse(bad).unwrap_err().field, Field::Age, "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn valid_ages_round_trip(v in 14i64..=120) {
            let a = Age::new(v).unwrap();
            prop_assert_eq!(Age::parse(&a.to_string()).unwrap(), a);
            prop_assert_eq!(i64::from(a.value()), v);
        }

        #[test]
        fn out_of_range_refused(v in any::<i64>()) {
            prop_assert_eq!(Age::new(v).is_ok(), (14..=120).contains(&v));
            if v >= 0 {
                prop_assert_eq!(Age::parse(&v.to_string()).is_ok(), (14..=120).contains(&v));
            }
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            let _ = Age::parse(&raw);
        }
    }
}
