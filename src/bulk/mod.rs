//! Bulk payment files: a CSV of transfers (a payroll, say) read as a stream, every line parsed
//! into domain types, each line's idempotency key derived from the file's content, and the
//! results written beside the input. The CLI (`teller batch post`) and the app use it; the
//! services (`Batches::post_batch`) do the posting.
//!
//! Format: a header line naming the columns, then one transfer a line. Columns: `to` and
//! `amount` (required), `memo` and `reference` (optional), `from` (required unless the payer is
//! given for the whole file). See docs/bulk.md.

mod keys;
mod post;
mod read;
mod results;
mod snapshot;

pub use keys::key_for;
pub use post::{payment_file, post_file, PostError, PostOptions, Posted, Prepared, Tally};
pub use read::{check_file, check_file_as, BulkLine, FileCheck, FileError, LineError, LineReader};
pub use results::ResultsWriter;
pub use snapshot::{parse_digest, Snapshot};

/// The longest line taken (a payment line is short; a huge one is a mistake, not data).
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// Invalid lines kept in detail (all are counted).
pub const MAX_REPORTED: usize = 1_000;
