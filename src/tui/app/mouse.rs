//! Clicks and the wheel. A click on a tab opens it; on a footer key presses that key (so the
//! keys of every dialog are buttons); on a palette line runs it; anywhere else the screen
//! decides (a row, a field). The wheel is ↑/↓ for whatever has the keyboard. Everything goes
//! through the same paths as keys, so the mouse can do nothing a key cannot.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::{App, Flow, Overlay, Target};
use crate::tui::ui;

impl App {
    pub(super) fn on_mouse(&mut self, event: MouseEvent) {
        if !self.config.mouse {
            return;
        }
        match event.kind {
            MouseEventKind::ScrollUp => self.on_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)),
            MouseEventKind::ScrollDown => {
                self.on_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
            }
            MouseEventKind::Down(MouseButton::Left) => self.on_click(event.column, event.row),
            _ => {}
        }
    }

    fn on_click(&mut self, column: u16, row: u16) {
        self.last_activity = self.clock.now();
        let area = self.frame_area.get();
        if area.is_empty() {
            return;
        }
        if row + 1 == area.bottom() {
            if let Some(chord) = ui::footer_key_at(self, column) {
                self.on_key(KeyEvent::new(chord.code, chord.mods));
            }
            return;
        }
        if let Some(Overlay::Palette(palette)) = &mut self.overlay {
            if let Some(line) = palette.line_at(column, row) {
                palette.selected = line;
                if let Some(action) = palette.chosen() {
                    self.run_palette(action);
                }
            }
            return;
        }
        if self.overlay.is_some() || self.lock.is_some() {
            return;
        }
        if row == area.y + 1 {
            if let Some(route) = ui::tab_at(self, column) {
                self.apply(Flow::Go(route));
            }
            return;
        }
        let route = self.route;
        let (mut ctx, screens, _) = self.ctx(Target::Screen(route));
        let flow = screens.get_mut(route).on_click(column, row, &mut ctx);
        self.apply(flow);
    }
}
