//! Where teller keeps a user's own files (the log, the `teller login` session).

use std::path::PathBuf;

/// `$override_var` when set, else `$XDG_STATE_HOME/teller/NAME`, else
/// `~/.local/state/teller/NAME`; None without any of them.
pub fn state_file(override_var: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(override_var).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|p| !p.is_empty())
                .map(|home| PathBuf::from(home).join(".local").join("state"))
        })?;
    Some(state.join("teller").join(name))
}
