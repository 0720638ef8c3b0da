//! The headless CLI: `teller <command>` runs one service call as a logged-in person (set-up
//! commands as the database owner).

mod approvals;
mod args;
mod audit_progress;
mod batch;
mod bench;
mod bench_login;
mod bench_scale;
mod commands;
mod credentials;
mod day;
mod desk;
mod devices;
mod fx;
mod input;
mod output;
mod scratch;
pub mod served;
mod session_file;
mod setup;

use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;

/// The app account's bank with the bank's policy loaded, as every command gets it (the branch
/// server opens its banks with it).
fn app_bank_for_serve(
    url: &str,
    config: crate::services::BankConfig,
) -> Result<crate::services::Bank, String> {
    setup::app_bank(url, config).map_err(|e| e.to_string())
}

use crate::db::ConnectError;
use crate::domain::ValidationError;
use crate::services::{BankError, ErrorClass};

/// Why a command did not finish.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The audit found a broken invariant; the report was printed already.
    #[error("the audit found problems")]
    AuditFailed,
    #[error(transparent)]
    BadUrl(#[from] crate::db::url::BadUrl),
    /// The connection broke before the answer came: the operation may or may not have
    /// happened. The same key applies it at most once.
    #[error("{source} It is not known whether the operation was done: run the same command again with --key {key} (it is applied at most once).")]
    Uncertain { key: String, source: BankError },
    #[error(transparent)]
    File(#[from] crate::bulk::FileError),
    /// Lines of a payment file are invalid; nothing moved (they were listed already).
    #[error(
        "{0} line(s) of the file are invalid; nothing moved (--skip-invalid posts the others)"
    )]
    InvalidLines(u64),
    /// Some lines of a payment file were refused; the others went through (see the results).
    #[error("{0} line(s) were refused; the others went through: see {1}")]
    RefusedLines(u64, String),
    #[error(transparent)]
    Serve(#[from] crate::serve::ServeError),
}

impl From<ValidationError> for CliError {
    fn from(e: ValidationError) -> Self {
        Self::Bank(BankError::Invalid(e))
    }
}

impl CliError {
    fn code(&self) -> &'static str {
        match self {
            Self::Bank(e) => e.code(),
            Self::Usage(_) => "usage",
            Self::Config(_) => "misconfigured",
            Self::Connect(_) => "database_unavailable",
            Self::Io(_) => "io_error",
            Self::AuditFailed => "audit_failed",
            Self::BadUrl(_) => "usage",
            Self::Uncertain { .. } => "outcome_unknown",
            Self::File(_) => "bad_file",
            Self::InvalidLines(_) => "invalid_lines",
            Self::RefusedLines(..) => "refused_lines",
            Self::Serve(_) => "serve_failed",
        }
    }

    fn exit_code(&self) -> u8 {
        match self {
            Self::Bank(e) => match e.class() {
                ErrorClass::Refused => 1,
                ErrorClass::Invalid => 2,
                ErrorClass::Unavailable => 3,
                ErrorClass::Unauthenticated => 4,
            },
            Self::AuditFailed | Self::RefusedLines(..) => 1,
            Self::File(_) | Self::InvalidLines(_) => 2,
            Self::Usage(_) | Self::BadUrl(_) => 2,
            Self::Connect(e) if e.is_invalid_input() => 2,
            Self::Config(_)
            | Self::Connect(_)
            | Self::Io(_)
            | Self::Uncertain { .. }
            | Self::Serve(_) => 3,
        }
    }
}

/// Entry point of the `teller` binary.
pub fn main() -> ExitCode {
    // A missing .env is normal; DATABASE_URL may come from the environment instead. A command
    // the branch server runs gets its environment from the server alone.
    if !served::is_served() {
        let _ = dotenvy::dotenv();
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let json = cli.json;
    let checked = if served::is_served() {
        served::check(&cli)
    } else {
        Ok(())
    };
    match checked.and_then(|()| commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if json {
                let mut body =
                    serde_json::json!({ "error": error.code(), "message": error.to_string() });
                if let CliError::Uncertain { key, .. } = &error {
                    body["key"] = serde_json::Value::String(key.clone());
                }
                eprintln!("{body}");
            } else if !matches!(error, CliError::AuditFailed) {
                eprintln!("teller: {error}");
            }
            ExitCode::from(error.exit_code())
        }
    }
}

/// clap's own answers: help and version as clap prints them; a usage error exits 2, and with
/// `--json` among the arguments it is reported as JSON like every other error.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let informational = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if informational || !std::env::args_os().any(|arg| arg == "--json") {
        error.exit();
    }
    // An argument clap parsed into a domain type and found invalid keeps the type's own code
    // and words (`invalid_amount`, ...), as it had when the command parsed it.
    let invalid = std::error::Error::source(error)
        .and_then(|source| source.downcast_ref::<crate::domain::ValidationError>());
    let body = match invalid {
        Some(invalid) => {
            serde_json::json!({ "error": invalid.code(), "message": invalid.to_string() })
        }
        None => {
            let text = error.to_string();
            let message = text
                .trim_start_matches("error: ")
                .split("\n\n")
                .next()
                .unwrap_or_default();
            serde_json::json!({ "error": "usage", "message": message.trim() })
        }
    };
    eprintln!("{body}");
    ExitCode::from(2)
}
