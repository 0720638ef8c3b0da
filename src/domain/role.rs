//! Who a user is to the bank; decides which screens and operations they get.

use std::fmt;

use serde::Serialize;

use super::error::{Field, ValidationError};

/// A user's role. Serialises as "customer", "teller" or "admin".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Teller,
    Admin,
}

impl Role {
    /// Every role, in order of increasing rights.
    pub const ALL: [Role; 3] = [Role::Customer, Role::Teller, Role::Admin];

    /// Case-insensitive: "customer", "Teller", " ADMIN ".
    pub fn parse(raw: &str) -> Result<Role, ValidationError> {
        let s = raw.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ValidationError::new(Field::Role, "must be customer, teller or admin"))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Teller => "teller",
            Role::Admin => "admin",
        }
    }

    /// Bank staff (teller or admin) may act on other people's accounts.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Teller | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_display_and_staff() {
        assert_eq!(Role::parse(" ADMIN ").unwrap(), Role::Admin);
        assert_eq!(Role::parse("Teller").unwrap(), Role::Teller);
        assert_eq!(Role::parse("customer").unwrap().to_string(), "customer");
        assert!(!Role::Customer.is_staff());
        assert!(Role::Teller.is_staff());
        assert!(Role::Admin.is_staff());
        for bad in ["", "root", "tellers", "adm in"] {
            let e = Role::parse(bad).unwrap_err();
            assert_eq!(e.to_string(), "Role: must be customer, teller or admin");
        }
    }

    #[test]
    fn serializes_lowercase() {
        fn assert_serialize<T: Serialize>(_: &T) {}
        assert_serialize(&Role::Admin);
        // No serde_json in this crate: check the derive's naming via as_str,
        // which the rename_all attribute mirrors.
        for r in Role::ALL {
            assert_eq!(r.as_str(), format!("{r:?}").to_lowercase());
        }
    }

    proptest! {
        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            if let Ok(r) = Role::parse(&raw) {
                prop_assert_eq!(Role::parse(r.as_str()).unwrap(), r);
            }
        }
    }
}
