//! The idle lock: after a while without a key, everything is hidden until the password is
//! typed again. The screens underneath keep what was typed.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{form_status, panel};
use crate::services::BankError;
use crate::tui::context::{describe, Ctx, View};
use crate::tui::strings as s;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody, RequestId};

#[derive(Debug, Clone)]
pub struct LockScreen {
    pub password: Field,
    pub error: Option<String>,
    requests: Requests<Asked>,
}

/// What the lock asks the worker for: the password checked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Unlock,
}

impl Default for LockScreen {
    fn default() -> Self {
        Self {
            password: Field::masked(s::FIELD_PASSWORD),
            error: None,
            requests: Requests::default(),
        }
    }
}

impl LockScreen {
    pub fn is_dirty(&self) -> bool {
        false
    }

    pub fn on_input(&mut self, key: &KeyEvent) {
        if self.password.handle_key(key) {
            self.error = None;
        }
    }

    pub fn submit(&mut self, ctx: &mut Ctx) {
        if self.requests.is_busy() {
            return;
        }
        if self.password.is_empty() {
            self.password.error = Some(s::ENTER_PASSWORD.into());
            return;
        }
        let Some(session) = ctx.session.as_ref() else {
            return;
        };
        let job = Job::Reauthenticate {
            email: session.email().clone(),
            password: crate::domain::Secret::new(self.password.value().to_string()),
        };
        self.error = None;
        self.requests.ask(ctx, Asked::Unlock, job);
    }

    /// True when the right person typed the right password.
    pub fn on_reply(
        &mut self,
        id: RequestId,
        body: ReplyBody,
        session_id: Option<i64>,
        ctx: &mut Ctx,
    ) -> bool {
        let Some(asked) = self.requests.take(id) else {
            return false;
        };
        let ReplyBody::Session(result) = body else {
            self.requests.unexpected(asked, &body);
            return false;
        };
        self.password.clear();
        match result {
            Ok(user) if Some(user.id) == session_id => true,
            Ok(_) | Err(BankError::InvalidCredentials) => {
                self.error = Some(s::UNLOCK_FAILED.into());
                false
            }
            Err(BankError::UserLocked { until }) => {
                self.error = Some(format!(
                    "{}{}.",
                    s::LOGIN_LOCKED_OUT,
                    ctx.clock.local(until).format(s::TIME_FORMAT)
                ));
                false
            }
            Err(error) => {
                self.error = Some(describe(&error));
                false
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let area = area.centered(Constraint::Length(64), Constraint::Length(12));
        let block = panel(s::LOCK_PANEL, theme).border_style(theme.border_focused);
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let [intro, _, password, message] = Layout::vertical([
            Constraint::Length(4),
            Constraint::Length(1),
            Constraint::Length(field::HEIGHT),
            Constraint::Min(1),
        ])
        .areas(inner);
        let who = view
            .session
            .map(|s| s.email().as_str().to_string())
            .unwrap_or_default();
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(s::LOCK_HEADLINE, theme.title),
                Line::from(vec![Span::raw(s::LOCK_INTRO), Span::styled(who, theme.key)]),
                Line::styled(s::LOCK_KEPT, theme.hint),
            ])
            .wrap(Wrap { trim: true }),
            intro,
        );
        if let Some(position) = self.password.render(frame, password, true, theme) {
            frame.set_cursor_position(position);
        }
        let busy = self.requests.is_busy().then_some(s::LOGIN_CHECKING);
        let line = form_status(self.error.as_deref(), busy, view, Line::default());
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
    }
}
