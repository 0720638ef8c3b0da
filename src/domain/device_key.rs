//! A device's SSH public key, as `ssh-keygen` writes it (`ssh-ed25519 AAAA... comment`).

use std::fmt;

use russh::keys::ssh_key::{HashAlg, PublicKey};

use super::error::{Field, ValidationError};

/// A parsed public key: its OpenSSH text without the comment, and its SHA-256 fingerprint as
/// `ssh-keygen -lf` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceKey {
    openssh: String,
    fingerprint: String,
}

impl DeviceKey {
    /// The first line of a `.pub` file. A private key is refused with a plain word: it must
    /// never leave the workstation.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let line = raw
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        if line.contains("PRIVATE KEY") {
            return Err(ValidationError::new(
                Field::DeviceKey,
                "this is a private key: give the .pub file, and keep the private key on the workstation",
            ));
        }
        let key = PublicKey::from_openssh(line).map_err(|_| {
            ValidationError::new(
                Field::DeviceKey,
                "not an OpenSSH public key (the one line of a .pub file, e.g. ssh-ed25519 AAAA...)",
            )
        })?;
        Ok(Self::from_key(&key))
    }

    /// The key a client proved it holds.
    pub fn from_key(key: &PublicKey) -> Self {
        let mut bare = key.clone();
        bare.set_comment("");
        Self {
            openssh: bare.to_openssh().unwrap_or_default().trim().to_string(),
            fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        }
    }

    pub fn openssh(&self) -> &str {
        &self.openssh
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

impl fmt::Display for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO8AxLwb9UKWZBnS5HK7tpVus3hPqGQK89dJ1ScFnen8 till-3@branch";

    #[test]
    fn a_pub_line_parses_without_its_comment() {
        let key = DeviceKey::parse(&format!("\n{KEY}\n")).expect("parses");
        assert!(key.openssh().starts_with("ssh-ed25519 AAAAC3"));
        assert!(!key.openssh().contains("till-3@branch"));
        assert!(key.fingerprint().starts_with("SHA256:"));
        let other_comment = KEY.replace("till-3@branch", "renamed");
        assert_eq!(DeviceKey::parse(&other_comment).expect("parses"), key);
    }

    #[test]
    fn private_keys_and_garbage_are_refused() {
        let private = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n";
        let e = DeviceKey::parse(private).expect_err("private");
        assert!(e.rule.contains("private key"), "{e}");
        for raw in ["", "ssh-ed25519", "ssh-ed25519 not-base64", "hello world"] {
            assert_eq!(
                DeviceKey::parse(raw).expect_err(raw).field,
                Field::DeviceKey
            );
        }
    }
}
