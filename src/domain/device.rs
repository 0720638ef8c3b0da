//! Which workstation an operation came from: a registered device's name, or `local` for the
//! app and CLI run directly against the database.

use std::fmt;

use super::error::{Field, ValidationError};

/// A device name: 1 to 64 of `a-z 0-9 - _ .`, starting with a letter or digit, stored in lower
/// case. `local` is reserved for operations that did not come through the branch server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeviceName(String);

impl DeviceName {
    /// The name recorded for the app and the CLI run on the database's own credentials.
    pub const LOCAL: &'static str = "local";

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = Self::parse_any(raw)?;
        if name.is_local() {
            return Err(ValidationError::new(
                Field::Device,
                "`local` names operations made without the branch server; choose another name",
            ));
        }
        Ok(name)
    }

    /// `local`, the device of the direct app and CLI.
    pub fn local() -> Self {
        Self(Self::LOCAL.to_string())
    }

    /// A name as stored: a registered device's or `local`.
    pub fn parse_any(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if name.is_empty() || name.len() > 64 {
            return Err(ValidationError::new(
                Field::Device,
                "1 to 64 characters, e.g. till-3",
            ));
        }
        if !name.chars().all(allowed) || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(ValidationError::new(
                Field::Device,
                "letters, digits, '-', '_' and '.' only, starting with a letter or digit",
            ));
        }
        Ok(Self(name))
    }

    pub fn is_local(&self) -> bool {
        self.0 == Self::LOCAL
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for DeviceName {
    fn default() -> Self {
        Self::local()
    }
}

impl fmt::Display for DeviceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_short_plain_and_lower_case() {
        assert_eq!(
            DeviceName::parse(" Till-3 ").expect("ok").as_str(),
            "till-3"
        );
        assert_eq!(
            DeviceName::parse("branch.7_a").expect("ok").as_str(),
            "branch.7_a"
        );
        for raw in [
            "",
            " ",
            "-till",
            "till 3",
            "till/3",
            "tïll",
            &"a".repeat(65),
        ] {
            assert_eq!(DeviceName::parse(raw).expect_err(raw).field, Field::Device);
        }
    }

    #[test]
    fn local_is_reserved_but_readable() {
        assert!(DeviceName::parse("LOCAL").is_err());
        assert!(DeviceName::parse_any("local").expect("ok").is_local());
        assert_eq!(DeviceName::default().as_str(), "local");
    }

    proptest! {
        #[test]
        fn whatever_parses_parses_again_to_itself(raw in "\\PC{0,70}") {
            if let Ok(name) = DeviceName::parse_any(&raw) {
                prop_assert_eq!(DeviceName::parse_any(name.as_str()).expect("again"), name);
            }
        }
    }
}
