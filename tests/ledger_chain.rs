//! The tamper-evident ledger: `Ledger::seal` chains the journal and the audit log, and the audit
//! names the first sealed row that was changed, removed or slipped in, even when the owner
//! account dropped the append-only triggers to do it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::*;
use diesel::connection::SimpleConnection;
use rand::Rng;
use rust_decimal::Decimal;
use teller::domain::{AccountNumber, Amount, Role, Secret};
use teller::services::{
    Actor, Approval, AuditReport, Bank, BankConfig, BankError, SealReport, TransferRequest,
};

fn transfer(from: &AccountNumber, to: &AccountNumber, raw: &str) -> TransferRequest {
    TransferRequest {
        memo: teller::domain::Memo::parse_optional("rent").expect("memo"),
        ..transfer_request(from, to, raw)
    }
}

fn book(db: &TestDb) -> Book {
    book_with(db, test_config())
}

/// The ledger tests' book (`common::Book`) after some money moved.
fn book_with(db: &TestDb, config: BankConfig) -> Book {
    let mut book = book_on(Bank::connect(&db.url, config).expect("bank"));
    for raw in ["10.00", "0.01", "99.99"] {
        let request = transfer(&book.a, &book.b, raw);
        book.bank
            .money()
            .transfer(&operator(), &request, None)
            .expect("transfer");
    }
    book
}

fn seal(book: &mut Book) -> SealReport {
    book.bank.ledger().seal(&book.admin).expect("seal")
}

/// `teller audit --full`: every row again, also those before the last checkpoint (a passing
/// audit after a seal writes one, and the daily audit starts after it).
fn full_audit(bank: &mut Bank) -> AuditReport {
    bank.ledger()
        .audit_full(&operator(), &mut |_| {})
        .expect("full audit")
}

fn check<'a>(report: &'a AuditReport, name: &str) -> &'a teller::services::AuditCheck {
    report
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name} in {:?}", report.checks))
}

fn newest_audit_id(bank: &mut Bank) -> i64 {
    bank.ledger().audit_log(&operator(), 1).expect("log")[0].id
}

#[test]
fn a_seal_covers_every_row_and_the_audit_verifies_it() {
    let db = TestDb::new();
    let mut book = book(&db);
    let report = seal(&mut book);
    assert_eq!(report.seal_id, 1);
    assert_eq!(report.seals, 1);
    // 2 opening deposits and 3 transfers; the ids start at 1
    assert_eq!((report.movements, report.last_movement_id), (5, 5));
    assert_eq!(report.last_audit_id, newest_audit_id(&mut book.bank));
    assert_eq!(report.audit_lines, report.last_audit_id);
    assert_eq!(
        (report.unsealed_movements, report.unsealed_audit_lines),
        (0, 0)
    );
    assert_eq!(report.head.len(), 64);
    let audited = audit(&mut book.bank);
    assert!(audited.ok, "{:?}", audited.checks);
    assert!(check(&audited, "ledger_chain")
        .detail
        .contains(&report.head));
    assert_eq!(
        check(&audited, "ledger_unsealed").detail,
        "0 movements and 0 audit lines are not sealed yet"
    );
    // Nothing new: a second seal keeps the head and still verifies.
    let again = seal(&mut book);
    assert_eq!(
        (again.seal_id, again.movements, again.audit_lines),
        (2, 0, 0)
    );
    assert_eq!(again.head, report.head);
    assert!(audit(&mut book.bank).ok);
}

#[test]
fn a_changed_movement_is_named_although_the_triggers_were_put_back() {
    let db = TestDb::new();
    let mut book = book(&db);
    seal(&mut book);
    behind_the_trigger(
        &db,
        "movements_no_update",
        "movements",
        "UPDATE",
        "UPDATE movements SET amount = amount + 1000, credit_balance_after = credit_balance_after + 1000 WHERE id = 4",
    );
    let report = audit(&mut book.bank);
    assert!(!report.ok);
    let chain = check(&report, "ledger_chain");
    assert!(!chain.ok);
    assert_eq!(
        chain.detail,
        "movement 4 was changed after seal 1 sealed it (or its link was)"
    );
    // The links and seals themselves were not touched.
    assert!(check(&report, "ledger_seals").ok);
    // The trigger is back: the app still cannot rewrite the journal.
    let mut conn = teller::db::connect(&db.url).expect("connect");
    let error = conn
        .batch_execute("UPDATE movements SET memo = 'x' WHERE id = 1")
        .expect_err("the journal was rewritten");
    // (the trigger `behind_the_trigger` put back says just that)
    assert!(
        error.to_string().contains("append-only"),
        "not the trigger: {error}"
    );
}

#[test]
fn a_changed_audit_line_is_named() {
    let db = TestDb::new();
    let mut book = book(&db);
    let sealed = seal(&mut book);
    let target = sealed.last_audit_id - 1;
    behind_the_trigger(
        &db,
        "audit_log_no_update",
        "audit_log",
        "UPDATE",
        &format!("UPDATE audit_log SET actor = 'someone-else@example.com' WHERE id = {target}"),
    );
    let report = audit(&mut book.bank);
    assert!(!report.ok);
    assert_eq!(
        check(&report, "ledger_chain").detail,
        format!("audit line {target} was changed after seal 1 sealed it (or its link was)")
    );
    // The line said money moved: the rules see that its movement lost its line, and the
    // line its movement. Every other invariant still holds.
    assert!(!check(&report, "movements_audited").ok);
    assert_eq!(
        check(&report, "money_lines_have_movements").detail,
        format!("audit line {target} breaks it: every audit line that says money moved has its movement")
    );
    let others_ok = report
        .checks
        .iter()
        .filter(|c| !c.name.starts_with("ledger_"))
        .filter(|c| !["movements_audited", "money_lines_have_movements"].contains(&c.name))
        .all(|c| c.ok);
    assert!(others_ok, "{:?}", report.checks);
}

/// Seals a fresh book, rewrites one movement behind the trigger with `sql`, and checks the
/// audit names the change.
fn movement_change_is_named(sql: &str, named: &str) {
    let db = TestDb::new();
    let mut book = book(&db);
    seal(&mut book);
    behind_the_trigger(&db, "movements_no_update", "movements", "UPDATE", sql);
    let report = audit(&mut book.bank);
    let detail = &check(&report, "ledger_chain").detail;
    assert!(detail.starts_with(named), "{sql}: {detail}");
}

#[test]
fn a_change_invisible_in_text_is_caught_too() {
    // NULL against an empty memo, and a time moved by one microsecond.
    movement_change_is_named(
        "UPDATE movements SET memo = '' WHERE id = 1 AND memo IS NULL",
        "movement 1 was changed",
    );
    movement_change_is_named(
        "UPDATE movements SET created_at = created_at + INTERVAL 1 MICROSECOND WHERE id = 2",
        "movement 2 was changed",
    );
}

#[test]
fn a_removed_row_is_named() {
    let db = TestDb::new();
    let mut book = book(&db);
    let sealed = seal(&mut book);
    behind_the_trigger(
        &db,
        "movements_no_delete",
        "movements",
        "DELETE",
        "DELETE FROM movements WHERE id = 3",
    );
    let report = audit(&mut book.bank);
    assert!(!report.ok);
    assert_eq!(
        check(&report, "ledger_chain").detail,
        "movement 3 was removed after seal 1 sealed it"
    );
    let target = sealed.last_audit_id;
    behind_the_trigger(
        &db,
        "audit_log_no_delete",
        "audit_log",
        "DELETE",
        &format!("DELETE FROM audit_log WHERE id = {target}"),
    );
    let detail = check(&audit(&mut book.bank), "ledger_chain").detail.clone();
    assert!(
        detail.starts_with("movement 3 was removed") && detail.ends_with("(and 1 more problems)"),
        "{detail}"
    );
}

#[test]
fn a_row_slipped_into_a_hole_of_the_sealed_range_is_named() {
    // No grace: a hole is final once any earlier seal saw past it.
    let config = BankConfig {
        seal_grace: chrono::Duration::zero(),
        ..test_config()
    };
    let db = TestDb::new();
    let mut book = book_with(&db, config);
    // A rolled back insert leaves a hole in the audit log's ids.
    as_owner(
        &db,
        "BEGIN; INSERT INTO audit_log (at, actor, action, outcome) VALUES (NOW(6), 'x', 'x', 'x'); ROLLBACK;",
    );
    let hole = newest_audit_id(&mut book.bank) + 1;
    let (a, b) = (book.a.clone(), book.b.clone());
    book.bank
        .money()
        .transfer(&operator(), &transfer(&a, &b, "1.00"), None)
        .expect("transfer");
    let first = seal(&mut book);
    assert_eq!(first.last_audit_id, hole - 1, "a fresh hole stops the seal");
    assert!(first.unsealed_audit_lines > 0);
    let second = seal(&mut book);
    assert!(second.last_audit_id > hole, "a final hole does not");
    assert!(audit(&mut book.bank).ok);

    as_owner(
        &db,
        &format!(
            "INSERT INTO audit_log (id, at, actor, action, outcome) \
             VALUES ({hole}, NOW(6), 'root-of-trust@bank.local', 'login', 'ok')"
        ),
    );
    let report = full_audit(&mut book.bank);
    assert!(!report.ok);
    let range = check(&report, "ledger_sealed_range");
    assert!(
        range
            .detail
            .starts_with(&format!("audit line {hole} is inside the sealed range")),
        "{}",
        range.detail
    );
    assert!(check(&report, "ledger_chain").ok);
}

#[test]
fn a_fresh_hole_leaves_the_rows_after_it_for_a_later_seal() {
    let db = TestDb::new();
    let mut book = book(&db);
    as_owner(
        &db,
        "BEGIN; INSERT INTO audit_log (at, actor, action, outcome) VALUES (NOW(6), 'x', 'x', 'x'); ROLLBACK;",
    );
    let (a, b) = (book.a.clone(), book.b.clone());
    book.bank
        .money()
        .transfer(&operator(), &transfer(&a, &b, "1.00"), None)
        .expect("transfer");
    let report = seal(&mut book);
    assert_eq!(report.last_movement_id, 6, "the journal has no hole");
    assert_eq!(report.unsealed_audit_lines, 1);
    let audited = audit(&mut book.bank);
    assert!(audited.ok, "{:?}", audited.checks);
    assert_eq!(
        check(&audited, "ledger_unsealed").detail,
        "0 movements and 1 audit lines are not sealed yet"
    );
}

#[test]
fn rows_after_the_seal_are_reported_as_unsealed_not_as_failures() {
    let db = TestDb::new();
    let mut book = book(&db);
    seal(&mut book);
    let (a, b) = (book.a.clone(), book.b.clone());
    for raw in ["1.00", "2.00"] {
        book.bank
            .money()
            .transfer(&operator(), &transfer(&a, &b, raw), None)
            .expect("transfer");
    }
    let report = audit(&mut book.bank);
    assert!(report.ok, "{:?}", report.checks);
    assert_eq!(
        check(&report, "ledger_unsealed").detail,
        "2 movements and 2 audit lines are not sealed yet"
    );
    let next = seal(&mut book);
    assert_eq!((next.movements, next.audit_lines), (2, 2));
    assert!(audit(&mut book.bank).ok);
}

#[test]
fn a_rewritten_seal_head_is_named() {
    let db = TestDb::new();
    let mut book = book(&db);
    seal(&mut book);
    let (a, b) = (book.a.clone(), book.b.clone());
    book.bank
        .money()
        .transfer(&operator(), &transfer(&a, &b, "3.00"), None)
        .expect("transfer");
    seal(&mut book);
    behind_the_trigger(
        &db,
        "ledger_seals_no_update",
        "ledger_seals",
        "UPDATE",
        &format!(
            "UPDATE ledger_seals SET head = '{}' WHERE id = 1",
            "ab".repeat(32)
        ),
    );
    let report = audit(&mut book.bank);
    assert!(!report.ok);
    let seals = check(&report, "ledger_seals");
    assert!(
        seals.detail.starts_with("the head of seal 1 (abab"),
        "{}",
        seals.detail
    );
}

/// The audit checks each seal's head from its rows and reads the links only to name a row; a
/// link added by hand (the app account may insert into the chain) still fails it.
#[test]
fn a_link_added_by_hand_is_named() {
    let db = TestDb::new();
    let mut book = book(&db);
    let sealed = seal(&mut book);
    let mut conn = teller::db::connect(&db.url).expect("connect");
    conn.batch_execute(&format!(
        "INSERT INTO ledger_links (seal_id, seq, row_table, row_id, link) \
         VALUES ({}, 999, 'movements', 999999, '{}')",
        sealed.seal_id,
        "ab".repeat(32)
    ))
    .expect("insert a link");
    for report in [audit(&mut book.bank), full_audit(&mut book.bank)] {
        assert!(!report.ok);
        let chain = check(&report, "ledger_chain");
        assert!(
            chain
                .detail
                .contains(&format!("seal {} lost its link", sealed.seal_id)),
            "{}",
            chain.detail
        );
    }
}

#[test]
fn the_chain_tables_are_append_only() {
    let db = TestDb::new();
    let mut book = book(&db);
    seal(&mut book);
    let mut conn = teller::db::connect(&db.url).expect("connect");
    // The owner may do anything its rights allow: only the triggers stop it.
    for (sql, trigger) in [
        (
            "UPDATE ledger_seals SET actor = 'x'",
            "ledger seals are append-only",
        ),
        ("DELETE FROM ledger_seals", "ledger seals are append-only"),
        (
            "UPDATE ledger_links SET link = 'x'",
            "ledger links are append-only",
        ),
        ("DELETE FROM ledger_links", "ledger links are append-only"),
    ] {
        let error = conn
            .batch_execute(sql)
            .expect_err(&format!("{sql} went through"));
        assert!(error.to_string().contains(trigger), "{sql}: {error}");
    }
}

#[test]
fn only_admins_seal() {
    let db = TestDb::new();
    let mut book = book(&db);
    let teller = user(&mut book.bank, "tess@bank.local", Role::Teller);
    let customer = user(&mut book.bank, "cleo@example.com", Role::Customer);
    for actor in [&teller, &customer] {
        let err = book.bank.ledger().seal(actor).unwrap_err();
        assert!(matches!(err, BankError::Forbidden(_)), "{err:?}");
    }
    let log = book.bank.ledger().audit_log(&operator(), 2).expect("log");
    assert!(log
        .iter()
        .all(|e| e.action == "ledger.seal" && e.outcome == "forbidden"));
    // The CLI operator is trusted like an admin.
    book.bank
        .ledger()
        .seal(&operator())
        .expect("operator seals");
}

#[test]
fn a_backlog_is_sealed_in_batches() {
    let db = TestDb::new();
    let mut book = book(&db);
    let owner = email("ann@example.com");
    book.bank
        .batches()
        .open_funded_accounts(
            &operator(),
            &owner,
            teller::domain::Currency::USD,
            12_000,
            amount("1.00"),
        )
        .expect("bulk");
    let report = seal(&mut book);
    assert_eq!(report.seals, 2);
    assert_eq!(report.movements, 12_005);
    assert_eq!(report.unsealed_movements, 0);
    let audited = audit(&mut book.bank);
    assert!(audited.ok, "{:?}", audited.checks);
}

#[test]
fn seals_running_alongside_transfers_leave_no_false_alarm() {
    const WORKERS: usize = 4;
    const SEALERS: usize = 2;
    let db = TestDb::new();
    let mut book = book(&db);
    let accounts: Vec<AccountNumber> = (0..6)
        .map(|i| customer_with_account(&mut book.bank, &format!("c{i}@example.com"), "1000.00").1)
        .collect();
    let accounts = Arc::new(accounts);
    let start = Arc::new(Barrier::new(WORKERS + SEALERS));
    let done = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (accounts, start, url) =
                (Arc::clone(&accounts), Arc::clone(&start), db.url.clone());
            std::thread::spawn(move || {
                let mut bank = Bank::connect(&url, test_config()).expect("connect");
                let mut rng = rand::rng();
                start.wait();
                let until = Instant::now() + Duration::from_secs(4);
                let mut moved = 0;
                while Instant::now() < until {
                    let from = rng.random_range(0..accounts.len());
                    let to = (from + rng.random_range(1..accounts.len())) % accounts.len();
                    let mut request = transfer(&accounts[from], &accounts[to], "1.00");
                    request.amount =
                        Amount::from_decimal(Decimal::new(rng.random_range(1..=500), 2))
                            .expect("amount");
                    match bank.money().transfer(&operator(), &request, None) {
                        Ok(_) => moved += 1,
                        Err(BankError::InsufficientFunds { .. }) => {}
                        Err(e) => panic!("transfer failed: {e:?}"),
                    }
                }
                moved
            })
        })
        .collect();
    let sealers: Vec<_> = (0..SEALERS)
        .map(|_| {
            let (start, done, url, admin) = (
                Arc::clone(&start),
                Arc::clone(&done),
                db.url.clone(),
                book.admin.clone(),
            );
            std::thread::spawn(move || {
                let mut bank = Bank::connect(&url, test_config()).expect("connect");
                start.wait();
                let mut seals = 0;
                while !done.load(Ordering::Relaxed) {
                    bank.ledger().seal(&admin).expect("seal during transfers");
                    seals += 1;
                }
                seals
            })
        })
        .collect();
    let moved: usize = workers.into_iter().map(|w| w.join().expect("worker")).sum();
    done.store(true, Ordering::Relaxed);
    let seals: usize = sealers.into_iter().map(|s| s.join().expect("sealer")).sum();
    assert!(moved > 100, "only {moved} transfers");
    assert!(seals > 5, "only {seals} seals");
    let last = seal(&mut book);
    let report = audit(&mut book.bank);
    assert!(report.ok, "{:?}", report.checks);
    eprintln!(
        "{moved} transfers, {seals} seals alongside; final seal {} up to movement {}, {} left",
        last.seal_id, last.last_movement_id, last.unsealed_movements
    );
}

#[test]
fn a_200_character_email_is_audited_in_full() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let long = format!("{}@example.com", "a".repeat(188));
    assert_eq!(long.len(), 200);
    let admin_email = format!("{}@bank.local", "s".repeat(190));
    user(&mut bank, &admin_email, Role::Admin);
    let (_, mine) = customer_with_account(&mut bank, &long, "300.00");
    let (_, other) = customer_with_account(&mut bank, "other@example.com", "0");

    let session = bank
        .people()
        .authenticate(&email(&long), &Secret::new(PASSWORD.into()))
        .expect("login");
    let me = Actor::User(session);
    let moved = bank
        .money()
        .transfer(&me, &transfer(&mine, &other, "25.00"), None)
        .expect("transfer");

    // A teller's large transfer approved by the long-email admin.
    let teller = user(&mut bank, "tess@bank.local", Role::Teller);
    deposit(&mut bank, &mine, "20000.00");
    let approval = Approval::Typed {
        supervisor: email(&admin_email),
        password: Secret::new(PASSWORD.into()),
    };
    let approved = bank
        .money()
        .transfer(
            &teller,
            &transfer(&mine, &other, "15000.00"),
            Some(&approval),
        )
        .expect("approved transfer");

    let log = bank.ledger().audit_log(&operator(), 20).expect("log");
    let line = |action: &str, actor: &str| {
        log.iter()
            .find(|e| e.action == action && e.actor == actor && e.outcome == "ok")
            .unwrap_or_else(|| panic!("no {action} line by {actor}: {log:?}"))
    };
    line("login", &long);
    line("transfer", &long);
    assert_eq!(
        line("transfer", "tess@bank.local").approved_by.as_deref(),
        Some(admin_email.as_str())
    );
    let mut conn = teller::db::connect(&db.url).expect("connect");
    let row = teller::db::movements::find(&mut conn, moved.id)
        .expect("find")
        .expect("movement");
    assert_eq!(row.actor, long);
    let row = teller::db::movements::find(&mut conn, approved.id)
        .expect("find")
        .expect("movement");
    assert_eq!(row.approved_by.as_deref(), Some(admin_email.as_str()));
    // And the chain holds them in full.
    bank.ledger().seal(&operator()).expect("seal");
    assert_audit_ok(&mut bank);
}

/// `teller seal --json` and `teller audit --json` as a script sees them.
#[test]
fn the_cli_seals_and_its_audit_exits_1_on_a_rewritten_row() {
    let db = TestDb::new();
    let mut book = book(&db);
    seal(&mut book);
    // As the admin, on the app account, as every command runs.
    let teller = |args: &[&str]| {
        let mut command = common::cli::bare_command();
        command
            .env("DATABASE_URL", &db.app_url)
            .args(args)
            .env("TELLER_USER", "root-of-trust@bank.local")
            .env("TELLER_PASSWORD", PASSWORD);
        let out = common::cli::run(command, None);
        let json: serde_json::Value =
            serde_json::from_str(out.stdout.trim()).expect("one JSON value on stdout");
        (out.code, json)
    };
    let (code, sealed) = teller(&["seal", "--json"]);
    assert_eq!(code, 0, "{sealed}");
    assert_eq!(sealed["seal_id"], 2);
    assert_eq!(sealed["last_movement_id"], 5);
    assert_eq!(sealed["movements"], 0);
    assert_eq!(sealed["head"].as_str().map(str::len), Some(64));
    for key in [
        "audit_lines",
        "last_audit_id",
        "seals",
        "unsealed_movements",
        "at",
    ] {
        assert!(sealed.get(key).is_some(), "no {key} in {sealed}");
    }
    behind_the_trigger(
        &db,
        "movements_no_update",
        "movements",
        "UPDATE",
        "UPDATE movements SET memo = 'forged' WHERE id = 5",
    );
    let (code, report) = teller(&["audit", "--json"]);
    assert_eq!(code, 1);
    let chain = report["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["name"] == "ledger_chain"))
        .expect("ledger_chain check");
    assert_eq!(chain["ok"], false);
    assert_eq!(
        chain["detail"],
        "movement 5 was changed after seal 1 sealed it (or its link was)"
    );
}

#[test]
fn sealing_needs_only_select_and_insert_on_the_chain_tables() {
    let db = TestDb::new();
    let mut book = book(&db);
    // The app account: SELECT, and INSERT on the chain tables.
    let mut limited = db.app_bank();
    let report = limited
        .ledger()
        .seal(&book.admin)
        .expect("seal with SELECT and INSERT only");
    assert_eq!(report.last_movement_id, 5);
    let mut conn = teller::db::connect(&db.app_url).expect("limited connection");
    let denied = conn
        .batch_execute("UPDATE movements SET memo = 'x' WHERE id = 1")
        .expect_err("no UPDATE right");
    assert!(denied.to_string().contains("denied"), "{denied}");
    assert!(audit(&mut book.bank).ok);
}

/// A large cash deposit recorded with the customer's ID; its movement id.
fn large_cash_with_id(book: &mut Book) -> i64 {
    let (_, big) = customer_with_account(&mut book.bank, "big@example.com", "0");
    let mut request = cash(&big, "15000.00");
    request.id = Some(
        teller::domain::IdDocument::parse(
            "passport",
            "X1234567",
            "US",
            "2035-06-30",
            chrono::Utc::now().date_naive(),
        )
        .expect("id"),
    );
    book.bank
        .money()
        .deposit(&operator(), &request, None)
        .expect("large deposit")
        .id
}

#[test]
fn a_changed_or_removed_id_record_is_named_by_the_chain() {
    let db = TestDb::new();
    let mut book = book(&db);
    let movement = large_cash_with_id(&mut book);
    seal(&mut book);
    let sealed = audit(&mut book.bank);
    assert!(sealed.ok, "{:?}", sealed.checks);

    behind_the_trigger(
        &db,
        "cash_ids_no_update",
        "cash_ids",
        "UPDATE",
        &format!("UPDATE cash_ids SET id_number = 'Y7654321' WHERE movement_id = {movement}"),
    );
    let report = full_audit(&mut book.bank);
    assert!(!report.ok);
    let chain = check(&report, "ledger_chain");
    assert!(!chain.ok);
    assert!(
        chain
            .detail
            .starts_with(&format!("the ID record of movement {movement} was changed")),
        "{}",
        chain.detail
    );

    behind_the_trigger(
        &db,
        "cash_ids_no_delete",
        "cash_ids",
        "DELETE",
        &format!("DELETE FROM cash_ids WHERE movement_id = {movement}"),
    );
    let chain = check(&full_audit(&mut book.bank), "ledger_chain").clone();
    assert!(!chain.ok);
    assert!(
        chain
            .detail
            .starts_with(&format!("the ID record of movement {movement} was removed")),
        "{}",
        chain.detail
    );
}

#[test]
fn an_id_record_added_to_a_sealed_movement_is_named() {
    let db = TestDb::new();
    let mut book = book(&db);
    large_cash_with_id(&mut book);
    seal(&mut book);
    assert!(audit(&mut book.bank).ok);
    // Movement 1 (an opening deposit) had no ID; one is slipped in with the app's rights.
    let mut conn = teller::db::connect(&db.app_url).expect("app connection");
    conn.batch_execute(
        "INSERT INTO cash_ids (movement_id, customer_id, id_type, id_number, id_country, \
         id_expiry, recorded_by, recorded_at) \
         SELECT 1, customer_id, id_type, 'Z0000001', id_country, id_expiry, recorded_by, \
         recorded_at FROM cash_ids LIMIT 1",
    )
    .expect("insert an ID record");
    let report = full_audit(&mut book.bank);
    assert!(!report.ok);
    let range = check(&report, "ledger_sealed_range");
    assert!(!range.ok);
    assert!(
        range.detail.contains("the ID record of movement 1"),
        "{}",
        range.detail
    );
}
