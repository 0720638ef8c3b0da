//! `teller serve`: the branch server. The app and the CLI run here, next to the database
//! password, and workstations reach them over SSH with nothing but a registered device key:
//! a pty gets the full-screen app, a command line gets one CLI command.

mod app_session;
mod args;
mod exec;
mod handler;
mod host_key;
pub mod input;
mod registry;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use russh::server::Config;
use russh::MethodKind;
use tokio::net::TcpListener;

pub use args::ServeArgs;

/// The variable the server sets for the commands it runs: the device they run for
/// (`cli::served` keeps such a command to what a workstation may ask).
pub const DEVICE_VAR: &str = "TELLER_SERVED_DEVICE";
use crate::config::FileConfig;
use crate::services::BankConfig;
use crate::tui::TuiConfig;
use handler::Connection;
use registry::Registry;

/// A connection with no app or command this long after it opened is closed.
pub const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections at most; more wait for the operating system's backlog.
const MAX_CONNECTIONS: usize = 512;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the host key: {0}")]
    HostKey(String),
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the database: {0}")]
    Database(String),
}

/// What every connection shares.
pub(crate) struct Shared {
    pub database_url: String,
    pub bank: BankConfig,
    pub file: FileConfig,
    pub registry: Arc<Registry>,
}

impl Shared {
    /// The app's settings for one session: the server's, with the workstation's theme and
    /// NO_COLOR.
    pub fn tui_config(&self, theme: Option<&str>, no_color: bool) -> Result<TuiConfig, String> {
        let mut config = TuiConfig::resolve(&self.database_url, &self.file)?;
        config.apply_client_look(theme, no_color)?;
        Ok(config)
    }
}

/// Opens the app account's bank with the bank's policy loaded, as every command gets it; the
/// error in words.
pub type OpenBank = fn(&str, BankConfig) -> Result<crate::services::Bank, String>;

/// Runs the server until it is stopped (Ctrl-C or SIGTERM).
pub fn run(
    database_url: &str,
    bank: BankConfig,
    file: &FileConfig,
    args: &ServeArgs,
    open_bank: OpenBank,
) -> Result<(), ServeError> {
    let host_key_path = match &args.host_key {
        Some(path) => path.clone(),
        None => host_key::default_path().ok_or_else(|| {
            ServeError::Config("no state folder (HOME unset): pass --host-key FILE".into())
        })?,
    };
    refuse_readable_dotenv(std::path::Path::new(".env"))?;
    let (key, new) = host_key::load_or_create(&host_key_path)?;
    let log = crate::tui::logging::init();
    // The app account must work before anyone connects; the policy comes from the database.
    let mut probe = open_bank(database_url, bank.clone()).map_err(ServeError::Database)?;
    probe
        .people()
        .active_devices()
        .map_err(|e| ServeError::Database(e.to_string()))?;
    let bank = probe.config().clone();
    drop(probe);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let registry = Arc::new(Registry::default());
    let url = database_url.to_string();
    let refresher_config = bank.clone();
    registry::spawn_refresher(
        registry.clone(),
        move || open_bank(&url, refresher_config.clone()).ok(),
        runtime.handle().clone(),
    )?;
    let shared = Arc::new(Shared {
        database_url: database_url.to_string(),
        bank,
        file: file.clone(),
        registry,
    });
    let fingerprint = host_key::fingerprint(&key);
    let config = Arc::new(ssh_config(key));
    runtime.block_on(async move {
        let listener = TcpListener::bind(args.listen).await?;
        let local = listener.local_addr()?;
        println!(
            "teller serve: listening on {local}; host key {} ({fingerprint}){}",
            host_key_path.display(),
            if new { ", new" } else { "" }
        );
        println!("connect: ssh -p {} -t till@{}", local.port(), local.ip());
        tracing::info!(%local, %fingerprint, log = ?log, "serving");
        tokio::select! {
            result = accept_loop(listener, config, shared) => result,
            _ = shutdown_signal() => {
                println!("teller serve: stopped");
                Ok(())
            }
        }
    })
}

/// The database password is the server's secret: a `.env` others can read gives it to every
/// account on the machine, so the server refuses to start on one.
fn refuse_readable_dotenv(path: &std::path::Path) -> Result<(), ServeError> {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let mode = meta.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(ServeError::Config(format!(
            "{} can be read by other accounts (mode {:o}): chmod 600 it, owned by the service's own user",
            path.display(),
            mode & 0o777
        )));
    }
    Ok(())
}

fn ssh_config(key: russh::keys::PrivateKey) -> Config {
    Config {
        methods: russh::MethodSet::from(&[MethodKind::PublicKey][..]),
        // Slows key guessing; the first "none" probe of every client is answered at once.
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        max_auth_attempts: 6,
        inactivity_timeout: Some(Duration::from_secs(3600)),
        keepalive_interval: Some(Duration::from_secs(30)),
        nodelay: true,
        ..Config::default()
    }
}

async fn accept_loop(
    listener: TcpListener,
    config: Arc<Config>,
    shared: Arc<Shared>,
) -> Result<(), ServeError> {
    loop {
        let (socket, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors and the like: wait rather than spin.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        if !shared.registry.admits(peer.ip()) {
            tracing::warn!(%peer, "too many failed attempts from this address: refused");
            continue;
        }
        let _ = socket.set_nodelay(true);
        tokio::spawn(serve_connection(
            socket,
            peer,
            config.clone(),
            shared.clone(),
        ));
    }
}

async fn serve_connection(
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    config: Arc<Config>,
    shared: Arc<Shared>,
) {
    let registry = shared.registry.clone();
    let Some(_counted) = registry.open_connection(MAX_CONNECTIONS) else {
        tracing::warn!(%peer, "too many connections: refused");
        return;
    };
    // A second handle on the socket: shutting it down ends the connection whatever the SSH
    // session is doing (one left in key exchange never reads a disconnect request).
    let Ok((socket, cutter)) = with_cutter(socket) else {
        return;
    };
    let connection = Connection::new(shared, peer);
    let started = connection.started();
    let deadline = tokio::time::Instant::now() + START_TIMEOUT;
    let session = match tokio::time::timeout_at(
        deadline,
        russh::server::run_stream(config, socket, connection),
    )
    .await
    {
        Ok(Ok(session)) => session,
        Ok(Err(error)) => {
            tracing::debug!(%peer, %error, "connection failed");
            return;
        }
        Err(_) => return,
    };
    let handle = session.handle();
    tokio::pin!(session);
    let ended = tokio::select! {
        result = &mut session => result,
        () = tokio::time::sleep_until(deadline) => {
            if started.load(std::sync::atomic::Ordering::Acquire) {
                drop(cutter);
                (&mut session).await
            } else {
                let _ = tokio::time::timeout(
                    CUT_GRACE,
                    handle.disconnect(
                        russh::Disconnect::ByApplication,
                        "nothing was asked within 30 seconds".into(),
                        String::new(),
                    ),
                )
                .await;
                match tokio::time::timeout(CUT_GRACE, &mut session).await {
                    Ok(result) => result,
                    Err(_) => {
                        let _ = cutter.shutdown(std::net::Shutdown::Both);
                        (&mut session).await
                    }
                }
            }
        }
    };
    if let Err(error) = ended {
        tracing::debug!(%peer, %error, "connection ended");
    }
}

/// How long a connection being closed for asking nothing may take to go on its own.
const CUT_GRACE: Duration = Duration::from_secs(1);

/// The socket, and a handle on it that can shut it down from outside the session.
fn with_cutter(
    socket: tokio::net::TcpStream,
) -> std::io::Result<(tokio::net::TcpStream, std::net::TcpStream)> {
    let socket = socket.into_std()?;
    let cutter = socket.try_clone()?;
    Ok((tokio::net::TcpStream::from_std(socket)?, cutter))
}

async fn shutdown_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(signal) => signal,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_dotenv_others_can_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        assert!(refuse_readable_dotenv(&path).is_ok(), "none at all is fine");
        std::fs::write(&path, "DATABASE_URL=x\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(refuse_readable_dotenv(&path).is_err());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(refuse_readable_dotenv(&path).is_ok());
    }
}
