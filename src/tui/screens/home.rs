//! Home after login: the customer's accounts, each with a sparkline of its recent balances, and
//! the selected account's last movements. The trends of all accounts come in one request.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::{
    money_line, movements_table, panel, statement_job, statement_written, status_label, step,
    Screen,
};
use crate::domain::AccountNumber;
use crate::services::HistoryEntry;
use crate::tui::context::{describe, Ctx, Flow, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::requests::Requests;
use crate::tui::widgets::trend::sparkline;
use crate::tui::worker::{HistoryPage, Job, ReplyBody, Trend};

/// How many movements the home screen shows.
pub const RECENT: u32 = 8;
/// Balances per sparkline: one a cell of the trend column.
pub const TREND_POINTS: u16 = 16;
/// The account table's columns without the trend (marker, columns, spacing), and with it.
const TABLE_WIDTH: u16 = 2 + 14 + 2 + 9 + 2 + 8 + 2 + 20;
const TABLE_WITH_TREND: u16 = TABLE_WIDTH + 2 + TREND_POINTS;

#[derive(Debug, Clone, Default)]
pub struct HomeScreen {
    /// The account the movements belong to, and the movements.
    pub recent_for: Option<String>,
    pub recent: Vec<HistoryEntry>,
    pub error: Option<String>,
    /// Recent balances by account, oldest first.
    pub trends: Vec<Trend>,
    requests: Requests<Asked>,
}

/// What the home screen asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Recent,
    Trends,
    Statement,
}

impl HomeScreen {
    fn load_recent(&mut self, ctx: &mut Ctx) {
        let (Some(actor), Some(account)) = (ctx.actor(), ctx.data.selected_account()) else {
            return;
        };
        let number = account.number.clone();
        if self.recent_for.as_deref() != Some(number.as_str()) {
            self.recent.clear();
        }
        self.recent_for = Some(number.as_str().to_string());
        self.error = None;
        let job = Job::History {
            actor,
            account: number,
            before: None,
            limit: RECENT,
        };
        self.requests.ask(ctx, Asked::Recent, job);
    }
}

impl HomeScreen {
    /// One request for the trends of every account listed.
    fn load_trends(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let accounts: Vec<AccountNumber> =
            ctx.data.accounts.iter().map(|a| a.number.clone()).collect();
        if accounts.is_empty() {
            return;
        }
        let job = Job::Trends {
            actor,
            accounts,
            points: u32::from(TREND_POINTS),
        };
        self.requests.ask(ctx, Asked::Trends, job);
    }

    fn trend_of(&self, number: &str) -> String {
        self.trends
            .iter()
            .find(|t| t.account == number)
            .map(|t| sparkline(&t.balances, usize::from(TREND_POINTS)))
            .unwrap_or_default()
    }
}

impl HomeScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Recent, ReplyBody::History(HistoryPage { result, .. })) => match result {
                Ok(entries) => self.recent = entries,
                Err(error) => self.error = Some(describe(&error)),
            },
            // The trends only decorate the table: without them it simply has none.
            (Asked::Trends, ReplyBody::Trends(result)) => match result {
                Ok(trends) => self.trends = trends,
                Err(error) => tracing::warn!(%error, "balance trends unavailable"),
            },
            (Asked::Statement, body) => statement_written(body, ctx),
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }
}

impl Screen for HomeScreen {
    fn bindings(&self) -> &'static [Binding] {
        keys::HOME
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        if ctx.data.loaded {
            ctx.refresh_accounts();
        }
    }

    fn on_accounts(&mut self, ctx: &mut Ctx) {
        self.load_recent(ctx);
        self.load_trends(ctx);
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        let len = ctx.data.accounts.len();
        match cmd {
            Cmd::Up | Cmd::Down => {
                let delta = if cmd == Cmd::Up { -1 } else { 1 };
                let next = step(ctx.data.selected, delta, len);
                if next != ctx.data.selected {
                    ctx.data.selected = next;
                    self.load_recent(ctx);
                }
            }
            Cmd::Refresh => ctx.refresh_accounts(),
            Cmd::Statement => {
                let number = ctx.data.selected_account().map(|a| a.number.clone());
                if let Some(job) = number.and_then(|n| statement_job(ctx, &n)) {
                    self.requests.ask(ctx, Asked::Statement, job);
                }
            }
            _ => {}
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let rows = u16::try_from(view.data.accounts.len().clamp(1, 6)).unwrap_or(6);
        let [accounts_area, recent_area] =
            Layout::vertical([Constraint::Length(rows + 3), Constraint::Min(4)]).areas(area);

        let block = panel(s::ACCOUNTS_PANEL, theme);
        if view.data.accounts.is_empty() {
            let text = if view.data.loaded {
                s::NO_ACCOUNTS
            } else {
                s::LOADING
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.hint)).block(block),
                accounts_area,
            );
        } else {
            // The trend column only where it fits beside the others, never squeezing them.
            let with_trend = accounts_area.width.saturating_sub(2) >= TABLE_WITH_TREND;
            let mut header = vec![
                Line::raw(s::COL_ACCOUNT),
                Line::raw(s::COL_CURRENCY),
                Line::raw(s::COL_STATUS),
                Line::raw(s::COL_BALANCE).right_aligned(),
            ];
            let mut widths = vec![
                Constraint::Length(14),
                Constraint::Length(9),
                Constraint::Length(8),
                Constraint::Length(20),
            ];
            if with_trend {
                header.push(Line::raw(s::COL_TREND).right_aligned());
                widths.push(Constraint::Length(TREND_POINTS));
            }
            let header = Row::new(header).style(theme.table_header);
            let rows = view.data.accounts.iter().map(|a| {
                let mut cells = vec![
                    Line::raw(a.number.grouped()),
                    Line::raw(a.currency.as_str()),
                    Line::raw(status_label(a.status)),
                    money_line(a.balance, theme.base),
                ];
                if with_trend {
                    // Right-aligned: the newest balance of every account lines up.
                    cells.push(Line::raw(self.trend_of(a.number.as_str())).right_aligned());
                }
                Row::new(cells)
            });
            let table = Table::new(rows, widths)
                .header(header)
                .column_spacing(2)
                .row_highlight_style(theme.selected)
                .highlight_symbol(theme::SELECTED_MARKER)
                .block(block);
            let mut state = TableState::default().with_selected(Some(view.data.selected));
            frame.render_stateful_widget(table, accounts_area, &mut state);
        }

        let title = match view.data.selected_account() {
            Some(a) => format!("{}{}", s::RECENT_PANEL, a.number.grouped()),
            None => s::RECENT_PANEL_NONE.to_string(),
        };
        let block = panel(title, theme);
        if let Some(error) = &self.error {
            frame.render_widget(
                Paragraph::new(super::message_line(theme::ERROR_MARKER, error, theme.error))
                    .block(block),
                recent_area,
            );
            return;
        }
        if self.recent.is_empty() {
            let text = if self.requests.is_waiting(Asked::Recent) || !view.data.loaded {
                s::LOADING
            } else if view.data.accounts.is_empty() {
                ""
            } else {
                s::NO_MOVEMENTS
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.hint)).block(block),
                recent_area,
            );
            return;
        }
        let table = movements_table(&self.recent, view).block(block);
        frame.render_widget(table, recent_area);
    }
}
