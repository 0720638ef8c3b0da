//! A phone number in international form, so the bank can call any customer
//! without guessing the country. Stored as `+` and digits only.

use std::fmt;

use super::error::{Field, ValidationError};

/// E.164 allows at most 15 digits; fewer than 7 is never a full number.
const MIN_DIGITS: usize = 7;
const MAX_DIGITS: usize = 15;

/// Normalised phone number: `+` followed by 7 to 15 digits (`+17875550100`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

fn err(rule: &str) -> ValidationError {
    ValidationError::new(Field::Phone, rule)
}

impl Phone {
    /// Accepts `+` directly followed by digits, with spaces (one or more)
    /// between digit groups: `+1 787 555 0100`.
    pub fn parse(raw: &str) -> Result<Phone, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(err("enter a phone number, like +1 787 555 0100"));
        }
        let Some(rest) = s.strip_prefix('+') else {
            return Err(err(
                "must start with + and the country code, like +1 787 555 0100",
            ));
        };
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(err(
                "put the country code right after the +, like +1 787 555 0100",
            ));
        }
        if !rest.chars().all(|c| c.is_ascii_digit() || c == ' ') {
            return Err(err(
                "use + then digits and spaces only, like +1 787 555 0100",
            ));
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
            return Err(err("must have 7 to 15 digits after the +"));
        }
        Ok(Phone(format!("+{digits}")))
    }

    /// The normalised form, `+` and digits only.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(Phone::parse("+1 787 55 41").unwrap().as_str(), "+17875541");
        assert_eq!(
            Phone::parse(" +1 787  555 0100 ").unwrap().as_str(),
            "+17875550100"
        );
        assert_eq!(
            Phone::parse("+441234567").unwrap().to_string(),
            "+441234567"
        );
        assert!(Phone::parse(&format!("+{}", "1".repeat(15))).is_ok());
    }

    #[test]
    fn refuses_listed_inputs() {
        let sixteen = format!("+{}", "1".repeat(16));
        for bad in [
            "",
            "17875550100",
            "+ 1 787 555 0100",
            "++17875550100",
            "+1-787-555-0100",
            "+1 (787) 555 0100",
            "+1 787 CALL NOW",
            "+1 787\t555 0100",
            "+１７８７５５５０１００",
            "+123456",
            sixteen.as_str(),
            "+",
            "+1.787.555.0100",
        ] {
            assert_eq!(
                Phone::parse(bad).unwrap_err().field,
                Field::Phone,
                "{bad:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn generated_numbers_round_trip(groups in proptest::collection::vec("[0-9]{1,4}", 1..6), sep in " {1,3}") {
            let digits: String = groups.concat();
            let raw = format!("+{}", groups.join(&sep));
            let parsed = Phone::parse(&raw);
            if (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
                let p = parsed.unwrap();
                prop_assert_eq!(p.as_str(), format!("+{digits}"));
                prop_assert_eq!(Phone::parse(p.as_str()).unwrap(), p);
            } else {
                prop_assert_eq!(parsed.unwrap_err().field, Field::Phone);
            }
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            if let Ok(p) = Phone::parse(&raw) {
                prop_assert!(p.as_str().starts_with('+'));
                prop_assert!(p.as_str()[1..].bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
