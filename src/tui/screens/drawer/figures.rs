//! The drawer's figures: while open (the float, never the expected cash) and just closed
//! (counted, expected and the difference).

use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use rust_decimal::Decimal;

use super::bars;
use crate::domain::CashCount;
use crate::services::DrawerView;
use crate::tui::context::View;
use crate::tui::screens::{message_line, money, panel};
use crate::tui::strings as s;
use crate::tui::strings_day as sd;
use crate::tui::theme;

/// The open drawer: the session, its currency and opening float; never what is expected.
pub(super) fn render_open(frame: &mut Frame, area: Rect, view: &View, error: Option<&str>) {
    let theme = view.theme;
    let block = panel(s::DRAWER_PANEL, theme);
    let inner = block.inner(area).inner(Margin::new(1, 1));
    frame.render_widget(block, area);
    let Some(Some(d)) = &view.data.desk.drawer else {
        frame.render_widget(Line::styled(s::LOADING, theme.hint), inner);
        return;
    };
    let label = |text: &'static str| Span::styled(format!("  {text:<18}"), theme.label);
    let figure = |amount: Decimal| format!("{:>16}", money(amount));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{}{}", theme::OK_MARKER, s::DRAWER_IS_OPEN),
                theme.success,
            ),
            Span::raw(format!(
                "{}{}{}{}",
                s::SESSION_PREFIX,
                d.session_id,
                s::SESSION_OPENED,
                view.clock.local(d.opened_at).format(s::DATE_TIME_FORMAT)
            )),
        ]),
        Line::default(),
        Line::from(vec![
            label(s::FIELD_CURRENCY),
            Span::styled(d.currency.as_str(), theme.title),
        ]),
        Line::from(vec![
            label(s::OPENING_FLOAT),
            Span::raw(figure(d.opening_float)),
        ]),
        Line::from(vec![label(sd::TOP_UPS), Span::raw(figure(d.top_ups))]),
        Line::from(vec![label(sd::DROPS), Span::raw(figure(d.drops))]),
        Line::from(vec![
            label(s::CASH_FLOWS),
            Span::styled(s::BLIND_CLOSE, theme.hint),
        ]),
        Line::default(),
        Line::from(vec![
            label(s::OPENING_COUNT),
            Span::raw(d.opening_count.clone()),
        ]),
        Line::default(),
    ];
    if let Some(error) = error {
        lines.push(message_line(theme::ERROR_MARKER, error, theme.error));
    } else {
        lines.push(Line::styled(s::DRAWER_OPEN_HINT, theme.hint));
        lines.push(Line::styled(sd::DRAWER_DAY_HINT, theme.hint));
    }
    // One row of slack for a message that wraps, then the opening count as bars.
    let text_rows = u16::try_from(lines.len() + 1).unwrap_or(u16::MAX);
    let [text_area, heading_area, bars_area] = Layout::vertical([
        Constraint::Length(text_rows),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), text_area);
    let slices = CashCount::parse(&d.opening_count)
        .map(|count| bars::slices_of(&count))
        .unwrap_or_default();
    if bars::render(frame, bars_area, view, (&slices, d.currency)) {
        frame.render_widget(
            Line::styled(s::OPENING_BY_DENOMINATION, theme.label),
            heading_area,
        );
    }
}

/// The result of the blind close: counted, expected and over or short.
pub(super) fn render_closed(frame: &mut Frame, area: Rect, view: &View, result: &DrawerView) {
    let theme = view.theme;
    let block = panel(s::DRAWER_CLOSED_PANEL, theme);
    let inner = block.inner(area).inner(Margin::new(1, 1));
    frame.render_widget(block, area);
    let label = |text: &'static str| Span::styled(format!("  {text:<18}"), theme.label);
    let figure = |amount: Decimal| format!("{:>16}", money(amount));
    let counted = result.counted.unwrap_or_default();
    let expected = result.expected.unwrap_or_default();
    let difference = result.over_short.unwrap_or(counted - expected);
    let (word, style) = if difference > Decimal::ZERO {
        (s::OVER, theme.warning)
    } else if difference < Decimal::ZERO {
        (s::SHORT, theme.warning)
    } else {
        (s::BALANCED, theme.success)
    };
    let mut lines = vec![
        message_line(theme::OK_MARKER, s::DRAWER_CLOSED_HEADING, theme.success),
        Line::raw(format!(
            "  {}{}{}{}",
            s::SESSION,
            result.session_id,
            s::SESSION_CURRENCY,
            result.currency
        )),
        Line::default(),
        Line::from(vec![
            label(s::OPENING_FLOAT),
            Span::raw(figure(result.opening_float)),
        ]),
        Line::from(vec![
            label(s::CASH_IN),
            Span::raw(figure(result.cash_in.unwrap_or_default())),
        ]),
        Line::from(vec![
            label(s::CASH_OUT),
            Span::raw(figure(result.cash_out.unwrap_or_default())),
        ]),
        Line::from(vec![label(s::EXPECTED_CASH), Span::raw(figure(expected))]),
        Line::from(vec![
            label(s::COUNTED_TOTAL),
            Span::styled(figure(counted), theme.title),
        ]),
        Line::from(vec![
            label(word),
            Span::styled(figure(difference.abs()), style),
        ]),
        Line::default(),
    ];
    if !difference.is_zero() {
        lines.push(Line::styled(s::OVER_SHORT_POSTED, theme.hint));
    }
    lines.push(Line::styled(s::DRAWER_CLOSED_HINT, theme.hint));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
