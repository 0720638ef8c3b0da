//! The keys that work on every screen: the global ones (`keys::GLOBAL`) and the tab keys that
//! come from the route table, with the bank's own choices from the configuration file's
//! `[keys]` table laid over them. Screens' own keys stay fixed: they are their forms' grammar.

use crate::domain::Role;
use std::collections::HashMap;

use super::context::{Route, ROUTES};
pub use super::key_overrides::{KeyOverrides, KeySpec};
use super::keys::{self, Binding, Chord, Cmd};

/// The global and navigation bindings in force, for customers and for staff.
#[derive(Debug, Clone)]
pub struct Keymap {
    global: Vec<Binding>,
    customer_nav: Vec<Binding>,
    staff_nav: Vec<Binding>,
    /// The staff's tabs and the supervisors' own (the vault).
    supervisor_nav: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            global: keys::GLOBAL.to_vec(),
            customer_nav: nav_from_routes(Role::Customer),
            staff_nav: nav_from_routes(Role::Teller),
            supervisor_nav: nav_from_routes(Role::Admin),
        }
    }
}

/// The tab keys of one role, straight from the route table.
fn nav_from_routes(role: Role) -> Vec<Binding> {
    ROUTES
        .iter()
        .filter(|e| e.route.allowed(role))
        .filter_map(|e| {
            let tab = if role.is_staff() {
                e.staff_tab
            } else {
                e.customer_tab
            };
            tab.map(|t| Binding {
                chords: t.keys,
                cmd: Cmd::Go(e.route),
                help: t.help,
                footer: None,
                typing: true,
            })
        })
        .collect()
}

impl Keymap {
    /// The defaults with the bank's choices laid over them; two actions on one key is an error
    /// that names both.
    pub fn with_overrides(overrides: &KeyOverrides) -> Result<Self, String> {
        let mut map = Self::default();
        let chosen = overrides.chosen();
        if chosen.is_empty() {
            return Ok(map);
        }
        let by_cmd: HashMap<Cmd, Chord> = chosen.iter().map(|(_, cmd, c)| (*cmd, *c)).collect();
        // Leaked once per app start: bindings hold `'static` key lists like the built-in tables.
        let rebind = |bindings: &mut Vec<Binding>| {
            for cmd in by_cmd.keys() {
                // The first binding of a command is the one that works while typing.
                if let Some(binding) = bindings.iter_mut().find(|b| b.cmd == *cmd && b.typing) {
                    binding.chords = Vec::leak(vec![by_cmd[cmd]]);
                }
            }
        };
        rebind(&mut map.global);
        rebind(&mut map.customer_nav);
        rebind(&mut map.staff_nav);
        rebind(&mut map.supervisor_nav);
        for role in [Role::Customer, Role::Teller, Role::Admin] {
            let all: Vec<&Binding> = map.global.iter().chain(map.nav(role)).collect();
            for (i, a) in all.iter().enumerate() {
                for b in &all[i + 1..] {
                    if a.cmd != b.cmd && a.chords.iter().any(|c| b.chords.contains(c)) {
                        let name = |cmd: Cmd| {
                            chosen.iter().find(|(_, c, _)| *c == cmd).map_or_else(
                                || format!("{cmd:?}").to_lowercase(),
                                |(n, ..)| (*n).to_string(),
                            )
                        };
                        return Err(format!(
                            "[keys] {} and {} would both be {}: give each its own key",
                            name(a.cmd),
                            name(b.cmd),
                            a.chords
                                .iter()
                                .find(|c| b.chords.contains(c))
                                .map(Chord::label)
                                .unwrap_or_default()
                        ));
                    }
                }
            }
        }
        Ok(map)
    }

    pub fn global(&self) -> &[Binding] {
        &self.global
    }

    /// The keys that move between screens: the customer's, the workstation's, or the
    /// workstation's with the supervisors' own.
    pub fn nav(&self, role: Role) -> &[Binding] {
        match role {
            Role::Admin => &self.supervisor_nav,
            Role::Teller => &self.staff_nav,
            Role::Customer => &self.customer_nav,
        }
    }

    /// The tabs in order, each with the label of the key that opens it.
    pub fn tabs(&self, role: Role) -> Vec<(Route, String)> {
        self.nav(role)
            .iter()
            .filter_map(|b| match b.cmd {
                Cmd::Go(route) if route.in_tab_row(role.is_staff()) => {
                    Some((route, b.short_label()))
                }
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_come_from_the_route_table() {
        let map = Keymap::default();
        let customer: Vec<(Route, String)> = map.tabs(Role::Customer);
        assert_eq!(
            customer,
            [
                (Route::Accounts, "F2".to_string()),
                (Route::Transfer, "F3".into()),
                (Route::History, "F4".into()),
                (Route::Profile, "F5".into())
            ]
        );
        let staff = map.tabs(Role::Teller);
        assert_eq!(staff.len(), 6);
        assert_eq!(staff[5], (Route::Profile, "F7".into()));
        // Supervisors have the vault as well; tellers do not see it.
        let supervisors = map.tabs(Role::Admin);
        assert_eq!(supervisors.len(), 7);
        assert!(supervisors.contains(&(Route::Vault, "F8".into())));
        // The approvals open with F9 (and the palette, and the badge) without a tab.
        assert!(!supervisors
            .iter()
            .any(|(route, _)| *route == Route::Approvals));
        assert!(map
            .nav(Role::Admin)
            .iter()
            .any(|b| b.cmd == Cmd::Go(Route::Approvals) && b.short_label() == "F9"));
    }

    #[test]
    fn a_bank_can_move_a_key_and_the_tab_shows_it() {
        let mut overrides = KeyOverrides::default();
        // F12 is free (F10 and F11 are Rates and Exchange).
        overrides.set("drawer", "F12".parse().unwrap()).unwrap();
        overrides.set("palette", "ctrl-k".parse().unwrap()).unwrap();
        let map = Keymap::with_overrides(&overrides).unwrap();
        assert!(map
            .tabs(Role::Teller)
            .contains(&(Route::Drawer, "F12".into())));
        let palette = map.global().iter().find(|b| b.cmd == Cmd::Palette).unwrap();
        assert_eq!(palette.keys_label(), "Ctrl-K");
        // ':' still opens it when nothing is being typed.
        assert!(map
            .global()
            .iter()
            .any(|b| b.cmd == Cmd::Palette && b.keys_label() == ":"));
    }

    #[test]
    fn every_screen_with_a_key_can_be_moved_by_its_name() {
        // Every route of the table has its name in [keys] (the login has no key to move).
        let names: Vec<&str> = KeyOverrides::names().collect();
        for entry in &ROUTES {
            let named = names.contains(&entry.route.name());
            assert_eq!(named, entry.route != Route::Login, "{:?}", entry.route);
        }
        // The supervisors' own screens too: the vault's tab and the approvals' key.
        let mut overrides = KeyOverrides::default();
        // F12 is free (F10 and F11 are Rates and Exchange).
        overrides.set("vault", "F12".parse().unwrap()).unwrap();
        overrides
            .set("approvals", "ctrl-a".parse().unwrap())
            .unwrap();
        let map = Keymap::with_overrides(&overrides).unwrap();
        assert!(map
            .tabs(Role::Admin)
            .contains(&(Route::Vault, "F12".into())));
        assert!(map
            .nav(Role::Admin)
            .iter()
            .any(|b| b.cmd == Cmd::Go(Route::Approvals) && b.keys_label() == "Ctrl-A"));
        let error = KeyOverrides::default()
            .set("withdraw", "F9".parse().unwrap())
            .unwrap_err();
        assert!(
            error.contains("withdraw") && error.contains("vault"),
            "{error}"
        );
    }

    #[test]
    fn two_actions_on_one_key_are_refused_by_name() {
        let mut overrides = KeyOverrides::default();
        overrides.set("drawer", "F1".parse().unwrap()).unwrap();
        let error = Keymap::with_overrides(&overrides).unwrap_err();
        assert!(
            error.contains("drawer") && error.contains("help") && error.contains("F1"),
            "{error}"
        );
    }

    #[test]
    fn only_keys_that_work_while_typing_may_be_bound() {
        for good in ["F1", "f12", "Ctrl-P", "ctrl+k"] {
            assert!(good.parse::<KeySpec>().is_ok(), "{good}");
        }
        for bad in ["F13", "F0", "p", "Ctrl-", "Ctrl-I", "Alt-X", "Ctrl-PP", ""] {
            assert!(bad.parse::<KeySpec>().is_err(), "{bad}");
        }
    }
}
