//! A bulk payment from the card: the selected account pays every line of a CSV file. The file
//! is read and checked on the worker (lines, total, invalid lines with their reasons), shown
//! with the payer's balance before and after, approved by a supervisor when the total is above
//! the limit, then posted on the worker with a live progress bar; the results file is written
//! beside the input. The screen never waits: every step is a request and its answer.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};
use ratatui::Frame;
use rust_decimal::Decimal;

use super::{Asked, CardScreen, Dialog};
use crate::domain::{AccountNumber, Currency};
use crate::services::{AccountStatus, Actor};
use crate::tui::context::{describe, Ctx, Notice, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::screens::{label_span, message_line, money};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::{self, Field};
use crate::tui::worker::{BulkPreview, BulkSummary, Job, ReplyBody};

#[derive(Debug, Clone)]
pub enum BulkStage {
    /// Typing the file's path.
    Path,
    Checking,
    /// The file checked; Enter posts (after the approval when one is needed).
    Preview(Box<BulkPreview>),
    /// Posting: how far, and the preview to go back to if the bank refuses.
    Posting {
        done: u64,
        total: u64,
        preview: Box<BulkPreview>,
    },
    Done(Box<BulkSummary>),
}

#[derive(Debug, Clone)]
pub struct BulkPayment {
    pub stage: BulkStage,
    pub path: Field,
    /// The paying account and its balance when the dialog opened.
    pub from: AccountNumber,
    pub currency: Currency,
    pub balance: Decimal,
    pub approval: ApprovalForm,
    pub error: Option<String>,
    /// The path when Tab asked the worker for the next payment file.
    pub picking: Option<String>,
}

impl BulkPayment {
    pub fn bindings(&self) -> &'static [Binding] {
        match &self.stage {
            BulkStage::Path | BulkStage::Checking => keys::BULK_PATH,
            BulkStage::Preview(preview) if preview.needs_approval => keys::APPROVAL,
            BulkStage::Preview(_) => keys::BULK_PREVIEW,
            BulkStage::Posting { .. } | BulkStage::Done(_) => keys::BULK_DONE,
        }
    }

    pub fn typing(&self) -> bool {
        match &self.stage {
            BulkStage::Path => true,
            BulkStage::Preview(preview) => preview.needs_approval,
            _ => false,
        }
    }

    pub fn is_dirty(&self) -> bool {
        matches!(self.stage, BulkStage::Posting { .. }) || self.approval.is_dirty()
    }

    pub fn handle_key(&mut self, key: &ratatui::crossterm::event::KeyEvent) {
        match &self.stage {
            BulkStage::Path if self.path.handle_key(key) => self.error = None,
            BulkStage::Preview(preview) if preview.needs_approval => {
                self.approval.handle_key(key);
            }
            _ => {}
        }
    }
}

impl CardScreen {
    /// Opens the dialog for the selected account, its path starting in the export folder.
    pub(super) fn bulk(&mut self, ctx: &mut Ctx) {
        let Some(account) = ctx.data.desk.selected_account() else {
            ctx.notify(Notice::Error(s::NO_ACCOUNT_SELECTED.into()));
            return;
        };
        if account.status != AccountStatus::Open {
            ctx.notify(Notice::Error(s::ACCOUNT_CLOSED_NOTHING.into()));
            return;
        }
        let mut folder = ctx.config.export_dir.display().to_string();
        if !folder.ends_with('/') {
            folder.push('/');
        }
        self.dialog = Some(Dialog::Bulk(Box::new(BulkPayment {
            stage: BulkStage::Path,
            path: Field::new(s::FIELD_FILE).with_value(folder),
            from: account.number.clone(),
            currency: account.currency,
            balance: account.balance,
            approval: ApprovalForm::new(),
            error: None,
            picking: None,
        })));
    }

    pub(super) fn on_bulk_command(&mut self, cmd: Cmd, actor: Actor, ctx: &mut Ctx) {
        let Some(Dialog::Bulk(bulk)) = self.dialog.as_mut() else {
            return;
        };
        let from = bulk.from.clone();
        match (&bulk.stage, cmd) {
            (BulkStage::Path, Cmd::Submit) => {
                let path = std::path::PathBuf::from(bulk.path.value().trim());
                bulk.stage = BulkStage::Checking;
                bulk.error = None;
                let job = Job::BulkPreview { actor, path, from };
                self.requests.ask(ctx, Asked::Bulk, job);
            }
            (BulkStage::Preview(preview), Cmd::Submit) => {
                if preview.valid == 0 {
                    bulk.error = Some(s::BULK_NOTHING.into());
                    return;
                }
                let approval = if preview.needs_approval {
                    match bulk.approval.check() {
                        Some((_, approval)) => Some(approval),
                        None => return,
                    }
                } else {
                    None
                };
                let job = Job::BulkPost {
                    actor,
                    path: preview.path.clone(),
                    from,
                    approval,
                    digest: preview.digest,
                };
                bulk.stage = BulkStage::Posting {
                    done: 0,
                    total: preview.valid,
                    preview: preview.clone(),
                };
                self.requests.ask(ctx, Asked::Bulk, job);
            }
            (BulkStage::Path, Cmd::NextField | Cmd::PrevField) => {
                bulk.picking = Some(bulk.path.value().to_string());
                let job = Job::NextPaymentFile {
                    folder: ctx.config.export_dir.clone(),
                    current: bulk.path.value().to_string(),
                    forward: cmd == Cmd::NextField,
                };
                self.requests.ask(ctx, Asked::BulkFile, job);
            }
            (BulkStage::Preview(preview), Cmd::NextField | Cmd::PrevField)
                if preview.needs_approval =>
            {
                bulk.approval.next(cmd == Cmd::NextField);
            }
            // Posting goes on when the dialog closes: its answer is told in the status line.
            (_, Cmd::Back) => self.dialog = None,
            _ => {}
        }
    }

    pub(super) fn on_bulk_progress(&mut self, done: u64, total: u64) {
        if let Some(Dialog::Bulk(bulk)) = self.dialog.as_mut() {
            if let BulkStage::Posting {
                done: was_done,
                total: was_total,
                ..
            } = &mut bulk.stage
            {
                *was_done = done;
                *was_total = total;
            }
        }
    }

    pub(super) fn on_bulk_reply(&mut self, body: ReplyBody, ctx: &mut Ctx) {
        let open = match self.dialog.as_mut() {
            Some(Dialog::Bulk(bulk)) => Some(bulk),
            _ => None,
        };
        match (body, open) {
            // Chosen with Tab: it replaces the path, unless more was typed since.
            (ReplyBody::PaymentFile(file), Some(bulk)) => {
                let unchanged = bulk.picking.take().as_deref() == Some(bulk.path.value());
                if matches!(bulk.stage, BulkStage::Path) && unchanged {
                    match file {
                        Some(file) => {
                            bulk.path.set_value(file.display().to_string());
                            bulk.error = None;
                        }
                        None => bulk.error = Some(s::BULK_NO_FILES.into()),
                    }
                }
            }
            (ReplyBody::BulkPreview(Ok(preview)), Some(bulk)) => {
                bulk.stage = BulkStage::Preview(Box::new(preview));
            }
            (ReplyBody::BulkPreview(Err(error)), Some(bulk)) => {
                bulk.stage = BulkStage::Path;
                bulk.error = Some(error.to_string());
            }
            (ReplyBody::BulkPosted(Ok(summary)), open) => {
                ctx.notify(Notice::Success(format!(
                    "{}: {} paid, {} refused. {}{}",
                    s::BULK_DONE,
                    summary.done,
                    summary.refused,
                    s::BULK_RESULTS,
                    summary.results.display()
                )));
                if let Some(bulk) = open {
                    bulk.stage = BulkStage::Done(Box::new(summary));
                }
                self.load(ctx);
            }
            (ReplyBody::BulkPosted(Err(error)), open) => {
                let text = match &error {
                    crate::bulk::PostError::Bank(e) => describe(e),
                    other => other.to_string(),
                };
                match open {
                    Some(bulk) => {
                        // Back to the preview: the approval or the file can be fixed.
                        if let BulkStage::Posting { preview, .. } = &bulk.stage {
                            bulk.stage = BulkStage::Preview(preview.clone());
                        }
                        if matches!(
                            error,
                            crate::bulk::PostError::Bank(
                                crate::services::BankError::ApprovalRefused(_)
                                    | crate::services::BankError::ApprovalRequired(_)
                            )
                        ) {
                            bulk.approval.refused(text.clone());
                        }
                        bulk.error = Some(text);
                    }
                    None => ctx.notify(Notice::Error(text)),
                }
                self.load(ctx);
            }
            (body, None) => tracing::debug!(
                answer = body.name(),
                "bulk payment answer after its dialog closed"
            ),
            (body, Some(_)) => tracing::warn!(
                answer = body.name(),
                "answer of an unexpected kind to a bulk payment, ignored"
            ),
        }
    }

    pub(super) fn render_bulk(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        bulk: &BulkPayment,
    ) {
        let theme = view.theme;
        if let BulkStage::Preview(preview) = &bulk.stage {
            if preview.needs_approval {
                let mut lines = preview_lines(bulk, preview, view);
                lines.push(Line::styled(s::BULK_NEEDS_APPROVAL, theme.hint));
                let sending = self.is_acting().then_some(s::SENDING);
                bulk.approval
                    .render(frame, area, view, s::APPROVAL_TITLE, lines, sending);
                return;
            }
        }
        let content = match &bulk.stage {
            BulkStage::Path | BulkStage::Checking => 3 + field::HEIGHT,
            BulkStage::Preview(preview) => {
                u16::try_from(preview_lines(bulk, preview, view).len()).unwrap_or(12)
            }
            BulkStage::Posting { .. } => 3,
            BulkStage::Done(_) => 5,
        };
        // Borders, the message (2 lines) and the keys.
        let height = (content + 5).min(area.height);
        let inner = dialog::open(
            frame,
            area,
            area.width.min(76),
            height,
            s::BULK_TITLE,
            theme,
        );
        let [body, message, keys_area] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(2),
            Constraint::Length(1),
        ])
        .areas(inner);
        let payer = Line::from(vec![
            Span::raw(s::BULK_PAYER),
            Span::styled(bulk.from.grouped(), theme.title),
            Span::raw(format!("  {} {}", bulk.currency, money(bulk.balance))),
        ]);
        let (enter, esc) = match &bulk.stage {
            BulkStage::Path | BulkStage::Checking => {
                let [intro, field_area, _] = Layout::vertical([
                    Constraint::Length(3),
                    Constraint::Length(field::HEIGHT),
                    Constraint::Min(0),
                ])
                .areas(body);
                frame.render_widget(
                    Paragraph::new(vec![payer, Line::styled(s::BULK_INTRO, theme.hint)])
                        .wrap(Wrap { trim: true }),
                    intro,
                );
                let focused = matches!(bulk.stage, BulkStage::Path);
                if let Some(cursor) = bulk.path.render(frame, field_area, focused, theme) {
                    frame.set_cursor_position(cursor);
                }
                (s::BULK_CHECK_ENTER, s::APPROVAL_ESC)
            }
            BulkStage::Preview(preview) => {
                frame.render_widget(
                    Paragraph::new(preview_lines(bulk, preview, view)).wrap(Wrap { trim: true }),
                    body,
                );
                (s::BULK_ENTER, s::APPROVAL_ESC)
            }
            BulkStage::Posting { done, total, .. } => {
                let [top, count, gauge_area, _] = Layout::vertical([
                    Constraint::Length(1),
                    Constraint::Length(1),
                    Constraint::Length(1),
                    Constraint::Min(0),
                ])
                .areas(body);
                frame.render_widget(Paragraph::new(payer), top);
                let ratio = if *total == 0 {
                    0.0
                } else {
                    (*done as f64 / *total as f64).clamp(0.0, 1.0)
                };
                frame.render_widget(
                    Line::raw(format!(
                        "{done}{}{total}{} ({:.0} %)",
                        s::BULK_OF,
                        s::BULK_LINES_POSTED,
                        ratio * 100.0
                    )),
                    count,
                );
                // The label is the line above: a bar alone reads without colour too.
                frame.render_widget(
                    Gauge::default()
                        .ratio(ratio)
                        .label("")
                        .gauge_style(theme.selected)
                        .use_unicode(true),
                    gauge_area,
                );
                (s::BULK_CLOSE_ENTER, "")
            }
            BulkStage::Done(summary) => {
                frame.render_widget(
                    Paragraph::new(done_lines(summary, bulk, view)).wrap(Wrap { trim: true }),
                    body,
                );
                (s::BULK_CLOSE_ENTER, "")
            }
        };
        let status = match (&bulk.stage, &bulk.error) {
            (BulkStage::Checking, _) => dialog::busy_line(view, s::BULK_CHECKING),
            (BulkStage::Posting { .. }, _) => dialog::busy_line(view, s::BULK_POSTING),
            (_, Some(error)) => message_line(theme::ERROR_MARKER, error, theme.error),
            _ => Line::default(),
        };
        frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), message);
        let keys_line = if esc.is_empty() {
            Line::from(vec![
                Span::styled(s::KEY_ENTER, theme.key),
                Span::raw(enter),
            ])
        } else {
            dialog::keys_line(enter, esc, theme)
        };
        frame.render_widget(keys_line, keys_area);
    }
}

/// What the file holds, and the payer's balance before and after.
fn preview_lines<'a>(bulk: &BulkPayment, preview: &BulkPreview, view: &View) -> Vec<Line<'a>> {
    let theme = view.theme;
    let after = bulk.balance - preview.total;
    let mut lines = vec![
        Line::from(vec![
            label_span(s::BULK_PAYER.trim_end(), theme),
            Span::styled(bulk.from.grouped(), theme.title),
        ]),
        Line::from(vec![
            label_span(s::BULK_LINES, theme),
            Span::raw(format!("{}{}", preview.valid, s::BULK_TO_PAY)),
            if preview.invalid > 0 {
                Span::styled(
                    format!(", {}{}", preview.invalid, s::BULK_INVALID),
                    theme.warning,
                )
            } else {
                Span::raw("")
            },
        ]),
    ];
    for error in &preview.errors {
        lines.push(Line::from(vec![
            label_span("", theme),
            Span::styled(format!("{}{error}", theme::ERROR_MARKER), theme.error),
        ]));
    }
    lines.extend([
        Line::from(vec![
            label_span(s::BULK_TOTAL, theme),
            Span::styled(
                format!("{} {}", bulk.currency, money(preview.total)),
                theme.title,
            ),
        ]),
        Line::from(vec![
            label_span(s::BULK_BALANCE, theme),
            Span::raw(format!("{} → {}", money(bulk.balance), money(after))),
        ]),
    ]);
    if after.is_sign_negative() {
        lines.push(message_line(
            theme::ERROR_MARKER,
            s::BULK_SHORT,
            theme.warning,
        ));
    }
    lines
}

fn done_lines<'a>(summary: &BulkSummary, bulk: &BulkPayment, view: &View) -> Vec<Line<'a>> {
    let theme = view.theme;
    vec![
        Line::styled(
            format!(
                "{}{}: {} paid, {} replayed, {} refused, {} invalid.",
                theme::OK_MARKER,
                s::BULK_DONE,
                summary.done,
                summary.replayed,
                summary.refused,
                summary.invalid
            ),
            theme.success,
        ),
        Line::from(vec![
            label_span(s::BULK_TOTAL, theme),
            Span::raw(format!(
                "{} {} in {:.1} s",
                bulk.currency,
                money(summary.moved),
                summary.seconds
            )),
        ]),
        Line::default(),
        Line::raw(format!("{}{}", s::BULK_RESULTS, summary.results.display())),
    ]
}
