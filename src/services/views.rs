//! What services hand back: plain data, no database rows.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{BankError, BankResult};
use crate::domain::{AccountNumber, Currency, Email, Role, Secret};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProfile {
    pub id: i64,
    pub email: Email,
    pub name: String,
    pub surname: Option<String>,
    pub age: u8,
    pub country: String,
    pub city: Option<String>,
    pub phones: Vec<String>,
    pub role: Role,
    /// Set while too many failed logins keep the user out.
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserProfile {
    /// "Diana Julis", or just "Irina".
    pub fn full_name(&self) -> String {
        match &self.surname {
            Some(surname) => format!("{} {surname}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub number: AccountNumber,
    /// The owner's email, or an internal account's label (a drawer's, a vault's).
    pub owner: Option<String>,
    pub currency: Currency,
    pub balance: Decimal,
    pub status: AccountStatus,
    pub created_at: DateTime<Utc>,
}

pub use crate::domain::{AccountStatus, MovementKind};

/// One side of a movement as a customer sees it: an account, cash at the counter, or the
/// bank's exchange (the position of a currency, the other side of each leg of an exchange).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    Account(AccountNumber),
    Cash,
    Exchange,
}

impl std::fmt::Display for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Account(number) => f.write_str(number.as_str()),
            Self::Cash => f.write_str("cash"),
            Self::Exchange => f.write_str("exchange"),
        }
    }
}

/// The outcome of a deposit, withdrawal or transfer (also when replayed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyResult {
    /// The journal reference.
    pub id: i64,
    pub key: String,
    pub kind: MovementKind,
    pub amount: Decimal,
    pub currency: Currency,
    pub from: Party,
    pub to: Party,
    /// New balance of each customer account involved, by account number.
    pub balances: Vec<(AccountNumber, Decimal)>,
    pub memo: Option<String>,
    pub at: DateTime<Utc>,
    /// True when this key was applied before and nothing moved now.
    pub replayed: bool,
    /// The device the movement came from.
    pub device: String,
    /// A cash deposit left the teller's drawer above its limit: the next cash-in needs a cash
    /// drop first or a supervisor (the teller is told this, never the drawer's total).
    pub drawer_over_limit: bool,
}

/// One line of an account's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: MovementKind,
    /// Negative when money left the account.
    pub amount: Decimal,
    pub currency: Currency,
    pub counterparty: Party,
    pub balance_after: Decimal,
    pub key: String,
    pub memo: Option<String>,
    /// The device it came from (`local` without the branch server).
    pub device: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

impl AuditCheck {
    /// A check that holds when there are no `problems` (then `holds` says what holds), else
    /// names them.
    pub(super) fn from_problems(
        name: &'static str,
        problems: impl Iterator<Item = String>,
        holds: &str,
    ) -> Self {
        let problems: Vec<String> = problems.collect();
        Self {
            name,
            ok: problems.is_empty(),
            detail: if problems.is_empty() {
                holds.to_string()
            } else {
                problems.join("; ")
            },
        }
    }
}

/// How much of the book an audit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditScope {
    /// The rows after the newest checkpoint (the daily audit, and end of day's): every
    /// invariant and rule over them, the chain after the checkpoint's seal, and the cached
    /// balances against the sums carried to the checkpoint. O(the rows since), not O(history).
    SinceCheckpoint,
    /// Everything from the first row, and the newest checkpoint's carried sums and counts
    /// against the journal (`teller audit --full`, for the auditors).
    Full,
}

impl AuditScope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SinceCheckpoint => "since_checkpoint",
            Self::Full => "full",
        }
    }
}

/// The result of checking every invariant of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub ok: bool,
    pub checks: Vec<AuditCheck>,
    pub accounts: i64,
    pub movements: i64,
    pub scope: AuditScope,
    /// The rows checked are those after these ids (0: all of them).
    pub after_movement_id: i64,
    pub after_audit_id: i64,
    /// Movements and audit lines checked.
    pub rows_checked: i64,
    /// The checkpoint this audit wrote, if it passed and got past the last one.
    pub checkpoint: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
    pub approved_by: Option<String>,
    pub device: String,
}

/// A stored email as the type it was written from: one that no longer reads as an address is
/// a database fault, never a string passed on.
pub(super) fn stored_email(raw: &str) -> BankResult<Email> {
    Email::parse(raw).map_err(|_| BankError::Database("a stored email is not an address".into()))
}

pub(crate) fn utc(at: chrono::NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// A supervisor's approval: typed on the teller's screen, or given in the supervisor's own
/// session to a request the teller sent (`Desk::request_approval`).
#[derive(Debug, Clone)]
pub enum Approval {
    Typed {
        supervisor: Email,
        password: Secret,
    },
    /// An approved request: bound to one operation, used once.
    Request(i64),
}

impl Approval {
    /// The supervisor typed on this screen, if that is how it was given.
    pub fn supervisor(&self) -> Option<&Email> {
        match self {
            Self::Typed { supervisor, .. } => Some(supervisor),
            Self::Request(_) => None,
        }
    }
}
