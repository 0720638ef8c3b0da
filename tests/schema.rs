//! `src/db/schema.rs` is written by hand in the shape `diesel print-schema` gives: this test
//! holds it to the migrated database, column by column, so the two cannot drift. And a value
//! the code does not know in an enum column is an error, never quietly another value.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::collections::BTreeMap;

use common::*;
use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;

#[derive(diesel::QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    data_type: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    is_nullable: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    max_length: Option<i64>,
}

/// (table, column) -> (SQL type, nullable, max length) as schema.rs declares them.
fn declared() -> BTreeMap<(String, String), (String, bool, Option<i64>)> {
    let text = include_str!("../src/db/schema.rs");
    let mut out = BTreeMap::new();
    let mut table = None;
    let mut max_length = None;
    for line in text.lines().map(str::trim) {
        // `accounts (id) {`, `ledger_links (seal_id, seq) {`
        if let Some((name, _)) = line
            .strip_suffix(") {")
            .and_then(|head| head.split_once(" ("))
        {
            table = Some(name.to_string());
        } else if let Some(n) = line
            .strip_prefix("#[max_length = ")
            .and_then(|r| r.strip_suffix(']'))
        {
            max_length = n.parse().ok();
        } else if let (Some(table), Some((column, ty))) = (&table, line.split_once(" -> ")) {
            let ty = ty.trim_end_matches(',');
            let (nullable, ty) = match ty.strip_prefix("Nullable<") {
                Some(inner) => (true, inner.trim_end_matches('>')),
                None => (false, ty),
            };
            let sql = match ty {
                "Bigint" => "bigint",
                "Integer" => "int",
                "Smallint" => "smallint",
                "Varchar" => "varchar",
                "Char" => "char",
                "Decimal" => "decimal",
                "Datetime" => "datetime",
                "Date" => "date",
                "Bool" | "Tinyint" => "tinyint",
                other => panic!("schema.rs type {other} is not mapped in this test"),
            };
            out.insert(
                (table.clone(), column.to_string()),
                (sql.to_string(), nullable, max_length.take()),
            );
        } else if line == "}" {
            table = None;
        }
    }
    out
}

#[test]
fn schema_rs_matches_the_migrated_database() {
    let db = TestDb::new();
    let mut conn = teller::db::connect(&db.url).expect("connect");
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type, \
         IS_NULLABLE AS is_nullable, CHARACTER_MAXIMUM_LENGTH AS max_length \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .expect("columns");
    let declared = declared();
    assert!(
        declared.len() > 50,
        "the schema.rs parser found only {declared:?}"
    );
    let mut problems = Vec::new();
    let mut seen = 0;
    for c in &columns {
        let key = (c.table_name.clone(), c.column_name.clone());
        // Left out of schema.rs on purpose: generated columns only the database reads.
        if key == ("drawer_sessions".into(), "open_marker".into())
            || key == ("audit_log".into(), "movement_ref".into())
        {
            continue;
        }
        let Some((ty, nullable, max_length)) = declared.get(&key) else {
            problems.push(format!("{}.{} is missing from schema.rs", key.0, key.1));
            continue;
        };
        seen += 1;
        let actual_nullable = c.is_nullable == "YES";
        let text_length = matches!(ty.as_str(), "varchar" | "char")
            .then_some(c.max_length)
            .flatten();
        if *ty != c.data_type || *nullable != actual_nullable || *max_length != text_length {
            problems.push(format!(
                "{}.{}: schema.rs says {ty} nullable={nullable} max_length={max_length:?}, the database {} nullable={actual_nullable} max_length={text_length:?}",
                key.0, key.1, c.data_type
            ));
        }
    }
    if seen != declared.len() {
        problems.push(format!(
            "schema.rs declares {} columns the database does not have",
            declared.len() - seen
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_status_this_version_does_not_know_is_an_error_not_open() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "a@example.com", "10.00");
    // A newer version (or someone by hand) stored a status this one has never heard of.
    let mut owner = teller::db::connect(&db.url).expect("owner");
    owner
        .batch_execute(&format!(
            "ALTER TABLE accounts DROP CONSTRAINT accounts_status_known; \
             UPDATE accounts SET status = 'held' WHERE number = '{account}'"
        ))
        .expect("store an unknown status");
    let error = bank.money().account(&operator(), &account).unwrap_err();
    assert_eq!(error.code(), "internal_error", "{error}");
    assert!(error.to_string().contains("held"), "{error}");
    // And no money moves through it as if it were open.
    let moved = bank
        .money()
        .deposit(&operator(), &cash(&account, "1.00"), None);
    let error = moved.expect_err("money moved through an account of unknown status");
    assert_eq!(error.code(), "internal_error", "{error}");
    assert!(error.to_string().contains("held"), "{error}");
    owner
        .batch_execute(&format!(
            "UPDATE accounts SET status = 'open' WHERE number = '{account}'"
        ))
        .expect("back to a known status");
    assert_eq!(balance(&mut bank, &account), money("10.00"));
}
