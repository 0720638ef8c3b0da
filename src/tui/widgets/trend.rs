//! A balance trend as a one-line sparkline of text ("▁▂▄█"), so it fits a table cell and
//! scrolls with its row. Scaled from the `Decimal` balances themselves (no floating point): the
//! lowest balance is the shortest bar, the highest the tallest; the shape, not a colour, carries
//! the meaning.

use ratatui::symbols::bar;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The bar heights, lowest first; the empty level is left out so every balance shows.
const LEVELS: [&str; 8] = [
    bar::ONE_EIGHTH,
    bar::ONE_QUARTER,
    bar::THREE_EIGHTHS,
    bar::HALF,
    bar::FIVE_EIGHTHS,
    bar::THREE_QUARTERS,
    bar::SEVEN_EIGHTHS,
    bar::FULL,
];

/// The last `width` balances (oldest first) as bars; empty with fewer than two, a level line
/// when the balance did not move.
pub fn sparkline(balances: &[Decimal], width: usize) -> String {
    let recent = &balances[balances.len().saturating_sub(width)..];
    let (Some(low), Some(high)) = (recent.iter().min(), recent.iter().max()) else {
        return String::new();
    };
    if recent.len() < 2 {
        return String::new();
    }
    let range = *high - *low;
    let top = Decimal::from(LEVELS.len() - 1);
    recent
        .iter()
        .map(|balance| {
            let level = if range.is_zero() {
                LEVELS.len() / 2 - 1
            } else {
                ((*balance - *low) * top / range)
                    .round()
                    .to_usize()
                    .unwrap_or(0)
            };
            LEVELS[level.min(LEVELS.len() - 1)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn balances(raw: &[&str]) -> Vec<Decimal> {
        raw.iter().map(|r| r.parse().unwrap_or_default()).collect()
    }

    #[test]
    fn lowest_is_the_shortest_bar_and_highest_the_tallest() {
        let line = sparkline(&balances(&["100.00", "170.00", "135.00", "30.00"]), 16);
        assert_eq!(line, "▅█▆▁");
    }

    #[test]
    fn only_the_last_width_balances_show() {
        let line = sparkline(&balances(&["999.00", "1.00", "2.00", "3.00"]), 3);
        assert_eq!(line, "▁▅█");
    }

    #[test]
    fn a_flat_balance_is_a_level_line_and_one_point_is_no_line() {
        assert_eq!(sparkline(&balances(&["5.00", "5.00", "5.00"]), 8), "▄▄▄");
        assert_eq!(sparkline(&balances(&["5.00"]), 8), "");
        assert_eq!(sparkline(&[], 8), "");
    }

    #[test]
    fn negative_balances_scale_the_same_way() {
        assert_eq!(
            sparkline(&balances(&["-70.00", "0.00", "-35.00"]), 8),
            "▁█▅"
        );
    }
}
