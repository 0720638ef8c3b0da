//! The card's three panels: the customer's profile (who, phones, whether they can log in),
//! their accounts with balances and status, and the selected account's recent movements.
//! Split from the screen so that `mod.rs` keeps only its state and keys.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::{Asked, CardScreen, Pane};
use crate::services::{AccountStatus, UserProfile};
use crate::tui::context::View;
use crate::tui::screens::{
    grouped, kind_label, message_line, money_line, panel, party_label, status_label, when,
};
use crate::tui::strings as s;
use crate::tui::theme;

impl CardScreen {
    pub(super) fn render_profile(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let desk = &view.data.desk;
        let email = desk.customer.clone().unwrap_or_default();
        let block = panel(format!("{}{email}", s::CARD_TITLE), theme);
        let lines = match &desk.profile {
            None => {
                let text = match &self.error {
                    Some(error) => message_line(theme::ERROR_MARKER, error.as_str(), theme.error),
                    None => Line::styled(s::LOADING, theme.hint),
                };
                vec![text]
            }
            Some(p) => profile_lines(p, view),
        };
        frame.render_widget(
            Paragraph::new(lines).block(block.padding(ratatui::widgets::Padding::horizontal(1))),
            area,
        );
    }

    pub(super) fn render_accounts(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let desk = &view.data.desk;
        let focused = self.pane == Pane::Accounts && self.dialog.is_none();
        let block = panel(s::CARD_ACCOUNTS_PANEL, theme).border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        });
        if desk.accounts.is_empty() {
            let text = if self.requests.is_waiting(Asked::Accounts) {
                s::LOADING
            } else {
                s::CARD_NO_ACCOUNTS
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.hint)).block(block),
                area,
            );
            return;
        }
        let header = Row::new([
            Line::raw(s::COL_ACCOUNT),
            Line::raw(s::COL_CURRENCY),
            Line::raw(s::COL_STATUS),
            Line::raw(s::COL_BALANCE).right_aligned(),
            Line::raw(s::COL_OPENED),
        ])
        .style(theme.table_header);
        let rows = desk.accounts.iter().map(|a| {
            let status = match a.status {
                AccountStatus::Open => Span::raw(status_label(a.status)),
                _ => Span::styled(status_label(a.status), theme.warning),
            };
            Row::new([
                Line::raw(a.number.grouped()),
                Line::raw(a.currency.as_str()),
                Line::from(status),
                money_line(a.balance, theme.base),
                Line::raw(
                    view.clock
                        .local(a.created_at)
                        .format(s::DATE_FORMAT)
                        .to_string(),
                ),
            ])
        });
        let table = Table::new(
            rows,
            [
                Constraint::Length(14),
                Constraint::Length(9),
                Constraint::Length(8),
                Constraint::Length(18),
                Constraint::Length(10),
            ],
        )
        .header(header)
        .column_spacing(2)
        .row_highlight_style(if focused { theme.selected } else { theme.base })
        .highlight_symbol(theme::SELECTED_MARKER)
        .block(block);
        let mut state = TableState::default().with_selected(Some(desk.selected));
        frame.render_stateful_widget(table, area, &mut state);
    }

    pub(super) fn render_movements(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let focused = self.pane == Pane::Movements && self.dialog.is_none();
        let title = match &self.movements_for {
            Some(number) => format!("{}{}", s::CARD_MOVEMENTS_PANEL, grouped(number)),
            None => s::RECENT_PANEL_NONE.to_string(),
        };
        let block = panel(title, theme).border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        });
        if self.movements.is_empty() {
            let text = if self.requests.is_waiting(Asked::Movements)
                || self.requests.is_waiting(Asked::Accounts)
            {
                s::LOADING
            } else if view.data.desk.accounts.is_empty() {
                ""
            } else {
                s::NO_MOVEMENTS
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.hint)).block(block),
                area,
            );
            return;
        }
        let header = Row::new([
            Line::raw(s::COL_REF),
            Line::raw(s::COL_DATE),
            Line::raw(s::COL_KIND),
            Line::raw(s::COL_COUNTERPARTY),
            Line::raw(s::COL_AMOUNT).right_aligned(),
            Line::raw(s::COL_MEMO),
        ])
        .style(theme.table_header);
        let rows = self.movements.iter().map(|e| {
            Row::new([
                Line::raw(format!("#{}", e.id)),
                Line::raw(when(view, e.at)),
                Line::raw(kind_label(e.kind, e.amount)),
                Line::raw(party_label(&e.counterparty)),
                money_line(e.amount, theme.base),
                Line::raw(e.memo.clone().unwrap_or_default()),
            ])
        });
        let table = Table::new(
            rows,
            [
                Constraint::Length(7),
                Constraint::Length(16),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Min(4),
            ],
        )
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol(theme::SELECTED_MARKER)
        .block(block);
        let selected = focused.then_some(self.movement_selected);
        let mut state = TableState::default().with_selected(selected);
        frame.render_stateful_widget(table, area, &mut state);
    }
}

/// The profile part of the card: who, where, phones, and whether they can log in.
fn profile_lines<'a>(p: &UserProfile, view: &View) -> Vec<Line<'a>> {
    let theme = view.theme;
    let place = match &p.city {
        Some(city) => format!("{city}, {}", p.country),
        None => p.country.clone(),
    };
    let since = view
        .clock
        .local(p.created_at)
        .format(s::DATE_FORMAT)
        .to_string();
    let phones = if p.phones.is_empty() {
        s::NO_PHONES.to_string()
    } else {
        p.phones.join(", ")
    };
    let login = match p.locked_until {
        Some(until) if until > view.clock.wall() => Line::from(vec![
            Span::styled(format!("{:<8}", s::CARD_LOGIN), theme.label),
            Span::styled(
                format!(
                    "{}{}{}{}",
                    theme::ERROR_MARKER,
                    s::CARD_LOCKED_UNTIL,
                    view.clock.local(until).format(s::TIME_FORMAT),
                    s::CARD_UNLOCK_HINT
                ),
                theme.warning,
            ),
        ]),
        _ => Line::from(vec![
            Span::styled(format!("{:<8}", s::CARD_LOGIN), theme.label),
            Span::raw(format!("{}{}", theme::OK_MARKER, s::CARD_NOT_LOCKED)),
        ]),
    };
    vec![
        Line::from(vec![
            Span::styled(p.full_name(), theme.title),
            Span::raw(format!(
                " · {}{} · {place} · {}{since}",
                p.age,
                s::YEARS,
                s::CUSTOMER_SINCE
            )),
        ]),
        Line::from(vec![
            Span::styled(format!("{:<8}", s::CARD_PHONES), theme.label),
            Span::raw(phones),
        ]),
        login,
    ]
}
