//! Files the worker looks up for a screen: the folder may sit on a slow or network drive, so
//! its listing never runs on the UI thread.

use std::path::{Path, PathBuf};

/// The payment file after (or before) `current` in `folder`, by name, wrapping around; none
/// when the folder holds none. Results and dry-run files are not payment files.
pub fn next_payment_file(folder: &Path, current: &str, forward: bool) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            path.is_file()
                && name.to_ascii_lowercase().ends_with(".csv")
                && !name.contains(".results.")
                && !name.contains(".dry-run.")
        })
        .collect();
    files.sort();
    let at = files.iter().position(|f| f.as_os_str() == current);
    let next = match (at, forward) {
        (None, true) => 0,
        (None, false) => files.len().checked_sub(1)?,
        (Some(i), true) => (i + 1) % files.len(),
        (Some(i), false) => (i + files.len() - 1) % files.len(),
    };
    files.get(next).cloned()
}
