//! Shown instead of the app when the terminal is below 80x24.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::strings as s;
use crate::tui::theme::Theme;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn fits(area: Rect) -> bool {
    area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT
}

pub fn render(frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = vec![
        Line::styled(s::TOO_SMALL_TITLE, theme.title).centered(),
        Line::raw(format!(
            "{}{}x{}{}{MIN_WIDTH}x{MIN_HEIGHT}.",
            s::TOO_SMALL_NOW,
            area.width,
            area.height,
            s::TOO_SMALL_NEED
        ))
        .centered(),
        Line::styled(s::TOO_SMALL_HINT, theme.hint).centered(),
    ];
    let height = 5.min(area.height);
    let middle = area.centered_vertically(Constraint::Length(height));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), middle);
}
