//! Everything a service can refuse or fail with, in words a teller understands.

use chrono::{DateTime, Utc};

use crate::db::{self, DuplicateKey, Failure};
use crate::domain::ValidationError;

/// A service's refusal or failure. `code()` is the stable name scripts see.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("Not enough money in account {account}: the balance is {balance}, the operation needs {needed}.")]
    InsufficientFunds {
        account: String,
        balance: String,
        needed: String,
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
        from_currency: String,
        to: String,
        to_currency: String,
    },
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
    #[error("Account {account} still holds {balance}; only an empty account can be closed.")]
    BalanceNotZero { account: String, balance: String },
    #[error("The account is already {0}.")]
    AlreadyInState(&'static str),
    #[error(
        "No cash drawer of yours is open ({0}): open it (count the float) before handling cash."
    )]
    DrawerClosed(String),
    #[error("Your cash drawer is already open; close it before opening another.")]
    DrawerAlreadyOpen,
    #[error("{0} needs a supervisor's approval: an admin types their email and password.")]
    ApprovalRequired(String),
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
    #[error("The database stayed busy (lock conflicts); nothing was done. Try again.")]
    Busy,
    #[error("The database is unavailable: {0}")]
    Unavailable(String),
    #[error("Unexpected database error: {0}")]
    Database(String),
    #[error("Password hashing failed: {0}")]
    Hashing(String),
    /// A unique key refused a row; services turn this into a meaningful refusal.
    #[error("That record already exists.")]
    Duplicate(Option<DuplicateKey>),
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
            Self::DrawerAlreadyOpen => "drawer_already_open",
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
            Self::Busy => "database_busy",
            Self::Unavailable(_) => "database_unavailable",
            Self::Database(_) | Self::Hashing(_) => "internal_error",
            Self::Duplicate(_) => "duplicate",
        }
    }

    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) | Self::BatchTooLarge(_) => ErrorClass::Invalid,
            Self::Busy | Self::Unavailable(_) | Self::Database(_) | Self::Hashing(_) => {
                ErrorClass::Unavailable
            }
            Self::InvalidCredentials | Self::LoginRequired(_) | Self::PasswordChangeRequired => {
                ErrorClass::Unauthenticated
            }
            _ => ErrorClass::Refused,
        }
    }

    /// True when the bank itself said no (as opposed to the database failing).
    pub fn is_refusal(&self) -> bool {
        !matches!(self.class(), ErrorClass::Unavailable)
    }
}

impl From<db::QueryError> for BankError {
    fn from(error: db::QueryError) -> Self {
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
