//! The worker: one thread that owns the `Bank` and its database connection. The UI sends it
//! requests over a channel and never waits; each answer comes back as an app action. bcrypt
//! runs here too, so a login at cost 12 never freezes the screen.
//!
//! When the database is unavailable the worker drops its connection, says so, and tries to
//! reconnect by itself with exponential backoff; a request that arrives meanwhile is answered
//! with the "unavailable" error at once, and nothing is retried behind the user's back.

mod calls;
mod execute;
mod files;
mod jobs;
mod reply;
mod run;

pub use calls::Job;
pub use files::next_payment_file;
pub use jobs::{CashKind, Request, RequestId};
pub use reply::{
    BulkPreview, BulkSummary, CustomerMatches, DayClosed, ExportError, Exported, HistoryPage,
    RecipientName, Reply, ReplyBody, Trend, WorkerMessage,
};
pub use run::{is_connection_lost, run_guarded, WorkerConfig, WorkerHandle};
