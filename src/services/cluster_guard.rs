//! Guarding transactions on a Galera cluster against a silent rollback.
//!
//! Measured on this machine (tests/cluster.rs): when the cluster aborts a transaction
//! (certification, a conflicting write on another node) while one of its statements is being
//! answered, that statement can still succeed and the next ones run outside the transaction,
//! so `COMMIT` commits only what came after. On a cluster, therefore, transactions run with
//! `autocommit=0` (whatever follows an abort stays uncommitted and is rolled back), every
//! posting checks before the end that its own journal row is still there, and after `COMMIT`
//! the bank checks once more that the row was committed; a posting that was lost is run again
//! under its key.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{BankError, BankResult};
use crate::db::{movements, Connection};

/// Postings this process found rolled back by the cluster (and ran again), before or after
/// COMMIT.
static CAUGHT: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

/// (caught before COMMIT, caught after COMMIT) since the process started.
pub fn silent_rollbacks() -> (u64, u64) {
    (
        CAUGHT[0].load(Ordering::Relaxed),
        CAUGHT[1].load(Ordering::Relaxed),
    )
}

thread_local! {
    /// This thread runs a transaction on a cluster.
    static ON_CLUSTER: Cell<bool> = const { Cell::new(false) };
    /// The journal rows the current transaction posted, checked after COMMIT.
    static POSTED: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Marks the start of a transaction (on a cluster or not).
pub(super) fn begin(cluster: bool) {
    ON_CLUSTER.with(|c| c.set(cluster));
    POSTED.with(|p| p.set(None));
}

/// A posting's last step: on a cluster, its journal row must still be visible in this
/// transaction; if not, the transaction is gone and runs again.
pub(super) fn check_posted(conn: &mut Connection, id: i64) -> BankResult<()> {
    if !ON_CLUSTER.with(Cell::get) {
        return Ok(());
    }
    if movements::find(conn, id)?.is_none() {
        tracing::warn!(
            movement = id,
            "the cluster rolled this transaction back silently"
        );
        CAUGHT[0].fetch_add(1, Ordering::Relaxed);
        return Err(BankError::Busy);
    }
    POSTED.with(|p| p.set(Some(id)));
    Ok(())
}

/// After COMMIT: was what the transaction posted committed? (Always true off a cluster.)
pub(super) fn committed(conn: &mut Connection) -> BankResult<bool> {
    let posted = POSTED.with(|p| p.take());
    ON_CLUSTER.with(|c| c.set(false));
    match posted {
        Some(id) => {
            let there = movements::find(conn, id)?.is_some();
            if !there {
                CAUGHT[1].fetch_add(1, Ordering::Relaxed);
            }
            Ok(there)
        }
        None => Ok(true),
    }
}
