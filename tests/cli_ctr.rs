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

#[test]
fn the_id_number_comes_from_standard_input_and_tellers_see_its_last_four() {
    let teller = Teller::new();
    let account = teller.funded_account("big@example.com", "0");
    // `--id-number -`: the number is read from standard input, never on the command line.
    let args = [
        "deposit",
        account.as_str(),
        "12000",
        "--id-type",
        "passport",
        "--id-number",
        "-",
        "--id-country",
        "us",
        "--id-expiry",
        "2035-06-30",
        "--json",
    ];
    let out = teller.run_with_stdin(&args, "X7654321\n");
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["amount"], "12000.00");

    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let report = ["report", "ctr", "--date", &today, "--json"];
    // The supervisor (an admin) sees the number whole.
    let whole = teller.json(&report);
    let id = whole["customers"][0]["ids"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(id.contains("X7654321 (US"), "{whole}");
    // A teller sees its last 4 characters, in JSON, text and CSV alike.
    common::user(
        &mut teller.bank(),
        "counter@example.com",
        teller::domain::Role::Teller,
    );
    let as_teller = |extra: &str| {
        let mut args = vec!["report", "ctr", "--date", &today];
        if !extra.is_empty() {
            args.push(extra);
        }
        let out = teller.run_as("counter@example.com", common::PASSWORD, &args);
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout
    };
    for (format, out) in [
        ("json", as_teller("--json")),
        ("text", as_teller("")),
        ("csv", as_teller("--csv")),
    ] {
        assert!(!out.contains("7654321"), "{format}: {out}");
        assert!(out.contains("****4321"), "{format}: {out}");
    }
}
