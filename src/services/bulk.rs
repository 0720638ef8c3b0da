//! Opening many funded accounts at once, for load tests and the benchmark.

use crate::domain::AuditOutcome;
use std::collections::HashSet;

use rand::Rng;
use rust_decimal::Decimal;

use super::accounts::{account_id, number_of};
use super::authz::require;
use super::bank::now;
use super::users::{audit, user_not_found};
use super::Batches;
use super::{Actor, BankError, BankResult};
use crate::db::audit_log::NewAuditEntry;
use crate::db::{accounts, batch, movements, users};
use crate::domain::AuditAction;
use crate::domain::{format_money, AccountNumber, Amount, Currency, Email, IdempotencyKey};

/// Accounts written per statement.
const BATCH: usize = 500;

impl Batches<'_> {
    /// Opens `count` accounts for one customer, each with an opening cash deposit of
    /// `opening` from the actor's drawer, journaled like any deposit (staff only).
    pub fn open_funded_accounts(
        &mut self,
        actor: &Actor,
        owner: &Email,
        currency: Currency,
        count: usize,
        opening: Amount,
    ) -> BankResult<Vec<AccountNumber>> {
        require(actor.is_staff(), "open accounts")?;
        let owner_id = users::find_by_email(&mut self.bank.conn, owner.as_str())?
            .ok_or_else(|| user_not_found(owner))?
            .id;
        let stamp = self.bank.stamp(actor);
        let audit_name = stamp.actor.as_str();
        let mut opened: Vec<AccountNumber> = Vec::with_capacity(count);
        let mut used = HashSet::with_capacity(count);
        let mut collisions = 0;
        while opened.len() < count {
            let size = BATCH.min(count - opened.len());
            let numbers = fresh_numbers(size, &mut used);
            let result = self.bank.in_transaction(|conn| {
                let drawer = super::money::lock_drawer(conn, actor, currency.as_str())?;
                // The drawer pays every opening: its journal must agree with it first.
                if !batch::broken_chains(conn, [&drawer])?.is_empty() {
                    return Err(BankError::LedgerBroken(drawer.number.clone()));
                }
                // Cash goes through a counted drawer, as at the counter: each opening deposit
                // belongs to the open session.
                let session_id =
                    super::money::lock_cash_session(conn, actor, &drawer, currency)?.map(|s| s.id);
                let at = now();
                let rows: Vec<accounts::NewAccount> = numbers
                    .iter()
                    .map(|n| accounts::NewAccount {
                        id: account_id(n),
                        number: n.as_str(),
                        owner_id: Some(owner_id),
                        kind: "customer",
                        label: None,
                        currency: currency.as_str(),
                        created_at: at,
                        updated_at: at,
                    })
                    .collect();
                accounts::insert_many(conn, &rows)?;
                let keys: Vec<String> = (0..size)
                    .map(|_| IdempotencyKey::generate().to_string())
                    .collect();
                let mut drawer_balance = drawer.balance;
                let mut journal = Vec::with_capacity(size);
                for (number, key) in numbers.iter().zip(&keys) {
                    drawer_balance -= opening.value();
                    journal.push(movements::NewMovement {
                        idempotency_key: key,
                        kind: "deposit",
                        debit_account_id: drawer.id,
                        credit_account_id: account_id(number),
                        amount: opening.value(),
                        currency: currency.as_str(),
                        memo: Some("opening deposit"),
                        debit_balance_after: drawer_balance,
                        credit_balance_after: opening.value(),
                        reverses_id: None,
                        actor: audit_name,
                        approved_by: None,
                        created_at: at,
                        drawer_session_id: session_id,
                        device: &stamp.device,
                    });
                }
                movements::insert_many(conn, &journal)?;
                // Each deposit gets its audit line, as one at the counter does.
                let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
                let ids_by_key: std::collections::HashMap<String, i64> =
                    batch::ids_of_keys(conn, &key_refs)?
                        .into_iter()
                        .map(|(id, key)| (key, id))
                        .collect();
                let details = journal
                    .iter()
                    .map(|row| {
                        let id = ids_by_key.get(row.idempotency_key).ok_or_else(|| {
                            BankError::Database(format!(
                                "no journal row for key {}",
                                row.idempotency_key
                            ))
                        })?;
                        Ok(format!(
                            "{} {currency} from {} to {}, key {}, reference {id}",
                            format_money(row.amount),
                            drawer.number,
                            number_of(row.credit_account_id),
                            row.idempotency_key
                        ))
                    })
                    .collect::<BankResult<Vec<String>>>()?;
                let lines: Vec<NewAuditEntry> = journal
                    .iter()
                    .zip(&details)
                    .map(|(row, detail)| NewAuditEntry {
                        at,
                        actor: audit_name,
                        action: row.kind,
                        subject: Some(&drawer.number),
                        outcome: AuditOutcome::Ok.as_str(),
                        detail: Some(detail),
                        approved_by: None,
                        device: &stamp.device,
                    })
                    .collect();
                batch::insert_audit(conn, &lines)?;
                let mut balances = Vec::with_capacity(journal.len() + 1);
                for row in &journal {
                    let id = ids_by_key
                        .get(row.idempotency_key)
                        .copied()
                        .ok_or_else(|| {
                            BankError::Database(format!(
                                "no journal row for key {}",
                                row.idempotency_key
                            ))
                        })?;
                    balances.push(batch::BalanceWrite {
                        id: row.credit_account_id,
                        before: Decimal::ZERO,
                        after: opening.value(),
                        last_movement_id: id,
                    });
                }
                balances.push(batch::BalanceWrite {
                    id: drawer.id,
                    before: drawer.balance,
                    after: drawer_balance,
                    last_movement_id: balances
                        .iter()
                        .map(|b| b.last_movement_id)
                        .max()
                        .ok_or_else(|| BankError::Database("no account was opened".into()))?,
                });
                if !batch::set_balances(conn, &balances)? {
                    return Err(BankError::Database(
                        "a balance changed while the accounts were being opened".into(),
                    ));
                }
                let detail = format!("{size} accounts opened with {opening} {currency} each");
                audit(
                    conn,
                    &stamp,
                    AuditAction::AccountOpenMany,
                    owner.as_str(),
                    Some(&detail),
                )
            });
            match result {
                // A random number that some existing account has: draw the batch again.
                Err(BankError::Duplicate(_)) if collisions < 8 => collisions += 1,
                Err(e) => return Err(e),
                Ok(()) => opened.extend(numbers),
            }
        }
        Ok(opened)
    }
}

/// `count` random customer account numbers, none of them in `used` (which they join).
fn fresh_numbers(count: usize, used: &mut HashSet<u32>) -> Vec<AccountNumber> {
    let mut rng = rand::rng();
    let mut numbers = Vec::with_capacity(count);
    while numbers.len() < count {
        let serial = rng.random_range(super::accounts::CUSTOMER_SERIALS);
        if used.insert(serial) {
            if let Some(number) = AccountNumber::from_serial(serial) {
                numbers.push(number);
            }
        }
    }
    numbers
}
