//! Money from one customer account to another.
//!
//! A busy account (payroll, a merchant) is locked by every transfer that touches it, so the rate
//! on it is one over the time its row stays locked. A transfer that needs no approval request
//! therefore checks an unlocked read of both accounts and lets `commit_movement` lock, re-check,
//! write and commit in one round trip (`db::posting::commit_rechecked`): the row is locked only
//! while that one statement runs. What the checks read either never changes (owner, currency)
//! or is checked again under the lock (open, and the payer's balance by the table's CHECK); if
//! the accounts changed in between, nothing is written and the transfer runs the classic way,
//! every check on locked rows, which gives a refusal its words. On a Galera node it always runs
//! the classic way (the cluster guard checks those commits, and a client that dies inside its
//! transaction leaves nothing committed there).
//!
//! Once sent, the one-statement transfer runs to its end on the server even if the client is
//! gone meanwhile, as any single statement does: a till that lost its answer resends with the
//! same key and is told what happened.

use super::accounts::{account_id, account_not_found};
use super::approval_requests::{consume, ApprovalOperation};
use super::approvals::ApprovalCheck;
use super::authz::may_use_account;
use super::bank::now;
use super::money::{ensure_open, payers_view, Fingerprint, TransferRequest};
use super::posting::Posting;
use super::Approval;
use super::Money;
use super::{Actor, BankError, BankResult, MoneyResult, MovementKind};
use crate::db::posting;
use crate::db::{accounts, classify, Failure};
use crate::domain::AccountNumber;
use crate::domain::AuditAction;

impl Money<'_> {
    /// Money from one customer account to another: distinct accounts, same currency, both
    /// open, enough money. Above the approval limit a teller needs a supervisor's `approval`
    /// (four eyes).
    pub fn transfer(
        &mut self,
        actor: &Actor,
        request: &TransferRequest,
        approval: Option<&Approval>,
    ) -> BankResult<MoneyResult> {
        let fingerprint = Fingerprint {
            kind: MovementKind::Transfer,
            debit: Some(account_id(&request.from)),
            credit: Some(account_id(&request.to)),
            amount: request.amount.value(),
            memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
        };
        let subject = request.from.as_str();
        if request.from == request.to {
            return self.bank.refused(
                actor,
                AuditAction::Transfer,
                Some(subject),
                BankError::SameAccount,
            );
        }
        let digest = ApprovalOperation::Transfer(request.clone()).digest();
        let check = ApprovalCheck {
            action: AuditAction::Transfer,
            subject,
            amount: request.amount,
            currency: None,
            limited: true,
            paying: Some(&request.from),
            digest: Some(&digest),
        };
        let granted = self.bank.approval(actor, &check, approval)?;
        let approved_by = granted.by;
        let stamp = self.bank.stamp(actor);
        let posting = Posting {
            kind: MovementKind::Transfer,
            key: &request.key,
            amount: request.amount.value(),
            memo: fingerprint.memo.as_deref(),
            stamp: &stamp,
            approved_by: approved_by.as_deref(),
            session_id: None,
            reverses: None,
        };
        // An approval request is marked used in the same transaction, with the movement's id.
        let unlocked = match granted.request {
            None if self.bank.on_plain_server()? => {
                self.transfer_unlocked(actor, request, &posting)
            }
            _ => Ok(None),
        };
        let result = match unlocked.transpose() {
            Some(done_or_error) => done_or_error,
            None => self.bank.in_transaction(|conn| {
                let (from_id, to_id) = account_ids(request);
                let rows = accounts::lock(conn, &[from_id, to_id])?;
                let (from, to) = transfer_accounts(actor, request, &rows)?;
                let done = posting.post(conn, from, to)?;
                if let Some(id) = granted.request {
                    consume(conn, id, done.id)?;
                }
                Ok(done)
            }),
        };
        let mut done = self.bank.settle(
            actor,
            AuditAction::Transfer,
            subject,
            &request.key,
            &fingerprint,
            result,
        )?;
        payers_view(actor, &mut done, &request.from);
        Ok(done)
    }

    /// The transfer on an unlocked read, re-checked by `commit_movement` under its own locks;
    /// `None` when a check failed, the accounts changed or the locks were not had (nothing was
    /// written: the caller runs every check again on locked rows).
    fn transfer_unlocked(
        &mut self,
        actor: &Actor,
        request: &TransferRequest,
        posting: &Posting<'_>,
    ) -> BankResult<Option<MoneyResult>> {
        let (from_id, to_id) = account_ids(request);
        let rows = accounts::read_two(&mut self.bank.conn, from_id, to_id)?;
        let Ok((from, to)) = transfer_accounts(actor, request, &rows) else {
            return Ok(None);
        };
        if posting.ensure_funds(from).is_err() {
            return Ok(None);
        }
        let at = now();
        match posting.write(&mut self.bank.conn, from, to, at, posting::commit_rechecked) {
            Ok(()) => {}
            Err(e) if posting::is_changed(&e) => return Ok(None),
            // Rolled back whole by the procedure; the classic way waits and retries.
            Err(e) if classify(&e) == Failure::Retryable => {
                self.bank.after_lock_failure()?;
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        }
        let posted = posting::posted(&mut self.bank.conn)?;
        Ok(Some(posting.result(from, to, at, posted)))
    }
}

/// The payer's and the payee's account ids.
fn account_ids(request: &TransferRequest) -> (i64, i64) {
    (account_id(&request.from), account_id(&request.to))
}

/// The payer's and the payee's rows among `rows`, when the actor may make this transfer on them:
/// both customer accounts, the payer one the actor may use, both open, one currency.
fn transfer_accounts<'r>(
    actor: &Actor,
    request: &TransferRequest,
    rows: &'r [accounts::AccountRow],
) -> BankResult<(&'r accounts::AccountRow, &'r accounts::AccountRow)> {
    let (from_id, to_id) = account_ids(request);
    let find = |id: i64, number: &AccountNumber| {
        rows.iter()
            .find(|row| row.id == id && row.owner_id.is_some())
            .ok_or_else(|| account_not_found(number))
    };
    let from = find(from_id, &request.from)?;
    let to = find(to_id, &request.to)?;
    // A customer naming someone else's account learns no more than for a number that does
    // not exist.
    if !may_use_account(actor, from.owner_id) {
        return Err(account_not_found(&request.from));
    }
    ensure_open(from)?;
    ensure_open(to)?;
    if from.currency != to.currency {
        return Err(BankError::CurrencyMismatch {
            from: from.number.clone(),
            from_currency: from.currency,
            to: to.number.clone(),
            to_currency: to.currency,
        });
    }
    request.amount.fits(from.currency)?;
    Ok((from, to))
}
