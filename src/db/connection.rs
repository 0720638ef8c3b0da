//! Opening connections, creating databases and applying the embedded migrations.

use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::Connection as _;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::grants;
use super::nodes;
use super::url::DatabaseUrl;
use super::QueryResult;

/// The connection type every layer above passes around.
pub type Connection = MysqlConnection;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Why the database could not be reached or prepared.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot connect to the database at {url}: {source}")]
    Connect {
        url: String,
        source: diesel::ConnectionError,
    },
    #[error("the database URL {} has no database name (mysql://user@host:port/NAME)", redact_password(.0))]
    NoDatabaseName(String),
    #[error("the database could not be prepared: {0}")]
    Setup(#[from] diesel::result::Error),
    #[error("applying the database migrations failed: {0}")]
    Migration(String),
    #[error(
        "the database {0} does not exist yet: run `teller migrate` (with the owner account) first"
    )]
    NoDatabase(String),
    #[error("the database has {0} migration(s) not applied yet: run `teller migrate` (with the owner account) first")]
    PendingMigrations(usize),
    #[error("the database account in DATABASE_URL can change the schema or the journal ({}); \
             give the app its own account (`teller migrate` creates it) or, on a developer's \
             private server only, set TELLER_ALLOW_OWNER_ACCOUNT=1", .0.join("; "))]
    OwnerAccount(Vec<String>),
    #[error("the database account in DATABASE_URL lacks rights the app needs ({}): run `teller migrate` \
             (with the owner account), which gives the app account its rights", .0.join("; "))]
    MissingRights(Vec<String>),
    #[error("the database cluster has no primary component: no node takes writes now ({0})")]
    NoPrimary(String),
    #[error("refusing to connect to {0} without verified TLS: add ssl_mode=verify_identity and ssl_ca=… to the URL (or set TELLER_ALLOW_PLAINTEXT=1 on a trusted network)")]
    Plaintext(String),
    #[error(transparent)]
    BadUrl(#[from] super::url::BadUrl),
}

impl ConnectError {
    /// True when the fault is in the configuration the person gave (exit 2), not the server.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Self::Plaintext(_) | Self::BadUrl(_) | Self::NoDatabaseName(_)
        )
    }

    /// True when a cluster is reachable but has no node that takes writes.
    pub fn is_no_primary(&self) -> bool {
        matches!(self, Self::NoPrimary(_))
    }
}

/// Opens a connection and sets the session up: UTC times, a short lock wait, strict SQL.
/// A server on another machine is refused without TLS unless `TELLER_ALLOW_PLAINTEXT=1`.
/// A URL listing several nodes connects to the first healthy one.
pub fn connect(url: &str) -> Result<Connection, ConnectError> {
    connect_node(url).map(|(conn, _)| conn)
}

/// `connect`, also telling which node ("127.0.0.1:4307") it chose. Of several nodes, the
/// writer: the healthy one first in the cluster's view, the same for every process whatever
/// the URL's order (`nodes::place`). Jepsen found that Galera loses updates that two nodes
/// certify at once (P4): with one writer, row locks order every write instead.
pub fn connect_node(url: &str) -> Result<(Connection, String), ConnectError> {
    let nodes = nodes::node_urls(url);
    let mut not_ready = Vec::new();
    let mut last = None;
    let mut writer: Option<(i64, Connection, String)> = None;
    for node in &nodes {
        let label = nodes::node_label(node);
        match ready_node(node) {
            Ok(conn) if nodes.len() == 1 => return Ok((conn, label)),
            Ok(mut conn) => {
                let index = nodes::place(&mut conn).map_or(i64::MAX, |p| p.index);
                if writer.as_ref().is_none_or(|(first, _, _)| index < *first) {
                    writer = Some((index, conn, label));
                }
            }
            Err(NodeRefused::Unreachable(e)) => last = Some(e),
            Err(NodeRefused::NotReady(state)) => not_ready.push(format!("{label}: {state}")),
        }
    }
    if let Some((_, conn, label)) = writer {
        return Ok((conn, label));
    }
    match last {
        Some(e) if not_ready.is_empty() => Err(e),
        _ => Err(ConnectError::NoPrimary(not_ready.join("; "))),
    }
}

/// A connection to a healthy cluster node other than `writer` (a label, "127.0.0.1:4306"):
/// the witness that confirms what the writer committed (`services::witness`). Its reads wait
/// until the node has applied every write the cluster committed before them. The other nodes
/// are tried at once, each on a thread of its own, and the first ready one is taken: a node
/// that does not answer (paused, cut off) does not hold up a healthy one.
pub fn connect_witness(url: &str, writer: &str) -> Result<(Connection, String), String> {
    let (sender, answers) = std::sync::mpsc::channel();
    let mut asked = 0;
    for node in nodes::node_urls(url) {
        let label = nodes::node_label(&node);
        if label == writer {
            continue;
        }
        asked += 1;
        let sender = sender.clone();
        std::thread::spawn(move || {
            let answer = match ready_node(&node) {
                Ok(conn) => Ok(conn),
                Err(NodeRefused::Unreachable(ConnectError::Connect { source, .. })) => {
                    Err(source.to_string())
                }
                Err(NodeRefused::Unreachable(e)) => Err(e.to_string()),
                Err(NodeRefused::NotReady(state)) => Err(state),
            };
            let _ = sender.send((label, answer));
        });
    }
    drop(sender);
    let mut refused = Vec::new();
    for (label, answer) in answers.iter().take(asked) {
        match answer {
            Ok(conn) => return Ok((conn, label)),
            Err(why) => refused.push(format!("{label}: {why}")),
        }
    }
    Err(if refused.is_empty() {
        "the database URL names no other node".to_string()
    } else {
        refused.join("; ")
    })
}

/// Why a node was passed over.
enum NodeRefused {
    Unreachable(ConnectError),
    NotReady(String),
}

/// A connection to `node` when it takes writes (or is a plain server), with cluster reads made
/// causal.
fn ready_node(node: &str) -> Result<Connection, NodeRefused> {
    let label = nodes::node_label(node);
    let mut conn = connect_one(node).map_err(|e| {
        tracing::info!(node = %label, error = %e, "node not reachable");
        NodeRefused::Unreachable(e)
    })?;
    // A node that fails while answering is passed over like one that is not ready.
    match nodes::health(&mut conn).map_err(|e| NodeRefused::NotReady(e.to_string()))? {
        nodes::Health::Ready => {
            // Reads see every commit the cluster made before them, on whichever node.
            conn.batch_execute("SET SESSION wsrep_sync_wait = 1")
                .map_err(|e| NodeRefused::NotReady(e.to_string()))?;
            Ok(conn)
        }
        nodes::Health::Plain => Ok(conn),
        nodes::Health::NotReady(state) => Err(NodeRefused::NotReady(state)),
    }
}

fn connect_one(url: &str) -> Result<Connection, ConnectError> {
    refuse_plaintext(url)?;
    let mut conn = MysqlConnection::establish(url).map_err(|source| ConnectError::Connect {
        url: redact_password(url),
        source,
    })?;
    // Waiting 50 s (the default) for a row lock helps nobody at a counter: fail fast and retry.
    conn.batch_execute(
        "SET SESSION time_zone = '+00:00', SESSION innodb_lock_wait_timeout = 5, \
         SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
    )?;
    super::clock::measure(&mut conn)?;
    Ok(conn)
}

fn refuse_plaintext(url: &str) -> Result<(), ConnectError> {
    let allowed = std::env::var("TELLER_ALLOW_PLAINTEXT").is_ok_and(|v| v.trim() == "1");
    plaintext_check(&DatabaseUrl::parse(url)?, allowed)
}

/// Another machine is reached only with TLS (or when plaintext is explicitly allowed): a
/// password and the bank's data never cross a network in the clear by accident.
fn plaintext_check(url: &DatabaseUrl, allowed: bool) -> Result<(), ConnectError> {
    if url.is_local() || url.verifies_server() || allowed {
        return Ok(());
    }
    Err(ConnectError::Plaintext(url.host.clone()))
}

/// The connection every command a person runs uses: the schema must be migrated already (the
/// app never runs DDL), and the account must not be able to change the schema or the journal
/// unless `allow_owner` (a developer's private server).
pub fn connect_app(url: &str, allow_owner: bool) -> Result<Connection, ConnectError> {
    let mut conn = match connect(url) {
        Err(ConnectError::Connect { source, .. }) if is_unknown_database(&source) => {
            let name = database_name(url).unwrap_or_default();
            return Err(ConnectError::NoDatabase(name));
        }
        other => other?,
    };
    let pending = pending_migrations(&mut conn)?;
    if pending > 0 {
        return Err(ConnectError::PendingMigrations(pending));
    }
    if !allow_owner {
        let database = DatabaseUrl::parse(url)?.database.unwrap_or_default();
        let lines = grants::current_grants(&mut conn)?;
        let problems = grants::excess_rights(&lines, &database);
        if !problems.is_empty() {
            return Err(ConnectError::OwnerAccount(problems));
        }
        let missing = grants::missing_procedures(&lines, &database);
        if !missing.is_empty() {
            return Err(ConnectError::MissingRights(missing));
        }
    }
    Ok(conn)
}

/// How many embedded migrations the database has not applied, read with SELECT only (Diesel's
/// own check would try to create its bookkeeping table, which the app account may not).
pub fn pending_migrations(conn: &mut Connection) -> Result<usize, ConnectError> {
    use diesel::migration::MigrationSource;
    use diesel::sql_types::Text;
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Applied {
        #[diesel(sql_type = Text)]
        version: String,
    }
    let known = MigrationSource::<diesel::mysql::Mysql>::migrations(&MIGRATIONS)
        .map_err(|e| ConnectError::Migration(e.to_string()))?;
    let applied: Vec<Applied> =
        match diesel::sql_query("SELECT version FROM __diesel_schema_migrations").load(conn) {
            Ok(rows) => rows,
            // No bookkeeping table yet: nothing was ever migrated.
            Err(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("doesn't exist") =>
            {
                Vec::new()
            }
            Err(e) => return Err(e.into()),
        };
    Ok(known
        .iter()
        .filter(|m| {
            let version = m.name().version().to_string();
            !applied.iter().any(|a| a.version == version)
        })
        .count())
}

/// Connects, creating the database first when the server says it does not exist yet.
pub fn connect_creating_database(url: &str) -> Result<Connection, ConnectError> {
    match connect(url) {
        Err(ConnectError::Connect { source, .. }) if is_unknown_database(&source) => {
            let name =
                database_name(url).ok_or_else(|| ConnectError::NoDatabaseName(url.into()))?;
            let mut server = connect(&server_url(url))?;
            server.batch_execute(&format!(
                "CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            ))?;
            connect(url)
        }
        other => other,
    }
}

/// Applies every migration not applied yet; returns how many ran.
pub fn run_migrations(conn: &mut Connection) -> Result<usize, ConnectError> {
    conn.run_pending_migrations(MIGRATIONS)
        .map(|done| done.len())
        .map_err(|e| ConnectError::Migration(e.to_string()))
}

/// Runs `work` in one transaction: `BEGIN`, then `COMMIT` on `Ok` or an explicit `ROLLBACK` on
/// `Err` (which a lock wait timeout needs: InnoDB leaves that transaction open).
pub fn transaction<T, E>(
    conn: &mut Connection,
    work: impl FnOnce(&mut Connection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.transaction(work)
}

/// `transaction` at READ COMMITTED: each statement sees what is committed when it runs, and
/// locking reads lock the rows they return but no gaps, so they hold up no other insert.
pub fn transaction_read_committed<T, E>(
    conn: &mut Connection,
    work: impl FnOnce(&mut Connection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    // Applies to the next transaction only, which `transaction` begins right away.
    conn.batch_execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")?;
    conn.transaction(work)
}

/// Runs `work` with autocommit off (a cluster's transactions, whose guard reads after COMMIT),
/// then rolls back whatever implicit transaction a silent rollback left behind, uncommitted,
/// and turns autocommit on again.
pub fn without_autocommit<T>(
    conn: &mut Connection,
    work: impl FnOnce(&mut Connection) -> T,
) -> QueryResult<T> {
    conn.batch_execute("SET autocommit = 0")?;
    let outcome = work(conn);
    conn.batch_execute("ROLLBACK")?;
    conn.batch_execute("SET autocommit = 1")?;
    Ok(outcome)
}

/// Reverts every applied migration (the down.sql files), newest first; returns how many.
pub fn revert_all_migrations(conn: &mut Connection) -> Result<usize, ConnectError> {
    conn.revert_all_migrations(MIGRATIONS)
        .map(|done| done.len())
        .map_err(|e| ConnectError::Migration(e.to_string()))
}

/// Drops a database (used for scratch databases of tests and benchmarks).
pub fn drop_database(server: &mut Connection, name: &str) -> Result<(), ConnectError> {
    server.batch_execute(&format!("DROP DATABASE IF EXISTS `{name}`"))?;
    Ok(())
}

/// Creates an empty utf8mb4 database.
pub fn create_database(server: &mut Connection, name: &str) -> Result<(), ConnectError> {
    server.batch_execute(&format!(
        "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    ))?;
    Ok(())
}

/// Names of the databases on the server that start with `prefix`.
pub fn databases_with_prefix(
    server: &mut Connection,
    prefix: &str,
) -> Result<Vec<String>, ConnectError> {
    use diesel::sql_types::Text;
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let rows: Vec<Name> = diesel::sql_query(
        "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE CONCAT(?, '%')",
    )
    .bind::<Text, _>(prefix)
    .load(server)?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

/// The database name of a `mysql://…/NAME?…` URL.
pub fn database_name(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let (_, path) = rest.split_once('/')?;
    let name = path.split('?').next().unwrap_or_default();
    (!name.is_empty()).then(|| name.to_string())
}

/// The same URL without its database name, for server-level statements.
pub fn server_url(url: &str) -> String {
    with_database(url, "")
}

/// The same URL pointing at another database on the same server.
pub fn with_database(url: &str, name: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, query) = match rest.split_once('/') {
        Some((authority, path)) => (authority, path.split_once('?').map(|(_, q)| q)),
        None => match rest.split_once('?') {
            Some((authority, q)) => (authority, Some(q)),
            None => (rest, None),
        },
    };
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The URL with any password replaced, fit for messages and logs. The user part ends at the
/// last `@` (hosts and database names have none), so a password holding `@` stays hidden.
pub fn redact_password(url: &str) -> String {
    let Some((userinfo, host)) = url.rsplit_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once("://") {
        Some((scheme, user)) => match user.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        // Not a URL we understand: keep nothing of what stood before the host.
        None => format!("***@{host}"),
    }
}

fn is_unknown_database(error: &diesel::ConnectionError) -> bool {
    // MySQL error 1049; the client library only gives us its text.
    error.to_string().contains("Unknown database")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_machine_needs_tls_unless_allowed() {
        let check =
            |raw: &str, allowed| plaintext_check(&DatabaseUrl::parse(raw).expect("url"), allowed);
        let refused = check("mysql://app:pw@db.bank.example:3306/teller", false).unwrap_err();
        assert!(refused.is_invalid_input());
        assert!(refused.to_string().contains("TLS"), "{refused}");
        assert!(!refused.to_string().contains("pw"), "{refused}");
        assert!(check(
            "mysql://app:pw@db.bank.example/teller?ssl_mode=disabled",
            false
        )
        .is_err());
        // Encrypted but unverified: a man in the middle could still listen.
        let unverified = "mysql://app:pw@db.bank.example/teller?ssl_mode=required";
        assert!(check(unverified, false).is_err());
        check(
            "mysql://app@db.bank.example/teller?ssl_mode=verify_identity&ssl_ca=/ca.pem",
            false,
        )
        .expect("TLS");
        check("mysql://app@db.bank.example/teller", true).expect("explicitly allowed");
        check("mysql://app@127.0.0.1:3307/teller", false).expect("this machine");
        check("mysql://app@localhost/teller", false).expect("this machine");
        check("mysql://app@[::1]:3307/teller", false).expect("this machine");
    }

    #[test]
    fn urls_are_split_and_rebuilt() {
        let url = "mysql://root:pw@127.0.0.1:3307/teller?ssl_mode=disabled";
        assert_eq!(database_name(url).as_deref(), Some("teller"));
        assert_eq!(
            server_url(url),
            "mysql://root:pw@127.0.0.1:3307/?ssl_mode=disabled"
        );
        assert_eq!(with_database("mysql://root@h:1", "x"), "mysql://root@h:1/x");
        assert_eq!(database_name("mysql://root@h:1"), None);
        assert_eq!(
            redact_password(url),
            "mysql://root:***@127.0.0.1:3307/teller?ssl_mode=disabled"
        );
        assert_eq!(
            redact_password("mysql://app:p@ss@w0rd@db:3306/teller"),
            "mysql://app:***@db:3306/teller"
        );
        assert_eq!(redact_password("mysql://app@db/t"), "mysql://app@db/t");
        for malformed in ["mysql//app:pw@db/t", "mysql:app:pw@db/t", "app:pw@db/t"] {
            let shown = redact_password(malformed);
            assert!(!shown.contains("pw"), "{malformed} shown as {shown}");
        }
    }
}
