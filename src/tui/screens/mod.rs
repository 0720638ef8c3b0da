//! One file per screen. A screen owns its state (what was typed survives navigation), answers
//! keys as commands from its bindings, asks the worker for data through its
//! [`Requests`](super::widgets::requests::Requests) (an enum of what it asked, by request id), and
//! draws itself from a [`View`]. A new screen implements [`Screen`] and has its line in
//! `every_screen!` (`tui/route.rs`), which gives it its route, its tab and its place in the app.

/// A screen's `on_reply`: the answer to a request it is waiting for goes to `$method` (an
/// inherent `fn(&mut self, Asked, ReplyBody, &mut Ctx) -> Flow`) with what it asked; an answer
/// it no longer waits for (superseded, forgotten) is dropped. The screen keeps its requests in
/// `self.requests`.
macro_rules! on_reply_by {
    ($method:ident) => {
        fn on_reply(
            &mut self,
            id: crate::tui::worker::RequestId,
            body: crate::tui::worker::ReplyBody,
            ctx: &mut crate::tui::context::Ctx,
        ) -> crate::tui::context::Flow {
            match self.requests.take(id) {
                Some(asked) => self.$method(asked, body, ctx),
                None => crate::tui::context::Flow::Stay,
            }
        }
    };
}

pub mod approvals;
pub mod card;
pub mod counter;
pub mod customers;
pub mod drawer;
pub mod exchange;
pub mod help;
pub mod history;
pub mod home;
pub mod lock;
pub mod login;
pub mod palette;
pub mod profile;
pub mod quit;
pub mod rates;
pub mod register;
pub mod too_small;
pub mod transfer;
pub mod vault;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use rust_decimal::Decimal;

use super::context::{describe_export, Ctx, Flow, Notice, View};
use super::keys::{Binding, Cmd};
use super::worker::{Job, ReplyBody, RequestId};
use crate::domain::{format_money_grouped, AccountNumber};
use crate::services::{AccountStatus, HistoryEntry, MovementKind, Party};

use super::strings as s;
use super::theme::Theme;

/// The contract every screen keeps.
pub trait Screen {
    /// The bindings in force now (they may depend on the screen's mode).
    fn bindings(&self) -> &'static [Binding];

    /// True while a text field has the focus: plain letters are typed, not commands.
    fn typing(&self) -> bool {
        false
    }

    /// The screen is shown (again).
    fn on_enter(&mut self, _ctx: &mut Ctx) {}

    /// The account list changed.
    fn on_accounts(&mut self, _ctx: &mut Ctx) {}

    /// Time passes while the screen is shown (debounced searches wait for it).
    fn on_tick(&mut self, _ctx: &mut Ctx) {}

    /// A key bound to a command in this screen's bindings.
    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow;

    /// Any other key (text fields take it).
    fn on_input(&mut self, _key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        Flow::Stay
    }

    /// The worker's answer to a request this screen made.
    fn on_reply(&mut self, id: RequestId, body: ReplyBody, _ctx: &mut Ctx) -> Flow {
        tracing::warn!(
            id,
            answer = body.name(),
            "answer to a screen that asks for nothing, ignored"
        );
        Flow::Stay
    }

    /// How far a long job this screen asked for has got (`done` of `total`).
    fn on_progress(&mut self, _id: RequestId, _done: u64, _total: u64) {}

    /// A left click at this cell of the terminal (the screen knows where it drew what).
    fn on_click(&mut self, _column: u16, _row: u16, _ctx: &mut Ctx) -> Flow {
        Flow::Stay
    }

    /// Holds input that quitting would lose.
    fn is_dirty(&self) -> bool {
        false
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View);
}

/// The request for this month's statement of `number`, as a PDF in the export folder.
pub fn statement_job(ctx: &Ctx, account: &AccountNumber) -> Option<Job> {
    let actor = ctx.actor()?;
    let account = account.clone();
    let month = crate::domain::Month::of(ctx.clock.wall().date_naive());
    let path = ctx
        .config
        .export_dir
        .join(format!("statement-{}-{month}.pdf", account.as_str()));
    Some(Job::Statement {
        actor,
        account,
        month,
        path,
    })
}

/// Tells where the statement went, or why it did not.
pub fn statement_written(body: ReplyBody, ctx: &mut Ctx) {
    match body {
        ReplyBody::StatementWritten(Ok(path)) => ctx.notify(Notice::Success(format!(
            "{}{}",
            s::STATEMENT_WRITTEN,
            path.display()
        ))),
        ReplyBody::StatementWritten(Err(error)) => {
            ctx.notify(Notice::Error(describe_export(&error)));
        }
        other => tracing::warn!(answer = other.name(), "not a statement, ignored"),
    }
}

/// A bordered panel with a bold title.
pub fn panel<'a>(title: impl Into<String>, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Plain)
        .border_style(theme.border)
        .title(Span::styled(format!(" {} ", title.into()), theme.title))
}

/// What the card and the counter show before a customer is chosen: a hint in the screen's
/// panel.
pub fn no_customer(frame: &mut Frame, area: Rect, title: &'static str, theme: &Theme) {
    frame.render_widget(
        Paragraph::new(Line::styled(s::NO_CUSTOMER, theme.hint))
            .block(panel(title, theme))
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// "1234 5678 90" for a valid number, the raw text otherwise.
pub fn grouped(number: &str) -> String {
    AccountNumber::parse(number).map_or_else(|_| number.to_string(), |n| n.grouped())
}

pub fn money(amount: Decimal) -> String {
    format_money_grouped(amount)
}

/// How wide the label column of a figures list is (confirmations, receipts, the profile).
pub const LABEL_WIDTH: usize = 16;

/// A label padded to the label column, in the label style.
pub fn label_span<'a>(text: &str, theme: &Theme) -> Span<'a> {
    Span::styled(format!("{text:<LABEL_WIDTH$}"), theme.label)
}

/// A right-aligned money cell.
pub fn money_line<'a>(amount: Decimal, style: Style) -> Line<'a> {
    Line::styled(money(amount), style).right_aligned()
}

pub fn status_label(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Open => s::STATUS_OPEN,
        AccountStatus::Frozen => s::STATUS_FROZEN,
        AccountStatus::Closed => s::STATUS_CLOSED,
    }
}

/// What a movement was, from the account's side.
pub fn kind_label(kind: MovementKind, amount: Decimal) -> &'static str {
    match kind {
        MovementKind::Deposit => s::KIND_DEPOSIT,
        MovementKind::Withdrawal => s::KIND_WITHDRAWAL,
        MovementKind::Transfer if amount.is_sign_negative() => s::KIND_TRANSFER_OUT,
        MovementKind::Transfer => s::KIND_TRANSFER_IN,
        MovementKind::Reversal => s::KIND_REVERSAL,
        MovementKind::OverShort => s::KIND_OVER_SHORT,
        MovementKind::Float => s::KIND_FLOAT,
        MovementKind::TopUp => s::KIND_TOP_UP,
        MovementKind::CashDrop => s::KIND_CASH_DROP,
        MovementKind::CashReturn => s::KIND_CASH_RETURN,
        MovementKind::Exchange => s::KIND_EXCHANGE,
    }
}

pub fn party_label(party: &Party) -> String {
    match party {
        Party::Account(number) => number.grouped(),
        Party::Cash => s::PARTY_CASH.to_string(),
        Party::Exchange => s::PARTY_EXCHANGE.to_string(),
    }
}

/// The date and time of a movement in local time.
pub fn when(view: &View, at: chrono::DateTime<chrono::Utc>) -> String {
    view.clock.local(at).format(s::DATE_TIME_FORMAT).to_string()
}

/// A table of movements (date, kind, counterparty, amount, balance after), shared by every
/// screen that lists an account's movements.
pub fn movements_table<'a>(entries: &[HistoryEntry], view: &View) -> Table<'a> {
    let theme = view.theme;
    let header = Row::new([
        Line::raw(s::COL_DATE),
        Line::raw(s::COL_KIND),
        Line::raw(s::COL_COUNTERPARTY),
        Line::raw(s::COL_AMOUNT).right_aligned(),
        Line::raw(s::COL_BALANCE_AFTER).right_aligned(),
    ])
    .style(theme.table_header);
    let rows: Vec<Row<'a>> = entries
        .iter()
        .map(|e| {
            Row::new([
                Line::raw(when(view, e.at)),
                Line::raw(kind_label(e.kind, e.amount)),
                Line::raw(party_label(&e.counterparty)),
                money_line(e.amount, theme.base),
                money_line(e.balance_after, theme.base),
            ])
        })
        .collect();
    Table::new(rows, movement_widths())
        .header(header)
        .column_spacing(1)
}

/// Column widths of a movements table: date, kind, counterparty, amount, balance after.
fn movement_widths() -> [Constraint; 5] {
    [
        Constraint::Length(16),
        Constraint::Length(12),
        Constraint::Length(12),
        Constraint::Length(15),
        Constraint::Length(15),
    ]
}

/// The line under a form: its error if any, else a spinner with `busy` while the worker is on
/// it, else `idle`.
pub fn form_status<'a>(
    error: Option<&'a str>,
    busy: Option<&'a str>,
    view: &View,
    idle: Line<'a>,
) -> Line<'a> {
    let theme = view.theme;
    match (error, busy) {
        (Some(error), _) => message_line(super::theme::ERROR_MARKER, error, theme.error),
        (None, Some(busy)) => Line::from(vec![
            Span::raw(format!("{} ", view.spinner)),
            Span::styled(busy, theme.hint),
        ]),
        (None, None) => idle,
    }
}

/// What a list shows while it has no rows: `none` once it was read, "Loading…" before.
pub fn empty_list(frame: &mut Frame, area: Rect, loaded: bool, none: &str, theme: &Theme) {
    let text = if loaded { none } else { s::LOADING };
    frame.render_widget(
        Paragraph::new(Line::styled(text, theme.hint)).wrap(Wrap { trim: true }),
        area,
    );
}

/// The style of row `i` of a list whose row `selected` is chosen.
pub fn row_style(i: usize, selected: usize, theme: &Theme) -> Style {
    if i == selected {
        theme.selected
    } else {
        theme.base
    }
}

/// A one-line message with its marker: "✗ …", "✓ …".
pub fn message_line<'a>(marker: &'a str, text: &'a str, style: Style) -> Line<'a> {
    Line::from(vec![Span::styled(marker, style), Span::styled(text, style)])
}

/// The index after moving `delta` steps in a list of `len`, clamped to its ends.
pub fn step(index: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    index.saturating_add_signed(delta).min(len - 1)
}

/// Moves a focus index forward or back, wrapping around.
pub fn cycle(index: usize, forward: bool, len: usize) -> usize {
    if len == 0 {
        0
    } else if forward {
        (index + 1) % len
    } else {
        (index + len - 1) % len
    }
}

/// Splits text into lines of at most `width` characters at spaces (a longer word stands alone).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod wrap_tests {
    use super::wrap_words;

    #[test]
    fn words_wrap_at_spaces_within_the_width() {
        let text = "one thousand two hundred fifty dollars and fifty cents";
        let lines = wrap_words(text, 46);
        assert_eq!(
            lines,
            ["one thousand two hundred fifty dollars and", "fifty cents"]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 46));
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap_words("", 10), [""]);
    }
}
