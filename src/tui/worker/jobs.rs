//! What the UI asks the worker to do.

use std::path::PathBuf;

use crate::domain::{
    AccountNumber, CashCount, Currency, Email, IdempotencyKey, Month, Password, Reason, Secret,
};
use crate::services::{
    AccountStatus, Actor, Approval, ApprovalOperation, CashRequest, Decision, NewUserInput,
    ProfileChanges, TransferRequest, VaultTransfer,
};

pub type RequestId = u64;

/// A piece of work for the worker.
#[derive(Debug, Clone, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Job {
    /// Log in.
    Login {
        email: Email,
        password: Secret,
    },
    /// Replace a password someone else set, then log in (the login's forced change).
    ChangePasswordAtLogin {
        email: Email,
        current: Secret,
        new: Password,
    },
    /// Check the password again to lift the idle lock.
    Reauthenticate {
        email: Email,
        password: Secret,
    },
    Accounts {
        actor: Actor,
        owner: Email,
    },
    History {
        actor: Actor,
        account: AccountNumber,
        before: Option<i64>,
        limit: u32,
    },
    /// The recent balances of several accounts at once (the home screen's trends): one
    /// request, however many accounts.
    Trends {
        actor: Actor,
        accounts: Vec<AccountNumber>,
        points: u32,
    },
    /// Who owns an account, as "D. Julis".
    Recipient {
        number: AccountNumber,
    },
    Transfer {
        actor: Actor,
        request: TransferRequest,
    },
    Profile {
        actor: Actor,
        email: Email,
    },
    UpdateProfile {
        actor: Actor,
        email: Email,
        changes: ProfileChanges,
    },
    ChangePassword {
        actor: Actor,
        current: Secret,
        new: Password,
    },
    /// The whole history of an account as CSV, written to `path`.
    ExportHistory {
        actor: Actor,
        account: AccountNumber,
        path: PathBuf,
    },
    // ---- the teller's workstation ----
    /// Customers matching what was typed in the lookup.
    SearchCustomers {
        actor: Actor,
        query: String,
    },
    /// The bank's rules the screens mirror (the approval limit).
    Limits,
    RegisterUser {
        actor: Actor,
        input: NewUserInput,
    },
    OpenAccount {
        actor: Actor,
        owner: Email,
        currency: Currency,
    },
    /// Freeze, or unfreeze with a supervisor's approval.
    SetAccountStatus {
        actor: Actor,
        account: AccountNumber,
        status: AccountStatus,
        approval: Option<Approval>,
    },
    UnlockUser {
        actor: Actor,
        email: Email,
    },
    ResetPassword {
        actor: Actor,
        email: Email,
        password: Password,
    },
    /// The teller's open drawer session, if any.
    Drawer {
        actor: Actor,
    },
    /// Opens the teller's drawer; the float comes from the vault, approved by a supervisor.
    OpenDrawer {
        actor: Actor,
        currency: Currency,
        count: CashCount,
        approval: Option<Approval>,
    },
    CloseDrawer {
        actor: Actor,
        session: i64,
        count: CashCount,
    },
    /// A cash drop or a top-up, approved by a supervisor; the key makes a resend safe.
    DrawerCash {
        actor: Actor,
        direction: VaultTransfer,
        count: CashCount,
        approval: Approval,
        key: IdempotencyKey,
    },
    /// Today's vault of a currency (supervisors).
    Vault {
        actor: Actor,
        currency: Currency,
    },
    OpenVault {
        actor: Actor,
        currency: Currency,
        count: CashCount,
    },
    CountVault {
        actor: Actor,
        currency: Currency,
        count: CashCount,
    },
    /// Closes today's business day and writes its report into `folder`.
    EndOfDay {
        actor: Actor,
        folder: PathBuf,
    },
    /// Cash in or out at the counter, approved by a supervisor when given.
    Cash {
        actor: Actor,
        kind: CashKind,
        request: CashRequest,
        approval: Option<Approval>,
    },
    /// A transfer made by staff for a customer, approved by a supervisor when given.
    CounterTransfer {
        actor: Actor,
        request: TransferRequest,
        approval: Option<Approval>,
    },
    Reverse {
        actor: Actor,
        reference: i64,
        reason: Reason,
        approval: Option<Approval>,
    },
    /// A receipt written to a text file.
    WriteReceipt {
        path: PathBuf,
        text: String,
    },
    /// An account's statement for a month, written as a PDF to `path`.
    Statement {
        actor: Actor,
        account: AccountNumber,
        month: Month,
        path: PathBuf,
    },
    /// The payment file after (or before) `current` in `folder` (Tab in the path field).
    NextPaymentFile {
        folder: PathBuf,
        current: String,
        forward: bool,
    },
    /// What a payment file holds (lines, total, invalid lines), before anything moves.
    BulkPreview {
        actor: Actor,
        path: PathBuf,
        from: AccountNumber,
    },
    /// Posts a payment file's valid lines (progress comes as `WorkerMessage::Progress`).
    BulkPost {
        actor: Actor,
        path: PathBuf,
        from: AccountNumber,
        approval: Option<Approval>,
        /// The preview's SHA-256: a file changed since is refused before anything moves.
        digest: [u8; 32],
    },
    /// Sends an operation to the supervisors.
    RequestApproval {
        actor: Actor,
        operation: ApprovalOperation,
    },
    /// Where a sent request stands.
    ApprovalStatus {
        actor: Actor,
        id: i64,
    },
    /// The teller takes a request back.
    WithdrawApproval {
        actor: Actor,
        id: i64,
    },
    /// The requests waiting for a supervisor.
    PendingApprovals {
        actor: Actor,
    },
    /// A supervisor approves or rejects a request with their own password.
    DecideApproval {
        actor: Actor,
        id: i64,
        password: Secret,
        decision: Decision,
    },
}

/// Which way cash moves at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CashKind {
    Deposit,
    Withdrawal,
}

impl Job {
    /// A name for the log (never the values: they may hold passwords): the variant's, in
    /// snake case; a cash job names its direction.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Cash {
                kind: CashKind::Deposit,
                ..
            } => "deposit",
            Self::Cash {
                kind: CashKind::Withdrawal,
                ..
            } => "withdraw",
            other => other.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub id: RequestId,
    pub job: Job,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::worker::ReplyBody;

    #[test]
    fn a_job_is_named_after_its_variant_in_snake_case() {
        assert_eq!(Job::Limits.name(), "limits");
        let answer = ReplyBody::Limits {
            approval_limit: rust_decimal::Decimal::ONE,
        };
        assert_eq!(answer.name(), "limits");
        let answer = ReplyBody::PendingApprovals(Ok(Vec::new()));
        assert_eq!(answer.name(), "pending_approvals");
    }
}
