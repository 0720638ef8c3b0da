//! My profile: view it, edit name, surname, age, country, city, email and phone numbers, and
//! change my password (the current one is required).

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{form_status, label_span, message_line, panel, step, Screen};
use crate::domain::Secret;
use crate::services::{BankError, UserProfile};
use crate::tui::context::{describe, Ctx, Flow, Route, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::focus::{FocusRing, Stops};
use crate::tui::widgets::password_pair::{PasswordPair, Which};
pub use crate::tui::widgets::profile_form::{
    is_unchanged, render_edit_titled, EditForm, EditStop, PhoneRow, PhoneState,
};
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody};

/// The password form's fields: the current password, then the new pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordStop {
    #[default]
    Current,
    New,
    Repeat,
}

impl Stops for PasswordStop {
    const ORDER: &'static [Self] = &[Self::Current, Self::New, Self::Repeat];
}

#[derive(Debug, Clone)]
pub struct PasswordForm {
    pub current: Field,
    pub pair: PasswordPair,
    pub focus: FocusRing<PasswordStop>,
    pub error: Option<String>,
}

impl Default for PasswordForm {
    fn default() -> Self {
        Self {
            current: Field::masked(s::FIELD_CURRENT_PASSWORD),
            pair: PasswordPair::default(),
            focus: FocusRing::default(),
            error: None,
        }
    }
}

impl PasswordForm {
    /// The pair's field that has the focus, if one has.
    fn pair_focus(&self) -> Option<Which> {
        match self.focus.get() {
            PasswordStop::Current => None,
            PasswordStop::New => Some(Which::New),
            PasswordStop::Repeat => Some(Which::Repeat),
        }
    }

    fn focused_field(&mut self) -> &mut Field {
        match self.pair_focus() {
            None => &mut self.current,
            Some(which) => self.pair.field_mut(which),
        }
    }

    /// The password change to send, when the form is good.
    fn submit(&mut self, ctx: &Ctx) -> Option<Job> {
        self.error = None;
        let session = ctx.session.as_ref()?;
        let mut ok = true;
        if self.current.is_empty() {
            self.current.error = Some(s::ENTER_PASSWORD.into());
            ok = false;
        }
        let new = self.pair.check(session.email());
        let (true, Ok(new)) = (ok, new) else {
            self.focus.set(if self.current.error.is_some() {
                PasswordStop::Current
            } else if self.pair.new.error.is_some() {
                PasswordStop::New
            } else {
                PasswordStop::Repeat
            });
            return None;
        };
        let actor = session.actor();
        let current = Secret::new(self.current.value().to_string());
        Some(Job::ChangePassword {
            actor,
            current,
            new,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub enum Mode {
    #[default]
    View,
    Edit(Box<EditForm>),
    Password(Box<PasswordForm>),
}

#[derive(Debug, Clone, Default)]
pub struct ProfileScreen {
    pub profile: Option<UserProfile>,
    pub mode: Mode,
    /// The last outcome ("Profile saved.").
    pub message: Option<String>,
    pub error: Option<String>,
    requests: Requests<Asked>,
}

/// What the profile screen asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Load,
    /// The edit form's changes.
    Save,
    /// The password form's change.
    Password,
}

impl ProfileScreen {
    fn load(&mut self, ctx: &mut Ctx) {
        let Some(session) = ctx.session.as_ref() else {
            return;
        };
        let job = Job::Profile {
            actor: session.actor(),
            email: session.email().clone(),
        };
        self.error = None;
        self.requests.ask(ctx, Asked::Load, job);
    }

    fn save(&mut self, ctx: &mut Ctx) {
        let (Mode::Edit(form), Some(profile)) = (&mut self.mode, &self.profile) else {
            return;
        };
        if self.requests.is_waiting(Asked::Save) {
            return;
        }
        if form.focus.is(EditStop::NewPhone) && !form.new_phone.is_empty() {
            form.add_phone();
            return;
        }
        form.error = None;
        let Some(changes) = form.changes(profile) else {
            return;
        };
        if is_unchanged(&changes) {
            self.mode = Mode::View;
            self.message = Some(s::PROFILE_UNCHANGED.into());
            return;
        }
        let Some(session) = ctx.session.as_ref() else {
            return;
        };
        let job = Job::UpdateProfile {
            actor: session.actor(),
            email: session.email().clone(),
            changes,
        };
        self.requests.ask(ctx, Asked::Save, job);
    }

    /// Back to the profile from a form; an answer still on its way is ignored.
    fn close_form(&mut self) {
        self.mode = Mode::View;
        self.requests.forget(Asked::Save);
        self.requests.forget(Asked::Password);
    }

    fn on_saved(&mut self, result: Result<UserProfile, BankError>, ctx: &mut Ctx) {
        let Mode::Edit(form) = &mut self.mode else {
            return;
        };
        match result {
            Ok(profile) => {
                if let Some(session) = ctx.session.as_mut() {
                    session.user.email = profile.email.clone();
                    session.user.name = profile.name.clone();
                    session.user.surname = profile.surname.clone();
                }
                self.profile = Some(profile);
                self.mode = Mode::View;
                self.message = Some(s::PROFILE_SAVED.into());
            }
            Err(BankError::Invalid(e)) => match form.field_for(e.field) {
                Some(field) => field.error = Some(e.rule),
                None => form.error = Some(e.to_string()),
            },
            Err(BankError::DuplicateEmail(_)) => {
                form.email_taken();
            }
            Err(error) => form.error = Some(describe(&error)),
        }
    }

    fn on_password(&mut self, result: Result<(), BankError>) {
        let Mode::Password(form) = &mut self.mode else {
            return;
        };
        match result {
            Ok(()) => {
                self.mode = Mode::View;
                self.message = Some(s::PASSWORD_CHANGED.into());
            }
            Err(BankError::InvalidCredentials) => {
                form.current.clear();
                form.current.error = Some(s::CURRENT_PASSWORD_WRONG.into());
                form.focus.set(PasswordStop::Current);
            }
            Err(BankError::Invalid(e)) => {
                form.pair.new.error = Some(e.rule);
                form.focus.set(PasswordStop::New);
            }
            Err(error) => form.error = Some(describe(&error)),
        }
    }
}

impl ProfileScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Load, ReplyBody::Profile(result)) => match result {
                Ok(profile) => self.profile = Some(profile),
                Err(error) => self.error = Some(describe(&error)),
            },
            (Asked::Save, ReplyBody::Profile(result)) => self.on_saved(result, ctx),
            (Asked::Password, ReplyBody::PasswordChanged(result)) => self.on_password(result),
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }
}

impl Screen for ProfileScreen {
    fn bindings(&self) -> &'static [Binding] {
        match &self.mode {
            Mode::View => keys::PROFILE_VIEW,
            Mode::Edit(form) if form.focus.is(EditStop::Phones) => keys::PROFILE_PHONES,
            Mode::Edit(_) => keys::PROFILE_EDIT,
            Mode::Password(_) => keys::PASSWORD_FORM,
        }
    }

    fn typing(&self) -> bool {
        match &self.mode {
            Mode::View => false,
            Mode::Edit(form) => !form.focus.is(EditStop::Phones),
            Mode::Password(_) => true,
        }
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        if self.profile.is_none() && !self.requests.is_waiting(Asked::Load) {
            self.load(ctx);
        }
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        match &mut self.mode {
            Mode::View => match cmd {
                Cmd::Edit => {
                    if let Some(profile) = &self.profile {
                        self.message = None;
                        self.mode = Mode::Edit(Box::new(EditForm::from_profile(profile)));
                    }
                }
                Cmd::ChangePassword => {
                    self.message = None;
                    self.mode = Mode::Password(Box::default());
                }
                Cmd::Refresh => self.load(ctx),
                Cmd::Back => return Flow::Go(Route::Accounts),
                _ => {}
            },
            Mode::Edit(form) => match cmd {
                Cmd::NextField => form.focus.next(),
                Cmd::PrevField => form.focus.prev(),
                Cmd::Up => form.phone_selected = step(form.phone_selected, -1, form.phones.len()),
                Cmd::Down => form.phone_selected = step(form.phone_selected, 1, form.phones.len()),
                Cmd::RemovePhone => form.toggle_phone(),
                Cmd::Submit => self.save(ctx),
                Cmd::Back => self.close_form(),
                _ => {}
            },
            Mode::Password(form) => match cmd {
                Cmd::NextField => form.focus.next(),
                Cmd::PrevField => form.focus.prev(),
                Cmd::Submit if !self.requests.is_waiting(Asked::Password) => {
                    if let Some(job) = form.submit(ctx) {
                        self.requests.ask(ctx, Asked::Password, job);
                    }
                }
                Cmd::Back => self.close_form(),
                _ => {}
            },
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        match &mut self.mode {
            Mode::View => {}
            Mode::Edit(form) => {
                if let Some(field) = form.focused_field() {
                    if field.handle_key(key) {
                        form.error = None;
                    }
                }
            }
            Mode::Password(form) => {
                if form.focused_field().handle_key(key) {
                    form.error = None;
                }
            }
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn is_dirty(&self) -> bool {
        match (&self.mode, &self.profile) {
            (Mode::Edit(form), Some(profile)) => form.is_changed(profile),
            (Mode::Password(form), _) => !(form.current.is_empty() && form.pair.is_empty()),
            _ => false,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let [main, message_area] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(1)]).areas(area);
        match &self.mode {
            Mode::View => self.render_view(frame, main, view),
            Mode::Edit(form) => render_edit(form, frame, main, view),
            Mode::Password(form) => render_password(form, frame, main, view),
        }
        let form_error = match &self.mode {
            Mode::Edit(form) => form.error.as_deref(),
            Mode::Password(form) => form.error.as_deref(),
            Mode::View => None,
        };
        let busy = match &self.mode {
            Mode::Edit(_) => self.requests.is_waiting(Asked::Save),
            Mode::Password(_) => self.requests.is_waiting(Asked::Password),
            Mode::View => self.requests.is_waiting(Asked::Load),
        };
        let idle = match &self.message {
            Some(message) => message_line(theme::OK_MARKER, message, theme.success),
            None => Line::default(),
        };
        let error = form_error.or(self.error.as_deref());
        let line = form_status(error, busy.then_some(s::SAVING), view, idle);
        frame.render_widget(Paragraph::new(line), message_area);
    }
}

impl ProfileScreen {
    fn render_view(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let [left, right] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(30)]).areas(area);
        let Some(p) = &self.profile else {
            let text = if self.requests.is_waiting(Asked::Load) {
                s::LOADING
            } else {
                ""
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.hint))
                    .block(panel(s::PROFILE_PANEL, theme)),
                area,
            );
            return;
        };
        let row = |label: &'static str, value: String| {
            Line::from(vec![label_span(label, theme), Span::raw(value)])
        };
        let dash = || s::EMPTY_VALUE.to_string();
        let lines = vec![
            row(s::FIELD_NAME, p.name.clone()),
            row(s::FIELD_SURNAME, p.surname.clone().unwrap_or_else(dash)),
            row(s::FIELD_AGE, p.age.to_string()),
            row(s::FIELD_COUNTRY, p.country.clone()),
            row(s::FIELD_CITY, p.city.clone().unwrap_or_else(dash)),
            row(s::FIELD_EMAIL, p.email.to_string()),
            row(s::FIELD_ROLE, p.role.as_str().to_string()),
            row(
                s::MEMBER_SINCE,
                view.clock
                    .local(p.created_at)
                    .format(s::DATE_FORMAT)
                    .to_string(),
            ),
        ];
        frame.render_widget(
            Paragraph::new(lines).block(
                panel(s::PROFILE_PANEL, theme).padding(ratatui::widgets::Padding::uniform(1)),
            ),
            left,
        );
        let phones: Vec<Line> = if p.phones.is_empty() {
            vec![Line::styled(s::NO_PHONES, theme.hint)]
        } else {
            p.phones.iter().map(|n| Line::raw(n.clone())).collect()
        };
        frame.render_widget(
            Paragraph::new(phones).block(
                panel(s::PHONES_PANEL, theme).padding(ratatui::widgets::Padding::uniform(1)),
            ),
            right,
        );
    }
}

fn render_edit(form: &EditForm, frame: &mut Frame, area: Rect, view: &View) {
    render_edit_titled(form, s::PROFILE_EDIT_PANEL, frame, area, view);
}

/// The profile form under any title (staff edit a customer's with it).
fn render_password(form: &PasswordForm, frame: &mut Frame, area: Rect, view: &View) {
    let theme = view.theme;
    let block = panel(s::PASSWORD_PANEL, theme);
    let inner = block.inner(area).inner(Margin::new(1, 1));
    frame.render_widget(block, area);
    let [intro, _, a, b, c, _] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(field::HEIGHT),
        Constraint::Length(field::HEIGHT),
        Constraint::Length(field::HEIGHT),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(s::PASSWORD_INTRO)
            .style(theme.hint)
            .wrap(Wrap { trim: true }),
        intro,
    );
    let cursors = [
        form.current
            .render(frame, a, form.focus.is(PasswordStop::Current), theme),
        form.pair.render(frame, [b, c], form.pair_focus(), theme),
    ];
    if let Some(position) = cursors.into_iter().flatten().next() {
        frame.set_cursor_position(position);
    }
}
