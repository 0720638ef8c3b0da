//! The configuration file's `[keys]` table, as data: the keys a bank may move and what each
//! does. A leaf (keys and routes only), so that the configuration reads it without the app.

use ratatui::crossterm::event::KeyCode;
use serde::Deserialize;

use super::keys::{self, Chord, Cmd};
use super::route::Route;

/// One key a bank may bind, as written in the configuration file: `F1`..`F12` or `Ctrl-X`.
/// Only those, so the binding works while a text field has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec(pub Chord);

impl std::str::FromStr for KeySpec {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let text = raw.trim();
        let refuse = || {
            format!(
                "{raw:?} is not a key teller can bind: write a function key (F1 to F12) or Ctrl \
                 with a letter (Ctrl-P); Ctrl-H, Ctrl-I, Ctrl-J and Ctrl-M are taken by the \
                 terminal"
            )
        };
        if let Some(number) = text.strip_prefix(['F', 'f']) {
            return match number.parse::<u8>() {
                Ok(n @ 1..=12) => Ok(Self(keys::key(KeyCode::F(n)))),
                _ => Err(refuse()),
            };
        }
        let lower = text.to_ascii_lowercase();
        let letter = lower
            .strip_prefix("ctrl-")
            .or_else(|| lower.strip_prefix("ctrl+"))
            .filter(|rest| rest.chars().count() == 1)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_ascii_lowercase() && !matches!(c, 'h' | 'i' | 'j' | 'm'))
            .ok_or_else(refuse)?;
        Ok(Self(keys::ctrl(letter)))
    }
}

impl<'de> Deserialize<'de> for KeySpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

/// The configuration file's `[keys]` table: every key a bank may change, by what it does.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KeyOverrides {
    pub help: Option<KeySpec>,
    pub quit: Option<KeySpec>,
    pub palette: Option<KeySpec>,
    pub accounts: Option<KeySpec>,
    pub transfer: Option<KeySpec>,
    pub history: Option<KeySpec>,
    pub profile: Option<KeySpec>,
    pub customers: Option<KeySpec>,
    pub card: Option<KeySpec>,
    pub counter: Option<KeySpec>,
    pub drawer: Option<KeySpec>,
    pub register: Option<KeySpec>,
}

impl KeyOverrides {
    /// (name in the file, command, chosen key) for every key that is set.
    pub(super) fn chosen(&self) -> Vec<(&'static str, Cmd, Chord)> {
        [
            ("help", Cmd::Help, self.help),
            ("quit", Cmd::Quit, self.quit),
            ("palette", Cmd::Palette, self.palette),
            ("accounts", Cmd::Go(Route::Accounts), self.accounts),
            ("transfer", Cmd::Go(Route::Transfer), self.transfer),
            ("history", Cmd::Go(Route::History), self.history),
            ("profile", Cmd::Go(Route::Profile), self.profile),
            ("customers", Cmd::Go(Route::Customers), self.customers),
            ("card", Cmd::Go(Route::Card), self.card),
            ("counter", Cmd::Go(Route::Counter), self.counter),
            ("drawer", Cmd::Go(Route::Drawer), self.drawer),
            ("register", Cmd::Go(Route::Register), self.register),
        ]
        .into_iter()
        .filter_map(|(name, cmd, spec)| spec.map(|s| (name, cmd, s.0)))
        .collect()
    }
}
