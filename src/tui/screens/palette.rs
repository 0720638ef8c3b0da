//! The command palette (`Ctrl-P` or `:`): one line to type, every action the person may take
//! below it, best match first (nucleo's fuzzy matcher, the one the Helix editor uses). For
//! staff, what is typed also looks up customers and account numbers through the same search
//! service as the lookup screen, on the worker, after a pause in typing. Enter runs the chosen
//! line; the app decides what running means (see `App::run_palette`).

use std::cell::Cell;
use std::time::Instant;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use ratatui::Frame;

use super::customers::{DEBOUNCE, MIN_CHARS};
use crate::services::CustomerHit;
use crate::tui::context::{describe, Ctx, Route, View};
use crate::tui::keys::Cmd;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{CustomerMatches, Job, ReplyBody, RequestId};

/// What a line of the palette does when it is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteAction {
    /// Open a screen.
    Go(Route),
    /// Open a screen and give it a command, as its key would.
    Run(Route, Cmd),
    /// A command of the whole app (help, quit).
    Global(Cmd),
    /// Serve this customer: their card.
    Serve(String),
}

/// One line: what it says, the key that does the same (if any), and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteEntry {
    pub label: String,
    pub keys: String,
    pub action: PaletteAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Search,
}

#[derive(Debug, Clone)]
pub struct Palette {
    pub query: Field,
    pub selected: usize,
    /// Every action, fixed when the palette opened.
    actions: Vec<PaletteEntry>,
    /// The actions that match the query, best first (indices into `actions`).
    matching: Vec<usize>,
    /// Customers and accounts the bank found for the query (staff only).
    found: Vec<PaletteEntry>,
    error: Option<String>,
    staff: bool,
    changed_at: Option<Instant>,
    requests: Requests<Asked>,
    /// The first line drawn and where the list was, as of the last frame (for clicks).
    list_area: Cell<Rect>,
    list_offset: Cell<usize>,
}

impl Palette {
    pub fn new(actions: Vec<PaletteEntry>, staff: bool) -> Self {
        let matching = (0..actions.len()).collect();
        Self {
            query: Field::new(s::PALETTE_TITLE),
            selected: 0,
            actions,
            matching,
            found: Vec::new(),
            error: None,
            staff,
            changed_at: None,
            requests: Requests::default(),
            list_area: Cell::new(Rect::default()),
            list_offset: Cell::new(0),
        }
    }

    /// The lines shown now, in order: matching actions, then customers found.
    pub fn visible(&self) -> Vec<&PaletteEntry> {
        self.matching
            .iter()
            .filter_map(|&i| self.actions.get(i))
            .chain(self.found.iter())
            .collect()
    }

    /// What Enter runs.
    pub fn chosen(&self) -> Option<PaletteAction> {
        self.visible()
            .get(self.selected)
            .map(|entry| entry.action.clone())
    }

    pub fn move_by(&mut self, delta: isize) {
        let len = self.visible().len();
        if len == 0 {
            self.selected = 0;
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(len - 1);
    }

    /// A typed key; true when the query changed.
    pub fn on_input(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> bool {
        if !self.query.handle_key(key) {
            return false;
        }
        self.refilter();
        if self.staff {
            self.changed_at = Some(ctx.clock.now());
        }
        true
    }

    /// Ranks the actions against the query with the fuzzy matcher; table order breaks ties.
    fn refilter(&mut self) {
        self.selected = 0;
        let query = self.query.value().trim();
        if query.is_empty() {
            self.matching = (0..self.actions.len()).collect();
            return;
        }
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buffer = Vec::new();
        let mut scored: Vec<(u32, usize)> = self
            .actions
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| {
                pattern
                    .score(Utf32Str::new(&entry.label, &mut buffer), &mut matcher)
                    .map(|score| (score, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.matching = scored.into_iter().map(|(_, i)| i).collect();
    }

    /// After a pause in typing, staff's query goes to the customer search.
    pub fn on_tick(&mut self, ctx: &mut Ctx) {
        let Some(at) = self.changed_at else { return };
        if ctx.clock.now().saturating_duration_since(at) < DEBOUNCE {
            return;
        }
        self.changed_at = None;
        let query = self.query.value().trim().to_string();
        if query.chars().count() < MIN_CHARS {
            self.requests.forget(Asked::Search);
            self.found.clear();
            return;
        }
        let Some(actor) = ctx.actor() else { return };
        self.requests
            .ask(ctx, Asked::Search, Job::SearchCustomers { actor, query });
    }

    pub fn on_reply(&mut self, id: RequestId, body: ReplyBody) {
        let Some(asked) = self.requests.take(id) else {
            return;
        };
        match (asked, body) {
            (Asked::Search, ReplyBody::Customers(CustomerMatches { query, result })) => {
                match result {
                    Ok(hits) => {
                        self.found = found_entries(&hits, &query);
                        self.error = None;
                        self.move_by(0);
                    }
                    Err(error) => self.error = Some(describe(&error)),
                }
            }
            (asked, body) => self.requests.unexpected(asked, &body),
        }
    }

    /// The line under a click, if the click is on the list.
    pub fn line_at(&self, column: u16, row: u16) -> Option<usize> {
        let area = self.list_area.get();
        let inside =
            column >= area.x && column < area.right() && row >= area.y && row < area.bottom();
        let line = self.list_offset.get() + usize::from(row.checked_sub(area.y)?);
        (inside && line < self.visible().len()).then_some(line)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let width = area.width.min(72);
        let height = area.height.min(18);
        let inner = dialog::open(frame, area, width, height, s::PALETTE_TITLE, theme);
        let [query_area, list_area, status_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let prompt = Line::from(vec![
            Span::styled(s::PALETTE_PROMPT, theme.key),
            Span::styled(self.query.value().to_string(), theme.input_focused),
        ]);
        frame.render_widget(Paragraph::new(prompt), query_area);
        let cursor_x = query_area.x
            + u16::try_from(s::PALETTE_PROMPT.chars().count() + self.query.value().chars().count())
                .unwrap_or(u16::MAX);
        frame.set_cursor_position((
            cursor_x.min(query_area.right().saturating_sub(1)),
            query_area.y,
        ));

        let visible = self.visible();
        let key_width = visible
            .iter()
            .map(|e| e.keys.chars().count())
            .max()
            .unwrap_or(0);
        let items: Vec<ListItem> = visible
            .iter()
            .map(|entry| {
                let room = usize::from(list_area.width)
                    .saturating_sub(key_width + 3 + theme::SELECTED_MARKER.chars().count());
                let label: String = if entry.label.chars().count() > room {
                    let mut cut: String =
                        entry.label.chars().take(room.saturating_sub(1)).collect();
                    cut.push('…');
                    cut
                } else {
                    entry.label.clone()
                };
                let pad = room.saturating_sub(label.chars().count());
                ListItem::new(Line::from(vec![
                    Span::raw(format!("{label}{} ", " ".repeat(pad))),
                    Span::styled(format!("{:>key_width$}", entry.keys), theme.key),
                ]))
            })
            .collect();
        if items.is_empty() {
            frame.render_widget(Line::styled(s::PALETTE_NOTHING, theme.hint), list_area);
        } else {
            let list = List::new(items)
                .highlight_style(theme.selected)
                .highlight_symbol(theme::SELECTED_MARKER);
            let mut state = ListState::default().with_selected(Some(self.selected));
            frame.render_stateful_widget(list, list_area, &mut state);
            self.list_offset.set(state.offset());
        }
        self.list_area.set(list_area);

        let status = if let Some(error) = &self.error {
            Line::styled(format!("{}{error}", theme::ERROR_MARKER), theme.error)
        } else if self.requests.is_busy() || self.changed_at.is_some() {
            dialog::busy_line(view, s::PALETTE_SEARCHING)
        } else {
            Line::styled(s::PALETTE_HINT, theme.hint)
        };
        frame.render_widget(status, status_area);
    }
}

/// A line per customer found, and one per account of theirs whose number holds the digits typed.
fn found_entries(hits: &[CustomerHit], query: &str) -> Vec<PaletteEntry> {
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let mut entries = Vec::new();
    for hit in hits {
        let name = match &hit.surname {
            Some(surname) => format!("{} {surname}", hit.name),
            None => hit.name.clone(),
        };
        entries.push(PaletteEntry {
            label: format!("{}{name} · {}", s::PALETTE_CUSTOMER, hit.email),
            keys: String::new(),
            action: PaletteAction::Serve(hit.email.to_string()),
        });
        if digits.len() >= MIN_CHARS {
            for number in hit.accounts.iter().filter(|n| n.as_str().contains(&digits)) {
                entries.push(PaletteEntry {
                    label: format!("{}{} · {name}", s::PALETTE_ACCOUNT, number.grouped()),
                    keys: String::new(),
                    action: PaletteAction::Serve(hit.email.to_string()),
                });
            }
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str, action: PaletteAction) -> PaletteEntry {
        PaletteEntry {
            label: label.into(),
            keys: String::new(),
            action,
        }
    }

    #[test]
    fn fuzzy_matching_ranks_the_closest_first() {
        let mut palette = Palette::new(
            vec![
                entry("Go to History", PaletteAction::Go(Route::History)),
                entry(
                    "Counter › Deposit cash",
                    PaletteAction::Run(Route::Counter, Cmd::Deposit),
                ),
                entry(
                    "Drawer › Close the drawer",
                    PaletteAction::Run(Route::Drawer, Cmd::CloseDrawer),
                ),
            ],
            false,
        );
        palette.query.set_value("clsdrw");
        palette.refilter();
        assert_eq!(
            palette.chosen(),
            Some(PaletteAction::Run(Route::Drawer, Cmd::CloseDrawer))
        );
        palette.query.set_value("deposit");
        palette.refilter();
        assert_eq!(palette.visible().len(), 1);
        palette.query.set_value("zzzz");
        palette.refilter();
        assert!(palette.visible().is_empty() && palette.chosen().is_none());
        palette.query.set_value("");
        palette.refilter();
        assert_eq!(palette.visible().len(), 3);
    }

    #[test]
    fn customers_found_come_with_their_matching_accounts() {
        let hit = CustomerHit {
            email: crate::domain::Email::parse("diana@example.com").unwrap(),
            name: "Diana".into(),
            surname: Some("Julis".into()),
            phones: vec![],
            accounts: [100_000_001, 200_000_001]
                .into_iter()
                .filter_map(crate::domain::AccountNumber::from_serial)
                .collect(),
            locked: false,
        };
        let lines = found_entries(std::slice::from_ref(&hit), "10000");
        assert_eq!(lines.len(), 2);
        assert!(lines[0].label.contains("Diana Julis"));
        assert!(
            lines[1].label.contains(&hit.accounts[0].grouped()),
            "{}",
            lines[1].label
        );
        assert_eq!(found_entries(&[hit], "diana").len(), 1);
    }
}
