//! Deposits, withdrawals and transfers: each one ACID transaction, idempotent by key.

use crate::domain::AuditOutcome;
use rust_decimal::Decimal;

use super::accounts::{
    account_id, account_not_found, account_number, is_internal, lock_internal_account, Holder,
};
use super::approval_requests::{consume, ApprovalOperation};
use super::approvals::ApprovalCheck;
use super::authz::require;
use super::bank::now;
use super::ctr;
use super::drawer_limit::cash_in_against_limit;
use super::posting::{parties, Posting};
use super::views::utc;
use super::Approval;
use super::Money;
use super::{AccountStatus, Actor, Bank, BankError, BankResult, MoneyResult, MovementKind};
use crate::db::{accounts, drawer_sessions, movements, Connection, DuplicateKey};
use crate::domain::AuditAction;
use crate::domain::{AccountNumber, Amount, IdDocument, IdempotencyKey, Memo};

/// Cash in or out of one customer account at the counter.
#[derive(Debug, Clone)]
pub struct CashRequest {
    pub account: AccountNumber,
    pub amount: Amount,
    pub key: IdempotencyKey,
    pub memo: Option<Memo>,
    /// The customer's identification: needed when the day's cash in this direction goes above
    /// the large-cash line (see `ctr`).
    pub id: Option<IdDocument>,
}

/// Money from one customer account to another.
#[derive(Debug, Clone)]
pub struct TransferRequest {
    pub from: AccountNumber,
    pub to: AccountNumber,
    pub amount: Amount,
    pub key: IdempotencyKey,
    pub memo: Option<Memo>,
}

/// What makes two requests under one key "the same request".
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fingerprint {
    pub kind: MovementKind,
    /// The customer account paying, if any (not the teller's drawer: it depends on who asks).
    pub debit: Option<i64>,
    /// The customer account receiving, if any.
    pub credit: Option<i64>,
    pub amount: Decimal,
    pub memo: Option<String>,
}

impl Fingerprint {
    /// A cash request's: the customer's account receives a deposit and pays a withdrawal.
    fn of_cash(kind: MovementKind, request: &CashRequest) -> Self {
        let account = Some(account_id(&request.account));
        let (debit, credit) = match kind {
            MovementKind::Deposit => (None, account),
            _ => (account, None),
        };
        Self {
            kind,
            debit,
            credit,
            amount: request.amount.value(),
            memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
        }
    }

    pub(super) fn of_row(row: &movements::MovementRow) -> Self {
        let kind = row.kind;
        let customer = |id: i64| (!is_internal(id)).then_some(id);
        Self {
            kind,
            debit: customer(row.debit_account_id),
            credit: customer(row.credit_account_id),
            amount: row.amount,
            memo: row.memo.clone(),
        }
    }
}

impl Bank {
    /// Turns a failed attempt into its answer: the original result when this key was applied
    /// before with the same request, a conflict when with another, else the refusal itself.
    pub(super) fn settle(
        &mut self,
        actor: &Actor,
        action: AuditAction,
        subject: &str,
        key: &IdempotencyKey,
        fingerprint: &Fingerprint,
        result: BankResult<MoneyResult>,
    ) -> BankResult<MoneyResult> {
        let error = match result {
            Ok(done) => return Ok(done),
            // Permission and existence come first: a key never reveals someone else's movement.
            Err(e @ (BankError::Forbidden(_) | BankError::NotFound(_))) => {
                return self.refused(actor, action, Some(subject), e)
            }
            Err(e) if !e.is_refusal() => return Err(e),
            Err(e) => e,
        };
        match movements::find_by_key(&mut self.conn, key.as_str())? {
            Some(original) if Fingerprint::of_row(&original) == *fingerprint => {
                let replay = result_of(&original, true);
                self.confirm_held()?;
                let detail = format!("key {key} replayed, reference {}", original.id);
                self.record(
                    &actor.audit_name(),
                    action,
                    Some(subject),
                    AuditOutcome::Replayed,
                    Some(&detail),
                )?;
                Ok(replay)
            }
            Some(_) => self.refused(
                actor,
                action,
                Some(subject),
                BankError::IdempotencyConflict(key.to_string()),
            ),
            // The unique key refused the row, yet no row has it: whoever held it rolled back.
            None if matches!(error, BankError::Duplicate(Some(DuplicateKey::MovementKey))) => {
                Err(BankError::Busy)
            }
            None => self.refused(actor, action, Some(subject), error),
        }
    }
}

impl Money<'_> {
    /// Cash paid in at the counter: the handler's drawer pays, the customer's account receives.
    /// When it would take a teller's drawer above the bank's drawer limit, a teller needs a
    /// supervisor's `approval` (four eyes).
    pub fn deposit(
        &mut self,
        actor: &Actor,
        request: &CashRequest,
        approval: Option<&Approval>,
    ) -> BankResult<MoneyResult> {
        let fingerprint = Fingerprint::of_cash(MovementKind::Deposit, request);
        self.cash(actor, request, fingerprint, approval)
    }

    /// Cash paid out at the counter: the customer's account pays, the handler's drawer receives.
    /// Above the approval limit a teller needs a supervisor's `approval` (four eyes).
    pub fn withdraw(
        &mut self,
        actor: &Actor,
        request: &CashRequest,
        approval: Option<&Approval>,
    ) -> BankResult<MoneyResult> {
        let fingerprint = Fingerprint::of_cash(MovementKind::Withdrawal, request);
        self.cash(actor, request, fingerprint, approval)
    }

    fn cash(
        &mut self,
        actor: &Actor,
        request: &CashRequest,
        fingerprint: Fingerprint,
        approval: Option<&Approval>,
    ) -> BankResult<MoneyResult> {
        let action = AuditAction::from(fingerprint.kind);
        let subject = request.account.as_str();
        if let Err(e) = require(actor.is_staff(), "handle cash") {
            return self.bank.refused(actor, action, Some(subject), e);
        }
        let withdrawal = fingerprint.kind == MovementKind::Withdrawal;
        let operation = if withdrawal {
            ApprovalOperation::Withdrawal(request.clone())
        } else {
            ApprovalOperation::Deposit(request.clone())
        };
        let digest = operation.digest();
        let check = ApprovalCheck {
            action,
            subject,
            amount: request.amount,
            currency: None,
            limited: withdrawal,
            paying: withdrawal.then_some(&request.account),
            digest: Some(&digest),
        };
        let granted = self.bank.approval(actor, &check, approval)?;
        let approved_by = granted.by;
        let stamp = self.bank.stamp(actor);
        let audit_name = stamp.actor.as_str();
        let drawer_limit = self.bank.config.drawer_limit;
        let result = self.bank.in_transaction(|conn| {
            let customer = lock_customer_account(conn, &request.account)?;
            request.amount.fits(customer.currency)?;
            let drawer = lock_drawer(conn, actor, customer.currency.as_str())?;
            let session = lock_cash_session(conn, actor, &drawer, customer.currency)?;
            let mut over_limit = false;
            if let (Some(session), MovementKind::Deposit) = (&session, fingerprint.kind) {
                over_limit = cash_in_against_limit(
                    conn,
                    session,
                    drawer.id,
                    drawer_limit,
                    request.amount.value(),
                    approved_by.is_some(),
                )?;
            }
            let session_id = session.map(|s| s.id);
            // Large cash: above the line for the day, the customer's ID goes with it.
            let id_needed = ctr::id_needed(conn, &customer, fingerprint.kind, request.amount)?;
            let id = match (id_needed, &request.id) {
                (false, _) => None,
                // Checked on the bank's own clock, whatever the workstation's says.
                (true, Some(id)) if id.expiry < now().date() => {
                    return Err(BankError::Invalid(crate::domain::ValidationError::new(
                        crate::domain::Field::IdDocument,
                        "the document has expired",
                    )))
                }
                (true, Some(id)) => Some(id),
                (true, None) => return Err(ctr::id_required(fingerprint.kind)),
            };
            let movement = Posting {
                kind: fingerprint.kind,
                key: &request.key,
                amount: request.amount.value(),
                memo: fingerprint.memo.as_deref(),
                stamp: &stamp,
                approved_by: approved_by.as_deref(),
                session_id,
                reverses: None,
            };
            let mut done = match fingerprint.kind {
                MovementKind::Withdrawal => movement.post(conn, &customer, &drawer),
                _ => movement.post(conn, &drawer, &customer),
            }?;
            done.drawer_over_limit = over_limit;
            if let Some(id) = granted.request {
                consume(conn, id, done.id)?;
            }
            if let (Some(id), Some(owner)) = (id, customer.owner_id) {
                ctr::record_id(conn, done.id, Some(owner), id, audit_name)?;
            }
            Ok(done)
        });
        self.bank
            .settle(actor, action, subject, &request.key, &fingerprint, result)
    }
}

/// A customer is told their own balance only, never the recipient's.
pub(super) fn payers_view(actor: &Actor, result: &mut MoneyResult, from: &AccountNumber) {
    if actor.role() == Some(crate::domain::Role::Customer) {
        result.balances.retain(|(number, _)| number == from);
    }
}

/// The result a movement had, rebuilt from the journal (for replays).
pub(super) fn result_of(row: &movements::MovementRow, replayed: bool) -> MoneyResult {
    let balances = [
        (row.debit_account_id, row.debit_balance_after),
        (row.credit_account_id, row.credit_balance_after),
    ]
    .into_iter()
    .filter(|(id, _)| !is_internal(*id))
    .filter_map(|(id, balance)| Some((account_number(id)?, row.currency.in_minor_units(balance))))
    .collect();
    MoneyResult {
        id: row.id,
        key: row.idempotency_key.clone(),
        kind: row.kind,
        amount: row.currency.in_minor_units(row.amount),
        currency: row.currency,
        from: parties(row).0,
        to: parties(row).1,
        balances,
        memo: row.memo.clone(),
        at: utc(row.created_at),
        replayed,
        drawer_over_limit: false,
        device: row.device.clone(),
    }
}

pub(super) fn ensure_open(row: &accounts::AccountRow) -> BankResult<()> {
    match row.status {
        AccountStatus::Open => Ok(()),
        AccountStatus::Frozen => Err(BankError::AccountFrozen(row.number.clone())),
        AccountStatus::Closed => Err(BankError::AccountClosed(row.number.clone())),
    }
}

fn lock_customer_account(
    conn: &mut Connection,
    number: &AccountNumber,
) -> BankResult<accounts::AccountRow> {
    let row = accounts::lock(conn, &[account_id(number)])?
        .pop()
        .filter(|row| row.owner_id.is_some())
        .ok_or_else(|| account_not_found(number))?;
    ensure_open(&row)?;
    Ok(row)
}

/// The actor's open session of `drawer`, locked: tellers and admins handle cash only with their
/// drawer open (counted float). A set-up task's (demo, bench) drawer is an account without
/// sessions: `None`.
pub(super) fn lock_cash_session(
    conn: &mut Connection,
    actor: &Actor,
    drawer: &accounts::AccountRow,
    currency: crate::domain::Currency,
) -> BankResult<Option<drawer_sessions::SessionRow>> {
    match actor {
        Actor::User(user) => Ok(Some(
            drawer_sessions::lock_open_in(conn, user.id, currency.as_str())?
                .filter(|s| s.drawer_account_id == drawer.id)
                .ok_or_else(|| BankError::DrawerClosed(currency.to_string()))?,
        )),
        Actor::Setup { .. } => Ok(None),
    }
}

/// Locks (creating it on first use) the actor's own cash drawer account for `currency`.
pub(super) fn lock_drawer(
    conn: &mut Connection,
    actor: &Actor,
    currency: &str,
) -> BankResult<accounts::AccountRow> {
    let label = actor.drawer_label(currency);
    lock_internal_account(conn, Holder::Drawer(&label), currency)
}
