//! The customer's identification for large cash (CTR): document type, number, issuing country
//! and expiry, checked as the bank's `IdDocument` when submitted.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::dialog;
use super::field::{self, Field};
use super::focus::{FocusRing, Stops};
use crate::domain::IdDocument;
use crate::tui::context::View;
use crate::tui::screens::message_line;
use crate::tui::strings as s;
use crate::tui::theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdStop {
    #[default]
    Kind,
    Number,
    Country,
    Expiry,
}

impl Stops for IdStop {
    const ORDER: &'static [Self] = &[Self::Kind, Self::Number, Self::Country, Self::Expiry];
}

#[derive(Debug, Clone)]
pub struct IdForm {
    pub kind: Field,
    pub number: Field,
    pub country: Field,
    pub expiry: Field,
    pub focus: FocusRing<IdStop>,
    /// Why the bank asks (or what it refused).
    pub error: Option<String>,
}

impl Default for IdForm {
    fn default() -> Self {
        let mut kind = Field::new(s::FIELD_ID_TYPE).with_value("passport");
        kind.hint = Some(s::ID_TYPE_HINT.into());
        let mut expiry = Field::new(s::FIELD_ID_EXPIRY);
        expiry.hint = Some(s::ID_EXPIRY_HINT.into());
        Self {
            kind,
            // Tellers see an ID number's last 4 characters, here as in the reports.
            number: Field {
                reveal_last: 4,
                ..Field::masked(s::FIELD_ID_NUMBER)
            },
            country: Field::new(s::FIELD_ID_COUNTRY),
            expiry,
            focus: FocusRing::new(IdStop::Number),
            error: None,
        }
    }
}

impl IdForm {
    fn focused_mut(&mut self) -> &mut Field {
        match self.focus.get() {
            IdStop::Kind => &mut self.kind,
            IdStop::Number => &mut self.number,
            IdStop::Country => &mut self.country,
            IdStop::Expiry => &mut self.expiry,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) {
        if self.focused_mut().handle_key(key) {
            self.error = None;
        }
    }

    /// The document, or `None` with the reason shown (as the bank would say it).
    pub fn check(&mut self, today: NaiveDate) -> Option<IdDocument> {
        match IdDocument::parse(
            self.kind.value(),
            self.number.value(),
            self.country.value(),
            self.expiry.value(),
            today,
        ) {
            Ok(id) => Some(id),
            Err(error) => {
                self.error = Some(error.to_string());
                None
            }
        }
    }

    pub fn is_dirty(&self) -> bool {
        !(self.number.is_empty() && self.country.is_empty() && self.expiry.is_empty())
    }

    /// The dialog over `area`: `lines` say what the ID is for.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        lines: Vec<Line>,
        sending: bool,
    ) {
        let theme = view.theme;
        let summary = u16::try_from(lines.len()).unwrap_or(2);
        let height = (summary + 1 + 4 * field::HEIGHT + 2 + 1 + 2).min(area.height);
        let inner = dialog::open(frame, area, area.width.min(72), height, s::ID_TITLE, theme);
        let [summary_area, _, fields_area, message_area, keys_area] = Layout::vertical([
            Constraint::Length(summary),
            Constraint::Length(1),
            Constraint::Length(4 * field::HEIGHT),
            Constraint::Length(2),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }),
            summary_area,
        );
        let rows = Layout::vertical([Constraint::Length(field::HEIGHT); 4]).split(fields_area);
        let fields = [
            (&self.kind, IdStop::Kind),
            (&self.number, IdStop::Number),
            (&self.country, IdStop::Country),
            (&self.expiry, IdStop::Expiry),
        ];
        let mut cursor = None;
        for ((field, stop), row) in fields.into_iter().zip(rows.iter()) {
            let focused = !sending && self.focus.is(stop);
            cursor = cursor.or(field.render(frame, *row, focused, theme));
        }
        if let Some(position) = cursor {
            frame.set_cursor_position(position);
        }
        let message = match (sending, &self.error) {
            (true, _) => dialog::busy_line(view, s::SENDING),
            (false, Some(error)) => message_line(theme::ERROR_MARKER, error, theme.error),
            (false, None) => Line::default(),
        };
        frame.render_widget(
            Paragraph::new(message).wrap(Wrap { trim: true }),
            message_area,
        );
        frame.render_widget(
            dialog::keys_line(s::ID_ENTER, s::APPROVAL_ESC, theme),
            keys_area,
        );
    }
}
