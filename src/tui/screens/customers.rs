//! Customer lookup, the workstation's home: one search field that finds customers by name,
//! surname, email, phone or account number as it is typed. The search waits for a pause in
//! typing (debounced on the tick), runs on the worker, and only the newest answer is shown.
//! Enter opens the card of the customer picked from the list.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::{panel, step, Screen};
use crate::services::CustomerHit;
use crate::tui::context::{describe, Ctx, Flow, Route, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::field::{self, Field};
use crate::tui::widgets::hits::Hits;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{CustomerMatches, Job, ReplyBody};

/// How long typing must pause before the search runs.
pub const DEBOUNCE: Duration = Duration::from_millis(300);
/// Fewer characters than this search nothing (the bank agrees).
pub const MIN_CHARS: usize = 2;

#[derive(Debug, Clone)]
pub struct CustomersScreen {
    pub query: Field,
    pub hits: Vec<CustomerHit>,
    pub selected: usize,
    /// The query the hits answer.
    pub shown_for: Option<String>,
    pub error: Option<String>,
    /// When the query last changed without a search since.
    changed_at: Option<Instant>,
    requests: Requests<Asked>,
    /// Where each customer's row was drawn, for clicks.
    rows: Hits<usize>,
}

/// What the customer search asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Search,
}

impl Default for CustomersScreen {
    fn default() -> Self {
        Self {
            query: Field::new(s::FIELD_SEARCH),
            hits: Vec::new(),
            selected: 0,
            shown_for: None,
            error: None,
            changed_at: None,
            requests: Requests::default(),
            rows: Hits::default(),
        }
    }
}

impl CustomersScreen {
    /// True while a search is waiting for the pause in typing or for its answer.
    pub fn is_searching(&self) -> bool {
        self.changed_at.is_some() || self.requests.is_busy()
    }

    fn search(&mut self, ctx: &mut Ctx) {
        self.changed_at = None;
        let query = self.query.value().trim().to_string();
        if query.chars().count() < MIN_CHARS {
            self.requests.forget(Asked::Search);
            self.hits.clear();
            self.shown_for = None;
            self.error = None;
            return;
        }
        let Some(actor) = ctx.actor() else { return };
        // A newer search makes the older answer irrelevant: asking again supersedes it.
        self.requests
            .ask(ctx, Asked::Search, Job::SearchCustomers { actor, query });
    }

    fn open_selected(&mut self, ctx: &mut Ctx) -> Flow {
        let Some(hit) = self.hits.get(self.selected) else {
            return Flow::Stay;
        };
        ctx.data.desk.serve(hit.email.as_str());
        Flow::Go(Route::Card)
    }
}

impl CustomersScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, _ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Search, ReplyBody::Customers(CustomerMatches { query, result })) => {
                match result {
                    Ok(hits) => {
                        let same = self.shown_for.as_deref() == Some(query.as_str());
                        self.hits = hits;
                        if !same {
                            self.selected = 0;
                        }
                        self.selected = self.selected.min(self.hits.len().saturating_sub(1));
                        self.shown_for = Some(query);
                        self.error = None;
                    }
                    Err(error) => self.error = Some(describe(&error)),
                }
            }
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }
}

impl Screen for CustomersScreen {
    fn bindings(&self) -> &'static [Binding] {
        keys::CUSTOMERS
    }

    fn typing(&self) -> bool {
        true
    }

    fn on_tick(&mut self, ctx: &mut Ctx) {
        if self
            .changed_at
            .is_some_and(|at| ctx.clock.now().saturating_duration_since(at) >= DEBOUNCE)
        {
            self.search(ctx);
        }
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        match cmd {
            Cmd::Up => self.selected = step(self.selected, -1, self.hits.len()),
            Cmd::Down => self.selected = step(self.selected, 1, self.hits.len()),
            Cmd::Submit => {
                let current = self.query.value().trim();
                if self.shown_for.as_deref() == Some(current) && !self.hits.is_empty() {
                    return self.open_selected(ctx);
                }
                // Typed faster than the pause: search now.
                self.search(ctx);
            }
            Cmd::Back => {
                self.query.clear();
                self.search(ctx);
            }
            _ => {}
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Flow {
        if self.query.handle_key(key) {
            self.changed_at = Some(ctx.clock.now());
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn on_click(&mut self, column: u16, row: u16, ctx: &mut Ctx) -> Flow {
        match self.rows.at(column, row) {
            // A click on the chosen row opens the card, as Enter does; elsewhere it chooses.
            Some(i) if i == self.selected => self.open_selected(ctx),
            Some(i) => {
                self.selected = i;
                Flow::Stay
            }
            None => Flow::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        self.rows.clear();
        // What the search is doing goes in the bottom border.
        let status = if let Some(error) = &self.error {
            Line::styled(format!(" {}{error} ", theme::ERROR_MARKER), theme.error)
        } else if self.requests.is_busy() {
            Line::styled(format!(" {} {} ", view.spinner, s::SEARCHING), theme.hint)
        } else if self.shown_for.is_some() && !self.hits.is_empty() {
            Line::styled(
                format!(" {}{} ", self.hits.len(), s::CUSTOMERS_FOUND),
                theme.hint,
            )
        } else {
            Line::default()
        };
        let block = panel(s::CUSTOMERS_PANEL, theme).title_bottom(status);
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let [search_area, _, list_area] = Layout::vertical([
            Constraint::Length(field::HEIGHT),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(inner);
        let mut query = self.query.clone();
        if query.error.is_none() {
            query.hint = Some(s::SEARCH_HINT.into());
        }
        if let Some(position) = query.render(frame, search_area, true, theme) {
            frame.set_cursor_position(position);
        }

        if self.hits.is_empty() {
            let text = match &self.shown_for {
                Some(query) => format!("{}{query}", s::NO_CUSTOMER_MATCHES),
                None => s::SEARCH_INTRO.to_string(),
            };
            frame.render_widget(Paragraph::new(Line::styled(text, theme.hint)), list_area);
        } else {
            let header = Row::new([
                Line::raw(s::COL_NAME),
                Line::raw(s::COL_EMAIL),
                Line::raw(s::COL_PHONE),
                Line::raw(s::COL_ACCOUNTS).right_aligned(),
                Line::raw(s::COL_LOGIN),
            ])
            .style(theme.table_header);
            let rows = self.hits.iter().map(|hit| {
                let name = match &hit.surname {
                    Some(surname) => format!("{} {surname}", hit.name),
                    None => hit.name.clone(),
                };
                let accounts = hit.accounts.len().to_string();
                let login = if hit.locked {
                    Span::styled(s::LOCKED_SHORT, theme.warning)
                } else {
                    Span::raw("")
                };
                Row::new([
                    Line::raw(name),
                    Line::raw(hit.email.as_str()),
                    Line::raw(hit.phones.first().cloned().unwrap_or_default()),
                    Line::raw(accounts).right_aligned(),
                    Line::from(login),
                ])
            });
            let table = Table::new(
                rows,
                [
                    Constraint::Length(18),
                    Constraint::Length(28),
                    Constraint::Length(13),
                    Constraint::Length(5),
                    Constraint::Length(6),
                ],
            )
            .header(header)
            .column_spacing(1)
            .row_highlight_style(theme.selected)
            .highlight_symbol(theme::SELECTED_MARKER);
            let mut state = TableState::default().with_selected(Some(self.selected));
            frame.render_stateful_widget(table, list_area, &mut state);
            // Below the header, one line a customer from the first row shown.
            let first_row = list_area.y.saturating_add(1);
            for (line, i) in (state.offset()..self.hits.len()).enumerate() {
                let y = first_row.saturating_add(u16::try_from(line).unwrap_or(u16::MAX));
                if y >= list_area.bottom() {
                    break;
                }
                self.rows.record(
                    Rect {
                        y,
                        height: 1,
                        ..list_area
                    },
                    i,
                );
            }
        }
    }
}
