//! A command the branch server runs for a registered device (`teller serve`, over SSH). The
//! server starts this binary with a clean environment naming the device in
//! `TELLER_SERVED_DEVICE`; here such a command keeps to what a workstation may ask: no set-up,
//! no login kept on the server, no file paths on the server (standard input and output carry
//! files), and the server's own database.
//!
//! Someone who runs `teller` on the server with this variable set already holds the database
//! password, so the variable is no guard against them: it keeps a device's commands in line.

use super::args::{BatchCommand, Cli, Command};
use super::CliError;
use crate::domain::DeviceName;
use crate::serve::DEVICE_VAR;

/// The device this command runs for, when the branch server started it.
pub fn device() -> Option<DeviceName> {
    let raw = std::env::var(DEVICE_VAR).ok()?;
    DeviceName::parse(&raw).ok()
}

pub fn is_served() -> bool {
    std::env::var_os(DEVICE_VAR).is_some()
}

/// Files live on the workstation: over SSH a path would name a file on the server.
pub fn refuse_server_path(flag: &str) -> Result<(), CliError> {
    if is_served() {
        return Err(CliError::Usage(format!(
            "over SSH {flag} takes `-`: files stay on the workstation (standard input and output)"
        )));
    }
    Ok(())
}

/// Refuses what a device may not ask for over SSH.
pub fn check(cli: &Cli) -> Result<(), CliError> {
    if std::env::var(DEVICE_VAR).is_ok() && device().is_none() {
        return Err(CliError::Config(format!(
            "{DEVICE_VAR} is not a device name"
        )));
    }
    let server_url = std::env::var("DATABASE_URL").ok();
    if cli.database_url != server_url || cli.owner_url.is_some() {
        return Err(CliError::Usage(
            "over SSH the database is the branch server's own: --database-url and --owner-url are refused".into(),
        ));
    }
    match &cli.command {
        None => Err(CliError::Usage(
            "name a command (ssh HOST teller balance ACCOUNT), or connect with a terminal (ssh -t HOST) for the app".into(),
        )),
        Some(
            Command::Migrate
            | Command::Demo
            | Command::Bench(_)
            | Command::BootstrapAdmin { .. }
            | Command::Serve(_),
        ) => Err(CliError::Usage(
            "set-up commands (migrate, demo, bench, bootstrap-admin, serve) run on the server itself, not over SSH".into(),
        )),
        Some(Command::Login | Command::Logout) => Err(CliError::Usage(
            "over SSH nobody stays logged in on the server: name yourself with TELLER_USER and TELLER_PASSWORD (ssh -o SetEnv=...), or answer the prompt (ssh -t)".into(),
        )),
        Some(Command::Statement { pdf: Some(path), .. }) if path.as_os_str() != "-" => {
            refuse_server_path("--pdf")
        }
        Some(Command::Batch(BatchCommand::Post { file, .. })) if file.as_os_str() != "-" => {
            refuse_server_path("batch post FILE")
        }
        Some(_) => Ok(()),
    }
}
