//! The worker's longer jobs (`calls.rs` says which job runs what): exports, statements,
//! payment files, trends, and the files they write.

use std::path::PathBuf;

use crate::bulk::{self, PostError, PostOptions};
use crate::domain::AccountNumber;
use crate::services::{Actor, Approval, BankResult, HistoryEntry, DEFAULT_BATCH, MAX_PAGE};

use super::run::Worker;
use super::{BulkPreview, BulkSummary, ExportError, Exported, Trend};

impl Worker {
    /// Writes the month's statement of the account as a PDF.
    pub(super) fn statement(
        &mut self,
        actor: &Actor,
        account: &AccountNumber,
        month: crate::domain::Month,
        path: PathBuf,
    ) -> Result<PathBuf, ExportError> {
        let statement = self.bank()?.money().statement(actor, account, month)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::files::write(&path, crate::pdf::statement_pdf(&statement))?;
        Ok(path)
    }

    /// Reads and checks a payment file (on this thread: the screen never waits for a disk).
    pub(super) fn bulk_preview(
        &mut self,
        actor: &Actor,
        path: PathBuf,
        from: &AccountNumber,
    ) -> Result<BulkPreview, PostError> {
        let check = bulk::check_file(&path, Some(from))?;
        let limit = self.bank()?.config().approval_limit;
        // Staff above the limit; the set-up actor (tests, tools) never needs a supervisor.
        let needs_approval =
            actor.is_staff() && matches!(actor, Actor::User(_)) && check.total > limit;
        Ok(BulkPreview::of(path, &check, needs_approval))
    }

    /// Posts a payment file's valid lines, telling the app how far it got after each batch.
    pub(super) fn bulk_post(
        &mut self,
        actor: &Actor,
        path: &std::path::Path,
        from: AccountNumber,
        approval: Option<&Approval>,
        digest: [u8; 32],
    ) -> Result<BulkSummary, PostError> {
        let report = self.progress_reporter();
        // Read once more, into a private copy: posted only if these are the previewed bytes.
        let prepared = bulk::Prepared::read(path, Some(from))?;
        let options = PostOptions {
            expect_digest: Some(digest),
            dry_run: false,
            // The person saw the invalid lines in the preview and chose to post the rest.
            skip_invalid: true,
            batch_size: DEFAULT_BATCH,
        };
        let posted = bulk::post_file(self.bank()?, actor, approval, &prepared, &options, report)?;
        Ok(BulkSummary {
            done: posted.tally.done,
            replayed: posted.tally.replayed,
            refused: posted.tally.refused,
            invalid: posted.check.invalid,
            moved: posted.tally.moved,
            results: posted.results,
            seconds: posted.seconds,
        })
    }

    /// The last `points` balances of each account, from the history service.
    pub(super) fn trends(
        &mut self,
        actor: &Actor,
        accounts: &[AccountNumber],
        points: u32,
    ) -> BankResult<Vec<Trend>> {
        let bank = self.bank()?;
        accounts
            .iter()
            .map(|account| {
                let page = bank.money().history(actor, account, None, points)?;
                Ok(Trend::from_history(account, &page))
            })
            .collect()
    }

    /// Reads the whole history a page at a time and writes it as CSV.
    pub(super) fn export(
        &mut self,
        actor: &Actor,
        account: &AccountNumber,
        path: PathBuf,
    ) -> Result<Exported, ExportError> {
        let bank = self.bank()?;
        let mut entries: Vec<HistoryEntry> = Vec::new();
        let mut before = None;
        loop {
            let page = bank.money().history(actor, account, before, MAX_PAGE)?;
            let full = page.len() == MAX_PAGE as usize;
            before = page.last().map(|e| e.id);
            entries.extend(page);
            if !full || before.is_none() {
                break;
            }
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::files::write(&path, crate::export::history_csv(&entries))?;
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        Ok(Exported {
            path,
            movements: entries.len(),
        })
    }
}

/// Writes a text file (creating its folder) and answers its full path.
pub(super) fn write_text(path: PathBuf, text: &str) -> Result<PathBuf, ExportError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::files::write(&path, text)?;
    Ok(std::fs::canonicalize(&path).unwrap_or(path))
}
