//! The backup and restore drill: `scripts/backup.sh dump` of a running server (or, when the
//! test cluster runs, of a cluster node), restored into a fresh database, gives the same
//! balances and a passing audit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::process::Command;

use common::*;
use teller::db;
use teller::services::Bank;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/backup.sh");

/// scripts/backup.sh with `env` (the URLs: a password on its command line is refused).
fn backup_command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new("bash");
    command
        .arg(SCRIPT)
        .args(args)
        .env_remove("TELLER_OWNER_URL")
        .env_remove("TELLER_RESTORE_URL")
        .envs(env.iter().copied());
    command
}

fn backup(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = backup_command(args, env)
        .output()
        .expect("run scripts/backup.sh");
    assert!(
        out.status.success(),
        "backup.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn balances(bank: &mut Bank) -> Vec<(String, rust_decimal::Decimal)> {
    use diesel::prelude::*;
    use teller::db::schema::accounts::dsl::*;
    accounts
        .order(number)
        .select((number, balance))
        .load(bank.connection())
        .unwrap()
}

#[test]
fn a_backup_restores_into_a_fresh_database_with_the_same_books() {
    // The source: the test cluster when it runs (a node of it is dumped), else the server.
    let source = match std::env::var("TEST_CLUSTER_URL") {
        Ok(url) if !url.trim().is_empty() => TestDb::on_server(&url),
        _ => TestDb::new(),
    };
    let mut bank = source.bank();
    let (_, a) = customer_with_account(&mut bank, "a@example.com", "1500.00");
    let (_, b) = customer_with_account(&mut bank, "b@example.com", "20.00");
    bank.money()
        .transfer(&operator(), &transfer_request(&a, &b, "250.75"), None)
        .unwrap();
    bank.ledger().seal(&operator()).unwrap();

    let dir = std::env::temp_dir().join(format!("teller-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bank.sql.gz");
    // A URL with a password on the command line is refused (ps shows it to every user).
    let out = backup_command(&["dump", &source.url, file.to_str().unwrap()], &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("TELLER_OWNER_URL"), "{stderr}");
    assert!(!file.exists());
    let written = backup(
        &["dump", file.to_str().unwrap()],
        &[("TELLER_OWNER_URL", &source.url)],
    );
    assert_eq!(written, file.to_str().unwrap());

    // A fresh database on the test server, restored from the file.
    let name = format!("{}_restored", source.name);
    let target = db::with_database(&server_url(), &name);
    backup(
        &["restore", file.to_str().unwrap()],
        &[("TELLER_RESTORE_URL", &target)],
    );
    let mut restored = Bank::connect(&target, test_config()).expect("the restored database");

    assert_eq!(balances(&mut restored), balances(&mut source.owner_bank()));
    let audit = restored.ledger().audit(&operator()).unwrap();
    assert!(audit.ok, "{:#?}", audit.checks);
    // The journal stays append-only after a restore: the triggers came along.
    use diesel::connection::SimpleConnection;
    let rewrite = restored
        .connection()
        .batch_execute("UPDATE movements SET amount = amount + 1");
    let error = rewrite.expect_err("the restored journal can be rewritten");
    assert!(
        error
            .to_string()
            .contains("the journal is append-only: post a reversal instead"),
        "not the journal's trigger: {error}"
    );
    // Money moves on the restored bank: the posting procedure came along.
    restored
        .money()
        .transfer(&operator(), &transfer_request(&b, &a, "0.75"), None)
        .expect("a transfer on the restored bank");
    assert!(restored.ledger().audit(&operator()).unwrap().ok);
    // Restoring over a database that holds tables is refused.
    let again = backup_command(
        &["restore", file.to_str().unwrap()],
        &[("TELLER_RESTORE_URL", &target)],
    )
    .output()
    .unwrap();
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains(&format!("the database {name} is not empty")),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let mut admin = db::connect(&server_url()).unwrap();
    db::drop_database(&mut admin, &name).unwrap();
}
