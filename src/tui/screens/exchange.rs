//! Cash for cash at the counter (F11, or `x` on the counter): the currency the customer pays and
//! how much, the currency they get; Enter asks the bank for a quote for cash, shown with both
//! amounts, the rate and a countdown; Enter again exchanges at that quote through the teller's
//! two drawers, and the receipt shows both legs and the rate. The key is kept until it is done,
//! so sending again after a lost answer never moves money twice (docs/fx.md). When the bank
//! asks for a supervisor (cash into a drawer above its limit), they type their email and
//! password over the quote, and the same exchange goes again with their approval.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{message_line, panel, Screen};
use crate::domain::{format_money_grouped_in, Amount, Currency, IdDocument, IdempotencyKey};
use crate::services::{Approval, BankError, CashExchange, ExchangeResult, QuoteView};
use crate::tui::context::{describe, Ctx, Flow, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::strings_fx as sx;
use crate::tui::theme::Theme;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::id_form::IdForm;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody, RequestId};

/// Where the form's focus is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Focus {
    Pays,
    #[default]
    Amount,
    Gets,
}

#[derive(Debug, Clone, Default)]
enum Stage {
    #[default]
    Form,
    Quoted(QuoteView),
    /// The bank asked for the customer's ID (an exchange above 1,000.00 USD).
    Identify(QuoteView, Box<IdForm>),
    /// The bank asked for a supervisor: their approval, typed here, for this quote.
    Approve(QuoteView, Box<ApprovalForm>),
    Done(Box<ExchangeResult>),
}

#[derive(Debug, Clone)]
pub struct ExchangeScreen {
    /// The currencies the bank trades, once read.
    currencies: Vec<Currency>,
    pays: usize,
    gets: usize,
    amount: Field,
    focus: Focus,
    stage: Stage,
    error: Option<String>,
    key: Option<IdempotencyKey>,
    /// The customer's ID once typed: sent with this exchange (and its approval).
    id: Option<IdDocument>,
    requests: Requests<Asked>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Currencies,
    Quote,
    Exchange,
}

impl Default for ExchangeScreen {
    fn default() -> Self {
        Self {
            currencies: Vec::new(),
            pays: 1,
            gets: 0,
            amount: Field::new(sx::FIELD_EXCHANGE_AMOUNT),
            focus: Focus::default(),
            stage: Stage::default(),
            error: None,
            key: None,
            id: None,
            requests: Requests::default(),
        }
    }
}

impl ExchangeScreen {
    fn currency(&self, index: usize) -> Option<Currency> {
        self.currencies
            .get(index % self.currencies.len().max(1))
            .copied()
    }

    fn cycle(&mut self, forward: bool) {
        let n = self.currencies.len().max(1);
        let step = |i: usize| {
            if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match self.focus {
            Focus::Pays => self.pays = step(self.pays),
            Focus::Gets => self.gets = step(self.gets),
            Focus::Amount => return,
        }
        self.edited();
    }

    fn edited(&mut self) {
        self.key = None;
        self.id = None;
        self.error = None;
    }

    /// The amounts checked by the domain's rules, then a quote for cash from the bank.
    fn ask_quote(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let (Some(pay), Some(get)) = (self.currency(self.pays), self.currency(self.gets)) else {
            return;
        };
        if pay == get {
            self.error = Some(sx::SAME_CURRENCY.into());
            return;
        }
        match Amount::parse_for(self.amount.value(), pay) {
            Ok(pays) => {
                let job = Job::CashQuote {
                    actor,
                    pay,
                    get,
                    pays,
                };
                self.requests.ask(ctx, Asked::Quote, job);
            }
            Err(e) => self.amount.error = Some(e.rule),
        }
    }

    fn exchange(&mut self, quote: &QuoteView, approval: Option<Approval>, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let key = self
            .key
            .get_or_insert_with(IdempotencyKey::generate)
            .clone();
        let request = CashExchange {
            pay: quote.pay,
            pays: match Amount::from_decimal_in(quote.pays, quote.pay) {
                Ok(amount) => amount,
                Err(e) => {
                    self.error = Some(e.rule);
                    return;
                }
            },
            get: quote.get,
            quote: Some(quote.id),
            key,
            memo: None,
            id: self.id.clone(),
        };
        let job = Job::ExchangeCash {
            actor,
            request,
            approval,
        };
        self.requests.ask(ctx, Asked::Exchange, job);
    }
}

impl ExchangeScreen {
    /// The bank's no: the customer's ID asked for opens the ID form over the quote, a
    /// supervisor's approval asked for (or refused) the approval; anything else is said under
    /// the form.
    fn refused(&mut self, error: BankError) {
        let message = describe(&error);
        let asks_supervisor = matches!(
            error,
            BankError::ApprovalRequired(_) | BankError::ApprovalRefused(_)
        );
        let asks_id = matches!(error, BankError::IdRequired(_));
        match (std::mem::take(&mut self.stage), asks_supervisor, asks_id) {
            (Stage::Quoted(quote) | Stage::Identify(quote, _), true, _) => {
                let mut form = ApprovalForm::new();
                form.error = Some(message);
                self.stage = Stage::Approve(quote, Box::new(form));
            }
            (Stage::Approve(quote, mut form), true, _) => {
                form.refused(message);
                self.stage = Stage::Approve(quote, form);
            }
            (Stage::Quoted(quote), _, true) => {
                let form = IdForm {
                    error: Some(message),
                    ..IdForm::default()
                };
                self.stage = Stage::Identify(quote, Box::new(form));
            }
            (Stage::Identify(quote, mut form), _, _) => {
                form.error = Some(message);
                self.stage = Stage::Identify(quote, form);
            }
            (stage, _, _) => {
                self.stage = stage;
                self.error = Some(message);
            }
        }
    }
}

/// Seconds left on a quote, by the workstation's clock (the bank's decides).
pub(super) fn quote_seconds_left(quote: &QuoteView, now: DateTime<Utc>) -> i64 {
    (quote.expires_at - now).num_seconds().max(0)
}

impl Screen for ExchangeScreen {
    fn bindings(&self) -> &'static [Binding] {
        match self.stage {
            Stage::Form => keys::EXCHANGE_FORM,
            Stage::Quoted(_) => keys::EXCHANGE_QUOTED,
            Stage::Identify(..) => keys::ID_FORM,
            Stage::Approve(..) => keys::APPROVAL,
            Stage::Done(_) => keys::EXCHANGE_DONE,
        }
    }

    fn typing(&self) -> bool {
        match self.stage {
            Stage::Form => self.focus == Focus::Amount,
            Stage::Identify(..) | Stage::Approve(..) => true,
            _ => false,
        }
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        if self.currencies.is_empty() {
            if let Some(actor) = ctx.actor() {
                self.requests
                    .ask_too(ctx, Asked::Currencies, Job::Currencies { actor });
            }
        }
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        if self.requests.is_waiting(Asked::Exchange) {
            return Flow::Stay;
        }
        match (std::mem::take(&mut self.stage), cmd) {
            (Stage::Form, Cmd::Submit) => self.ask_quote(ctx),
            (Stage::Form, Cmd::NextField) => {
                self.focus = match self.focus {
                    Focus::Pays => Focus::Amount,
                    Focus::Amount => Focus::Gets,
                    Focus::Gets => Focus::Pays,
                };
            }
            (Stage::Form, Cmd::PrevField) => {
                self.focus = match self.focus {
                    Focus::Pays => Focus::Gets,
                    Focus::Amount => Focus::Pays,
                    Focus::Gets => Focus::Amount,
                };
            }
            (Stage::Form, Cmd::PrevAccount) => self.cycle(false),
            (Stage::Form, Cmd::NextAccount) => self.cycle(true),
            (Stage::Quoted(quote), Cmd::Submit) => {
                self.exchange(&quote, None, ctx);
                self.stage = Stage::Quoted(quote);
            }
            (Stage::Identify(quote, mut form), Cmd::Submit) => {
                if let Some(document) = form.check(ctx.clock.wall().date_naive()) {
                    self.id = Some(document);
                    self.exchange(&quote, None, ctx);
                }
                self.stage = Stage::Identify(quote, form);
            }
            (Stage::Identify(quote, mut form), Cmd::NextField | Cmd::PrevField) => {
                if cmd == Cmd::NextField {
                    form.focus.next();
                } else {
                    form.focus.prev();
                }
                self.stage = Stage::Identify(quote, form);
            }
            (Stage::Identify(quote, _), Cmd::Back) => {
                self.id = None;
                self.stage = Stage::Quoted(quote);
            }
            (Stage::Approve(quote, mut form), Cmd::Submit) => {
                if let Some((_, approval)) = form.check() {
                    self.exchange(&quote, Some(approval), ctx);
                }
                self.stage = Stage::Approve(quote, form);
            }
            (Stage::Approve(quote, mut form), Cmd::NextField | Cmd::PrevField) => {
                form.next(cmd == Cmd::NextField);
                self.stage = Stage::Approve(quote, form);
            }
            (Stage::Approve(quote, _), Cmd::Back) => self.stage = Stage::Quoted(quote),
            (Stage::Quoted(_), Cmd::Back) => self.edited(),
            (Stage::Done(_), Cmd::Back) => {
                self.amount.clear();
                self.edited();
            }
            (stage, _) => self.stage = stage,
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.requests.is_waiting(Asked::Exchange) {
            return Flow::Stay;
        }
        match &mut self.stage {
            Stage::Approve(_, form) => {
                form.handle_key(key);
                return Flow::Stay;
            }
            Stage::Identify(_, form) => {
                form.handle_key(key);
                return Flow::Stay;
            }
            _ => {}
        }
        if matches!(self.stage, Stage::Form)
            && self.focus == Focus::Amount
            && self.amount.handle_key(key)
        {
            self.amount.error = None;
            self.edited();
        }
        Flow::Stay
    }

    fn on_reply(&mut self, id: RequestId, body: ReplyBody, _ctx: &mut Ctx) -> Flow {
        let Some(asked) = self.requests.take(id) else {
            return Flow::Stay;
        };
        match (asked, body) {
            (Asked::Currencies, ReplyBody::Currencies(result)) => match result {
                Ok(list) => {
                    self.currencies = list.into_iter().map(|c| c.code).collect();
                    // The base currency paid out, another paid in, to start with.
                    self.gets = self
                        .currencies
                        .iter()
                        .position(|c| *c == Currency::USD)
                        .unwrap_or(0);
                    self.pays = (0..self.currencies.len())
                        .find(|i| *i != self.gets)
                        .unwrap_or(0);
                }
                Err(error) => self.error = Some(describe(&error)),
            },
            (Asked::Quote, ReplyBody::Quote(result)) => match result {
                Ok(quote) => self.stage = Stage::Quoted(quote),
                Err(error) => self.error = Some(describe(&error)),
            },
            (Asked::Exchange, ReplyBody::Exchanged(result)) => match result {
                Ok(done) => {
                    self.key = None;
                    self.stage = Stage::Done(Box::new(done));
                }
                Err(error) => self.refused(error),
            },
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }

    fn is_dirty(&self) -> bool {
        !self.amount.is_empty() && !matches!(self.stage, Stage::Done(_))
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let block = panel(sx::EXCHANGE_PANEL, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [form_area, hint_area, message_area] = Layout::vertical([
            Constraint::Length(3 * field::HEIGHT + 1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        self.render_form(frame, form_area, view);
        frame.render_widget(
            Paragraph::new(Line::styled(sx::EXCHANGE_HINT, theme.hint)).wrap(Wrap { trim: true }),
            hint_area,
        );
        if let Some(error) = &self.error {
            frame.render_widget(
                message_line(crate::tui::theme::ERROR_MARKER, error, theme.error),
                message_area,
            );
        }
        match &self.stage {
            Stage::Form => {}
            Stage::Quoted(quote) => self.render_quote(frame, area, view, quote),
            Stage::Identify(quote, form) => {
                self.render_quote(frame, area, view, quote);
                let lines = vec![
                    amounts_line(theme, quote),
                    Line::styled(sx::EXCHANGE_ID, theme.hint),
                ];
                form.render(
                    frame,
                    area,
                    view,
                    lines,
                    self.requests.is_waiting(Asked::Exchange),
                );
            }
            Stage::Approve(quote, form) => {
                self.render_quote(frame, area, view, quote);
                let sending = self
                    .requests
                    .is_waiting(Asked::Exchange)
                    .then_some(s::SENDING);
                let lines = vec![
                    amounts_line(theme, quote),
                    Line::styled(sx::EXCHANGE_APPROVAL, theme.hint),
                ];
                form.render(frame, area, view, s::APPROVAL_TITLE, lines, sending);
            }
            Stage::Done(done) => render_receipt(frame, area, theme, done),
        }
    }
}

impl ExchangeScreen {
    fn render_form(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let row = |i: u16| Rect {
            y: area.y + i * field::HEIGHT,
            height: 1,
            ..area
        };
        let picker = |label: &str, index: usize, focused: bool| {
            let code = self
                .currency(index)
                .map_or(sx::NO_CURRENCIES.to_string(), |c| {
                    format!("◀ {c} ▶  {}", c.name())
                });
            Line::from(vec![
                Span::styled(
                    format!("{} {label:<14}", if focused { "▶" } else { " " }),
                    theme.label,
                ),
                Span::styled(code, if focused { theme.title } else { theme.base }),
            ])
        };
        let form = matches!(self.stage, Stage::Form);
        frame.render_widget(
            picker(sx::FIELD_PAYS, self.pays, form && self.focus == Focus::Pays),
            row(0),
        );
        let amount_row = Rect {
            y: area.y + field::HEIGHT,
            height: field::HEIGHT,
            ..area
        };
        if let Some(cursor) = self.amount.render(
            frame,
            amount_row,
            form && self.focus == Focus::Amount,
            theme,
        ) {
            frame.set_cursor_position(cursor);
        }
        frame.render_widget(
            picker(sx::FIELD_GETS, self.gets, form && self.focus == Focus::Gets),
            row(2),
        );
        if self.requests.is_waiting(Asked::Quote) {
            frame.render_widget(
                dialog::busy_line(view, s::SENDING),
                Rect {
                    y: area.bottom().saturating_sub(1),
                    height: 1,
                    ..area
                },
            );
        }
    }

    fn render_quote(&self, frame: &mut Frame, area: Rect, view: &View, quote: &QuoteView) {
        let theme = view.theme;
        let inner = dialog::open(frame, area, 60, 9, sx::QUOTE_TITLE, theme);
        let left = quote_seconds_left(quote, view.clock.wall());
        let lines = vec![
            amounts_line(theme, quote),
            Line::raw(format!(
                "1 {} = {} {} ({}), quote {}",
                quote.base,
                quote.rate,
                quote.quote,
                quote.side.as_str(),
                quote.id
            )),
            Line::raw(""),
            if left > 0 {
                Line::styled(format!("Holds {left} s more"), theme.title)
            } else {
                Line::styled(sx::QUOTE_EXPIRED, theme.error)
            },
        ];
        frame.render_widget(Paragraph::new(lines), inner);
        dialog::foot(
            frame,
            inner,
            view,
            self.requests.is_waiting(Asked::Exchange),
            self.error.as_deref(),
            (" exchange   ", " edit"),
        );
    }
}

/// "500.00 EUR in  →  531.91 USD out".
fn amounts_line<'a>(theme: &Theme, quote: &QuoteView) -> Line<'a> {
    Line::from(vec![
        Span::styled(
            format!(
                "{} {}",
                format_money_grouped_in(quote.pays, quote.pay),
                quote.pay
            ),
            theme.title,
        ),
        Span::raw(" in  →  "),
        Span::styled(
            format!(
                "{} {}",
                format_money_grouped_in(quote.gets, quote.get),
                quote.get
            ),
            theme.title,
        ),
        Span::raw(" out"),
    ])
}

fn render_receipt(frame: &mut Frame, area: Rect, theme: &Theme, done: &ExchangeResult) {
    let inner = dialog::open(frame, area, 60, 9, sx::RECEIPT_TITLE, theme);
    let q = &done.quote;
    let lines = vec![
        amounts_line(theme, q),
        Line::raw(format!(
            "at 1 {} = {} {}, quote {}",
            q.base, q.rate, q.quote, q.id
        )),
        Line::raw(format!(
            "references {} and {}",
            done.paid.id, done.received.id
        )),
        if done.drawer_over_limit {
            Line::styled(crate::tui::strings_day::DRAWER_OVER_LIMIT, theme.error)
        } else {
            Line::raw("")
        },
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
