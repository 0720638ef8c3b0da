//! What the clients did, as Jepsen records it: every operation's keys, when it was invoked and
//! completed, and how it ended (ok, fail, unknown), plus the faults the nemesis applied.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// How an operation ended for one key, after every resubmission of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The bank said done (or a replay of done): the money moved, once.
    Ok,
    /// The bank said no, for certain (a refusal, or rolled back): nothing moved.
    Fail(String),
    /// No definite answer before the client gave up: moved at most once.
    Unknown(String),
}

/// One key's record.
#[derive(Debug, Clone)]
pub struct KeyRecord {
    pub client: usize,
    pub kind: &'static str,
    pub invoked: Duration,
    pub completed: Duration,
    /// Times it was sent (1 unless an answer was unknown and it was sent again).
    pub attempts: u32,
    pub outcome: Outcome,
}

/// A fault and when it began and ended.
#[derive(Debug, Clone)]
pub struct FaultRecord {
    pub kind: &'static str,
    pub what: String,
    pub from: Duration,
    pub to: Duration,
}

#[derive(Default)]
pub struct History {
    keys: Mutex<BTreeMap<String, KeyRecord>>,
    faults: Mutex<Vec<FaultRecord>>,
}

impl History {
    pub fn complete(&self, key: &str, record: KeyRecord) {
        self.keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.to_string(), record);
    }

    pub fn fault(&self, record: FaultRecord) {
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(record);
    }

    pub fn keys(&self) -> BTreeMap<String, KeyRecord> {
        self.keys.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn faults(&self) -> Vec<FaultRecord> {
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
