//! Asks before quitting when a form holds unsaved input.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::strings as s;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialog;

#[derive(Debug, Clone, Copy, Default)]
pub struct QuitConfirm;

impl QuitConfirm {
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let inner = dialog::open(frame, area, 50, 7, s::QUIT_TITLE, theme);
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
