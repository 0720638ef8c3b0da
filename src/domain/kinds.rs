//! The closed sets of names the ledger stores: an account's status and kind, a movement's kind.
//! Each is read back exactly (`from_stored`): a value this version does not know is an error,
//! never quietly taken for another.

/// A stored name that is not one of the set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?} in the database")]
pub struct UnknownName {
    pub what: &'static str,
    pub value: String,
}

macro_rules! stored_names {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value as the database stores it, exactly.
            pub fn from_stored(raw: &str) -> Result<Self, UnknownName> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == raw)
                    .ok_or_else(|| UnknownName { what: $what, value: raw.to_string() })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stored_names!(
    /// Whether money may move in or out of an account.
    AccountStatus, "account status" {
        Open => "open",
        Frozen => "frozen",
        Closed => "closed",
    }
);

stored_names!(
    /// Who an account belongs to: a customer, or the bank (a teller's cash drawer, the
    /// branch's over/short account).
    AccountKind, "account kind" {
        Customer => "customer",
        Drawer => "drawer",
        OverShort => "over_short",
        Vault => "vault",
    }
);

stored_names!(
    /// What a movement of the journal was.
    MovementKind, "movement kind" {
        Deposit => "deposit",
        Withdrawal => "withdrawal",
        Transfer => "transfer",
        Reversal => "reversal",
        OverShort => "over_short",
        Float => "float",
        TopUp => "top_up",
        CashDrop => "cash_drop",
        CashReturn => "cash_return",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_unknown_ones_are_errors() {
        for status in AccountStatus::ALL {
            assert_eq!(AccountStatus::from_stored(status.as_str()), Ok(*status));
        }
        for kind in MovementKind::ALL {
            assert_eq!(MovementKind::from_stored(kind.as_str()), Ok(*kind));
        }
        for kind in AccountKind::ALL {
            assert_eq!(AccountKind::from_stored(kind.as_str()), Ok(*kind));
        }
        // Not quietly "open", "transfer" or "customer": an error naming what was found.
        let unknown = AccountStatus::from_stored("suspended").unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "unknown account status \"suspended\" in the database"
        );
        assert!(MovementKind::from_stored("Transfer").is_err());
        assert!(AccountKind::from_stored("").is_err());
    }
}
