//! The bank's time is the database server's, not the workstation's: lock-outs, sessions,
//! "reversed today" and every timestamp of the journal must not move when someone sets their
//! own clock. Each connection measures the offset once; `now()` applies it.

use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{NaiveDateTime, Utc};
use diesel::sql_types::Datetime;
use diesel::RunQueryDsl;

use super::{Connection, QueryResult};

/// Server time minus local time, in microseconds, as the newest connection measured it.
static OFFSET_US: AtomicI64 = AtomicI64::new(0);

thread_local! {
    /// How far `advance_this_thread` moved this thread's clock, in microseconds (0 outside
    /// tests).
    static SHIFT_US: Cell<i64> = const { Cell::new(0) };
}

/// Moves the bank's clock forward by `by` for the calling thread only. Tests use it instead of
/// sleeping past a lock-out or an idle limit: a real-time window of a few hundred milliseconds
/// is missed on a loaded machine, a moved clock never is. Other threads (other tests running
/// at the same time) keep the real time.
pub fn advance_this_thread(by: chrono::Duration) {
    let by = by.num_microseconds().unwrap_or(i64::MAX).max(0);
    SHIFT_US.with(|shift| shift.set(shift.get().saturating_add(by)));
}

/// Sets this thread's clock to run `by` from the server's, back (negative) or forward.
/// `teller bench --scale` builds a year of history in minutes: it starts a year back and moves
/// day by day to today, so that every row is dated as if the bank had lived that year.
pub fn set_this_thread_shift(by: chrono::Duration) {
    let by = by.num_microseconds().unwrap_or(0);
    SHIFT_US.with(|shift| shift.set(by));
}

#[derive(diesel::QueryableByName)]
struct ServerNow {
    #[diesel(sql_type = Datetime)]
    now: NaiveDateTime,
}

/// Reads the server's UTC time and keeps the difference to this machine's clock.
pub fn measure(conn: &mut Connection) -> QueryResult<()> {
    let before = Utc::now().naive_utc();
    let server: ServerNow = diesel::sql_query("SELECT UTC_TIMESTAMP(6) AS now").get_result(conn)?;
    let after = Utc::now().naive_utc();
    let local = before + (after - before) / 2;
    let offset = (server.now - local).num_microseconds().unwrap_or(0);
    OFFSET_US.store(offset, Ordering::Relaxed);
    Ok(())
}

/// Now on the database server's clock, in UTC.
pub fn now() -> NaiveDateTime {
    let shift = SHIFT_US.with(Cell::get);
    Utc::now().naive_utc()
        + chrono::Duration::microseconds(OFFSET_US.load(Ordering::Relaxed).saturating_add(shift))
}
