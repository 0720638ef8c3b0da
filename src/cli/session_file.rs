//! Where `teller login` keeps its session token: a file only its owner can read
//! (`TELLER_SESSION_FILE`, else `$XDG_STATE_HOME/teller/session`, else
//! `~/.local/state/teller/session`). It names the database it belongs to, so a token for one
//! bank is never sent to another.

use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::CliError;
use crate::domain::Secret;

#[derive(Serialize, Deserialize)]
struct Stored {
    database: String,
    token: String,
}

pub fn path() -> Option<PathBuf> {
    crate::paths::state_file("TELLER_SESSION_FILE", "session")
}

/// Stores the token for `database`, readable and writable by the owner only.
pub fn save(database: &str, token: &Secret) -> Result<PathBuf, CliError> {
    let path = path().ok_or_else(|| {
        CliError::Config("no place for the session file: set HOME or TELLER_SESSION_FILE".into())
    })?;
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let body = serde_json::to_string(&Stored {
        database: database.to_string(),
        token: token.expose().to_string(),
    })
    .map_err(|e| CliError::Config(format!("the session could not be written: {e}")))?;
    // Write a new file with mode 0600 from the start, then move it into place.
    let temp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&temp);
    let mut file = private_file(&temp)?;
    file.write_all(body.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temp, &path)?;
    Ok(path)
}

/// The stored token for `database`, if any. A file others can read is refused (and left for
/// its owner to remove): a token that may have leaked is no proof of who is typing.
pub fn load(database: &str) -> Result<Option<Secret>, CliError> {
    let Some(path) = path() else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    refuse_shared(&path)?;
    let Ok(stored) = serde_json::from_str::<Stored>(&text) else {
        return Ok(None);
    };
    Ok((stored.database == database).then(|| Secret::new(stored.token)))
}

/// Removes the session file; a missing one is fine.
pub fn remove() -> Result<(), CliError> {
    if let Some(path) = path() {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &std::path::Path) -> Result<(), CliError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(dir: &std::path::Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)?;
    Ok(())
}

#[cfg(unix)]
fn private_file(path: &std::path::Path) -> Result<std::fs::File, CliError> {
    use std::os::unix::fs::OpenOptionsExt;
    Ok(std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?)
}

#[cfg(not(unix))]
fn private_file(path: &std::path::Path) -> Result<std::fs::File, CliError> {
    Ok(std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?)
}

#[cfg(unix)]
fn refuse_shared(path: &std::path::Path) -> Result<(), CliError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(CliError::Config(format!(
            "the session file {} can be read by others (mode {:o}): remove it and run `teller login` again",
            path.display(),
            mode & 0o777
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_shared(_path: &std::path::Path) -> Result<(), CliError> {
    Ok(())
}
