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

/// The keys of `teller audit --acknowledged FILE`: one per line (`-`: standard input); blank
/// lines and lines starting with `#` are skipped. A line that is not a key is refused with its
/// number, before the audit runs.
pub(super) fn acknowledged_keys(
    path: &std::path::Path,
) -> Result<Vec<crate::domain::IdempotencyKey>, CliError> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)?;
        text
    } else {
        std::fs::read_to_string(path)?
    };
    let mut keys = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key = crate::domain::IdempotencyKey::parse(line)
            .map_err(|e| CliError::Usage(format!("{} line {}: {e}", path.display(), number + 1)))?;
        keys.push(key);
    }
    Ok(keys)
}
