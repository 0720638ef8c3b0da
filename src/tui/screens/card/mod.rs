//! The customer card: profile, phones, lock state, accounts with balances and status, and the
//! selected account's recent movements. From here the teller serves the customer: deposit,
//! withdraw and transfer (on the counter screen, prefilled), open an account, freeze or
//! unfreeze one (unfreezing needs a supervisor), unlock the login, reset the password (typed
//! twice, shown nowhere), edit the profile, and reverse one of today's movements (with a
//! reason and a supervisor).
//!
//! The bank checks every rule; the card only asks, and shows the answer.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use super::profile::{self, EditForm, PHONES};
use super::{
    cycle, form_status, grouped, kind_label, message_line, money, money_line, panel, party_label,
    status_label, step, when, Screen,
};
use crate::domain::{AccountNumber, Currency, Email, Password};
use crate::services::{AccountStatus, BankError, HistoryEntry, MovementKind, UserProfile};
use crate::tui::context::{describe, Ctx, Flow, Notice, Route, View};
use crate::tui::desk::{CounterStart, Operation};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::field::{self, Field};
use crate::tui::worker::{Job, ReplyBody, RequestId};

/// Movements the card loads for the selected account.
pub const RECENT: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Accounts,
    Movements,
}

/// The customer's new password, typed twice.
#[derive(Debug, Clone)]
pub struct PasswordReset {
    pub new: Field,
    pub repeat: Field,
    pub focus: usize,
}

impl Default for PasswordReset {
    fn default() -> Self {
        Self {
            new: Field::masked(s::FIELD_NEW_PASSWORD),
            repeat: Field::masked(s::FIELD_REPEAT_PASSWORD),
            focus: 0,
        }
    }
}

/// A dialog over the card (or, for the profile, in its place).
#[derive(Debug, Clone)]
pub enum Dialog {
    /// Choosing the currency of a new account (an index into `Currency::ALL`).
    OpenAccount {
        currency: usize,
    },
    Freeze {
        number: String,
    },
    Unfreeze {
        number: String,
        form: ApprovalForm,
    },
    Reverse {
        entry: HistoryEntry,
        form: ApprovalForm,
    },
    Password(PasswordReset),
    Edit(Box<EditForm>),
}

/// What the request in flight will do when it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acting {
    OpenAccount,
    Freeze,
    Unfreeze,
    Unlock,
    Password,
    Edit,
    Reverse,
}

#[derive(Debug, Clone, Default)]
pub struct CardScreen {
    pub pane: Pane,
    pub movements: Vec<HistoryEntry>,
    /// The account the movements belong to.
    pub movements_for: Option<String>,
    pub movement_selected: usize,
    pub dialog: Option<Dialog>,
    /// Why the card could not be loaded.
    pub error: Option<String>,
    /// The customer this screen's state (movements, dialog) belongs to.
    serving: Option<String>,
    /// The profile an open edit started from (to tell whether anything was changed).
    edit_base: Option<UserProfile>,
    loading_profile: Option<RequestId>,
    loading_accounts: Option<RequestId>,
    loading_movements: Option<RequestId>,
    acting: Option<(RequestId, Acting)>,
}

impl CardScreen {
    pub fn is_acting(&self) -> bool {
        self.acting.is_some()
    }

    fn customer_email(ctx: &Ctx) -> Option<Email> {
        ctx.data
            .desk
            .customer
            .as_deref()
            .and_then(|e| Email::parse(e).ok())
    }

    /// Loads the profile and the accounts (the movements follow the accounts).
    fn load(&mut self, ctx: &mut Ctx) {
        let (Some(actor), Some(email)) = (ctx.actor(), Self::customer_email(ctx)) else {
            return;
        };
        self.error = None;
        self.loading_profile = Some(ctx.request(Job::Profile {
            actor: actor.clone(),
            email: email.clone(),
        }));
        self.loading_accounts = Some(ctx.request(Job::Accounts {
            actor,
            owner: email,
        }));
    }

    fn load_movements(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let Some(number) = ctx
            .data
            .desk
            .selected_account()
            .and_then(|a| AccountNumber::parse(&a.number).ok())
        else {
            self.movements.clear();
            self.movements_for = None;
            return;
        };
        if self.movements_for.as_deref() != Some(number.as_str()) {
            self.movements.clear();
            self.movement_selected = 0;
        }
        self.movements_for = Some(number.as_str().to_string());
        self.loading_movements = Some(ctx.request(Job::History {
            actor,
            account: number,
            before: None,
            limit: RECENT,
        }));
    }

    fn act(&mut self, job: Job, acting: Acting, ctx: &mut Ctx) {
        if self.acting.is_some() {
            return;
        }
        self.acting = Some((ctx.request(job), acting));
    }

    /// Goes to the counter with this operation on the selected account.
    fn counter(&mut self, operation: Operation, ctx: &mut Ctx) -> Flow {
        let Some(account) = ctx.data.desk.selected_account() else {
            ctx.notify(Notice::Error(s::NO_ACCOUNT_SELECTED.into()));
            return Flow::Stay;
        };
        if account.status != AccountStatus::Open {
            ctx.notify(Notice::Error(format!(
                "{}{}{}",
                s::ACCOUNT_IS,
                status_label(account.status),
                s::ACCOUNT_IS_NO_MONEY
            )));
            return Flow::Stay;
        }
        ctx.data.desk.counter = Some(CounterStart {
            operation,
            account: account.number.clone(),
            amount: None,
        });
        Flow::Go(Route::Counter)
    }

    fn freeze_or_unfreeze(&mut self, ctx: &mut Ctx) {
        let Some(account) = ctx.data.desk.selected_account() else {
            ctx.notify(Notice::Error(s::NO_ACCOUNT_SELECTED.into()));
            return;
        };
        let number = account.number.clone();
        self.dialog = match account.status {
            AccountStatus::Open => Some(Dialog::Freeze { number }),
            AccountStatus::Frozen => Some(Dialog::Unfreeze {
                number,
                form: ApprovalForm::new(),
            }),
            AccountStatus::Closed => {
                ctx.notify(Notice::Error(s::ACCOUNT_CLOSED_NOTHING.into()));
                None
            }
        };
    }

    fn reverse(&mut self, ctx: &mut Ctx) {
        if self.pane != Pane::Movements {
            self.pane = Pane::Movements;
            ctx.notify(Notice::Info(s::PICK_MOVEMENT.into()));
            return;
        }
        let Some(entry) = self.movements.get(self.movement_selected) else {
            ctx.notify(Notice::Error(s::NO_MOVEMENT_SELECTED.into()));
            return;
        };
        if !matches!(
            entry.kind,
            MovementKind::Deposit | MovementKind::Withdrawal | MovementKind::Transfer
        ) {
            ctx.notify(Notice::Error(s::NOT_REVERSIBLE_KIND.into()));
            return;
        }
        self.dialog = Some(Dialog::Reverse {
            entry: entry.clone(),
            form: ApprovalForm::with_reason(),
        });
    }

    fn unlock(&mut self, ctx: &mut Ctx) {
        let locked = ctx
            .data
            .desk
            .profile
            .as_ref()
            .and_then(|p| p.locked_until)
            .is_some_and(|until| until > ctx.clock.wall());
        if !locked {
            ctx.notify(Notice::Info(s::NOT_LOCKED.into()));
            return;
        }
        let (Some(actor), Some(email)) = (ctx.actor(), Self::customer_email(ctx)) else {
            return;
        };
        self.act(Job::UnlockUser { actor, email }, Acting::Unlock, ctx);
    }

    fn on_view_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        if ctx.data.desk.customer.is_none() {
            return match cmd {
                Cmd::Back => Flow::Go(Route::Customers),
                _ => Flow::Stay,
            };
        }
        match cmd {
            Cmd::Up | Cmd::Down => {
                let delta = if cmd == Cmd::Up { -1 } else { 1 };
                match self.pane {
                    Pane::Accounts => {
                        let desk = &mut ctx.data.desk;
                        let next = step(desk.selected, delta, desk.accounts.len());
                        if next != desk.selected {
                            desk.selected = next;
                            self.load_movements(ctx);
                        }
                    }
                    Pane::Movements => {
                        self.movement_selected =
                            step(self.movement_selected, delta, self.movements.len());
                    }
                }
            }
            Cmd::NextField => {
                self.pane = match self.pane {
                    Pane::Accounts => Pane::Movements,
                    Pane::Movements => Pane::Accounts,
                }
            }
            Cmd::Deposit => return self.counter(Operation::Deposit, ctx),
            Cmd::Withdraw => return self.counter(Operation::Withdrawal, ctx),
            Cmd::Transfer => return self.counter(Operation::Transfer, ctx),
            Cmd::OpenAccount => self.dialog = Some(Dialog::OpenAccount { currency: 0 }),
            Cmd::Freeze => self.freeze_or_unfreeze(ctx),
            Cmd::Unlock => self.unlock(ctx),
            Cmd::ResetPassword => self.dialog = Some(Dialog::Password(PasswordReset::default())),
            Cmd::Edit => {
                if let Some(profile) = &ctx.data.desk.profile {
                    self.dialog = Some(Dialog::Edit(Box::new(EditForm::from_profile(profile))));
                    self.edit_base = Some(profile.clone());
                }
            }
            Cmd::Reverse => self.reverse(ctx),
            Cmd::Refresh => self.load(ctx),
            Cmd::Back => return Flow::Go(Route::Customers),
            _ => {}
        }
        Flow::Stay
    }

    /// A key while a dialog is open; the dialog may close.
    fn on_dialog_command(&mut self, cmd: Cmd, ctx: &mut Ctx) {
        let Some(dialog) = self.dialog.as_mut() else {
            return;
        };
        if self.acting.is_some() {
            // Waiting for the bank: only Esc, which closes the dialog (the answer still
            // arrives and is shown in the status line).
            if matches!(cmd, Cmd::Back | Cmd::No) {
                self.dialog = None;
            }
            return;
        }
        let Some(actor) = ctx.actor() else { return };
        match dialog {
            Dialog::OpenAccount { currency } => match cmd {
                Cmd::PrevAccount => *currency = cycle(*currency, false, Currency::ALL.len()),
                Cmd::NextAccount => *currency = cycle(*currency, true, Currency::ALL.len()),
                Cmd::Submit => {
                    let currency = Currency::ALL[*currency % Currency::ALL.len()];
                    if let Some(owner) = Self::customer_email(ctx) {
                        let job = Job::OpenAccount {
                            actor,
                            owner,
                            currency,
                        };
                        self.act(job, Acting::OpenAccount, ctx);
                    }
                }
                Cmd::Back => self.dialog = None,
                _ => {}
            },
            Dialog::Freeze { number } => match cmd {
                Cmd::Yes => {
                    if let Ok(account) = AccountNumber::parse(number) {
                        let job = Job::SetAccountStatus {
                            actor,
                            account,
                            status: AccountStatus::Frozen,
                            approval: None,
                        };
                        self.act(job, Acting::Freeze, ctx);
                    }
                }
                Cmd::No => self.dialog = None,
                _ => {}
            },
            Dialog::Unfreeze { number, form } => match cmd {
                Cmd::NextField => form.next(true),
                Cmd::PrevField => form.next(false),
                Cmd::Submit => {
                    let account = AccountNumber::parse(number);
                    if let (Some((_, approval)), Ok(account)) = (form.check(), account) {
                        let job = Job::SetAccountStatus {
                            actor,
                            account,
                            status: AccountStatus::Open,
                            approval: Some(approval),
                        };
                        self.act(job, Acting::Unfreeze, ctx);
                    }
                }
                Cmd::Back => self.dialog = None,
                _ => {}
            },
            Dialog::Reverse { entry, form } => match cmd {
                Cmd::NextField => form.next(true),
                Cmd::PrevField => form.next(false),
                Cmd::Submit => {
                    if let Some((Some(reason), approval)) = form.check() {
                        let job = Job::Reverse {
                            actor,
                            reference: entry.id,
                            reason,
                            approval: Some(approval),
                        };
                        self.act(job, Acting::Reverse, ctx);
                    }
                }
                Cmd::Back => self.dialog = None,
                _ => {}
            },
            Dialog::Password(reset) => match cmd {
                Cmd::NextField => reset.focus = cycle(reset.focus, true, 2),
                Cmd::PrevField => reset.focus = cycle(reset.focus, false, 2),
                Cmd::Submit => {
                    let Some(email) = Self::customer_email(ctx) else {
                        return;
                    };
                    match Password::parse(reset.new.value().to_string(), &email) {
                        Err(e) => {
                            reset.new.error = Some(e.rule);
                            reset.focus = 0;
                        }
                        Ok(_) if reset.repeat.value() != reset.new.value() => {
                            reset.repeat.error = Some(s::PASSWORDS_DIFFER.into());
                            reset.focus = 1;
                        }
                        Ok(password) => {
                            let job = Job::ResetPassword {
                                actor,
                                email,
                                password,
                            };
                            self.act(job, Acting::Password, ctx);
                        }
                    }
                }
                Cmd::Back => self.dialog = None,
                _ => {}
            },
            Dialog::Edit(form) => match cmd {
                Cmd::NextField => form.focus = cycle(form.focus, true, profile::EDIT_STOPS),
                Cmd::PrevField => form.focus = cycle(form.focus, false, profile::EDIT_STOPS),
                Cmd::Up => form.phone_selected = step(form.phone_selected, -1, form.phones.len()),
                Cmd::Down => form.phone_selected = step(form.phone_selected, 1, form.phones.len()),
                Cmd::RemovePhone => form.toggle_phone(),
                Cmd::Submit => self.save_profile(ctx),
                Cmd::Back => self.dialog = None,
                _ => {}
            },
        }
    }

    fn save_profile(&mut self, ctx: &mut Ctx) {
        let Some(Dialog::Edit(form)) = self.dialog.as_mut() else {
            return;
        };
        let Some(profile) = ctx.data.desk.profile.clone() else {
            return;
        };
        if form.focus == profile::NEW_PHONE && !form.new_phone.is_empty() {
            form.add_phone();
            return;
        }
        form.error = None;
        let Some(changes) = form.changes(&profile) else {
            return;
        };
        if profile::is_unchanged(&changes) {
            self.dialog = None;
            ctx.notify(Notice::Info(s::PROFILE_UNCHANGED.into()));
            return;
        }
        let (Some(actor), Ok(email)) = (ctx.actor(), Email::parse(&profile.email)) else {
            return;
        };
        let job = Job::UpdateProfile {
            actor,
            email,
            changes,
        };
        self.act(job, Acting::Edit, ctx);
    }

    /// The answer to the action in flight.
    fn on_acted(&mut self, acting: Acting, body: ReplyBody, ctx: &mut Ctx) {
        let error = body.bank_error().map(describe);
        match (acting, body) {
            (
                Acting::OpenAccount | Acting::Freeze | Acting::Unfreeze,
                ReplyBody::Account(Ok(a)),
            ) => {
                let text = match acting {
                    Acting::OpenAccount => s::ACCOUNT_OPENED,
                    Acting::Freeze => s::ACCOUNT_FROZEN,
                    _ => s::ACCOUNT_UNFROZEN,
                };
                ctx.notify(Notice::Success(format!(
                    "{}{}{text}",
                    s::ACCOUNT_PREFIX,
                    grouped(&a.number)
                )));
                ctx.data.desk.upsert(a);
                self.pane = Pane::Accounts;
                self.dialog = None;
                self.load_movements(ctx);
            }
            (Acting::Unlock, ReplyBody::Done(Ok(()))) => {
                ctx.notify(Notice::Success(s::CUSTOMER_UNLOCKED.into()));
                self.load(ctx);
            }
            (Acting::Password, ReplyBody::Done(Ok(()))) => {
                // The new password is gone from memory with the dialog.
                self.dialog = None;
                ctx.notify(Notice::Success(s::PASSWORD_RESET_DONE.into()));
            }
            (Acting::Edit, ReplyBody::Profile(Ok(profile))) => {
                self.dialog = None;
                self.edit_base = None;
                // The email may have changed: the card follows the customer.
                self.serving = Some(profile.email.clone());
                ctx.data.desk.customer = Some(profile.email.clone());
                ctx.data.desk.profile = Some(profile);
                ctx.notify(Notice::Success(s::CUSTOMER_SAVED.into()));
            }
            (Acting::Reverse, ReplyBody::Money(Ok(result))) => {
                let original = match &self.dialog {
                    Some(Dialog::Reverse { entry, .. }) => entry.id,
                    _ => 0,
                };
                self.dialog = None;
                ctx.notify(Notice::Success(format!(
                    "{}{original}{}{}.",
                    s::REVERSED_PREFIX,
                    s::REVERSED_BY,
                    result.id
                )));
                self.load(ctx);
            }
            (_, body) => {
                let error = error.unwrap_or_default();
                self.show_refusal(body, error, ctx);
            }
        }
    }

    /// A refusal goes into the dialog it answers when that is still open, else the status line.
    fn show_refusal(&mut self, body: ReplyBody, message: String, ctx: &mut Ctx) {
        let approval_refused = matches!(
            body.bank_error(),
            Some(BankError::ApprovalRefused(_) | BankError::ApprovalRequired(_))
        );
        match self.dialog.as_mut() {
            Some(Dialog::Unfreeze { form, .. } | Dialog::Reverse { form, .. }) => {
                if approval_refused {
                    form.refused(message);
                } else {
                    form.error = Some(message);
                }
            }
            Some(Dialog::Edit(form)) => match body {
                ReplyBody::Profile(Err(BankError::Invalid(e))) => match form.field_for(e.field) {
                    Some(field) => field.error = Some(e.rule),
                    None => form.error = Some(e.to_string()),
                },
                ReplyBody::Profile(Err(BankError::DuplicateEmail(_))) => {
                    form.focus = profile::EMAIL;
                    form.fields[profile::EMAIL].error = Some(s::EMAIL_TAKEN.into());
                }
                _ => form.error = Some(message),
            },
            Some(Dialog::Password(reset)) => match body {
                ReplyBody::Done(Err(BankError::Invalid(e))) => {
                    reset.new.error = Some(e.rule);
                    reset.focus = 0;
                }
                _ => ctx.notify(Notice::Error(message)),
            },
            _ => ctx.notify(Notice::Error(message)),
        }
    }
}

impl Screen for CardScreen {
    fn bindings(&self) -> &'static [Binding] {
        match &self.dialog {
            None => keys::CARD,
            Some(Dialog::OpenAccount { .. }) => keys::CURRENCY_PICK,
            Some(Dialog::Freeze { .. }) => keys::CONFIRM,
            Some(Dialog::Unfreeze { .. } | Dialog::Reverse { .. }) => keys::APPROVAL,
            Some(Dialog::Password(_)) => keys::RESET_PASSWORD,
            Some(Dialog::Edit(form)) if form.focus == PHONES => keys::PROFILE_PHONES,
            Some(Dialog::Edit(_)) => keys::PROFILE_EDIT,
        }
    }

    fn typing(&self) -> bool {
        match &self.dialog {
            Some(Dialog::Unfreeze { .. } | Dialog::Reverse { .. } | Dialog::Password(_)) => true,
            Some(Dialog::Edit(form)) => form.focus != PHONES,
            _ => false,
        }
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        if self.serving != ctx.data.desk.customer {
            // Another customer: start clean.
            self.dialog = None;
            self.edit_base = None;
            self.pane = Pane::Accounts;
            self.movements.clear();
            self.movements_for = None;
            self.movement_selected = 0;
            self.serving.clone_from(&ctx.data.desk.customer);
        }
        // Balances change at the counter: the card is always fresh when shown.
        self.load(ctx);
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        if self.dialog.is_some() {
            self.on_dialog_command(cmd, ctx);
            return Flow::Stay;
        }
        self.on_view_command(cmd, ctx)
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.acting.is_some() {
            return Flow::Stay;
        }
        match self.dialog.as_mut() {
            Some(Dialog::Unfreeze { form, .. } | Dialog::Reverse { form, .. }) => {
                form.handle_key(key);
            }
            Some(Dialog::Password(reset)) => {
                let field = if reset.focus == 0 {
                    &mut reset.new
                } else {
                    &mut reset.repeat
                };
                field.handle_key(key);
            }
            Some(Dialog::Edit(form)) => {
                if let Some(field) = form.focused_field() {
                    if field.handle_key(key) {
                        form.error = None;
                    }
                }
            }
            _ => {}
        }
        Flow::Stay
    }

    fn on_reply(&mut self, id: RequestId, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        if self.loading_profile == Some(id) {
            self.loading_profile = None;
            if let ReplyBody::Profile(result) = body {
                match result {
                    Ok(profile) => ctx.data.desk.profile = Some(profile),
                    Err(error) => self.error = Some(describe(&error)),
                }
            }
        } else if self.loading_accounts == Some(id) {
            self.loading_accounts = None;
            if let ReplyBody::Accounts(result) = body {
                match result {
                    Ok(accounts) => {
                        ctx.data.desk.set_accounts(accounts);
                        self.load_movements(ctx);
                    }
                    Err(error) => self.error = Some(describe(&error)),
                }
            }
        } else if self.loading_movements == Some(id) {
            self.loading_movements = None;
            if let ReplyBody::History {
                account, result, ..
            } = body
            {
                if self.movements_for.as_deref() == Some(account.as_str()) {
                    match result {
                        Ok(entries) => {
                            self.movements = entries;
                            self.movement_selected = self
                                .movement_selected
                                .min(self.movements.len().saturating_sub(1));
                        }
                        Err(error) => self.error = Some(describe(&error)),
                    }
                }
            }
        } else if let Some((awaited, acting)) = self.acting {
            if awaited == id {
                self.acting = None;
                self.on_acted(acting, body, ctx);
            }
        }
        Flow::Stay
    }

    fn is_dirty(&self) -> bool {
        match &self.dialog {
            Some(Dialog::Unfreeze { form, .. } | Dialog::Reverse { form, .. }) => form.is_dirty(),
            Some(Dialog::Password(reset)) => !(reset.new.is_empty() && reset.repeat.is_empty()),
            Some(Dialog::Edit(form)) => self
                .edit_base
                .as_ref()
                .is_none_or(|base| form.is_changed(base)),
            _ => false,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let desk = &view.data.desk;
        if desk.customer.is_none() {
            frame.render_widget(
                Paragraph::new(Line::styled(s::NO_CUSTOMER, theme.hint))
                    .block(panel(s::CARD_PANEL, theme))
                    .wrap(Wrap { trim: true }),
                area,
            );
            return;
        }
        if let Some(Dialog::Edit(form)) = &self.dialog {
            let [main, message_area] =
                Layout::vertical([Constraint::Min(5), Constraint::Length(1)]).areas(area);
            profile::render_edit_titled(form, s::EDIT_CUSTOMER_PANEL, frame, main, view);
            let busy = self.acting.is_some().then_some(s::SAVING);
            let line = form_status(form.error.as_deref(), busy, view, Line::default());
            frame.render_widget(Paragraph::new(line), message_area);
            return;
        }
        let rows = u16::try_from(desk.accounts.len().clamp(1, 4)).unwrap_or(4);
        let [profile_area, accounts_area, movements_area] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Length(rows + 3),
            Constraint::Min(4),
        ])
        .areas(area);
        self.render_profile(frame, profile_area, view);
        self.render_accounts(frame, accounts_area, view);
        self.render_movements(frame, movements_area, view);
        match &self.dialog {
            Some(Dialog::OpenAccount { currency }) => {
                self.render_open_account(frame, area, view, *currency);
            }
            Some(Dialog::Freeze { number }) => self.render_freeze(frame, area, view, number),
            Some(Dialog::Unfreeze { number, form }) => {
                let lines = vec![
                    Line::from(vec![
                        Span::raw(s::UNFREEZE_ACCOUNT),
                        Span::styled(grouped(number), theme.title),
                    ]),
                    Line::styled(s::UNFREEZE_NEEDS, theme.hint),
                ];
                let sending = self.acting.is_some().then_some(s::SENDING);
                form.render(frame, area, view, s::APPROVAL_TITLE, lines, sending);
            }
            Some(Dialog::Reverse { entry, form }) => {
                let lines = reversal_lines(entry, view);
                let sending = self.acting.is_some().then_some(s::SENDING);
                form.render(frame, area, view, s::REVERSAL_TITLE, lines, sending);
            }
            Some(Dialog::Password(reset)) => self.render_password(frame, area, view, reset),
            Some(Dialog::Edit(_)) | None => {}
        }
    }
}

/// What a reversal dialog says about the movement.
fn reversal_lines<'a>(entry: &HistoryEntry, view: &View) -> Vec<Line<'a>> {
    let theme = view.theme;
    vec![
        Line::from(vec![
            Span::raw(s::REVERSE_MOVEMENT),
            Span::styled(format!("#{}", entry.id), theme.title),
            Span::raw(format!(
                " · {} · {} {} · {}",
                kind_label(entry.kind, entry.amount),
                entry.currency,
                money(entry.amount),
                when(view, entry.at)
            )),
        ]),
        Line::raw(format!(
            "{}{}",
            s::COUNTERPARTY_PREFIX,
            party_label(&entry.counterparty)
        )),
        Line::styled(s::REVERSAL_EXPLAINED, theme.hint),
    ]
}

impl CardScreen {
    fn render_profile(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let desk = &view.data.desk;
        let email = desk.customer.clone().unwrap_or_default();
        let block = panel(format!("{}{email}", s::CARD_TITLE), theme);
        let lines = match &desk.profile {
            None => {
                let text = match &self.error {
                    Some(error) => message_line(theme::ERROR_MARKER, error.as_str(), theme.error),
                    None => Line::styled(s::LOADING, theme.hint),
                };
                vec![text]
            }
            Some(p) => profile_lines(p, view),
        };
        frame.render_widget(
            Paragraph::new(lines).block(block.padding(ratatui::widgets::Padding::horizontal(1))),
            area,
        );
    }

    fn render_accounts(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let desk = &view.data.desk;
        let focused = self.pane == Pane::Accounts && self.dialog.is_none();
        let block = panel(s::CARD_ACCOUNTS_PANEL, theme).border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        });
        if desk.accounts.is_empty() {
            let text = if self.loading_accounts.is_some() {
                s::LOADING
            } else {
                s::CARD_NO_ACCOUNTS
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.hint)).block(block),
                area,
            );
            return;
        }
        let header = Row::new([
            Line::raw(s::COL_ACCOUNT),
            Line::raw(s::COL_CURRENCY),
            Line::raw(s::COL_STATUS),
            Line::raw(s::COL_BALANCE).right_aligned(),
            Line::raw(s::COL_OPENED),
        ])
        .style(theme.table_header);
        let rows = desk.accounts.iter().map(|a| {
            let status = match a.status {
                AccountStatus::Open => Span::raw(status_label(a.status)),
                _ => Span::styled(status_label(a.status), theme.warning),
            };
            Row::new([
                Line::raw(grouped(&a.number)),
                Line::raw(a.currency.clone()),
                Line::from(status),
                money_line(a.balance, theme.base),
                Line::raw(
                    view.clock
                        .local(a.created_at)
                        .format(s::DATE_FORMAT)
                        .to_string(),
                ),
            ])
        });
        let table = Table::new(
            rows,
            [
                Constraint::Length(14),
                Constraint::Length(9),
                Constraint::Length(8),
                Constraint::Length(18),
                Constraint::Length(10),
            ],
        )
        .header(header)
        .column_spacing(2)
        .row_highlight_style(if focused { theme.selected } else { theme.base })
        .highlight_symbol(theme::SELECTED_MARKER)
        .block(block);
        let mut state = TableState::default().with_selected(Some(desk.selected));
        frame.render_stateful_widget(table, area, &mut state);
    }

    fn render_movements(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let focused = self.pane == Pane::Movements && self.dialog.is_none();
        let title = match &self.movements_for {
            Some(number) => format!("{}{}", s::CARD_MOVEMENTS_PANEL, grouped(number)),
            None => s::RECENT_PANEL_NONE.to_string(),
        };
        let block = panel(title, theme).border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        });
        if self.movements.is_empty() {
            let text = if self.loading_movements.is_some() || self.loading_accounts.is_some() {
                s::LOADING
            } else if view.data.desk.accounts.is_empty() {
                ""
            } else {
                s::NO_MOVEMENTS
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.hint)).block(block),
                area,
            );
            return;
        }
        let header = Row::new([
            Line::raw(s::COL_REF),
            Line::raw(s::COL_DATE),
            Line::raw(s::COL_KIND),
            Line::raw(s::COL_COUNTERPARTY),
            Line::raw(s::COL_AMOUNT).right_aligned(),
            Line::raw(s::COL_MEMO),
        ])
        .style(theme.table_header);
        let rows = self.movements.iter().map(|e| {
            Row::new([
                Line::raw(format!("#{}", e.id)),
                Line::raw(when(view, e.at)),
                Line::raw(kind_label(e.kind, e.amount)),
                Line::raw(party_label(&e.counterparty)),
                money_line(e.amount, theme.base),
                Line::raw(e.memo.clone().unwrap_or_default()),
            ])
        });
        let table = Table::new(
            rows,
            [
                Constraint::Length(7),
                Constraint::Length(16),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Min(4),
            ],
        )
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol(theme::SELECTED_MARKER)
        .block(block);
        let selected = focused.then_some(self.movement_selected);
        let mut state = TableState::default().with_selected(selected);
        frame.render_stateful_widget(table, area, &mut state);
    }

    fn render_open_account(&self, frame: &mut Frame, area: Rect, view: &View, currency: usize) {
        let theme = view.theme;
        let popup = area.centered(Constraint::Length(56), Constraint::Length(8));
        frame.render_widget(Clear, popup);
        let block = panel(s::OPEN_ACCOUNT_TITLE, theme).border_style(theme.border_focused);
        let inner = block.inner(popup).inner(Margin::new(1, 0));
        frame.render_widget(block, popup);
        let name = view.data.desk.customer_name().unwrap_or_default();
        let code = Currency::ALL[currency % Currency::ALL.len()].as_str();
        let status = if self.acting.is_some() {
            Line::from(vec![
                Span::raw(format!("{} ", view.spinner)),
                Span::styled(s::SENDING, theme.hint),
            ])
        } else {
            Line::default()
        };
        let lines = vec![
            Line::raw(format!("{}{name}", s::OPEN_ACCOUNT_FOR)),
            Line::default(),
            Line::from(vec![
                Span::styled(
                    format!("{}{:<14}", theme::FOCUS_MARKER, s::FIELD_CURRENCY),
                    theme.label_focused,
                ),
                Span::styled(format!("◀ {code} ▶"), theme.input_focused),
            ]),
            status,
            Line::from(vec![
                Span::styled(s::KEY_ENTER, theme.key),
                Span::raw(s::OPEN_ACCOUNT_ENTER),
                Span::styled(s::KEY_ESC, theme.key),
                Span::raw(s::APPROVAL_ESC),
            ]),
        ];
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn render_freeze(&self, frame: &mut Frame, area: Rect, view: &View, number: &str) {
        let theme = view.theme;
        let popup = area.centered(Constraint::Length(62), Constraint::Length(8));
        frame.render_widget(Clear, popup);
        let block = panel(s::FREEZE_TITLE, theme).border_style(theme.border_focused);
        let inner = block.inner(popup).inner(Margin::new(1, 0));
        frame.render_widget(block, popup);
        let balance = view
            .data
            .desk
            .find(number)
            .map(|a| format!(" ({} {})", a.currency, money(a.balance)))
            .unwrap_or_default();
        let status = if self.acting.is_some() {
            Line::from(vec![
                Span::raw(format!("{} ", view.spinner)),
                Span::styled(s::SENDING, theme.hint),
            ])
        } else {
            Line::default()
        };
        let lines = vec![
            Line::from(vec![
                Span::raw(s::FREEZE_QUESTION),
                Span::styled(grouped(number), theme.title),
                Span::raw(format!("{balance}?")),
            ]),
            Line::styled(s::FREEZE_EXPLAINED, theme.hint),
            Line::default(),
            status,
            Line::from(vec![
                Span::styled(s::KEY_ENTER, theme.key),
                Span::raw(s::FREEZE_ENTER),
                Span::styled(s::KEY_ESC, theme.key),
                Span::raw(s::APPROVAL_ESC),
            ]),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }

    fn render_password(&self, frame: &mut Frame, area: Rect, view: &View, reset: &PasswordReset) {
        let theme = view.theme;
        let popup = area.centered(Constraint::Length(66), Constraint::Length(11));
        frame.render_widget(Clear, popup);
        let block = panel(s::RESET_PASSWORD_TITLE, theme).border_style(theme.border_focused);
        let inner = block.inner(popup).inner(Margin::new(1, 0));
        frame.render_widget(block, popup);
        let [intro, new_area, repeat_area, status_area, keys_area] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let name = view.data.desk.customer_name().unwrap_or_default();
        frame.render_widget(
            Paragraph::new(format!(
                "{}{name}{}",
                s::RESET_PASSWORD_FOR,
                s::RESET_PASSWORD_RULES
            ))
            .style(theme.hint)
            .wrap(Wrap { trim: true }),
            intro,
        );
        let active = self.acting.is_none();
        let cursors = [
            reset
                .new
                .render(frame, new_area, active && reset.focus == 0, theme),
            reset
                .repeat
                .render(frame, repeat_area, active && reset.focus == 1, theme),
        ];
        if let Some(position) = cursors.into_iter().flatten().next() {
            frame.set_cursor_position(position);
        }
        if self.acting.is_some() {
            frame.render_widget(
                Line::from(vec![
                    Span::raw(format!("{} ", view.spinner)),
                    Span::styled(s::SAVING, theme.hint),
                ]),
                status_area,
            );
        }
        frame.render_widget(
            Line::from(vec![
                Span::styled(s::KEY_ENTER, theme.key),
                Span::raw(s::RESET_PASSWORD_ENTER),
                Span::styled(s::KEY_ESC, theme.key),
                Span::raw(s::APPROVAL_ESC),
            ]),
            keys_area,
        );
    }
}

/// The profile part of the card: who, where, phones, and whether they can log in.
fn profile_lines<'a>(p: &UserProfile, view: &View) -> Vec<Line<'a>> {
    let theme = view.theme;
    let place = match &p.city {
        Some(city) => format!("{city}, {}", p.country),
        None => p.country.clone(),
    };
    let since = view
        .clock
        .local(p.created_at)
        .format(s::DATE_FORMAT)
        .to_string();
    let phones = if p.phones.is_empty() {
        s::NO_PHONES.to_string()
    } else {
        p.phones.join(", ")
    };
    let login = match p.locked_until {
        Some(until) if until > view.clock.wall() => Line::from(vec![
            Span::styled(format!("{:<8}", s::CARD_LOGIN), theme.label),
            Span::styled(
                format!(
                    "{}{}{}{}",
                    theme::ERROR_MARKER,
                    s::CARD_LOCKED_UNTIL,
                    view.clock.local(until).format(s::TIME_FORMAT),
                    s::CARD_UNLOCK_HINT
                ),
                theme.warning,
            ),
        ]),
        _ => Line::from(vec![
            Span::styled(format!("{:<8}", s::CARD_LOGIN), theme.label),
            Span::raw(format!("{}{}", theme::OK_MARKER, s::CARD_NOT_LOCKED)),
        ]),
    };
    vec![
        Line::from(vec![
            Span::styled(p.full_name(), theme.title),
            Span::raw(format!(
                " · {}{} · {place} · {}{since}",
                p.age,
                s::YEARS,
                s::CUSTOMER_SINCE
            )),
        ]),
        Line::from(vec![
            Span::styled(format!("{:<8}", s::CARD_PHONES), theme.label),
            Span::raw(phones),
        ]),
        login,
    ]
}
