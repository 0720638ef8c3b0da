//! Logging in: email and a masked password. Nothing else is reachable before this succeeds.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{cycle, form_status, panel, Screen};
use crate::domain::{Email, Secret};
use crate::services::BankError;
use crate::tui::app::{describe, Ctx, Flow, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::widgets::field::{self, Field};
use crate::tui::worker::{Job, ReplyBody, RequestId};

#[derive(Debug, Clone)]
pub struct LoginScreen {
    pub email: Field,
    pub password: Field,
    /// 0 = email, 1 = password.
    pub focus: usize,
    /// The form-wide message (wrong password, locked out, database down).
    pub error: Option<String>,
    awaiting: Option<RequestId>,
}

impl Default for LoginScreen {
    fn default() -> Self {
        Self {
            email: Field::new(s::FIELD_EMAIL),
            password: Field::masked(s::FIELD_PASSWORD),
            focus: 0,
            error: None,
            awaiting: None,
        }
    }
}

impl LoginScreen {
    /// Something typed that quitting would throw away.
    pub fn has_input(&self) -> bool {
        !self.email.is_empty() || !self.password.is_empty()
    }

    pub fn is_waiting(&self) -> bool {
        self.awaiting.is_some()
    }

    fn focused_mut(&mut self) -> &mut Field {
        if self.focus == 0 {
            &mut self.email
        } else {
            &mut self.password
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        if self.awaiting.is_some() {
            return;
        }
        self.error = None;
        let email = match Email::parse(self.email.value()) {
            Ok(email) => Some(email),
            Err(e) => {
                self.email.error = Some(e.rule);
                None
            }
        };
        if self.password.is_empty() {
            // Enter on the email field with no password yet just moves on.
            if self.focus == 0 && email.is_some() {
                self.focus = 1;
                return;
            }
            self.password.error = Some(s::ENTER_PASSWORD.into());
        }
        let Some(email) = email else {
            self.focus = 0;
            return;
        };
        if self.password.is_empty() {
            self.focus = 1;
            return;
        }
        let password = Secret::new(self.password.value().to_string());
        self.awaiting = Some(ctx.request(Job::Login { email, password }));
    }
}

impl Screen for LoginScreen {
    fn bindings(&self) -> &'static [Binding] {
        keys::LOGIN
    }

    fn typing(&self) -> bool {
        true
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        match cmd {
            Cmd::NextField => self.focus = cycle(self.focus, true, 2),
            Cmd::PrevField => self.focus = cycle(self.focus, false, 2),
            Cmd::Submit => self.submit(ctx),
            // Esc gives up waiting (the answer is then ignored) or clears the message.
            Cmd::Back if self.awaiting.take().is_none() => self.error = None,
            _ => {}
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.focused_mut().handle_key(key) {
            self.error = None;
        }
        Flow::Stay
    }

    fn on_reply(&mut self, id: RequestId, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        if self.awaiting != Some(id) {
            return Flow::Stay;
        }
        self.awaiting = None;
        let ReplyBody::Session(result) = body else {
            return Flow::Stay;
        };
        match result {
            Ok(user) => {
                self.email.clear();
                self.password.clear();
                self.focus = 0;
                self.error = None;
                Flow::LoggedIn(user)
            }
            Err(error) => {
                self.error = Some(match &error {
                    BankError::InvalidCredentials => s::LOGIN_FAILED.to_string(),
                    BankError::UserLocked { until } => format!(
                        "{}{}.",
                        s::LOGIN_LOCKED_OUT,
                        ctx.clock.local(*until).format(s::TIME_FORMAT)
                    ),
                    other => describe(other),
                });
                if matches!(error, BankError::InvalidCredentials) {
                    self.password.clear();
                    self.focus = 1;
                }
                Flow::Stay
            }
        }
    }

    /// Spent after login, so never "unsaved" for the screens that follow (the app asks
    /// `has_input` before login instead).
    fn is_dirty(&self) -> bool {
        false
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let area = area.centered(Constraint::Length(64), Constraint::Length(14));
        let block = panel(s::LOGIN_PANEL, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [intro, _, email, password, _, message] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(inner.inner(ratatui::layout::Margin::new(1, 0)));
        frame.render_widget(
            Paragraph::new(s::LOGIN_INTRO)
                .style(theme.hint)
                .wrap(Wrap { trim: true }),
            intro,
        );
        let cursors = [
            self.email.render(frame, email, self.focus == 0, theme),
            self.password
                .render(frame, password, self.focus == 1, theme),
        ];
        if let Some(position) = cursors.into_iter().flatten().next() {
            frame.set_cursor_position(position);
        }
        let busy = self.awaiting.is_some().then_some(s::LOGIN_CHECKING);
        let line = form_status(self.error.as_deref(), busy, view, Line::default());
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
    }
}
