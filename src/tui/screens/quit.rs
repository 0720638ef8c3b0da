//! Asks before quitting when a form holds unsaved input.

use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::panel;
use crate::tui::strings as s;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy, Default)]
pub struct QuitConfirm;

impl QuitConfirm {
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let popup = area.centered(Constraint::Length(50), Constraint::Length(7));
        frame.render_widget(Clear, popup);
        let block = panel(s::QUIT_TITLE, theme).border_style(theme.border_focused);
        let inner = block.inner(popup).inner(Margin::new(1, 0));
        frame.render_widget(block, popup);
        let lines = vec![
            Line::raw(s::QUIT_QUESTION),
            Line::default(),
            Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(s::QUIT_YES),
                Span::styled("n", theme.key),
                Span::raw("/"),
                Span::styled(s::KEY_ESC, theme.key),
                Span::raw(s::QUIT_NO),
            ]),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}
