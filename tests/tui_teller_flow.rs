//! The teller's day driven by key events against the real MariaDB, through the real worker:
//! a teller logs in, opens the drawer, registers a customer (with an opening cash deposit and
//! its receipt file), transfers to a demo customer, a supervisor approves a large withdrawal,
//! the drawer closes with a variance, and the ledger audit passes afterwards (the service and
//! the `teller audit` binary alike). A second flow covers the card's four-eyes actions:
//! unfreezing an account and reversing a movement.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::process::Command;

use common::live::Live;
use common::{balance, email, money, operator, TestDb};
use ratatui::crossterm::event::KeyCode;
use teller::domain::AccountNumber;
use teller::services::{AccountStatus, Bank};
use teller::tui::app::Route;
use teller::tui::testing::NINA;

const BIN: &str = env!("CARGO_BIN_EXE_teller");

const TELLER: &str = "teller@bank.local";
const TELLER_PASSWORD: &str = "teller-demo-2026";
const ADMIN: &str = "admin@bank.local";
const ADMIN_PASSWORD: &str = "admin-demo-2026!";
const DEMO_CUSTOMER: &str = "di.julis@icloud.com";

/// Flows of the teller's workstation.
impl Live {
    /// Waits for the large-cash identification form and fills in Nina's passport.
    fn show_id(&mut self) -> &mut Self {
        self.wait_for("Customer identification")
            .fill(&["P1234567", "SI", "2031-05-31"])
            .press(KeyCode::Enter)
    }

    /// Finds a customer in the lookup and opens their card.
    fn open_card(&mut self, query: &str, name: &str) -> &mut Self {
        self.press(KeyCode::F(2))
            .press(KeyCode::Esc)
            .type_text(query)
            .wait_for(" found ")
            .press(KeyCode::Enter)
            .wait_for(&format!("Customer {name}"))
            .settle()
    }
}

/// The demo bank: its customers, the teller and the supervisor.
fn demo_bank(db: &TestDb) -> Bank {
    let mut bank = db.bank();
    bank.load_demo(&operator()).expect("demo");
    bank
}

/// The app on `db`, the demo teller logged in and at the customer lookup.
fn teller_at_the_desk(db: &TestDb) -> Live {
    let mut live = Live::ticking(&db.app_url);
    live.login(TELLER, TELLER_PASSWORD)
        .wait_for("Find a customer");
    live
}

fn status_of(bank: &mut Bank, account: &AccountNumber) -> AccountStatus {
    let view = bank.money().account(&operator(), account).expect("account");
    view.status
}

fn first_account(bank: &mut Bank, address: &str) -> AccountNumber {
    let accounts = bank
        .money()
        .accounts(&operator(), &email(address))
        .expect("accounts");
    accounts[0].number.clone()
}

/// `teller audit` on this database exits 0 and says ok.
fn audit_binary_passes(db: &TestDb) {
    let out = Command::new(BIN)
        .args(["audit", "--json"])
        .env("DATABASE_URL", &db.app_url)
        .env("TELLER_USER", ADMIN)
        .env("TELLER_PASSWORD", ADMIN_PASSWORD)
        .env("TELLER_BCRYPT_COST", "4")
        .output()
        .expect("run teller audit");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "teller audit failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("audit json");
    assert_eq!(report["ok"], true, "{report}");
}

#[test]
fn a_tellers_day_from_opening_the_drawer_to_a_clean_audit() {
    let db = TestDb::new();
    let mut bank = demo_bank(&db);
    let demo_account = first_account(&mut bank, DEMO_CUSTOMER);
    let demo_before = balance(&mut bank, &demo_account);

    let mut live = teller_at_the_desk(&db);
    assert_eq!(live.app.route(), Route::Customers);

    // Open the drawer: 20 x 100 and 20 x 50 = 3,000.00.
    live.press(KeyCode::F(5))
        .wait_for("Open my drawer")
        .tab()
        .type_text("20")
        .tab()
        .type_text("20")
        .wait_for("3,000.00")
        .press(KeyCode::Enter)
        // The float comes from the vault (the demo opened it): the supervisor approves.
        .wait_for("Supervisor approval")
        .type_text(ADMIN)
        .tab()
        .type_text(ADMIN_PASSWORD)
        .press(KeyCode::Enter)
        .wait_for("Drawer open with a float of USD 3,000.00.")
        .wait_for("shown after the blind close");

    // Register a customer, open their first account with a 15,000.00 cash deposit.
    live.press(KeyCode::F(6))
        .fill(&[&NINA[..], &["nina-first-password", "nina-first-password"]].concat())
        .press(KeyCode::Enter)
        .wait_for("Registered. Now their first account:")
        .tab()
        .type_text("15000")
        .press(KeyCode::Enter)
        .wait_for("Confirm the deposit");
    let confirm = live.screen();
    assert!(confirm.contains("fifteen thousand dollars"), "{confirm}");
    assert!(confirm.contains("15,000.00"), "balance after: {confirm}");
    // Large cash: the bank asks for Nina's ID, recorded with the deposit.
    live.press(KeyCode::Enter)
        .show_id()
        .wait_for("Done, reference #");
    let receipt = live.screen();
    assert!(
        receipt.contains("Teller") && receipt.contains(TELLER),
        "{receipt}"
    );
    live.char('p').wait_for("Receipt written to");
    let files: Vec<_> = std::fs::read_dir(&live.export_dir)
        .expect("receipts")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].path()).expect("receipt file");
    assert!(
        text.contains("15,000.00") && text.contains(TELLER),
        "{text}"
    );
    let nina = first_account(&mut bank, "nina.novak@example.com");
    assert_eq!(balance(&mut bank, &nina), money("15000.00"));

    // Back on Nina's card: a transfer of 200.00 to a demo customer.
    live.press(KeyCode::Esc)
        .wait_for("Customer nina.novak@example.com")
        .settle()
        .char('t')
        .type_text(demo_account.as_str())
        .wait_for("Recipient: D. Julis")
        .tab()
        .type_text("200")
        .tab()
        .type_text("first rent")
        .press(KeyCode::Enter)
        .wait_for("Confirm the transfer")
        .press(KeyCode::Enter)
        .wait_for("Done, reference #");
    assert_eq!(balance(&mut bank, &nina), money("14800.00"));
    assert_eq!(
        balance(&mut bank, &demo_account),
        demo_before + money("200.00")
    );

    // A large withdrawal: the supervisor approves it on the same screen.
    live.press(KeyCode::Esc)
        .wait_for("Customer nina.novak@example.com")
        .settle()
        .char('w')
        .type_text("12000")
        .press(KeyCode::Enter)
        .wait_for("Above the limit: a supervisor approves next.")
        .press(KeyCode::Enter)
        .wait_for("Supervisor approval")
        .type_text(ADMIN)
        .tab()
        .type_text("not-the-admin-password")
        .press(KeyCode::Enter)
        .wait_for("The approval was refused");
    assert_eq!(balance(&mut bank, &nina), money("14800.00"));
    // Approved, and large cash out: her ID again.
    live.type_text(ADMIN_PASSWORD)
        .press(KeyCode::Enter)
        .show_id()
        .wait_for("Approved by");
    assert!(live.screen().contains(ADMIN));
    assert_eq!(balance(&mut bank, &nina), money("2800.00"));

    // The drawer: 3,000 + 15,000 in - 12,000 out = 6,000.00 expected, which the teller is
    // not told before the blind close.
    live.press(KeyCode::F(5))
        .wait_for("shown after the blind close")
        .settle();
    let figures = live.screen();
    assert!(!figures.contains("6,000.00"), "{figures}");
    assert!(
        !figures.contains("15,000.00") && !figures.contains("12,000.00"),
        "{figures}"
    );

    // Close it blind, 20.00 short: 59 x 100 and 4 x 20 = 5,980.00.
    live.char('c')
        .wait_for("Close my drawer")
        .type_text("59")
        .tab()
        .tab()
        .type_text("4");
    let counting = live.screen();
    assert!(!counting.contains("6,000.00"), "blind count: {counting}");
    assert!(counting.contains("5,980.00"), "{counting}");
    live.press(KeyCode::Enter)
        .wait_for("Close the drawer?")
        .press(KeyCode::Enter)
        .wait_for("The drawer is closed; the session is final.");
    let closed = live.screen();
    assert!(closed.contains("Short"), "{closed}");
    assert!(
        closed.contains("20.00") && closed.contains("6,000.00"),
        "{closed}"
    );
    assert!(
        closed.contains("15,000.00") && closed.contains("12,000.00"),
        "{closed}"
    );

    // Cash cannot move any more: the drawer is closed.
    live.open_card("novak", "nina.novak@example.com")
        .char('d')
        .type_text("5")
        .press(KeyCode::Enter)
        .wait_for("Confirm the deposit")
        .press(KeyCode::Enter)
        .wait_for("No cash drawer of yours is open");
    assert_eq!(balance(&mut bank, &nina), money("2800.00"));

    common::assert_audit_ok(&mut bank);
    audit_binary_passes(&db);
}

#[test]
fn unfreezing_and_reversing_from_the_card_need_a_supervisor() {
    let db = TestDb::new();
    let mut bank = demo_bank(&db);
    let account = first_account(&mut bank, DEMO_CUSTOMER);
    let before = balance(&mut bank, &account);

    let mut live = teller_at_the_desk(&db);
    live.press(KeyCode::F(5))
        .wait_for("Open my drawer")
        .tab()
        .type_text("10")
        .press(KeyCode::Enter)
        .wait_for("Supervisor approval")
        .type_text(ADMIN)
        .tab()
        .type_text(ADMIN_PASSWORD)
        .press(KeyCode::Enter)
        .wait_for("Drawer open with a float");

    // A deposit to reverse later.
    live.open_card("di.julis", DEMO_CUSTOMER)
        .char('d')
        .type_text("42.50")
        .press(KeyCode::Enter)
        .wait_for("Confirm the deposit")
        .press(KeyCode::Enter)
        .wait_for("Done, reference #")
        .press(KeyCode::Esc)
        .wait_for(&format!("Customer {DEMO_CUSTOMER}"))
        .settle();
    assert_eq!(balance(&mut bank, &account), before + money("42.50"));

    // Freeze, then unfreeze with the supervisor.
    live.char('f')
        .wait_for("Freeze the account")
        .press(KeyCode::Enter)
        .wait_for("is frozen.");
    assert_eq!(status_of(&mut bank, &account), AccountStatus::Frozen);
    live.char('f')
        .wait_for("Unfreeze account")
        .type_text(TELLER)
        .tab()
        .type_text(TELLER_PASSWORD)
        .press(KeyCode::Enter)
        .wait_for("The approval was refused");
    assert!(
        live.screen()
            .contains("nobody can approve their own operation"),
        "the teller cannot approve their own unfreeze"
    );
    live.press(KeyCode::BackTab).press(KeyCode::End);
    for _ in 0..TELLER.len() {
        live.press(KeyCode::Backspace);
    }
    live.type_text(ADMIN)
        .tab()
        .type_text(ADMIN_PASSWORD)
        .press(KeyCode::Enter)
        .wait_for("is open again.");
    assert_eq!(status_of(&mut bank, &account), AccountStatus::Open);

    // Reverse today's deposit (the newest movement), once only.
    live.char('x')
        .wait_for("Choose the movement to reverse")
        .settle()
        .char('x')
        .wait_for("Reverse a movement")
        .fill(&["keyed the wrong amount", ADMIN, ADMIN_PASSWORD])
        .press(KeyCode::Enter)
        .wait_for("was reversed by #")
        .settle();
    assert_eq!(balance(&mut bank, &account), before);
    // The original is still listed below its reversal; reversing it again is refused.
    live.press(KeyCode::Down)
        .char('x')
        .wait_for("Reverse a movement")
        .fill(&["again", ADMIN, ADMIN_PASSWORD])
        .press(KeyCode::Enter)
        .wait_for("reversed already");
    assert_eq!(balance(&mut bank, &account), before);
    common::assert_audit_ok(&mut bank);
}

#[test]
fn a_bulk_payment_from_the_card_is_posted_by_the_real_worker() {
    let db = TestDb::new();
    let mut bank = demo_bank(&db);
    let payer = first_account(&mut bank, DEMO_CUSTOMER);
    let payee = first_account(&mut bank, "irina97@gmail.com");
    let payer_before = balance(&mut bank, &payer);
    let payee_before = balance(&mut bank, &payee);

    let mut live = teller_at_the_desk(&db);
    std::fs::create_dir_all(&live.export_dir).unwrap();
    std::fs::write(
        live.export_dir.join("payroll.csv"),
        format!("to,amount,memo\n{payee},10.00,first\n{payee},2.50,second\n"),
    )
    .unwrap();
    live.open_card("di.julis", "di.julis@icloud.com")
        .char('b')
        .wait_for("Bulk payment")
        .type_text("payroll.csv")
        .press(KeyCode::Enter)
        .wait_for("2 to pay")
        .press(KeyCode::Enter)
        .wait_for("Done: 2 paid");
    assert_eq!(balance(&mut bank, &payer), payer_before - money("12.50"));
    assert_eq!(balance(&mut bank, &payee), payee_before + money("12.50"));
    let results = std::fs::read_to_string(live.export_dir.join("payroll.csv.results.csv")).unwrap();
    assert_eq!(
        results.lines().filter(|l| l.contains(",done,")).count(),
        2,
        "{results}"
    );
    audit_binary_passes(&db);
}

#[test]
fn a_payment_file_changed_after_its_preview_is_refused_by_the_real_worker() {
    let db = TestDb::new();
    let mut bank = demo_bank(&db);
    let payer = first_account(&mut bank, DEMO_CUSTOMER);
    let payee = first_account(&mut bank, "irina97@gmail.com");
    let payer_before = balance(&mut bank, &payer);

    let mut live = teller_at_the_desk(&db);
    std::fs::create_dir_all(&live.export_dir).unwrap();
    let file = live.export_dir.join("changing.csv");
    std::fs::write(&file, format!("to,amount,memo\n{payee},10.00,first\n")).unwrap();
    live.open_card("di.julis", "di.julis@icloud.com")
        .char('b')
        .wait_for("Bulk payment")
        .type_text("changing.csv")
        .press(KeyCode::Enter)
        .wait_for("1 to pay");
    // The file changes between the preview (10.00) and the post.
    std::fs::write(&file, format!("to,amount,memo\n{payee},999.00,first\n")).unwrap();
    live.press(KeyCode::Enter).wait_for("previewed");
    assert_eq!(balance(&mut bank, &payer), payer_before);
    assert!(!live.export_dir.join("changing.csv.results.csv").exists());
}
