//! An optional free-text note on a transaction ("rent March"), shown on
//! statements; short and single-line so it fits a statement row.

use std::fmt;

use super::error::{Field, ValidationError};

const MAX_CHARS: usize = 140;

/// A non-empty, single-line note of at most 140 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Memo(String);

impl Memo {
    /// Trims; an empty memo means "no memo" (`None`).
    pub fn parse_optional(raw: &str) -> Result<Option<Memo>, ValidationError> {
        // Checked before trimming to nothing: a lone line separator is not "no memo".
        if super::has_hidden(raw.trim_matches(|c: char| c == ' ' || c == '\n' || c == '\r')) {
            return Err(ValidationError::new(
                Field::Memo,
                "must be one line, without tabs, invisible or direction-changing characters",
            ));
        }
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > MAX_CHARS {
            return Err(ValidationError::new(Field::Memo, "at most 140 characters"));
        }
        Ok(Some(Memo(s.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_is_none_and_text_is_trimmed() {
        assert_eq!(Memo::parse_optional("").unwrap(), None);
        assert_eq!(Memo::parse_optional("  \n ").unwrap(), None);
        let m = Memo::parse_optional("  rent — März €  ").unwrap().unwrap();
        assert_eq!(m.as_str(), "rent — März €");
        assert_eq!(m.to_string(), "rent — März €");
        assert!(Memo::parse_optional(&"ü".repeat(140)).unwrap().is_some());
    }

    #[test]
    fn refusals() {
        let long = "a".repeat(141);
        for bad in [
            "line\nbreak",
            "tab\there",
            "bell\u{7}",
            "esc\u{1b}[31m",
            long.as_str(),
        ] {
            assert_eq!(
                Memo::parse_optional(bad).unwrap_err().field,
                Field::Memo,
                "{bad:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn a_hidden_character_anywhere_is_refused(
            before in "[a-z ]{0,20}",
            hidden in proptest::sample::select(vec!['\u{202E}', '\u{200B}', '\u{2028}', '\u{2066}', '\u{FEFF}']),
            after in "[a-z ]{0,20}",
        ) {
            let raw = format!("{before}{hidden}{after}");
            prop_assert_eq!(Memo::parse_optional(&raw).unwrap_err().field, Field::Memo);
        }

        #[test]
        fn printable_text_round_trips(raw in "[^\\p{C}]{1,140}") {
            // Line separators and invisible letters are refused (see the next property).
            prop_assume!(!crate::domain::has_hidden(&raw));
            let trimmed = raw.trim();
            let parsed = Memo::parse_optional(&raw).unwrap();
            match parsed {
                None => prop_assert!(trimmed.is_empty()),
                Some(m) => {
                    prop_assert_eq!(m.as_str(), trimmed);
                    prop_assert_eq!(Memo::parse_optional(m.as_str()).unwrap(), Some(m.clone()));
                }
            }
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            let _ = Memo::parse_optional(&raw);
        }
    }
}
