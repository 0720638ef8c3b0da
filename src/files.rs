//! Files teller writes for a person (the log, exports, receipts, statements, end-of-day
//! reports, results files): they hold customers' names, balances and movements, so only their
//! owner may read them. A new file is created with mode 0600 (never readable by others, not
//! even for an instant); an existing regular file teller writes to is narrowed to 0600 too, so
//! a file left readable by an older version (or by a person) does not keep the bank's data
//! open. Devices and pipes (`/dev/stdout`, a FIFO) are written as they are, their mode left
//! alone.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// The mode of every file teller writes: read and write for its owner, nothing for others.
pub const PRIVATE_MODE: u32 = 0o600;

/// Opens `path` for writing from the start (created 0600, or emptied and narrowed to 0600).
pub fn create(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    open_private(path, &mut options)
}

/// Opens `path` for appending (the log): created 0600, or narrowed to 0600.
pub fn append(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    open_private(path, &mut options)
}

/// Writes `bytes` as the whole content of `path`, like `std::fs::write`, but private.
pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    let mut file = create(path)?;
    file.write_all(bytes.as_ref())?;
    file.flush()
}

#[cfg(unix)]
fn open_private(path: &Path, options: &mut OpenOptions) -> std::io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = options.mode(PRIVATE_MODE).open(path)?;
    // `mode` applies only to a file this call created; an existing one keeps its own. Narrow
    // it through the open handle (the path may have changed since), regular files only: a
    // device such as /dev/null is shared by everyone and stays as it is.
    let metadata = file.metadata()?;
    if metadata.is_file() && metadata.permissions().mode() & 0o777 != PRIVATE_MODE {
        file.set_permissions(std::fs::Permissions::from_mode(PRIVATE_MODE))?;
    }
    Ok(file)
}

#[cfg(not(unix))]
fn open_private(path: &Path, options: &mut OpenOptions) -> std::io::Result<File> {
    options.open(path)
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn new_and_existing_files_end_up_private() {
        let dir = tempfile::tempdir().expect("temp dir");
        let new = dir.path().join("new.csv");
        write(&new, "a,b\n").expect("write");
        assert_eq!(mode(&new), 0o600);

        let shared = dir.path().join("shared.csv");
        std::fs::write(&shared, "old and longer\n").expect("write");
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write(&shared, "new\n").expect("write");
        assert_eq!(mode(&shared), 0o600);
        assert_eq!(std::fs::read_to_string(&shared).expect("read"), "new\n");

        let log = dir.path().join("teller.log");
        std::fs::write(&log, "first\n").expect("write");
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o664)).expect("chmod");
        append(&log)
            .and_then(|mut f| f.write_all(b"second\n"))
            .expect("append");
        assert_eq!(mode(&log), 0o600);
        assert_eq!(
            std::fs::read_to_string(&log).expect("read"),
            "first\nsecond\n"
        );
    }

    #[test]
    fn a_device_keeps_its_mode() {
        let before = mode(Path::new("/dev/null"));
        write(Path::new("/dev/null"), "nothing").expect("write to /dev/null");
        assert_eq!(mode(Path::new("/dev/null")), before);
    }
}
