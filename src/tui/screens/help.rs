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
        let mut entries: Vec<Vec<(String, &str)>> = Vec::new();
        let mut all: Vec<&str> = Vec::new();
        for group in groups {
            let mut section: Vec<(String, &str)> = Vec::new();
            for binding in group.iter() {
                let keys = binding.keys_label();
                if let Some(entry) = section.iter_mut().find(|(_, h)| *h == binding.help) {
                    entry.0 = format!("{}/{keys}", entry.0);
                } else if !all.contains(&binding.help) {
                    all.push(binding.help);
                    section.push((keys, binding.help));
                }
            }
            if !section.is_empty() {
                entries.push(section);
            }
        }
        let mut lines: Vec<Line> = Vec::new();
        for (i, section) in entries.into_iter().enumerate() {
            if i > 0 {
                lines.push(Line::default());
            }
            for (keys, help) in section {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<24}"), theme.key),
                    Span::raw(help),
                ]));
            }
        }
        lines.push(Line::default());
        lines.push(Line::styled(s::HELP_CLOSE_HINT, theme.hint));
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX).min(area.height);
        let popup = area.centered(Constraint::Length(area.width.min(72)), Constraint::Length(height));
        frame.render_widget(Clear, popup);
        let block = panel(format!("{}{title}", s::HELP_TITLE), theme).border_style(theme.border_focused);
        let inner = block.inner(popup).inner(Margin::new(0, 0));
        frame.render_widget(block, popup);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
