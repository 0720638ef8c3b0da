//! The branch's day through the real binary: `teller vault`, the drawer's drop and top-up
//! under four eyes, and `teller eod` refusing, closing and writing its report.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;
use common::{FULL_VAULT, PASSWORD};
use teller::domain::Role;

#[test]
fn the_vault_and_the_drawer_move_cash_under_four_eyes() {
    let teller = Teller::new();
    // The harness opened today's vault (the fixture supervisor) and the admin's drawer.
    teller.fails(
        &["vault", "open", "--count", "100x1", "--json"],
        1,
        "vault_already_open",
    );
    let vault = teller.json(&["vault", "show", "--json"]);
    assert_eq!(vault["currency"], "USD");
    assert_eq!(vault["moves"][0]["kind"], "float");
    assert_eq!(vault["moves"][0]["direction"], "out");
    assert_eq!(vault["moves"][0]["count"], "100x1000");
    assert_eq!(teller.run(&["vault", "show", "--currency", "EUR"]).code, 0);
    // A teller is no supervisor.
    common::user(&mut teller.bank(), "tess@example.com", Role::Teller);
    let as_teller = teller.run_as("tess@example.com", PASSWORD, &["vault", "show", "--json"]);
    check_failure(&as_teller, &["vault", "show"], 1, "forbidden");

    // A supervisor sets a teller's own drawer limit, and takes it back.
    let own = teller.json(&["user", "drawer-limit", "tess@example.com", "5000", "--json"]);
    assert_eq!(own["drawer_limit"], "5000.00");
    assert_eq!(own["own"], true);
    let back = teller.json(&["user", "drawer-limit", "tess@example.com", "--json"]);
    assert_eq!(back["own"], false);
    let refused = teller.run_as(
        "tess@example.com",
        PASSWORD,
        &["user", "drawer-limit", "tess@example.com", "1", "--json"],
    );
    check_failure(&refused, &["user", "drawer-limit"], 1, "forbidden");

    // A drop needs a supervisor; with one, the same key applies once.
    let drop = [
        "drawer", "drop", "--count", "100x10", "--key", "drop-1", "--json",
    ];
    teller.fails(&drop, 1, "approval_required");
    let first = teller.approved(&drop);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(first.json()["drops"], "1000.00");
    let again = teller.approved(&drop);
    assert_eq!(again.json()["drops"], "1000.00", "applied once");
    let moves = teller.json(&["vault", "show", "--json"])["moves"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(moves, 2, "the float and one drop");
    // The vault cannot give what it does not hold.
    let top_up = ["drawer", "topup", "--count", "100x99999", "--json"];
    let short = teller.approved(&top_up);
    check_failure(&short, &top_up, 1, "vault_short");
    let bad = ["drawer", "topup", "--count", "3x1", "--json"];
    check_failure(&teller.approved(&bad), &bad, 2, "invalid_cash_count");
    assert_eq!(teller.run(&["audit"]).code, 0);
}

#[test]
fn eod_refuses_until_every_figure_proves_then_closes_the_day() {
    let teller = Teller::new();
    let reports = empty_dir();
    let eod = |args: &[&str]| {
        let mut command = teller.command(args);
        command.env("TELLER_EXPORT_DIR", &reports);
        run(command, None)
    };
    // The admin's drawer is open and the vault is not counted.
    let refused = eod(&["eod", "--json"]);
    let error = check_failure(&refused, &["eod"], 1, "day_not_ready");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("drawer of admin@example.com is open"),
        "{message}"
    );
    assert!(message.contains("USD vault is not counted"), "{message}");
    // The vault is counted once its drawers are back.
    let early = ["vault", "count", "--count", FULL_VAULT, "--json"];
    teller.fails(&early, 1, "day_not_ready");
    let closed = teller.json(&["drawer", "close", "--count", "100x1000", "--json"]);
    assert_eq!(closed["over_short"], "0.00");
    let counted = teller.json(&early);
    assert_eq!(counted["closing"]["over_short"], "0.00");
    teller.fails(&early, 1, "vault_counted");

    let done = eod(&["eod", "--json"]);
    assert_eq!(done.code, 0, "{done:?}");
    let report = done.json();
    assert_eq!(report["already_closed"], false);
    assert_eq!(report["audit_ok"], true);
    assert_eq!(report["chain_head"].as_str().unwrap().len(), 64);
    assert_eq!(report["drawers"][0]["teller"], ADMIN);
    assert_eq!(report["drawers"][0]["expected"], "100000.00");
    assert_eq!(report["vaults"][0]["closing"]["over_short"], "0.00");
    let text = std::fs::read_to_string(report["report"].as_str().unwrap()).unwrap();
    assert!(text.contains("end of day"), "{text}");
    let pdf = std::fs::read(report["pdf"].as_str().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));

    // Closed: asked again, the same proof; no cash step is dated into it.
    let again = eod(&["eod", "--json"]).json();
    assert_eq!(again["already_closed"], true);
    assert_eq!(again["chain_head"], report["chain_head"]);
    let reopen = ["drawer", "open", "--count", "100x1", "--json"];
    check_failure(&teller.approved(&reopen), &reopen, 1, "day_closed");
    // A date that is not one is a usage error.
    assert_eq!(teller.run(&["eod", "--date", "2026-13-01"]).code, 2);
    // Plain text names the report's files.
    let plain = eod(&["eod"]);
    assert!(plain.stdout.contains("was closed already"), "{plain:?}");
    assert!(plain.stdout.contains("eod-"), "{plain:?}");
}
