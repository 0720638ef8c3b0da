//! Every migration's down.sql really undoes it: revert everything, then migrate again.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::RunQueryDsl;

#[derive(diesel::QueryableByName)]
struct TableName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

fn tables(conn: &mut teller::db::Connection) -> Vec<String> {
    diesel::sql_query(
        "SELECT TABLE_NAME AS name FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '__diesel_schema_migrations' ORDER BY 1",
    )
    .load::<TableName>(conn)
    .expect("tables")
    .into_iter()
    .map(|t| t.name)
    .collect()
}

#[test]
fn migrations_revert_cleanly_and_apply_again() {
    let db = TestDb::new();
    let mut conn = teller::db::connect(&db.url).expect("connect");
    let before = tables(&mut conn);
    assert_eq!(
        before,
        [
            "accounts",
            "approval_failures",
            "approval_requests",
            "audit_account_sums",
            "audit_checkpoints",
            "audit_log",
            "bank_settings",
            "business_days",
            "cash_ids",
            "currencies",
            "devices",
            "drawer_limits",
            "drawer_sessions",
            "fx_quotes",
            "fx_rates",
            "ledger_links",
            "ledger_seals",
            "login_sessions",
            "movements",
            "phones",
            "tx_guard",
            "users",
            "vault_days",
            "vault_moves"
        ]
    );
    // Every migration folder, however many branches added.
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .expect("the migrations folder")
        .filter(|entry| entry.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert!(migrations >= 10, "{migrations} migrations");
    let reverted = teller::db::revert_all_migrations(&mut conn).expect("revert");
    assert_eq!(reverted, migrations);
    assert!(tables(&mut conn).is_empty(), "down.sql left tables behind");
    assert_eq!(
        teller::db::run_migrations(&mut conn).expect("migrate again"),
        migrations
    );
    assert_eq!(tables(&mut conn), before);
    // The settings went with the schema: this is a test bank again (its fixtures are set-up
    // tasks), as `TestDb` marks it.
    teller::db::settings::allow_setup_rows(&mut conn, chrono::Utc::now().naive_utc())
        .expect("mark the test bank");
    // Dropping a procedure drops the rights on it: the app account is given its rights again,
    // as `teller migrate` does after applying migrations.
    let app = teller::db::DatabaseUrl::parse(&db.app_url).expect("app URL");
    teller::db::grant_app_account(&mut conn, &app).expect("grant the app account again");
    // And the bank works on the re-created schema.
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "again@example.com", "12.34");
    assert_eq!(balance(&mut bank, &account), money("12.34"));
    assert_audit_ok(&mut bank);
}
