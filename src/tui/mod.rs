//! The full-screen app (`teller` with no command): ratatui + crossterm + tui-input, on the same
//! services as the CLI. This module is the only place that knows about the terminal.
//!
//! Shape (the Elm architecture): [`app::App`] is the model and [`app::App::update`] the only
//! place state changes; [`ui::render`] draws; [`worker`] owns the bank and its connection on a
//! thread of its own so the UI never waits on the database or bcrypt; [`event`] reads the
//! terminal. [`run_loop`] is generic over the ratatui `Backend`, so tests drive the real loop
//! with `TestBackend`.
//!
//! Diagnostics go to a log file (see [`logging::log_path`]), never onto the screen.

pub mod app;
pub mod clock;
pub mod context;
pub mod desk;
pub mod event;
pub mod key_overrides;
pub mod keymap;
pub mod keys;
pub mod logging;
pub mod route;
pub mod screens;
pub mod strings;
pub mod strings_approvals;
pub mod strings_day;
pub mod strings_fx;
#[doc(hidden)]
/// A fake bank and a key-driven driver for the screen tests; not in the release binary.
#[cfg(feature = "test-support")]
pub mod testing;
pub mod theme;
pub mod ui;
pub mod widgets;
pub mod worker;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::backend::Backend;
use ratatui::Terminal;

use crate::config::FileConfig;
use crate::services::BankConfig;
use app::{Action, App, Notice};
use clock::SystemClock;
use keymap::Keymap;
use theme::{Theme, ThemeName};
use worker::{WorkerConfig, WorkerHandle};

/// Idle time before the lock when `TELLER_IDLE_SECONDS` is not set.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(300);

/// Settings of the app (the bank's own are in [`BankConfig`]).
#[derive(Debug, Clone)]
pub struct TuiConfig {
    /// Lock the screen after this long without a key; `None` never locks.
    pub idle_timeout: Option<Duration>,
    /// Where history exports are written.
    pub export_dir: PathBuf,
    /// The database shown in the header, without any password.
    pub database_label: String,
    /// The database's name, shown with the node in use once the worker names it.
    pub database_name: String,
    /// How often the spinner turns and the idle lock is checked.
    pub tick: Duration,
    /// The styles, already without colour when `NO_COLOR` asks for none.
    pub theme: Theme,
    /// Clicks and the wheel.
    pub mouse: bool,
    /// The global and tab keys, with the bank's choices.
    pub keymap: Keymap,
    /// The registered device a served session runs for (shown in the header); None locally.
    pub device: Option<String>,
}

impl TuiConfig {
    /// A served session's own look: the workstation's `TELLER_THEME` and `NO_COLOR` (sent as
    /// SSH environment requests) over the server's.
    pub fn apply_client_look(&mut self, theme: Option<&str>, no_color: bool) -> Result<(), String> {
        if let Some(raw) = theme.filter(|t| !t.is_empty()) {
            self.theme = Theme::named(raw.parse::<ThemeName>()?);
        }
        if no_color {
            self.theme = self.theme.clone().without_colour();
        }
        Ok(())
    }
}

impl TuiConfig {
    pub fn new(database_url: &str) -> Self {
        Self {
            idle_timeout: Some(DEFAULT_IDLE),
            export_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            database_label: database_label(database_url),
            database_name: crate::db::database_name(database_url).unwrap_or_default(),
            tick: Duration::from_millis(200),
            theme: Theme::default(),
            mouse: true,
            keymap: Keymap::default(),
            device: None,
        }
    }

    /// The configuration file's settings with the environment over them:
    /// `TELLER_IDLE_SECONDS` (0 turns the lock off), `TELLER_EXPORT_DIR`, `TELLER_THEME`,
    /// `TELLER_MOUSE` (0 turns the mouse off) and `NO_COLOR`.
    pub fn resolve(database_url: &str, file: &FileConfig) -> Result<Self, String> {
        let mut config = Self::new(database_url);
        if let Some(raw) = FileConfig::env_or("TELLER_IDLE_SECONDS", file.idle_lock_seconds) {
            let seconds: u64 = raw
                .trim()
                .parse()
                .map_err(|_| format!("{}{raw:?}", strings::BAD_IDLE_SECONDS))?;
            config.idle_timeout = (seconds > 0).then(|| Duration::from_secs(seconds));
        }
        config.export_dir = file.export_dir();
        let theme = match std::env::var("TELLER_THEME").ok().filter(|t| !t.is_empty()) {
            Some(raw) => raw.parse::<ThemeName>()?,
            None => file.theme.unwrap_or_default(),
        };
        config.theme = Theme::named(theme);
        if theme::no_colour_requested() {
            config.theme = config.theme.without_colour();
        }
        config.mouse = match std::env::var("TELLER_MOUSE").ok().filter(|m| !m.is_empty()) {
            Some(raw) => match raw.trim() {
                "0" | "false" | "off" | "no" => false,
                "1" | "true" | "on" | "yes" => true,
                other => return Err(format!("TELLER_MOUSE must be 0 or 1, not {other:?}")),
            },
            None => file.mouse.unwrap_or(true),
        };
        if let Some(keys) = &file.keys {
            config.keymap = Keymap::with_overrides(keys)?;
        }
        Ok(config)
    }
}

/// "teller on 127.0.0.1:3307" from a database URL; never shows the password.
pub fn database_label(url: &str) -> String {
    let name = crate::db::database_name(url).unwrap_or_default();
    format!("{name} on {}", crate::db::nodes::node_label(url))
}

/// Why the app could not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("{0}")]
    NoTerminal(String),
    #[error("{0}")]
    Config(String),
    #[error("the terminal failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("teller stopped after an internal error ({0}); nothing was lost: every operation that finished is saved. Details are in the log file{1}.")]
    WorkerCrashed(String, String),
}

/// The app draws on a terminal: refuse clearly when standard input or output is not one.
pub fn require_terminal() -> Result<(), TuiError> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(TuiError::NoTerminal(strings::NO_TERMINAL.into()))
    }
}

/// Restores the terminal however the loop ends (ratatui's panic hook covers panics).
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        mouse_capture(false);
        ratatui::restore();
    }
}

/// Asks the terminal to report clicks and the wheel, or to stop. Failing is harmless: the
/// keyboard does everything the mouse does.
fn mouse_capture(on: bool) {
    use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
    use ratatui::crossterm::execute;
    let mut out = std::io::stdout();
    let result = if on {
        execute!(out, EnableMouseCapture)
    } else {
        execute!(out, DisableMouseCapture)
    };
    if let Err(error) = result {
        tracing::warn!(%error, on, "the terminal refused the mouse setting");
    }
}

/// Runs the app on the real terminal until the person quits.
pub fn run(database_url: &str, bank: BankConfig, file: &FileConfig) -> Result<(), TuiError> {
    require_terminal()?;
    let config = TuiConfig::resolve(database_url, file).map_err(TuiError::Config)?;
    let log = logging::init();
    tracing::info!(
        database = %config.database_label,
        log = ?log,
        idle = ?config.idle_timeout,
        "teller app starting"
    );
    let (actions, inbox) = mpsc::channel();
    let worker = WorkerHandle::spawn(WorkerConfig::new(database_url, bank), actions.clone())?;
    let mut terminal = ratatui::try_init()?;
    let guard = RestoreGuard;
    if config.mouse {
        mouse_capture(true);
        // After a panic too, the terminal must stop sending mouse reports to the shell.
        let restore_terminal = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            mouse_capture(false);
            restore_terminal(info);
        }));
    }
    event::spawn_input_thread(actions)?;
    let mut app = App::new(config, Arc::new(SystemClock));
    let result = run_loop(&mut terminal, &mut app, &inbox, &worker);
    drop(guard);
    // The worker may be inside a slow query or bcrypt: let the process end it rather than wait.
    drop(worker);
    tracing::info!("teller app stopped");
    result.map_err(TuiError::Io)?;
    match app.fatal() {
        Some(what) => {
            let place = log
                .as_ref()
                .map_or(String::new(), |p| format!(" {}", p.display()));
            Err(TuiError::WorkerCrashed(what.to_string(), place))
        }
        None => Ok(()),
    }
}

/// The main loop: draw, wait for an action (or the next tick), update, repeat. Generic over
/// the backend so tests run it on `TestBackend`.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    inbox: &Receiver<Action>,
    worker: &WorkerHandle,
) -> Result<(), B::Error> {
    // A local terminal's size is read by ratatui itself before each frame.
    run_loop_with(terminal, app, inbox, worker, |_, _, _| Ok(()))
}

/// The main loop, with what a resize does to the terminal: nothing for a local one (ratatui
/// reads its size), a new viewport for one served over SSH (its size comes in messages).
pub fn run_loop_with<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    inbox: &Receiver<Action>,
    worker: &WorkerHandle,
    mut on_resize: impl FnMut(&mut Terminal<B>, u16, u16) -> Result<(), B::Error>,
) -> Result<(), B::Error> {
    let tick = app.config.tick;
    let mut last_tick = Instant::now();
    terminal.draw(|frame| ui::render(app, frame))?;
    while !app.should_quit() {
        let wait = tick.saturating_sub(last_tick.elapsed());
        match inbox.recv_timeout(wait) {
            Ok(action) => {
                if let Action::Resize(width, height) = action {
                    on_resize(terminal, width, height)?;
                }
                step(app, action, worker);
                // Take whatever else is waiting before drawing again.
                while let Ok(action) = inbox.try_recv() {
                    if let Action::Resize(width, height) = action {
                        on_resize(terminal, width, height)?;
                    }
                    step(app, action, worker);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if last_tick.elapsed() >= tick {
            step(app, Action::Tick, worker);
            last_tick = Instant::now();
        }
        terminal.draw(|frame| ui::render(app, frame))?;
    }
    Ok(())
}

/// One update, then the requests it made go to the worker.
pub fn step(app: &mut App, action: Action, worker: &WorkerHandle) {
    app.update(action);
    for request in app.take_requests() {
        tracing::debug!(id = request.id, job = request.job.name(), "request");
        if !worker.send(request) {
            tracing::error!("the worker thread is gone");
            app.notice = Some(Notice::Error(strings::DB_UNAVAILABLE_ACTION.into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_label_hides_the_password() {
        assert_eq!(
            database_label("mysql://root:secret@127.0.0.1:3307/teller?ssl_mode=disabled"),
            "teller on 127.0.0.1:3307"
        );
        assert_eq!(
            database_label("mysql://root@db.local/bank"),
            "bank on db.local"
        );
    }
}
