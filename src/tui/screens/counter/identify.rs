//! Large cash: the bank asked for the customer's identification (the day's cash in or out goes
//! above the line). The ID form over the counter; Enter sends the same operation again, with
//! the same key, the ID and the approval it already had.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::approval::{amount_span, operation_span};
use super::{CounterScreen, Pending, Stage};
use crate::tui::context::{Ctx, Flow, View};
use crate::tui::keys::Cmd;
use crate::tui::strings as s;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::id_form::IdForm;

impl CounterScreen {
    /// A key while the ID form is open; Esc goes back to the form (nothing was done).
    pub(super) fn on_identify_command(
        &mut self,
        mut pending: Pending,
        mut id: Box<IdForm>,
        approval: Option<Box<ApprovalForm>>,
        cmd: Cmd,
        ctx: &mut Ctx,
    ) -> Flow {
        if self.is_sending() {
            self.stage = Stage::Identify(pending, id, approval);
            return Flow::Stay;
        }
        match cmd {
            Cmd::NextField => id.focus.next(),
            Cmd::PrevField => id.focus.prev(),
            Cmd::Submit => {
                if let Some(document) = id.check(ctx.clock.wall().date_naive()) {
                    pending.id = Some(document);
                    self.stage = Stage::Identify(pending.clone(), id, approval.clone());
                    self.send(pending, approval, ctx);
                    return Flow::Stay;
                }
            }
            Cmd::Back => return Flow::Stay,
            _ => {}
        }
        self.stage = Stage::Identify(pending, id, approval);
        Flow::Stay
    }

    pub(super) fn render_identify(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        pending: &Pending,
        id: &IdForm,
    ) {
        let theme = view.theme;
        let lines = vec![
            Line::from(vec![
                operation_span(pending),
                amount_span(pending, theme),
                Span::raw(format!(" · {}", pending.customer)),
            ]),
            Line::styled(s::ID_WHY, theme.hint),
        ];
        id.render(frame, area, view, lines, self.is_sending());
    }
}
