//! A payment file read once: its bytes copied, while hashed, into a folder only this user can
//! read, and everything after (the check, the preview's digest and total, the approval, the
//! posting) reads that copy. A file changed on disk after it was read cannot reach the journal
//! under the digest and total the supervisors and the teller saw.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{check_file_as, FileCheck, FileError};
use crate::domain::AccountNumber;

/// The private copy of a payment file, taken once.
pub struct Snapshot {
    /// Removed (with the copy) when the snapshot is dropped.
    _dir: tempfile::TempDir,
    copy: PathBuf,
    /// Where the bytes came from: named in messages, the results file goes beside it.
    source: PathBuf,
    /// Taken from a file (not standard input): the file can be compared again.
    from_file: bool,
    digest: [u8; 32],
}

impl Snapshot {
    /// Reads `path` once.
    pub fn take(path: &Path) -> Result<Self, FileError> {
        let file = File::open(path).map_err(|source| io_error(path, source))?;
        let mut snapshot = Self::read(file, path)?;
        snapshot.from_file = true;
        Ok(snapshot)
    }

    /// Reads `input` (standard input, say) once; `source` names it and places the results.
    pub fn read(mut input: impl Read, source: &Path) -> Result<Self, FileError> {
        let io = |e| io_error(source, e);
        // tempfile makes the folder 0700: no other user can swap the copy.
        let dir = tempfile::Builder::new()
            .prefix("teller-batch-")
            .tempdir()
            .map_err(io)?;
        let copy = dir.path().join("payment-file.csv");
        let mut out = BufWriter::new(File::create(&copy).map_err(io)?);
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = input.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(io)?;
        }
        out.flush().map_err(io)?;
        Ok(Self {
            _dir: dir,
            copy,
            source: source.to_path_buf(),
            from_file: false,
            digest: hasher.finalize().into(),
        })
    }

    /// The SHA-256 of the bytes read.
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// The private copy.
    pub fn copy(&self) -> &Path {
        &self.copy
    }

    /// The file the bytes came from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// Where the results file goes beside: the file, or for standard input the private copy
    /// (the results travel back on standard output; nothing is left in the working folder).
    pub fn results_beside(&self) -> &Path {
        if self.from_file {
            &self.source
        } else {
            &self.copy
        }
    }

    /// Checks the copy line by line. The digest it takes is the snapshot's, or the copy was
    /// changed under us (only this user can write it): refused.
    pub fn check(&self, payer: Option<&AccountNumber>) -> Result<FileCheck, FileError> {
        let check = check_file_as(&self.copy, &self.shown(), payer)?;
        if check.digest != self.digest {
            return Err(FileError::Changed { path: self.shown() });
        }
        Ok(check)
    }

    /// Whether the file on disk still holds the bytes read (standard input always does). Only
    /// compared, never posted from: a file changed while its approval was awaited is refused,
    /// not posted as it was nor as it is.
    pub fn unchanged_on_disk(&self) -> Result<bool, FileError> {
        if !self.from_file {
            return Ok(true);
        }
        let mut file = File::open(&self.source).map_err(|source| io_error(&self.source, source))?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher).map_err(|e| io_error(&self.source, e))?;
        Ok(<[u8; 32]>::from(hasher.finalize()) == self.digest)
    }

    pub(super) fn shown(&self) -> String {
        self.source.display().to_string()
    }
}

fn io_error(path: &Path, source: std::io::Error) -> FileError {
    FileError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Reads `64` hex digits (a digest printed by a preview) into bytes.
pub fn parse_digest(hex_digits: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(hex_digits.trim()).ok()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_keeps_the_bytes_read_whatever_happens_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pay.csv");
        std::fs::write(&path, "to,amount\n").unwrap();
        let snapshot = Snapshot::take(&path).unwrap();
        std::fs::write(&path, "to,amount\nchanged\n").unwrap();
        assert_eq!(std::fs::read(snapshot.copy()).unwrap(), b"to,amount\n");
        assert_eq!(
            snapshot.digest(),
            <[u8; 32]>::from(Sha256::digest(b"to,amount\n"))
        );
        assert_eq!(snapshot.source(), path.as_path());
        assert!(!snapshot.unchanged_on_disk().unwrap());
        std::fs::write(&path, "to,amount\n").unwrap();
        assert!(snapshot.unchanged_on_disk().unwrap());
    }

    #[test]
    fn digests_parse_from_64_hex_digits_only() {
        let hex_digits = "ab".repeat(32);
        assert_eq!(parse_digest(&hex_digits), Some([0xab; 32]));
        assert_eq!(parse_digest(&hex_digits[..62]), None);
        assert_eq!(parse_digest(&"zz".repeat(32)), None);
    }
}
