//! The bank's time is the database server's, not the workstation's: lock-outs, sessions,
//! "reversed today" and every timestamp of the journal must not move when someone sets their
//! own clock. Each connection measures the offset once; `now()` applies it.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{NaiveDateTime, Utc};
use diesel::sql_types::Datetime;
use diesel::RunQueryDsl;

use super::{Connection, QueryResult};

/// Server time minus local time, in microseconds, as the newest connection measured it.
static OFFSET_US: AtomicI64 = AtomicI64::new(0);

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
    Utc::now().naive_utc() + chrono::Duration::microseconds(OFFSET_US.load(Ordering::Relaxed))
}
