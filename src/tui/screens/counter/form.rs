//! The counter's form: the operation, the customer's account, the receiving account of a
//! transfer, the amount and the memo; checking it as it is typed, and on Enter turning it into
//! a [`Pending`] operation for the confirmation.

use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{operation_label, Asked, CounterScreen, Pending, Stage, Stop};
use crate::domain::{format_money_grouped, IdempotencyKey};
use crate::tui::context::{Ctx, Flow, Route, View};
use crate::tui::desk::{Desk, Operation};
use crate::tui::keys::Cmd;
use crate::tui::screens::{cycle, form_status, money, panel};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::money_form;
use crate::tui::worker::Job;

impl CounterScreen {
    /// A key while the form is shown.
    pub(super) fn on_form_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        match cmd {
            Cmd::NextField | Cmd::PrevField => {
                // The receiving account is a stop only for a transfer.
                let transfer = self.operation == Operation::Transfer;
                self.focus
                    .step_among(cmd == Cmd::NextField, |f| f != Stop::To || transfer);
            }
            Cmd::PrevAccount | Cmd::NextAccount => {
                let forward = cmd == Cmd::NextAccount;
                match self.focus.get() {
                    Stop::Operation => self.cycle_operation(&ctx.data.desk, forward),
                    Stop::Account => self.cycle_account(&ctx.data.desk, forward),
                    _ => {}
                }
            }
            Cmd::Submit => self.submit(ctx),
            Cmd::Back => return Flow::Go(Route::Card),
            _ => {}
        }
        Flow::Stay
    }

    pub(super) fn focused_field(&mut self) -> Option<&mut Field> {
        match self.focus.get() {
            Stop::To => Some(&mut self.to),
            Stop::Amount => Some(&mut self.amount),
            Stop::Memo => Some(&mut self.memo),
            Stop::Operation | Stop::Account => None,
        }
    }

    /// Keeps the account one of the customer's open ones, preferring the card's selection.
    pub(super) fn choose_account(&mut self, desk: &Desk) {
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

    pub(super) fn amount_changed(&mut self, desk: &Desk) {
        let currency = self
            .account
            .as_deref()
            .and_then(|a| desk.find(a))
            .map(|a| a.currency.as_str())
            .unwrap_or_default();
        money_form::amount_typed(&mut self.amount, currency);
    }

    /// Checks the number as it is typed and looks the recipient up once it is valid.
    pub(super) fn number_changed(&mut self, ctx: &mut Ctx) {
        self.recipient = None;
        if let Some(number) = money_form::number_typed(&mut self.to) {
            // Each answer names its number: every lookup is heard.
            self.requests
                .ask_too(ctx, Asked::Recipient, Job::Recipient { number });
        }
    }

    /// Checks the form; when it is good, the confirmation opens.
    pub(super) fn submit(&mut self, ctx: &mut Ctx) {
        if self.is_sending() {
            return;
        }
        self.error = None;
        let desk = &ctx.data.desk;
        let Some(source) = self.account.as_deref().and_then(|a| desk.find(a)).cloned() else {
            self.error = Some(s::COUNTER_NO_ACCOUNT.into());
            self.focus.set(Stop::Account);
            return;
        };
        let mut first_bad: Option<Stop> = None;
        let account = source.number.clone();
        let to = if self.operation == Operation::Transfer {
            let to = money_form::to_checked(&mut self.to, Some(&account));
            if to.is_none() {
                first_bad.get_or_insert(Stop::To);
            }
            to
        } else {
            None
        };
        let amount = money_form::amount_checked(&mut self.amount);
        if amount.is_none() {
            first_bad.get_or_insert(Stop::Amount);
        }
        let memo = money_form::memo_checked(&mut self.memo);
        if memo.is_none() {
            first_bad.get_or_insert(Stop::Memo);
        }
        if let Some(bad) = first_bad {
            self.focus.set(bad);
            return;
        }
        let (Some(amount), Some(memo)) = (amount, memo) else {
            return;
        };
        let recipient = match (&to, &self.recipient) {
            (Some(to), Some((number, name))) if number == to => Some(name.clone()),
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
            id: None,
        });
    }

    pub(super) fn render_form(&self, frame: &mut Frame, area: Rect, view: &View, active: bool) {
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
            |area: Rect, label: &'static str, value: String, hint: &str, stop: Stop| {
                let focused = active && self.focus.is(stop);
                picker_row(frame, area, view, label, value, focused.then_some(hint));
            };
        picker(
            op_area,
            s::FIELD_OPERATION,
            operation_label(self.operation).to_string(),
            s::OPERATION_HINT,
            Stop::Operation,
        );
        let source = self.account.as_deref().and_then(|a| desk.find(a));
        let account = match source {
            Some(a) => format!(
                "{}  {}  {}",
                a.number.grouped(),
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
            Stop::Account,
        );
        let mut cursors = vec![];
        if transfer {
            cursors.push(
                self.to
                    .render(frame, to_area, active && self.focus.is(Stop::To), theme),
            );
        }
        cursors.push(self.amount.render(
            frame,
            amount_area,
            active && self.focus.is(Stop::Amount),
            theme,
        ));
        cursors.push(self.memo.render(
            frame,
            memo_area,
            active && self.focus.is(Stop::Memo),
            theme,
        ));
        if let Some(position) = cursors.into_iter().flatten().next() {
            frame.set_cursor_position(position);
        }
        frame.render_widget(drawer_line(desk, view), drawer_area);
        let busy = self.is_sending().then_some(s::SENDING);
        let idle = Line::styled(s::COUNTER_FORM_HINT, theme.hint);
        let line = form_status(self.error.as_deref(), busy, view, idle);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
    }
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
