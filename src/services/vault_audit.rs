//! The audit's view of the vault: its counts agree with the journal, and every float, top-up
//! and drop was approved by someone other than its teller.

use rust_decimal::Decimal;

use super::vault::{holdings_after, stored_count};
use super::{BankResult, MovementKind};
use crate::db::{vault, Connection};
use crate::domain::format_money;

/// What is wrong with the vault days, in words.
/// The vault days from `from_id` on (the days still open at the last checkpoint, and later).
pub(super) fn vault_problems(conn: &mut Connection, from_id: i64) -> BankResult<Vec<String>> {
    let mut problems = Vec::new();
    for day in vault::days_from(conn, from_id)? {
        let name = format!("vault {} {}", day.currency, day.business_date);
        if stored_count(&day.opening_count)?.total() != day.opening_total {
            problems.push(format!("{name}: the opening count is not its total"));
        }
        let mut book = day.opening_total;
        let moves = vault::moves_of(conn, day.id)?;
        for line in &moves {
            let id = line.movement.movement_id;
            if stored_count(&line.movement.pieces)?.total() != line.amount {
                problems.push(format!("{name}: movement {id}'s pieces are not its amount"));
            }
            let approved = line
                .approved_by
                .as_deref()
                .is_some_and(|by| by != line.actor);
            let kind = MovementKind::from_stored(&line.kind).ok();
            if kind != Some(MovementKind::CashReturn) && !approved {
                problems.push(format!(
                    "{name}: movement {id} was not approved by a second person"
                ));
            }
            book += Decimal::from(line.movement.direction) * line.amount;
        }
        if let Err(e) = holdings_after(&day, &moves) {
            problems.push(format!("{name}: {e}"));
        }
        if let (Some(count), Some(total), Some(expected)) =
            (&day.closing_count, day.closing_total, day.closing_book)
        {
            if stored_count(count)?.total() != total {
                problems.push(format!("{name}: the closing count is not its total"));
            }
            if expected != book {
                problems.push(format!(
                    "{name}: expected {} at the count, the movements say {}",
                    format_money(expected),
                    format_money(book)
                ));
            }
        }
    }
    Ok(problems)
}
