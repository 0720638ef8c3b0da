//! A connection's mark, written first by every transaction on a cluster (see
//! `services::cluster_guard`).

use diesel::prelude::*;

use super::schema::tx_guard;
use super::{Connection, QueryResult};

/// Sets the connection's mark to `n` (inserting its row the first time).
pub fn mark(conn: &mut Connection, token: i64, n: i64) -> QueryResult<()> {
    diesel::insert_into(tx_guard::table)
        .values((tx_guard::token.eq(token), tx_guard::n.eq(n)))
        .on_conflict(diesel::dsl::DuplicatedKeys)
        .do_update()
        .set(tx_guard::n.eq(n))
        .execute(conn)?;
    Ok(())
}

/// The connection's mark as this transaction sees it.
pub fn current(conn: &mut Connection, token: i64) -> QueryResult<Option<i64>> {
    tx_guard::table
        .find(token)
        .select(tx_guard::n)
        .first(conn)
        .optional()
}
