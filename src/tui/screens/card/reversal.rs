//! Reversing one of today's movements: the teller picks it in the movements panel, types a
//! reason, and a supervisor approves.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::{Acting, CardScreen, Dialog, Pane};
use crate::services::{Actor, HistoryEntry, MovementKind};
use crate::tui::context::{Ctx, Notice, View};
use crate::tui::keys::Cmd;
use crate::tui::screens::{kind_label, money, party_label, when};
use crate::tui::strings as s;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::worker::Job;

impl CardScreen {
    /// Opens the dialog for the selected movement (the first press moves to the movements).
    pub(super) fn reverse(&mut self, ctx: &mut Ctx) {
        if self.pane != Pane::Movements {
            self.pane = Pane::Movements;
            ctx.notify(Notice::Info(s::PICK_MOVEMENT.into()));
            return;
        }
        let Some(entry) = self.movements.get(self.movement_selected) else {
            ctx.notify(Notice::Error(s::NO_MOVEMENT_SELECTED.into()));
            return;
        };
        if !matches!(
            entry.kind,
            MovementKind::Deposit | MovementKind::Withdrawal | MovementKind::Transfer
        ) {
            ctx.notify(Notice::Error(s::NOT_REVERSIBLE_KIND.into()));
            return;
        }
        self.dialog = Some(Dialog::Reverse {
            entry: entry.clone(),
            form: ApprovalForm::with_reason(),
        });
    }

    /// A key while the reversal dialog is open.
    pub(super) fn on_reverse_command(&mut self, cmd: Cmd, actor: Actor, ctx: &mut Ctx) {
        let Some(Dialog::Reverse { entry, form }) = self.dialog.as_mut() else {
            return;
        };
        match cmd {
            Cmd::NextField => form.next(true),
            Cmd::PrevField => form.next(false),
            Cmd::Submit => {
                if let Some((Some(reason), approval)) = form.check() {
                    let job = Job::Reverse {
                        actor,
                        reference: entry.id,
                        reason,
                        approval: Some(approval),
                    };
                    self.act(job, Acting::Reverse, ctx);
                }
            }
            Cmd::Back => self.dialog = None,
            _ => {}
        }
    }

    pub(super) fn render_reverse(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        entry: &HistoryEntry,
        form: &ApprovalForm,
    ) {
        let lines = reversal_lines(entry, view);
        let sending = self.is_acting().then_some(s::SENDING);
        form.render(frame, area, view, s::REVERSAL_TITLE, lines, sending);
    }
}

/// What a reversal dialog says about the movement.
fn reversal_lines<'a>(entry: &HistoryEntry, view: &View) -> Vec<Line<'a>> {
    let theme = view.theme;
    vec![
        Line::from(vec![
            Span::raw(s::REVERSE_MOVEMENT),
            Span::styled(format!("#{}", entry.id), theme.title),
            Span::raw(format!(
                " · {} · {} {} · {}",
                kind_label(entry.kind, entry.amount),
                entry.currency,
                money(entry.amount),
                when(view, entry.at)
            )),
        ]),
        Line::raw(format!(
            "{}{}",
            s::COUNTERPARTY_PREFIX,
            party_label(&entry.counterparty)
        )),
        Line::styled(s::REVERSAL_EXPLAINED, theme.hint),
    ]
}
