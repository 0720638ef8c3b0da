//! The key that makes a money operation safe to retry: the ledger applies an
//! operation once per key, so a double-pressed Enter or a resent CLI command
//! cannot move money twice.

use std::fmt;

use super::error::{Field, ValidationError};

const MAX_CHARS: usize = 64;

/// 1 to 64 ASCII letters, digits, `-`, `_`, `.` or `:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Checks a key supplied by a caller (e.g. a script passing `--key`).
    pub fn parse(raw: &str) -> Result<IdempotencyKey, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValidationError::new(
                Field::IdempotencyKey,
                "cannot be empty",
            ));
        }
        if s.len() > MAX_CHARS {
            return Err(ValidationError::new(
                Field::IdempotencyKey,
                "at most 64 characters",
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        {
            return Err(ValidationError::new(
                Field::IdempotencyKey,
                "use only letters A-Z, digits and - _ . :",
            ));
        }
        Ok(IdempotencyKey(s.to_owned()))
    }

    /// A fresh key for an operation started in this app: a UUID v7, time-ordered, so new keys
    /// land at the end of the journal's unique index and stay in the buffer pool (random v4
    /// keys scatter over the whole index and turn a busy day into disk reads).
    pub fn generate() -> IdempotencyKey {
        IdempotencyKey(uuid::Uuid::now_v7().to_string())
    }

    /// The key of an exchange's second leg (the journal holds each key once): this key with
    /// "/2", a character no caller's key may hold, so it never meets a key someone chose.
    pub fn second_leg(&self) -> IdempotencyKey {
        IdempotencyKey(format!("{}/2", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_keys_are_valid_and_distinct() {
        let a = IdempotencyKey::generate();
        let b = IdempotencyKey::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 36);
        assert_eq!(IdempotencyKey::parse(a.as_str()).unwrap(), a);
    }

    #[test]
    fn refusals() {
        let long = "k".repeat(65);
        for bad in [
            "",
            "   ",
            "a b",
            "a/b",
            "ключ",
            "a\u{0}",
            "a+b",
            long.as_str(),
        ] {
            let e = IdempotencyKey::parse(bad).unwrap_err();
            assert_eq!(e.field, Field::IdempotencyKey, "{bad:?}");
            assert_eq!(e.code(), "invalid_idempotency_key");
        }
        assert_eq!(
            IdempotencyKey::parse(" t-1:x_y.z ").unwrap().to_string(),
            "t-1:x_y.z"
        );
        assert!(IdempotencyKey::parse(&"k".repeat(64)).is_ok());
    }

    proptest! {
        #[test]
        fn valid_keys_round_trip(raw in "[A-Za-z0-9._:-]{1,64}") {
            let k = IdempotencyKey::parse(&raw).unwrap();
            prop_assert_eq!(k.as_str(), raw.as_str());
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            let _ = IdempotencyKey::parse(&raw);
        }
    }
}
