//! The real `teller` binary: `audit --full` with its JSON contract, and `bench --scale` building a
//! small history and timing every operation at three sizes (the command BENCHMARKS.md runs at
//! ten million).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;

#[test]
fn audit_full_checks_every_row_and_says_how_fast() {
    let teller = Teller::new();
    teller.customer("a@example.com");
    let a = teller.open_account("a@example.com", "USD");
    teller.ok(&["deposit", &a, "100", "--key", "s-dep"]);
    teller.ok(&["seal"]);
    let daily = teller.json(&["audit", "--json"]);
    assert_eq!(daily["ok"], true, "{daily}");
    assert_eq!(daily["scope"], "since_checkpoint");
    assert_eq!(
        daily["checkpoint"], 1,
        "the first passing audit after a seal writes one"
    );
    teller.ok(&["withdraw", &a, "30", "--key", "s-wd"]);
    let next = teller.json(&["audit", "--json"]);
    assert!(next["after_movement_id"].as_i64().unwrap() > 0, "{next}");
    assert_eq!(
        next["checkpoint"],
        serde_json::Value::Null,
        "nothing new sealed"
    );

    let full = teller.json(&["audit", "--full", "--json"]);
    assert_eq!(full["ok"], true, "{full}");
    assert_eq!(full["scope"], "full");
    assert_eq!(full["after_movement_id"], 0);
    assert!(full["rows_checked"].as_i64().unwrap() >= full["movements"].as_i64().unwrap());
    assert!(full["rows_per_second"].as_i64().is_some(), "{full}");
    let names: Vec<&str> = full["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"checkpoint_agrees"), "{names:?}");
    let text = teller.ok(&["audit", "--full"]).stdout;
    assert!(text.contains("checked every row"), "{text}");
}

#[test]
fn bench_scale_times_every_operation_at_three_sizes() {
    let teller = Teller::new();
    let out = teller.owner(&[
        "bench",
        "--scale",
        "600",
        "--days",
        "3",
        "--accounts",
        "30",
        "--json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = out.json();
    let points = report["points"].as_array().unwrap();
    assert_eq!(points.len(), 3, "{report}");
    // 0, then a tenth (60, reached already by the first measured day's 200), then all 600;
    // each measured day adds its own 200.
    let before: Vec<i64> = points
        .iter()
        .map(|p| p["movements_before_the_day"].as_i64().unwrap())
        .collect();
    assert_eq!(before, [0, 200, 600], "{report}");
    for point in points {
        for op in [
            "balance_ms",
            "history_page_ms",
            "statement_month_ms",
            "search_ms",
            "login_ms",
            "transfer_ms",
            "deposit_with_ctr_check_ms",
            "withdrawal_with_ctr_check_ms",
            "ctr_report_ms",
        ] {
            assert!(
                point["operations"][op].as_f64().unwrap() > 0.0,
                "{op}: {point}"
            );
        }
        // The day's 200 transfers went as one batch, paired with one on an empty bank.
        let side = &point["batch_side_by_side"];
        assert_eq!(side["batches"].as_i64().unwrap(), 1, "{side}");
        assert!(side["empty_bank_per_s"].as_f64().unwrap() > 0.0, "{side}");
        assert!(side["ratio"].as_f64().unwrap() > 0.0, "{side}");
        assert!(point["history_page_lines"].as_i64().unwrap() > 0, "{point}");
        assert!(point["daily_audit_rows"].as_i64().unwrap() > 0, "{point}");
        assert!(point["full_audit_rows"].as_i64().unwrap() > 0, "{point}");
    }
    // The last daily audit read its day, not the history behind it.
    let last = &points[2];
    assert!(
        last["daily_audit_rows"].as_i64().unwrap() < last["full_audit_rows"].as_i64().unwrap() / 2,
        "{last}"
    );
}
