//! Drawing the transfer screen: the form, the confirmation over it, the result.

use super::{quote_seconds_left, Pending, Stage, Stop, TransferScreen};
use crate::domain::format_money_grouped_in;
use crate::services::{MoneyResult, QuoteView};
use crate::tui::context::View;
use crate::tui::screens::{form_status, label_span, message_line, money, panel};
use crate::tui::strings as s;
use crate::tui::strings_fx as sx;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::{self};
use crate::tui::widgets::money_form::{self, MoneyConfirmation};
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

impl TransferScreen {
    pub(super) fn render_form(&self, frame: &mut Frame, area: Rect, view: &View, active: bool) {
        let theme = view.theme;
        let block = panel(s::TRANSFER_PANEL, theme);
        let inner = block.inner(area).inner(Margin::new(1, 1));
        frame.render_widget(block, area);
        let [from_area, to_area, amount_area, memo_area, _, message] = Layout::vertical([
            Constraint::Length(field::HEIGHT),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(inner);

        // The source account picker, drawn like a field.
        let focused = active && self.focus.is(Stop::From);
        let (marker, label_style) = if focused {
            (theme::FOCUS_MARKER, theme.label_focused)
        } else {
            (theme::NO_MARKER, theme.label)
        };
        let width = usize::from(field::LABEL_WIDTH) - marker.chars().count();
        let source = self.from.as_deref().and_then(|f| view.data.find(f));
        let picked = match source {
            Some(a) => format!(
                "◀ {}  {}  {} ▶",
                a.number.grouped(),
                a.currency,
                money(a.balance)
            ),
            None if view.data.loaded => s::NO_SOURCE_ACCOUNT.to_string(),
            None => s::LOADING.to_string(),
        };
        let value_style = if focused {
            theme.input_focused
        } else {
            theme.base
        };
        frame.render_widget(
            Line::from(vec![
                Span::styled(format!("{marker}{:<width$}", s::FIELD_FROM), label_style),
                Span::styled("[", label_style),
                Span::styled(picked, value_style),
                Span::styled("]", label_style),
            ]),
            Rect {
                height: 1,
                ..from_area
            },
        );
        if focused && view.data.open_accounts().count() > 1 {
            frame.render_widget(
                Span::styled(s::FROM_HINT, theme.hint),
                Rect {
                    x: from_area.x + field::LABEL_WIDTH + 1,
                    y: from_area.y + 1,
                    width: from_area.width.saturating_sub(field::LABEL_WIDTH + 1),
                    height: 1,
                },
            );
        }

        let cursors = [
            self.to
                .render(frame, to_area, active && self.focus.is(Stop::To), theme),
            self.amount.render(
                frame,
                amount_area,
                active && self.focus.is(Stop::Amount),
                theme,
            ),
            self.memo
                .render(frame, memo_area, active && self.focus.is(Stop::Memo), theme),
        ];
        if let Some(position) = cursors.into_iter().flatten().next() {
            frame.set_cursor_position(position);
        }
        let busy = if self.is_quoting() {
            Some(sx::TRANSFER_QUOTING)
        } else {
            self.is_sending().then_some(s::TRANSFER_SENDING)
        };
        let line = form_status(
            self.error.as_deref(),
            busy,
            view,
            Line::styled(s::TRANSFER_FORM_HINT, theme.hint),
        );
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
    }

    pub(super) fn render_confirm(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        pending: &Pending,
    ) {
        let theme = view.theme;
        let request = &pending.request;
        let amount = request.amount.value();
        // The amount in words is never cut off: it wraps under the figures (66 wide dialog,
        // borders, margins and the 16-column label leave 46 columns).
        let words = money_form::amount_words(amount, pending.currency.as_str(), 46);
        let quote_rows = if pending.quote.is_some() { 2 } else { 0 };
        let height = 11 + quote_rows + u16::try_from(words.len()).unwrap_or(1);
        let inner = dialog::open(frame, area, 66, height, s::CONFIRM_TITLE, theme);
        let after = pending.balance_before - amount;
        let recipient = money_form::recipient_suffix(pending.recipient.as_deref());
        let mut lines = vec![
            Line::from(vec![
                label_span(s::FIELD_FROM, theme),
                Span::raw(request.from.grouped()),
            ]),
            Line::from(vec![
                label_span(s::FIELD_TO, theme),
                Span::raw(format!("{}{recipient}", request.to.grouped())),
            ]),
        ];
        lines.extend(
            MoneyConfirmation {
                currency: pending.currency.as_str(),
                amount,
                words,
                memo: request.memo.as_ref(),
                before: pending.balance_before,
                after,
                not_enough: s::CONFIRM_NOT_ENOUGH,
            }
            .lines(theme),
        );
        if let Some(quote) = &pending.quote {
            lines.extend(quote_lines(quote, view));
        }
        if !after.is_sign_negative() {
            lines.push(Line::default());
        }
        lines.push(Line::default());
        if matches!(self.stage, Stage::Sending(_)) {
            lines.push(dialog::busy_line(view, s::TRANSFER_SENDING));
        } else {
            lines.push(dialog::keys_line(s::CONFIRM_ENTER, s::CONFIRM_ESC, theme));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    pub(super) fn render_done(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        result: &MoneyResult,
        pending: &Pending,
    ) {
        let theme = view.theme;
        let block = panel(s::TRANSFER_PANEL, theme);
        let inner = block.inner(area).inner(Margin::new(1, 1));
        frame.render_widget(block, area);
        let from = &pending.request.from;
        let new_balance = result
            .balances
            .iter()
            .find(|(n, _)| n == from)
            .map(|(_, b)| money(*b))
            .unwrap_or_default();
        let recipient = money_form::recipient_suffix(pending.recipient.as_deref());
        let heading = if result.replayed {
            s::TRANSFER_REPLAYED
        } else {
            s::TRANSFER_DONE
        };
        let mut lines = vec![
            message_line(theme::OK_MARKER, heading, theme.success),
            Line::default(),
            Line::from(vec![
                label_span(s::REFERENCE, theme),
                Span::styled(format!("#{}", result.id), theme.title),
            ]),
            Line::from(vec![
                label_span(s::FIELD_AMOUNT, theme),
                Span::raw(format!("{} {}", result.currency, money(result.amount))),
            ]),
            Line::from(vec![
                label_span(s::FIELD_FROM, theme),
                Span::raw(pending.request.from.grouped()),
            ]),
            Line::from(vec![
                label_span(s::FIELD_TO, theme),
                Span::raw(format!("{}{recipient}", pending.request.to.grouped())),
            ]),
            Line::from(vec![
                label_span(s::NEW_BALANCE, theme),
                Span::styled(new_balance, theme.title),
            ]),
            Line::from(vec![
                label_span(s::TIME, theme),
                Span::raw(crate::tui::screens::when(view, result.at)),
            ]),
        ];
        if let Some(q) = &pending.quote {
            lines.insert(
                4,
                Line::from(vec![
                    label_span(sx::FIELD_THEY_GOT, theme),
                    Span::raw(format!(
                        "{} {}  at 1 {} = {} {}",
                        q.get,
                        format_money_grouped_in(q.gets, q.get),
                        q.base,
                        q.rate,
                        q.quote
                    )),
                ]),
            );
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// What the recipient gets at the quote, the rate, and how long the quote holds.
fn quote_lines<'a>(quote: &QuoteView, view: &View) -> [Line<'a>; 2] {
    let theme = view.theme;
    let left = quote_seconds_left(quote, view.clock.wall());
    let holds = if left > 0 {
        Span::styled(format!("  holds {left} s"), theme.hint)
    } else {
        Span::styled(format!("  {}", sx::QUOTE_RENEW), theme.error)
    };
    [
        Line::from(vec![
            label_span(sx::FIELD_THEY_GET, theme),
            Span::styled(
                format!(
                    "{} {}",
                    quote.get,
                    format_money_grouped_in(quote.gets, quote.get)
                ),
                theme.title,
            ),
        ]),
        Line::from(vec![
            label_span(sx::FIELD_RATE, theme),
            Span::raw(format!("1 {} = {} {}", quote.base, quote.rate, quote.quote)),
            holds,
        ]),
    ]
}
