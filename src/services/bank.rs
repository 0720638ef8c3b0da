//! `Bank`: one database connection plus the rules. Every screen, the CLI and the benchmark
//! talk to the bank through it; each worker thread owns its own.

use crate::domain::AuditOutcome;
use std::time::Duration;

use chrono::{NaiveDateTime, Timelike};
use rand::Rng;

use super::actor::Stamp;
use super::{Actor, BankError, BankResult};
use crate::db::{self, audit_log, Connection};
use crate::domain::AuditAction;

/// Tunables of the bank's rules.
#[derive(Debug, Clone)]
pub struct BankConfig {
    /// bcrypt cost for new password hashes and the unknown-email dummy: the bank's policy
    /// (`bcrypt_cost`, 12 unless the owner set it), never a workstation's environment.
    pub bcrypt_cost: u32,
    /// How often a transaction that hit a deadlock or lock wait timeout is run again.
    pub max_retries: u32,
    /// Failed logins in a row that lock a user.
    pub lockout_threshold: i32,
    /// How long a lock-out lasts.
    pub lockout: chrono::Duration,
    /// Withdrawals and transfers by staff above this need a supervisor's approval.
    pub approval_limit: rust_decimal::Decimal,
    /// A `teller login` session unused this long locks (like the app's idle lock); None: never.
    pub session_idle: Option<chrono::Duration>,
    /// A `teller login` session ends this long after it began, however busy.
    pub session_lifetime: chrono::Duration,
    /// How long before a seal passes a hole in the row ids (see `Ledger::seal`).
    pub seal_grace: chrono::Duration,
    /// The bank's name on statements (the `bank_name` setting).
    pub bank_name: String,
    /// Cash a teller's drawer may hold per currency before a cash-in needs a supervisor.
    pub drawer_limit: rust_decimal::Decimal,
    /// The device this bank works for: a registered workstation behind `teller serve`, or
    /// `local`. Every journal row and audit line records it.
    pub device: crate::domain::DeviceName,
    /// On a cluster, whether a transaction is answered only once a second node has it (see
    /// `Bank::acknowledge`). Off only to measure what it costs (`teller bench --unacknowledged`).
    pub acknowledge: bool,
}

impl Default for BankConfig {
    fn default() -> Self {
        Self {
            bcrypt_cost: bcrypt::DEFAULT_COST,
            max_retries: 12,
            lockout_threshold: 5,
            lockout: chrono::Duration::minutes(15),
            approval_limit: rust_decimal::Decimal::new(1_000_000, 2),
            session_idle: Some(chrono::Duration::minutes(5)),
            session_lifetime: chrono::Duration::hours(12),
            seal_grace: chrono::Duration::seconds(60),
            bank_name: "Teller Bank".into(),
            drawer_limit: rust_decimal::Decimal::new(2_000_000, 2),
            device: crate::domain::DeviceName::local(),
            acknowledge: true,
        }
    }
}

impl BankConfig {
    /// The defaults. The bcrypt cost, the approval limit and the idle lock are the bank's
    /// policy, read from the database (`Bank::load_policy`), never from the environment of
    /// whoever runs a command: `TELLER_BCRYPT_COST` on a workstation is ignored (only the
    /// owner's `teller migrate` reads it, to store the policy).
    pub fn from_env() -> Result<Self, String> {
        Ok(Self::default())
    }
}

pub struct Bank {
    pub(super) conn: Connection,
    /// Where `conn` came from, to open a fresh connection when the old one cannot go on.
    url: String,
    /// The node `conn` is on ("127.0.0.1:4307").
    node: String,
    /// The URL lists several nodes (a Galera cluster): a node that fails is left for another.
    cluster: bool,
    /// Whether the server is a plain one, not a Galera node (asked once, when first needed).
    plain_server: Option<bool>,
    pub(super) config: BankConfig,
    retries: u64,
    /// This bank's row in `tx_guard` and its last mark (clusters only).
    guard_token: i64,
    guard_n: i64,
    /// Where the connection stood in the cluster's view when last asked, and when that was
    /// (clusters only): see `follow_writer`.
    place: Option<db::nodes::Place>,
    place_asked: std::time::Instant,
    writer_chosen: std::time::Instant,
    /// A connection to another node, and its label, that confirms this bank's commits
    /// (clusters only; opened when first needed).
    witness: Option<super::witness::Witness>,
}

/// Runs `work` in one transaction, at READ COMMITTED or the default REPEATABLE READ.
fn run_transaction<T>(
    conn: &mut Connection,
    read_committed: bool,
    work: impl FnOnce(&mut Connection) -> BankResult<T>,
) -> BankResult<T> {
    if read_committed {
        db::transaction_read_committed(conn, work)
    } else {
        db::transaction(conn, work)
    }
}

/// How long a commit waits for a second node to confirm it before its outcome is called unknown.
const ACKNOWLEDGE_PATIENCE: Duration = Duration::from_secs(5);

/// How long a transaction waits for another node to take over before giving up.
const FAILOVER_PATIENCE: Duration = Duration::from_secs(12);

/// How often a bank on a cluster asks its node whether the cluster's members changed (then the
/// writer may be another node), and how often it looks for the writer again while its node is
/// not first in the view (the first may have been a donor, busy, when it chose).
const WRITER_CHECK: Duration = Duration::from_secs(1);
const WRITER_RECHECK: Duration = Duration::from_secs(10);

impl Bank {
    /// A bank on an open connection to `url`.
    pub fn new(conn: Connection, url: &str, config: BankConfig) -> Self {
        let nodes = db::nodes::node_urls(url);
        Self {
            conn,
            url: url.to_string(),
            node: nodes
                .first()
                .map(|n| db::nodes::node_label(n))
                .unwrap_or_default(),
            cluster: nodes.len() > 1,
            plain_server: None,
            config,
            retries: 0,
            guard_token: rand::rng().random_range(1..i64::MAX),
            guard_n: 0,
            place: None,
            place_asked: std::time::Instant::now(),
            writer_chosen: std::time::Instant::now(),
            witness: None,
        }
    }

    /// True on a plain server: not a Galera node, whether the URL names several or one.
    pub(super) fn on_plain_server(&mut self) -> BankResult<bool> {
        if self.cluster {
            return Ok(false);
        }
        if let Some(plain) = self.plain_server {
            return Ok(plain);
        }
        let plain = db::nodes::health(&mut self.conn)? == db::nodes::Health::Plain;
        self.plain_server = Some(plain);
        Ok(plain)
    }

    /// Connects to `url` (the schema must be migrated already).
    pub fn connect(url: &str, config: BankConfig) -> BankResult<Self> {
        let (conn, node) = db::connect_node(url)?;
        let mut bank = Self::new(conn, url, config);
        bank.node = node;
        Ok(bank)
    }

    /// Another connection to the same database, for work alongside this one's (the full
    /// audit's chain).
    pub(super) fn another_connection(&self) -> BankResult<Connection> {
        Ok(db::connect(&self.url)?)
    }

    /// Replaces the connection with a fresh one (after it broke, or the database came back):
    /// on a cluster, on the first healthy node.
    pub fn reconnect(&mut self) -> BankResult<()> {
        let (conn, node) = db::connect_node(&self.url)?;
        if node != self.node {
            tracing::warn!(from = %self.node, to = %node, "moved to another database node");
        }
        self.conn = conn;
        if self.witness.as_ref().is_some_and(|w| w.node() == node) {
            self.witness = None;
        }
        self.node = node;
        self.place = None;
        self.writer_chosen = std::time::Instant::now();
        Ok(())
    }

    /// Keeps this bank on the cluster's writer (`db::connect_node`), as every process is: when
    /// the view changed since it was last asked (a node left or came back), or now and then while
    /// its node is not first in the view, it connects again and so moves to the writer. Asked at
    /// most every `WRITER_CHECK`, before a transaction.
    fn follow_writer(&mut self) -> BankResult<()> {
        if self.place.is_some() && self.place_asked.elapsed() < WRITER_CHECK {
            return Ok(());
        }
        let now = db::nodes::place(&mut self.conn)?;
        self.place_asked = std::time::Instant::now();
        let moved = match self.place {
            None => false,
            Some(was) => {
                was.view != now.view
                    || (now.index > 0 && self.writer_chosen.elapsed() >= WRITER_RECHECK)
            }
        };
        if moved {
            self.reconnect()?;
            self.place = Some(db::nodes::place(&mut self.conn)?);
        } else {
            self.place = Some(now);
        }
        Ok(())
    }

    /// The database node in use ("127.0.0.1:4307").
    pub fn node(&self) -> &str {
        &self.node
    }

    /// A cluster node failed: waits (a while) for a healthy node and moves to it.
    fn fail_over(&mut self) -> BankResult<()> {
        let deadline = std::time::Instant::now() + FAILOVER_PATIENCE;
        loop {
            match self.reconnect() {
                Ok(()) => return Ok(()),
                Err(e) if std::time::Instant::now() >= deadline => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(400)),
            }
        }
    }

    pub fn config(&self) -> &BankConfig {
        &self.config
    }

    /// Transactions run again after a deadlock or lock wait timeout, since this bank was made.
    pub fn retries(&self) -> u64 {
        self.retries
    }

    /// Counts a transaction that lost a deadlock or waited too long for a lock (rolled back, to
    /// run again) and goes on on a fresh connection: a cached prepared statement that failed
    /// with 1205/1213 hangs the MariaDB client when executed again (seen with libmariadb 3.3 and
    /// Diesel 2.3); the old connection's drop rolls back on the server.
    pub(super) fn after_lock_failure(&mut self) -> BankResult<()> {
        self.retries += 1;
        self.reconnect()
    }

    /// Runs `work` in one transaction; on deadlock or lock wait timeout rolls back and runs it
    /// again after a jittered pause, at most `max_retries` times. Any other error rolls back.
    pub(super) fn in_transaction<T>(
        &mut self,
        work: impl FnMut(&mut Connection) -> BankResult<T>,
    ) -> BankResult<T> {
        self.retrying(false, work)
    }

    /// `in_transaction` at READ COMMITTED, for locking reads that must not hold up inserts.
    pub(super) fn in_read_committed_transaction<T>(
        &mut self,
        work: impl FnMut(&mut Connection) -> BankResult<T>,
    ) -> BankResult<T> {
        self.retrying(true, work)
    }

    fn retrying<T>(
        &mut self,
        read_committed: bool,
        mut work: impl FnMut(&mut Connection) -> BankResult<T>,
    ) -> BankResult<T> {
        let mut attempt = 0;
        loop {
            // Whether the work ran to its end, so that only COMMIT was left: a connection lost
            // then leaves the outcome unknown, and only the caller's key may try again.
            let mut reached_commit = false;
            let mut tracked = |conn: &mut Connection| {
                let result = work(conn);
                reached_commit = result.is_ok();
                result
            };
            let outcome = if self.cluster {
                self.on_cluster(read_committed, &mut tracked)
            } else {
                run_transaction(&mut self.conn, read_committed, &mut tracked)
            };
            match outcome {
                // A cluster node died, lost quorum or left: nothing was committed, so the whole
                // transaction runs again on a node that takes writes.
                Err(BankError::Unavailable(_))
                    if self.cluster && !reached_commit && attempt < self.config.max_retries =>
                {
                    attempt += 1;
                    self.retries += 1;
                    self.fail_over()?;
                }
                Err(BankError::Busy) if attempt < self.config.max_retries => {
                    attempt += 1;
                    std::thread::sleep(backoff(attempt));
                    self.after_lock_failure()?;
                }
                other => return other,
            }
        }
    }

    /// A transaction on a cluster: with `autocommit=0`, and checked after COMMIT (see
    /// `cluster_guard`); a transaction the cluster lost comes back as `Busy`, to run again.
    fn on_cluster<T>(
        &mut self,
        read_committed: bool,
        work: &mut impl FnMut(&mut Connection) -> BankResult<T>,
    ) -> BankResult<T> {
        use super::cluster_guard::{check, mark};
        self.follow_writer()?;
        self.guard_n += 1;
        let (token, n) = (self.guard_token, self.guard_n);
        let mut guarded = |conn: &mut Connection| -> BankResult<T> {
            mark(conn, token, n)?;
            let done = work(conn)?;
            check(conn, token, n, false)?;
            Ok(done)
        };
        let done = db::without_autocommit(&mut self.conn, |conn| {
            run_transaction(conn, read_committed, &mut guarded)
        })??;
        check(&mut self.conn, token, n, true)?;
        if self.config.acknowledge {
            self.acknowledge(token, n)?;
        }
        Ok(done)
    }

    /// Answers only for what a majority holds (`witness`): when no second node confirms the
    /// commit within `ACKNOWLEDGE_PATIENCE`, the outcome is unknown
    /// (`BankError::NotAcknowledged`), and the caller resubmits with the same key, which
    /// applies it at most once.
    fn acknowledge(&mut self, token: i64, n: i64) -> BankResult<()> {
        let (witness, held) = super::witness::confirm(
            self.witness.take(),
            &self.url,
            &self.node,
            (token, n),
            ACKNOWLEDGE_PATIENCE,
        );
        self.witness = witness;
        held.map_err(|why| {
            tracing::warn!(%why, "a commit was not confirmed by a second node");
            BankError::NotAcknowledged(why)
        })
    }

    /// On a cluster, that a second node holds everything this bank's node committed so far:
    /// an acknowledged empty transaction, whose causal read on the witness waits for every
    /// earlier commit. A replay is answered "done" only for a movement a majority holds.
    pub(super) fn confirm_held(&mut self) -> BankResult<()> {
        if self.cluster && self.config.acknowledge {
            self.in_transaction(|_| Ok(()))
        } else {
            Ok(())
        }
    }

    /// Appends an audit entry outside any transaction (for refusals and failed logins). A line
    /// that cannot be written is an error the caller passes on: the audit is never skipped.
    pub(super) fn record(
        &mut self,
        actor: &str,
        action: AuditAction,
        subject: Option<&str>,
        outcome: AuditOutcome,
        detail: Option<&str>,
    ) -> BankResult<()> {
        let entry = audit_log::NewAuditEntry {
            at: now(),
            actor,
            action: action.as_str(),
            subject,
            outcome: outcome.as_str(),
            detail,
            approved_by: None,
            device: self.config.device.as_str(),
        };
        audit_log::insert(&mut self.conn, &entry)?;
        Ok(())
    }

    /// Records a refusal (when it is one) and hands the error back; when the audit line cannot
    /// be written, that failure is the answer instead (nothing moved either way).
    pub(super) fn refused<T>(
        &mut self,
        actor: &Actor,
        action: AuditAction,
        subject: Option<&str>,
        error: BankError,
    ) -> BankResult<T> {
        if error.is_refusal() {
            let detail = error.to_string();
            self.record(
                &actor.audit_name(),
                action,
                subject,
                AuditOutcome::Refused(error.code()),
                Some(&detail),
            )?;
        }
        Err(error)
    }

    /// What this actor's rows record: their name and this bank's device.
    pub(crate) fn stamp(&self, actor: &Actor) -> Stamp {
        Stamp {
            actor: actor.audit_name(),
            device: self.config.device.as_str().to_string(),
        }
    }

    /// The connection, for layers that compose services (tests, benchmark set-up).
    pub fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// Now, in UTC, at the microsecond precision the database keeps.
/// On the database server's clock: a workstation's own clock never decides when a lock-out
/// or a session ends.
pub(crate) fn now() -> NaiveDateTime {
    let now = crate::db::clock::now();
    now.with_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

/// Exponential backoff with full jitter: 1 ms, 2 ms, 4 ms… capped at 100 ms.
fn backoff(attempt: u32) -> Duration {
    let cap_us = (1_000u64 << attempt.min(7)).min(100_000);
    Duration::from_micros(rand::rng().random_range(cap_us / 4..=cap_us))
}
