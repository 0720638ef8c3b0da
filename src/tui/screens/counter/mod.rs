//! The counter: a cash deposit, a cash withdrawal or a transfer for the customer being served,
//! prefilled from the card. Submitting opens a confirmation with the amount in figures and in
//! words and the balance before and after; a withdrawal or transfer above the approval limit
//! then asks for a supervisor (so does any answer `approval_required`). Afterwards the receipt
//! (reference, time, teller, new balance) is shown and can be written to a text file.
//!
//! Like the customer's transfer form, the idempotency key is kept until the operation succeeds
//! or the form is edited, so sending again after a lost answer never moves money twice.

use std::path::PathBuf;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;
use rust_decimal::Decimal;

use super::{
    confirm_money_lines, cycle, form_status, grouped, message_line, money, panel, wrap_words,
    Screen,
};
use crate::domain::{
    amount_in_words, format_money_grouped, AccountNumber, Amount, IdempotencyKey, Memo,
};
use crate::services::{BankError, CashRequest, MoneyResult, TransferRequest};
use crate::tui::context::{describe, Ctx, Flow, Notice, Route, View};
use crate::tui::desk::{CounterStart, Desk, Operation};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::field::{self, Field};
use crate::tui::worker::{is_connection_lost, CashKind, ExportError, Job, ReplyBody, RequestId};

const OPERATION: usize = 0;
const ACCOUNT: usize = 1;
const TO: usize = 2;
const AMOUNT: usize = 3;
const MEMO: usize = 4;
const STOPS: usize = 5;

/// A checked operation waiting for confirmation, approval or its answer.
#[derive(Debug, Clone)]
pub struct Pending {
    pub operation: Operation,
    pub account: AccountNumber,
    /// The receiving account of a transfer.
    pub to: Option<AccountNumber>,
    pub amount: Amount,
    pub memo: Option<Memo>,
    pub key: IdempotencyKey,
    pub currency: String,
    pub balance_before: Decimal,
    pub customer: String,
    pub recipient: Option<String>,
    /// Above the approval limit: a supervisor approves before it is sent.
    pub needs_approval: bool,
    /// The supervisor who approved it, once sent with an approval.
    pub approved_by: Option<String>,
}

impl Pending {
    /// The customer's balance once this is done.
    pub fn balance_after(&self) -> Decimal {
        match self.operation {
            Operation::Deposit => self.balance_before + self.amount.value(),
            Operation::Withdrawal | Operation::Transfer => {
                self.balance_before - self.amount.value()
            }
        }
    }
}

/// The receipt file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptFile {
    NotWritten,
    Writing,
    Written(PathBuf),
    Failed(String),
}

#[derive(Debug, Clone)]
pub enum Stage {
    Form,
    Confirm(Pending),
    Approve(Pending, Box<ApprovalForm>),
    Done(Box<Receipt>),
}

/// A finished operation: what the receipt says, and its file.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub result: MoneyResult,
    pub pending: Pending,
    /// "Tom Teller (teller@bank.local)".
    pub teller: String,
    pub file: ReceiptFile,
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
    pub focus: usize,
    /// "M. Rossi" once the typed number is found.
    pub recipient: Option<(String, String)>,
    pub stage: Stage,
    pub error: Option<String>,
    key: Option<IdempotencyKey>,
    awaiting: Option<RequestId>,
    writing: Option<RequestId>,
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
            focus: AMOUNT,
            recipient: None,
            stage: Stage::Form,
            error: None,
            key: None,
            awaiting: None,
            writing: None,
        }
    }
}

impl CounterScreen {
    pub fn is_sending(&self) -> bool {
        self.awaiting.is_some()
    }

    /// The idempotency key the next submission will use, if one was made.
    pub fn key(&self) -> Option<&IdempotencyKey> {
        self.key.as_ref()
    }

    fn reset(&mut self, customer: Option<String>, operation: Operation, account: Option<String>) {
        *self = Self {
            customer,
            operation,
            account,
            ..Self::default()
        };
    }

    /// Any edit makes it another operation: it gets a new key when submitted.
    fn edited(&mut self) {
        self.key = None;
        self.error = None;
    }

    fn stops(&self) -> impl Iterator<Item = usize> + '_ {
        (0..STOPS).filter(|i| *i != TO || self.operation == Operation::Transfer)
    }

    fn move_focus(&mut self, forward: bool) {
        let stops: Vec<usize> = self.stops().collect();
        let index = stops.iter().position(|i| *i == self.focus).unwrap_or(0);
        self.focus = stops[cycle(index, forward, stops.len())];
    }

    fn focused_field(&mut self) -> Option<&mut Field> {
        match self.focus {
            TO => Some(&mut self.to),
            AMOUNT => Some(&mut self.amount),
            MEMO => Some(&mut self.memo),
            _ => None,
        }
    }

    /// Keeps the account one of the customer's open ones, preferring the card's selection.
    fn choose_account(&mut self, desk: &Desk) {
        let open: Vec<&str> = desk.open_accounts().map(|a| a.number.as_str()).collect();
        if self.account.as_deref().is_some_and(|n| open.contains(&n)) {
            return;
        }
        let selected = desk
            .selected_account()
            .map(|a| a.number.as_str())
            .filter(|n| open.contains(n));
        self.account = selected
            .or_else(|| open.first().copied())
            .map(str::to_string);
    }

    fn cycle_account(&mut self, desk: &Desk, forward: bool) {
        let open: Vec<&str> = desk.open_accounts().map(|a| a.number.as_str()).collect();
        if open.is_empty() {
            return;
        }
        let index = self
            .account
            .as_deref()
            .and_then(|a| open.iter().position(|n| *n == a))
            .unwrap_or(0);
        self.account = Some(open[cycle(index, forward, open.len())].to_string());
        self.edited();
        self.amount_changed(desk);
    }

    fn cycle_operation(&mut self, desk: &Desk, forward: bool) {
        let all = Operation::ALL;
        let index = all.iter().position(|o| *o == self.operation).unwrap_or(0);
        self.operation = all[cycle(index, forward, all.len())];
        self.edited();
        self.amount_changed(desk);
    }

    fn amount_changed(&mut self, desk: &Desk) {
        let currency = self
            .account
            .as_deref()
            .and_then(|a| desk.find(a))
            .map(|a| a.currency.clone())
            .unwrap_or_default();
        self.amount.hint = Amount::parse(self.amount.value())
            .ok()
            .map(|a| amount_in_words(a.value(), &currency));
    }

    /// Checks the number as it is typed and looks the recipient up once it is valid.
    fn number_changed(&mut self, ctx: &mut Ctx) {
        self.recipient = None;
        self.to.hint = None;
        self.to.error = None;
        let compact: String = self
            .to
            .value()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if compact.is_empty() {
            return;
        }
        if compact.len() < 10 && compact.bytes().all(|b| b.is_ascii_digit()) {
            self.to.hint = Some(format!("{}{}", compact.len(), s::DIGITS_OF_TEN));
            return;
        }
        match AccountNumber::parse(self.to.value()) {
            Ok(number) => {
                self.to.hint = Some(s::RECIPIENT_LOOKING.into());
                ctx.request(Job::Recipient { number });
            }
            Err(e) => self.to.error = Some(e.rule),
        }
    }

    /// Checks the form; when it is good, the confirmation opens.
    fn submit(&mut self, ctx: &mut Ctx) {
        if self.awaiting.is_some() {
            return;
        }
        self.error = None;
        let desk = &ctx.data.desk;
        let Some(source) = self.account.as_deref().and_then(|a| desk.find(a)).cloned() else {
            self.error = Some(s::COUNTER_NO_ACCOUNT.into());
            self.focus = ACCOUNT;
            return;
        };
        let mut first_bad: Option<usize> = None;
        let account = AccountNumber::parse(&source.number);
        let to = if self.operation == Operation::Transfer {
            match AccountNumber::parse(self.to.value()) {
                Ok(to) if Some(&to) == account.as_ref().ok() => {
                    self.to.error = Some(s::SAME_ACCOUNT.into());
                    first_bad.get_or_insert(TO);
                    None
                }
                Ok(to) => Some(to),
                Err(e) => {
                    self.to.error = Some(e.rule);
                    first_bad.get_or_insert(TO);
                    None
                }
            }
        } else {
            None
        };
        let amount = match Amount::parse(self.amount.value()) {
            Ok(amount) => Some(amount),
            Err(e) => {
                self.amount.error = Some(e.rule);
                first_bad.get_or_insert(AMOUNT);
                None
            }
        };
        let memo = match Memo::parse_optional(self.memo.value()) {
            Ok(memo) => Some(memo),
            Err(e) => {
                self.memo.error = Some(e.rule);
                first_bad.get_or_insert(MEMO);
                None
            }
        };
        if let Some(bad) = first_bad {
            self.focus = bad;
            return;
        }
        let (Ok(account), Some(amount), Some(memo)) = (account, amount, memo) else {
            return;
        };
        let recipient = match (&to, &self.recipient) {
            (Some(to), Some((number, name))) if number == to.as_str() => Some(name.clone()),
            _ => None,
        };
        let needs_approval = self.operation.limited()
            && desk
                .approval_limit
                .is_some_and(|limit| amount.value() > limit);
        let key = self
            .key
            .get_or_insert_with(IdempotencyKey::generate)
            .clone();
        self.stage = Stage::Confirm(Pending {
            operation: self.operation,
            account,
            to,
            amount,
            memo,
            key,
            currency: source.currency,
            balance_before: source.balance,
            customer: desk.customer_name().unwrap_or_default(),
            recipient,
            needs_approval,
            approved_by: None,
        });
    }

    fn send(&mut self, mut pending: Pending, form: Option<Box<ApprovalForm>>, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let approval = match form {
            Some(mut form) => match form.check() {
                Some((_, approval)) => Some(approval),
                None => {
                    self.stage = Stage::Approve(pending, form);
                    return;
                }
            },
            None => None,
        };
        pending.approved_by = approval.as_ref().map(|a| a.supervisor.as_str().to_string());
        let job = match pending.operation {
            Operation::Transfer => {
                let Some(to) = pending.to.clone() else { return };
                Job::CounterTransfer {
                    actor,
                    request: TransferRequest {
                        from: pending.account.clone(),
                        to,
                        amount: pending.amount,
                        key: pending.key.clone(),
                        memo: pending.memo.clone(),
                    },
                    approval,
                }
            }
            operation => Job::Cash {
                actor,
                kind: if operation == Operation::Deposit {
                    CashKind::Deposit
                } else {
                    CashKind::Withdrawal
                },
                request: CashRequest {
                    account: pending.account.clone(),
                    amount: pending.amount,
                    key: pending.key.clone(),
                    memo: pending.memo.clone(),
                },
                approval,
            },
        };
        tracing::info!(key = pending.key.as_str(), "counter operation confirmed");
        self.awaiting = Some(ctx.request(job));
        // The stage stays where it is (the dialog shows a spinner) until the answer.
        match &mut self.stage {
            Stage::Confirm(p) | Stage::Approve(p, _) => *p = pending,
            _ => {}
        }
    }

    fn on_result(&mut self, result: Result<MoneyResult, BankError>, ctx: &mut Ctx) {
        let stage = std::mem::replace(&mut self.stage, Stage::Form);
        let (pending, form) = match stage {
            Stage::Confirm(p) => (p, None),
            Stage::Approve(p, form) => (p, Some(form)),
            other => {
                self.stage = other;
                return;
            }
        };
        match result {
            Ok(result) => {
                self.key = None;
                self.error = None;
                ctx.notify(Notice::Success(format!(
                    "{}{}.",
                    s::COUNTER_DONE_NOTICE,
                    result.id
                )));
                if let Some((_, balance)) = result
                    .balances
                    .iter()
                    .find(|(n, _)| n == pending.account.as_str())
                {
                    if let Some(a) = ctx
                        .data
                        .desk
                        .accounts
                        .iter_mut()
                        .find(|a| a.number == pending.account.as_str())
                    {
                        a.balance = *balance;
                    }
                }
                // Cash moved: the drawer figures are stale.
                if pending.operation != Operation::Transfer {
                    ctx.data.desk.drawer = None;
                }
                let teller = ctx
                    .session
                    .as_ref()
                    .map(|s| format!("{} ({})", s.display_name(), s.email()))
                    .unwrap_or_default();
                self.stage = Stage::Done(Box::new(Receipt {
                    result,
                    pending,
                    teller,
                    file: ReceiptFile::NotWritten,
                }));
            }
            Err(error @ (BankError::ApprovalRequired(_) | BankError::ApprovalRefused(_))) => {
                let message = describe(&error);
                let mut form = form.unwrap_or_default();
                if matches!(error, BankError::ApprovalRefused(_)) {
                    form.refused(message);
                } else {
                    form.error = Some(message);
                }
                self.stage = Stage::Approve(pending, form);
            }
            Err(error) => {
                self.error = Some(if is_connection_lost(&error) {
                    s::COUNTER_CONNECTION_LOST.to_string()
                } else {
                    describe(&error)
                });
            }
        }
    }

    fn write_receipt(&mut self, ctx: &mut Ctx) {
        if self.writing.is_some() {
            return;
        }
        let Stage::Done(receipt) = &mut self.stage else {
            return;
        };
        let Receipt {
            result,
            pending,
            teller,
            file,
        } = receipt.as_mut();
        let lines = receipt_rows(result, pending, teller, ctx.clock.local(result.at));
        let mut text = format!("{}\n{}\n\n", s::RECEIPT_FILE_HEADING, s::RECEIPT_FILE_RULE);
        for (label, value) in lines {
            text.push_str(&format!("{label:<16}{value}\n"));
        }
        let path = ctx
            .config
            .export_dir
            .join(format!("teller-receipt-{}.txt", result.id));
        *file = ReceiptFile::Writing;
        self.writing = Some(ctx.request(Job::WriteReceipt { path, text }));
    }
}

/// The receipt as (label, value) rows, for the screen and the file alike.
pub fn receipt_rows(
    result: &MoneyResult,
    pending: &Pending,
    teller: &str,
    local_time: chrono::NaiveDateTime,
) -> Vec<(&'static str, String)> {
    let account = pending.account.as_str();
    let new_balance = result
        .balances
        .iter()
        .find(|(n, _)| n == account)
        .map(|(_, b)| format!("{} {}", result.currency, format_money_grouped(*b)))
        .unwrap_or_else(|| s::EMPTY_VALUE.to_string());
    let mut rows = vec![
        (s::REFERENCE, format!("#{}", result.id)),
        (s::TIME, local_time.format(s::TIME_FORMAT).to_string()),
        (s::RECEIPT_TELLER, teller.to_string()),
        (s::RECEIPT_CUSTOMER, pending.customer.clone()),
        (
            s::RECEIPT_OPERATION,
            operation_label(pending.operation).to_string(),
        ),
    ];
    match &pending.to {
        Some(to) => {
            rows.push((s::FIELD_FROM, pending.account.grouped()));
            let name = pending
                .recipient
                .as_deref()
                .map(|n| format!("  ({n})"))
                .unwrap_or_default();
            rows.push((s::FIELD_TO, format!("{}{name}", to.grouped())));
        }
        None => rows.push((s::FIELD_ACCOUNT, pending.account.grouped())),
    }
    rows.push((
        s::FIELD_AMOUNT,
        format!("{} {}", result.currency, money(result.amount)),
    ));
    rows.push(("", amount_in_words(result.amount, &result.currency)));
    if let Some(memo) = &result.memo {
        rows.push((s::FIELD_MEMO, memo.clone()));
    }
    rows.push((s::NEW_BALANCE, new_balance));
    if let Some(supervisor) = &pending.approved_by {
        rows.push((s::RECEIPT_APPROVED_BY, supervisor.clone()));
    }
    rows
}

pub fn operation_label(operation: Operation) -> &'static str {
    match operation {
        Operation::Deposit => s::OP_DEPOSIT,
        Operation::Withdrawal => s::OP_WITHDRAWAL,
        Operation::Transfer => s::OP_TRANSFER,
    }
}

impl Screen for CounterScreen {
    fn bindings(&self) -> &'static [Binding] {
        match &self.stage {
            Stage::Form => keys::COUNTER_FORM,
            Stage::Confirm(_) => keys::COUNTER_CONFIRM,
            Stage::Approve(..) => keys::APPROVAL,
            Stage::Done(_) => keys::COUNTER_DONE,
        }
    }

    fn typing(&self) -> bool {
        match &self.stage {
            Stage::Form => matches!(self.focus, TO | AMOUNT | MEMO),
            Stage::Approve(..) => true,
            _ => false,
        }
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        if ctx.data.desk.approval_limit.is_none() {
            ctx.request(Job::Limits);
        }
        ctx.request(Job::Drawer { actor });
        let customer = ctx.data.desk.customer.clone();
        if let Some(start) = ctx.data.desk.counter.take() {
            let CounterStart {
                operation,
                account,
                amount,
            } = start;
            self.reset(customer, operation, Some(account));
            self.focus = if operation == Operation::Transfer {
                TO
            } else {
                AMOUNT
            };
            if let Some(amount) = amount {
                self.amount.set_value(amount);
                self.amount_changed(&ctx.data.desk);
                self.submit(ctx);
            }
            return;
        }
        if self.customer != customer && self.awaiting.is_none() {
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
            Stage::Form => match cmd {
                Cmd::NextField => self.move_focus(true),
                Cmd::PrevField => self.move_focus(false),
                Cmd::PrevAccount | Cmd::NextAccount => {
                    let forward = cmd == Cmd::NextAccount;
                    match self.focus {
                        OPERATION => self.cycle_operation(&ctx.data.desk, forward),
                        ACCOUNT => self.cycle_account(&ctx.data.desk, forward),
                        _ => {}
                    }
                }
                Cmd::Submit => self.submit(ctx),
                Cmd::Back => return Flow::Go(Route::Card),
                _ => {}
            },
            Stage::Confirm(pending) => {
                self.stage = Stage::Confirm(pending);
                if self.awaiting.is_some() {
                    return Flow::Stay;
                }
                match cmd {
                    Cmd::Submit => {
                        if let Stage::Confirm(pending) =
                            std::mem::replace(&mut self.stage, Stage::Form)
                        {
                            if pending.needs_approval {
                                self.stage = Stage::Approve(pending, Box::default());
                            } else {
                                self.stage = Stage::Confirm(pending.clone());
                                self.send(pending, None, ctx);
                            }
                        }
                    }
                    Cmd::Back => self.stage = Stage::Form,
                    _ => {}
                }
            }
            Stage::Approve(pending, mut form) => {
                if self.awaiting.is_some() {
                    self.stage = Stage::Approve(pending, form);
                    return Flow::Stay;
                }
                match cmd {
                    Cmd::NextField => form.next(true),
                    Cmd::PrevField => form.next(false),
                    Cmd::Submit => {
                        self.stage = Stage::Approve(pending.clone(), form.clone());
                        self.send(pending, Some(form), ctx);
                        return Flow::Stay;
                    }
                    Cmd::Back => return Flow::Stay,
                    _ => {}
                }
                self.stage = Stage::Approve(pending, form);
            }
            Stage::Done(receipt) => {
                let operation = receipt.pending.operation;
                match cmd {
                    Cmd::Receipt => {
                        self.stage = Stage::Done(receipt);
                        self.write_receipt(ctx);
                    }
                    Cmd::Submit | Cmd::Back => {
                        let customer = self.customer.clone();
                        let account = self.account.clone();
                        self.reset(customer, operation, account);
                        if cmd == Cmd::Back {
                            return Flow::Go(Route::Card);
                        }
                        if operation == Operation::Transfer {
                            self.focus = TO;
                        }
                    }
                    _ => self.stage = Stage::Done(receipt),
                }
            }
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Flow {
        if let Stage::Approve(_, form) = &mut self.stage {
            if self.awaiting.is_none() {
                form.handle_key(key);
            }
            return Flow::Stay;
        }
        if !matches!(self.stage, Stage::Form) {
            return Flow::Stay;
        }
        let focus = self.focus;
        let changed = self
            .focused_field()
            .is_some_and(|field| field.handle_key(key));
        if changed {
            self.edited();
            match focus {
                TO => self.number_changed(ctx),
                AMOUNT => self.amount_changed(&ctx.data.desk),
                _ => {}
            }
        }
        Flow::Stay
    }

    fn on_reply(&mut self, id: RequestId, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match body {
            ReplyBody::Limits { approval_limit } => {
                ctx.data.desk.approval_limit = Some(approval_limit);
            }
            ReplyBody::Drawer(Ok(drawer)) => ctx.data.desk.drawer = Some(drawer),
            ReplyBody::Drawer(Err(_)) => {}
            ReplyBody::Recipient { number, result } => {
                let current = AccountNumber::parse(self.to.value()).ok();
                if current.as_ref().map(AccountNumber::as_str) != Some(number.as_str()) {
                    return Flow::Stay;
                }
                match result {
                    Ok(name) => {
                        self.to.hint = Some(format!("{}{name}", s::RECIPIENT_PREFIX));
                        self.recipient = Some((number, name));
                    }
                    Err(BankError::NotFound(_)) => {
                        self.to.hint = None;
                        self.to.error = Some(s::RECIPIENT_MISSING.into());
                    }
                    Err(error) => self.to.hint = Some(describe(&error)),
                }
            }
            ReplyBody::Money(result) if self.awaiting == Some(id) => {
                self.awaiting = None;
                self.on_result(result, ctx);
            }
            ReplyBody::Receipt(result) if self.writing == Some(id) => {
                self.writing = None;
                if let Stage::Done(receipt) = &mut self.stage {
                    receipt.file = match result {
                        Ok(path) => {
                            tracing::info!(path = %path.display(), "receipt written");
                            ReceiptFile::Written(path)
                        }
                        Err(ExportError::Bank(e)) => ReceiptFile::Failed(describe(&e)),
                        Err(ExportError::Io(e)) => ReceiptFile::Failed(e.to_string()),
                    };
                }
            }
            _ => {}
        }
        Flow::Stay
    }

    fn is_dirty(&self) -> bool {
        match &self.stage {
            Stage::Form | Stage::Confirm(_) => !(self.to.is_empty() && self.amount.is_empty()),
            Stage::Approve(..) => true,
            Stage::Done(_) => false,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let desk = &view.data.desk;
        if desk.customer.is_none() {
            frame.render_widget(
                Paragraph::new(Line::styled(s::NO_CUSTOMER, theme.hint))
                    .block(panel(s::COUNTER_PANEL, theme))
                    .wrap(Wrap { trim: true }),
                area,
            );
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
                let lines = vec![
                    Line::from(vec![
                        Span::raw(format!("{} ", operation_label(pending.operation))),
                        Span::styled(
                            format!("{} {}", pending.currency, money(pending.amount.value())),
                            theme.title,
                        ),
                        Span::raw(format!(
                            "{}{}",
                            s::APPROVAL_FROM_ACCOUNT,
                            pending.account.grouped()
                        )),
                    ]),
                    Line::styled(
                        format!(
                            "{}{}{}",
                            s::APPROVAL_ABOVE_LIMIT,
                            desk.approval_limit
                                .map(format_money_grouped)
                                .unwrap_or_else(|| s::EMPTY_VALUE.to_string()),
                            s::APPROVAL_ABOVE_LIMIT_END
                        ),
                        theme.hint,
                    ),
                ];
                let sending = self.awaiting.is_some().then_some(s::SENDING);
                form.render(frame, area, view, s::APPROVAL_TITLE, lines, sending);
            }
            Stage::Done(receipt) => render_done(frame, area, view, receipt),
        }
    }
}

impl CounterScreen {
    fn render_form(&self, frame: &mut Frame, area: Rect, view: &View, active: bool) {
        let theme = view.theme;
        let desk = &view.data.desk;
        let name = desk.customer_name().unwrap_or_default();
        let block = panel(format!("{}{name}", s::COUNTER_TITLE), theme);
        let inner = block.inner(area).inner(Margin::new(1, 1));
        frame.render_widget(block, area);
        let transfer = self.operation == Operation::Transfer;
        let [op_area, account_area, to_area, amount_area, memo_area, _, drawer_area, message] =
            Layout::vertical([
                Constraint::Length(field::HEIGHT),
                Constraint::Length(field::HEIGHT),
                Constraint::Length(if transfer { field::HEIGHT } else { 0 }),
                Constraint::Length(field::HEIGHT),
                Constraint::Length(field::HEIGHT),
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Min(1),
            ])
            .areas(inner);
        let mut picker =
            |area: Rect, label: &'static str, value: String, hint: &str, index: usize| {
                let focused = active && self.focus == index;
                picker_row(frame, area, view, label, value, focused.then_some(hint));
            };
        picker(
            op_area,
            s::FIELD_OPERATION,
            operation_label(self.operation).to_string(),
            s::OPERATION_HINT,
            OPERATION,
        );
        let source = self.account.as_deref().and_then(|a| desk.find(a));
        let account = match source {
            Some(a) => format!(
                "{}  {}  {}",
                grouped(&a.number),
                a.currency,
                money(a.balance)
            ),
            None if desk.accounts.is_empty() => s::LOADING.to_string(),
            None => s::COUNTER_NO_ACCOUNT.to_string(),
        };
        picker(
            account_area,
            s::FIELD_ACCOUNT,
            account,
            s::ACCOUNT_PICK_HINT,
            ACCOUNT,
        );
        let mut cursors = vec![];
        if transfer {
            cursors.push(
                self.to
                    .render(frame, to_area, active && self.focus == TO, theme),
            );
        }
        cursors.push(
            self.amount
                .render(frame, amount_area, active && self.focus == AMOUNT, theme),
        );
        cursors.push(
            self.memo
                .render(frame, memo_area, active && self.focus == MEMO, theme),
        );
        if let Some(position) = cursors.into_iter().flatten().next() {
            frame.set_cursor_position(position);
        }
        frame.render_widget(drawer_line(desk, view), drawer_area);
        let busy = self.awaiting.is_some().then_some(s::SENDING);
        let idle = Line::styled(s::COUNTER_FORM_HINT, theme.hint);
        let line = form_status(self.error.as_deref(), busy, view, idle);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
    }

    fn render_confirm(&self, frame: &mut Frame, area: Rect, view: &View, pending: &Pending) {
        let theme = view.theme;
        let transfer = pending.to.is_some();
        // The amount in words wraps instead of being cut off (68 wide dialog, borders,
        // margins and the 16-column label leave 48 columns).
        let words = wrap_words(
            &amount_in_words(pending.amount.value(), &pending.currency),
            48,
        );
        let extra = u16::try_from(words.len().saturating_sub(1)).unwrap_or(0);
        let height = if transfer { 15 } else { 14 } + extra;
        let dialog = area.centered(Constraint::Length(68), Constraint::Length(height));
        frame.render_widget(Clear, dialog);
        let title = match pending.operation {
            Operation::Deposit => s::CONFIRM_DEPOSIT_TITLE,
            Operation::Withdrawal => s::CONFIRM_WITHDRAWAL_TITLE,
            Operation::Transfer => s::CONFIRM_TITLE,
        };
        let block = panel(title, theme).border_style(theme.border_focused);
        let inner = block.inner(dialog).inner(Margin::new(1, 0));
        frame.render_widget(block, dialog);
        let amount = pending.amount.value();
        let after = pending.balance_after();
        let label = |text: &'static str| Span::styled(format!("{text:<16}"), theme.label);
        let mut lines = vec![
            Line::from(vec![
                label(s::RECEIPT_CUSTOMER),
                Span::raw(pending.customer.clone()),
            ]),
            Line::from(vec![
                label(s::RECEIPT_OPERATION),
                Span::raw(operation_label(pending.operation)),
            ]),
        ];
        match &pending.to {
            Some(to) => {
                lines.push(Line::from(vec![
                    label(s::FIELD_FROM),
                    Span::raw(pending.account.grouped()),
                ]));
                let name = pending
                    .recipient
                    .as_deref()
                    .map(|n| format!("  ({n})"))
                    .unwrap_or_default();
                lines.push(Line::from(vec![
                    label(s::FIELD_TO),
                    Span::raw(format!("{}{name}", to.grouped())),
                ]));
            }
            None => lines.push(Line::from(vec![
                label(s::FIELD_ACCOUNT),
                Span::raw(pending.account.grouped()),
            ])),
        }
        lines.extend(confirm_money_lines(
            &pending.currency,
            amount,
            words,
            pending.memo.as_ref(),
            pending.balance_before,
            after,
            theme,
        ));
        if after.is_sign_negative() {
            lines.push(message_line(
                theme::ERROR_MARKER,
                s::COUNTER_NOT_ENOUGH,
                theme.warning,
            ));
        } else if pending.needs_approval {
            lines.push(message_line(
                theme::INFO_MARKER,
                s::CONFIRM_NEEDS_APPROVAL,
                theme.warning,
            ));
        } else {
            lines.push(Line::default());
        }
        if let (Some(error), None) = (&self.error, self.awaiting) {
            lines.push(message_line(theme::ERROR_MARKER, error, theme.error));
        } else if self.awaiting.is_some() {
            lines.push(Line::from(vec![
                Span::raw(format!("{} ", view.spinner)),
                Span::styled(s::SENDING, theme.hint),
            ]));
        } else {
            lines.push(Line::default());
        }
        let enter = if pending.needs_approval {
            s::CONFIRM_ENTER_APPROVAL
        } else {
            s::CONFIRM_ENTER_COUNTER
        };
        lines.push(Line::from(vec![
            Span::styled(s::KEY_ENTER, theme.key),
            Span::raw(enter),
            Span::styled(s::KEY_ESC, theme.key),
            Span::raw(s::CONFIRM_ESC),
        ]));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn render_done(frame: &mut Frame, area: Rect, view: &View, receipt: &Receipt) {
    let Receipt {
        result,
        pending,
        teller,
        file,
    } = receipt;
    let theme = view.theme;
    let block = panel(s::RECEIPT_PANEL, theme);
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let heading = if result.replayed {
        s::COUNTER_REPLAYED
    } else {
        s::COUNTER_DONE
    };
    let mut lines = vec![
        message_line(theme::OK_MARKER, heading, theme.success),
        Line::default(),
    ];
    for (label, value) in receipt_rows(result, pending, teller, view.clock.local(result.at)) {
        let style = if label == s::REFERENCE || label == s::NEW_BALANCE {
            theme.title
        } else if label.is_empty() {
            theme.hint
        } else {
            theme.base
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{label:<16}"), theme.label),
            Span::styled(value, style),
        ]));
    }
    lines.push(Line::default());
    lines.push(match file {
        ReceiptFile::NotWritten => Line::styled(s::RECEIPT_FILE_HINT, theme.hint),
        ReceiptFile::Writing => Line::from(vec![
            Span::raw(format!("{} ", view.spinner)),
            Span::styled(s::RECEIPT_WRITING, theme.hint),
        ]),
        ReceiptFile::Written(path) => Line::styled(
            format!(
                "{}{}{}",
                theme::OK_MARKER,
                s::RECEIPT_WRITTEN,
                path.display()
            ),
            theme.success,
        ),
        ReceiptFile::Failed(why) => Line::styled(
            format!("{}{}{why}", theme::ERROR_MARKER, s::RECEIPT_FAILED),
            theme.error,
        ),
    });
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A choice drawn like a field: "▶ Operation     [◀ Cash deposit ▶]", with a hint under it
/// while focused.
fn picker_row(
    frame: &mut Frame,
    area: Rect,
    view: &View,
    label: &'static str,
    value: String,
    hint: Option<&str>,
) {
    let theme = view.theme;
    let focused = hint.is_some();
    let (marker, label_style, value_style) = if focused {
        (
            theme::FOCUS_MARKER,
            theme.label_focused,
            theme.input_focused,
        )
    } else {
        (theme::NO_MARKER, theme.label, theme.base)
    };
    let width = usize::from(field::LABEL_WIDTH) - marker.chars().count();
    frame.render_widget(
        Line::from(vec![
            Span::styled(format!("{marker}{label:<width$}"), label_style),
            Span::styled("[", label_style),
            Span::styled(format!("◀ {value} ▶"), value_style),
            Span::styled("]", label_style),
        ]),
        Rect { height: 1, ..area },
    );
    if let (Some(hint), true) = (hint, area.height > 1) {
        frame.render_widget(
            Span::styled(hint.to_string(), theme.hint),
            Rect {
                x: area.x + field::LABEL_WIDTH + 1,
                y: area.y + 1,
                width: area.width.saturating_sub(field::LABEL_WIDTH + 1),
                height: 1,
            },
        );
    }
}

/// "Drawer open (USD) · approval above 10,000.00", or why cash cannot move.
fn drawer_line<'a>(desk: &Desk, view: &View) -> Line<'a> {
    let theme = view.theme;
    let limit = desk
        .approval_limit
        .map(|l| format!("{}{}", s::APPROVAL_LIMIT_PREFIX, format_money_grouped(l)))
        .unwrap_or_default();
    match &desk.drawer {
        Some(Some(d)) if d.closed_at.is_none() => Line::styled(
            format!(
                "{}{}{}{limit}",
                s::DRAWER_OPEN_PREFIX,
                d.currency,
                s::DRAWER_OPEN_SUFFIX
            ),
            theme.hint,
        ),
        Some(_) => Line::styled(
            format!("{}{}", theme::INFO_MARKER, s::DRAWER_CLOSED_CASH),
            theme.warning,
        ),
        None => Line::styled(limit, theme.hint),
    }
}
