//! Why a movement is reversed: required, so the audit trail always says why.

use std::fmt;

use super::error::{Field, ValidationError};

/// A one-line reason of 3 to 140 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(raw: &str) -> Result<Reason, ValidationError> {
        let text = raw.trim();
        if super::has_hidden(raw.trim_matches(|c: char| c == ' ' || c == '\n' || c == '\r')) {
            return Err(ValidationError::new(
                Field::Reason,
                "must be one line, without invisible or direction-changing characters",
            ));
        }
        match text.chars().count() {
            0..=2 => Err(ValidationError::new(
                Field::Reason,
                "say in a few words why (at least 3 characters)",
            )),
            3..=140 => Ok(Reason(text.to_string())),
            _ => Err(ValidationError::new(
                Field::Reason,
                "at most 140 characters",
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_reason_is_required_and_one_line() {
        assert_eq!(
            Reason::parse("  keyed twice ").expect("ok").as_str(),
            "keyed twice"
        );
        for raw in ["", "  ", "ab", "two\nlines", &"x".repeat(141)] {
            assert_eq!(Reason::parse(raw).expect_err(raw).field, Field::Reason);
        }
    }

    proptest! {
        #[test]
        fn any_text_is_answered(raw in "\\PC*") {
            if let Ok(reason) = Reason::parse(&raw) {
                prop_assert_eq!(reason.as_str(), raw.trim());
            }
        }
    }
}
