//! The frame around every screen: header (who, role, database), tabs, the screen, the status
//! line (messages, database state, spinner) and the footer of main keys. `render` only draws.

use crate::domain::Role;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::app::{App, Notice, Overlay, Route};
use super::keys::Chord;
use super::screens::too_small;
use super::strings as s;
use super::theme;

/// Draws the whole app.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    app.frame_area.set(area);
    if !too_small::fits(area) {
        too_small::render(frame, area, &app.theme);
        return;
    }
    let [header, tabs, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let view = app.view();
    render_header(app, frame, header);
    render_tabs(app, frame, tabs);
    if let Some(lock) = &app.lock {
        lock.render(frame, body, &view);
    } else {
        app.screens.get(app.route).render(frame, body, &view);
    }
    match &app.overlay {
        Some(Overlay::Help(help)) => {
            let groups = app.screen_bindings();
            help.render(frame, body, app.route.title(), &groups, &app.theme);
        }
        Some(Overlay::QuitConfirm(quit)) => quit.render(frame, body, &app.theme),
        Some(Overlay::Palette(palette)) => palette.render(frame, body, &view),
        None => {}
    }
    render_status(app, frame, status);
    render_footer(app, frame, footer);
}

fn render_header(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let who = match (&app.session, app.lock.is_some()) {
        (Some(_), true) => s::HEADER_LOCKED.to_string(),
        (Some(session), false) => format!(
            "{} · {}",
            session.display_name(),
            session.user.role.as_str()
        ),
        (None, _) => s::HEADER_NOBODY.to_string(),
    };
    let left = format!(" {} · {who}", s::APP_NAME);
    // Supervisors: approval requests waiting, on every screen.
    let badge = match app.data.desk.approvals_waiting {
        Some(0) | None => String::new(),
        Some(1) => crate::tui::strings_approvals::BADGE_ONE.to_string(),
        Some(n) => format!(" {n}{}", crate::tui::strings_approvals::BADGE_MANY),
    };
    let right = match &app.node {
        // A cluster: the node in use, not the whole list.
        Some(node) if app.config.database_label.contains(',') => {
            format!(
                "{}{} on {node} ",
                s::HEADER_DATABASE,
                app.config.database_name
            )
        }
        _ => format!("{}{} ", s::HEADER_DATABASE, app.config.database_label),
    };
    // Served over SSH: the workstation's device, as every movement it makes records it.
    let right = match &app.config.device {
        Some(device) => format!("{}{device} · {right}", s::HEADER_DEVICE),
        None => right,
    };
    let width = |text: &str| u16::try_from(text.chars().count()).unwrap_or(u16::MAX);
    let [left_area, badge_area, right_area] = Layout::horizontal([
        Constraint::Length(width(&left)),
        Constraint::Length(if badge.is_empty() {
            0
        } else {
            width(&badge) + 1
        }),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(left).style(theme.header), left_area);
    if !badge.is_empty() {
        frame.render_widget(
            Paragraph::new(format!(" {badge}")).style(theme.warning),
            badge_area,
        );
    }
    frame.render_widget(
        Paragraph::new(Line::from(right).right_aligned()).style(theme.header),
        right_area,
    );
}

fn render_tabs(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    if app.session.is_none() || app.lock.is_some() {
        let title = if app.lock.is_some() {
            s::TITLE_LOCKED
        } else {
            Route::Login.title()
        };
        frame.render_widget(Line::styled(format!(" {title}"), theme.title), area);
        return;
    }
    let labels = tab_labels(app);
    let gap = tab_gap(&labels, area.width);
    let mut spans = vec![Span::raw(" ")];
    for (i, (route, label)) in labels.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(gap, theme.dim));
        }
        let style = if route == app.route {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Line::from(spans), area);
}

/// The gaps between tabs, widest first: the widest that lets every tab fit the row is used (an
/// admin's seven tabs take the narrowest at 80 columns).
const TAB_GAPS: [&str; 3] = [" │ ", "│ ", "│"];

/// The gap between tabs for a row of `width` columns.
fn tab_gap(labels: &[(Route, String)], width: u16) -> &'static str {
    let text: usize = labels.iter().map(|(_, label)| columns(label)).sum();
    let gaps = labels.len().saturating_sub(1);
    let fits = |gap: &&'static str| 1 + text + gaps * columns(gap) <= usize::from(width);
    TAB_GAPS
        .into_iter()
        .find(fits)
        .unwrap_or(TAB_GAPS[TAB_GAPS.len() - 1])
}

/// How many columns `text` takes on the terminal.
fn columns(text: &str) -> usize {
    Span::raw(text).width()
}

/// Each tab's text ("▸F3 Transfer"), from the route table through the keymap.
fn tab_labels(app: &App) -> Vec<(Route, String)> {
    let role = app.session.as_ref().map_or(Role::Customer, |s| s.user.role);
    app.config
        .keymap
        .tabs(role)
        .into_iter()
        .map(|(route, key)| {
            let marker = if route == app.route { "▸" } else { " " };
            (route, format!("{marker}{key} {}", route.title()))
        })
        .collect()
}

/// The tab drawn at this column of the tab row (as `render_tabs` lays them out).
pub fn tab_at(app: &App, column: u16) -> Option<Route> {
    let frame = app.frame_area.get();
    if app.session.is_none() || app.lock.is_some() || !too_small::fits(frame) {
        return None;
    }
    let column = usize::from(column.checked_sub(frame.x)?);
    let labels = tab_labels(app);
    let gap = columns(tab_gap(&labels, frame.width));
    let mut x = 1;
    for (i, (route, label)) in labels.into_iter().enumerate() {
        if i > 0 {
            x += gap;
        }
        let width = columns(&label);
        if (x..x + width).contains(&column) {
            return Some(route);
        }
        x += width;
    }
    None
}

fn render_status(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let db = if app.db_down {
        Span::styled(
            format!("{}{}", theme::ERROR_MARKER, s::DB_DOWN),
            theme.error,
        )
    } else if app.busy() {
        Span::styled(format!("{} {}", app.view().spinner, s::WORKING), theme.hint)
    } else {
        Span::raw("")
    };
    let notice = match &app.notice {
        Some(Notice::Info(text)) => {
            Span::styled(format!("{}{text}", theme::INFO_MARKER), theme.base)
        }
        Some(Notice::Success(text)) => {
            Span::styled(format!("{}{text}", theme::OK_MARKER), theme.success)
        }
        Some(Notice::Error(text)) => {
            Span::styled(format!("{}{text}", theme::ERROR_MARKER), theme.error)
        }
        None => Span::raw(""),
    };
    let db_width = u16::try_from(db.width() + 1)
        .unwrap_or(area.width)
        .min(area.width);
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(db_width)]).areas(area);
    frame.render_widget(Line::from(vec![Span::raw(" "), notice]), left);
    frame.render_widget(Line::from(db).right_aligned(), right);
}

fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    for hint in footer_hints(app) {
        spans.push(Span::styled(hint.key, theme.key));
        spans.push(Span::raw(format!(" {}  ", hint.word)));
    }
    frame.render_widget(
        Line::from(spans).style(theme.dim.remove_modifier(ratatui::style::Modifier::DIM)),
        area,
    );
}

/// One key in the footer: its label, its word and the key it stands for.
struct FooterHint {
    key: String,
    word: &'static str,
    chord: Chord,
}

/// The footer's keys in order: each word once, from the bindings in force.
fn footer_hints(app: &App) -> Vec<FooterHint> {
    let mut hints: Vec<FooterHint> = Vec::new();
    let typing = app.typing();
    for group in app.active_bindings() {
        for binding in group.iter().filter(|b| b.typing || !typing) {
            let (Some(word), Some(chord)) = (binding.footer, binding.chords.first()) else {
                continue;
            };
            if hints.iter().any(|h| h.word == word) {
                continue;
            }
            hints.push(FooterHint {
                key: binding.short_label(),
                word,
                chord: *chord,
            });
        }
    }
    hints
}

/// The key whose footer hint is drawn at this column: a click on it presses the key.
pub fn footer_key_at(app: &App, column: u16) -> Option<Chord> {
    let column = usize::from(column.checked_sub(app.frame_area.get().x)?);
    let mut x = 1;
    for hint in footer_hints(app) {
        let width = hint.key.chars().count() + 1 + hint.word.chars().count();
        if (x..x + width).contains(&column) {
            return Some(hint.chord);
        }
        x += width + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_gap_that_lets_every_tab_fit_is_taken() {
        let labels = vec![
            (Route::Accounts, " F2 Accounts".to_string()),
            (Route::Profile, "▸F7 Profile".to_string()),
        ];
        // A leading space and 23 columns of labels: 24, plus the one gap.
        assert_eq!(tab_gap(&labels, 27), " │ ");
        assert_eq!(tab_gap(&labels, 26), "│ ");
        assert_eq!(tab_gap(&labels, 25), "│");
        assert_eq!(tab_gap(&labels, 10), "│");
    }
}
