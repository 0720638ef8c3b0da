//! The words of approvals that travel: the supervisors' list, deciding, the teller waiting.

pub const TITLE_APPROVALS: &str = "Approvals";
pub const HELP_GO_APPROVALS: &str = "the approval requests tellers sent (supervisors)";
pub const APPROVALS_PANEL: &str = "Approval requests";
pub const APPROVALS_NONE: &str = "No request is waiting. New ones appear here by themselves.";
pub const APPROVALS_SUPERVISORS_ONLY: &str = "Only supervisors (admins) decide approval requests.";
pub const APPROVALS_HEADER: [&str; 6] =
    ["#", "Operation", "Amount", "Accounts", "Teller", "Expires"];
pub const DETAIL_CUSTOMER: &str = "Customer";
pub const DETAIL_TELLER: &str = "Sent by";
pub const DETAIL_WHEN: &str = "Sent at";
pub const DETAIL_KEY: &str = "Key";
pub const HELP_APPROVE_REQUEST: &str = "approve the selected request (your password)";
pub const HELP_REJECT_REQUEST: &str = "reject the selected request (your password and a reason)";
pub const FOOT_APPROVE_REQUEST: &str = "approve";
pub const FOOT_REJECT_REQUEST: &str = "reject";
pub const HELP_DECIDE_SUBMIT: &str = "decide with your password";
pub const FOOT_DECIDE: &str = "decide";
pub const DECIDE_APPROVE_TITLE: &str = "Approve this request";
pub const DECIDE_REJECT_TITLE: &str = "Reject this request";
pub const DECIDE_ENTER: &str = " decide   ";
pub const PASSWORD_NEEDED: &str = "type your own password";
pub const FIELD_YOUR_PASSWORD: &str = "Your password";
pub const FIELD_REASON: &str = "Reason";
pub const APPROVED_NOTICE: &str = "Approved request ";
pub const REJECTED_NOTICE: &str = "Rejected request ";
pub const BADGE_ONE: &str = " 1 approval waiting (F9) ";
pub const BADGE_MANY: &str = " approvals waiting (F9) ";

// ---- the teller's side ----
pub const HELP_SEND_TO_SUPERVISORS: &str =
    "send it to the supervisors instead: one approves it in their own session";
pub const FOOT_SEND_TO_SUPERVISORS: &str = "send";
pub const WAITING_TITLE: &str = "Waiting for a supervisor";
pub const WAITING_SENDING: &str = "Sending the request to the supervisors…";
pub const WAITING_SENT: &str = "Request sent to the supervisors: ";
pub const WAITING_HINT: &str =
    "It goes on by itself once approved. Esc withdraws the request (the form keeps what was typed).";
pub const HELP_WITHDRAW_REQUEST: &str = "withdraw the request and go back to the form";
pub const FOOT_WITHDRAW: &str = "withdraw";
pub const REQUEST_REJECTED: &str = "A supervisor rejected the request: ";
pub const REQUEST_EXPIRED: &str =
    "The request expired or was withdrawn; send it again or ask a supervisor to type their password.";
