//! Raw input as the command line and standard input give it, before it becomes a domain type.

use std::io::BufRead;

use super::CliError;

/// The first line of standard input, without its line ending (nothing else is trimmed).
pub(super) fn read_password() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        return Err(CliError::Usage(
            "the password is read from the first line of standard input, and it was empty".into(),
        ));
    }
    Ok(password.to_string())
}

/// A `--date` as typed: YYYY-MM-DD.
pub(super) fn parse_date(raw: &str) -> Result<chrono::NaiveDate, CliError> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| CliError::Usage(format!("--date is YYYY-MM-DD, not {raw:?}")))
}
