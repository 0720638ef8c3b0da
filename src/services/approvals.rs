//! Four eyes: large withdrawals and transfers, reversals and unfreezing need a supervisor (an
//! admin other than the person doing it) to type their email and password.

use super::{Actor, Bank, BankError, BankResult};
use crate::db::users;
use crate::domain::{format_money_grouped, Amount, Email, Role, Secret};

/// A supervisor's credentials, typed on the teller's screen.
#[derive(Debug, Clone)]
pub struct Approval {
    pub supervisor: Email,
    pub password: Secret,
}

const WRONG_CREDENTIALS: &str = "the supervisor's email or password is incorrect";

impl Bank {
    /// Does this operation need a supervisor, and did one approve? Returns the approving
    /// supervisor's email. Only staff working through the app are limited: customers move
    /// their own money, and the CLI operator is trusted.
    pub(super) fn approval(
        &mut self,
        actor: &Actor,
        action: &str,
        subject: &str,
        amount: Amount,
        limited: bool,
        approval: Option<&Approval>,
    ) -> BankResult<Option<String>> {
        let staff_user = matches!(actor.role(), Some(Role::Teller | Role::Admin));
        let needed = limited && staff_user && amount.value() > self.config.approval_limit;
        match approval {
            Some(approval) => self
                .verify_approval(actor, action, subject, approval)
                .map(Some),
            None if needed => {
                let what = format!(
                    "An amount above {}",
                    format_money_grouped(self.config.approval_limit)
                );
                self.refused(
                    actor,
                    action,
                    Some(subject),
                    BankError::ApprovalRequired(what),
                )
            }
            None => Ok(None),
        }
    }

    /// Checks a supervisor's credentials: an admin, not the actor, not locked out, with the
    /// right password (wrong ones count towards the supervisor's lock-out).
    pub(super) fn verify_approval(
        &mut self,
        actor: &Actor,
        action: &str,
        subject: &str,
        approval: &Approval,
    ) -> BankResult<String> {
        let row = users::find_by_email(&mut self.conn, approval.supervisor.as_str())?;
        let refusal = match row {
            None => {
                let dummy = self.dummy_hash()?;
                let _ = bcrypt::verify(approval.password.expose(), &dummy);
                BankError::ApprovalRefused(WRONG_CREDENTIALS)
            }
            Some(row) if actor.user_id() == Some(row.id) => {
                BankError::ApprovalRefused("nobody can approve their own operation")
            }
            Some(row) if row.role != Role::Admin.as_str() => {
                BankError::ApprovalRefused("only a supervisor (admin) can approve")
            }
            Some(row)
                if row
                    .locked_until
                    .is_some_and(|until| until > super::bank::now()) =>
            {
                BankError::ApprovalRefused("the supervisor is locked out after failed logins")
            }
            Some(row) => {
                if bcrypt::verify(approval.password.expose(), &row.password_hash).unwrap_or(false) {
                    return Ok(row.email);
                }
                let _ = self.count_failed_login(&approval.supervisor, "approval");
                BankError::ApprovalRefused(WRONG_CREDENTIALS)
            }
        };
        self.refused(actor, action, Some(subject), refusal)
    }
}
