//! Logging in: email and a masked password. Nothing else is reachable before this succeeds.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{form_status, panel, Screen};
use crate::domain::{Email, Secret};
use crate::services::BankError;
use crate::tui::context::{describe, Ctx, Flow, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::focus::{FocusRing, Stops};
use crate::tui::widgets::hits::Hits;
use crate::tui::widgets::password_pair::{PasswordPair, Which};
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody};

/// What the login asks the worker for: a session (a login, or the forced password change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Session,
}

#[derive(Debug, Clone)]
pub struct LoginScreen {
    pub email: Field,
    pub password: Field,
    pub focus: FocusRing<Stop>,
    /// The form-wide message (wrong password, locked out, database down).
    pub error: Option<String>,
    requests: Requests<Asked>,
    /// Set when the bank said the password must be changed first.
    pub change: Option<ForcedChange>,
    /// Where the fields were drawn, for clicks.
    clickable: Hits<Clicked>,
}

/// A field a click may focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clicked {
    Login(Stop),
    NewPassword(Which),
}

/// The login form's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stop {
    #[default]
    Email,
    Password,
}

impl Stops for Stop {
    const ORDER: &'static [Self] = &[Self::Email, Self::Password];
}

/// A password someone else set (a registration, a reset): its owner chooses a new one before
/// anything else. The bank checks the current one again with the change.
#[derive(Debug, Clone)]
pub struct ForcedChange {
    email: Email,
    current: Secret,
    pub pair: PasswordPair,
}

impl ForcedChange {
    fn new(email: Email, current: Secret) -> Self {
        Self {
            email,
            current,
            pair: PasswordPair::default(),
        }
    }

    /// The job to send, or None after marking what is wrong on the form.
    fn job(&mut self) -> Option<Job> {
        let pair = &mut self.pair;
        pair.clear_errors();
        // Enter on the new password with no repeat yet just moves on.
        if pair.focus.is(Which::New) && pair.repeat.is_empty() && !pair.new.is_empty() {
            pair.focus.set(Which::Repeat);
            return None;
        }
        let new = match pair.check(&self.email) {
            Ok(new) => new,
            Err(which) => {
                pair.focus.set(which);
                return None;
            }
        };
        Some(Job::ChangePasswordAtLogin {
            email: self.email.clone(),
            current: self.current.clone(),
            new,
        })
    }
}

impl Default for LoginScreen {
    fn default() -> Self {
        Self {
            email: Field::new(s::FIELD_EMAIL),
            password: Field::masked(s::FIELD_PASSWORD),
            focus: FocusRing::default(),
            error: None,
            requests: Requests::default(),
            change: None,
            clickable: Hits::default(),
        }
    }
}

impl LoginScreen {
    /// Something typed that quitting would throw away.
    pub fn has_input(&self) -> bool {
        !self.email.is_empty() || !self.password.is_empty() || self.change.is_some()
    }

    pub fn is_waiting(&self) -> bool {
        self.requests.is_busy()
    }

    fn focused_mut(&mut self) -> &mut Field {
        if self.focus.is(Stop::Email) {
            &mut self.email
        } else {
            &mut self.password
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        if self.requests.is_busy() {
            return;
        }
        self.error = None;
        if let Some(change) = &mut self.change {
            if let Some(job) = change.job() {
                self.requests.ask(ctx, Asked::Session, job);
            }
            return;
        }
        let email = match Email::parse(self.email.value()) {
            Ok(email) => Some(email),
            Err(e) => {
                self.email.error = Some(e.rule);
                None
            }
        };
        if self.password.is_empty() {
            // Enter on the email field with no password yet just moves on.
            if self.focus.is(Stop::Email) && email.is_some() {
                self.focus.set(Stop::Password);
                return;
            }
            self.password.error = Some(s::ENTER_PASSWORD.into());
        }
        let Some(email) = email else {
            self.focus.set(Stop::Email);
            return;
        };
        if self.password.is_empty() {
            self.focus.set(Stop::Password);
            return;
        }
        let password = Secret::new(self.password.value().to_string());
        self.requests
            .ask(ctx, Asked::Session, Job::Login { email, password });
    }

    /// Back to an empty login form.
    fn reset(&mut self) {
        self.email.clear();
        self.password.clear();
        self.focus.set(Stop::Email);
        self.error = None;
        self.change = None;
    }
}

impl LoginScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        let ReplyBody::Session(result) = body else {
            self.requests.unexpected(asked, &body);
            return Flow::Stay;
        };
        match result {
            Ok(user) => {
                self.reset();
                Flow::LoggedIn(user)
            }
            Err(BankError::PasswordChangeRequired) if self.change.is_none() => {
                let email = Email::parse(self.email.value());
                if let Ok(email) = email {
                    let current = Secret::new(self.password.value().to_string());
                    self.password.clear();
                    self.change = Some(ForcedChange::new(email, current));
                }
                Flow::Stay
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
                    // Whatever went wrong during a forced change, start from the login again.
                    self.change = None;
                    self.password.clear();
                    self.focus.set(Stop::Password);
                }
                Flow::Stay
            }
        }
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
            Cmd::NextField | Cmd::PrevField => match &mut self.change {
                Some(change) => change.pair.switch_focus(),
                None => self.focus.step(cmd == Cmd::NextField),
            },
            Cmd::Submit => self.submit(ctx),
            // Esc gives up waiting (the answer is then ignored), leaves the forced change for
            // the login form, or clears the message.
            Cmd::Back if !self.requests.forget_all() => {
                if self.change.is_some() {
                    self.reset();
                } else {
                    self.error = None;
                }
            }
            _ => {}
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        let field = match &mut self.change {
            Some(change) => change.pair.focused_mut(),
            None => self.focused_mut(),
        };
        if field.handle_key(key) {
            self.error = None;
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    /// Spent after login, so never "unsaved" for the screens that follow (the app asks
    /// `has_input` before login instead).
    fn on_click(&mut self, column: u16, row: u16, _ctx: &mut Ctx) -> Flow {
        match (self.clickable.at(column, row), &mut self.change) {
            (Some(Clicked::Login(stop)), None) => self.focus.set(stop),
            (Some(Clicked::NewPassword(which)), Some(change)) => change.pair.focus.set(which),
            _ => {}
        }
        Flow::Stay
    }

    fn is_dirty(&self) -> bool {
        false
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let area = area.centered(Constraint::Length(64), Constraint::Length(14));
        let title = if self.change.is_some() {
            s::CHANGE_AT_LOGIN_PANEL
        } else {
            s::LOGIN_PANEL
        };
        let block = panel(title, theme);
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
        let intro_text = if self.change.is_some() {
            s::CHANGE_AT_LOGIN_INTRO
        } else {
            s::LOGIN_INTRO
        };
        frame.render_widget(
            Paragraph::new(intro_text)
                .style(theme.hint)
                .wrap(Wrap { trim: true }),
            intro,
        );
        self.clickable.clear();
        let clicked = match &self.change {
            Some(_) => [
                Clicked::NewPassword(Which::New),
                Clicked::NewPassword(Which::Repeat),
            ],
            None => [Clicked::Login(Stop::Email), Clicked::Login(Stop::Password)],
        };
        for (area, what) in [email, password].into_iter().zip(clicked) {
            self.clickable.record(area, what);
        }
        let cursors = match &self.change {
            Some(change) => [
                change.pair.render(
                    frame,
                    [email, password],
                    Some(change.pair.focus.get()),
                    theme,
                ),
                None,
            ],
            None => [
                self.email
                    .render(frame, email, self.focus.is(Stop::Email), theme),
                self.password
                    .render(frame, password, self.focus.is(Stop::Password), theme),
            ],
        };
        if let Some(position) = cursors.into_iter().flatten().next() {
            frame.set_cursor_position(position);
        }
        let busy = self.requests.is_busy().then_some(s::LOGIN_CHECKING);
        let line = form_status(self.error.as_deref(), busy, view, Line::default());
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
    }
}
