//! Passwords for staff and customer logins.
//! Common-password list: first 1,000 entries of SecLists
//! `Passwords/Common-Credentials/10-million-password-list-top-1000.txt`
//! (github.com/danielmiessler/SecLists, MIT), lower-cased and de-duplicated.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use super::email::Email;
use super::error::{Field, ValidationError};

/// Long passwords beat complex ones; 12 characters resists offline guessing.
const MIN_CHARS: usize = 12;
/// bcrypt ignores everything after 72 bytes, so longer input would silently
/// stop mattering; refuse it instead of truncating.
const MAX_BYTES: usize = 72;

const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// True when `candidate` (already lower-cased) is on the common-password list.
fn is_common(candidate: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
    .contains(candidate)
}

fn err(rule: &str) -> ValidationError {
    ValidationError::new(Field::Password, rule)
}

/// A new password that passed the strength rules. Kept exactly as typed (no
/// trimming); never displayed, and `Debug` hides it.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Checks a new password for the account whose login is `email`.
    pub fn parse(raw: String, email: &Email) -> Result<Password, ValidationError> {
        if raw.chars().count() < MIN_CHARS {
            return Err(err("must be at least 12 characters"));
        }
        if raw.len() > MAX_BYTES {
            return Err(err(
                "too long: at most 72 bytes (accented letters and symbols count as 2 to 4); shorten it",
            ));
        }
        if raw.trim().is_empty() {
            return Err(err("cannot be only spaces"));
        }
        let folded = raw.trim().to_lowercase();
        if folded == email.as_str() {
            return Err(err("must not be the same as the email address"));
        }
        if is_common(&folded) {
            return Err(err(
                "is one of the most common passwords; choose a less predictable one",
            ));
        }
        Ok(Password(raw))
    }

    /// The password text, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A password typed to log in or to confirm the current password. No strength
/// rules (old accounts may predate them); `Debug` hides it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(raw: String) -> Secret {
        Secret(raw)
    }

    /// The typed text, for verifying against a stored hash only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn email() -> Email {
        Email::parse("teller.one@bank.example").unwrap()
    }

    fn rule(raw: &str) -> String {
        let e = Password::parse(raw.to_owned(), &email()).unwrap_err();
        assert_eq!(e.field, Field::Password, "{raw:?}");
        e.rule
    }

    #[test]
    fn list_is_loaded_and_lower_case() {
        let lines: Vec<&str> = COMMON_PASSWORDS.lines().collect();
        assert!(lines.len() >= 990, "{}", lines.len());
        assert!(lines
            .iter()
            .all(|l| *l == l.to_lowercase() && !l.is_empty()));
        assert!(is_common("password"));
        assert!(is_common("123456"));
        assert!(is_common("qwertyuiop"));
        assert!(!is_common("PASSWORD"));
        assert!(!is_common("correct horse battery staple"));
    }

    #[test]
    fn accepts_long_uncommon_passwords_as_typed() {
        let p = Password::parse("  correct horse battery  ".to_owned(), &email()).unwrap();
        assert_eq!(p.expose(), "  correct horse battery  ");
        assert!(Password::parse("ñandú-pingüino-42".to_owned(), &email()).is_ok());
        assert!(Password::parse("a".repeat(72), &email()).is_ok());
    }

    #[test]
    fn refusals() {
        assert_eq!(
            Password::parse("short".to_owned(), &email())
                .unwrap_err()
                .to_string(),
            "Password: must be at least 12 characters"
        );
        assert!(rule(&"a".repeat(73)).contains("at most 72 bytes"));
        // 36 characters, 72 bytes is fine; 37 two-byte characters is not.
        assert!(Password::parse("é".repeat(36), &email()).is_ok());
        assert!(rule(&"é".repeat(37)).contains("at most 72 bytes"));
        assert_eq!(rule(&" ".repeat(20)), "cannot be only spaces");
        assert_eq!(
            rule(" Teller.One@Bank.Example "),
            "must not be the same as the email address"
        );
        // No listed password reaches 12 characters; padded with spaces one
        // passes the length rule, and the trimmed, case-folded check catches it.
        assert!(rule("1234567890  ").contains("most common passwords"));
        assert_eq!(
            rule("  QWERTYuiop "),
            "is one of the most common passwords; choose a less predictable one"
        );
    }

    #[test]
    fn debug_is_redacted() {
        let p = Password::parse("correct horse battery".to_owned(), &email()).unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
        let s = Secret::new("hunter2".to_owned());
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "hunter2");
    }

    proptest! {
        #[test]
        fn strong_passwords_are_kept_verbatim(raw in "[a-zA-Z0-9 !@#$%^&*]{12,72}") {
            prop_assume!(!raw.trim().is_empty());
            let p = Password::parse(raw.clone(), &email()).unwrap();
            prop_assert_eq!(p.expose(), raw.as_str());
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            let _ = Password::parse(raw, &email());
        }
    }
}
