//! The fake bank's approval requests: sent by a teller, listed and decided by a supervisor.

use crate::services::{ApprovalOperation, ApprovalRequestView, BankError, Decision, RequestStatus};
use crate::tui::testing::fixtures::fixed_wall;
use crate::tui::worker::{Job, ReplyBody};

use super::FakeBank;

impl FakeBank {
    /// The answer to an approvals job; any other job comes back (boxed: jobs are large).
    pub(super) fn approvals_answer(&mut self, job: Job) -> Result<ReplyBody, Box<Job>> {
        Ok(match job {
            Job::RequestApproval { actor, operation } => {
                let (amount, accounts) = match &operation {
                    ApprovalOperation::Deposit(r) => {
                        (r.amount.value(), format!("cash -> {}", r.account))
                    }
                    ApprovalOperation::Withdrawal(r) => {
                        (r.amount.value(), format!("{} -> cash", r.account))
                    }
                    ApprovalOperation::Transfer(r) => {
                        (r.amount.value(), format!("{} -> {}", r.from, r.to))
                    }
                    ApprovalOperation::Batch(file) => (
                        file.total,
                        format!("{} -> {} payees", file.payer, file.lines),
                    ),
                };
                let view = ApprovalRequestView {
                    id: 900 + i64::try_from(self.approval_requests.len()).unwrap_or(0),
                    kind: operation.kind().to_string(),
                    amount,
                    currency: crate::domain::Currency::USD,
                    accounts,
                    customer: Some(self.user.email.as_str().to_string()),
                    key: format!("k-{}", 900 + self.approval_requests.len()),
                    teller: actor.audit_name(),
                    device: "till-1".into(),
                    requested_at: fixed_wall(),
                    expires_at: fixed_wall() + chrono::Duration::minutes(10),
                    status: RequestStatus::Pending,
                    decided_by: None,
                };
                self.approval_requests.push(view.clone());
                ReplyBody::ApprovalRequest(Ok(view))
            }
            Job::ApprovalStatus { id, .. } => ReplyBody::ApprovalRequest(self.request(id)),
            Job::WithdrawApproval { id, .. } => {
                if let Some(r) = self.approval_requests.iter_mut().find(|r| r.id == id) {
                    r.status = RequestStatus::Withdrawn;
                }
                ReplyBody::Done(Ok(()))
            }
            Job::PendingApprovals { .. } => ReplyBody::PendingApprovals(Ok(self
                .approval_requests
                .iter()
                .filter(|r| r.status == RequestStatus::Pending)
                .cloned()
                .collect())),
            Job::DecideApproval {
                actor,
                id,
                decision,
                ..
            } => {
                if let Some(r) = self.approval_requests.iter_mut().find(|r| r.id == id) {
                    r.status = match decision {
                        Decision::Approve => RequestStatus::Approved,
                        Decision::Reject(reason) => RequestStatus::Rejected {
                            reason: Some(reason.as_str().to_string()),
                        },
                    };
                    r.decided_by = Some(actor.audit_name());
                }
                ReplyBody::ApprovalRequest(self.request(id))
            }
            other => return Err(Box::new(other)),
        })
    }

    fn request(&self, id: i64) -> Result<ApprovalRequestView, BankError> {
        self.approval_requests
            .iter()
            .find(|r| r.id == id)
            .cloned()
            .ok_or_else(|| BankError::NotFound(format!("Approval request {id}")))
    }
}
