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

/// The keys of the app itself a bank may move, by name (the screens' keys are their names).
const GLOBAL_ACTIONS: [(&str, Cmd); 3] = [
    ("help", Cmd::Help),
    ("quit", Cmd::Quit),
    ("palette", Cmd::Palette),
];

/// The configuration file's `[keys]` table: the key a bank chose for an action, by the action's
/// name: `help`, `quit`, `palette`, or a screen's name (`Route::name`) for the key that opens
/// it. Every screen has its name here, so a new screen can be moved without a new field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyOverrides {
    chosen: Vec<(&'static str, Cmd, Chord)>,
}

impl KeyOverrides {
    /// Every name the table takes, in the order a mistake lists them.
    pub fn names() -> impl Iterator<Item = &'static str> {
        GLOBAL_ACTIONS.iter().map(|(name, _)| *name).chain(
            Route::ALL
                .into_iter()
                .filter(|r| *r != Route::Login)
                .map(Route::name),
        )
    }

    fn action(name: &str) -> Option<(&'static str, Cmd)> {
        GLOBAL_ACTIONS
            .iter()
            .copied()
            .find(|(n, _)| *n == name)
            .or_else(|| {
                Route::ALL
                    .into_iter()
                    .find(|r| *r != Route::Login && r.name() == name)
                    .map(|r| (r.name(), Cmd::Go(r)))
            })
    }

    /// Binds the action `name` to `key`; an unknown name is an error that lists the known ones.
    pub fn set(&mut self, name: &str, key: KeySpec) -> Result<(), String> {
        let (name, cmd) = Self::action(name).ok_or_else(|| {
            let known: Vec<&str> = Self::names().collect();
            format!(
                "[keys] has no action {name:?}: it takes {}",
                known.join(", ")
            )
        })?;
        self.chosen.retain(|(n, ..)| *n != name);
        self.chosen.push((name, cmd, key.0));
        Ok(())
    }

    /// The chosen key of the action `name`, if the bank chose one.
    pub fn get(&self, name: &str) -> Option<Chord> {
        self.chosen
            .iter()
            .find(|(n, ..)| *n == name)
            .map(|(.., c)| *c)
    }

    /// (name in the file, command, chosen key) for every key that is set.
    pub(super) fn chosen(&self) -> &[(&'static str, Cmd, Chord)] {
        &self.chosen
    }
}

impl<'de> Deserialize<'de> for KeyOverrides {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let table = std::collections::BTreeMap::<String, KeySpec>::deserialize(deserializer)?;
        let mut overrides = Self::default();
        for (name, key) in table {
            overrides
                .set(&name, key)
                .map_err(serde::de::Error::custom)?;
        }
        Ok(overrides)
    }
}
