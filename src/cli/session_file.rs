//! Where `teller login` keeps its session token: a file only its owner can read
//! (`TELLER_SESSION_FILE`, else `$XDG_STATE_HOME/teller/session`, else
//! `~/.local/state/teller/session`). It names the database it belongs to, so a token for one
//! bank is never sent to another.
//!
//! It is bound to the OS user (uid) and the host that ran `teller login`: both are stored and
//! compared, and the token itself is kept masked with a key derived from them, so a copy of the
//! file used by another user or on another machine sends no valid token, even with the stored
//! uid and host edited to match.

use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::CliError;
use crate::domain::Secret;
use crate::services::BankError;

#[derive(Serialize, Deserialize)]
struct Stored {
    database: String,
    /// Who and where the session was made.
    uid: u32,
    host: String,
    /// The token XOR SHA-256(uid, host), hex: only that user on that host gets it back.
    token: String,
}

/// The OS user and host a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub uid: u32,
    pub host: String,
}

impl Owner {
    /// This process's real user and this machine's host name.
    pub fn current() -> Result<Self, CliError> {
        let unknown = |what: &str| {
            CliError::Config(format!(
                "the {what} could not be read, so a session file cannot be bound to it: pass                  --user (or TELLER_USER) with TELLER_PASSWORD instead"
            ))
        };
        Ok(Self {
            uid: current_uid().ok_or_else(|| unknown("OS user"))?,
            host: current_host().ok_or_else(|| unknown("host name"))?,
        })
    }

    /// The mask of the token: SHA-256 of a prefix, the uid and the host.
    fn mask(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(b"teller.session.owner.v1\0");
        hasher.update(self.uid.to_be_bytes());
        hasher.update(self.host.as_bytes());
        hasher.finalize().into()
    }

    /// The token as stored (masked), or back (the same operation).
    fn mask_token(&self, token: &[u8]) -> Vec<u8> {
        let mask = self.mask();
        token
            .iter()
            .zip(mask.iter().cycle())
            .map(|(t, m)| t ^ m)
            .collect()
    }
}

#[cfg(unix)]
fn current_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's user (no libc call, no unsafe).
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

#[cfg(not(unix))]
fn current_uid() -> Option<u32> {
    None
}

fn current_host() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}

pub fn path() -> Option<PathBuf> {
    crate::paths::state_file("TELLER_SESSION_FILE", "session")
}

/// Stores the token for `database`, readable and writable by the owner only.
pub fn save(database: &str, token: &Secret) -> Result<PathBuf, CliError> {
    save_for(database, token, &Owner::current()?)
}

fn save_for(database: &str, token: &Secret, owner: &Owner) -> Result<PathBuf, CliError> {
    let path = path().ok_or_else(|| {
        CliError::Config("no place for the session file: set HOME or TELLER_SESSION_FILE".into())
    })?;
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let body = serde_json::to_string(&Stored {
        database: database.to_string(),
        uid: owner.uid,
        host: owner.host.clone(),
        token: hex::encode(owner.mask_token(token.expose().as_bytes())),
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
/// A file made by another OS user or on another host is refused (`login_required`).
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
    // A file of an older version (no uid and host) is no session: log in again.
    let Ok(stored) = serde_json::from_str::<Stored>(&text) else {
        return Ok(None);
    };
    if stored.database != database {
        return Ok(None);
    }
    unmask(&stored, &Owner::current()?).map(Some)
}

/// The token of `stored`, for `owner` only.
fn unmask(stored: &Stored, owner: &Owner) -> Result<Secret, CliError> {
    if stored.uid != owner.uid || stored.host != owner.host {
        return Err(BankError::LoginRequired(
            "the session file was made by another OS user or on another machine (a copy): run              `teller login` here"
                .into(),
        )
        .into());
    }
    // Masked with the stored uid and host; an edited file unmasks to a token nobody issued.
    let token = hex::decode(&stored.token)
        .ok()
        .map(|masked| owner.mask_token(&masked))
        .and_then(|token| String::from_utf8(token).ok())
        .ok_or_else(|| {
            BankError::LoginRequired("the session file is damaged: run `teller login`".into())
        })?;
    Ok(Secret::new(token))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(uid: u32, host: &str) -> Owner {
        Owner {
            uid,
            host: host.into(),
        }
    }

    fn stored_by(made: &Owner, token: &str) -> Stored {
        Stored {
            database: "db".into(),
            uid: made.uid,
            host: made.host.clone(),
            token: hex::encode(made.mask_token(token.as_bytes())),
        }
    }

    #[test]
    fn the_token_comes_back_for_its_user_on_its_host_only() {
        let alice = owner(1000, "till-1");
        let stored = stored_by(&alice, "the-session-token");
        assert!(!stored.token.contains(&hex::encode("the-session-token")));
        assert_eq!(
            unmask(&stored, &alice).unwrap().expose(),
            "the-session-token"
        );
        for other in [owner(1001, "till-1"), owner(1000, "till-2")] {
            let refused = unmask(&stored, &other).unwrap_err();
            assert!(refused.to_string().contains("another OS user"), "{refused}");
        }
    }

    #[test]
    fn a_copy_with_its_uid_and_host_edited_sends_a_token_nobody_issued() {
        let alice = owner(1000, "till-1");
        let mallory = owner(1002, "laptop");
        let mut copied = stored_by(&alice, "the-session-token");
        copied.uid = mallory.uid;
        copied.host = mallory.host.clone();
        let token = unmask(&copied, &mallory);
        assert!(token.map_or(true, |t| t.expose() != "the-session-token"));
    }

    #[test]
    fn this_process_has_a_user_and_a_host() {
        let me = Owner::current().unwrap();
        assert!(!me.host.is_empty());
    }
}
