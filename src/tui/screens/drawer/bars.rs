//! The cash by denomination as horizontal bars: one bar per banknote or coin that was counted,
//! as long as its value next to the largest, with its share of the whole. Drawn only from what
//! was counted, never from what is expected (the close stays blind). Block characters in the
//! theme's styles, so the bars read the same without colour.

use ratatui::layout::Rect;
use ratatui::symbols::block;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::{format_money_in, CashCount, Currency};
use crate::tui::context::View;

/// "  100.00 " before each bar.
const LABEL: usize = 8;
/// " 100%" after each bar.
const SHARE: usize = 5;
/// The narrowest bar worth drawing; below it the bars are left out.
const MIN_BAR: usize = 6;
/// The longest bar: longer ones only push the share away from its bar.
const MAX_BAR: usize = 40;
/// Columns between two columns of bars.
const GAP: usize = 3;

/// The value of one denomination in the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub cents: i64,
    pub value: Decimal,
}

/// The denominations that hold cash, largest banknote first, from (cents, pieces) pairs.
pub fn slices(counts: &[(i64, u32)]) -> Vec<Slice> {
    let mut slices: Vec<Slice> = counts
        .iter()
        .filter(|(_, pieces)| *pieces > 0)
        .map(|&(cents, pieces)| Slice {
            cents,
            value: Decimal::new(cents * i64::from(pieces), 2),
        })
        .collect();
    slices.sort_by_key(|s| std::cmp::Reverse(s.cents));
    slices
}

/// The slices of a count the bank recorded (the opening count of an open drawer).
pub fn slices_of(count: &CashCount) -> Vec<Slice> {
    slices(&count.counts())
}

/// A bar `width` cells long for `max`, in eighths of a cell; a value above zero always shows.
pub fn bar(value: Decimal, max: Decimal, width: usize) -> String {
    if max <= Decimal::ZERO || value <= Decimal::ZERO || width == 0 {
        return String::new();
    }
    let cells = Decimal::from(width);
    let eighths = (value.min(max) / max * cells * Decimal::from(8))
        .round()
        .to_usize()
        .unwrap_or(0)
        .max(1);
    let partial = match eighths % 8 {
        1 => block::ONE_EIGHTH,
        2 => block::ONE_QUARTER,
        3 => block::THREE_EIGHTHS,
        4 => block::HALF,
        5 => block::FIVE_EIGHTHS,
        6 => block::THREE_QUARTERS,
        7 => block::SEVEN_EIGHTHS,
        _ => "",
    };
    format!("{}{partial}", block::FULL.repeat(eighths / 8))
}

/// "72%" of the total, whole percents; "<1%" for a sliver.
pub fn share(value: Decimal, total: Decimal) -> String {
    if total <= Decimal::ZERO {
        return String::new();
    }
    let percent = (value * Decimal::ONE_HUNDRED / total)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    if percent.is_zero() && value > Decimal::ZERO {
        "<1%".to_string()
    } else {
        format!("{percent}%")
    }
}

/// How many columns the bars need in `rows` rows, and how wide each is; `None` when they do not
/// fit in `width` (then they are left out rather than squeezed).
pub fn columns(bars: usize, rows: u16, width: u16) -> Option<(usize, usize)> {
    if bars == 0 || rows == 0 {
        return None;
    }
    let columns = bars.div_ceil(usize::from(rows));
    let column = (usize::from(width) + GAP) / columns;
    let column = column.checked_sub(GAP)?;
    (column >= LABEL + MIN_BAR + SHARE).then_some((columns, column))
}

/// Draws the bars in `area`, in as many columns as its height needs; false (nothing drawn) when
/// there is nothing counted or they do not fit.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    view: &View,
    (slices, currency): (&[Slice], Currency),
) -> bool {
    let theme = view.theme;
    let Some((_, column)) = columns(slices.len(), area.height, area.width) else {
        return false;
    };
    let total: Decimal = slices.iter().map(|s| s.value).sum();
    let max = slices.iter().map(|s| s.value).max().unwrap_or_default();
    let bar_width = (column - LABEL - SHARE).min(MAX_BAR);
    let rows = usize::from(area.height);
    for (i, slice) in slices.iter().enumerate() {
        let (col, row) = (i / rows, i % rows);
        let x = u16::try_from(col * (column + GAP)).unwrap_or(u16::MAX);
        let rect = Rect {
            x: area.x.saturating_add(x),
            y: area.y + u16::try_from(row).unwrap_or(0),
            width: u16::try_from(LABEL + bar_width + SHARE).unwrap_or(0),
            height: 1,
        }
        .intersection(area);
        let denomination = format_money_in(Decimal::new(slice.cents, 2), currency);
        let line = Line::from(vec![
            Span::styled(format!("{denomination:>7} "), theme.label),
            Span::styled(
                format!("{:<bar_width$}", bar(slice.value, max, bar_width)),
                theme.base,
            ),
            Span::styled(format!("{:>SHARE$}", share(slice.value, total)), theme.dim),
        ]);
        frame.render_widget(line, rect);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(raw: &str) -> Decimal {
        raw.parse().unwrap_or_default()
    }

    #[test]
    fn only_denominations_with_cash_largest_first() {
        let got = slices(&[(1, 3), (10_000, 15), (500, 0), (5_000, 10)]);
        let cents: Vec<i64> = got.iter().map(|s| s.cents).collect();
        assert_eq!(cents, [10_000, 5_000, 1]);
        assert_eq!(got[0].value, d("1500.00"));
        assert_eq!(got[2].value, d("0.03"));
        assert!(slices(&[(100, 0)]).is_empty());
    }

    #[test]
    fn a_recorded_count_gives_the_same_slices() {
        let count = CashCount::parse("100x15 50x10").expect("a count");
        let got = slices_of(&count);
        assert_eq!(got.len(), 2);
        assert_eq!((got[1].cents, got[1].value), (5_000, d("500.00")));
    }

    #[test]
    fn bars_scale_to_the_largest_in_eighths() {
        assert_eq!(bar(d("1500"), d("1500"), 4), "████");
        assert_eq!(bar(d("750"), d("1500"), 4), "██");
        // 500/1500 of 4 cells is 10.67 eighths: one cell and three eighths.
        assert_eq!(bar(d("500"), d("1500"), 4), "█▍");
        // A sliver still shows.
        assert_eq!(bar(d("0.01"), d("1500"), 4), "▏");
        assert_eq!(bar(Decimal::ZERO, d("1500"), 4), "");
        assert_eq!(bar(d("1"), Decimal::ZERO, 4), "");
    }

    #[test]
    fn shares_are_whole_percents_of_the_total() {
        assert_eq!(share(d("1500"), d("2070")), "72%");
        assert_eq!(share(d("2070"), d("2070")), "100%");
        assert_eq!(share(d("0.05"), d("2070")), "<1%");
        assert_eq!(share(d("1"), Decimal::ZERO), "");
    }

    #[test]
    fn bars_take_more_columns_or_stay_out() {
        assert_eq!(columns(3, 3, 76), Some((1, 76)));
        assert_eq!(columns(5, 3, 76), Some((2, 36)));
        assert_eq!(
            columns(12, 3, 76),
            None,
            "four columns of 16 are too narrow"
        );
        assert_eq!(columns(12, 4, 76), Some((3, 23)));
        assert_eq!(columns(0, 3, 76), None);
        assert_eq!(columns(2, 0, 76), None);
        assert_eq!(columns(1, 1, 10), None);
    }
}
