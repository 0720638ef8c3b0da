//! The counter: a cash deposit, a cash withdrawal or a transfer for the customer being served,
//! prefilled from the card. Submitting opens a confirmation with the amount in figures and in
//! words and the balance before and after; a withdrawal or transfer above the approval limit
//! then asks for a supervisor (so does any answer `approval_required`). Afterwards the receipt
//! (reference, time, teller, new balance) is shown and can be written to a text file.
//!
//! Like the customer's transfer form, the idempotency key is kept until the operation succeeds
//! or the form is edited, so sending again after a lost answer never moves money twice.
//!
//! This file holds the screen (its state, stages and answers); the form, the confirmation,
//! the approval step, the operation being sent and the receipt each live in their own file.

mod approval;
mod confirm;
mod form;
mod identify;
mod pending;
mod receipt;
mod waiting;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use super::{no_customer, Screen};
use crate::domain::{AccountNumber, IdempotencyKey};
use crate::tui::context::{describe_export, Ctx, Flow, Route, View};
use crate::tui::desk::{CounterStart, Operation};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::focus::{FocusRing, Stops};
use crate::tui::widgets::id_form::IdForm;
use crate::tui::widgets::money_form::{self, Lookup};
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, RecipientName, ReplyBody};

pub use pending::Pending;
pub use receipt::{receipt_rows, Receipt, ReceiptFile};

/// The form's fields, in the order Tab visits them (the receiving account only for a transfer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stop {
    /// Deposit, withdrawal or transfer, chosen with the arrow keys.
    Operation,
    /// The customer's account, chosen with the arrow keys.
    Account,
    To,
    #[default]
    Amount,
    Memo,
}

impl Stops for Stop {
    const ORDER: &'static [Self] = &[
        Self::Operation,
        Self::Account,
        Self::To,
        Self::Amount,
        Self::Memo,
    ];
}

#[derive(Debug, Clone)]
pub enum Stage {
    Form,
    Confirm(Pending),
    Approve(Pending, Box<ApprovalForm>),
    /// Large cash: the customer's ID (and the approval it was sent with, if any).
    Identify(Pending, Box<IdForm>, Option<Box<ApprovalForm>>),
    /// Sent to the supervisors: waiting for one to approve it.
    Waiting(Pending, waiting::Waiting),
    Done(Box<Receipt>),
}

#[derive(Debug, Clone)]
pub struct CounterScreen {
    /// Whose operation this is (a form for another customer is cleared).
    pub customer: Option<String>,
    pub operation: Operation,
    pub account: Option<String>,
    pub to: Field,
    pub amount: Field,
    pub memo: Field,
    pub focus: FocusRing<Stop>,
    /// "M. Rossi" once the typed number is found.
    pub recipient: Option<(AccountNumber, String)>,
    pub stage: Stage,
    pub error: Option<String>,
    key: Option<IdempotencyKey>,
    requests: Requests<Asked>,
}

/// What the counter asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    /// The bank's approval limit.
    Limits,
    /// The teller's drawer.
    Drawer,
    /// Whose account a typed number is.
    Recipient,
    /// The deposit, withdrawal or transfer.
    Money,
    /// The receipt file.
    Receipt,
    /// Sending the operation to the supervisors, looking at the request, taking it back.
    SendRequest,
    RequestStatus,
    Withdraw,
}

impl Default for CounterScreen {
    fn default() -> Self {
        Self {
            customer: None,
            operation: Operation::Deposit,
            account: None,
            to: Field::new(s::FIELD_TO),
            amount: Field::new(s::FIELD_AMOUNT),
            memo: Field::new(s::FIELD_MEMO),
            focus: FocusRing::default(),
            recipient: None,
            stage: Stage::Form,
            error: None,
            key: None,
            requests: Requests::default(),
        }
    }
}

impl CounterScreen {
    pub fn is_sending(&self) -> bool {
        self.requests.is_waiting(Asked::Money)
    }

    /// The idempotency key the next submission will use, if one was made.
    pub fn key(&self) -> Option<&IdempotencyKey> {
        self.key.as_ref()
    }

    fn reset(&mut self, customer: Option<String>, operation: Operation, account: Option<String>) {
        // The limits, the drawer and lookups in flight are still heard; the operation and
        // its receipt are not.
        let mut requests = std::mem::take(&mut self.requests);
        requests.forget(Asked::Money);
        requests.forget(Asked::Receipt);
        *self = Self {
            customer,
            operation,
            account,
            requests,
            ..Self::default()
        };
    }

    /// Any edit makes it another operation: it gets a new key when submitted.
    fn edited(&mut self) {
        self.key = None;
        self.error = None;
    }
}

pub fn operation_label(operation: Operation) -> &'static str {
    match operation {
        Operation::Deposit => s::OP_DEPOSIT,
        Operation::Withdrawal => s::OP_WITHDRAWAL,
        Operation::Transfer => s::OP_TRANSFER,
    }
}

impl CounterScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Limits, ReplyBody::Limits(approval_limit)) => {
                ctx.data.desk.approval_limit = Some(approval_limit);
            }
            (Asked::Drawer, ReplyBody::Drawer(Ok(drawer))) => ctx.data.desk.drawer = Some(drawer),
            (Asked::Drawer, ReplyBody::Drawer(Err(_))) => {}
            (Asked::Recipient, ReplyBody::Recipient(RecipientName { number, result })) => {
                let current = AccountNumber::parse(self.to.value()).ok();
                if current.as_ref().map(AccountNumber::as_str) != Some(number.as_str()) {
                    return Flow::Stay;
                }
                if let Lookup::Found(payee) = money_form::recipient_answered(&mut self.to, result) {
                    self.recipient = Some((number, payee.name));
                }
            }
            (Asked::Money, ReplyBody::Money(result)) => self.on_result(result, ctx),
            (
                asked @ (Asked::SendRequest | Asked::RequestStatus),
                ReplyBody::ApprovalRequest(result),
            ) => self.on_request(asked, result, ctx),
            (Asked::Withdraw, ReplyBody::Done(_)) => {}
            (Asked::Receipt, ReplyBody::Receipt(result)) => {
                if let Stage::Done(receipt) = &mut self.stage {
                    receipt.file = match result {
                        Ok(path) => {
                            tracing::info!(path = %path.display(), "receipt written");
                            ReceiptFile::Written(path)
                        }
                        Err(e) => ReceiptFile::Failed(describe_export(&e)),
                    };
                }
            }
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }
}

impl Screen for CounterScreen {
    fn bindings(&self) -> &'static [Binding] {
        match &self.stage {
            Stage::Form => keys::COUNTER_FORM,
            Stage::Confirm(_) => keys::COUNTER_CONFIRM,
            Stage::Approve(..) => keys::COUNTER_APPROVAL,
            Stage::Waiting(..) => keys::COUNTER_WAITING,
            Stage::Identify(..) => keys::ID_FORM,
            Stage::Done(_) => keys::COUNTER_DONE,
        }
    }

    fn typing(&self) -> bool {
        match &self.stage {
            Stage::Form => matches!(self.focus.get(), Stop::To | Stop::Amount | Stop::Memo),
            Stage::Approve(..) | Stage::Identify(..) => true,
            _ => false,
        }
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        if ctx.data.desk.approval_limit.is_none() {
            self.requests.ask_too(ctx, Asked::Limits, Job::Limits {});
        }
        self.requests.ask_too(
            ctx,
            Asked::Drawer,
            Job::Drawer {
                actor,
                currency: None,
            },
        );
        let customer = ctx.data.desk.customer.clone();
        if let Some(start) = ctx.data.desk.counter.take() {
            let CounterStart {
                operation,
                account,
                amount,
            } = start;
            self.reset(customer, operation, Some(account.to_string()));
            self.focus.set(if operation == Operation::Transfer {
                Stop::To
            } else {
                Stop::Amount
            });
            if let Some(amount) = amount {
                self.amount.set_value(amount);
                self.amount_changed(&ctx.data.desk);
                self.submit(ctx);
            }
            return;
        }
        if self.customer != customer && !self.is_sending() {
            self.reset(customer, Operation::Deposit, None);
        }
        self.choose_account(&ctx.data.desk);
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        if ctx.data.desk.customer.is_none() {
            return match cmd {
                Cmd::Back | Cmd::Submit => Flow::Go(Route::Customers),
                _ => Flow::Stay,
            };
        }
        let stage = std::mem::replace(&mut self.stage, Stage::Form);
        match stage {
            Stage::Form => self.on_form_command(cmd, ctx),
            Stage::Confirm(pending) => self.on_confirm_command(pending, cmd, ctx),
            Stage::Approve(pending, form) => self.on_approve_command(pending, form, cmd, ctx),
            Stage::Identify(pending, id, approval) => {
                self.on_identify_command(pending, id, approval, cmd, ctx)
            }
            Stage::Waiting(pending, waiting) => self.on_waiting_command(pending, waiting, cmd, ctx),
            Stage::Done(receipt) => self.on_done_command(receipt, cmd, ctx),
        }
    }

    fn on_tick(&mut self, ctx: &mut Ctx) {
        self.poll_request(ctx);
    }

    fn on_input(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Flow {
        if let Stage::Approve(_, form) = &mut self.stage {
            if !self.requests.is_waiting(Asked::Money) {
                form.handle_key(key);
            }
            return Flow::Stay;
        }
        if let Stage::Identify(_, id, _) = &mut self.stage {
            if !self.requests.is_waiting(Asked::Money) {
                id.handle_key(key);
            }
            return Flow::Stay;
        }
        if !matches!(self.stage, Stage::Form) {
            return Flow::Stay;
        }
        let focus = self.focus.get();
        let changed = self
            .focused_field()
            .is_some_and(|field| field.handle_key(key));
        if changed {
            self.edited();
            match focus {
                Stop::To => self.number_changed(ctx),
                Stop::Amount => self.amount_changed(&ctx.data.desk),
                _ => {}
            }
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn is_dirty(&self) -> bool {
        match &self.stage {
            Stage::Form | Stage::Confirm(_) => !(self.to.is_empty() && self.amount.is_empty()),
            Stage::Approve(..) | Stage::Identify(..) | Stage::Waiting(..) => true,
            Stage::Done(_) => false,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        if view.data.desk.customer.is_none() {
            no_customer(frame, area, s::COUNTER_PANEL, view.theme);
            return;
        }
        match &self.stage {
            Stage::Form => self.render_form(frame, area, view, true),
            Stage::Confirm(pending) => {
                self.render_form(frame, area, view, false);
                self.render_confirm(frame, area, view, pending);
            }
            Stage::Approve(pending, form) => {
                self.render_form(frame, area, view, false);
                self.render_approval(frame, area, view, pending, form);
            }
            Stage::Identify(pending, id, _) => {
                self.render_form(frame, area, view, false);
                self.render_identify(frame, area, view, pending, id);
            }
            Stage::Waiting(pending, waiting) => {
                self.render_form(frame, area, view, false);
                self.render_waiting(frame, area, view, pending, waiting);
            }
            Stage::Done(receipt) => receipt::render_done(frame, area, view, receipt),
        }
    }
}
