//! The daily audit checks the rows since the last checkpoint, not all history: a passing audit
//! after a seal writes a checkpoint (the sums it carried, its counts), the next one starts after
//! it, and `teller audit --full` checks everything again, the checkpoint included.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::connection::SimpleConnection;
use teller::domain::Role;
use teller::services::{AuditReport, AuditScope};

fn book(db: &TestDb) -> Book {
    book_on(db.bank())
}

impl Book {
    /// A day's work: transfers a to b.
    fn day(&mut self, amounts: &[&str]) {
        for raw in amounts {
            self.bank
                .money()
                .transfer(&operator(), &transfer_request(&self.a, &self.b, raw), None)
                .unwrap();
        }
    }

    fn seal(&mut self) {
        self.bank.ledger().seal(&self.admin).unwrap();
    }

    fn audit(&mut self) -> AuditReport {
        self.bank.ledger().audit(&operator()).unwrap()
    }

    fn full_audit(&mut self) -> AuditReport {
        let mut steps = Vec::new();
        let report = self
            .bank
            .ledger()
            .audit_full(&operator(), &mut |step| steps.push(step.phase))
            .unwrap();
        assert!(steps.contains(&"chain"), "the chain reports progress");
        report
    }
}

/// A book with two openings (movements 1 and 2) and two transfers (3 and 4) sealed behind
/// checkpoint 1, and a third transfer (5) after it.
fn checkpointed_after_two_transfers(db: &TestDb) -> Book {
    let mut book = book(db);
    book.day(&["1.00", "2.00"]);
    book.seal();
    assert_eq!(book.audit().checkpoint, Some(1));
    book.day(&["3.00"]);
    book
}

/// Runs `sql` (an UPDATE of the journal) as the owner, behind the journal's append-only trigger.
fn rewrite_journal(db: &TestDb, sql: &str) {
    behind_the_trigger(db, "movements_no_update", "movements", "UPDATE", sql);
}

fn detail<'a>(report: &'a AuditReport, name: &str) -> &'a str {
    &report
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap()
        .detail
}

#[test]
fn each_day_is_checked_from_the_last_checkpoint_and_the_sums_carry_over() {
    let db = TestDb::new();
    let mut book = book(&db);
    let first = book.audit();
    assert!(first.ok, "{:?}", first.checks);
    assert_eq!(first.checkpoint, None, "nothing sealed: no checkpoint");
    assert_eq!(first.after_movement_id, 0);

    let mut last_after = 0;
    for (day, amounts) in [["1.00", "2.00"], ["3.00", "4.00"], ["5.00", "6.00"]]
        .iter()
        .enumerate()
    {
        book.day(amounts);
        book.seal();
        let report = book.audit();
        assert!(report.ok, "day {day}: {:?}", report.checks);
        assert_eq!(report.scope, AuditScope::SinceCheckpoint);
        assert_eq!(report.checkpoint, Some(day as i64 + 1));
        // The day's two transfers (and their lines), not the history before them.
        if day > 0 {
            assert!(report.after_movement_id > last_after);
            assert_eq!(report.movements - report.after_movement_id, 2);
        }
        last_after = report.after_movement_id;
    }
    // Two opening deposits and six transfers, counted through the checkpoints.
    let report = book.audit();
    assert!(report.ok, "{:?}", report.checks);
    assert_eq!(report.movements, 8);
    assert_eq!(report.checkpoint, None, "nothing new was sealed");
    assert_eq!(
        (
            balance(&mut book.bank, &book.a),
            balance(&mut book.bank, &book.b)
        ),
        (money("479.00"), money("121.00"))
    );
    let full = book.full_audit();
    assert!(full.ok, "{:?}", full.checks);
    assert_eq!(full.scope, AuditScope::Full);
    assert_eq!(full.after_movement_id, 0);
    assert_eq!(full.movements, 8);
    assert_eq!(full.checkpoint, None, "no seal since the last checkpoint");
    assert!(
        detail(&full, "checkpoint_agrees").contains("carried sums"),
        "{}",
        detail(&full, "checkpoint_agrees")
    );
}

#[test]
fn a_change_after_the_last_seal_is_caught_by_the_daily_audit() {
    let db = TestDb::new();
    let mut book = book(&db);
    book.day(&["1.00"]);
    book.seal();
    assert!(book.audit().ok);
    book.day(&["2.00"]);
    // Not sealed yet: the owner account changes its amount, behind the append-only trigger.
    rewrite_journal(&db, "UPDATE movements SET amount = 20.00 WHERE id = (SELECT MAX(id) FROM (SELECT id FROM movements) m)");
    let report = book.audit();
    assert_eq!(failed_checks(&report), ["cached_balances_match_journal"]);
    assert!(report.after_movement_id > 0, "it checked only the new rows");
}

#[test]
fn a_change_before_the_checkpoint_is_caught_by_the_full_audit() {
    let db = TestDb::new();
    let mut book = checkpointed_after_two_transfers(&db);
    // Movement 3 (the first transfer) is sealed and behind the checkpoint.
    rewrite_journal(&db, "UPDATE movements SET memo = 'forged' WHERE id = 3");
    let full = book.full_audit();
    assert_eq!(failed_checks(&full), ["ledger_chain"]);
    assert!(
        detail(&full, "ledger_chain").starts_with("movement 3 was changed"),
        "{}",
        detail(&full, "ledger_chain")
    );
    // A failed audit writes no checkpoint.
    assert_eq!(full.checkpoint, None);
}

#[test]
fn a_forged_carried_sum_is_caught_by_both_audits() {
    let db = TestDb::new();
    let mut book = book(&db);
    book.day(&["1.00"]);
    book.seal();
    assert!(book.audit().ok);
    // The app account may carry sums on; someone holding its password moves one.
    let mut app = teller::db::connect(&db.app_url).unwrap();
    app.batch_execute(
        "UPDATE audit_account_sums SET journal_sum = journal_sum + 5 \
         WHERE account_id = (SELECT MIN(account_id) FROM (SELECT account_id FROM audit_account_sums) s)",
    )
    .unwrap();
    let daily = book.audit();
    assert_eq!(failed_checks(&daily), ["cached_balances_match_journal"]);
    let full = book.full_audit();
    assert_eq!(failed_checks(&full), ["checkpoint_agrees"]);
}

#[test]
fn a_changed_amount_before_the_checkpoint_fails_both_sums_of_the_full_audit() {
    let db = TestDb::new();
    let mut book = checkpointed_after_two_transfers(&db);
    // Movement 3 (the first transfer, 1.00 from a to b) is behind the checkpoint.
    rewrite_journal(&db, "UPDATE movements SET amount = 20.00 WHERE id = 3");
    let full = book.full_audit();
    let failed = failed_checks(&full);
    for name in [
        "cached_balances_match_journal",
        "ledger_chain",
        "checkpoint_agrees",
    ] {
        assert!(failed.contains(&name), "{name}: {:?}", full.checks);
    }
    let (a, b) = (book.a.as_str(), book.b.as_str());
    let balances = detail(&full, "cached_balances_match_journal");
    assert!(
        balances.contains(&format!("{a}: cached 494.00 but journal 475.00")),
        "{balances}"
    );
    assert!(
        balances.contains(&format!("{b}: cached 106.00 but journal 125.00")),
        "{balances}"
    );
    let carried = detail(&full, "checkpoint_agrees");
    for line in [
        format!("account {a}: checkpoint 1 carries 497.00 but the journal sums to 478.00"),
        format!("account {b}: checkpoint 1 carries 103.00 but the journal sums to 122.00"),
    ] {
        assert!(carried.contains(&line), "{carried}");
    }
}

#[test]
fn a_movement_removed_before_the_checkpoint_fails_its_count() {
    let db = TestDb::new();
    let mut book = checkpointed_after_two_transfers(&db);
    behind_the_trigger(
        &db,
        "movements_no_delete",
        "movements",
        "DELETE",
        "DELETE FROM movements WHERE id = 3",
    );
    let full = book.full_audit();
    let carried = detail(&full, "checkpoint_agrees");
    assert!(
        carried.contains("checkpoint 1 counts 4 movements up to 4 but the journal holds 3"),
        "{carried}"
    );
    assert_eq!(full.movements, 4, "two openings and two transfers are left");
}

#[test]
fn with_more_accounts_off_than_one_read_lists_the_full_audit_names_the_same_rows() {
    let db = TestDb::new();
    let mut book = book(&db);
    book.day(&["1.00"]);
    book.seal();
    assert!(book.audit().ok);
    as_owner(
        &db,
        "UPDATE audit_account_sums SET journal_sum = journal_sum + 5 \
         WHERE account_id = (SELECT MIN(account_id) FROM (SELECT account_id FROM audit_account_sums) s)",
    );
    let few = book.full_audit();
    assert_eq!(failed_checks(&few), ["checkpoint_agrees"]);
    // 1,200 accounts holding money no movement brought: too many to list from one read of the
    // journal, so the full audit asks each question on its own.
    as_owner(
        &db,
        "INSERT INTO accounts (id, number, owner_id, kind, currency, status, balance, created_at, \
            updated_at) \
         SELECT 900000000 + seq, CONCAT('9', LPAD(seq, 9, '0')), \
            (SELECT MIN(owner_id) FROM accounts WHERE kind = 'customer'), 'customer', 'USD', \
            'open', 1.00, NOW(), NOW() FROM seq_1_to_1200",
    );
    let many = book.full_audit();
    assert!(failed_checks(&many).contains(&"cached_balances_match_journal"));
    assert_eq!(
        detail(&many, "checkpoint_agrees"),
        detail(&few, "checkpoint_agrees")
    );
    let balances = detail(&many, "cached_balances_match_journal");
    assert!(
        balances.starts_with("9000000001: cached 1.00 but journal 0.00; 9000000002:"),
        "{balances}"
    );
    assert_eq!(balances.split("; ").count(), 100, "the first 100 by number");
}

#[test]
fn an_audit_that_started_before_another_wrote_its_checkpoint_leaves_that_one_standing() {
    let db = TestDb::new();
    let mut book = book(&db);
    let mut other = db.bank();
    book.day(&["1.00"]);
    book.seal();
    assert_eq!(book.audit().checkpoint, Some(1));
    book.day(&["2.00"]);
    book.seal();
    // Both audit from checkpoint 1; the first to finish writes checkpoint 2, the second
    // finds it and starts from it the next time.
    assert_eq!(book.audit().checkpoint, Some(2));
    let second = other.ledger().audit(&operator()).unwrap();
    assert!(second.ok, "{:?}", second.checks);
    assert_eq!(second.checkpoint, None);
    assert!(book.full_audit().ok);
}

#[test]
fn a_login_session_forged_after_the_checkpoint_is_named_by_the_daily_audit() {
    let db = TestDb::new();
    let mut book = book(&db);
    user(&mut book.bank, "ada@bank.local", Role::Teller);
    book.bank
        .people()
        .open_session(&email("ada@bank.local"), &secret(PASSWORD))
        .unwrap();
    book.day(&["1.00"]);
    book.seal();
    let checked = book.audit();
    assert_eq!(checked.checkpoint, Some(1), "{:?}", checked.checks);
    let mut app = teller::db::connect(&db.app_url).unwrap();
    app.batch_execute(&format!(
        "INSERT INTO login_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
         SELECT '{}', id, NOW(6), NOW(6), NOW(6) + INTERVAL 1 DAY
         FROM users WHERE email = 'ada@bank.local';",
        "cd".repeat(32)
    ))
    .unwrap();
    let report = book.audit();
    assert_eq!(failed_checks(&report), ["login_sessions_audited"]);
    assert!(
        report.after_movement_id > 0,
        "a daily audit, not a full one"
    );
}
