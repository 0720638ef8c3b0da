//! An account's balance over the movements shown, as a line: one point per movement at its
//! time and balance after it, oldest on the left, with the selected movement marked. The axis
//! is labelled with the lowest and highest balance, formatted from the `Decimal`s; `f64` is
//! used only for the plotting coordinates, never for a figure shown as text.

use ratatui::layout::{Alignment, Rect};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType};
use ratatui::Frame;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::services::HistoryEntry;
use crate::tui::context::View;
use crate::tui::screens::{money, panel};
use crate::tui::strings as s;

/// Rows the chart takes: its border and four rows of line (sixteen braille dots high).
pub const HEIGHT: u16 = 6;

/// The lowest and highest balance after the movements; a flat balance gets one unit either
/// side so that the line sits in the middle.
pub fn balance_bounds(entries: &[HistoryEntry]) -> Option<(Decimal, Decimal)> {
    let low = entries.iter().map(|e| e.balance_after).min()?;
    let high = entries.iter().map(|e| e.balance_after).max()?;
    Some(if low == high {
        (low - Decimal::ONE, high + Decimal::ONE)
    } else {
        (low, high)
    })
}

/// The line's points, oldest first: (milliseconds after the oldest movement, balance after), each
/// with its movement's id. When every movement has the same time, they are spaced evenly in
/// their order instead, so the line does not stand on end. Plotting coordinates only.
pub fn points(entries: &[HistoryEntry]) -> Vec<(i64, (f64, f64))> {
    let mut ordered: Vec<&HistoryEntry> = entries.iter().collect();
    // The bank lists the newest first.
    ordered.sort_by_key(|e| (e.at, e.id));
    let (Some(first), Some(last)) = (ordered.first(), ordered.last()) else {
        return Vec::new();
    };
    let (start, same_time) = (first.at, first.at == last.at);
    ordered
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let x = if same_time {
                i64::try_from(i).unwrap_or(i64::MAX)
            } else {
                (e.at - start).num_milliseconds()
            };
            #[allow(clippy::cast_precision_loss)] // milliseconds within a page of movements fit
            let x = x as f64;
            (e.id, (x, e.balance_after.to_f64().unwrap_or_default()))
        })
        .collect()
}

/// Draws the chart of `entries` with `selected` (an index into them) marked; false, drawing
/// nothing, when there are fewer than two movements or no room.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    view: &View,
    entries: &[HistoryEntry],
    selected: Option<usize>,
) -> bool {
    let theme = view.theme;
    let (Some((low, high)), Some(first), Some(last)) = (
        balance_bounds(entries),
        entries.iter().map(|e| e.at).min(),
        entries.iter().map(|e| e.at).max(),
    ) else {
        return false;
    };
    if entries.len() < 2 || area.height < HEIGHT {
        return false;
    }
    let plotted = points(entries);
    let line: Vec<(f64, f64)> = plotted.iter().map(|(_, p)| *p).collect();
    let selected_id = selected.and_then(|i| entries.get(i)).map(|e| e.id);
    let marked: Vec<(f64, f64)> = plotted
        .iter()
        .filter(|(id, _)| Some(*id) == selected_id)
        .map(|(_, p)| *p)
        .collect();
    let span = line.last().map_or(0.0, |p| p.0).max(1.0);
    let (from, to) = (
        view.clock.local(first).format(s::DATE_FORMAT).to_string(),
        view.clock.local(last).format(s::DATE_FORMAT).to_string(),
    );
    let title = if from == to {
        format!("{}{from}", s::BALANCE_CHART_ON)
    } else {
        format!("{}{from}{}{to}", s::BALANCE_CHART_FROM, s::BALANCE_CHART_TO)
    };
    let datasets = vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.base)
            .data(&line),
        // The selected movement: a dot of its own, so it shows without colour.
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(theme.key)
            .data(&marked),
    ];
    let bounds = [
        low.to_f64().unwrap_or_default(),
        high.to_f64().unwrap_or_default(),
    ];
    let chart = Chart::new(datasets)
        .block(panel(title, theme))
        .x_axis(Axis::default().bounds([0.0, span]))
        .y_axis(
            Axis::default()
                .bounds(bounds)
                .style(theme.dim)
                .labels_alignment(Alignment::Right)
                .labels([Line::raw(money(low)), Line::raw(money(high))]),
        );
    frame.render_widget(chart, area);
    true
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;
    use crate::services::{MovementKind, Party};

    fn entry(id: i64, hours: i64, balance_after: &str) -> HistoryEntry {
        HistoryEntry {
            id,
            at: Utc
                .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
                .single()
                .unwrap_or_default()
                + Duration::hours(hours),
            kind: MovementKind::Deposit,
            amount: Decimal::ONE,
            currency: crate::domain::Currency::USD,
            counterparty: Party::Cash,
            balance_after: balance_after.parse().unwrap_or_default(),
            key: format!("k{id}"),
            memo: None,
            device: "local".into(),
        }
    }

    #[test]
    fn points_run_oldest_first_in_milliseconds_and_balance() {
        // As the bank lists them: newest first.
        let entries = [
            entry(3, 5, "80.25"),
            entry(2, 2, "120.50"),
            entry(1, 0, "100.00"),
        ];
        assert_eq!(
            points(&entries),
            [
                (1, (0.0, 100.0)),
                (2, (7_200_000.0, 120.5)),
                (3, (18_000_000.0, 80.25))
            ]
        );
        assert!(points(&[]).is_empty());
    }

    #[test]
    fn movements_at_one_time_are_spaced_by_their_order() {
        let entries = [entry(8, 3, "750.00"), entry(7, 3, "1000.00")];
        assert_eq!(points(&entries), [(7, (0.0, 1000.0)), (8, (1.0, 750.0))]);
    }

    #[test]
    fn bounds_are_the_lowest_and_highest_balance_as_decimals() {
        let entries = [entry(2, 1, "2450.75"), entry(1, 0, "-10.05")];
        let (low, high) = balance_bounds(&entries).unwrap_or_default();
        assert_eq!(
            (money(low), money(high)),
            ("-10.05".into(), "2,450.75".into())
        );
        let flat = [entry(2, 1, "5.00"), entry(1, 0, "5.00")];
        let (low, high) = balance_bounds(&flat).unwrap_or_default();
        assert_eq!((money(low), money(high)), ("4.00".into(), "6.00".into()));
        assert_eq!(balance_bounds(&[]), None);
    }
}
