//! Time as the app sees it: a monotonic clock for the idle lock and the spinner, and wall-clock
//! time shown in the local time zone. Injected, so tests run with a fixed clock and a fixed zone.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Local, NaiveDateTime, Utc};

/// Where the app reads the time.
pub trait Clock: Send + Sync {
    /// Monotonic time, for idle detection.
    fn now(&self) -> Instant;
    /// Wall-clock time (UTC).
    fn wall(&self) -> DateTime<Utc>;
    /// A UTC time as the person in front of the screen reads it.
    fn local(&self, at: DateTime<Utc>) -> NaiveDateTime;
}

/// The real clock and the machine's time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn wall(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&Local).naive_local()
    }
}

/// A clock that only moves when told to, showing times in UTC. For tests and benchmarks.
#[derive(Debug, Clone)]
pub struct ManualClock {
    state: Arc<Mutex<(Instant, DateTime<Utc>)>>,
}

impl ManualClock {
    pub fn new(wall: DateTime<Utc>) -> Self {
        Self {
            state: Arc::new(Mutex::new((Instant::now(), wall))),
        }
    }

    /// Moves both clocks forward.
    pub fn advance(&self, by: Duration) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 += by;
        state.1 += chrono::Duration::from_std(by).unwrap_or_default();
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0
    }

    fn wall(&self) -> DateTime<Utc> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1
    }

    fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc()
    }
}
