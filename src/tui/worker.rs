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

use crate::domain::{AccountNumber, Email, Password, Secret};
use crate::services::{
    AccountView, Actor, Bank, BankConfig, BankError, BankResult, HistoryEntry, MoneyResult,
    ProfileChanges, SessionUser, TransferRequest, UserProfile, MAX_PAGE,
};

use super::app::Action;

pub type RequestId = u64;

/// A piece of work for the worker.
#[derive(Debug, Clone)]
pub enum Job {
    /// Log in.
    Login {
        email: Email,
        password: Secret,
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
}

impl Job {
    /// A name for the log (never the values: they may hold passwords).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Login { .. } => "login",
            Self::Reauthenticate { .. } => "reauthenticate",
            Self::Accounts { .. } => "accounts",
            Self::History { .. } => "history",
            Self::Recipient { .. } => "recipient",
            Self::Transfer { .. } => "transfer",
            Self::Profile { .. } => "profile",
            Self::UpdateProfile { .. } => "update_profile",
            Self::ChangePassword { .. } => "change_password",
            Self::ExportHistory { .. } => "export_history",
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
    Recipient {
        number: String,
        result: BankResult<String>,
    },
    Transfer(BankResult<MoneyResult>),
    Profile(BankResult<UserProfile>),
    PasswordChanged(BankResult<()>),
    Exported(Result<Exported, ExportError>),
}

impl ReplyBody {
    /// The error this answer carries, if any.
    pub fn bank_error(&self) -> Option<&BankError> {
        match self {
            Self::Session(Err(e))
            | Self::Accounts(Err(e))
            | Self::History { result: Err(e), .. }
            | Self::Recipient { result: Err(e), .. }
            | Self::Transfer(Err(e))
            | Self::Profile(Err(e))
            | Self::PasswordChanged(Err(e))
            | Self::Exported(Err(ExportError::Bank(e))) => Some(e),
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
            .spawn(move || Worker::new(config, actions).run(&inbox))?;
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
        self.actions.send(Action::Worker(message)).map_err(|_| ())
    }

    /// The bank, connecting first if needed.
    fn bank(&mut self) -> BankResult<&mut Bank> {
        if self.bank.is_none() {
            match Bank::connect(&self.config.database_url, self.config.bank.clone()) {
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
        }
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
