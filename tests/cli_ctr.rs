//! Large cash through the real binary: `deposit` refused with `id_required` above the line,
//! done with `--id-*`, and `teller report ctr` listing it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;

#[test]
fn a_large_deposit_needs_the_id_flags_and_shows_in_the_report() {
    let teller = Teller::new();
    let account = teller.funded_account("big@example.com", "0");
    let args = ["deposit", account.as_str(), "12000", "--json"];
    teller.fails(&args, 1, "id_required");

    let with_id = [
        "deposit",
        account.as_str(),
        "12000",
        "--id-type",
        "passport",
        "--id-number",
        "X1234567",
        "--id-country",
        "us",
        "--id-expiry",
        "2035-06-30",
        "--json",
    ];
    assert_eq!(teller.json(&with_id)["amount"], "12000.00");
    // Half an ID is a usage error.
    let half = ["deposit", account.as_str(), "1", "--id-type", "passport"];
    assert_eq!(teller.run(&half).code, 2);
    let bad = [
        "deposit",
        account.as_str(),
        "12000",
        "--id-type",
        "visa",
        "--id-number",
        "X1234567",
        "--id-country",
        "US",
        "--id-expiry",
        "2035-06-30",
        "--json",
    ];
    teller.fails(&bad, 2, "invalid_id");

    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let report = teller.json(&["report", "ctr", "--date", &today, "--json"]);
    let customers = report["customers"].as_array().unwrap();
    assert_eq!(customers.len(), 1, "{report}");
    assert_eq!(customers[0]["email"], "big@example.com");
    assert_eq!(customers[0]["cash_in"], "12000.00");
    assert!(customers[0]["ids"][0]
        .as_str()
        .unwrap()
        .contains("X1234567 (US"));
    // A deposit takes a supervisor too (for a drawer above its limit).
    let small = teller.funded_account("small@example.com", "0");
    let out = teller.approved(&["deposit", &small, "10.00", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["amount"], "10.00");
    let csv = teller.ok(&["report", "ctr", "--date", &today, "--csv"]);
    assert!(
        csv.stdout.starts_with("email,name,cash_in"),
        "{}",
        csv.stdout
    );
    assert_eq!(csv.stdout.lines().count(), 2);
}
