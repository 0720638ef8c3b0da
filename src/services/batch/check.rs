//! A dry run of a batch: every check, nothing locked or written.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::plan::{self, Step};
use super::{account_ids, known_keys, BatchOutcome, BatchTransfer, MAX_BATCH};
use crate::db::accounts;
use crate::services::authz::may_use_account;
use crate::services::money::result_of;
use crate::services::Batches;
use crate::services::{Actor, BankError, BankResult};

impl Batches<'_> {
    /// A dry run of `requests`: every check a posting makes, funds included, and nothing
    /// written or locked. `balances` carries the balances the dry run has reached from one call
    /// to the next, so a file checked in batches is checked as a whole.
    pub fn check_batch(
        &mut self,
        actor: &Actor,
        requests: &[BatchTransfer],
        balances: &mut HashMap<i64, Decimal>,
    ) -> BankResult<Vec<BatchOutcome>> {
        if requests.len() > MAX_BATCH {
            return Err(BankError::BatchTooLarge(MAX_BATCH));
        }
        let ids = account_ids(requests);
        let conn = &mut self.bank.conn;
        let mut rows: HashMap<i64, accounts::AccountRow> = accounts::by_ids(conn, &ids)?
            .into_iter()
            .map(|mut row| {
                if let Some(balance) = balances.get(&row.id) {
                    row.balance = *balance;
                }
                (row.id, row)
            })
            .collect();
        let known = known_keys(conn, requests)?;
        let steps = plan::plan(requests, &mut rows, &known, |owner| {
            may_use_account(actor, owner)
        });
        balances.extend(rows.values().map(|row| (row.id, row.balance)));
        Ok(steps
            .into_iter()
            .map(|step| match step {
                Step::Post { .. } => BatchOutcome::Checked,
                Step::Replay(row) => BatchOutcome::Replayed(result_of(&row, true)),
                Step::ReplayInBatch(_) => BatchOutcome::Checked,
                Step::Refuse(error) => BatchOutcome::Refused(error),
            })
            .collect())
    }
}
