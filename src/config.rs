//! The configuration file: `/etc/teller/config.toml` for the whole machine, then
//! `$XDG_CONFIG_HOME/teller/config.toml` (or `~/.config/teller/config.toml`) for one person,
//! each value of the latter over the former, and the environment over both. Every key is
//! checked as the file is read: a mistake is reported with the file, the line and the key,
//! and nothing starts.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::tui::key_overrides::KeyOverrides;
use crate::tui::theme::ThemeName;

/// Where the machine's file lives.
pub const SYSTEM_FILE: &str = "/etc/teller/config.toml";

/// What one configuration file may say; every key is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The app account's URL (`DATABASE_URL` overrides it).
    pub database_url: Option<String>,
    /// The owner account's URL, for `teller migrate` (`TELLER_OWNER_URL` overrides it).
    pub owner_url: Option<String>,
    /// The app's idle lock in seconds, 0 for none (`TELLER_IDLE_SECONDS`); `teller migrate`
    /// stores it as the bank's policy for `teller login` sessions.
    pub idle_lock_seconds: Option<u64>,
    /// Staff withdrawals and transfers above this need a supervisor: stored as the bank's
    /// policy by `teller migrate` (`TELLER_APPROVAL_LIMIT`). Written as text ("10000.00"):
    /// money is never a floating-point number.
    #[serde(default, deserialize_with = "amount_text")]
    pub approval_limit: Option<String>,
    /// The most cash a teller's drawer holds before a cash-in needs a supervisor
    /// (`TELLER_DRAWER_LIMIT`), stored by `teller migrate`. Text, like every amount.
    #[serde(default, deserialize_with = "amount_text")]
    pub drawer_limit: Option<String>,
    /// The bank's name on statements (`TELLER_BANK_NAME`), stored by `teller migrate`.
    pub bank_name: Option<String>,
    /// `default` or `high-contrast` (`TELLER_THEME`).
    pub theme: Option<ThemeName>,
    /// Clicks and the wheel (`TELLER_MOUSE=0` turns them off).
    pub mouse: Option<bool>,
    /// Where exports and receipts are written (`TELLER_EXPORT_DIR`).
    pub export_dir: Option<PathBuf>,
    /// Keys a bank may move: see docs/app.md.
    pub keys: Option<KeyOverrides>,
}

fn amount_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let raw = String::deserialize(deserializer)?;
    crate::domain::Amount::parse(&raw)
        .map(|_| Some(raw.trim().to_string()))
        .map_err(|e| serde::de::Error::custom(format!("{raw:?} is not an amount: {e}")))
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the configuration file {path} could not be read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid: {message}")]
    Invalid { path: String, message: String },
    #[error(
        "the configuration file {path} holds a database password and others may read it: \
         run chmod 600 {path}"
    )]
    Exposed { path: String },
}

impl FileConfig {
    /// The machine's file, then the person's over it. Files that do not exist are skipped.
    pub fn load() -> Result<Self, ConfigError> {
        let mut merged = Self::default();
        for path in [Some(PathBuf::from(SYSTEM_FILE)), user_file()]
            .into_iter()
            .flatten()
        {
            if let Some(file) = Self::read(&path)? {
                merged = file.over(merged);
            }
        }
        Ok(merged)
    }

    /// One file; `None` when there is none.
    pub fn read(path: &Path) -> Result<Option<Self>, ConfigError> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: shown,
                    source,
                })
            }
        };
        let config: Self = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: shown.clone(),
            message: e.to_string().trim_end().to_string(),
        })?;
        if config.holds_password() && readable_by_others(path) {
            return Err(ConfigError::Exposed { path: shown });
        }
        Ok(Some(config))
    }

    /// Every value of `self` that is set, the rest from `under`.
    fn over(self, under: Self) -> Self {
        Self {
            database_url: self.database_url.or(under.database_url),
            owner_url: self.owner_url.or(under.owner_url),
            idle_lock_seconds: self.idle_lock_seconds.or(under.idle_lock_seconds),
            approval_limit: self.approval_limit.or(under.approval_limit),
            bank_name: self.bank_name.or(under.bank_name),
            drawer_limit: self.drawer_limit.or(under.drawer_limit),
            theme: self.theme.or(under.theme),
            mouse: self.mouse.or(under.mouse),
            export_dir: self.export_dir.or(under.export_dir),
            keys: self.keys.or(under.keys),
        }
    }

    fn holds_password(&self) -> bool {
        [&self.database_url, &self.owner_url]
            .into_iter()
            .flatten()
            .any(|url| {
                url::Url::parse(url)
                    .map(|u| u.password().is_some())
                    .unwrap_or(true)
            })
    }

    /// An environment variable when it is set (and not empty), else this file's value.
    /// Where exports, receipts and reports go: `TELLER_EXPORT_DIR`, the file's `export_dir`,
    /// else the current directory.
    pub fn export_dir(&self) -> PathBuf {
        match std::env::var_os("TELLER_EXPORT_DIR").filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => self
                .export_dir
                .clone()
                .unwrap_or_else(|| std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
        }
    }

    pub fn env_or<T>(variable: &str, from_file: Option<T>) -> Option<String>
    where
        T: ToString,
    {
        std::env::var(variable)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| from_file.map(|v| v.to_string()))
    }
}

/// `$XDG_CONFIG_HOME/teller/config.toml`, else `~/.config/teller/config.toml`.
pub fn user_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|d| !d.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        })?;
    Some(base.join("teller").join("config.toml"))
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<FileConfig, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn a_full_file_reads() {
        let config = parse(
            r#"
            database_url = "mysql://teller_app@127.0.0.1:3307/teller"
            idle_lock_seconds = 120
            approval_limit = "5000.00"
            theme = "high-contrast"
            mouse = false
            export_dir = "/srv/exports"

            [keys]
            palette = "Ctrl-K"
            drawer = "F9"
            "#,
        )
        .unwrap();
        assert_eq!(config.idle_lock_seconds, Some(120));
        assert_eq!(config.approval_limit.as_deref(), Some("5000.00"));
        assert_eq!(config.theme, Some(ThemeName::HighContrast));
        assert_eq!(config.mouse, Some(false));
        assert!(config.keys.unwrap().get("drawer").is_some());
    }

    #[test]
    fn mistakes_name_the_line_and_the_key() {
        let unknown = parse("theme = \"default\"\nmouze = true\n").unwrap_err();
        assert!(
            unknown.contains("line 2") && unknown.contains("mouze"),
            "{unknown}"
        );
        let theme = parse("theme = \"pink\"\n").unwrap_err();
        assert!(
            theme.contains("line 1") && theme.contains("high-contrast"),
            "{theme}"
        );
        let key = parse("[keys]\n\nhelp = \"Alt-H\"\n").unwrap_err();
        assert!(key.contains("line 3") && key.contains("Alt-H"), "{key}");
        let bad_key_name = parse("[keys]\nwithdraw = \"F9\"\n").unwrap_err();
        assert!(bad_key_name.contains("withdraw"), "{bad_key_name}");
        // Money is text, never a float.
        let float = parse("approval_limit = 5000.0\n").unwrap_err();
        assert!(
            float.contains("line 1") && float.contains("string"),
            "{float}"
        );
        let negative = parse("approval_limit = \"-5\"\n").unwrap_err();
        assert!(negative.contains("not an amount"), "{negative}");
        let idle = parse("idle_lock_seconds = -1\n").unwrap_err();
        assert!(
            idle.contains("idle_lock_seconds") || idle.contains("line 1"),
            "{idle}"
        );
    }

    #[test]
    fn the_persons_file_wins_over_the_machines() {
        let machine = parse("theme = \"high-contrast\"\nmouse = false\n").unwrap();
        let person = parse("mouse = true\n").unwrap();
        let merged = person.over(machine);
        assert_eq!(merged.theme, Some(ThemeName::HighContrast));
        assert_eq!(merged.mouse, Some(true));
    }

    #[test]
    fn a_password_in_a_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("teller-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(
            &path,
            "database_url = \"mysql://app:secret@127.0.0.1/teller\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = FileConfig::read(&path).unwrap_err().to_string();
        assert!(
            error.contains("chmod 600") && !error.contains("secret"),
            "{error}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(FileConfig::read(&path).unwrap().is_some());
        assert!(FileConfig::read(&dir.join("missing.toml"))
            .unwrap()
            .is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
