//! Approvals that travel, through the real binary: a teller's `--wait-approval` sends the
//! operation to the supervisors and goes on by itself once one approves in their own session;
//! rejected or expired, it fails; an approval is bound to the operation and used once. And a
//! large payment split in parts by one member of staff still needs a supervisor.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::cli::*;
use common::PASSWORD;
use serde_json::Value;

/// A command waiting in the background, and the rest of its standard error.
struct Waiting {
    child: Child,
    stderr: std::thread::JoinHandle<String>,
}

/// `args` as the admin, with --wait-approval, in the background; returns it and the request
/// id it printed on standard error (a JSON line with --json).
fn waiting(teller: &Teller, args: &[&str]) -> (Waiting, i64) {
    let mut command = teller.command(args);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let sent: Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line:?}"));
    let id = sent["approval_request"]
        .as_i64()
        .unwrap_or_else(|| panic!("no request id in {line:?}"));
    assert!(is_rfc3339_utc(str_of(&sent, "expires_at")));
    let stderr = std::thread::spawn(move || {
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
        rest
    });
    (Waiting { child, stderr }, id)
}

fn finish(waiting: Waiting) -> Out {
    let output = waiting.child.wait_with_output().unwrap();
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: waiting.stderr.join().unwrap(),
    }
}

/// The error a `--json` command ended with: the last line of standard error (the request
/// line comes first).
fn last_error(out: &Out, exit: i32, code: &str) -> Value {
    assert_eq!(out.code, exit, "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let last = out.stderr.lines().last().unwrap_or_default();
    let error: Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    assert_eq!(error["error"], code, "{out:?}");
    error
}

fn as_boss(teller: &Teller, args: &[&str]) -> Out {
    teller.run_as(BOSS, PASSWORD, args)
}

fn two_accounts(teller: &Teller) -> (String, String) {
    let from = teller.funded_account("payer@example.com", "50000.00");
    let to = teller.funded_account("payee@example.com", "0");
    (from, to)
}

#[test]
fn a_sent_request_is_approved_by_another_supervisor_and_the_transfer_goes_on() {
    let teller = Teller::new();
    let (from, to) = two_accounts(&teller);
    let args = [
        "transfer",
        &from,
        &to,
        "15000.00",
        "--key",
        "big-1",
        "--wait-approval",
        "--json",
    ];
    let (child, id) = waiting(&teller, &args);

    // The supervisors see the whole operation.
    let list = as_boss(&teller, &["approvals", "list", "--json"]).json();
    let request = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("request {id} not listed: {list}"))
        .clone();
    assert_eq!(request["kind"], "transfer");
    assert_eq!(request["amount"], "15000.00");
    assert_eq!(request["currency"], "USD");
    assert_eq!(request["accounts"], format!("{from} -> {to}"));
    assert_eq!(request["customer"], "payer@example.com");
    assert_eq!(request["teller"], ADMIN);
    assert_eq!(request["device"], "local");
    for field in ["requested_at", "expires_at"] {
        assert!(is_rfc3339_utc(str_of(&request, field)), "{request}");
    }
    // The requester cannot approve their own operation.
    let own = teller.run(&["approvals", "approve", &id.to_string(), "--json"]);
    check_failure(&own, &["approvals", "approve"], 1, "approval_refused");

    let approved = as_boss(
        &teller,
        &["approvals", "approve", &id.to_string(), "--json"],
    );
    assert_eq!(approved.code, 0, "{approved:?}");
    assert_eq!(approved.json()["status"], "approved");

    let out = finish(child);
    assert_eq!(out.code, 0, "{out:?}");
    let done = out.json();
    assert_eq!(done["amount"], "15000.00");
    assert_eq!(teller.balance(&to), "15000.00");
    let log = teller.json(&["log", "--limit", "10", "--json"]);
    let line = log
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["action"] == "transfer" && l["outcome"] == "ok")
        .unwrap();
    assert_eq!(line["approved_by"], BOSS);
    // Used once: the list is empty and a second approval is refused.
    let list = as_boss(&teller, &["approvals", "list", "--json"]).json();
    assert_eq!(list, serde_json::json!([]));
    let again = as_boss(
        &teller,
        &["approvals", "approve", &id.to_string(), "--json"],
    );
    check_failure(&again, &["approvals", "approve"], 1, "approval_refused");
    assert!(teller.run(&["audit"]).code == 0);
}

#[test]
fn a_rejected_request_fails_with_the_reason_and_moves_nothing() {
    let teller = Teller::new();
    let (from, to) = two_accounts(&teller);
    let args = [
        "transfer",
        &from,
        &to,
        "12000.00",
        "--wait-approval",
        "--json",
    ];
    let (child, id) = waiting(&teller, &args);
    let rejected = as_boss(
        &teller,
        &[
            "approvals",
            "reject",
            &id.to_string(),
            "--reason",
            "call the customer first",
            "--json",
        ],
    );
    assert_eq!(rejected.code, 0, "{rejected:?}");
    assert_eq!(rejected.json()["status"], "rejected");
    let out = finish(child);
    let error = last_error(&out, 1, "approval_rejected");
    assert!(str_of(&error, "message").contains("call the customer first"));
    assert_eq!(teller.balance(&to), "0.00");
}

#[test]
fn an_unanswered_request_expires_at_the_timeout_and_leaves_the_list() {
    let teller = Teller::new();
    let (from, to) = two_accounts(&teller);
    let args = [
        "transfer",
        &from,
        &to,
        "11000.00",
        "--wait-approval",
        "--timeout",
        "1",
        "--json",
    ];
    let started = Instant::now();
    let out = teller.run(&args);
    let sent: Value = serde_json::from_str(out.stderr.lines().next().unwrap()).unwrap();
    assert!(sent["approval_request"].is_i64(), "{out:?}");
    last_error(&out, 1, "approval_expired");
    assert!(started.elapsed() < Duration::from_secs(20));
    let list = as_boss(&teller, &["approvals", "list", "--json"]).json();
    assert_eq!(list, serde_json::json!([]));
    assert_eq!(teller.balance(&to), "0.00");
}

#[test]
fn without_waiting_the_answer_is_still_approval_required() {
    let teller = Teller::new();
    let (from, to) = two_accounts(&teller);
    teller.fails(
        &["transfer", &from, &to, "15000.00", "--json"],
        1,
        "approval_required",
    );
    // Only supervisors see the list.
    teller.customer("nosy@example.com");
    let own = "nosy@example.com";
    let change = teller.command_as(own, CUSTOMER_PASSWORD, &["user", "password", own]);
    assert_eq!(run(change, Some("a-new-passphrase-7\n")).code, 0);
    let out = teller.run_as(own, "a-new-passphrase-7", &["approvals", "list", "--json"]);
    check_failure(&out, &["approvals", "list"], 1, "forbidden");
}

#[test]
fn a_payment_split_in_parts_by_one_member_of_staff_still_needs_a_supervisor() {
    let teller = Teller::new();
    let (from, to) = two_accounts(&teller);
    // 6,000 cash out, then 6,000 by transfer from the same customer: 12,000 in one day.
    teller.ok(&["withdraw", &from, "6000.00", "--json"]);
    let error = teller.fails(
        &["transfer", &from, &to, "6000.00", "--json"],
        1,
        "approval_required",
    );
    assert!(str_of(&error, "message").contains("today"), "{error}");
    // Another member of staff starts their own count; a supervisor's approval lets it through.
    let out = teller.approved(&["transfer", &from, &to, "6000.00", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let value: Value = out.json();
    assert_eq!(value["amount"], "6000.00");
}

#[test]
fn a_payment_file_travels_to_the_supervisors_bound_to_its_bytes() {
    let teller = Teller::new();
    let payer = teller.funded_account("payroll@example.com", "50000.00");
    let alice = teller.funded_account("alice@example.com", "0");
    let bob = teller.funded_account("bob@example.com", "0");
    let dir = empty_dir().join(format!("payroll-{}", rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("payroll.csv");
    let write_payroll = |bob_gets: &str| {
        let lines = format!(
            "to,amount,memo,reference\n{alice},7000.00,salary,p-1\n{bob},{bob_gets},salary,p-2\n"
        );
        std::fs::write(&file, lines).unwrap();
    };
    write_payroll("6000.00");
    let path = file.display().to_string();
    let args = [
        "batch",
        "post",
        &path,
        "--from",
        &payer,
        "--wait-approval",
        "--json",
    ];
    let (child, id) = waiting(&teller, &args);
    let list = as_boss(&teller, &["approvals", "list", "--json"]).json();
    let request = &list.as_array().unwrap()[0];
    assert_eq!(request["id"], id);
    assert_eq!(request["kind"], "batch");
    assert_eq!(request["amount"], "13000.00");
    assert_eq!(request["accounts"], format!("{payer} -> 2 payees"));
    assert_eq!(request["customer"], "payroll@example.com");

    // The file changes while it waits: the approval is for the bytes that were sent.
    write_payroll("6000.01");
    let approved = as_boss(
        &teller,
        &["approvals", "approve", &id.to_string(), "--json"],
    );
    assert_eq!(approved.code, 0, "{approved:?}");
    let out = finish(child);
    last_error(&out, 1, "approval_refused");
    assert_eq!(teller.balance(&bob), "0.00");

    // The file as it was is posted once, approved by the supervisor.
    write_payroll("6000.00");
    let (child, id) = waiting(&teller, &args);
    assert_eq!(
        as_boss(
            &teller,
            &["approvals", "approve", &id.to_string(), "--json"]
        )
        .code,
        0
    );
    let out = finish(child);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["approved_by"], BOSS);
    assert_eq!(teller.balance(&alice), "7000.00");
    assert_eq!(teller.balance(&bob), "6000.00");
}
