//! `teller statement` through the real binary: text, JSON, CSV and a PDF file, and who may ask.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;

fn this_month() -> String {
    chrono::Utc::now().format("%Y-%m").to_string()
}

#[test]
fn a_statement_as_json_csv_and_pdf() {
    let teller = Teller::new();
    let account = teller.funded_account("diana@example.com", "250.00");
    teller.ok(&["withdraw", &account, "50.00"]);
    let month = this_month();
    let statement = teller.json(&["statement", &account, "--month", &month, "--json"]);
    assert_eq!(statement["opening"], "0.00");
    assert_eq!(statement["money_in"], "250.00");
    assert_eq!(statement["money_out"], "50.00");
    assert_eq!(statement["closing"], "200.00");
    assert_eq!(statement["lines"].as_array().unwrap().len(), 2);
    assert_eq!(statement["month"], month.as_str());

    let csv = teller.ok(&["statement", &account, "--month", &month, "--csv"]);
    assert_eq!(csv.stdout.lines().count(), 3, "{}", csv.stdout);

    let pdf = std::env::temp_dir().join(format!("teller-statement-{}.pdf", std::process::id()));
    let pdf_arg = pdf.to_str().unwrap().to_string();
    teller.ok(&["statement", &account, "--month", &month, "--pdf", &pdf_arg]);
    let bytes = std::fs::read(&pdf).unwrap();
    std::fs::remove_file(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&bytes).contains(&account));
}

#[test]
fn a_bad_month_and_someone_elses_account_are_refused() {
    let teller = Teller::new();
    let account = teller.funded_account("diana@example.com", "10.00");
    teller.fails(
        &["statement", &account, "--month", "2026-13", "--json"],
        2,
        "invalid_month",
    );
    teller.customer("marco@example.com");
    // Marco chooses his own password first (staff set the first one).
    let mut change = teller.command_as(
        "marco@example.com",
        CUSTOMER_PASSWORD,
        &["user", "password", "marco@example.com"],
    );
    change.env_remove("TELLER_APPROVER_PASSWORD");
    assert_eq!(run(change, Some("marcos-own-passphrase\n")).code, 0);
    let args = [
        "statement",
        account.as_str(),
        "--month",
        "2026-03",
        "--json",
    ];
    let out = teller.run_as("marco@example.com", "marcos-own-passphrase", &args);
    check_failure(&out, &args, 1, "not_found");
}
