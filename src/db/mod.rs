//! The database layer: schema, row types and the queries the services run. Only this layer
//! writes SQL; it knows nothing of screens or of the bank's rules.

pub mod accounts;
pub mod approval_failures;
pub mod approval_requests;
pub mod audit_log;
pub mod batch;
pub mod bench_reference;
pub mod cash_ids;
pub mod checkpoints;
pub mod clock;
mod connection;
pub mod devices;
pub mod drawer_limits;
pub mod drawer_sessions;
mod enums;
mod failure;
pub mod fx;
pub mod grants;
pub mod invariants;
pub mod ledger;
pub mod login_sessions;
pub mod movements;
pub mod nodes;
pub mod phones;
pub mod posting;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod sizes;
pub mod tx_guard;
pub mod url;
pub mod users;
pub mod vault;

pub use connection::{
    connect, connect_app, connect_creating_database, connect_node, connect_witness,
    create_database, database_name, databases_with_prefix, drop_database, pending_migrations,
    redact_password, revert_all_migrations, run_migrations, server_url, transaction,
    transaction_read_committed, with_database, without_autocommit, ConnectError, Connection,
};
pub use diesel::result::Error as QueryError;
pub use failure::{classify, DuplicateKey, Failure};
pub use grants::{drop_app_account, grant_app_account};
pub use url::DatabaseUrl;

/// The result of one query.
pub type QueryResult<T> = Result<T, QueryError>;

diesel::define_sql_function! {
    /// MySQL's id of the row this connection inserted last (MySQL has no RETURNING).
    fn last_insert_id() -> Unsigned<BigInt>;
}

/// Reads the id the last INSERT on this connection generated.
pub(crate) fn inserted_id(conn: &mut Connection) -> QueryResult<i64> {
    use diesel::RunQueryDsl;
    let id: u64 = diesel::select(last_insert_id()).get_result(conn)?;
    i64::try_from(id).map_err(|_| QueryError::DeserializationError("row id out of range".into()))
}
