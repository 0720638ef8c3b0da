//! A checked operation on its way: what the confirmation shows, sending it to the bank (with
//! the supervisor's approval when one was asked), and what the bank's answer does (the
//! receipt, the approval dialog again, or the error in the form).

use rust_decimal::Decimal;

use super::{Asked, CounterScreen, Receipt, ReceiptFile, Stage};
use crate::domain::{AccountNumber, Amount, Currency, IdDocument, IdempotencyKey, Memo};
use crate::services::{
    Approval, ApprovalOperation, BankError, CashRequest, MoneyResult, TransferRequest,
};
use crate::tui::context::{describe, Ctx, Notice};
use crate::tui::desk::Operation;
use crate::tui::strings as s;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::worker::{is_connection_lost, CashKind, Job};

/// A checked operation waiting for confirmation, approval or its answer.
#[derive(Debug, Clone)]
pub struct Pending {
    pub operation: Operation,
    pub account: AccountNumber,
    /// The receiving account of a transfer.
    pub to: Option<AccountNumber>,
    pub amount: Amount,
    pub memo: Option<Memo>,
    pub key: IdempotencyKey,
    pub currency: Currency,
    pub balance_before: Decimal,
    pub customer: String,
    pub recipient: Option<String>,
    /// Above the approval limit: a supervisor approves before it is sent.
    pub needs_approval: bool,
    /// The supervisor who approved it, once sent with an approval.
    pub approved_by: Option<String>,
    /// The customer's identification, once the bank asked for it (large cash).
    pub id: Option<IdDocument>,
}

impl Pending {
    /// The customer's balance once this is done.
    pub fn balance_after(&self) -> Decimal {
        match self.operation {
            Operation::Deposit => self.balance_before + self.amount.value(),
            Operation::Withdrawal | Operation::Transfer => {
                self.balance_before - self.amount.value()
            }
        }
    }
}

impl CounterScreen {
    /// Sends the operation; with an approval form, only once the form is filled in.
    pub(super) fn send(
        &mut self,
        mut pending: Pending,
        form: Option<Box<ApprovalForm>>,
        ctx: &mut Ctx,
    ) {
        let approval = match form {
            Some(mut form) => match form.check() {
                Some((_, approval)) => Some(approval),
                None => {
                    self.stage = Stage::Approve(pending, form);
                    return;
                }
            },
            None => None,
        };
        pending.approved_by = approval
            .as_ref()
            .and_then(Approval::supervisor)
            .map(|s| s.as_str().to_string());
        self.dispatch(pending, approval, ctx);
    }

    /// The operation this pending one is, as the supervisors see it in a request.
    pub(super) fn operation_of(pending: &Pending) -> Option<ApprovalOperation> {
        Some(match pending.operation {
            Operation::Transfer => ApprovalOperation::Transfer(TransferRequest {
                from: pending.account.clone(),
                to: pending.to.clone()?,
                amount: pending.amount,
                key: pending.key.clone(),
                memo: pending.memo.clone(),
            }),
            operation => {
                let request = CashRequest {
                    account: pending.account.clone(),
                    amount: pending.amount,
                    key: pending.key.clone(),
                    memo: pending.memo.clone(),
                    id: pending.id.clone(),
                };
                if operation == Operation::Deposit {
                    ApprovalOperation::Deposit(request)
                } else {
                    ApprovalOperation::Withdrawal(request)
                }
            }
        })
    }

    /// Sends the operation with this approval (typed, or a request a supervisor approved).
    pub(super) fn dispatch(&mut self, pending: Pending, approval: Option<Approval>, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        let job = match pending.operation {
            Operation::Transfer => {
                let Some(to) = pending.to.clone() else { return };
                Job::CounterTransfer {
                    actor,
                    request: TransferRequest {
                        from: pending.account.clone(),
                        to,
                        amount: pending.amount,
                        key: pending.key.clone(),
                        memo: pending.memo.clone(),
                    },
                    approval,
                }
            }
            operation => Job::Cash {
                actor,
                kind: if operation == Operation::Deposit {
                    CashKind::Deposit
                } else {
                    CashKind::Withdrawal
                },
                request: CashRequest {
                    account: pending.account.clone(),
                    amount: pending.amount,
                    key: pending.key.clone(),
                    memo: pending.memo.clone(),
                    id: pending.id.clone(),
                },
                approval,
            },
        };
        tracing::info!(key = pending.key.as_str(), "counter operation confirmed");
        self.requests.ask(ctx, Asked::Money, job);
        // The stage stays where it is (the dialog shows a spinner) until the answer.
        match &mut self.stage {
            Stage::Confirm(p)
            | Stage::Approve(p, _)
            | Stage::Identify(p, _, _)
            | Stage::Waiting(p, _) => *p = pending,
            _ => {}
        }
    }

    /// The bank's answer to the operation sent.
    pub(super) fn on_result(&mut self, result: Result<MoneyResult, BankError>, ctx: &mut Ctx) {
        let stage = std::mem::replace(&mut self.stage, Stage::Form);
        let (pending, form, id_form) = match stage {
            Stage::Confirm(p) | Stage::Waiting(p, _) => (p, None, None),
            Stage::Approve(p, form) => (p, Some(form), None),
            Stage::Identify(p, id, form) => (p, form, Some(id)),
            other => {
                self.stage = other;
                return;
            }
        };
        match result {
            Ok(result) => {
                self.key = None;
                self.error = None;
                ctx.notify(Notice::Success(format!(
                    "{}{}.",
                    s::COUNTER_DONE_NOTICE,
                    result.id
                )));
                if let Some((_, balance)) =
                    result.balances.iter().find(|(n, _)| *n == pending.account)
                {
                    if let Some(a) = ctx
                        .data
                        .desk
                        .accounts
                        .iter_mut()
                        .find(|a| a.number == pending.account)
                    {
                        a.balance = *balance;
                    }
                }
                // Cash moved: the drawer figures are stale.
                if pending.operation != Operation::Transfer {
                    ctx.data.desk.drawer = None;
                }
                let teller = ctx
                    .session
                    .as_ref()
                    .map(|s| format!("{} ({})", s.display_name(), s.email()))
                    .unwrap_or_default();
                self.stage = Stage::Done(Box::new(Receipt {
                    result,
                    pending,
                    teller,
                    file: ReceiptFile::NotWritten,
                }));
            }
            // Large cash: the customer's ID, then the same operation again (same key).
            Err(error @ (BankError::IdRequired(_) | BankError::Invalid(_)))
                if matches!(error, BankError::IdRequired(_)) || id_form.is_some() =>
            {
                let mut id = id_form.unwrap_or_default();
                id.error = Some(describe(&error));
                self.stage = Stage::Identify(pending, id, form);
            }
            Err(error @ (BankError::ApprovalRequired(_) | BankError::ApprovalRefused(_))) => {
                let message = describe(&error);
                let mut form = form.unwrap_or_default();
                if matches!(error, BankError::ApprovalRefused(_)) {
                    form.refused(message);
                } else {
                    form.error = Some(message);
                }
                self.stage = Stage::Approve(pending, form);
            }
            Err(error) => {
                self.error = Some(if is_connection_lost(&error) {
                    s::COUNTER_CONNECTION_LOST.to_string()
                } else if error.leaves_outcome_unknown() {
                    s::COUNTER_UNCONFIRMED.to_string()
                } else {
                    describe(&error)
                });
            }
        }
    }
}
