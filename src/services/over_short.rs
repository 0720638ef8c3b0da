//! The difference between a count and the book, posted to the branch's over/short account (a
//! drawer's close and a vault's count both post it).

use rust_decimal::Decimal;

use super::accounts::{lock_internal_account, Holder};
use super::actor::Stamp;
use super::posting::Posting;
use super::{BankResult, MovementKind};
use crate::db::{accounts, Connection};
use crate::domain::IdempotencyKey;

/// Posts the difference between a count and the book to the branch's over/short account: a
/// shortage (cash missing) credits the cash account (a drawer or a vault), an overage debits it.
pub(super) fn post_over_short(
    conn: &mut Connection,
    stamp: &Stamp,
    key: &IdempotencyKey,
    session_id: Option<i64>,
    drawer: &accounts::AccountRow,
    over_short: Decimal,
    what: &str,
) -> BankResult<i64> {
    let account = lock_over_short_account(conn, drawer.currency.as_str())?;
    let memo = if over_short < Decimal::ZERO {
        format!("{what} short")
    } else {
        format!("{what} over")
    };
    let posting = Posting {
        kind: MovementKind::OverShort,
        key,
        amount: over_short.abs(),
        memo: Some(&memo),
        stamp,
        approved_by: None,
        session_id,
        reverses: None,
    };
    let result = if over_short < Decimal::ZERO {
        posting.post(conn, &account, drawer)?
    } else {
        posting.post(conn, drawer, &account)?
    };
    Ok(result.id)
}

/// The branch's over/short account for a currency, created on first use.
fn lock_over_short_account(
    conn: &mut Connection,
    currency: &str,
) -> BankResult<accounts::AccountRow> {
    let label = format!("over_short:{currency}");
    lock_internal_account(conn, Holder::OverShort(&label), currency)
}
