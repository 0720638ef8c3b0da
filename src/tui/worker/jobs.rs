//! What the UI asks the worker to do: the jobs themselves are declared with what they answer
//! in `calls.rs`.

use super::Job;

pub type RequestId = u64;

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
        assert_eq!(Job::Limits {}.name(), "limits");
        let answer = ReplyBody::Limits(rust_decimal::Decimal::ONE);
        assert_eq!(answer.name(), "limits");
        let answer = ReplyBody::PendingApprovals(Ok(Vec::new()));
        assert_eq!(answer.name(), "pending_approvals");
    }
}
