//! Registering a new customer: the profile form (checked field by field as the teller moves
//! on, and all at once on Enter), a phone number and the first password typed twice; then
//! straight on to the first account (its currency) and an optional opening cash deposit,
//! which the counter confirms and receipts like any other.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{cycle, form_status, message_line, panel, Screen};
use crate::domain::{
    Age, Amount, City, Country, Currency, Email, Field as DomainField, Name, Password, Phone, Role,
    Surname, ValidationError,
};
use crate::services::{BankError, NewUserInput, UserProfile};
use crate::tui::context::{describe, Ctx, Flow, Notice, Route, View};
use crate::tui::desk::{CounterStart, Operation};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::focus::{FocusRing, Stops};
use crate::tui::widgets::password_pair;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody};

pub const NAME: usize = 0;
pub const SURNAME: usize = 1;
pub const AGE: usize = 2;
pub const COUNTRY: usize = 3;
pub const CITY: usize = 4;
pub const EMAIL: usize = 5;
pub const PHONE: usize = 6;
pub const PASSWORD: usize = 7;
pub const REPEAT: usize = 8;
const FIELDS: usize = 9;

/// Stands in for the email while it is not valid yet: the password rules need one (the
/// password must differ from it), and the others apply all the same.
const NO_EMAIL_YET: &str = "nobody@example.com";

/// The first account's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountStop {
    /// Chosen with the arrow keys.
    #[default]
    Currency,
    /// The optional opening cash.
    Deposit,
}

impl Stops for AccountStop {
    const ORDER: &'static [Self] = &[Self::Currency, Self::Deposit];
}

/// After registering: the first account.
#[derive(Debug, Clone)]
pub struct FirstAccount {
    pub profile: UserProfile,
    /// An index into `Currency::ALL`.
    pub currency: usize,
    pub deposit: Field,
    pub focus: FocusRing<AccountStop>,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Stage {
    Form,
    Account(Box<FirstAccount>),
}

#[derive(Debug, Clone)]
pub struct RegisterScreen {
    pub fields: Vec<Field>,
    pub focus: usize,
    pub stage: Stage,
    pub error: Option<String>,
    requests: Requests<Asked>,
}

/// What the registration asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Register,
    OpenAccount,
}

impl Default for RegisterScreen {
    fn default() -> Self {
        Self {
            fields: vec![
                Field::new(s::FIELD_NAME),
                Field::new(s::FIELD_SURNAME),
                Field::new(s::FIELD_AGE),
                Field::new(s::FIELD_COUNTRY),
                Field::new(s::FIELD_CITY),
                Field::new(s::FIELD_EMAIL),
                Field::new(s::FIELD_PHONE),
                Field::masked(s::FIELD_PASSWORD),
                Field::masked(s::FIELD_REPEAT_PASSWORD),
            ],
            focus: NAME,
            stage: Stage::Form,
            error: None,
            requests: Requests::default(),
        }
    }
}

/// Keeps only the rule of a validation error.
fn rule<T>(result: Result<T, ValidationError>) -> Result<T, String> {
    result.map_err(|e| e.rule)
}

impl RegisterScreen {
    pub fn is_sending(&self) -> bool {
        self.requests.is_busy()
    }

    fn value(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", Field::value)
    }

    /// Checks one field; `Ok` when it is good (or empty and optional).
    fn check(&self, index: usize) -> Result<(), String> {
        let value = self.value(index).trim();
        match index {
            NAME => rule(Name::parse(value)).map(drop),
            SURNAME => rule(crate::domain::optional(value.trim(), Surname::parse)).map(drop),
            AGE => rule(Age::parse(value)).map(drop),
            COUNTRY => rule(Country::parse(value)).map(drop),
            CITY => rule(crate::domain::optional(value.trim(), City::parse)).map(drop),
            EMAIL => rule(Email::parse(value)).map(drop),
            PHONE => rule(crate::domain::optional(value.trim(), Phone::parse)).map(drop),
            // Until the email is valid, the rules that do not need it.
            PASSWORD => {
                match Email::parse(self.value(EMAIL)).or_else(|_| Email::parse(NO_EMAIL_YET)) {
                    Ok(email) => {
                        rule(Password::parse(self.value(PASSWORD).to_string(), &email)).map(drop)
                    }
                    Err(_) => Ok(()),
                }
            }
            REPEAT => password_pair::repeat_error(self.value(PASSWORD), self.value(REPEAT)),
            _ => Ok(()),
        }
    }

    /// Inline validation: the field just left is checked if something was typed in it.
    fn leave(&mut self, index: usize) {
        if self.value(index).is_empty() {
            return;
        }
        let result = self.check(index);
        if let Some(field) = self.fields.get_mut(index) {
            field.error = result.err();
        }
    }

    fn move_focus(&mut self, forward: bool) {
        let left = self.focus;
        self.focus = cycle(self.focus, forward, FIELDS);
        self.leave(left);
    }

    /// Every field checked; the registration when all are good.
    fn input(&mut self) -> Option<NewUserInput> {
        let mut first_bad = None;
        for index in 0..FIELDS {
            let result = self.check(index);
            if let Err(error) = &result {
                first_bad.get_or_insert(index);
                if let Some(field) = self.fields.get_mut(index) {
                    field.error = Some(error.clone());
                }
            }
        }
        if let Some(bad) = first_bad {
            self.focus = bad;
            return None;
        }
        let value = |i: usize| self.value(i).trim();
        let email = Email::parse(value(EMAIL)).ok()?;
        Some(NewUserInput {
            password: Password::parse(self.value(PASSWORD).to_string(), &email).ok()?,
            name: Name::parse(value(NAME)).ok()?,
            surname: crate::domain::optional(value(SURNAME).trim(), Surname::parse).ok()?,
            age: Age::parse(value(AGE)).ok()?,
            country: Country::parse(value(COUNTRY)).ok()?,
            city: crate::domain::optional(value(CITY).trim(), City::parse).ok()?,
            phones: crate::domain::optional(value(PHONE).trim(), Phone::parse)
                .ok()?
                .into_iter()
                .collect(),
            role: Role::Customer,
            email,
        })
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        if self.requests.is_busy() {
            return;
        }
        self.error = None;
        let Some(input) = self.input() else { return };
        let Some(actor) = ctx.actor() else { return };
        self.requests
            .ask(ctx, Asked::Register, Job::RegisterUser { actor, input });
    }

    fn on_registered(&mut self, result: Result<UserProfile, BankError>, ctx: &mut Ctx) {
        match result {
            Ok(profile) => {
                tracing::info!(customer = profile.id, "customer registered");
                ctx.data.desk.serve(profile.email.as_str());
                ctx.data.desk.profile = Some(profile.clone());
                ctx.notify(Notice::Success(format!(
                    "{}{}.",
                    s::REGISTERED_NOTICE,
                    profile.full_name()
                )));
                // The password typed is not kept a moment longer than needed.
                for index in [PASSWORD, REPEAT] {
                    if let Some(field) = self.fields.get_mut(index) {
                        field.clear();
                    }
                }
                self.stage = Stage::Account(Box::new(FirstAccount {
                    profile,
                    currency: 0,
                    deposit: Field::new(s::FIELD_OPENING_CASH),
                    focus: FocusRing::default(),
                    error: None,
                }));
            }
            Err(BankError::DuplicateEmail(_)) => {
                self.focus = EMAIL;
                self.fields[EMAIL].error = Some(s::EMAIL_TAKEN.into());
            }
            Err(BankError::Invalid(e)) => {
                let index = match e.field {
                    DomainField::Name => Some(NAME),
                    DomainField::Surname => Some(SURNAME),
                    DomainField::Age => Some(AGE),
                    DomainField::Country => Some(COUNTRY),
                    DomainField::City => Some(CITY),
                    DomainField::Email => Some(EMAIL),
                    DomainField::Phone => Some(PHONE),
                    DomainField::Password => Some(PASSWORD),
                    _ => None,
                };
                match index {
                    Some(index) => {
                        self.focus = index;
                        self.fields[index].error = Some(e.rule);
                    }
                    None => self.error = Some(e.to_string()),
                }
            }
            Err(error) => self.error = Some(describe(&error)),
        }
    }

    fn open_account(&mut self, ctx: &mut Ctx) {
        if self.requests.is_busy() {
            return;
        }
        let Stage::Account(first) = &mut self.stage else {
            return;
        };
        first.error = None;
        if !first.deposit.is_empty() {
            if let Err(e) = Amount::parse(first.deposit.value()) {
                first.deposit.error = Some(e.rule);
                first.focus.set(AccountStop::Deposit);
                return;
            }
        }
        let Some(actor) = ctx.actor() else {
            return;
        };
        let owner = first.profile.email.clone();
        let currency = Currency::ALL[first.currency % Currency::ALL.len()];
        let job = Job::OpenAccount {
            actor,
            owner,
            currency,
        };
        self.requests.ask(ctx, Asked::OpenAccount, job);
    }

    fn on_account(
        &mut self,
        result: Result<crate::services::AccountView, BankError>,
        ctx: &mut Ctx,
    ) -> Flow {
        let Stage::Account(first) = &mut self.stage else {
            return Flow::Stay;
        };
        match result {
            Ok(account) => {
                let deposit = first.deposit.value().trim().to_string();
                let number = account.number.clone();
                ctx.data.desk.set_accounts(vec![account]);
                ctx.data.desk.selected = 0;
                ctx.notify(Notice::Success(format!(
                    "{}{}{}",
                    s::ACCOUNT_PREFIX,
                    number.grouped(),
                    s::ACCOUNT_OPENED
                )));
                *self = Self::default();
                if deposit.is_empty() {
                    return Flow::Go(Route::Card);
                }
                ctx.data.desk.counter = Some(CounterStart {
                    operation: Operation::Deposit,
                    account: number,
                    amount: Some(deposit),
                });
                Flow::Go(Route::Counter)
            }
            Err(error) => {
                first.error = Some(describe(&error));
                Flow::Stay
            }
        }
    }
}

impl RegisterScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Register, ReplyBody::Profile(result)) => {
                self.on_registered(result, ctx);
                Flow::Stay
            }
            (Asked::OpenAccount, ReplyBody::Account(result)) => self.on_account(result, ctx),
            (asked, body) => {
                self.requests.unexpected(asked, &body);
                Flow::Stay
            }
        }
    }
}

impl Screen for RegisterScreen {
    fn bindings(&self) -> &'static [Binding] {
        match &self.stage {
            Stage::Form => keys::REGISTER_FORM,
            Stage::Account(_) => keys::REGISTER_ACCOUNT,
        }
    }

    fn typing(&self) -> bool {
        match &self.stage {
            Stage::Form => true,
            Stage::Account(first) => first.focus.is(AccountStop::Deposit),
        }
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        match &mut self.stage {
            Stage::Form => match cmd {
                Cmd::NextField => self.move_focus(true),
                Cmd::PrevField => self.move_focus(false),
                Cmd::Submit => self.submit(ctx),
                Cmd::Back if !self.requests.is_busy() => *self = Self::default(),
                _ => {}
            },
            Stage::Account(first) => match cmd {
                Cmd::NextField => first.focus.next(),
                Cmd::PrevField => first.focus.prev(),
                Cmd::PrevAccount | Cmd::NextAccount if first.focus.is(AccountStop::Currency) => {
                    let forward = cmd == Cmd::NextAccount;
                    first.currency = cycle(first.currency, forward, Currency::ALL.len());
                }
                Cmd::Submit => self.open_account(ctx),
                Cmd::Back if !self.requests.is_busy() => {
                    *self = Self::default();
                    return Flow::Go(Route::Card);
                }
                _ => {}
            },
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.requests.is_busy() {
            return Flow::Stay;
        }
        match &mut self.stage {
            Stage::Form => {
                let focus = self.focus;
                if let Some(field) = self.fields.get_mut(focus) {
                    if field.handle_key(key) {
                        self.error = None;
                    }
                }
            }
            Stage::Account(first) => {
                if first.focus.is(AccountStop::Deposit) && first.deposit.handle_key(key) {
                    first.error = None;
                }
            }
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn is_dirty(&self) -> bool {
        match &self.stage {
            Stage::Form => self.fields.iter().any(|f| !f.is_empty()),
            Stage::Account(first) => !first.deposit.is_empty(),
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        match &self.stage {
            Stage::Form => self.render_form(frame, area, view),
            Stage::Account(first) => self.render_account(frame, area, view, first),
        }
    }
}

impl RegisterScreen {
    fn render_form(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        // One column, nine fields of two rows: the form fills the screen at 80x24; what is
        // not about one field goes to the status line or the border.
        let bottom = match (&self.error, self.requests.is_busy()) {
            (Some(error), _) => {
                Line::styled(format!(" {}{error} ", theme::ERROR_MARKER), theme.error)
            }
            (None, true) => {
                Line::styled(format!(" {} {} ", view.spinner, s::REGISTERING), theme.hint)
            }
            (None, false) => Line::styled(format!(" {} ", s::REGISTER_NOTE), theme.hint),
        };
        let block = panel(s::REGISTER_PANEL, theme).title_bottom(bottom);
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let rows = Layout::vertical([Constraint::Length(field::HEIGHT); FIELDS]).split(inner);
        let active = !self.requests.is_busy();
        let mut cursor = None;
        for (i, (field, rect)) in self.fields.iter().zip(rows.iter()).enumerate() {
            let mut shown = field.clone();
            if shown.error.is_none() && shown.hint.is_none() {
                shown.hint = match i {
                    SURNAME | CITY | PHONE => Some(s::OPTIONAL.to_string()),
                    PASSWORD => Some(s::PASSWORD_RULE_HINT.to_string()),
                    _ => None,
                };
            }
            cursor = cursor.or(shown.render(frame, *rect, active && self.focus == i, theme));
        }
        if let Some(position) = cursor {
            frame.set_cursor_position(position);
        }
    }

    fn render_account(&self, frame: &mut Frame, area: Rect, view: &View, first: &FirstAccount) {
        let theme = view.theme;
        let block = panel(
            format!("{}{}", s::FIRST_ACCOUNT_PANEL, first.profile.full_name()),
            theme,
        );
        let inner = block.inner(area).inner(Margin::new(1, 1));
        frame.render_widget(block, area);
        let [done, _, currency_area, _, deposit_area, _, message] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(vec![
                message_line(theme::OK_MARKER, s::REGISTERED_HEADING, theme.success),
                Line::raw(format!(
                    "  {} · {}",
                    first.profile.full_name(),
                    first.profile.email
                )),
            ]),
            done,
        );
        let active = !self.requests.is_busy();
        let currency_focused = active && first.focus.is(AccountStop::Currency);
        let (marker, label_style, value_style) = if currency_focused {
            (
                theme::FOCUS_MARKER,
                theme.label_focused,
                theme.input_focused,
            )
        } else {
            (theme::NO_MARKER, theme.label, theme.base)
        };
        let code = Currency::ALL[first.currency % Currency::ALL.len()].as_str();
        frame.render_widget(
            Line::from(vec![
                Span::styled(format!("{marker}{:<14}", s::FIELD_CURRENCY), label_style),
                Span::styled("[", label_style),
                Span::styled(format!("◀ {code} ▶"), value_style),
                Span::styled("]", label_style),
            ]),
            currency_area,
        );
        let mut deposit = first.deposit.clone();
        if deposit.error.is_none() {
            deposit.hint = Some(s::OPENING_CASH_HINT.into());
        }
        if let Some(position) = deposit.render(
            frame,
            deposit_area,
            active && first.focus.is(AccountStop::Deposit),
            theme,
        ) {
            frame.set_cursor_position(position);
        }
        let busy = self.requests.is_busy().then_some(s::SENDING);
        let idle = Line::styled(s::FIRST_ACCOUNT_HINT, theme.hint);
        let line = form_status(first.error.as_deref(), busy, view, idle);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
    }
}
