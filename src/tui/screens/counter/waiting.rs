//! Approvals that travel, at the counter: instead of a supervisor typing their password here,
//! the teller sends the operation to the supervisors (Ctrl-S in the approval dialog). The
//! screen shows the request waiting, never blocked; it goes on by itself once a supervisor
//! approves it, and Esc withdraws it.

use std::time::{Duration, Instant};

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::Frame;

use super::approval::operation_line;
use super::{Asked, CounterScreen, Pending, Stage};
use crate::services::{Approval, ApprovalRequestView, BankError, RequestStatus};
use crate::tui::context::{describe, Ctx, Flow, View};
use crate::tui::keys::Cmd;
use crate::tui::strings as s;
use crate::tui::strings_approvals as sa;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::dialog;
use crate::tui::worker::Job;

/// How often a waiting request is looked at.
const POLL: Duration = Duration::from_secs(1);

/// A request on its way to the supervisors, or waiting there.
#[derive(Debug, Clone, Default)]
pub struct Waiting {
    /// Known once the bank stored the request.
    pub id: Option<i64>,
    last_poll: Option<Instant>,
}

impl CounterScreen {
    /// Ctrl-S in the approval dialog: the operation goes to the supervisors.
    pub(super) fn send_for_approval(&mut self, pending: Pending, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let Some(operation) = Self::operation_of(&pending) else {
            return;
        };
        self.requests.ask(
            ctx,
            Asked::SendRequest,
            Job::RequestApproval { actor, operation },
        );
        self.stage = Stage::Waiting(pending, Waiting::default());
    }

    /// A key while the request waits: only Esc, which withdraws it.
    pub(super) fn on_waiting_command(
        &mut self,
        pending: Pending,
        waiting: Waiting,
        cmd: Cmd,
        ctx: &mut Ctx,
    ) -> Flow {
        let id = waiting.id;
        match (cmd, id) {
            (Cmd::Back, Some(id)) if !self.is_sending() => {
                if let Some(actor) = ctx.actor() {
                    self.requests
                        .ask(ctx, Asked::Withdraw, Job::WithdrawApproval { actor, id });
                }
                self.requests.forget(Asked::RequestStatus);
                self.stage = Stage::Form;
            }
            _ => self.stage = Stage::Waiting(pending, waiting),
        }
        Flow::Stay
    }

    /// Looks at the request now and then while it waits.
    pub(super) fn poll_request(&mut self, ctx: &mut Ctx) {
        let Stage::Waiting(_, waiting) = &mut self.stage else {
            return;
        };
        let Some(id) = waiting.id else { return };
        let now = ctx.clock.now();
        if self.requests.is_waiting(Asked::RequestStatus)
            || self.requests.is_waiting(Asked::Money)
            || waiting
                .last_poll
                .is_some_and(|at| now.saturating_duration_since(at) < POLL)
        {
            return;
        }
        waiting.last_poll = Some(now);
        if let Some(actor) = ctx.actor() {
            self.requests
                .ask(ctx, Asked::RequestStatus, Job::ApprovalStatus { actor, id });
        }
    }

    /// The bank's answer about the request: stored, still waiting, approved or not.
    pub(super) fn on_request(
        &mut self,
        asked: Asked,
        result: Result<ApprovalRequestView, BankError>,
        ctx: &mut Ctx,
    ) {
        let stage = std::mem::replace(&mut self.stage, Stage::Form);
        let Stage::Waiting(mut pending, mut waiting) = stage else {
            self.stage = stage;
            return;
        };
        let view = match result {
            Ok(view) => view,
            Err(error) => {
                // The request could not be sent or read: back to the approval dialog.
                let mut form = Box::<ApprovalForm>::default();
                form.error = Some(describe(&error));
                self.stage = Stage::Approve(pending, form);
                return;
            }
        };
        if asked == Asked::SendRequest {
            waiting.id = Some(view.id);
        }
        match view.status {
            RequestStatus::Pending => self.stage = Stage::Waiting(pending, waiting),
            RequestStatus::Approved | RequestStatus::Used(_) => {
                pending.approved_by = view.decided_by.clone();
                self.stage = Stage::Waiting(pending.clone(), waiting);
                self.dispatch(pending, Some(Approval::Request(view.id)), ctx);
            }
            RequestStatus::Rejected { reason } => {
                let mut form = Box::<ApprovalForm>::default();
                form.error = Some(format!(
                    "{}{}",
                    sa::REQUEST_REJECTED,
                    reason.unwrap_or_default()
                ));
                self.stage = Stage::Approve(pending, form);
            }
            RequestStatus::Withdrawn | RequestStatus::Expired => {
                let mut form = Box::<ApprovalForm>::default();
                form.error = Some(sa::REQUEST_EXPIRED.into());
                self.stage = Stage::Approve(pending, form);
            }
        }
    }

    pub(super) fn render_waiting(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        pending: &Pending,
        waiting: &Waiting,
    ) {
        let theme = view.theme;
        let inner = dialog::open(frame, area, 66, 8, sa::WAITING_TITLE, theme);
        let status = match waiting.id {
            Some(id) if self.is_sending() => format!("{}#{id} · {}", sa::WAITING_SENT, s::SENDING),
            Some(id) => format!("{}#{id}", sa::WAITING_SENT),
            None => sa::WAITING_SENDING.to_string(),
        };
        let lines = vec![
            operation_line(pending, theme),
            Line::raw(""),
            dialog::busy_line(view, &status).clone(),
            Line::raw(""),
            Line::styled(sa::WAITING_HINT, theme.hint),
        ];
        frame.render_widget(
            ratatui::widgets::Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
    }
}
