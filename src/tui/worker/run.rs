//! The worker thread: its handle, its loop, and the connection it keeps (or loses and
//! reconnects with backoff).

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::services::{Bank, BankConfig, BankError, BankResult};

use super::{Reply, Request, RequestId, WorkerMessage};
use crate::tui::context::Action;

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

/// The thread's side: the bank it owns and what it knows about the connection.
pub(super) struct Worker {
    pub(super) config: WorkerConfig,
    actions: Sender<Action>,
    bank: Option<Bank>,
    /// The node last told to the app.
    node: Option<String>,
    /// Set while the database is known to be unavailable.
    down_since: Option<Instant>,
    attempts: u32,
    /// The request being worked on, for progress reports.
    current: Option<RequestId>,
}

impl Worker {
    fn new(config: WorkerConfig, actions: Sender<Action>) -> Self {
        Self {
            config,
            actions,
            bank: None,
            node: None,
            down_since: None,
            attempts: 0,
            current: None,
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

    /// Tells the app how far the current job got: `(done, total)`. Lost messages (the app is
    /// gone) do not matter.
    pub(super) fn progress_reporter(&self) -> impl FnMut(u64, u64) {
        let actions = self.actions.clone();
        let id = self.current;
        move |done, total| {
            if let Some(id) = id {
                let message = WorkerMessage::Progress { id, done, total };
                let _ = actions.send(Action::Worker(Box::new(message)));
            }
        }
    }

    /// The bank, connecting first if needed.
    pub(super) fn bank(&mut self) -> BankResult<&mut Bank> {
        if self.bank.is_none() {
            let connected = Bank::connect(&self.config.database_url, self.config.bank.clone())
                .and_then(|mut bank| bank.load_policy().map(|()| bank));
            match connected {
                Ok(bank) => {
                    self.bank = Some(bank);
                    self.mark_up();
                    self.tell_node();
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

    /// Tells the app which node it works through, when that changed (a fail-over).
    fn tell_node(&mut self) {
        let Some(node) = self.bank.as_ref().map(|b| b.node().to_string()) else {
            return;
        };
        if self.node.as_deref() != Some(node.as_str()) {
            self.node = Some(node.clone());
            let _ = self.send(WorkerMessage::Node(node));
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
        self.current = Some(request.id);
        let body = self.run_job(request.job);
        self.current = None;
        self.tell_node();
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
}
