//! The worker: one thread that owns the `Bank` and its database connection. The UI sends it
//! requests over a channel and never waits; each answer comes back as an app action. bcrypt
//! runs here too, so a login at cost 12 never freezes the screen.
//!
//! When the database is unavailable the worker drops its connection, says so, and tries to
//! reconnect by itself with exponential backoff; a request that arrives meanwhile is answered
//! with the "unavailable" error at once, and nothing is retried behind the user's back.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

use crate::domain::{AccountNumber, CashCount, Currency, Email, Password, Reason, Secret};
use crate::services::{
    AccountStatus, AccountView, Actor, Approval, Bank, BankConfig, BankError, BankResult,
    CashRequest, CustomerHit, DrawerView, HistoryEntry, MoneyResult, NewUserInput, ProfileChanges,
    SessionUser, TransferRequest, UserProfile, MAX_PAGE,
};

use super::context::Action;

pub type RequestId = u64;

/// A piece of work for the worker.
#[derive(Debug, Clone)]
pub enum Job {
    /// Log in.
    Login {
        email: Email,
        password: Secret,
    },
    /// Replace a password someone else set, then log in (the login's forced change).
    ChangePasswordAtLogin {
        email: Email,
        current: Secret,
        new: Password,
    },
    /// Check the password again to lift the idle lock.
    Reauthenticate {
        email: Email,
        password: Secret,
    },
    Accounts {
        actor: Actor,
        owner: Email,
    },
    History {
        actor: Actor,
        account: AccountNumber,
        before: Option<i64>,
        limit: u32,
    },
    /// The recent balances of several accounts at once (the home screen's trends): one
    /// request, however many accounts.
    Trends {
        actor: Actor,
        accounts: Vec<AccountNumber>,
        points: u32,
    },
    /// Who owns an account, as "D. Julis".
    Recipient {
        number: AccountNumber,
    },
    Transfer {
        actor: Actor,
        request: TransferRequest,
    },
    Profile {
        actor: Actor,
        email: Email,
    },
    UpdateProfile {
        actor: Actor,
        email: Email,
        changes: ProfileChanges,
    },
    ChangePassword {
        actor: Actor,
        current: Secret,
        new: Password,
    },
    /// The whole history of an account as CSV, written to `path`.
    ExportHistory {
        actor: Actor,
        account: AccountNumber,
        path: PathBuf,
    },
    // ---- the teller's workstation ----
    /// Customers matching what was typed in the lookup.
    SearchCustomers {
        actor: Actor,
        query: String,
    },
    /// The bank's rules the screens mirror (the approval limit).
    Limits,
    RegisterUser {
        actor: Actor,
        input: NewUserInput,
    },
    OpenAccount {
        actor: Actor,
        owner: Email,
        currency: Currency,
    },
    /// Freeze, or unfreeze with a supervisor's approval.
    SetAccountStatus {
        actor: Actor,
        account: AccountNumber,
        status: AccountStatus,
        approval: Option<Approval>,
    },
    UnlockUser {
        actor: Actor,
        email: Email,
    },
    ResetPassword {
        actor: Actor,
        email: Email,
        password: Password,
    },
    /// The teller's open drawer session, if any.
    Drawer {
        actor: Actor,
    },
    OpenDrawer {
        actor: Actor,
        currency: Currency,
        count: CashCount,
    },
    CloseDrawer {
        actor: Actor,
        session: i64,
        count: CashCount,
    },
    /// Cash in or out at the counter, approved by a supervisor when given.
    Cash {
        actor: Actor,
        kind: CashKind,
        request: CashRequest,
        approval: Option<Approval>,
    },
    /// A transfer made by staff for a customer, approved by a supervisor when given.
    CounterTransfer {
        actor: Actor,
        request: TransferRequest,
        approval: Option<Approval>,
    },
    Reverse {
        actor: Actor,
        reference: i64,
        reason: Reason,
        approval: Option<Approval>,
    },
    /// A receipt written to a text file.
    WriteReceipt {
        path: PathBuf,
        text: String,
    },
}

/// Which way cash moves at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CashKind {
    Deposit,
    Withdrawal,
}

impl Job {
    /// A name for the log (never the values: they may hold passwords).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Login { .. } => "login",
            Self::ChangePasswordAtLogin { .. } => "change_password_at_login",
            Self::Reauthenticate { .. } => "reauthenticate",
            Self::Accounts { .. } => "accounts",
            Self::History { .. } => "history",
            Self::Trends { .. } => "trends",
            Self::Recipient { .. } => "recipient",
            Self::Transfer { .. } => "transfer",
            Self::Profile { .. } => "profile",
            Self::UpdateProfile { .. } => "update_profile",
            Self::ChangePassword { .. } => "change_password",
            Self::ExportHistory { .. } => "export_history",
            Self::SearchCustomers { .. } => "search_customers",
            Self::Limits => "limits",
            Self::RegisterUser { .. } => "register_user",
            Self::OpenAccount { .. } => "open_account",
            Self::SetAccountStatus { .. } => "set_account_status",
            Self::UnlockUser { .. } => "unlock_user",
            Self::ResetPassword { .. } => "reset_password",
            Self::Drawer { .. } => "drawer",
            Self::OpenDrawer { .. } => "open_drawer",
            Self::CloseDrawer { .. } => "close_drawer",
            Self::Cash {
                kind: CashKind::Deposit,
                ..
            } => "deposit",
            Self::Cash {
                kind: CashKind::Withdrawal,
                ..
            } => "withdraw",
            Self::CounterTransfer { .. } => "counter_transfer",
            Self::Reverse { .. } => "reverse",
            Self::WriteReceipt { .. } => "write_receipt",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub id: RequestId,
    pub job: Job,
}

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

/// The answer to a job, one variant per kind.
#[derive(Debug)]
pub enum ReplyBody {
    Session(BankResult<SessionUser>),
    Accounts(BankResult<Vec<AccountView>>),
    History {
        account: String,
        before: Option<i64>,
        result: BankResult<Vec<HistoryEntry>>,
    },
    /// Recent balances by account.
    Trends(BankResult<Vec<Trend>>),
    Recipient {
        number: String,
        result: BankResult<String>,
    },
    Transfer(BankResult<MoneyResult>),
    Profile(BankResult<UserProfile>),
    PasswordChanged(BankResult<()>),
    Exported(Result<Exported, ExportError>),
    // ---- the teller's workstation ----
    Customers {
        query: String,
        result: BankResult<Vec<CustomerHit>>,
    },
    Limits {
        approval_limit: Decimal,
    },
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
}

impl ReplyBody {
    /// What kind of answer this is, for the log (never its contents).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Session(_) => "session",
            Self::Accounts(_) => "accounts",
            Self::History { .. } => "history",
            Self::Trends(_) => "trends",
            Self::Recipient { .. } => "recipient",
            Self::Transfer(_) => "transfer",
            Self::Profile(_) => "profile",
            Self::PasswordChanged(_) => "password_changed",
            Self::Exported(_) => "exported",
            Self::Customers { .. } => "customers",
            Self::Limits { .. } => "limits",
            Self::Account(_) => "account",
            Self::Done(_) => "done",
            Self::Drawer(_) => "drawer",
            Self::DrawerSession(_) => "drawer_session",
            Self::Money(_) => "money",
            Self::Receipt(_) => "receipt",
        }
    }

    /// The error this answer carries, if any.
    pub fn bank_error(&self) -> Option<&BankError> {
        match self {
            Self::Session(Err(e))
            | Self::Accounts(Err(e))
            | Self::History { result: Err(e), .. }
            | Self::Trends(Err(e))
            | Self::Recipient { result: Err(e), .. }
            | Self::Transfer(Err(e))
            | Self::Profile(Err(e))
            | Self::PasswordChanged(Err(e))
            | Self::Exported(Err(ExportError::Bank(e)))
            | Self::Customers { result: Err(e), .. }
            | Self::Account(Err(e))
            | Self::Done(Err(e))
            | Self::Drawer(Err(e))
            | Self::DrawerSession(Err(e))
            | Self::Money(Err(e))
            | Self::Receipt(Err(ExportError::Bank(e))) => Some(e),
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
#[derive(Debug)]
pub enum WorkerMessage {
    Reply(Reply),
    /// The database went away (with the reason, for the log) or came back.
    DatabaseDown(String),
    DatabaseUp,
    /// The worker panicked and is gone: the app cannot go on (the text is for the person).
    Crashed(String),
}

/// Runs the worker's loop; if it panics, logs the details and tells the app, which then stops
/// and restores the terminal instead of waiting forever for answers that will not come.
pub fn run_guarded(actions: &Sender<Action>, work: impl FnOnce()) {
    let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) else {
        return;
    };
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    tracing::error!(panic = %what, "the worker thread panicked; the app stops");
    let _ = actions.send(Action::Worker(Box::new(WorkerMessage::Crashed(what))));
}

/// True for errors that mean the connection is gone (as opposed to a refusal or a busy row).
pub fn is_connection_lost(error: &BankError) -> bool {
    matches!(error, BankError::Unavailable(_))
}

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub database_url: String,
    pub bank: BankConfig,
    /// First pause between reconnection attempts; doubles up to `backoff_max`.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
}

impl WorkerConfig {
    pub fn new(database_url: impl Into<String>, bank: BankConfig) -> Self {
        Self {
            database_url: database_url.into(),
            bank,
            backoff_min: Duration::from_millis(250),
            backoff_max: Duration::from_secs(8),
        }
    }
}

/// The UI's end of the worker: send requests, nothing else.
pub struct WorkerHandle {
    requests: Sender<Request>,
    thread: Option<JoinHandle<()>>,
}

impl WorkerHandle {
    /// Starts the worker thread; its answers arrive on `actions`.
    pub fn spawn(config: WorkerConfig, actions: Sender<Action>) -> std::io::Result<Self> {
        let (requests, inbox) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("teller-worker".into())
            .spawn(move || {
                let report = actions.clone();
                run_guarded(&report, move || Worker::new(config, actions).run(&inbox));
            })?;
        Ok(Self {
            requests,
            thread: Some(thread),
        })
    }

    /// Hands a request over; false when the worker is gone.
    pub fn send(&self, request: Request) -> bool {
        self.requests.send(request).is_ok()
    }

    /// Stops the worker after the job it is on (dropping the channel ends its loop).
    pub fn shutdown(mut self) {
        let (dummy, _) = mpsc::channel();
        drop(std::mem::replace(&mut self.requests, dummy));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Worker {
    config: WorkerConfig,
    actions: Sender<Action>,
    bank: Option<Bank>,
    /// Set while the database is known to be unavailable.
    down_since: Option<Instant>,
    attempts: u32,
}

impl Worker {
    fn new(config: WorkerConfig, actions: Sender<Action>) -> Self {
        Self {
            config,
            actions,
            bank: None,
            down_since: None,
            attempts: 0,
        }
    }

    fn run(mut self, inbox: &Receiver<Request>) {
        tracing::info!("worker started");
        loop {
            let next = if self.down_since.is_some() {
                inbox.recv_timeout(self.backoff())
            } else {
                inbox.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            match next {
                Ok(request) => {
                    let reply = self.handle(request);
                    if self.send(WorkerMessage::Reply(reply)).is_err() {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.try_reconnect();
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        tracing::info!("worker stopped");
    }

    fn backoff(&self) -> Duration {
        let factor = 1u32 << self.attempts.min(10);
        self.config
            .backoff_min
            .saturating_mul(factor)
            .min(self.config.backoff_max)
    }

    fn send(&self, message: WorkerMessage) -> Result<(), ()> {
        self.actions
            .send(Action::Worker(Box::new(message)))
            .map_err(|_| ())
    }

    /// The bank, connecting first if needed.
    fn bank(&mut self) -> BankResult<&mut Bank> {
        if self.bank.is_none() {
            let connected = Bank::connect(&self.config.database_url, self.config.bank.clone())
                .and_then(|mut bank| bank.load_policy().map(|()| bank));
            match connected {
                Ok(bank) => {
                    self.bank = Some(bank);
                    self.mark_up();
                }
                Err(error) => {
                    self.mark_down(&error);
                    return Err(error);
                }
            }
        }
        self.bank
            .as_mut()
            .ok_or_else(|| BankError::Unavailable("no connection".into()))
    }

    fn try_reconnect(&mut self) {
        self.attempts = self.attempts.saturating_add(1);
        tracing::debug!(attempt = self.attempts, "reconnecting to the database");
        let _ = self.bank();
    }

    fn mark_down(&mut self, error: &BankError) {
        self.bank = None;
        if self.down_since.is_none() {
            tracing::warn!(%error, "database unavailable");
            self.down_since = Some(Instant::now());
            self.attempts = 0;
            let _ = self.send(WorkerMessage::DatabaseDown(error.to_string()));
        }
    }

    fn mark_up(&mut self) {
        if let Some(since) = self.down_since.take() {
            tracing::info!(
                after_ms = since.elapsed().as_millis() as u64,
                "database connection restored"
            );
            self.attempts = 0;
            let _ = self.send(WorkerMessage::DatabaseUp);
        }
    }

    fn handle(&mut self, request: Request) -> Reply {
        let started = Instant::now();
        let name = request.job.name();
        let body = self.run_job(request.job);
        let outcome = body.bank_error().map_or("ok", BankError::code);
        tracing::info!(
            job = name,
            id = request.id,
            outcome,
            ms = started.elapsed().as_millis() as u64,
            "job done"
        );
        if let Some(error) = body.bank_error() {
            if is_connection_lost(error) {
                let reason = BankError::Unavailable(error.to_string());
                self.mark_down(&reason);
            }
        }
        Reply {
            id: request.id,
            body,
        }
    }

    fn run_job(&mut self, job: Job) -> ReplyBody {
        match job {
            Job::Login { email, password } | Job::Reauthenticate { email, password } => {
                ReplyBody::Session(self.bank().and_then(|b| b.authenticate(&email, &password)))
            }
            Job::ChangePasswordAtLogin {
                email,
                current,
                new,
            } => ReplyBody::Session(
                self.bank()
                    .and_then(|b| b.change_password_at_login(&email, &current, &new)),
            ),
            Job::Accounts { actor, owner } => {
                ReplyBody::Accounts(self.bank().and_then(|b| b.accounts(&actor, &owner)))
            }
            Job::History {
                actor,
                account,
                before,
                limit,
            } => ReplyBody::History {
                account: account.as_str().to_string(),
                before,
                result: self
                    .bank()
                    .and_then(|b| b.history(&actor, &account, before, limit)),
            },
            Job::Trends {
                actor,
                accounts,
                points,
            } => ReplyBody::Trends(self.trends(&actor, &accounts, points)),
            Job::Recipient { number } => ReplyBody::Recipient {
                number: number.as_str().to_string(),
                result: self.bank().and_then(|b| b.recipient_name(&number)),
            },
            Job::Transfer { actor, request } => {
                ReplyBody::Transfer(self.bank().and_then(|b| b.transfer(&actor, &request)))
            }
            Job::Profile { actor, email } => {
                ReplyBody::Profile(self.bank().and_then(|b| b.profile(&actor, &email)))
            }
            Job::UpdateProfile {
                actor,
                email,
                changes,
            } => ReplyBody::Profile(
                self.bank()
                    .and_then(|b| b.update_profile(&actor, &email, &changes)),
            ),
            Job::ChangePassword {
                actor,
                current,
                new,
            } => ReplyBody::PasswordChanged(
                self.bank()
                    .and_then(|b| b.change_password(&actor, &current, &new)),
            ),
            Job::ExportHistory {
                actor,
                account,
                path,
            } => ReplyBody::Exported(self.export(&actor, &account, path)),
            Job::SearchCustomers { actor, query } => ReplyBody::Customers {
                result: self.bank().and_then(|b| b.search_customers(&actor, &query)),
                query,
            },
            // The bank's own limit (its policy in the database), once connected.
            Job::Limits => {
                let fallback = self.config.bank.approval_limit;
                ReplyBody::Limits {
                    approval_limit: self.bank().map_or(fallback, |b| b.config().approval_limit),
                }
            }
            Job::RegisterUser { actor, input } => {
                ReplyBody::Profile(self.bank().and_then(|b| b.register_user(&actor, input)))
            }
            Job::OpenAccount {
                actor,
                owner,
                currency,
            } => ReplyBody::Account(
                self.bank()
                    .and_then(|b| b.open_account(&actor, &owner, currency)),
            ),
            Job::SetAccountStatus {
                actor,
                account,
                status,
                approval,
            } => ReplyBody::Account(self.bank().and_then(|b| match &approval {
                Some(approval) if status == AccountStatus::Open => {
                    b.unfreeze_approved(&actor, &account, approval)
                }
                _ => b.set_account_status(&actor, &account, status),
            })),
            Job::UnlockUser { actor, email } => {
                ReplyBody::Done(self.bank().and_then(|b| b.unlock_user(&actor, &email)))
            }
            Job::ResetPassword {
                actor,
                email,
                password,
            } => ReplyBody::Done(
                self.bank()
                    .and_then(|b| b.reset_password(&actor, &email, &password)),
            ),
            Job::Drawer { actor } => ReplyBody::Drawer(self.bank().and_then(|b| b.drawer(&actor))),
            Job::OpenDrawer {
                actor,
                currency,
                count,
            } => ReplyBody::DrawerSession(
                self.bank()
                    .and_then(|b| b.open_drawer(&actor, currency, &count)),
            ),
            Job::CloseDrawer {
                actor,
                session,
                count,
            } => ReplyBody::DrawerSession(
                self.bank()
                    .and_then(|b| b.close_drawer(&actor, session, &count)),
            ),
            Job::Cash {
                actor,
                kind,
                request,
                approval,
            } => ReplyBody::Money(self.bank().and_then(|b| match (kind, &approval) {
                (CashKind::Deposit, _) => b.deposit(&actor, &request),
                (CashKind::Withdrawal, Some(approval)) => {
                    b.withdraw_approved(&actor, &request, approval)
                }
                (CashKind::Withdrawal, None) => b.withdraw(&actor, &request),
            })),
            Job::CounterTransfer {
                actor,
                request,
                approval,
            } => ReplyBody::Money(self.bank().and_then(|b| match &approval {
                Some(approval) => b.transfer_approved(&actor, &request, approval),
                None => b.transfer(&actor, &request),
            })),
            Job::Reverse {
                actor,
                reference,
                reason,
                approval,
            } => ReplyBody::Money(
                self.bank()
                    .and_then(|b| b.reverse(&actor, reference, &reason, approval.as_ref())),
            ),
            Job::WriteReceipt { path, text } => ReplyBody::Receipt(write_text(path, &text)),
        }
    }

    /// The last `points` balances of each account, from the history service.
    fn trends(
        &mut self,
        actor: &Actor,
        accounts: &[AccountNumber],
        points: u32,
    ) -> BankResult<Vec<Trend>> {
        let bank = self.bank()?;
        accounts
            .iter()
            .map(|account| {
                let page = bank.history(actor, account, None, points)?;
                Ok(Trend::from_history(account, &page))
            })
            .collect()
    }

    /// Reads the whole history a page at a time and writes it as CSV.
    fn export(
        &mut self,
        actor: &Actor,
        account: &AccountNumber,
        path: PathBuf,
    ) -> Result<Exported, ExportError> {
        let bank = self.bank()?;
        let mut entries: Vec<HistoryEntry> = Vec::new();
        let mut before = None;
        loop {
            let page = bank.history(actor, account, before, MAX_PAGE)?;
            let full = page.len() == MAX_PAGE as usize;
            before = page.last().map(|e| e.id);
            entries.extend(page);
            if !full || before.is_none() {
                break;
            }
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, crate::export::history_csv(&entries))?;
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        Ok(Exported {
            path,
            movements: entries.len(),
        })
    }
}

/// Writes a text file (creating its folder) and answers its full path.
fn write_text(path: PathBuf, text: &str) -> Result<PathBuf, ExportError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, text)?;
    Ok(std::fs::canonicalize(&path).unwrap_or(path))
}
