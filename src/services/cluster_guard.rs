//! Guarding transactions on a Galera cluster against a silent rollback.
//!
//! Measured on this machine (tests/cluster.rs): when the cluster aborts a transaction (a
//! conflicting write on another node) while one of its statements is being answered, that
//! statement can still succeed and the next ones run outside the transaction, so `COMMIT`
//! says OK for less than was sent. On a cluster, therefore, every transaction runs with
//! `autocommit=0` (whatever follows an abort stays uncommitted), writes its connection's mark
//! first, and checks the mark before `COMMIT` (still this transaction?) and after it (was it
//! committed?). A transaction that failed either check is run again: before `COMMIT` its
//! remains are rolled back; after it, nothing of it was committed.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{BankError, BankResult};
use crate::db::{tx_guard, Connection};

/// Transactions this process found rolled back by the cluster (and ran again), before and
/// after COMMIT.
static CAUGHT: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

/// (caught before COMMIT, caught after COMMIT) since the process started.
pub fn silent_rollbacks() -> (u64, u64) {
    (
        CAUGHT[0].load(Ordering::Relaxed),
        CAUGHT[1].load(Ordering::Relaxed),
    )
}

/// The first statement of a transaction on a cluster.
pub(super) fn mark(conn: &mut Connection, token: i64, n: i64) -> BankResult<()> {
    Ok(tx_guard::mark(conn, token, n)?)
}

/// The last statement before `COMMIT` (`after_commit` false), or the first after it: the
/// mark must be this transaction's.
pub(super) fn check(
    conn: &mut Connection,
    token: i64,
    n: i64,
    after_commit: bool,
) -> BankResult<()> {
    if tx_guard::current(conn, token)? == Some(n) {
        return Ok(());
    }
    tracing::warn!(
        after_commit,
        "the cluster rolled a transaction back silently; running it again"
    );
    CAUGHT[usize::from(after_commit)].fetch_add(1, Ordering::Relaxed);
    Err(BankError::Busy)
}
