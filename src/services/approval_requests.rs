//! Approvals that travel: a teller sends an operation to the supervisors; any supervisor sees
//! the whole operation in their own session and approves or rejects it with their own
//! password. The approval is bound to the operation's digest (kind, accounts, amount, memo,
//! key), used once, and expires ten minutes after the request.

use crate::services::ApprovalNeed;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::accounts::{account_id, account_not_found};
use super::auth::Checked;
use super::bank::now;
use super::users::audit;
use super::views::utc;
use super::Desk;
use super::{Actor, Bank, BankError, BankResult, CashRequest, TransferRequest};
use crate::db::approval_requests::{self as requests, NewRequest, RequestRow};
use crate::db::{accounts, users};
use crate::domain::AuditAction;
use crate::domain::{format_money, AccountNumber, Currency, Reason, Role, Secret};

/// How long a request waits for a supervisor, and an approval for its use.
pub const APPROVAL_LIFETIME_MINUTES: i64 = 10;

/// A payment file as a supervisor approves it: one paying account, its total and lines, and
/// the SHA-256 of its bytes (another file, even one byte apart, is another operation).
#[derive(Debug, Clone)]
pub struct PaymentFile {
    pub payer: AccountNumber,
    pub total: Decimal,
    pub lines: u64,
    /// Lower-case hex.
    pub file_digest: String,
}

/// What a teller asks a supervisor to approve.
#[derive(Debug, Clone)]
pub enum ApprovalOperation {
    Deposit(CashRequest),
    Withdrawal(CashRequest),
    Transfer(TransferRequest),
    Batch(PaymentFile),
}

impl ApprovalOperation {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Deposit(_) => "deposit",
            Self::Withdrawal(_) => "withdrawal",
            Self::Transfer(_) => "transfer",
            Self::Batch(_) => "batch",
        }
    }

    /// (from, to): an account number or `cash`.
    fn sides(&self) -> (String, String) {
        match self {
            Self::Deposit(r) => ("cash".into(), r.account.to_string()),
            Self::Withdrawal(r) => (r.account.to_string(), "cash".into()),
            Self::Transfer(r) => (r.from.to_string(), r.to.to_string()),
            Self::Batch(file) => (file.payer.to_string(), format!("{} payees", file.lines)),
        }
    }

    fn amount(&self) -> Decimal {
        match self {
            Self::Deposit(r) | Self::Withdrawal(r) => r.amount.value(),
            Self::Transfer(r) => r.amount.value(),
            Self::Batch(file) => file.total,
        }
    }

    fn memo(&self) -> Option<&str> {
        match self {
            Self::Deposit(r) | Self::Withdrawal(r) => r.memo.as_ref().map(|m| m.as_str()),
            Self::Transfer(r) => r.memo.as_ref().map(|m| m.as_str()),
            Self::Batch(_) => None,
        }
    }

    fn key(&self) -> &str {
        match self {
            Self::Deposit(r) | Self::Withdrawal(r) => r.key.as_str(),
            Self::Transfer(r) => r.key.as_str(),
            Self::Batch(file) => &file.file_digest,
        }
    }

    /// The customer account the operation is about (the paying one for a transfer).
    fn account(&self) -> &AccountNumber {
        match self {
            Self::Deposit(r) | Self::Withdrawal(r) => &r.account,
            Self::Transfer(r) => &r.from,
            Self::Batch(file) => &file.payer,
        }
    }

    /// SHA-256 (hex) of everything that is approved: another amount, account, memo or key is
    /// another operation.
    pub fn digest(&self) -> String {
        let (from, to) = self.sides();
        let text = format!(
            "{}\n{from}\n{to}\n{}\n{}\n{}",
            self.kind(),
            format_money(self.amount()),
            self.memo().unwrap_or(""),
            self.key().to_ascii_lowercase()
        );
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// Where a request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected {
        reason: Option<String>,
    },
    Withdrawn,
    Expired,
    /// Approved and used by the movement with this reference.
    Used(i64),
}

impl RequestStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected { .. } => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Expired => "expired",
            Self::Used(_) => "used",
        }
    }
}

/// A request as the teller and the supervisors see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRequestView {
    pub id: i64,
    pub kind: String,
    pub amount: Decimal,
    pub currency: Currency,
    pub accounts: String,
    pub customer: Option<String>,
    pub key: String,
    pub teller: String,
    pub device: String,
    pub requested_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub status: RequestStatus,
    pub decided_by: Option<String>,
}

fn view_of(row: RequestRow, at: chrono::NaiveDateTime, teller: String) -> ApprovalRequestView {
    let status = match (row.status.as_str(), row.movement_id) {
        (_, Some(movement)) => RequestStatus::Used(movement),
        ("rejected", _) => RequestStatus::Rejected {
            reason: row.reason.clone(),
        },
        ("withdrawn", _) => RequestStatus::Withdrawn,
        (_, None) if row.expires_at <= at => RequestStatus::Expired,
        ("approved", _) => RequestStatus::Approved,
        _ => RequestStatus::Pending,
    };
    ApprovalRequestView {
        id: row.id,
        kind: row.kind,
        amount: row.amount,
        currency: row.currency,
        accounts: row.accounts,
        customer: row.customer,
        key: row.idempotency_key,
        teller,
        device: row.device,
        requested_at: utc(row.requested_at),
        expires_at: utc(row.expires_at),
        status,
        decided_by: row.decided_by,
    }
}

/// A supervisor's answer.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    Reject(Reason),
}

/// A request with its teller's email.
fn view(
    conn: &mut crate::db::Connection,
    row: RequestRow,
    at: chrono::NaiveDateTime,
) -> BankResult<ApprovalRequestView> {
    let teller = users::find_by_id(conn, row.teller_id)?
        .map(|u| u.email)
        .unwrap_or_default();
    Ok(view_of(row, at, teller))
}

fn no_request(id: i64) -> BankError {
    BankError::NotFound(format!("Approval request {id}"))
}

impl Bank {
    /// The supervisor who approved request `id` for exactly this operation by this actor, and
    /// whether the request is still to be used (false: used already by this operation).
    pub(super) fn approved_request(
        &mut self,
        actor: &Actor,
        id: i64,
        digest: &str,
    ) -> BankResult<(Option<String>, bool)> {
        let row = requests::find(&mut self.conn, id)?.ok_or_else(|| no_request(id))?;
        if actor.user_id() != Some(row.teller_id) {
            return Err(no_request(id));
        }
        if row.digest != digest {
            return Err(BankError::ApprovalRefused(
                "the approval was given for another operation (amount, accounts, memo or key differ)",
            ));
        }
        match view_of(row.clone(), now(), String::new()).status {
            RequestStatus::Approved => Ok((row.decided_by, true)),
            // Used by this very operation (the digest holds its key): the journal answers the
            // resubmission as a replay.
            RequestStatus::Used(_) => Ok((row.decided_by, false)),
            RequestStatus::Pending => Err(BankError::ApprovalRequired(ApprovalNeed::StillPending)),
            RequestStatus::Rejected { .. } => Err(BankError::ApprovalRejected(
                row.reason.unwrap_or_else(|| "no reason given".into()),
            )),
            RequestStatus::Withdrawn | RequestStatus::Expired => Err(BankError::ApprovalExpired),
        }
    }
}

impl Desk<'_> {
    /// Sends an operation to the supervisors (staff). The teller's screen goes on; the request
    /// waits ten minutes.
    pub fn request_approval(
        &mut self,
        actor: &Actor,
        operation: &ApprovalOperation,
    ) -> BankResult<ApprovalRequestView> {
        let action = AuditAction::ApprovalRequest;
        let subject = operation.account().as_str();
        let user = match actor {
            Actor::User(user) if user.role.is_staff() => user.clone(),
            _ => {
                let e = BankError::Forbidden("ask a supervisor for an approval (staff only)");
                return self.bank.refused(actor, action, Some(subject), e);
            }
        };
        let stamp = self.bank.stamp(actor);
        let digest = operation.digest();
        let (from, to) = operation.sides();
        let lines = format!("{from} -> {to}");
        let result = self.bank.in_transaction(|conn| {
            let account = accounts::find(conn, account_id(operation.account()))?
                .filter(|row| row.owner_id.is_some())
                .ok_or_else(|| account_not_found(operation.account()))?;
            let customer = match account.owner_id {
                Some(owner) => users::find_by_id(conn, owner)?.map(|u| u.email),
                None => None,
            };
            let at = now();
            let id = requests::insert(
                conn,
                &NewRequest {
                    kind: operation.kind(),
                    digest: &digest,
                    amount: operation.amount(),
                    currency: account.currency.as_str(),
                    accounts: &lines,
                    customer: customer.as_deref(),
                    idempotency_key: operation.key(),
                    teller_id: user.id,
                    device: &stamp.device,
                    requested_at: at,
                    expires_at: at + chrono::Duration::minutes(APPROVAL_LIFETIME_MINUTES),
                    status: "pending",
                },
            )?;
            let detail = format!(
                "request {id}: {} {} {} {lines}, key {}",
                operation.kind(),
                format_money(operation.amount()),
                account.currency,
                operation.key()
            );
            audit(conn, &stamp, action, subject, Some(&detail))?;
            let row = requests::find(conn, id)?.ok_or_else(|| no_request(id))?;
            view(conn, row, at)
        });
        self.bank.audited(actor, action, subject, result)
    }

    /// One request: its teller and the supervisors may see it.
    pub fn approval_request(&mut self, actor: &Actor, id: i64) -> BankResult<ApprovalRequestView> {
        let row = requests::find(&mut self.bank.conn, id)?.ok_or_else(|| no_request(id))?;
        let own = actor.user_id() == Some(row.teller_id);
        if !own && actor.role() != Some(Role::Admin) {
            return Err(no_request(id));
        }
        view(&mut self.bank.conn, row, now())
    }

    /// The requests waiting for a supervisor (supervisors only), oldest first.
    pub fn pending_approvals(&mut self, actor: &Actor) -> BankResult<Vec<ApprovalRequestView>> {
        if actor.role() != Some(Role::Admin) {
            let e = BankError::Forbidden("see approval requests (supervisors only)");
            return self.bank.refused(actor, AuditAction::ApprovalList, None, e);
        }
        let at = now();
        let rows = requests::pending(&mut self.bank.conn, at)?;
        rows.into_iter()
            .map(|row| view(&mut self.bank.conn, row, at))
            .collect()
    }

    /// A supervisor approves or rejects a request in their own session, typing their own
    /// password (counted towards their lock-out, as a login).
    pub fn decide_approval(
        &mut self,
        actor: &Actor,
        id: i64,
        password: &Secret,
        decision: &Decision,
    ) -> BankResult<ApprovalRequestView> {
        let action = match decision {
            Decision::Approve => AuditAction::ApprovalApprove,
            Decision::Reject(_) => AuditAction::ApprovalReject,
        };
        let subject = format!("request {id}");
        let Some(user) = actor.user().filter(|u| u.role == Role::Admin).cloned() else {
            let e = BankError::Forbidden("decide an approval request (supervisors only)");
            return self.bank.refused(actor, action, Some(&subject), e);
        };
        match self.bank.check_password(&user.email, password)? {
            Checked::Right(_) => {}
            _ => {
                let e = BankError::ApprovalRefused("your password is incorrect");
                return self.bank.refused(actor, action, Some(&subject), e);
            }
        }
        let stamp = self.bank.stamp(actor);
        let result = self.bank.in_transaction(|conn| {
            let row = requests::find_for_update(conn, id)?.ok_or_else(|| no_request(id))?;
            if row.teller_id == user.id {
                return Err(BankError::ApprovalRefused(
                    "nobody can approve their own operation",
                ));
            }
            let at = now();
            let (status, reason) = match decision {
                Decision::Approve => ("approved", None),
                Decision::Reject(reason) => ("rejected", Some(reason.as_str())),
            };
            if !requests::decide(conn, id, status, &stamp.actor, reason, at)? {
                return Err(BankError::ApprovalRefused(
                    "the request is no longer waiting (withdrawn, decided or expired)",
                ));
            }
            let detail = format!(
                "{} {} {} {}, teller #{}, device {}, digest {}{}",
                row.kind,
                format_money(row.amount),
                row.currency,
                row.accounts,
                row.teller_id,
                row.device,
                row.digest,
                reason.map_or(String::new(), |r| format!(", reason: {r}"))
            );
            audit(conn, &stamp, action, &subject, Some(&detail))?;
            let row = requests::find(conn, id)?.ok_or_else(|| no_request(id))?;
            view(conn, row, at)
        });
        self.bank.audited(actor, action, &subject, result)
    }

    /// The teller takes a request back (Esc on the waiting screen).
    pub fn withdraw_approval(&mut self, actor: &Actor, id: i64) -> BankResult<()> {
        let subject = format!("request {id}");
        let stamp = self.bank.stamp(actor);
        let result = self.bank.in_transaction(|conn| {
            let row = requests::find_for_update(conn, id)?.ok_or_else(|| no_request(id))?;
            if actor.user_id() != Some(row.teller_id) {
                return Err(no_request(id));
            }
            if requests::withdraw(conn, id)? {
                audit(conn, &stamp, AuditAction::ApprovalWithdraw, &subject, None)?;
            }
            Ok(())
        });
        self.bank
            .audited(actor, AuditAction::ApprovalWithdraw, &subject, result)
    }
}

/// Uses an approved request for the movement just written, inside its transaction: once, and
/// before it expires (else the movement rolls back).
pub(super) fn consume(
    conn: &mut crate::db::Connection,
    request: i64,
    movement: i64,
) -> BankResult<()> {
    if requests::consume(conn, request, movement, now())? {
        Ok(())
    } else {
        Err(BankError::ApprovalExpired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Amount, IdempotencyKey};

    fn withdrawal(amount: &str, key: &str) -> ApprovalOperation {
        ApprovalOperation::Withdrawal(CashRequest {
            account: AccountNumber::from_serial(100_000_001).expect("a number"),
            amount: Amount::parse(amount).expect("amount"),
            key: IdempotencyKey::parse(key).expect("key"),
            memo: None,
            id: None,
        })
    }

    #[test]
    fn the_digest_binds_amount_key_and_kind() {
        let base = withdrawal("15000.00", "k-1");
        assert_eq!(base.digest(), withdrawal("15000", "K-1").digest());
        assert_ne!(base.digest(), withdrawal("15000.01", "k-1").digest());
        assert_ne!(base.digest(), withdrawal("15000.00", "k-2").digest());
        let ApprovalOperation::Withdrawal(request) = base.clone() else {
            unreachable!()
        };
        assert_ne!(base.digest(), ApprovalOperation::Deposit(request).digest());
        assert_eq!(base.digest().len(), 64);
    }
}
