//! The `?` overlay: every key of the current screen, then the navigation and global keys.

use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::panel;
use crate::tui::keys::Binding;
use crate::tui::strings as s;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Default)]
pub struct HelpOverlay;

impl HelpOverlay {
    /// `groups` are the bindings in force under the overlay, the screen's first.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        title: &str,
        groups: &[&'static [Binding]],
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
        let block =
            panel(format!("{}{title}", s::HELP_TITLE), theme).border_style(theme.border_focused);
        let inner = block.inner(popup).inner(Margin::new(0, 0));
        frame.render_widget(block, popup);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
