//! Four eyes: large withdrawals and transfers, reversals and unfreezing need a supervisor (an
//! admin other than the person doing it) to type their email and password.

use super::auth::Checked;
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
    /// their own money; set-up tasks (owner account) are not limited.
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

    /// Checks a supervisor's credentials: an admin, not the actor, who has chosen their own
    /// password, with the right password. The attempt is counted towards the supervisor's
    /// lock-out before bcrypt runs, exactly as a login.
    pub(super) fn verify_approval(
        &mut self,
        actor: &Actor,
        action: &str,
        subject: &str,
        approval: &Approval,
    ) -> BankResult<String> {
        // Only staff ask for approvals: anyone else learns nothing about who the supervisors are.
        if !actor.is_staff() {
            let e = BankError::Forbidden("ask for a supervisor's approval");
            return self.refused(actor, action, Some(subject), e);
        }
        let row = users::find_by_email(&mut self.conn, approval.supervisor.as_str())?;
        let refusal = match row {
            Some(row) if actor.user_id() == Some(row.id) => {
                BankError::ApprovalRefused("nobody can approve their own operation")
            }
            Some(row) if row.role != Role::Admin => {
                BankError::ApprovalRefused("only a supervisor (admin) can approve")
            }
            _ => match self.check_password(&approval.supervisor, &approval.password)? {
                Checked::Right(row) if row.must_change_password => BankError::ApprovalRefused(
                    "the supervisor must first change the password someone else set",
                ),
                Checked::Right(row) => return Ok(row.email.clone()),
                // A locked supervisor gets the same answer as a wrong password, as at login.
                Checked::Locked | Checked::UnknownEmail | Checked::Wrong { .. } => {
                    BankError::ApprovalRefused(WRONG_CREDENTIALS)
                }
            },
        };
        self.refused(actor, action, Some(subject), refusal)
    }
}
