//! The audit knows the bank's rules: rows an attacker writes with the app account's rights
//! (which may insert into the journal, the audit log, users and sessions, and update balances
//! and statuses) balance, yet the audit names them and the day cannot be sealed over them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::connection::SimpleConnection;
use teller::db;
use teller::domain::{AccountNumber, CashCount, Currency, Role};
use teller::services::{Actor, AuditReport, Bank};

/// A connection with the app account's password, as someone at a till who found it would use.
fn attacker(db: &TestDb) -> db::Connection {
    db::connect_app(&db.app_url, false).expect("the app account connects")
}

fn detail(report: &AuditReport, name: &str) -> String {
    report
        .checks
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.detail.clone())
        .unwrap_or_default()
}

/// Audits and asserts that `name` is the one check that fails; its detail.
fn only_failure(bank: &mut Bank, name: &str) -> String {
    let report = audit(bank);
    assert_eq!(failed_checks(&report), vec![name], "{:?}", report.checks);
    detail(&report, name)
}

/// The one id `sql` selects (as `id`).
fn id_of(conn: &mut db::Connection, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    use diesel::RunQueryDsl;
    diesel::sql_query(sql)
        .get_result::<Id>(conn)
        .expect("a row")
        .id
}

fn account_id(conn: &mut db::Connection, number: &AccountNumber) -> i64 {
    let sql = format!(
        "SELECT id FROM accounts WHERE number = '{}'",
        number.as_str()
    );
    id_of(conn, &sql)
}

fn last_movement(conn: &mut db::Connection) -> i64 {
    id_of(conn, "SELECT MAX(id) AS id FROM movements")
}

/// Moves `amount` from `from` to `to` as the journal would: both balances and a transfer row
/// that balances, made by `actor` (optionally with its audit line too).
fn forge_transfer(
    conn: &mut db::Connection,
    from: &AccountNumber,
    to: &AccountNumber,
    amount: &str,
    actor: &str,
    with_line: bool,
) -> i64 {
    let (debit, credit) = (account_id(conn, from), account_id(conn, to));
    let key = key();
    conn.batch_execute(&format!(
        "SET @at = NOW(6);
         UPDATE accounts SET balance = balance - {amount} WHERE id = {debit};
         UPDATE accounts SET balance = balance + {amount} WHERE id = {credit};
         INSERT INTO movements (idempotency_key, kind, debit_account_id, credit_account_id, amount,
             currency, debit_balance_after, credit_balance_after, actor, created_at)
         SELECT '{key}', 'transfer', {debit}, {credit}, {amount}, 'USD',
             (SELECT balance FROM accounts WHERE id = {debit}),
             (SELECT balance FROM accounts WHERE id = {credit}), '{actor}', @at;
         UPDATE accounts SET last_movement_id = LAST_INSERT_ID() WHERE id IN ({debit}, {credit});"
    ))
    .expect("the app account may write these rows");
    let id = last_movement(conn);
    if with_line {
        conn.batch_execute(&format!(
            "INSERT INTO audit_log (at, actor, action, subject, outcome, detail)
             VALUES (@at, '{actor}', 'transfer', '{from}', 'ok',
                     '{amount} USD from {from} to {to}, key {key}, reference {id}');",
            from = from.as_str(),
            to = to.as_str()
        ))
        .expect("the app account may write audit lines");
    }
    id
}

/// A teller's transfer above the approval limit, with its audit line, that nobody approved.
fn forge_unapproved_teller_payment(
    conn: &mut db::Connection,
    from: &AccountNumber,
    to: &AccountNumber,
) -> i64 {
    forge_transfer(conn, from, to, "12000.00", "tess@bank.local", true)
}

#[test]
fn a_working_day_passes_every_rule() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let supervisor = ensure_vault(&mut bank);
    let teller = user(&mut bank, "tess@bank.local", Role::Teller);
    let (customer, account) = customer_with_account(&mut bank, "cara@example.com", "5000.00");
    let (_, other) = customer_with_account(&mut bank, "otto@example.com", "0.00");
    open_drawer(&mut bank, &teller, "100x20").expect("drawer");
    bank.money()
        .deposit(&teller, &cash(&account, "300.00"), None)
        .expect("deposit");
    bank.money()
        .withdraw(&teller, &cash(&account, "100.00"), None)
        .expect("withdrawal");
    bank.money()
        .withdraw(
            &teller,
            &cash(&account, "2500.00"),
            Some(&supervisor_approval()),
        )
        .expect("a large withdrawal, approved");
    bank.money()
        .transfer(
            &customer,
            &transfer_request(&account, &other, "50.00"),
            None,
        )
        .expect("the customer's own transfer");
    bank.money()
        .set_account_status(&teller, &other, teller::domain::AccountStatus::Frozen, None)
        .expect("freeze");
    bank.money()
        .set_account_status(
            &teller,
            &other,
            teller::domain::AccountStatus::Open,
            Some(&supervisor_approval()),
        )
        .expect("unfreeze");
    bank.people()
        .open_session(&email("cara@example.com"), &secret(PASSWORD))
        .expect("a login session");
    let session = bank.desk().drawer(&teller).unwrap().unwrap().session_id;
    let left = CashCount::parse("100x18 10x5").expect("count");
    bank.desk()
        .close_drawer(&teller, session, &left)
        .expect("close");
    let report = audit(&mut bank);
    assert!(report.ok, "{:?}", report.checks);
    for name in [
        "movements_audited",
        "money_lines_have_movements",
        "payments_approved",
        "movement_kinds_fit",
        "staff_approved",
        "login_sessions_audited",
        "account_statuses_audited",
    ] {
        assert!(
            report.checks.iter().any(|c| c.name == name),
            "{name} is checked"
        );
    }
    drop(supervisor);
}

#[test]
fn a_forged_transfer_to_an_accomplice_is_named() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, victim) = customer_with_account(&mut bank, "vera@example.com", "800.00");
    let (_, mule) = customer_with_account(&mut bank, "mule@example.com", "0.00");
    let mut conn = attacker(&db);

    // The journal balances and every cached balance matches it: the arithmetic is happy.
    let id = forge_transfer(
        &mut conn,
        &victim,
        &mule,
        "300.00",
        "mule@example.com",
        false,
    );
    let report = audit(&mut bank);
    assert!(!failed_checks(&report).contains(&"cached_balances_match_journal"));
    assert!(!failed_checks(&report).contains(&"movements_balance"));
    assert!(
        failed_checks(&report).contains(&"movements_audited"),
        "{:?}",
        report.checks
    );
    assert!(
        detail(&report, "movements_audited").starts_with(&format!("movement {id} breaks it")),
        "{}",
        detail(&report, "movements_audited")
    );
    // The accomplice (a customer) cannot pay out of someone else's account.
    assert!(failed_checks(&report).contains(&"movement_kinds_fit"));
    assert!(detail(&report, "movement_kinds_fit").contains(&format!("movement {id} (transfer)")));
    // The full audit, whose rules run on a connection of their own, names the same rows.
    let full = bank
        .ledger()
        .audit_full(&operator(), &mut |_| {})
        .expect("full audit");
    assert!(!full.ok);
    for check in ["movements_audited", "movement_kinds_fit"] {
        assert_eq!(detail(&full, check), detail(&report, check), "{check}");
    }
}

#[test]
fn a_forged_movement_with_a_forged_line_still_breaks_the_rules() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, victim) = customer_with_account(&mut bank, "vera@example.com", "20000.00");
    let (_, mule) = customer_with_account(&mut bank, "mule@example.com", "0.00");
    user(&mut bank, "tess@bank.local", Role::Teller);
    let mut conn = attacker(&db);

    // In the customer's name, with a perfect audit line: not their account.
    let by_customer = forge_transfer(&mut conn, &victim, &mule, "10.00", "mule@example.com", true);
    // In a teller's name, above the approval limit, with its line: nobody approved it.
    let by_teller = forge_unapproved_teller_payment(&mut conn, &victim, &mule);
    let report = audit(&mut bank);
    assert!(
        !failed_checks(&report).contains(&"movements_audited"),
        "{:?}",
        report.checks
    );
    assert!(detail(&report, "movement_kinds_fit")
        .starts_with(&format!("movement {by_customer} (transfer) breaks it")));
    assert!(
        detail(&report, "payments_approved")
            .starts_with(&format!("movement {by_teller} breaks it")),
        "{}",
        detail(&report, "payments_approved")
    );
    // In a name nobody has: nobody may move money.
    let nobody = forge_transfer(&mut conn, &victim, &mule, "1.00", "ghost@bank.local", true);
    let report = audit(&mut bank);
    let misfits = detail(&report, "movement_kinds_fit");
    assert!(nobody > by_teller);
    // The customer's first, then this one (the teller's fits: a transfer between customers).
    assert!(
        misfits.starts_with(&format!(
            "movement {by_customer} (transfer) breaks it, and 1 more"
        )),
        "{misfits}"
    );
}

#[test]
fn a_thousand_misfits_do_not_hide_an_unapproved_payment_behind_them() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, victim) = customer_with_account(&mut bank, "vera@example.com", "20000.00");
    let (_, mule) = customer_with_account(&mut bank, "mule@example.com", "0.00");
    user(&mut bank, "tess@bank.local", Role::Teller);
    let mut conn = attacker(&db);
    let (debit, credit) = (account_id(&mut conn, &victim), account_id(&mut conn, &mule));
    // More misfits (in a name nobody has) than one read of the journal lists, then a teller's
    // payment above the limit that nobody approved.
    as_owner(
        &db,
        &format!(
            "INSERT INTO movements (idempotency_key, kind, debit_account_id, credit_account_id, \
                amount, currency, debit_balance_after, credit_balance_after, actor, created_at) \
             SELECT CONCAT('ghost-', seq), 'transfer', {debit}, {credit}, 0.01, 'USD', 0, 0, \
                'ghost@bank.local', NOW(6) FROM seq_1_to_1000"
        ),
    );
    let first_ghost = id_of(
        &mut conn,
        "SELECT MIN(id) AS id FROM movements WHERE actor = 'ghost@bank.local'",
    );
    let by_teller = forge_unapproved_teller_payment(&mut conn, &victim, &mule);
    let report = audit(&mut bank);
    let misfits = detail(&report, "movement_kinds_fit");
    assert!(
        misfits.starts_with(&format!(
            "movement {first_ghost} (transfer) breaks it, and 19 more at least"
        )),
        "{misfits}"
    );
    assert!(
        detail(&report, "payments_approved")
            .starts_with(&format!("movement {by_teller} breaks it:")),
        "{}",
        detail(&report, "payments_approved")
    );
}

#[test]
fn a_second_line_for_one_movement_does_not_stand_in_for_a_missing_one() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, from) = customer_with_account(&mut bank, "vera@example.com", "800.00");
    let (_, to) = customer_with_account(&mut bank, "otto@example.com", "0.00");
    let mut conn = attacker(&db);

    // As many lines as movements: one movement has two, the other none.
    let lined = forge_transfer(&mut conn, &from, &to, "5.00", "vera@example.com", true);
    conn.batch_execute(&format!(
        "INSERT INTO audit_log (at, actor, action, subject, outcome, detail)
         SELECT at, actor, action, subject, outcome, detail FROM audit_log
         WHERE movement_ref = {lined};"
    ))
    .expect("the app account may write audit lines");
    let bare = forge_transfer(&mut conn, &from, &to, "6.00", "vera@example.com", false);
    let daily = audit(&mut bank);
    let full = bank
        .ledger()
        .audit_full(&operator(), &mut |_| {})
        .expect("full audit");
    for report in [&daily, &full] {
        assert!(!failed_checks(report).contains(&"money_lines_have_movements"));
        assert_eq!(
            detail(report, "movements_audited"),
            format!(
                "movement {bare} breaks it: every movement has the audit line of the action \
                 that made it (same actor, device, time and approver)"
            ),
            "{:?}",
            report.checks
        );
    }
}

#[test]
fn a_money_line_without_its_movement_is_named() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "vera@example.com", "10.00");
    let mut conn = attacker(&db);
    conn.batch_execute(&format!(
        "INSERT INTO audit_log (at, actor, action, subject, outcome, detail)
         VALUES (NOW(6), 'tess@bank.local', 'deposit', '{0}', 'ok',
                 '900.00 USD from D to {0}, key k-1, reference 987654');",
        account.as_str()
    ))
    .unwrap();
    assert!(only_failure(&mut bank, "money_lines_have_movements").starts_with("audit line "));
}

#[test]
fn a_forged_admin_is_named_with_or_without_a_forged_line() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "tess@bank.local", Role::Teller);
    user(&mut bank, "ada@bank.local", Role::Admin);
    let mut conn = attacker(&db);
    let hash = bcrypt::hash("attacker-knows-it", 4).unwrap();
    conn.batch_execute(&format!(
        "INSERT INTO users (email, name, age, country, role, password_hash, created_at, updated_at)
         VALUES ('eve@bank.local', 'Eve', 30, 'USA', 'admin', '{hash}', NOW(6), NOW(6));"
    ))
    .expect("the app account may insert users");
    assert!(only_failure(&mut bank, "staff_approved").starts_with("eve@bank.local breaks it"));

    // A line in a teller's name, or in an admin's without a second admin, does not help.
    conn.batch_execute(
        "INSERT INTO audit_log (at, actor, action, subject, outcome, detail)
         VALUES (NOW(6), 'tess@bank.local', 'user.create', 'eve@bank.local', 'ok', 'role admin'),
                (NOW(6), 'ada@bank.local', 'user.create', 'eve@bank.local', 'ok', 'role admin');",
    )
    .unwrap();
    only_failure(&mut bank, "staff_approved");
}

#[test]
fn a_staff_password_reset_nobody_approved_is_named() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "ada@bank.local", Role::Admin);
    user(&mut bank, "bob@bank.local", Role::Admin);
    let mut conn = attacker(&db);
    conn.batch_execute(
        "INSERT INTO audit_log (at, actor, action, subject, outcome)
         VALUES (NOW(6), 'ada@bank.local', 'user.password_reset', 'bob@bank.local', 'ok');",
    )
    .unwrap();
    assert!(only_failure(&mut bank, "staff_approved").starts_with("audit line "));
}

#[test]
fn a_login_session_with_a_chosen_token_is_named() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "ada@bank.local", Role::Admin);
    bank.people()
        .open_session(&email("ada@bank.local"), &secret(PASSWORD))
        .expect("a real session");
    assert!(audit(&mut bank).ok);
    let mut conn = attacker(&db);
    conn.batch_execute(&format!(
        "INSERT INTO login_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
         SELECT '{}', id, NOW(6), NOW(6), NOW(6) + INTERVAL 1 DAY
         FROM users WHERE email = 'ada@bank.local';",
        "ab".repeat(32)
    ))
    .expect("the app account may insert sessions");
    assert!(only_failure(&mut bank, "login_sessions_audited").starts_with("login session "));
}

#[test]
fn an_account_unfrozen_behind_the_services_back_is_named() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = user(&mut bank, "tess@bank.local", Role::Teller);
    let (_, account) = customer_with_account(&mut bank, "vera@example.com", "10.00");
    bank.money()
        .set_account_status(
            &teller,
            &account,
            teller::domain::AccountStatus::Frozen,
            None,
        )
        .expect("freeze");
    assert!(audit(&mut bank).ok);
    let mut conn = attacker(&db);
    conn.batch_execute(&format!(
        "UPDATE accounts SET status = 'open' WHERE number = '{}';",
        account.as_str()
    ))
    .expect("the app account may set a status");
    assert!(only_failure(&mut bank, "account_statuses_audited")
        .starts_with(&format!("{} (open) breaks it", account.as_str())));

    // Nor does a forged unfreeze line without a second admin.
    conn.batch_execute(&format!(
        "INSERT INTO audit_log (at, actor, action, subject, outcome)
         VALUES (NOW(6), 'tess@bank.local', 'account.unfreeze', '{}', 'ok');",
        account.as_str()
    ))
    .unwrap();
    assert!(only_failure(&mut bank, "account_statuses_audited").starts_with("audit line "));
}

#[test]
fn set_up_rows_pass_only_in_a_demo_test_or_benchmark_bank() {
    let db = TestDb::new();
    let mut bank = db.bank();
    // The fixtures are set-up tasks: staff nobody approved, cash without a drawer session.
    user(&mut bank, "ada@bank.local", Role::Admin);
    customer_with_account(&mut bank, "vera@example.com", "10.00");
    assert!(audit(&mut bank).ok);
    // The app account cannot say a bank allows them.
    let mut conn = attacker(&db);
    assert!(conn
        .batch_execute(
            "REPLACE INTO bank_settings (name, value, updated_at) VALUES ('setup_rows', 'allowed', NOW(6));"
        )
        .is_err());
    // A bank that serves customers does not.
    let mut owner = db::connect(&db.url).expect("owner");
    owner
        .batch_execute("DELETE FROM bank_settings WHERE name = 'setup_rows';")
        .unwrap();
    let report = audit(&mut bank);
    let failed = failed_checks(&report);
    assert!(failed.contains(&"movement_kinds_fit"), "{failed:?}");
    assert!(failed.contains(&"staff_approved"), "{failed:?}");
}

#[test]
fn the_day_is_not_sealed_over_a_forged_row() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let supervisor = ensure_vault(&mut bank);
    let (_, victim) = customer_with_account(&mut bank, "vera@example.com", "800.00");
    let (_, mule) = customer_with_account(&mut bank, "mule@example.com", "0.00");
    bank.desk()
        .count_vault(
            &supervisor,
            Currency::USD,
            &CashCount::parse(FULL_VAULT).expect("count"),
        )
        .expect("the vault is counted");
    let mut conn = attacker(&db);
    forge_transfer(
        &mut conn,
        &victim,
        &mule,
        "300.00",
        "mule@example.com",
        true,
    );
    let refused = bank.desk().end_of_day(&supervisor, None).unwrap_err();
    assert_eq!(refused.code(), "day_not_ready");
    assert!(
        refused.to_string().contains("movement_kinds_fit"),
        "{refused}"
    );
    let _: Actor = supervisor;
}
