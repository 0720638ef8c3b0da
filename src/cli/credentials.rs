//! Who a command acts as: `--user` (or `TELLER_USER`) with a password from `TELLER_PASSWORD`
//! or a prompt without echo, else the session of `teller login`. Supervisors approving an
//! operation the same way (`--approver`, `TELLER_APPROVER_PASSWORD`).

use std::io::IsTerminal;

use super::{session_file, CliError};
use crate::db::DatabaseUrl;
use crate::domain::{Email, Secret};
use crate::services::{Actor, Approval, Bank, BankError};

/// A password from `variable`, else typed at the terminal without echo (only when standard
/// input is a terminal, so a script never hangs on a prompt).
pub fn password(variable: &str, prompt: &str) -> Result<Secret, CliError> {
    if let Ok(password) = std::env::var(variable) {
        return Ok(Secret::new(password));
    }
    if !std::io::stdin().is_terminal() {
        return Err(BankError::LoginRequired(format!(
            "no password: set {variable} or run the command in a terminal to be asked"
        ))
        .into());
    }
    let typed = rpassword::prompt_password(prompt)?;
    Ok(Secret::new(typed))
}

/// The email `--user` names, parsed.
pub fn user_email(user: Option<&str>) -> Result<Option<Email>, CliError> {
    Ok(user.map(Email::parse).transpose()?)
}

/// The person the command acts as, logged in through the bank's own services.
pub fn actor(bank: &mut Bank, user: Option<&str>, url: &str) -> Result<Actor, CliError> {
    if let Some(email) = user_email(user)? {
        let secret = password("TELLER_PASSWORD", &format!("Password for {email}: "))?;
        return Ok(Actor::User(bank.people().authenticate(&email, &secret)?));
    }
    // Over SSH no session is kept on the server: every command names its person.
    if super::served::is_served() {
        return Err(BankError::LoginRequired(
            "name yourself with TELLER_USER and TELLER_PASSWORD (ssh -o SetEnv=...), or connect with ssh -t to be asked".into(),
        )
        .into());
    }
    match session_file::load(&database_identity(url))? {
        Some(token) => Ok(Actor::User(bank.people().resume_session(&token)?)),
        None => Err(BankError::LoginRequired(
            "run `teller login`, or pass --user EMAIL (or TELLER_USER) with TELLER_PASSWORD".into(),
        )
        .into()),
    }
}

/// The supervisor's approval named by `--approver`, if any.
pub fn approval(approver: Option<&str>) -> Result<Option<Approval>, CliError> {
    let Some(raw) = approver else {
        return Ok(None);
    };
    let supervisor = Email::parse(raw)?;
    let password = password(
        "TELLER_APPROVER_PASSWORD",
        &format!("Password of the approving supervisor {supervisor}: "),
    )
    .map_err(|_| {
        CliError::Usage(
            "--approver needs the supervisor's password: set TELLER_APPROVER_PASSWORD or run the command in a terminal".into(),
        )
    })?;
    Ok(Some(Approval::Typed {
        supervisor,
        password,
    }))
}

/// Which database a session belongs to: account, server and name, never the password.
pub fn database_identity(url: &str) -> String {
    match DatabaseUrl::parse(url) {
        Ok(u) => format!(
            "{}@{}:{}/{}",
            u.user,
            u.host,
            u.port.unwrap_or(3306),
            u.database.unwrap_or_default()
        ),
        Err(_) => crate::db::redact_password(url),
    }
}
