//! The four-eyes dialog: a supervisor (an admin who is not the teller) types their email and
//! password on the teller's screen. A reversal adds its reason above them. The bank checks the
//! credentials; this form only checks that something sensible was typed.
//!
//! ```text
//! ┌ Supervisor approval ──────────────────────────────────────────┐
//! │ Withdrawal of USD 12,000.00 from 1000 0012 34                  │
//! │ An amount above 10,000.00 needs a supervisor.                  │
//! │                                                                │
//! │ ▶ Supervisor    [admin@bank.local                            ] │
//! │   Password      [••••••••                                    ] │
//! │                                                                │
//! │ Enter approve and send   Esc cancel                            │
//! └────────────────────────────────────────────────────────────────┘
//! ```

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::dialog;
use super::field::{self, Field};
use crate::domain::{Email, Reason, Secret};
use crate::services::Approval;
use crate::tui::context::View;
use crate::tui::screens::{cycle, message_line};
use crate::tui::strings as s;
use crate::tui::theme;

#[derive(Debug, Clone)]
pub struct ApprovalForm {
    /// Why (reversals only).
    pub reason: Option<Field>,
    pub supervisor: Field,
    pub password: Field,
    pub focus: usize,
    /// The bank's refusal ("The approval was refused: …").
    pub error: Option<String>,
}

impl Default for ApprovalForm {
    fn default() -> Self {
        Self {
            reason: None,
            supervisor: Field::new(s::FIELD_SUPERVISOR),
            password: Field::masked(s::FIELD_PASSWORD),
            focus: 0,
            error: None,
        }
    }
}

impl ApprovalForm {
    /// The supervisor's email and password.
    pub fn new() -> Self {
        Self::default()
    }

    /// A reason first, then the supervisor's email and password.
    pub fn with_reason() -> Self {
        Self {
            reason: Some(Field::new(s::FIELD_REASON)),
            ..Self::default()
        }
    }

    fn len(&self) -> usize {
        if self.reason.is_some() {
            3
        } else {
            2
        }
    }

    /// The index of the supervisor's email field.
    fn supervisor_index(&self) -> usize {
        usize::from(self.reason.is_some())
    }

    fn field_mut(&mut self, index: usize) -> &mut Field {
        let first = self.supervisor_index();
        match (&mut self.reason, index) {
            (Some(reason), 0) => reason,
            _ if index == first => &mut self.supervisor,
            _ => &mut self.password,
        }
    }

    pub fn next(&mut self, forward: bool) {
        self.focus = cycle(self.focus, forward, self.len());
    }

    /// Feeds a key to the focused field.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        let focus = self.focus;
        if self.field_mut(focus).handle_key(key) {
            self.error = None;
        }
    }

    /// The reason (if asked for) and the approval, or the first bad field focused with its
    /// error under it.
    pub fn check(&mut self) -> Option<(Option<Reason>, Approval)> {
        self.error = None;
        let mut first_bad: Option<usize> = None;
        let reason = match &mut self.reason {
            Some(field) => match Reason::parse(field.value()) {
                Ok(reason) => Some(reason),
                Err(e) => {
                    field.error = Some(e.rule);
                    first_bad = Some(0);
                    None
                }
            },
            None => None,
        };
        let at = self.supervisor_index();
        let supervisor = match Email::parse(self.supervisor.value()) {
            Ok(email) => Some(email),
            Err(e) => {
                self.supervisor.error = Some(e.rule);
                first_bad.get_or_insert(at);
                None
            }
        };
        if self.password.is_empty() {
            self.password.error = Some(s::SUPERVISOR_PASSWORD_MISSING.into());
            first_bad.get_or_insert(at + 1);
        }
        if let Some(bad) = first_bad {
            self.focus = bad;
            return None;
        }
        let supervisor = supervisor?;
        if self.reason.is_some() && reason.is_none() {
            return None;
        }
        let approval = Approval::Typed {
            supervisor,
            password: Secret::new(self.password.value().to_string()),
        };
        Some((reason, approval))
    }

    /// The bank refused the approval: the password goes, the message stays.
    pub fn refused(&mut self, message: String) {
        self.password.clear();
        self.focus = self.supervisor_index() + 1;
        self.error = Some(message);
    }

    pub fn is_dirty(&self) -> bool {
        !(self.supervisor.is_empty()
            && self.password.is_empty()
            && self.reason.as_ref().is_none_or(Field::is_empty))
    }

    /// Draws the dialog over `area`: `lines` say what is being approved.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        title: &str,
        lines: Vec<Line>,
        sending: Option<&str>,
    ) {
        let theme = view.theme;
        let fields = u16::try_from(self.len()).unwrap_or(3);
        let summary = u16::try_from(lines.len()).unwrap_or(4);
        let height = (summary + 1 + fields * field::HEIGHT + 3 + 2).min(area.height);
        let inner = dialog::open(frame, area, area.width.min(72), height, title, theme);
        let [summary_area, _, fields_area, message_area, keys_area] = Layout::vertical([
            Constraint::Length(summary),
            Constraint::Length(1),
            Constraint::Length(fields * field::HEIGHT),
            Constraint::Length(2),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(lines), summary_area);
        let rows = Layout::vertical(vec![Constraint::Length(field::HEIGHT); self.len()])
            .split(fields_area);
        let mut all: Vec<&Field> = Vec::new();
        if let Some(reason) = &self.reason {
            all.push(reason);
        }
        all.push(&self.supervisor);
        all.push(&self.password);
        let mut cursor = None;
        for (i, (field, row)) in all.into_iter().zip(rows.iter()).enumerate() {
            let focused = sending.is_none() && i == self.focus;
            cursor = cursor.or(field.render(frame, *row, focused, theme));
        }
        if let Some(position) = cursor {
            frame.set_cursor_position(position);
        }
        let message = match (sending, &self.error) {
            (Some(text), _) => dialog::busy_line(view, text),
            (None, Some(error)) => message_line(theme::ERROR_MARKER, error, theme.error),
            (None, None) => Line::default(),
        };
        frame.render_widget(
            Paragraph::new(message).wrap(Wrap { trim: true }),
            message_area,
        );
        frame.render_widget(
            dialog::keys_line(s::APPROVAL_ENTER, s::APPROVAL_ESC, theme),
            keys_area,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn typed(form: &mut ApprovalForm, text: &str) {
        for c in text.chars() {
            form.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn every_field_is_required_and_the_first_bad_one_gets_the_focus() {
        let mut form = ApprovalForm::with_reason();
        assert!(form.check().is_none());
        assert_eq!(form.focus, 0);
        assert!(form.reason.as_ref().is_some_and(|r| r.error.is_some()));
        typed(&mut form, "keyed twice");
        form.next(true);
        typed(&mut form, "admin@bank.local");
        assert!(form.check().is_none());
        assert_eq!(form.focus, 2, "the password is missing");
        typed(&mut form, "pw");
        let (reason, approval) = form.check().expect("complete");
        assert_eq!(
            reason.map(|r| r.as_str().to_string()).as_deref(),
            Some("keyed twice")
        );
        let Approval::Typed {
            supervisor,
            password,
        } = approval
        else {
            panic!("typed on this screen")
        };
        assert_eq!(supervisor.as_str(), "admin@bank.local");
        assert_eq!(password.expose(), "pw");
    }

    #[test]
    fn a_refusal_clears_the_password_only() {
        let mut form = ApprovalForm::new();
        typed(&mut form, "admin@bank.local");
        form.next(true);
        typed(&mut form, "wrong");
        form.refused("no".into());
        assert_eq!(form.supervisor.value(), "admin@bank.local");
        assert!(form.password.is_empty());
        assert_eq!(form.focus, 1);
        assert_eq!(form.error.as_deref(), Some("no"));
    }
}
