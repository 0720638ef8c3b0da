//! Four eyes: large withdrawals and transfers, reversals and unfreezing need a supervisor (an
//! admin other than the person doing it) to type their email and password.

use crate::services::ApprovalNeed;
use rust_decimal::Decimal;

use super::accounts::account_id;
use super::auth::Checked;
use super::bank::now;
use super::fx::{total_at_mid, value_at_mid, BASE_CURRENCY};
use super::{Actor, Approval, Bank, BankError, BankResult};
use crate::db::{accounts, movements, users};
use crate::domain::AuditAction;
use crate::domain::{AccountNumber, Amount, Currency, Role};

/// What an operation asks of the four-eyes rule.
#[derive(Debug, Clone, Copy)]
pub(super) struct ApprovalCheck<'a> {
    pub action: AuditAction,
    pub subject: &'a str,
    pub amount: Amount,
    /// The amount's currency; `None`: the paying account's. The limit is in the base
    /// currency: other amounts are weighed at the mid rate.
    pub currency: Option<Currency>,
    /// Staff need a supervisor above the approval limit (withdrawals, transfers, batches).
    pub limited: bool,
    /// The customer account money leaves: the day's earlier payments from its owner's
    /// accounts by the same person count too.
    pub paying: Option<&'a AccountNumber>,
    /// The operation's digest, for an approval request sent to the supervisors.
    pub digest: Option<&'a str>,
}

/// Who approved, and the approved request the movement uses up.
#[derive(Debug, Default)]
pub(super) struct Granted {
    pub by: Option<String>,
    pub request: Option<i64>,
}

const WRONG_CREDENTIALS: &str = "the supervisor's email or password is incorrect";

impl Bank {
    /// Does this operation need a supervisor, and did one approve? Returns who approved it
    /// and the request to use up with the movement. Only staff working through the app are
    /// limited, and a member of staff's withdrawals and transfers out of one customer's
    /// accounts in one business day count together (a large payment split in parts still
    /// needs a supervisor). Customers move their own money; set-up tasks are not limited.
    pub(super) fn approval(
        &mut self,
        actor: &Actor,
        check: &ApprovalCheck<'_>,
        approval: Option<&Approval>,
    ) -> BankResult<Granted> {
        let ApprovalCheck {
            action, subject, ..
        } = *check;
        match approval {
            Some(Approval::Request(id)) => {
                let Some(digest) = check.digest else {
                    let e = BankError::ApprovalRefused(
                        "a sent request approves a deposit, withdrawal or transfer; here the supervisor types their password",
                    );
                    return self.refused(actor, action, Some(subject), e);
                };
                match self.approved_request(actor, *id, digest) {
                    Ok((by, unused)) => Ok(Granted {
                        by,
                        request: unused.then_some(*id),
                    }),
                    Err(e) => self.refused(actor, action, Some(subject), e),
                }
            }
            Some(typed) => Ok(Granted {
                by: Some(self.verify_approval(actor, action, subject, typed)?),
                request: None,
            }),
            None => {
                let staff_user = matches!(actor.role(), Some(Role::Teller | Role::Admin));
                if !(check.limited && staff_user) {
                    return Ok(Granted::default());
                }
                let currency = match (check.currency, check.paying) {
                    (Some(currency), _) => currency,
                    (None, Some(account)) => accounts::find(&mut self.conn, account_id(account))?
                        .map_or(BASE_CURRENCY, |row| row.currency),
                    (None, None) => BASE_CURRENCY,
                };
                let earlier = match check.paying {
                    Some(account) => self.paid_today_by(actor, account)?,
                    None => Some(Decimal::ZERO),
                };
                let now = value_at_mid(&mut self.conn, currency, check.amount.value())?;
                let limit = self.config.approval_limit;
                // Without a rate to the base currency the value is unknown: a supervisor decides.
                let (earlier, within) = match (earlier, now) {
                    (Some(earlier), Some(now)) => (earlier, earlier + now <= limit),
                    (earlier, _) => (earlier.unwrap_or_default(), false),
                };
                if within {
                    return Ok(Granted::default());
                }
                let what = if earlier.is_zero() {
                    ApprovalNeed::AboveLimit { limit }
                } else {
                    ApprovalNeed::AboveLimitToday {
                        paid_today: earlier,
                        limit,
                    }
                };
                self.refused(
                    actor,
                    action,
                    Some(subject),
                    BankError::ApprovalRequired(what),
                )
            }
        }
    }

    /// What this member of staff paid out of the accounts of `account`'s owner today:
    /// withdrawals and transfers, in the journal, at their value in the base currency; `None`
    /// when one of them is in a currency without a rate to it.
    fn paid_today_by(
        &mut self,
        actor: &Actor,
        account: &AccountNumber,
    ) -> BankResult<Option<Decimal>> {
        let since = now().date().and_time(chrono::NaiveTime::MIN);
        let totals = movements::paid_by_since(
            &mut self.conn,
            account_id(account),
            &actor.audit_name(),
            since,
        )?;
        let mut amounts = Vec::with_capacity(totals.len());
        for (code, total) in totals {
            let currency = Currency::parse(&code)
                .map_err(|e| BankError::Database(format!("movement currency {code}: {e}")))?;
            amounts.push((currency, total));
        }
        total_at_mid(&mut self.conn, amounts)
    }

    /// Checks a supervisor's credentials: an admin, not the actor, who has chosen their own
    /// password, with the right password. The attempt is counted before bcrypt runs, as a
    /// login, but against the (actor, supervisor) pair: guesses lock that pair, never the
    /// supervisor's own login.
    pub(super) fn verify_approval(
        &mut self,
        actor: &Actor,
        action: AuditAction,
        subject: &str,
        approval: &Approval,
    ) -> BankResult<String> {
        let Approval::Typed {
            supervisor,
            password,
        } = approval
        else {
            let e = BankError::ApprovalRefused(
                "a sent request approves a deposit, withdrawal or transfer; here the supervisor types their password",
            );
            return self.refused(actor, action, Some(subject), e);
        };
        // Only staff ask for approvals: anyone else learns nothing about who the supervisors are.
        if !actor.is_staff() {
            let e = BankError::Forbidden("ask for a supervisor's approval");
            return self.refused(actor, action, Some(subject), e);
        }
        let row = users::find_by_email(&mut self.conn, supervisor.as_str())?;
        let refusal = match row {
            Some(row) if actor.user_id() == Some(row.id) => {
                BankError::ApprovalRefused("nobody can approve their own operation")
            }
            Some(row) if row.role != Role::Admin => {
                BankError::ApprovalRefused("only a supervisor (admin) can approve")
            }
            _ => match self.check_approver_password(&actor.audit_name(), supervisor, password)? {
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
