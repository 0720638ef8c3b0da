//! The server's SSH host key: created on first start (ed25519, mode 0600), then reused, so
//! workstations can pin its fingerprint.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rand::Rng;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::ssh_key::LineEnding;
use russh::keys::{HashAlg, PrivateKey};

use super::ServeError;

/// Where the host key lives without `--host-key`.
pub fn default_path() -> Option<PathBuf> {
    crate::paths::state_file("TELLER_HOST_KEY", "ssh_host_ed25519_key")
}

/// The host key at `path`, created when there is none. Returns the key and whether it is new.
pub fn load_or_create(path: &Path) -> Result<(PrivateKey, bool), ServeError> {
    if path.exists() {
        check_private(path)?;
        let key = russh::keys::load_secret_key(path, None)
            .map_err(|e| ServeError::HostKey(format!("{}: {e}", path.display())))?;
        return Ok((key, false));
    }
    let mut seed = [0u8; 32];
    rand::rng().fill(&mut seed);
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| ServeError::HostKey(e.to_string()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    Ok((key, true))
}

/// A host key others can read is no secret: refuse it rather than serve with it.
fn check_private(path: &Path) -> Result<(), ServeError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(ServeError::HostKey(format!(
            "{} can be read by others (mode {:o}): chmod 600 it, or remove it to make a new one",
            path.display(),
            mode & 0o777
        )));
    }
    Ok(())
}

/// "SHA256:..." as `ssh-keygen -lf` and the client's first-connection prompt show it.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn created_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("host");
        let (first, new) = load_or_create(&path).unwrap();
        assert!(new);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let (again, new) = load_or_create(&path).unwrap();
        assert!(!new);
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(load_or_create(&path).is_err());
    }
}
