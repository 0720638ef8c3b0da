//! The `?` overlay: every key of the current screen, then the navigation and global keys.

use std::cell::Cell;

use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::panel;
use crate::tui::keys::Binding;
use crate::tui::strings as s;
use crate::tui::theme::Theme;

/// The overlay scrolls when the keys do not fit (a screen with many keys at 80x24).
#[derive(Debug, Clone, Default)]
pub struct HelpOverlay {
    /// Lines scrolled past.
    pub scroll: u16,
    /// How far it can scroll, as of the last frame (drawing knows the height).
    max_scroll: Cell<u16>,
}

impl HelpOverlay {
    pub fn scroll_by(&mut self, delta: i16) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll.get());
    }

    /// `groups` are the bindings in force under the overlay, the screen's first.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        title: &str,
        groups: &[&[Binding]],
        theme: &Theme,
    ) {
        // One line per action: keys that do the same thing share it ("F1/?").
        let mut entries: Vec<(usize, String, &str)> = Vec::new();
        for (section, group) in groups.iter().enumerate() {
            for binding in group.iter() {
                let keys = binding.keys_label();
                if let Some(entry) = entries.iter_mut().find(|(_, _, h)| *h == binding.help) {
                    entry.1 = format!("{}/{keys}", entry.1);
                } else {
                    entries.push((section, keys, binding.help));
                }
            }
        }
        let mut lines: Vec<Line> = Vec::new();
        let mut last_section = None;
        for (section, keys, help) in entries {
            if last_section.is_some_and(|last| last != section) {
                lines.push(Line::default());
            }
            last_section = Some(section);
            lines.push(Line::from(vec![
                Span::styled(format!(" {keys:<18}"), theme.key),
                Span::raw(help),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::styled(s::HELP_CLOSE_HINT, theme.hint));
        let height = u16::try_from(lines.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height);
        let popup = area.centered(
            Constraint::Length(area.width.min(76)),
            Constraint::Length(height),
        );
        frame.render_widget(Clear, popup);
        let mut block =
            panel(format!("{}{title}", s::HELP_TITLE), theme).border_style(theme.border_focused);
        let visible = height.saturating_sub(2);
        let max_scroll = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_sub(visible);
        self.max_scroll.set(max_scroll);
        let scroll = self.scroll.min(max_scroll);
        if max_scroll > 0 {
            block = block.title_bottom(Line::styled(s::HELP_MORE, theme.key).right_aligned());
        }
        let inner = block.inner(popup).inner(Margin::new(0, 0));
        frame.render_widget(block, popup);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    }
}
