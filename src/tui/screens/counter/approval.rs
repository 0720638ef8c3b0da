//! The supervisor's approval of an operation above the limit (or one the bank said needs it):
//! the four-eyes dialog over the form, saying what is approved and why.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::{operation_label, CounterScreen, Pending, Stage};
use crate::domain::format_money_grouped;
use crate::tui::context::{Ctx, Flow, View};
use crate::tui::keys::Cmd;
use crate::tui::screens::money;
use crate::tui::strings as s;
use crate::tui::widgets::approval::ApprovalForm;

impl CounterScreen {
    /// A key while the approval is open; Esc goes back to the form.
    pub(super) fn on_approve_command(
        &mut self,
        pending: Pending,
        mut form: Box<ApprovalForm>,
        cmd: Cmd,
        ctx: &mut Ctx,
    ) -> Flow {
        if self.is_sending() {
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
            Cmd::SendForApproval => {
                self.send_for_approval(pending, ctx);
                return Flow::Stay;
            }
            _ => {}
        }
        self.stage = Stage::Approve(pending, form);
        Flow::Stay
    }

    pub(super) fn render_approval(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        pending: &Pending,
        form: &ApprovalForm,
    ) {
        let theme = view.theme;
        let desk = &view.data.desk;
        let lines = vec![
            operation_line(pending, theme),
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
        let sending = self.is_sending().then_some(s::SENDING);
        form.render(frame, area, view, s::APPROVAL_TITLE, lines, sending);
    }
}

/// "Cash withdrawal USD 12,000.00 · account 1000 0012 37": what a dialog asks about.
pub(super) fn operation_line(pending: &Pending, theme: &crate::tui::theme::Theme) -> Line<'static> {
    Line::from(vec![
        operation_span(pending),
        amount_span(pending, theme),
        Span::raw(format!(
            "{}{}",
            s::APPROVAL_FROM_ACCOUNT,
            pending.account.grouped()
        )),
    ])
}

/// "Cash withdrawal " as the first words of a dialog about the operation.
pub(super) fn operation_span(pending: &Pending) -> Span<'static> {
    Span::raw(format!("{} ", operation_label(pending.operation)))
}

/// "USD 12,000.00", in the title style.
pub(super) fn amount_span(pending: &Pending, theme: &crate::tui::theme::Theme) -> Span<'static> {
    Span::styled(
        format!("{} {}", pending.currency, money(pending.amount.value())),
        theme.title,
    )
}
