//! Diagnostics to a log file via `tracing`, never onto the screen. The file is `TELLER_LOG`
//! when set, else `$XDG_STATE_HOME/teller/teller.log`, else `~/.local/state/teller/teller.log`.
//! `TELLER_LOG_LEVEL` (error, warn, info, debug, trace) sets the detail; info by default.
//! Passwords never reach the log: jobs are logged by name only, and the password types' Debug
//! prints `***`.

use std::path::PathBuf;
use std::sync::Mutex;

/// Where the log goes.
pub fn log_path() -> Option<PathBuf> {
    crate::paths::state_file("TELLER_LOG", "teller.log")
}

/// Sends `tracing` output to the log file; returns its path, or `None` when it could not be
/// opened (the app then runs without a log rather than write on the screen).
pub fn init() -> Option<PathBuf> {
    let path = log_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    // Readable by its owner only (0600): the log names customers and accounts.
    let file = crate::files::append(&path).ok()?;
    let level = std::env::var("TELLER_LOG_LEVEL")
        .ok()
        .and_then(|l| l.trim().parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .with_thread_names(true)
        .try_init()
        .ok()?;
    Some(path)
}
