//! What the worker answers: one reply per job, and news of the database.

use std::path::PathBuf;

use rust_decimal::Decimal;

use crate::bulk::PostError;
use crate::domain::AccountNumber;
use crate::services::{
    AccountView, ApprovalRequestView, BankError, BankResult, CustomerHit, DrawerView, EodReport,
    HistoryEntry, MoneyResult, Payee, SessionUser, UserProfile, VaultView,
};

use super::RequestId;

/// A finished export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub path: PathBuf,
    pub movements: usize,
}

/// An account's recent balances, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    pub account: String,
    pub balances: Vec<Decimal>,
}

impl Trend {
    /// From a page of history (newest first, as the bank lists it).
    pub fn from_history(account: &AccountNumber, newest_first: &[HistoryEntry]) -> Self {
        Self {
            account: account.as_str().to_string(),
            balances: newest_first.iter().rev().map(|e| e.balance_after).collect(),
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What a payment file holds, before anything moves.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkPreview {
    pub path: PathBuf,
    pub valid: u64,
    pub invalid: u64,
    /// The first invalid lines, as "line 7, amount: …".
    pub errors: Vec<String>,
    pub total: Decimal,
    /// Staff above the approval limit: a supervisor approves the whole file.
    pub needs_approval: bool,
    /// The SHA-256 of the bytes previewed: the post refuses any other.
    pub digest: [u8; 32],
}

impl BulkPreview {
    /// The preview of a checked file: its first five invalid lines in words.
    pub fn of(path: PathBuf, check: &crate::bulk::FileCheck, needs_approval: bool) -> Self {
        Self {
            path,
            valid: check.valid,
            invalid: check.invalid,
            errors: check
                .errors
                .iter()
                .take(5)
                .map(ToString::to_string)
                .collect(),
            total: check.total,
            needs_approval,
            digest: check.digest,
        }
    }
}

/// A payment file posted to its end.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkSummary {
    pub done: u64,
    pub replayed: u64,
    pub refused: u64,
    pub invalid: u64,
    pub moved: Decimal,
    /// The results file written beside the input.
    pub results: PathBuf,
    pub seconds: f64,
}

/// The answer to a job, one variant per kind.
#[derive(Debug, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ReplyBody {
    Session(BankResult<SessionUser>),
    Accounts(BankResult<Vec<AccountView>>),
    History(HistoryPage),
    /// Recent balances by account.
    Trends(BankResult<Vec<Trend>>),
    Recipient(RecipientName),
    Transfer(BankResult<MoneyResult>),
    Profile(BankResult<UserProfile>),
    PasswordChanged(BankResult<()>),
    Exported(Result<Exported, ExportError>),
    // ---- the teller's workstation ----
    Customers(CustomerMatches),
    /// The bank's approval limit.
    Limits(Decimal),
    Account(BankResult<AccountView>),
    /// Done, nothing to show (unlock, password reset).
    Done(BankResult<()>),
    /// The open drawer session, if any.
    Drawer(BankResult<Option<DrawerView>>),
    /// A drawer session just opened or closed.
    DrawerSession(BankResult<DrawerView>),
    /// A deposit, withdrawal, transfer or reversal made at the counter.
    Money(BankResult<MoneyResult>),
    /// Where a receipt was written.
    Receipt(Result<PathBuf, ExportError>),
    /// Where a statement's PDF was written.
    StatementWritten(Result<PathBuf, ExportError>),
    /// The next payment file in the folder, if it holds any.
    PaymentFile(Option<PathBuf>),
    BulkPreview(Result<BulkPreview, PostError>),
    BulkPosted(Result<BulkSummary, PostError>),
    /// Today's vault, if it is open.
    Vault(BankResult<Option<VaultView>>),
    /// The vault just opened or counted.
    VaultDay(BankResult<VaultView>),
    /// The day closed (or was closed already), and where its report went.
    EndOfDay(BankResult<DayClosed>),
    /// An approval request as it stands (sent, looked at, decided).
    ApprovalRequest(BankResult<ApprovalRequestView>),
    /// The requests waiting for a supervisor.
    PendingApprovals(BankResult<Vec<ApprovalRequestView>>),
    /// The exchange rates in force and to come.
    Rates(BankResult<Vec<crate::services::RateView>>),
    /// A pair's rates just set.
    RateSet(BankResult<crate::services::RateView>),
    /// The currencies the bank trades.
    Currencies(BankResult<Vec<crate::services::CurrencyView>>),
    /// A quote, until it expires.
    Quote(BankResult<crate::services::QuoteView>),
    /// Both legs of an exchange done at the counter.
    Exchanged(BankResult<crate::services::ExchangeResult>),
}

/// A page of an account's history, with what was asked (the account, the page before).
#[derive(Debug)]
pub struct HistoryPage {
    pub account: AccountNumber,
    pub before: Option<i64>,
    pub result: BankResult<Vec<HistoryEntry>>,
}

/// Who owns an account, as "D. Julis", and its currency.
#[derive(Debug)]
pub struct RecipientName {
    pub number: AccountNumber,
    pub result: BankResult<Payee>,
}

/// The customers found for what was typed.
#[derive(Debug)]
pub struct CustomerMatches {
    pub query: String,
    pub result: BankResult<Vec<CustomerHit>>,
}

/// A closed day: its proof, and the report's path or why it could not be written.
#[derive(Debug)]
pub struct DayClosed {
    pub report: Box<EodReport>,
    pub written: Result<PathBuf, String>,
}

impl ReplyBody {
    /// What kind of answer this is, for the log (never its contents): the variant's name in
    /// snake case.
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// The error this answer carries, if any.
    pub fn bank_error(&self) -> Option<&BankError> {
        match self {
            Self::Session(Err(e))
            | Self::Accounts(Err(e))
            | Self::History(HistoryPage { result: Err(e), .. })
            | Self::Trends(Err(e))
            | Self::Recipient(RecipientName { result: Err(e), .. })
            | Self::Transfer(Err(e))
            | Self::Profile(Err(e))
            | Self::PasswordChanged(Err(e))
            | Self::Exported(Err(ExportError::Bank(e)))
            | Self::Customers(CustomerMatches { result: Err(e), .. })
            | Self::Account(Err(e))
            | Self::Done(Err(e))
            | Self::Drawer(Err(e))
            | Self::DrawerSession(Err(e))
            | Self::Money(Err(e))
            | Self::Receipt(Err(ExportError::Bank(e)))
            | Self::StatementWritten(Err(ExportError::Bank(e)))
            | Self::BulkPreview(Err(PostError::Bank(e)))
            | Self::BulkPosted(Err(PostError::Bank(e)))
            | Self::Vault(Err(e))
            | Self::VaultDay(Err(e))
            | Self::EndOfDay(Err(e))
            | Self::ApprovalRequest(Err(e))
            | Self::PendingApprovals(Err(e)) => Some(e),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct Reply {
    pub id: RequestId,
    pub body: ReplyBody,
}

/// What the worker tells the app.
// The app receives it boxed (`Action::Worker`), so its size costs one allocation either way.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum WorkerMessage {
    Reply(Reply),
    /// The database went away (with the reason, for the log) or came back.
    DatabaseDown(String),
    DatabaseUp,
    /// The database node in use now (a cluster's URL lists several).
    Node(String),
    /// The worker panicked and is gone: the app cannot go on (the text is for the person).
    Crashed(String),
    /// A long job's progress: `done` of `total` (the job's reply comes at the end as usual).
    Progress {
        id: RequestId,
        done: u64,
        total: u64,
    },
}
