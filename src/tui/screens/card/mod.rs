//! The customer card: profile, phones, lock state, accounts with balances and status, and the
//! selected account's recent movements. From here the teller serves the customer: deposit,
//! withdraw and transfer (on the counter screen, prefilled), open an account, freeze or
//! unfreeze one (unfreezing needs a supervisor), unlock the login, reset the password (typed
//! twice, shown nowhere), edit the profile, and reverse one of today's movements (with a
//! reason and a supervisor).
//!
//! The bank checks every rule; the card only asks, and shows the answer.
//!
//! This file holds the screen (its state, keys and answers); each dialog lives in its own
//! file beside it, and the three panels in `panels.rs`.

mod acting;
mod bulk;
mod edit;
mod freeze;
mod open_account;
mod panels;
mod password;
mod reversal;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::Frame;

use super::profile::{EditForm, EditStop};
use super::{no_customer, statement_job, statement_written, status_label, step, Screen};
use crate::domain::{AccountNumber, Email};
use crate::services::{AccountStatus, HistoryEntry, UserProfile};
use crate::tui::context::{describe, Ctx, Flow, Notice, Route, View};
use crate::tui::desk::{CounterStart, Operation};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::dialog;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{HistoryPage, Job, ReplyBody, RequestId};

use acting::Acting;
pub use bulk::{BulkPayment, BulkStage};
pub use password::PasswordReset;

/// Movements the card loads for the selected account.
pub const RECENT: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Accounts,
    Movements,
}

/// A dialog over the card (or, for the profile, in its place).
#[derive(Debug, Clone)]
pub enum Dialog {
    /// Choosing the currency of a new account (an index into `Currency::ALL`).
    OpenAccount {
        currency: usize,
    },
    Freeze {
        number: AccountNumber,
    },
    Unfreeze {
        number: AccountNumber,
        form: ApprovalForm,
    },
    Reverse {
        entry: HistoryEntry,
        form: ApprovalForm,
    },
    Password(PasswordReset),
    Edit(Box<EditForm>),
    Bulk(Box<BulkPayment>),
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
    requests: Requests<Asked>,
}

/// What the card asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Profile,
    Accounts,
    Movements,
    /// An action (one at a time), and what its answer will do.
    Act(Acting),
    /// A bulk payment's preview or posting.
    Bulk,
    /// The next payment file of the export folder (Tab in the bulk payment's path).
    BulkFile,
    Statement,
}

impl CardScreen {
    pub fn is_acting(&self) -> bool {
        self.requests
            .is_waiting_for(|asked| matches!(asked, Asked::Act(_)))
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
        let profile = Job::Profile {
            actor: actor.clone(),
            email: email.clone(),
        };
        self.requests.ask(ctx, Asked::Profile, profile);
        let accounts = Job::Accounts {
            actor,
            owner: email,
        };
        self.requests.ask(ctx, Asked::Accounts, accounts);
    }

    fn load_movements(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let Some(number) = ctx.data.desk.selected_account().map(|a| a.number.clone()) else {
            self.movements.clear();
            self.movements_for = None;
            return;
        };
        if self.movements_for.as_deref() != Some(number.as_str()) {
            self.movements.clear();
            self.movement_selected = 0;
        }
        self.movements_for = Some(number.as_str().to_string());
        let job = Job::History {
            actor,
            account: number,
            before: None,
            limit: RECENT,
        };
        self.requests.ask(ctx, Asked::Movements, job);
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

    /// Unlocks the customer's login when it is locked.
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

    /// The spinner with "Sending…" while an action is in flight, else an empty line.
    fn sending_line(&self, view: &View) -> Line<'static> {
        if self.is_acting() {
            dialog::busy_line(view, s::SENDING)
        } else {
            Line::default()
        }
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
            Cmd::Edit => self.edit(ctx),
            Cmd::BulkPayment => self.bulk(ctx),
            Cmd::Statement => {
                let number = ctx.data.desk.selected_account().map(|a| a.number.clone());
                if let Some(job) = number.and_then(|n| statement_job(ctx, &n)) {
                    self.requests.ask(ctx, Asked::Statement, job);
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
        let Some(dialog) = self.dialog.as_ref() else {
            return;
        };
        if let Dialog::Bulk(_) = dialog {
            if let Some(actor) = ctx.actor() {
                self.on_bulk_command(cmd, actor, ctx);
            }
            return;
        }
        if self.is_acting() {
            // Waiting for the bank: only Esc, which closes the dialog (the answer still
            // arrives and is shown in the status line).
            if matches!(cmd, Cmd::Back | Cmd::No) {
                self.dialog = None;
            }
            return;
        }
        let Some(actor) = ctx.actor() else { return };
        match dialog {
            Dialog::OpenAccount { .. } => self.on_open_account_command(cmd, actor, ctx),
            Dialog::Freeze { .. } => self.on_freeze_command(cmd, actor, ctx),
            Dialog::Unfreeze { .. } => self.on_unfreeze_command(cmd, actor, ctx),
            Dialog::Reverse { .. } => self.on_reverse_command(cmd, actor, ctx),
            Dialog::Password(_) => self.on_password_command(cmd, actor, ctx),
            Dialog::Edit(_) => self.on_edit_command(cmd, ctx),
            Dialog::Bulk(_) => {}
        }
    }
}

impl CardScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Profile, ReplyBody::Profile(result)) => match result {
                Ok(profile) => ctx.data.desk.profile = Some(profile),
                Err(error) => self.error = Some(describe(&error)),
            },
            (Asked::Accounts, ReplyBody::Accounts(result)) => match result {
                Ok(accounts) => {
                    ctx.data.desk.set_accounts(accounts);
                    self.load_movements(ctx);
                }
                Err(error) => self.error = Some(describe(&error)),
            },
            (
                Asked::Movements,
                ReplyBody::History(HistoryPage {
                    account, result, ..
                }),
            ) => {
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
            (Asked::Act(acting), body) => self.on_acted(acting, body, ctx),
            (Asked::Bulk | Asked::BulkFile, body) => self.on_bulk_reply(body, ctx),
            (Asked::Statement, body) => statement_written(body, ctx),
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
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
            Some(Dialog::Edit(form)) if form.focus.is(EditStop::Phones) => keys::PROFILE_PHONES,
            Some(Dialog::Edit(_)) => keys::PROFILE_EDIT,
            Some(Dialog::Bulk(bulk)) => bulk.bindings(),
        }
    }

    fn typing(&self) -> bool {
        match &self.dialog {
            Some(Dialog::Unfreeze { .. } | Dialog::Reverse { .. } | Dialog::Password(_)) => true,
            Some(Dialog::Edit(form)) => !form.focus.is(EditStop::Phones),
            Some(Dialog::Bulk(bulk)) => bulk.typing(),
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
        if let Some(Dialog::Bulk(bulk)) = self.dialog.as_mut() {
            bulk.handle_key(key);
            return Flow::Stay;
        }
        if self.is_acting() {
            return Flow::Stay;
        }
        match self.dialog.as_mut() {
            Some(Dialog::Unfreeze { form, .. } | Dialog::Reverse { form, .. }) => {
                form.handle_key(key);
            }
            Some(Dialog::Password(reset)) => {
                reset.focused_mut().handle_key(key);
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

    on_reply_by!(answered);

    fn on_progress(&mut self, id: RequestId, done: u64, total: u64) {
        if self.requests.kind_of(id) == Some(Asked::Bulk) {
            self.on_bulk_progress(done, total);
        }
    }

    fn is_dirty(&self) -> bool {
        match &self.dialog {
            Some(Dialog::Bulk(bulk)) => bulk.is_dirty(),
            Some(Dialog::Unfreeze { form, .. } | Dialog::Reverse { form, .. }) => form.is_dirty(),
            Some(Dialog::Password(reset)) => !reset.is_empty(),
            Some(Dialog::Edit(form)) => self
                .edit_base
                .as_ref()
                .is_none_or(|base| form.is_changed(base)),
            _ => false,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let desk = &view.data.desk;
        if desk.customer.is_none() {
            no_customer(frame, area, s::CARD_PANEL, view.theme);
            return;
        }
        if let Some(Dialog::Edit(form)) = &self.dialog {
            self.render_edit(frame, area, view, form);
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
                self.render_unfreeze(frame, area, view, number, form);
            }
            Some(Dialog::Reverse { entry, form }) => {
                self.render_reverse(frame, area, view, entry, form);
            }
            Some(Dialog::Password(reset)) => self.render_password(frame, area, view, reset),
            Some(Dialog::Bulk(bulk)) => self.render_bulk(frame, area, view, bulk),
            Some(Dialog::Edit(_)) | None => {}
        }
    }
}
