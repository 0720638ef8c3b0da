//! A movement's writes in one round trip (migration 000016): `CALL post_movement(…)` moves both
//! balances by the amount and appends the journal row and its audit line, inside the caller's
//! transaction on rows it locked; `CALL commit_movement(…)` does the same as a transaction of its
//! own, taking the locks and re-checking the accounts itself. A busy account is locked until
//! `COMMIT`, so every round trip in between lowers the rate on it.

use chrono::NaiveDateTime;
use diesel::mysql::Mysql;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Datetime, Decimal as SqlDecimal, Nullable, Text};
use diesel::RunQueryDsl;
use rust_decimal::Decimal;

use super::{Connection, QueryResult};

/// The session variables the procedure's OUT parameters land in.
const OUT_VARIABLES: &str = "@teller_posted_id, @teller_debit_after, @teller_credit_after";

/// One movement to post: the journal row's fields and what its audit line says.
pub struct NewPosting<'a> {
    pub idempotency_key: &'a str,
    pub kind: &'a str,
    pub debit_account_id: i64,
    pub credit_account_id: i64,
    pub amount: Decimal,
    pub currency: &'a str,
    pub memo: Option<&'a str>,
    pub reverses_id: Option<i64>,
    pub actor: &'a str,
    pub approved_by: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub drawer_session_id: Option<i64>,
    pub device: &'a str,
    /// The account the audit line is about.
    pub subject: &'a str,
    /// The audit line's text up to the movement's id, which the procedure appends.
    pub detail_before_id: &'a str,
}

/// What the procedure wrote: the movement's id and both balances after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posted {
    pub id: i64,
    pub debit_after: Decimal,
    pub credit_after: Decimal,
}

/// Writes the movement, both balances and the audit line in the caller's transaction, on rows
/// the caller locked and checked. Read what was written with [`posted`].
pub fn post(conn: &mut Connection, posting: &NewPosting<'_>) -> QueryResult<()> {
    Call::<'_, '_, false>(posting).execute(conn)?;
    Ok(())
}

/// Locks both accounts, re-checks that they are still open and in the movement's currency (see
/// [`is_changed`]), writes as [`post`] does and commits: one transaction of its own, so the
/// connection must have none open. Read what was written with [`posted`].
pub fn commit_rechecked(conn: &mut Connection, posting: &NewPosting<'_>) -> QueryResult<()> {
    Call::<'_, '_, true>(posting).execute(conn)?;
    Ok(())
}

/// The movement this connection posted last (in this transaction or an earlier one).
pub fn posted(conn: &mut Connection) -> QueryResult<Posted> {
    let (id, debit_after, credit_after): (Option<i64>, Option<Decimal>, Option<Decimal>) =
        ReadPosted.get_result(conn)?;
    match (id, debit_after, credit_after) {
        (Some(id), Some(debit_after), Some(credit_after)) => Ok(Posted {
            id,
            debit_after,
            credit_after,
        }),
        _ => Err(diesel::result::Error::DeserializationError(
            "no movement posted on this connection".into(),
        )),
    }
}

/// True when a [`commit_rechecked`] posting was refused because the accounts are no longer
/// as the caller read them (closed, frozen, or the payer's balance too low for the table's
/// CHECK): nothing was written, and the caller checks again on locked rows.
pub fn is_changed(error: &diesel::result::Error) -> bool {
    match error {
        diesel::result::Error::DatabaseError(_, info) => {
            let message = info.message();
            message.contains("post_movement: the accounts changed")
                || message.contains("accounts_customer_not_negative")
        }
        _ => false,
    }
}

/// The account whose balance chain a posting found broken (`post_movement` refused: the
/// balance before the movement is not the balance after the account's last one).
pub fn broken_chain(error: &diesel::result::Error) -> Option<i64> {
    match error {
        diesel::result::Error::DatabaseError(_, info) => info
            .message()
            .split_once("post_movement: balance chain broken on account ")
            .and_then(|(_, id)| id.trim().parse().ok()),
        _ => None,
    }
}

/// `SELECT @teller_posted_id, …`, prepared once per connection (a `sql` fragment would be
/// prepared again on every call: two round trips).
struct ReadPosted;

impl QueryId for ReadPosted {
    type QueryId = ReadPosted;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for ReadPosted {
    type SqlType = (Nullable<BigInt>, Nullable<SqlDecimal>, Nullable<SqlDecimal>);
}

impl RunQueryDsl<Connection> for ReadPosted {}

impl QueryFragment<Mysql> for ReadPosted {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        out.push_sql(OUT_VARIABLES);
        Ok(())
    }
}

/// `CALL post_movement(?, …, FALSE, @teller_posted_id, …)` or, `OWN_TRANSACTION`,
/// `CALL commit_movement(?, …, @teller_posted_id, …)`: each one shape, prepared once per
/// connection.
struct Call<'q, 'a, const OWN_TRANSACTION: bool>(&'q NewPosting<'a>);

impl<const OWN_TRANSACTION: bool> QueryId for Call<'_, '_, OWN_TRANSACTION> {
    type QueryId = Call<'static, 'static, OWN_TRANSACTION>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const OWN_TRANSACTION: bool> RunQueryDsl<Connection> for Call<'_, '_, OWN_TRANSACTION> {}

impl<const OWN_TRANSACTION: bool> QueryFragment<Mysql> for Call<'_, '_, OWN_TRANSACTION> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        let p = self.0;
        out.push_sql(if OWN_TRANSACTION {
            "CALL commit_movement("
        } else {
            "CALL post_movement("
        });
        out.push_bind_param::<Text, _>(&p.idempotency_key)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&p.kind)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&p.debit_account_id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&p.credit_account_id)?;
        out.push_sql(", ");
        out.push_bind_param::<SqlDecimal, _>(&p.amount)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&p.currency)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&p.memo)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&p.reverses_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&p.actor)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&p.approved_by)?;
        out.push_sql(", ");
        out.push_bind_param::<Datetime, _>(&p.created_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&p.drawer_session_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&p.device)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&p.subject)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&p.detail_before_id)?;
        // The caller locked and checked the rows: no re-check (`commit_movement` makes one).
        out.push_sql(if OWN_TRANSACTION { ", " } else { ", FALSE, " });
        out.push_sql(OUT_VARIABLES);
        out.push_sql(")");
        Ok(())
    }
}
