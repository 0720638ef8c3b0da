//! The app's side of the command palette: what it offers (built from the keymap, the route
//! table and every screen's own bindings, so a new screen's actions appear by themselves) and
//! what running a line does (the same path as pressing its key).

use ratatui::crossterm::event::KeyEvent;

use super::{App, Flow, Overlay, Route, Target};
use crate::tui::context::Notice;
use crate::tui::keys::{self, Cmd};
use crate::tui::screens::help::HelpOverlay;
use crate::tui::screens::palette::{Palette, PaletteAction, PaletteEntry};
use crate::tui::strings as s;
use crate::tui::worker::{ReplyBody, RequestId};

/// Commands that move within a screen or answer a question: not actions to list.
fn is_action(cmd: Cmd) -> bool {
    !matches!(
        cmd,
        Cmd::Up
            | Cmd::Down
            | Cmd::PageUp
            | Cmd::PageDown
            | Cmd::First
            | Cmd::Last
            | Cmd::NextField
            | Cmd::PrevField
            | Cmd::Submit
            | Cmd::Back
            | Cmd::Yes
            | Cmd::No
            | Cmd::PrevAccount
            | Cmd::NextAccount
            | Cmd::Go(_)
            | Cmd::Palette
            | Cmd::Help
            | Cmd::Quit
    )
}

impl App {
    /// Everything the person may do now, one line each: the screens they may open, every
    /// screen's own actions, then help and quit.
    pub fn palette_entries(&self) -> Vec<PaletteEntry> {
        let mut entries: Vec<PaletteEntry> = Vec::new();
        let mut push = |entry: PaletteEntry| {
            if !entries.iter().any(|e| e.label == entry.label) {
                entries.push(entry);
            }
        };
        if let Some(session) = &self.session {
            let nav = self.config.keymap.nav(session.user.role);
            for binding in nav {
                if let Cmd::Go(route) = binding.cmd {
                    push(PaletteEntry {
                        label: format!("{}{}", s::PALETTE_GO, route.title()),
                        keys: binding.short_label(),
                        action: PaletteAction::Go(route),
                    });
                }
            }
            for binding in nav {
                let Cmd::Go(route) = binding.cmd else {
                    continue;
                };
                for action in self.screens.get(route).bindings() {
                    if is_action(action.cmd) {
                        push(PaletteEntry {
                            label: format!("{} › {}", route.title(), action.help),
                            keys: action.short_label(),
                            action: PaletteAction::Run(route, action.cmd),
                        });
                    }
                }
            }
        }
        for binding in self.config.keymap.global() {
            if matches!(binding.cmd, Cmd::Help | Cmd::Quit) {
                push(PaletteEntry {
                    label: binding.help.to_string(),
                    keys: binding.short_label(),
                    action: PaletteAction::Global(binding.cmd),
                });
            }
        }
        entries
    }

    pub(super) fn open_palette(&mut self) {
        let staff = self.session.as_ref().is_some_and(|s| s.is_staff());
        let palette = Palette::new(self.palette_entries(), staff);
        self.overlay = Some(Overlay::Palette(Box::new(palette)));
    }

    pub fn palette(&self) -> Option<&Palette> {
        match &self.overlay {
            Some(Overlay::Palette(palette)) => Some(palette),
            _ => None,
        }
    }

    pub(super) fn on_palette_key(&mut self, key: &KeyEvent) {
        let cmd = keys::lookup(keys::PALETTE, key, true);
        // The palette lives in the overlay; it is taken out while it works on the context.
        let Some(Overlay::Palette(mut palette)) = take_palette(&mut self.overlay) else {
            return;
        };
        match cmd {
            Some(Cmd::Back) => return,
            Some(Cmd::Quit) => {
                self.request_quit();
                return;
            }
            Some(Cmd::Submit) => {
                if let Some(action) = palette.chosen() {
                    self.run_palette(action);
                    return;
                }
            }
            Some(Cmd::Up) => palette.move_by(-1),
            Some(Cmd::Down) => palette.move_by(1),
            Some(Cmd::PageUp) => palette.move_by(-10),
            Some(Cmd::PageDown) => palette.move_by(10),
            _ => {
                let (mut ctx, _, _) = self.ctx(Target::Palette);
                palette.on_input(key, &mut ctx);
            }
        }
        self.overlay = Some(Overlay::Palette(palette));
    }

    pub(super) fn palette_tick(&mut self) {
        let Some(Overlay::Palette(mut palette)) = take_palette(&mut self.overlay) else {
            return;
        };
        let (mut ctx, _, _) = self.ctx(Target::Palette);
        palette.on_tick(&mut ctx);
        self.overlay = Some(Overlay::Palette(palette));
    }

    pub(super) fn palette_reply(&mut self, id: RequestId, body: ReplyBody) {
        match &mut self.overlay {
            Some(Overlay::Palette(palette)) => palette.on_reply(id, body),
            _ => tracing::debug!(
                id,
                answer = body.name(),
                "answer for the palette after it closed, ignored"
            ),
        }
    }

    /// Runs a palette line as its key would: the palette closes first.
    pub fn run_palette(&mut self, action: PaletteAction) {
        self.overlay = None;
        match action {
            PaletteAction::Go(route) => self.apply(Flow::Go(route)),
            PaletteAction::Global(Cmd::Help) => {
                self.overlay = Some(Overlay::Help(HelpOverlay::default()));
            }
            PaletteAction::Global(_) => self.request_quit(),
            PaletteAction::Serve(email) => {
                self.data.desk.serve(&email);
                self.apply(Flow::Go(Route::Card));
            }
            PaletteAction::Run(route, cmd) => {
                if self.route != route {
                    self.navigate(route);
                }
                if self.route != route {
                    self.notice = Some(Notice::Error(s::PALETTE_UNAVAILABLE.into()));
                } else if self.awaits(route) {
                    // The screen is loading what it shows: the command waits for the answer.
                    self.deferred = Some((route, cmd));
                } else {
                    self.run_command(route, cmd);
                }
            }
        }
    }

    /// A command from the palette, once its screen is ready; refused when the screen does not
    /// offer it any more.
    fn run_command(&mut self, route: Route, cmd: Cmd) {
        let offered = self
            .screens
            .get(route)
            .bindings()
            .iter()
            .any(|b| b.cmd == cmd);
        if !offered {
            self.notice = Some(Notice::Error(s::PALETTE_UNAVAILABLE.into()));
            return;
        }
        let (mut ctx, screens, _) = self.ctx(Target::Screen(route));
        let flow = screens.get_mut(route).on_command(cmd, &mut ctx);
        self.apply(flow);
    }

    /// Is this screen waiting for an answer from the worker?
    fn awaits(&self, route: Route) -> bool {
        self.outbox
            .pending
            .values()
            .any(|target| *target == Target::Screen(route))
    }

    /// After an answer to `route`: runs the palette's command that waited for it, if the
    /// person is still there and nothing else is awaited.
    pub(super) fn run_deferred(&mut self, route: Route) {
        if let Some((waiting, cmd)) = self.deferred {
            if waiting == route && self.route == route && !self.awaits(route) {
                self.deferred = None;
                self.run_command(route, cmd);
            }
        }
    }
}

/// Takes the palette out of the overlay slot (the slot is left empty).
fn take_palette(overlay: &mut Option<Overlay>) -> Option<Overlay> {
    match overlay {
        Some(Overlay::Palette(_)) => overlay.take(),
        _ => None,
    }
}
