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
    /// branch's over/short account, the vault, the position of a currency it exchanges).
    AccountKind, "account kind" {
        Customer => "customer",
        Drawer => "drawer",
        OverShort => "over_short",
        Vault => "vault",
        Position => "position",
    }
);

/// The journal's kinds of movement and the audit's actions, which name each movement's own line
/// after its kind: the kinds are listed once, and `From<MovementKind>` for `AuditAction`
/// comes with them.
macro_rules! kinds_and_actions {
    (
        $(#[$kind_meta:meta])* kinds { $($kind:ident => $kind_text:literal),+ $(,)? }
        $(#[$action_meta:meta])* other actions { $($action:ident => $action_text:literal),+ $(,)? }
    ) => {
        stored_names!($(#[$kind_meta])* MovementKind, "movement kind" {
            $($kind => $kind_text),+
        });

        stored_names!($(#[$action_meta])* AuditAction, "audit action" {
            $($kind => $kind_text,)+
            $($action => $action_text),+
        });

        impl From<MovementKind> for AuditAction {
            fn from(kind: MovementKind) -> Self {
                match kind {
                    $(MovementKind::$kind => Self::$kind),+
                }
            }
        }
    };
}

kinds_and_actions! {
    /// What a movement of the journal was.
    kinds {
        Deposit => "deposit",
        Withdrawal => "withdrawal",
        Transfer => "transfer",
        Reversal => "reversal",
        OverShort => "over_short",
        Float => "float",
        TopUp => "top_up",
        CashDrop => "cash_drop",
        CashReturn => "cash_return",
        Exchange => "exchange",
    }
    /// What an audit line records as done or tried. The text is what the audit log stores and
    /// what the audit's rules and reports look for: a variant's text never changes. A movement's
    /// own line is named after its kind (`From<MovementKind>`), the others follow.
    other actions {
        Batch => "batch",
        AccountOpen => "account.open",
        AccountOpenMany => "account.open_many",
        AccountShow => "account.show",
        AccountList => "account.list",
        AccountHistory => "account.history",
        AccountStatement => "account.statement",
        AccountFreeze => "account.freeze",
        AccountUnfreeze => "account.unfreeze",
        AccountClose => "account.close",
        ApprovalRequest => "approval.request",
        ApprovalApprove => "approval.approve",
        ApprovalReject => "approval.reject",
        ApprovalWithdraw => "approval.withdraw",
        ApprovalList => "approval.list",
        Audit => "audit",
        AuditLogRead => "audit_log.read",
        CurrencyAdd => "currency.add",
        CustomerSearch => "customer.search",
        DeviceAdd => "device.add",
        DeviceList => "device.list",
        DeviceRevoke => "device.revoke",
        DrawerOpen => "drawer.open",
        DrawerClose => "drawer.close",
        DrawerDrop => "drawer.drop",
        DrawerTopUp => "drawer.topup",
        EndOfDay => "eod",
        FxRateSet => "fx.rate_set",
        FxQuote => "fx.quote",
        LedgerSeal => "ledger.seal",
        Login => "login",
        PolicySet => "policy.set",
        ReportCtr => "report.ctr",
        SessionOpen => "session.open",
        SessionResume => "session.resume",
        SessionEnd => "session.end",
        UserCreate => "user.create",
        UserShow => "user.show",
        UserUpdate => "user.update",
        UserUnlock => "user.unlock",
        UserPasswordChange => "user.password_change",
        UserPasswordReset => "user.password_reset",
        UserDrawerLimit => "user.drawer_limit",
        VaultOpen => "vault.open",
        VaultCount => "vault.count",
        VaultShow => "vault.show",
    }
}

/// How an audited action ended, as the audit log stores it: done, a replay of a key already
/// done, or refused with the refusal's stable code (a `BankError::code()`, or why a login
/// failed). The audit's rules look for `ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    Ok,
    Replayed,
    Refused(&'static str),
}

impl AuditOutcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Replayed => "replayed",
            Self::Refused(code) => code,
        }
    }
}

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
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_stored(action.as_str()), Ok(*action));
        }
        // A movement's line says its kind.
        for kind in MovementKind::ALL {
            assert_eq!(AuditAction::from(*kind).as_str(), kind.as_str());
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
