//! Everything a service can refuse or fail with, in words a teller understands.

use chrono::{DateTime, Utc};

use rust_decimal::Decimal;

use crate::db::{self, DuplicateKey, Failure};
use crate::domain::{format_money, format_money_grouped, ValidationError};

/// A service's refusal or failure. `code()` is the stable name scripts see.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("Not enough money in account {account}: the balance is {}, the operation needs {}.", format_money(*balance), format_money(*needed))]
    InsufficientFunds {
        account: String,
        balance: Decimal,
        needed: Decimal,
    },
    #[error("Account {0} is frozen: no money can move in or out until it is unfrozen.")]
    AccountFrozen(String),
    #[error("Account {0} is closed.")]
    AccountClosed(String),
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("A user with the email {0} already exists.")]
    DuplicateEmail(String),
    #[error("The device cannot be added: {0}.")]
    DeviceTaken(String),
    #[error("Account {from} holds {from_currency} and account {to} holds {to_currency}: money can only move between accounts of the same currency.")]
    CurrencyMismatch {
        from: String,
        from_currency: crate::domain::Currency,
        to: String,
        to_currency: crate::domain::Currency,
    },
    #[error("The bank does not trade {0}: a supervisor adds it with `teller currency add {0}`.")]
    CurrencyNotTraded(crate::domain::Currency),
    #[error("The bank trades {0} already.")]
    AlreadyTraded(crate::domain::Currency),
    #[error("The bank has no rate in force between {pay} and {get}: a supervisor sets one with `teller fx rate set`.")]
    NoRate {
        pay: crate::domain::Currency,
        get: crate::domain::Currency,
    },
    #[error("Quote {id} expired at {} UTC: ask for a new quote.", at.format("%H:%M:%S"))]
    QuoteExpired { id: i64, at: DateTime<Utc> },
    #[error("Quote {0} was used already: a quote is used once. Ask for a new quote.")]
    QuoteUsed(i64),
    #[error("You hold {0} quotes that are neither used nor expired: use one, or ask again once one has expired (a quote holds for a minute).")]
    TooManyQuotes(i64),
    #[error("The quote does not fit this operation: {0}.")]
    QuoteMismatch(String),
    #[error("The source and the destination are the same account.")]
    SameAccount,
    #[error(
        "The key {0} was already used for a different operation; nothing was done. Use a new key."
    )]
    IdempotencyConflict(String),
    #[error("Too many failed logins: this user is locked until {} UTC.", until.format("%Y-%m-%d %H:%M"))]
    UserLocked { until: DateTime<Utc> },
    /// A wrong password, an unknown email and a locked login all get this one answer.
    #[error("Email or password is incorrect. After 5 failures in a row a login is locked for 15 minutes.")]
    InvalidCredentials,
    #[error("Log in first: {0}")]
    LoginRequired(String),
    #[error("The password was set by someone else and must be changed by its owner first: run `teller user password YOUR-EMAIL` (current password in TELLER_PASSWORD, the new one on the first line of standard input) or log in to the app.")]
    PasswordChangeRequired,
    #[error("An admin exists already: the first admin is created once; admins create the others.")]
    AdminExists,
    #[error("This bank holds users of its own ({0}, for one): the demo is loaded only into an empty bank or one holding the demo alone. Nothing was changed.")]
    NotADemoBank(String),
    #[error("You are not allowed to {0}.")]
    Forbidden(&'static str),
    #[error("Account {account} still holds {}; only an empty account can be closed.", format_money(*balance))]
    BalanceNotZero { account: String, balance: Decimal },
    #[error("The account is already {0}.")]
    AlreadyInState(&'static str),
    #[error(
        "No cash drawer of yours is open ({0}): open it (count the float) before handling cash."
    )]
    DrawerClosed(String),
    #[error("Your {0} cash drawer is already open; close it before opening another in {0}.")]
    DrawerAlreadyOpen(crate::domain::Currency),
    #[error("{0} needs a supervisor's approval: an admin types their email and password.")]
    ApprovalRequired(ApprovalNeed),
    #[error("The approval was refused: {0}")]
    ApprovalRefused(&'static str),
    #[error("The supervisor rejected the request: {0}")]
    ApprovalRejected(String),
    #[error("The approval request expired or was withdrawn before it was used; send a new one.")]
    ApprovalExpired,
    #[error("Movement {0} was reversed already; a movement is reversed at most once.")]
    AlreadyReversed(i64),
    #[error("Movement {id} cannot be reversed: {why}.")]
    NotReversible { id: i64, why: &'static str },
    #[error(
        "{0}: record the customer's identification (type, number, issuing country, expiry) first."
    )]
    IdRequired(String),
    #[error("The {0} vault is not open today: a supervisor opens it by counting it.")]
    VaultNotOpen(String),
    #[error("The {0} vault was opened today already.")]
    VaultAlreadyOpen(String),
    #[error(
        "The {0} vault has been counted for the day: no more cash moves in or out of it today."
    )]
    VaultCounted(String),
    #[error("The vault does not hold that: {0}.")]
    VaultShort(String),
    #[error("The business day {0} is closed: no cash operation is dated into it.")]
    DayClosed(chrono::NaiveDate),
    #[error("The day cannot close yet: {0}.")]
    DayNotReady(String),
    #[error("Another transfer linked with this one in its batch failed, so neither moved.")]
    LinkedEventFailed,
    #[error("This transfer is linked to the next, but the batch ended: a chain must close within its batch.")]
    LinkedChainOpen,
    #[error("A batch holds at most {0} transfers.")]
    BatchTooLarge(usize),
    #[error("The journal of account {0} does not add up to its balance: nothing was done, and no money moves on it until an auditor has looked (`teller audit --full`).")]
    LedgerBroken(String),
    #[error("The database stayed busy (lock conflicts); nothing was done. Try again.")]
    Busy,
    #[error("The database is unavailable: {0}")]
    Unavailable(String),
    /// Committed on one node, but no second node confirmed it in time: it may yet be lost.
    #[error("The database did not confirm the operation on a second node ({0}): its outcome is unknown.")]
    NotAcknowledged(String),
    #[error("Unexpected database error: {0}")]
    Database(String),
    #[error("Password hashing failed: {0}")]
    Hashing(String),
    /// A unique key refused a row; services turn this into a meaningful refusal.
    #[error("That record already exists.")]
    Duplicate(Option<DuplicateKey>),
}

/// Why an operation needs a supervisor: the facts, worded once (its `Display`, the start of
/// `BankError::ApprovalRequired`'s message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalNeed {
    /// A member of staff paying out more than the bank's limit at once.
    AboveLimit {
        limit: Decimal,
    },
    /// ... or, with what they paid out of the customer's accounts earlier today.
    AboveLimitToday {
        paid_today: Decimal,
        limit: Decimal,
    },
    /// Cash into a drawer that holds more than its limit already.
    DrawerAboveLimit {
        limit: Decimal,
    },
    /// A bulk file moving more than its approval covers.
    BeyondApprovedTotal {
        excess: Decimal,
    },
    /// A bulk file whose total is above the bank's limit.
    BulkTotal,
    Reversal,
    /// Creating staff, or resetting a member of staff's password.
    StaffAccount,
    /// A drawer's opening float, from the vault.
    DrawerFloat,
    /// A drop or top-up between a drawer and the vault.
    DrawerAndVault,
    Unfreeze,
    /// The request sent for it has no answer yet.
    StillPending,
}

impl std::fmt::Display for ApprovalNeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The limit and what was paid are in the base currency (other amounts at the mid
            // rate).
            Self::AboveLimit { limit } => write!(
                f,
                "An amount above {} {}",
                format_money_grouped(*limit),
                super::BASE_CURRENCY
            ),
            Self::AboveLimitToday { paid_today, limit } => write!(
                f,
                "With the {} {base} you paid out of this customer's accounts today, more than {} {base}",
                format_money_grouped(*paid_today),
                format_money_grouped(*limit),
                base = super::BASE_CURRENCY
            ),
            Self::DrawerAboveLimit { limit } => write!(
                f,
                "Cash into a drawer above its limit of {}",
                format_money_grouped(*limit)
            ),
            Self::BeyondApprovedTotal { excess } => write!(
                f,
                "Moving {} more than the approved total",
                format_money(*excess)
            ),
            Self::BulkTotal => f.write_str("the total"),
            Self::Reversal => f.write_str("A reversal"),
            Self::StaffAccount => f.write_str("Creating staff or resetting a staff password"),
            Self::DrawerFloat => f.write_str("A drawer's float from the vault"),
            Self::DrawerAndVault => f.write_str("Cash between a drawer and the vault"),
            Self::Unfreeze => f.write_str("Unfreezing an account"),
            Self::StillPending => f.write_str("The request is still waiting for a supervisor; it"),
        }
    }
}

/// What `BankError::exit_code` sorts errors into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Refused by a bank rule (exit 1).
    Refused,
    /// Invalid input or usage (exit 2).
    Invalid,
    /// The database is unavailable or misconfigured (exit 3).
    Unavailable,
    /// Nobody (valid) is logged in (exit 4).
    Unauthenticated,
}

impl BankError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(e) => e.code(),
            Self::InsufficientFunds { .. } => "insufficient_funds",
            Self::AccountFrozen(_) => "account_frozen",
            Self::AccountClosed(_) => "account_closed",
            Self::NotFound(_) => "not_found",
            Self::DuplicateEmail(_) => "duplicate_email",
            Self::DeviceTaken(_) => "device_exists",
            Self::CurrencyMismatch { .. } => "currency_mismatch",
            Self::SameAccount => "same_account",
            Self::CurrencyNotTraded(_) => "currency_not_traded",
            Self::AlreadyTraded(_) => "already_traded",
            Self::NoRate { .. } => "no_rate",
            Self::QuoteExpired { .. } => "quote_expired",
            Self::QuoteUsed(_) => "quote_used",
            Self::TooManyQuotes(_) => "too_many_quotes",
            Self::QuoteMismatch(_) => "quote_mismatch",
            Self::IdempotencyConflict(_) => "idempotency_conflict",
            Self::UserLocked { .. } => "user_locked",
            Self::InvalidCredentials => "invalid_credentials",
            Self::LoginRequired(_) => "login_required",
            Self::PasswordChangeRequired => "password_change_required",
            Self::AdminExists => "admin_exists",
            Self::NotADemoBank(_) => "not_a_demo_bank",
            Self::Forbidden(_) => "forbidden",
            Self::BalanceNotZero { .. } => "balance_not_zero",
            Self::AlreadyInState(_) => "no_change",
            Self::DrawerClosed(_) => "drawer_closed",
            Self::DrawerAlreadyOpen(_) => "drawer_already_open",
            Self::ApprovalRequired(_) => "approval_required",
            Self::ApprovalRefused(_) => "approval_refused",
            Self::ApprovalRejected(_) => "approval_rejected",
            Self::ApprovalExpired => "approval_expired",
            Self::AlreadyReversed(_) => "already_reversed",
            Self::NotReversible { .. } => "not_reversible",
            Self::IdRequired(_) => "id_required",
            Self::VaultNotOpen(_) => "vault_not_open",
            Self::VaultAlreadyOpen(_) => "vault_already_open",
            Self::VaultCounted(_) => "vault_counted",
            Self::VaultShort(_) => "vault_short",
            Self::DayClosed(_) => "day_closed",
            Self::DayNotReady(_) => "day_not_ready",
            Self::LinkedEventFailed => "linked_event_failed",
            Self::LinkedChainOpen => "linked_event_chain_open",
            Self::BatchTooLarge(_) => "batch_too_large",
            Self::LedgerBroken(_) => "ledger_broken",
            Self::Busy => "database_busy",
            Self::Unavailable(_) => "database_unavailable",
            Self::NotAcknowledged(_) => "outcome_unknown",
            Self::Database(_) | Self::Hashing(_) => "internal_error",
            Self::Duplicate(_) => "duplicate",
        }
    }

    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) | Self::BatchTooLarge(_) => ErrorClass::Invalid,
            Self::Busy
            | Self::Unavailable(_)
            | Self::NotAcknowledged(_)
            | Self::Database(_)
            | Self::Hashing(_) => ErrorClass::Unavailable,
            Self::InvalidCredentials | Self::LoginRequired(_) | Self::PasswordChangeRequired => {
                ErrorClass::Unauthenticated
            }
            _ => ErrorClass::Refused,
        }
    }

    /// True when a money operation may or may not have happened: the connection was lost, or
    /// no second node confirmed the commit. Only a resubmission with the same key settles it.
    pub fn leaves_outcome_unknown(&self) -> bool {
        matches!(self, Self::Unavailable(_) | Self::NotAcknowledged(_))
    }

    /// True when the bank itself said no (as opposed to the database failing).
    pub fn is_refusal(&self) -> bool {
        !matches!(self.class(), ErrorClass::Unavailable)
    }
}

impl From<db::QueryError> for BankError {
    fn from(error: db::QueryError) -> Self {
        if let Some(id) = db::posting::broken_chain(&error) {
            return Self::LedgerBroken(super::accounts::number_of(id));
        }
        match db::classify(&error) {
            // Only `in_transaction` sees this one: it rolls back and runs the work again.
            Failure::Retryable => Self::Busy,
            Failure::Duplicate(key) => Self::Duplicate(key),
            Failure::Unavailable => Self::Unavailable(error.to_string()),
            Failure::Other => Self::Database(error.to_string()),
        }
    }
}

impl From<db::ConnectError> for BankError {
    fn from(error: db::ConnectError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

pub type BankResult<T> = Result<T, BankError>;
