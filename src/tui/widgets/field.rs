//! A form field: a `tui_input::Input` with a label, an optional mask and an error shown under it.
//!
//! Drawn on two rows:
//! ```text
//! ▶ Amount        [1234.50                    ]
//!                  ✗ at most 2 decimals (cents)
//! ```
//! The focused field carries the `▶` marker as well as its style, an error carries `✗` as well
//! as its colour. A masked field shows one mask character per character typed (never per byte),
//! and the cursor is placed by character counts.

use ratatui::crossterm::event::{Event, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use tui_input::backend::crossterm::EventHandler;
use tui_input::Input;

use crate::tui::theme::{self, Theme};

/// Columns taken by the marker and the label before the input box.
pub const LABEL_WIDTH: u16 = 16;
/// Rows a field takes: the input line and the error or hint line.
pub const HEIGHT: u16 = 2;

#[derive(Debug, Clone, Default)]
pub struct Field {
    pub input: Input,
    pub label: &'static str,
    pub masked: bool,
    /// A masked field shows its last this many characters (an ID number's last 4).
    pub reveal_last: usize,
    pub error: Option<String>,
    /// A quiet line under the field when there is no error ("Recipient: D. Julis").
    pub hint: Option<String>,
}

impl Field {
    pub fn new(label: &'static str) -> Self {
        Self {
            label,
            ..Self::default()
        }
    }

    pub fn masked(label: &'static str) -> Self {
        Self {
            label,
            masked: true,
            ..Self::default()
        }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.set_value(value);
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    /// Replaces the value; the cursor goes to its end.
    pub fn set_value(&mut self, value: impl Into<String>) {
        self.input = Input::new(value.into());
    }

    /// Empties the field and forgets its error and hint.
    pub fn clear(&mut self) {
        self.input.reset();
        self.error = None;
        self.hint = None;
    }

    /// Feeds a key to the input; true when the value changed (the error is then cleared, since
    /// it was about the old value).
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let changed = self
            .input
            .handle_event(&Event::Key(*key))
            .is_some_and(|state| state.value);
        if changed {
            self.error = None;
        }
        changed
    }

    /// What the screen shows in place of the value: the value, or one mask per character.
    pub fn display_text(&self) -> String {
        if self.masked {
            let count = self.input.value().chars().count();
            let hidden = count.saturating_sub(self.reveal_last);
            std::iter::repeat_n(theme::MASK, hidden)
                .chain(self.input.value().chars().skip(hidden))
                .collect()
        } else {
            self.input.value().to_string()
        }
    }

    /// The cursor's column within the value, in display columns.
    fn cursor_column(&self) -> usize {
        if self.masked {
            // One mask character per char, each one column wide.
            self.input.cursor()
        } else {
            self.input.visual_cursor()
        }
    }

    fn scroll(&self, width: usize) -> usize {
        if self.masked {
            self.input.cursor().saturating_sub(width)
        } else {
            self.input.visual_scroll(width)
        }
    }

    /// Draws the field into `area` (two rows) and returns where the cursor goes when focused.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        focused: bool,
        theme: &Theme,
    ) -> Option<Position> {
        if area.height == 0 || area.width <= LABEL_WIDTH + 2 {
            return None;
        }
        let marker = if focused {
            theme::FOCUS_MARKER
        } else {
            theme::NO_MARKER
        };
        let label_style = if focused {
            theme.label_focused
        } else {
            theme.label
        };
        let label_width = usize::from(LABEL_WIDTH) - marker.chars().count();
        let label = format!("{marker}{:<label_width$}", self.label);
        let box_width = area.width - LABEL_WIDTH - 2;
        // One column stays free for the cursor after the last character.
        let text_width = usize::from(box_width.saturating_sub(1));
        let scroll = self.scroll(text_width);
        let input_style = if focused {
            theme.input_focused
        } else {
            theme.input
        };
        let bracket_style = if focused {
            theme.label_focused
        } else {
            theme.label
        };

        let row = Rect { height: 1, ..area };
        frame.render_widget(
            Line::from(vec![
                Span::styled(label, label_style),
                Span::styled("[", bracket_style),
            ]),
            row,
        );
        let box_area = Rect {
            x: area.x + LABEL_WIDTH + 1,
            width: box_width,
            ..row
        };
        frame.render_widget(
            Paragraph::new(self.display_text())
                .style(input_style)
                .scroll((0, u16::try_from(scroll).unwrap_or(u16::MAX))),
            box_area,
        );
        frame.render_widget(
            Span::styled("]", bracket_style),
            Rect {
                x: box_area.x + box_width,
                width: 1,
                ..row
            },
        );

        if area.height > 1 {
            let (text, style) = match (&self.error, &self.hint) {
                (Some(error), _) => (format!("{}{error}", theme::ERROR_MARKER), theme.error),
                (None, Some(hint)) => (hint.clone(), theme.hint),
                (None, None) => (String::new(), theme.base),
            };
            // Under the input box; from under the label when it would not fit there.
            let width = u16::try_from(unicode_width(&text)).unwrap_or(u16::MAX);
            let x = if width < area.width - LABEL_WIDTH {
                box_area.x
            } else {
                area.x + 2
            };
            let below = Rect {
                x,
                y: area.y + 1,
                width: area.x + area.width - x,
                height: 1,
            };
            frame.render_widget(Span::styled(text, style), below);
        }

        focused.then(|| {
            let column = self.cursor_column().saturating_sub(scroll);
            let x = box_area.x + u16::try_from(column).unwrap_or(box_width).min(box_width);
            Position::new(x, row.y)
        })
    }
}

fn unicode_width(text: &str) -> usize {
    Span::raw(text).width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn typed(field: &mut Field, text: &str) {
        for c in text.chars() {
            field.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn mask_counts_characters_not_bytes() {
        let mut field = Field::masked("Password");
        typed(&mut field, "pässwörd€");
        assert_eq!(field.display_text(), "•••••••••");
        assert_eq!(field.cursor_column(), 9);
        assert!(field.value().len() > 9);
    }

    #[test]
    fn the_id_forms_number_shows_only_its_last_four_characters() {
        let mut form = crate::tui::widgets::id_form::IdForm::default();
        typed(&mut form.number, "X1234567");
        assert_eq!(form.number.display_text(), "••••4567");
        assert_eq!(form.number.value(), "X1234567");
        assert_eq!(form.number.cursor_column(), 8);
    }

    #[test]
    fn editing_clears_the_error() {
        let mut field = Field::new("Amount");
        field.error = Some("bad".into());
        typed(&mut field, "1");
        assert_eq!(field.error, None);
        // A key that changes nothing keeps it.
        field.error = Some("bad".into());
        field.handle_key(&KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
        assert_eq!(field.error.as_deref(), Some("bad"));
    }
}
