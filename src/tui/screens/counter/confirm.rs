//! The confirmation over the form: who, what, the amount in figures and in words, the memo and
//! the balance before and after. Enter sends it, or asks for a supervisor first.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{operation_label, CounterScreen, Pending, Stage};
use crate::tui::context::{Ctx, Flow, View};
use crate::tui::desk::Operation;
use crate::tui::keys::Cmd;
use crate::tui::screens::{label_span, message_line};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::widgets::money_form::{self, MoneyConfirmation};

impl CounterScreen {
    /// A key while the confirmation is open (none while the operation is being sent).
    pub(super) fn on_confirm_command(&mut self, pending: Pending, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        self.stage = Stage::Confirm(pending);
        if self.is_sending() {
            return Flow::Stay;
        }
        match cmd {
            Cmd::Submit => {
                if let Stage::Confirm(pending) = std::mem::replace(&mut self.stage, Stage::Form) {
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
        Flow::Stay
    }

    pub(super) fn render_confirm(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        pending: &Pending,
    ) {
        let theme = view.theme;
        let transfer = pending.to.is_some();
        // The amount in words wraps instead of being cut off (68 wide dialog, borders,
        // margins and the 16-column label leave 48 columns).
        let words = money_form::amount_words(pending.amount.value(), pending.currency.as_str(), 48);
        let extra = u16::try_from(words.len().saturating_sub(1)).unwrap_or(0);
        let height = if transfer { 15 } else { 14 } + extra;
        let title = match pending.operation {
            Operation::Deposit => s::CONFIRM_DEPOSIT_TITLE,
            Operation::Withdrawal => s::CONFIRM_WITHDRAWAL_TITLE,
            Operation::Transfer => s::CONFIRM_TITLE,
        };
        let inner = dialog::open(frame, area, 68, height, title, theme);
        let amount = pending.amount.value();
        let after = pending.balance_after();
        let mut lines = vec![
            Line::from(vec![
                label_span(s::RECEIPT_CUSTOMER, theme),
                Span::raw(pending.customer.clone()),
            ]),
            Line::from(vec![
                label_span(s::RECEIPT_OPERATION, theme),
                Span::raw(operation_label(pending.operation)),
            ]),
        ];
        match &pending.to {
            Some(to) => {
                lines.push(Line::from(vec![
                    label_span(s::FIELD_FROM, theme),
                    Span::raw(pending.account.grouped()),
                ]));
                let name = money_form::recipient_suffix(pending.recipient.as_deref());
                lines.push(Line::from(vec![
                    label_span(s::FIELD_TO, theme),
                    Span::raw(format!("{}{name}", to.grouped())),
                ]));
            }
            None => lines.push(Line::from(vec![
                label_span(s::FIELD_ACCOUNT, theme),
                Span::raw(pending.account.grouped()),
            ])),
        }
        lines.extend(
            MoneyConfirmation {
                currency: pending.currency.as_str(),
                amount,
                words,
                memo: pending.memo.as_ref(),
                before: pending.balance_before,
                after,
                not_enough: s::COUNTER_NOT_ENOUGH,
            }
            .lines(theme),
        );
        if after.is_sign_negative() {
            // confirm_money_lines said it.
        } else if pending.needs_approval {
            lines.push(message_line(
                theme::INFO_MARKER,
                s::CONFIRM_NEEDS_APPROVAL,
                theme.warning,
            ));
        } else {
            lines.push(Line::default());
        }
        if let (Some(error), false) = (&self.error, self.is_sending()) {
            lines.push(message_line(theme::ERROR_MARKER, error, theme.error));
        } else if self.is_sending() {
            lines.push(dialog::busy_line(view, s::SENDING));
        } else {
            lines.push(Line::default());
        }
        let enter = if pending.needs_approval {
            s::CONFIRM_ENTER_APPROVAL
        } else {
            s::CONFIRM_ENTER_COUNTER
        };
        lines.push(dialog::keys_line(enter, s::CONFIRM_ESC, theme));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
