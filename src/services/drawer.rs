//! A teller's cash drawer: opened with a counted float, closed with a blind count whose
//! difference from the expected cash is posted to the over/short account.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::accounts::{lock_internal_account, Holder};
use super::bank::now;
use super::money::{lock_drawer, Posting};
use super::users::audit;
use super::views::utc;
use super::{Actor, Bank, BankError, BankResult, MovementKind};
use crate::db::{accounts, drawer_sessions, movements, Connection};
use crate::domain::{format_money, CashCount, Currency, IdempotencyKey};

/// A drawer session and its figures. While it is open, `counted` and `over_short` are empty,
/// and its teller is not told the cash flows or the expected cash: the close is blind, in the
/// services and not only on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawerView {
    pub session_id: i64,
    pub currency: String,
    pub opening_float: Decimal,
    pub opening_count: String,
    /// None while the session is open (blind close).
    pub cash_in: Option<Decimal>,
    pub cash_out: Option<Decimal>,
    /// Opening float plus cash in minus cash out; None while the session is open.
    pub expected: Option<Decimal>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub counted: Option<Decimal>,
    /// Counted minus expected: positive over, negative short.
    pub over_short: Option<Decimal>,
}

impl Bank {
    /// Opens the teller's drawer for the day with the counted float.
    pub fn open_drawer(
        &mut self,
        actor: &Actor,
        currency: Currency,
        count: &CashCount,
    ) -> BankResult<DrawerView> {
        let Actor::User(user) = actor.clone() else {
            let e = BankError::Forbidden("open a drawer session (a set-up task handles no cash)");
            return self.refused(actor, "drawer.open", None, e);
        };
        if !user.role.is_staff() {
            return self.refused(
                actor,
                "drawer.open",
                None,
                BankError::Forbidden("handle cash"),
            );
        }
        let audit_name = actor.audit_name();
        let result = self.in_transaction(|conn| {
            let drawer = lock_drawer(conn, actor, currency.as_str())?;
            let id = drawer_sessions::insert(
                conn,
                &drawer_sessions::NewSession {
                    teller_id: user.id,
                    drawer_account_id: drawer.id,
                    currency: currency.as_str(),
                    opening_float: count.total(),
                    opening_count: &count.to_string(),
                    opened_at: now(),
                },
            )?;
            let detail = format!("float {} {currency} ({count})", format_money(count.total()));
            audit(
                conn,
                &audit_name,
                "drawer.open",
                &drawer.number,
                Some(&detail),
            )?;
            session_view(conn, id)
        });
        let result = match result {
            Err(BankError::Duplicate(_)) => Err(BankError::DrawerAlreadyOpen),
            other => other,
        };
        self.audited(actor, "drawer.open", "drawer", result)
    }

    /// The teller's open drawer session, if any.
    pub fn drawer(&mut self, actor: &Actor) -> BankResult<Option<DrawerView>> {
        let Some(user_id) = actor.user_id() else {
            return Ok(None);
        };
        let conn = &mut self.conn;
        match drawer_sessions::open_for(conn, user_id)? {
            Some(session) => session_view(conn, session.id).map(Some),
            None => Ok(None),
        }
    }

    /// Closes drawer session `session_id` with a blind count: the difference from the expected
    /// cash is posted to the over/short account and recorded with the session, which is final
    /// from then on. A count typed for one session never closes another.
    pub fn close_drawer(
        &mut self,
        actor: &Actor,
        session_id: i64,
        count: &CashCount,
    ) -> BankResult<DrawerView> {
        let Some(user_id) = actor.user_id() else {
            let e = BankError::Forbidden("close a drawer session (a set-up task handles no cash)");
            return self.refused(actor, "drawer.close", None, e);
        };
        let audit_name = actor.audit_name();
        let key = IdempotencyKey::generate();
        // Read outside the transaction: its snapshot must start after the locks below, so the
        // cash flows it sums include every movement committed before them.
        let open = match drawer_sessions::open_for(&mut self.conn, user_id)? {
            Some(open) if open.id == session_id => open,
            Some(_) => {
                let e = BankError::NotFound(format!("Your open drawer session {session_id}"));
                return self.refused(actor, "drawer.close", None, e);
            }
            None => {
                let e = BankError::DrawerClosed("any currency".into());
                return self.refused(actor, "drawer.close", None, e);
            }
        };
        let result = self.in_transaction(|conn| {
            // The drawer row first (as every cash movement does), then the session.
            let drawer = lock_drawer(conn, actor, &open.currency)?;
            let session = drawer_sessions::lock_open_for(conn, user_id)?
                .filter(|session| session.id == session_id)
                .ok_or_else(|| BankError::DrawerClosed(open.currency.clone()))?;
            let (cash_in, cash_out) = movements::session_cash_flows(conn, session.id, drawer.id)?;
            let expected = session.opening_float + cash_in - cash_out;
            let counted = count.total();
            let over_short = counted - expected;
            let movement_id = if over_short.is_zero() {
                None
            } else {
                Some(post_over_short(
                    conn,
                    &audit_name,
                    &key,
                    session.id,
                    &drawer,
                    over_short,
                )?)
            };
            drawer_sessions::close(
                conn,
                session.id,
                &drawer_sessions::Closing {
                    closed_at: now(),
                    counted,
                    closing_count: &count.to_string(),
                    expected,
                    over_short,
                    over_short_movement_id: movement_id,
                },
            )?;
            let detail = format!(
                "counted {} expected {} over/short {} {}",
                format_money(counted),
                format_money(expected),
                format_money(over_short),
                session.currency
            );
            audit(
                conn,
                &audit_name,
                "drawer.close",
                &drawer.number,
                Some(&detail),
            )?;
            session_view(conn, session.id)
        });
        self.audited(actor, "drawer.close", "drawer", result)
    }
}

/// Posts the difference between the drawer and the branch's over/short account: a shortage
/// (cash missing) credits the drawer, an overage debits it.
fn post_over_short(
    conn: &mut Connection,
    actor: &str,
    key: &IdempotencyKey,
    session_id: i64,
    drawer: &accounts::AccountRow,
    over_short: Decimal,
) -> BankResult<i64> {
    let account = lock_over_short_account(conn, &drawer.currency)?;
    let posting = Posting {
        kind: MovementKind::OverShort,
        key,
        amount: over_short.abs(),
        memo: Some(if over_short < Decimal::ZERO {
            "drawer short"
        } else {
            "drawer over"
        }),
        actor,
        approved_by: None,
        session_id: Some(session_id),
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

/// A session as its teller may see it: the figures that would give the closing count away
/// stay hidden until it is closed.
fn session_view(conn: &mut Connection, id: i64) -> BankResult<DrawerView> {
    let session = drawer_sessions::find(conn, id)?
        .ok_or_else(|| BankError::NotFound(format!("Drawer session {id}")))?;
    let closed = session.closed_at.is_some();
    let (cash_in, cash_out) = if closed {
        let (cash_in, cash_out) =
            movements::session_cash_flows(conn, session.id, session.drawer_account_id)?;
        (Some(cash_in), Some(cash_out))
    } else {
        (None, None)
    };
    Ok(DrawerView {
        session_id: session.id,
        currency: session.currency,
        opening_float: session.opening_float,
        opening_count: session.opening_count,
        cash_in,
        cash_out,
        expected: session.expected,
        opened_at: utc(session.opened_at),
        closed_at: session.closed_at.map(utc),
        counted: session.counted,
        over_short: session.over_short,
    })
}
