//! Approvals that travel, on the command line: `--wait-approval` on the money commands sends
//! the operation to the supervisors and waits; `teller approvals list|approve|reject` is the
//! supervisor's side.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::args::ApprovalsCommand;
use super::output::{print_json, time};
use super::{credentials, CliError};
use crate::domain::format_money;
use crate::services::{
    Actor, Approval, ApprovalOperation, ApprovalRequestView, Bank, BankError, BankResult, Decision,
    MoneyResult, RequestStatus,
};

/// How often a waiting command looks at its request.
const POLL: Duration = Duration::from_millis(500);

/// The money operation, with the approval given (typed or a request) or none.
fn perform(
    bank: &mut Bank,
    actor: &Actor,
    operation: &ApprovalOperation,
    approval: Option<&Approval>,
) -> BankResult<MoneyResult> {
    match operation {
        ApprovalOperation::Deposit(r) => bank.money().deposit(actor, r, approval),
        ApprovalOperation::Withdrawal(r) => bank.money().withdraw(actor, r, approval),
        ApprovalOperation::Transfer(r) => bank.money().transfer(actor, r, approval),
        ApprovalOperation::Batch(_) => Err(BankError::Forbidden(
            "post a payment file as a single operation (teller batch post)",
        )),
    }
}

/// Runs a money command. With `wait`, an operation that needs a supervisor is sent to them
/// (the request id on standard error) and done once approved; rejected or expired, it fails.
pub(super) fn run_money(
    bank: &mut Bank,
    actor: &Actor,
    operation: &ApprovalOperation,
    approval: Option<&Approval>,
    wait: Option<Duration>,
    json: bool,
) -> BankResult<MoneyResult> {
    with_approval(
        bank,
        actor,
        operation,
        approval,
        Waiting { wait, json },
        |bank, approval| perform(bank, actor, operation, approval),
        |e| matches!(e, BankError::ApprovalRequired(_)),
    )
}

/// How a command waits for the supervisors.
#[derive(Debug, Clone, Copy)]
pub(super) struct Waiting {
    /// `--wait-approval`: how long; None does not send anything.
    pub wait: Option<Duration>,
    pub json: bool,
}

/// Runs `perform`; when it needs a supervisor and the command may wait, sends `operation` to
/// the supervisors and runs it again with their approval (or fails as they decide).
pub(super) fn with_approval<T, E: From<BankError>>(
    bank: &mut Bank,
    actor: &Actor,
    operation: &ApprovalOperation,
    approval: Option<&Approval>,
    waiting: Waiting,
    mut perform: impl FnMut(&mut Bank, Option<&Approval>) -> Result<T, E>,
    needs_approval: impl Fn(&E) -> bool,
) -> Result<T, E> {
    let first = perform(bank, approval);
    let (Some(timeout), json) = (waiting.wait, waiting.json) else {
        return first;
    };
    match first {
        Err(e) if approval.is_none() && needs_approval(&e) => {}
        other => return other,
    }
    let sent = bank.desk().request_approval(actor, operation)?;
    if json {
        eprintln!(
            "{}",
            json!({ "approval_request": sent.id, "expires_at": time(sent.expires_at) })
        );
    } else {
        eprintln!(
            "approval request {} sent to the supervisors (expires {}); waiting",
            sent.id,
            time(sent.expires_at)
        );
    }
    let deadline = Instant::now() + timeout;
    loop {
        std::thread::sleep(POLL);
        let now = bank.desk().approval_request(actor, sent.id)?;
        match now.status {
            RequestStatus::Approved | RequestStatus::Used(_) => {
                return perform(bank, Some(&Approval::Request(sent.id)))
            }
            RequestStatus::Pending if Instant::now() < deadline => {}
            RequestStatus::Pending => {
                // Nobody will use it now: take it off the supervisors' list.
                bank.desk().withdraw_approval(actor, sent.id)?;
                return Err(BankError::ApprovalExpired.into());
            }
            RequestStatus::Rejected { reason } => {
                return Err(BankError::ApprovalRejected(
                    reason.unwrap_or_else(|| "no reason given".into()),
                )
                .into())
            }
            RequestStatus::Withdrawn | RequestStatus::Expired => {
                return Err(BankError::ApprovalExpired.into())
            }
        }
    }
}

/// `teller approvals list|approve|reject` (supervisors).
pub(super) fn run(
    bank: &mut Bank,
    actor: &Actor,
    command: ApprovalsCommand,
    json: bool,
) -> Result<(), CliError> {
    match command {
        ApprovalsCommand::List => {
            let requests = bank.desk().pending_approvals(actor)?;
            show_list(&requests, json);
        }
        ApprovalsCommand::Approve { id } => {
            let password = own_password()?;
            let view = bank
                .desk()
                .decide_approval(actor, id, &password, &Decision::Approve)?;
            show_one(&view, json);
        }
        ApprovalsCommand::Reject { id, reason } => {
            let password = own_password()?;
            let view =
                bank.desk()
                    .decide_approval(actor, id, &password, &Decision::Reject(reason))?;
            show_one(&view, json);
        }
    }
    Ok(())
}

/// A supervisor decides with their own password, as for any command.
fn own_password() -> Result<crate::domain::Secret, CliError> {
    credentials::password("TELLER_PASSWORD", "Your password, to decide: ")
}

pub(super) fn request_json(view: &ApprovalRequestView) -> Value {
    json!({
        "id": view.id,
        "kind": view.kind,
        "amount": format_money(view.amount),
        "currency": view.currency.as_str(),
        "accounts": view.accounts,
        "customer": view.customer,
        "teller": view.teller,
        "device": view.device,
        "requested_at": time(view.requested_at),
        "expires_at": time(view.expires_at),
        "key": view.key,
        "status": view.status.as_str(),
        "decided_by": view.decided_by,
    })
}

fn show_list(requests: &[ApprovalRequestView], as_json: bool) {
    if as_json {
        return print_json(&Value::Array(requests.iter().map(request_json).collect()));
    }
    if requests.is_empty() {
        println!("No approval requests are waiting.");
    }
    for r in requests {
        println!(
            "{:>6}  {:<10} {:>16} {}  {:<25} {:<28} {} on {}  expires {}",
            r.id,
            r.kind,
            format_money(r.amount),
            r.currency,
            r.accounts,
            r.customer.as_deref().unwrap_or("-"),
            r.teller,
            r.device,
            time(r.expires_at)
        );
    }
}

fn show_one(view: &ApprovalRequestView, as_json: bool) {
    if as_json {
        return print_json(&request_json(view));
    }
    println!(
        "Request {} {}: {} {} {} {} (teller {} on {})",
        view.id,
        view.status.as_str(),
        view.kind,
        format_money(view.amount),
        view.currency,
        view.accounts,
        view.teller,
        view.device
    );
}
