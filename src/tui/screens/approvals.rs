//! The supervisors' approval requests (F9): every operation a teller sent, in full (kind,
//! amount, accounts, customer, teller and device, when it expires), refreshed by itself; the
//! supervisor approves or rejects the selected one with their own password.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};
use ratatui::Frame;

use super::{empty_list, message_line, money, panel, row_style, Screen};
use crate::domain::{Reason, Role, Secret};
use crate::services::{ApprovalRequestView, Decision};
use crate::tui::context::{describe, Ctx, Flow, Notice, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::strings_approvals as sa;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody, RequestId};

/// How often the list is read again while it is shown.
const REFRESH: Duration = Duration::from_secs(2);

/// Deciding the selected request.
#[derive(Debug, Clone)]
struct Deciding {
    id: i64,
    approve: bool,
    password: Field,
    reason: Field,
    /// The reason box has the focus (rejections only).
    on_reason: bool,
    error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ApprovalsScreen {
    list: Vec<ApprovalRequestView>,
    selected: usize,
    loaded: bool,
    deciding: Option<Deciding>,
    error: Option<String>,
    last_load: Option<Instant>,
    requests: Requests<Asked>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    List,
    Decide,
}

impl ApprovalsScreen {
    fn load(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        if ctx.session.as_ref().map(|s| s.user.role) != Some(Role::Admin) {
            self.error = Some(sa::APPROVALS_SUPERVISORS_ONLY.into());
            return;
        }
        self.last_load = Some(ctx.clock.now());
        self.requests
            .ask_too(ctx, Asked::List, Job::PendingApprovals { actor });
    }

    fn decide(&mut self, approve: bool) {
        let Some(request) = self.list.get(self.selected) else {
            return;
        };
        self.deciding = Some(Deciding {
            id: request.id,
            approve,
            password: Field::masked(sa::FIELD_YOUR_PASSWORD),
            reason: Field::new(sa::FIELD_REASON),
            on_reason: false,
            error: None,
        });
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let Some(deciding) = self.deciding.as_mut() else {
            return;
        };
        let decision = if deciding.approve {
            Decision::Approve
        } else {
            match Reason::parse(deciding.reason.value()) {
                Ok(reason) => Decision::Reject(reason),
                Err(e) => {
                    deciding.reason.error = Some(e.rule);
                    deciding.on_reason = true;
                    return;
                }
            }
        };
        if deciding.password.is_empty() {
            deciding.password.error = Some(sa::PASSWORD_NEEDED.into());
            deciding.on_reason = false;
            return;
        }
        let job = Job::DecideApproval {
            actor,
            id: deciding.id,
            password: Secret::new(deciding.password.value().to_string()),
            decision,
        };
        self.requests.ask(ctx, Asked::Decide, job);
    }
}

impl Screen for ApprovalsScreen {
    fn bindings(&self) -> &'static [Binding] {
        if self.deciding.is_some() {
            keys::APPROVAL_DECIDE
        } else {
            keys::APPROVALS
        }
    }

    fn typing(&self) -> bool {
        self.deciding.is_some()
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        self.load(ctx);
    }

    fn on_tick(&mut self, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let due = self
            .last_load
            .is_none_or(|at| now.saturating_duration_since(at) >= REFRESH);
        if due && self.deciding.is_none() && !self.requests.is_waiting(Asked::List) {
            self.load(ctx);
        }
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        let sending = self.requests.is_waiting(Asked::Decide);
        if let Some(deciding) = self.deciding.as_mut() {
            match cmd {
                Cmd::Submit if !sending => self.submit(ctx),
                Cmd::NextField | Cmd::PrevField if !deciding.approve => {
                    deciding.on_reason = !deciding.on_reason;
                }
                Cmd::Back if !sending => self.deciding = None,
                _ => {}
            }
            return Flow::Stay;
        }
        match cmd {
            Cmd::Up => self.selected = self.selected.saturating_sub(1),
            Cmd::Down => {
                self.selected = (self.selected + 1).min(self.list.len().saturating_sub(1));
            }
            Cmd::Approve => self.decide(true),
            Cmd::Reject => self.decide(false),
            Cmd::Refresh => {
                self.error = None;
                self.load(ctx);
            }
            _ => {}
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.requests.is_waiting(Asked::Decide) {
            return Flow::Stay;
        }
        if let Some(deciding) = self.deciding.as_mut() {
            let field = if deciding.on_reason {
                &mut deciding.reason
            } else {
                &mut deciding.password
            };
            if field.handle_key(key) {
                deciding.error = None;
            }
        }
        Flow::Stay
    }

    fn on_reply(&mut self, id: RequestId, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        let Some(asked) = self.requests.take(id) else {
            return Flow::Stay;
        };
        match (asked, body) {
            (Asked::List, ReplyBody::PendingApprovals(result)) => match result {
                Ok(list) => {
                    // The selection stays on the same request when others come and go.
                    let current = self.list.get(self.selected).map(|r| r.id);
                    self.list = list;
                    self.selected = current
                        .and_then(|id| self.list.iter().position(|r| r.id == id))
                        .unwrap_or(0)
                        .min(self.list.len().saturating_sub(1));
                    self.loaded = true;
                    ctx.data.desk.approvals_waiting = Some(self.list.len());
                }
                Err(error) => self.error = Some(describe(&error)),
            },
            (Asked::Decide, ReplyBody::ApprovalRequest(result)) => match result {
                Ok(view) => {
                    let notice = match view.status {
                        crate::services::RequestStatus::Rejected { .. } => sa::REJECTED_NOTICE,
                        _ => sa::APPROVED_NOTICE,
                    };
                    ctx.notify(Notice::Success(format!("{notice}{}.", view.id)));
                    self.deciding = None;
                    self.load(ctx);
                }
                Err(error) => {
                    if let Some(deciding) = self.deciding.as_mut() {
                        deciding.error = Some(describe(&error));
                        deciding.password.clear();
                    }
                }
            },
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }

    fn is_dirty(&self) -> bool {
        self.deciding
            .as_ref()
            .is_some_and(|d| !d.password.is_empty() || !d.reason.is_empty())
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let block = panel(sa::APPROVALS_PANEL, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [table_area, detail_area, message_area] = ratatui::layout::Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(5),
            Constraint::Length(1),
        ])
        .areas(inner);
        if self.list.is_empty() {
            empty_list(frame, table_area, self.loaded, sa::APPROVALS_NONE, theme);
        } else {
            let rows = self.list.iter().enumerate().map(|(i, r)| {
                let style = row_style(i, self.selected, theme);
                Row::new(vec![
                    r.id.to_string(),
                    r.kind.clone(),
                    format!("{} {}", r.currency, money(r.amount)),
                    r.accounts.clone(),
                    r.teller.clone(),
                    view.clock.local(r.expires_at).format("%H:%M").to_string(),
                ])
                .style(style)
            });
            let widths = [
                Constraint::Length(5),
                Constraint::Length(10),
                Constraint::Length(16),
                Constraint::Length(25),
                Constraint::Fill(1),
                Constraint::Length(7),
            ];
            let header = Row::new(sa::APPROVALS_HEADER.to_vec()).style(theme.table_header);
            frame.render_widget(Table::new(rows, widths).header(header), table_area);
        }
        if let Some(request) = self.list.get(self.selected) {
            let label = |text: &'static str| Span::styled(format!("{text:<12}"), theme.label);
            let time = |at| view.clock.local(at).format(s::TIME_FORMAT).to_string();
            let lines = vec![
                Line::from(vec![
                    label(sa::DETAIL_CUSTOMER),
                    Span::raw(request.customer.clone().unwrap_or_default()),
                ]),
                Line::from(vec![
                    label(sa::DETAIL_TELLER),
                    Span::raw(format!("{} on {}", request.teller, request.device)),
                ]),
                Line::from(vec![
                    label(sa::DETAIL_WHEN),
                    Span::raw(format!(
                        "{} · expires {}",
                        time(request.requested_at),
                        time(request.expires_at)
                    )),
                ]),
                Line::from(vec![label(sa::DETAIL_KEY), Span::raw(request.key.clone())]),
            ];
            frame.render_widget(Paragraph::new(lines), detail_area);
        }
        if let Some(error) = &self.error {
            frame.render_widget(
                message_line(crate::tui::theme::ERROR_MARKER, error, theme.error),
                message_area,
            );
        }
        if let Some(deciding) = &self.deciding {
            self.render_deciding(frame, area, view, deciding);
        }
    }
}

impl ApprovalsScreen {
    fn render_deciding(&self, frame: &mut Frame, area: Rect, view: &View, deciding: &Deciding) {
        let theme = view.theme;
        let title = if deciding.approve {
            sa::DECIDE_APPROVE_TITLE
        } else {
            sa::DECIDE_REJECT_TITLE
        };
        let height = if deciding.approve { 9 } else { 11 };
        let inner = dialog::open(frame, area, 70, height, title, theme);
        let mut y = inner.y;
        if let Some(request) = self.list.iter().find(|r| r.id == deciding.id) {
            let what = Line::from(vec![
                Span::raw(format!("{} ", request.kind)),
                Span::styled(
                    format!("{} {}", request.currency, money(request.amount)),
                    theme.title,
                ),
                Span::raw(format!("  {}", request.accounts)),
            ]);
            frame.render_widget(
                what,
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
            let who = format!(
                "{} · {} · {}",
                request.customer.as_deref().unwrap_or("-"),
                request.teller,
                request.device
            );
            frame.render_widget(
                Line::styled(who, theme.hint),
                Rect {
                    y: y + 1,
                    height: 1,
                    ..inner
                },
            );
        }
        y += 3;
        let row = |y: u16| Rect {
            y,
            height: field::HEIGHT,
            ..inner
        };
        if let Some(cursor) = deciding
            .password
            .render(frame, row(y), !deciding.on_reason, theme)
        {
            frame.set_cursor_position(cursor);
        }
        if !deciding.approve {
            y += field::HEIGHT;
            if let Some(cursor) = deciding
                .reason
                .render(frame, row(y), deciding.on_reason, theme)
            {
                frame.set_cursor_position(cursor);
            }
        }
        dialog::foot(
            frame,
            inner,
            view,
            self.requests.is_waiting(Asked::Decide),
            deciding.error.as_deref(),
            (sa::DECIDE_ENTER, s::APPROVAL_ESC),
        );
    }
}
