//! An account's movements as a scrollable table, loaded a page at a time as the selection
//! nears the end, and exported whole to a CSV file whose path is shown. Under the table, a chart
//! of the balance over the movements loaded (left out when the screen is too short for both).

use std::path::PathBuf;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState, Wrap};
use ratatui::Frame;

use super::{message_line, movements_table, panel, step, Screen};
use crate::domain::AccountNumber;
use crate::services::HistoryEntry;
use crate::tui::context::{describe, describe_export, Ctx, Flow, Route, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::balance_chart;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{HistoryPage, Job, ReplyBody};

/// Movements per page fetched from the bank.
pub const PAGE: u32 = 50;
/// Rows PageUp/PageDown move.
pub const PAGE_STEP: isize = 10;
/// Load the next page when the selection comes this close to the end.
const PREFETCH: usize = 10;
/// The table keeps at least this many rows (borders, header and eight movements); the chart
/// gives way below that.
const MIN_TABLE: u16 = 11;
/// The selected movement's reference and memo.
const DETAIL_ROWS: u16 = 1;
/// The export's progress or result.
const EXPORT_ROWS: u16 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportState {
    Idle,
    Running,
    Done { path: PathBuf, movements: usize },
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct HistoryScreen {
    pub account: Option<AccountNumber>,
    pub entries: Vec<HistoryEntry>,
    pub selected: usize,
    /// More movements exist past the last one loaded.
    pub more: bool,
    pub error: Option<String>,
    pub export: ExportState,
    /// Shown at least once (before that, nothing is loaded).
    visited: bool,
    requests: Requests<Asked>,
}

/// What the history screen asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Page,
    Export,
}

impl Default for HistoryScreen {
    fn default() -> Self {
        Self {
            account: None,
            entries: Vec::new(),
            selected: 0,
            more: false,
            error: None,
            export: ExportState::Idle,
            visited: false,
            requests: Requests::default(),
        }
    }
}

impl HistoryScreen {
    pub fn is_loading(&self) -> bool {
        self.requests.is_waiting(Asked::Page)
    }

    /// Starts over on the selected account.
    fn reload(&mut self, ctx: &mut Ctx) {
        self.account = ctx.data.selected_account().map(|a| a.number.clone());
        self.entries.clear();
        self.selected = 0;
        self.more = false;
        self.error = None;
        self.requests.forget(Asked::Page);
        self.load_page(ctx, None);
    }

    fn load_page(&mut self, ctx: &mut Ctx, before: Option<i64>) {
        if self.is_loading() {
            return;
        }
        let (Some(actor), Some(account)) = (ctx.actor(), self.account.clone()) else {
            return;
        };
        let job = Job::History {
            actor,
            account,
            before,
            limit: PAGE,
        };
        self.requests.ask(ctx, Asked::Page, job);
    }

    /// Fetches the next page once the selection is near the end of what is loaded.
    fn maybe_load_more(&mut self, ctx: &mut Ctx) {
        if self.more && self.selected + PREFETCH >= self.entries.len() {
            let before = self.entries.last().map(|e| e.id);
            self.load_page(ctx, before);
        }
    }

    fn move_by(&mut self, delta: isize, ctx: &mut Ctx) {
        self.selected = step(self.selected, delta, self.entries.len());
        self.maybe_load_more(ctx);
    }

    fn switch_account(&mut self, forward: bool, ctx: &mut Ctx) {
        let len = ctx.data.accounts.len();
        if len > 1 {
            ctx.data.selected = super::cycle(ctx.data.selected, forward, len);
            self.export = ExportState::Idle;
            self.reload(ctx);
        }
    }

    /// Rows for the balance chart in a screen `height` rows high: none without two movements
    /// to join, or when the table would drop below [`MIN_TABLE`] rows.
    fn chart_height(&self, height: u16) -> u16 {
        let fits = self.error.is_none()
            && self.entries.len() >= 2
            && height >= MIN_TABLE + DETAIL_ROWS + balance_chart::HEIGHT + EXPORT_ROWS;
        if fits {
            balance_chart::HEIGHT
        } else {
            0
        }
    }

    fn export(&mut self, ctx: &mut Ctx) {
        if self.requests.is_waiting(Asked::Export) {
            return;
        }
        let (Some(actor), Some(account)) = (ctx.actor(), self.account.clone()) else {
            return;
        };
        let number = account.as_str();
        let stamp = ctx.clock.local(ctx.clock.wall()).format("%Y%m%d-%H%M%S");
        let path = ctx
            .config
            .export_dir
            .join(format!("teller-history-{number}-{stamp}.csv"));
        self.export = ExportState::Running;
        let job = Job::ExportHistory {
            actor,
            account,
            path,
        };
        self.requests.ask(ctx, Asked::Export, job);
    }
}

impl HistoryScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (
                Asked::Page,
                ReplyBody::History(HistoryPage {
                    account,
                    before,
                    result,
                }),
            ) => {
                if self.account.as_ref() != Some(&account) {
                    return Flow::Stay;
                }
                match result {
                    Ok(page) => {
                        self.more = page.len() == PAGE as usize;
                        if before.is_none() {
                            self.entries = page;
                        } else {
                            self.entries.extend(page);
                        }
                        self.error = None;
                        self.maybe_load_more(ctx);
                    }
                    Err(error) => self.error = Some(describe(&error)),
                }
            }
            (Asked::Export, ReplyBody::Exported(result)) => {
                self.export = match result {
                    Ok(done) => {
                        tracing::info!(path = %done.path.display(), "history exported");
                        ExportState::Done {
                            path: done.path,
                            movements: done.movements,
                        }
                    }
                    Err(e) => ExportState::Failed(describe_export(&e)),
                };
            }
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }
}

impl Screen for HistoryScreen {
    fn bindings(&self) -> &'static [Binding] {
        keys::HISTORY
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        self.visited = true;
        let selected = ctx.data.selected_account().map(|a| a.number.clone());
        if selected != self.account || (self.entries.is_empty() && !self.is_loading()) {
            self.export = ExportState::Idle;
            self.reload(ctx);
        }
    }

    fn on_accounts(&mut self, ctx: &mut Ctx) {
        if self.visited && self.account.is_none() {
            self.reload(ctx);
        }
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        match cmd {
            Cmd::Up => self.move_by(-1, ctx),
            Cmd::Down => self.move_by(1, ctx),
            Cmd::PageUp => self.move_by(-PAGE_STEP, ctx),
            Cmd::PageDown => self.move_by(PAGE_STEP, ctx),
            Cmd::First => self.selected = 0,
            Cmd::Last => self.move_by(isize::MAX / 2, ctx),
            Cmd::PrevAccount => self.switch_account(false, ctx),
            Cmd::NextAccount => self.switch_account(true, ctx),
            Cmd::Refresh => self.reload(ctx),
            Cmd::Export => self.export(ctx),
            Cmd::Back => return Flow::Go(Route::Accounts),
            _ => {}
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let chart_height = self.chart_height(area.height);
        let [table_area, detail_area, chart_area, export_area] = Layout::vertical([
            Constraint::Min(5),
            Constraint::Length(DETAIL_ROWS),
            Constraint::Length(chart_height),
            Constraint::Length(EXPORT_ROWS),
        ])
        .areas(area);
        let title = match self
            .account
            .as_ref()
            .and_then(|n| view.data.find(n.as_str()))
        {
            Some(a) => format!(
                "{}{} ({}){}",
                s::HISTORY_PANEL,
                a.number.grouped(),
                a.currency,
                if view.data.accounts.len() > 1 {
                    s::HISTORY_SWITCH_HINT
                } else {
                    ""
                }
            ),
            None => s::HISTORY_PANEL_NONE.to_string(),
        };
        let count = if self.more {
            format!(" {}{} ", self.entries.len(), s::LOADED_MORE)
        } else {
            format!(" {}{} ", self.entries.len(), s::LOADED_ALL)
        };
        let block =
            panel(title, theme).title_bottom(Line::styled(count, theme.hint).right_aligned());

        if let Some(error) = &self.error {
            frame.render_widget(
                Paragraph::new(message_line(theme::ERROR_MARKER, error, theme.error)).block(block),
                table_area,
            );
        } else if self.entries.is_empty() {
            let text = if self.is_loading() || !view.data.loaded {
                s::LOADING
            } else if self.account.is_none() {
                s::NO_ACCOUNTS
            } else {
                s::NO_MOVEMENTS
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.hint)).block(block),
                table_area,
            );
        } else {
            let table = movements_table(&self.entries, view)
                .row_highlight_style(theme.selected)
                .highlight_symbol(theme::SELECTED_MARKER)
                .block(block);
            let mut state = TableState::default().with_selected(Some(self.selected));
            frame.render_stateful_widget(table, table_area, &mut state);
        }

        if let Some(entry) = self.entries.get(self.selected) {
            let memo = entry.memo.as_deref().unwrap_or(s::NO_MEMO);
            frame.render_widget(
                Line::from(vec![
                    Span::styled(s::REFERENCE, theme.label),
                    Span::raw(format!(" #{}   ", entry.id)),
                    Span::styled(s::FIELD_MEMO, theme.label),
                    Span::raw(format!(" {memo}")),
                ]),
                detail_area,
            );
        }
        if chart_height > 0 {
            balance_chart::render(frame, chart_area, view, &self.entries, Some(self.selected));
        }
        let export = match &self.export {
            ExportState::Idle => Line::default(),
            ExportState::Running => Line::from(vec![
                Span::raw(format!("{} ", view.spinner)),
                Span::styled(s::EXPORT_RUNNING, theme.hint),
            ]),
            ExportState::Done { path, movements } => Line::from(vec![
                Span::styled(theme::OK_MARKER, theme.success),
                Span::styled(
                    format!("{}{}{}", movements, s::EXPORT_DONE, path.display()),
                    theme.success,
                ),
            ]),
            ExportState::Failed(error) => Line::from(vec![
                Span::styled(theme::ERROR_MARKER, theme.error),
                Span::styled(format!("{}{error}", s::EXPORT_FAILED), theme.error),
            ]),
        };
        frame.render_widget(
            Paragraph::new(export).wrap(Wrap { trim: false }),
            export_area,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen_with(movements: usize) -> HistoryScreen {
        let entry = |id: i64| HistoryEntry {
            id,
            at: chrono::DateTime::default(),
            kind: crate::services::MovementKind::Deposit,
            amount: rust_decimal::Decimal::ONE,
            currency: crate::domain::Currency::USD,
            counterparty: crate::services::Party::Cash,
            balance_after: rust_decimal::Decimal::from(id),
            key: format!("k{id}"),
            memo: None,
            device: "local".into(),
        };
        HistoryScreen {
            entries: (0..movements)
                .map(|i| entry(i64::try_from(i).unwrap_or(0)))
                .collect(),
            ..HistoryScreen::default()
        }
    }

    #[test]
    fn the_chart_gives_way_to_the_table() {
        // 80x24 leaves 20 rows for the screen: just enough for both.
        assert_eq!(screen_with(50).chart_height(20), balance_chart::HEIGHT);
        assert_eq!(
            screen_with(50).chart_height(19),
            0,
            "the table keeps its rows"
        );
        assert_eq!(
            screen_with(1).chart_height(40),
            0,
            "one movement is no line"
        );
        let failed = HistoryScreen {
            error: Some("down".into()),
            ..screen_with(50)
        };
        assert_eq!(failed.chart_height(40), 0);
    }
}
