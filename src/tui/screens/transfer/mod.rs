//! A transfer from one of my open accounts: a form, a confirmation dialog with the amount in
//! figures and words and my balance before and after, and the result.
//!
//! A recipient's account in another currency is paid at a quote: Enter asks the bank for one,
//! and the confirmation shows what the recipient gets, the rate and how long the quote holds
//! (an expired one is renewed by Enter); both legs go in one transaction (docs/fx.md).
//!
//! The idempotency key is made when the form is first submitted and kept until the transfer
//! succeeds or a field is edited: sending the same form again after a dropped connection
//! reuses it, so the bank applies the transfer at most once.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;
use rust_decimal::Decimal;

mod render;

use super::exchange::quote_seconds_left;
use super::{cycle, Screen};
use crate::domain::{AccountNumber, Currency, IdempotencyKey};
use crate::services::{
    BankError, ExchangeResult, ExchangeTransfer, MoneyResult, QuoteView, TransferRequest,
};
use crate::tui::context::{describe, Ctx, Flow, Notice, Route, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::focus::{FocusRing, Stops};
use crate::tui::widgets::money_form::{self, Lookup};
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{is_connection_lost, Job, RecipientName, ReplyBody};

/// The form's fields, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stop {
    /// The paying account, chosen with the arrow keys.
    From,
    #[default]
    To,
    Amount,
    Memo,
}

impl Stops for Stop {
    const ORDER: &'static [Self] = &[Self::From, Self::To, Self::Amount, Self::Memo];
}

/// What the recipient lookup found for the number typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Unknown,
    Looking(AccountNumber),
    Found {
        number: AccountNumber,
        name: String,
        currency: Currency,
    },
    Missing(AccountNumber),
}

/// A checked transfer waiting for confirmation (or sent).
#[derive(Debug, Clone)]
pub struct Pending {
    pub request: TransferRequest,
    pub currency: Currency,
    pub balance_before: Decimal,
    pub recipient: Option<String>,
    /// Into an account of another currency: the quote it goes at.
    pub quote: Option<QuoteView>,
}

#[derive(Debug, Clone)]
pub enum Stage {
    Form,
    Confirm(Pending),
    Sending(Pending),
    Done {
        result: Box<MoneyResult>,
        pending: Pending,
    },
}

#[derive(Debug, Clone)]
pub struct TransferScreen {
    /// The paying account's number.
    pub from: Option<String>,
    pub to: Field,
    pub amount: Field,
    pub memo: Field,
    pub focus: FocusRing<Stop>,
    pub recipient: Recipient,
    pub stage: Stage,
    /// The form-wide message (refusals, lost connection).
    pub error: Option<String>,
    key: Option<IdempotencyKey>,
    requests: Requests<Asked>,
    /// The transfer sent last, for the result screen when the answer arrives.
    sent: Option<Pending>,
    /// A transfer into another currency waiting for its quote.
    quoting: Option<Pending>,
}

/// What the transfer screen asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    /// Whose account a number is.
    Recipient,
    Transfer,
    /// A quote for a transfer into another currency, and that transfer.
    Quote,
    Exchange,
}

impl Default for TransferScreen {
    fn default() -> Self {
        Self {
            from: None,
            to: Field::new(s::FIELD_TO),
            amount: Field::new(s::FIELD_AMOUNT),
            memo: Field::new(s::FIELD_MEMO),
            focus: FocusRing::default(),
            recipient: Recipient::Unknown,
            stage: Stage::Form,
            error: None,
            key: None,
            requests: Requests::default(),
            sent: None,
            quoting: None,
        }
    }
}

impl TransferScreen {
    /// The idempotency key the next submission will use, if one was made.
    pub fn key(&self) -> Option<&IdempotencyKey> {
        self.key.as_ref()
    }

    pub fn is_sending(&self) -> bool {
        self.requests.is_waiting(Asked::Transfer) || self.requests.is_waiting(Asked::Exchange)
    }

    /// Waiting for a quote for a transfer into another currency.
    pub fn is_quoting(&self) -> bool {
        self.requests.is_waiting(Asked::Quote)
    }

    fn reset(&mut self) {
        let from = self.from.take();
        // Lookups in flight are still heard (their answers say which number they answer).
        let mut requests = std::mem::take(&mut self.requests);
        requests.forget(Asked::Transfer);
        requests.forget(Asked::Exchange);
        requests.forget(Asked::Quote);
        *self = Self {
            from,
            requests,
            ..Self::default()
        };
    }

    /// Any edit makes it a different transfer: it gets a new key when submitted (and a quote
    /// asked for the old one is not waited for).
    fn edited(&mut self) {
        self.key = None;
        self.error = None;
        self.requests.forget(Asked::Quote);
        self.quoting = None;
    }

    /// Keeps `from` pointing at an open account of ours, preferring the selected one.
    fn choose_source(&mut self, ctx: &Ctx, prefer_selected: bool) {
        let open: Vec<&str> = ctx
            .data
            .open_accounts()
            .map(|a| a.number.as_str())
            .collect();
        let selected = ctx
            .data
            .selected_account()
            .map(|a| a.number.as_str())
            .filter(|n| open.contains(n));
        let current = self.from.as_deref().filter(|n| open.contains(n));
        let chosen = if prefer_selected {
            selected.or(current)
        } else {
            current.or(selected)
        };
        let chosen = chosen.or_else(|| open.first().copied()).map(str::to_string);
        if chosen != self.from {
            self.from = chosen;
            self.edited();
        }
    }

    fn cycle_source(&mut self, ctx: &Ctx, forward: bool) {
        let open: Vec<&str> = ctx
            .data
            .open_accounts()
            .map(|a| a.number.as_str())
            .collect();
        if open.is_empty() {
            return;
        }
        let index = self
            .from
            .as_deref()
            .and_then(|f| open.iter().position(|n| *n == f))
            .unwrap_or(0);
        let next = open[cycle(index, forward, open.len())].to_string();
        if self.from.as_deref() != Some(next.as_str()) {
            self.from = Some(next);
            self.edited();
        }
    }

    fn focused_field(&mut self) -> Option<&mut Field> {
        match self.focus.get() {
            Stop::To => Some(&mut self.to),
            Stop::Amount => Some(&mut self.amount),
            Stop::Memo => Some(&mut self.memo),
            Stop::From => None,
        }
    }

    /// Checks the number as it is typed, and looks the recipient up once it is valid.
    fn number_changed(&mut self, ctx: &mut Ctx) {
        self.recipient = Recipient::Unknown;
        if let Some(number) = money_form::number_typed(&mut self.to) {
            self.recipient = Recipient::Looking(number.clone());
            // Each answer names its number: every lookup is heard.
            self.requests
                .ask_too(ctx, Asked::Recipient, Job::Recipient { number });
        }
    }

    fn amount_changed(&mut self, ctx: &Ctx) {
        let currency = self
            .from
            .as_deref()
            .and_then(|f| ctx.data.find(f))
            .map(|a| a.currency.as_str())
            .unwrap_or_default();
        money_form::amount_typed(&mut self.amount, currency);
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        if self.is_sending() || self.is_quoting() {
            self.error = Some(s::TRANSFER_STILL_SENDING.into());
            return;
        }
        self.error = None;
        let source = self.from.as_deref().and_then(|f| ctx.data.find(f)).cloned();
        let Some(source) = source else {
            self.error = Some(s::NO_SOURCE_ACCOUNT.into());
            return;
        };
        let mut first_bad = None;
        let bad = |field: Stop, first_bad: &mut Option<Stop>| {
            first_bad.get_or_insert(field);
        };
        let from = source.number.clone();
        let to = money_form::to_checked(&mut self.to, Some(&from));
        match &to {
            None => bad(Stop::To, &mut first_bad),
            Some(to) if self.recipient == Recipient::Missing(to.clone()) => {
                self.to.error = Some(s::RECIPIENT_MISSING.into());
                bad(Stop::To, &mut first_bad);
            }
            Some(_) => {}
        }
        let amount = money_form::amount_checked(&mut self.amount);
        if amount.is_none() {
            bad(Stop::Amount, &mut first_bad);
        }
        let memo = money_form::memo_checked(&mut self.memo);
        if memo.is_none() {
            bad(Stop::Memo, &mut first_bad);
        }
        if let Some(field) = first_bad {
            self.focus.set(field);
            return;
        }
        let (Some(to), Some(amount), Some(memo)) = (to, amount, memo) else {
            return;
        };
        let (recipient, their_currency) = match &self.recipient {
            Recipient::Found {
                number,
                name,
                currency,
            } if *number == to => (Some(name.clone()), Some(*currency)),
            _ => (None, None),
        };
        let key = self
            .key
            .get_or_insert_with(IdempotencyKey::generate)
            .clone();
        let pending = Pending {
            request: TransferRequest {
                from,
                to,
                amount,
                key,
                memo,
            },
            currency: source.currency,
            balance_before: source.balance,
            recipient,
            quote: None,
        };
        match their_currency {
            Some(get) if get != source.currency => self.ask_quote(pending, get, ctx),
            _ => self.stage = Stage::Confirm(pending),
        }
    }

    /// A quote for paying the amount, in my account's currency, into the recipient's.
    fn ask_quote(&mut self, pending: Pending, get: Currency, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let job = Job::TransferQuote {
            actor,
            pay: pending.currency,
            get,
            pays: pending.request.amount,
        };
        self.requests.ask(ctx, Asked::Quote, job);
        self.quoting = Some(pending);
        self.stage = Stage::Form;
    }

    fn on_quote(&mut self, result: Result<QuoteView, BankError>) {
        let Some(mut pending) = self.quoting.take() else {
            return;
        };
        match result {
            Ok(quote) => {
                pending.quote = Some(quote);
                self.stage = Stage::Confirm(pending);
            }
            Err(error) => self.error = Some(describe(&error)),
        }
    }

    /// Enter on the confirmation: the transfer, or a new quote when this one has run out.
    fn confirmed(&mut self, pending: Pending, ctx: &mut Ctx) {
        match &pending.quote {
            Some(quote) if quote_seconds_left(quote, ctx.clock.wall()) == 0 => {
                let get = quote.get;
                self.ask_quote(
                    Pending {
                        quote: None,
                        ..pending
                    },
                    get,
                    ctx,
                );
            }
            _ => self.send(pending, ctx),
        }
    }

    fn send(&mut self, pending: Pending, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        tracing::info!(key = pending.request.key.as_str(), "transfer confirmed");
        match &pending.quote {
            Some(quote) => {
                let request = ExchangeTransfer {
                    transfer: pending.request.clone(),
                    quote: quote.id,
                };
                self.requests.ask(
                    ctx,
                    Asked::Exchange,
                    Job::ExchangeTransfer { actor, request },
                );
            }
            None => {
                let job = Job::Transfer {
                    actor,
                    request: pending.request.clone(),
                };
                self.requests.ask(ctx, Asked::Transfer, job);
            }
        }
        self.sent = Some(pending.clone());
        self.stage = Stage::Sending(pending);
    }

    fn on_result(&mut self, result: Result<MoneyResult, BankError>, ctx: &mut Ctx) {
        let pending = self.sent.take();
        match (result, pending) {
            (Ok(result), Some(pending)) => {
                self.key = None;
                self.error = None;
                ctx.notify(Notice::Success(format!(
                    "{}{}.",
                    s::TRANSFER_DONE_NOTICE,
                    result.id
                )));
                ctx.refresh_accounts();
                self.stage = Stage::Done {
                    result: Box::new(result),
                    pending,
                };
            }
            (Ok(_), None) => {}
            (Err(error), pending) => {
                if matches!(self.stage, Stage::Sending(_)) {
                    self.stage = Stage::Form;
                }
                self.sent = None;
                self.error = Some(if is_connection_lost(&error) {
                    s::TRANSFER_CONNECTION_LOST.to_string()
                } else if error.leaves_outcome_unknown() {
                    s::TRANSFER_UNCONFIRMED.to_string()
                } else {
                    describe(&error)
                });
                if let (BankError::Invalid(e), Some(_)) = (&error, pending) {
                    if e.field == crate::domain::Field::Amount {
                        self.amount.error = Some(e.rule.clone());
                    }
                }
            }
        }
    }
}

impl TransferScreen {
    /// Both legs done: the result shows the paid leg, with the quote it went at.
    fn on_exchanged(&mut self, result: Result<ExchangeResult, BankError>, ctx: &mut Ctx) {
        let result = result.map(|done| {
            if let Some(sent) = &mut self.sent {
                sent.quote = Some(done.quote);
            }
            let mut paid = done.paid;
            paid.replayed = done.replayed;
            paid
        });
        self.on_result(result, ctx);
    }

    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Recipient, ReplyBody::Recipient(RecipientName { number, result })) => {
                if self.recipient != Recipient::Looking(number.clone()) {
                    return Flow::Stay;
                }
                self.recipient = match money_form::recipient_answered(&mut self.to, result) {
                    Lookup::Found(payee) => Recipient::Found {
                        number,
                        name: payee.name,
                        currency: payee.currency,
                    },
                    Lookup::Missing => Recipient::Missing(number),
                    Lookup::Failed => Recipient::Unknown,
                };
            }
            (Asked::Transfer, ReplyBody::Transfer(result)) => self.on_result(result, ctx),
            (Asked::Quote, ReplyBody::Quote(result)) => self.on_quote(result),
            (Asked::Exchange, ReplyBody::Exchanged(result)) => {
                self.on_exchanged(result, ctx);
            }
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }
}

impl Screen for TransferScreen {
    fn bindings(&self) -> &'static [Binding] {
        match self.stage {
            Stage::Form => keys::TRANSFER_FORM,
            Stage::Confirm(_) | Stage::Sending(_) => keys::TRANSFER_CONFIRM,
            Stage::Done { .. } => keys::TRANSFER_DONE,
        }
    }

    fn typing(&self) -> bool {
        matches!(self.stage, Stage::Form) && !self.focus.is(Stop::From)
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        if matches!(self.stage, Stage::Form) {
            self.choose_source(ctx, !self.is_dirty());
        }
    }

    fn on_accounts(&mut self, ctx: &mut Ctx) {
        if matches!(self.stage, Stage::Form) {
            self.choose_source(ctx, false);
        }
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        match (&self.stage, cmd) {
            (Stage::Form, Cmd::NextField) => self.focus.next(),
            (Stage::Form, Cmd::PrevField) => self.focus.prev(),
            (Stage::Form, Cmd::PrevAccount) => self.cycle_source(ctx, false),
            (Stage::Form, Cmd::NextAccount) => self.cycle_source(ctx, true),
            (Stage::Form, Cmd::Submit) => self.submit(ctx),
            (Stage::Form, Cmd::Back) => return Flow::Go(Route::Accounts),
            (Stage::Confirm(pending), Cmd::Submit) => {
                let pending = pending.clone();
                self.confirmed(pending, ctx);
            }
            (Stage::Confirm(_) | Stage::Sending(_), Cmd::Back) => self.stage = Stage::Form,
            (Stage::Done { .. }, Cmd::Submit) => self.reset(),
            (Stage::Done { .. }, Cmd::Back) => {
                self.reset();
                return Flow::Go(Route::Accounts);
            }
            _ => {}
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Flow {
        if !matches!(self.stage, Stage::Form) {
            return Flow::Stay;
        }
        let focus = self.focus.get();
        let changed = self.focused_field().is_some_and(|f| f.handle_key(key));
        if changed {
            self.edited();
            match focus {
                Stop::To => self.number_changed(ctx),
                Stop::Amount => self.amount_changed(ctx),
                _ => {}
            }
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn is_dirty(&self) -> bool {
        let empty = self.to.is_empty() && self.amount.is_empty() && self.memo.is_empty();
        !empty && !matches!(self.stage, Stage::Done { .. })
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        match &self.stage {
            Stage::Done { result, pending } => self.render_done(frame, area, view, result, pending),
            Stage::Form => self.render_form(frame, area, view, true),
            Stage::Confirm(pending) | Stage::Sending(pending) => {
                self.render_form(frame, area, view, false);
                self.render_confirm(frame, area, view, pending);
            }
        }
    }
}
