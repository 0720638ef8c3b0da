//! The frame every dialog shares (the card's, the counter's, the supervisor's approval, the
//! transfer and drawer confirmations, the quit question): a cleared, centred box with a focused
//! border and a title, a "spinner + what is happening" line while the bank is asked, and the
//! "Enter … Esc …" line at the foot. Each dialog draws only its own lines inside.

use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;
use ratatui::Frame;

use crate::tui::context::View;
use crate::tui::screens::panel;
use crate::tui::strings as s;
use crate::tui::theme::Theme;

/// Clears a `width` x `height` box in the middle of `area`, draws the dialog's border and
/// `title`, and returns the inside (one column of margin each side).
pub fn open(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    let block = panel(title, theme).border_style(theme.border_focused);
    let inner = block.inner(popup).inner(Margin::new(1, 0));
    frame.render_widget(block, popup);
    inner
}

/// "⠋ Sending…": the spinner and what the bank is doing.
pub fn busy_line<'a>(view: &View, text: &'a str) -> Line<'a> {
    Line::from(vec![
        Span::raw(format!("{} ", view.spinner)),
        Span::styled(text, view.theme.hint),
    ])
}

/// "Enter <enter>Esc <esc>": the keys at the foot of a dialog.
pub fn keys_line<'a>(enter: &'a str, esc: &'a str, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(s::KEY_ENTER, theme.key),
        Span::raw(enter),
        Span::styled(s::KEY_ESC, theme.key),
        Span::raw(esc),
    ])
}

/// The foot of a dialog that sends something: "⠋ Sending…" while `sending`, else its error,
/// else its keys (`enter`, `esc`), on the last line of `inner`.
pub fn foot(
    frame: &mut Frame,
    inner: Rect,
    view: &View,
    sending: bool,
    error: Option<&str>,
    (enter, esc): (&str, &str),
) {
    let last = Rect {
        y: inner.bottom().saturating_sub(1),
        height: 1,
        ..inner
    };
    let line = if sending {
        busy_line(view, s::SENDING)
    } else if let Some(error) = error {
        Line::styled(error, view.theme.error)
    } else {
        keys_line(enter, esc, view.theme)
    };
    frame.render_widget(line, last);
}
