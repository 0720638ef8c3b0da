//! What the server shares between connections: the keys it lets in (read from the database
//! every two seconds, so a device added or revoked on any server counts everywhere), the open
//! sessions of each device (ended when it is revoked) and the failed attempts per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::domain::DeviceName;
use crate::services::{ActiveDevice, Bank};
use crate::tui::app::Action;

/// How often the keys are read again: a revoked device's sessions end within this and a
/// moment.
pub const REFRESH: Duration = Duration::from_secs(2);
/// Failed connections from one address within `FAILURE_WINDOW` before it is turned away.
pub const MAX_FAILURES: u32 = 20;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Addresses remembered at most (older ones are forgotten first): memory stays flat.
const MAX_TRACKED: usize = 10_000;

/// One open connection of a device: how to end it.
struct Live {
    device: DeviceName,
    handle: russh::server::Handle,
    apps: Vec<Sender<Action>>,
}

#[derive(Default)]
pub struct Registry {
    /// fingerprint -> device
    keys: RwLock<HashMap<String, DeviceName>>,
    live: Mutex<HashMap<u64, Live>>,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
    next: AtomicU64,
    /// Every open TCP connection, authenticated or not.
    open: std::sync::atomic::AtomicUsize,
}

/// One open connection, counted while it lives.
pub struct OpenConnection<'a>(&'a Registry);

impl Drop for OpenConnection<'_> {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Registry {
    /// The device a key belongs to, if it is registered and not revoked.
    pub fn device_of(&self, fingerprint: &str) -> Option<DeviceName> {
        self.keys.read().ok()?.get(fingerprint).cloned()
    }

    /// Replaces the keys with the database's, and ends the sessions of devices no longer in
    /// it. Returns how many connections were ended.
    pub fn refresh(&self, active: Vec<ActiveDevice>, runtime: &tokio::runtime::Handle) -> usize {
        let keys: HashMap<String, DeviceName> = active
            .into_iter()
            .map(|d| (d.fingerprint, d.name))
            .collect();
        let names: std::collections::HashSet<&DeviceName> = keys.values().collect();
        let mut ended = 0;
        if let Ok(mut live) = self.live.lock() {
            live.retain(|_, session| {
                if names.contains(&session.device) {
                    return true;
                }
                tracing::info!(device = %session.device, "device revoked: its session ends");
                end(session, runtime);
                ended += 1;
                false
            });
        }
        if let Ok(mut current) = self.keys.write() {
            *current = keys;
        }
        ended
    }

    /// Records an authenticated connection; returns its id for `add_app` and `forget`.
    pub fn register(&self, device: DeviceName, handle: russh::server::Handle) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut live) = self.live.lock() {
            live.insert(
                id,
                Live {
                    device,
                    handle,
                    apps: Vec::new(),
                },
            );
        }
        id
    }

    /// The app running on a connection: told to stop when the device is revoked.
    pub fn add_app(&self, id: u64, app: Sender<Action>) {
        if let Ok(mut live) = self.live.lock() {
            if let Some(session) = live.get_mut(&id) {
                session.apps.push(app);
            }
        }
    }

    pub fn forget(&self, id: u64) {
        if let Ok(mut live) = self.live.lock() {
            live.remove(&id);
        }
    }

    /// Counts a new connection, unless `max` are open already.
    pub fn open_connection(&self, max: usize) -> Option<OpenConnection<'_>> {
        let before = self.open.fetch_add(1, Ordering::Relaxed);
        let counted = OpenConnection(self);
        (before < max).then_some(counted)
    }

    /// May a new connection from this address try? False after too many failures lately.
    pub fn admits(&self, ip: IpAddr) -> bool {
        let Ok(failures) = self.failures.lock() else {
            return true;
        };
        match failures.get(&ip) {
            Some((count, since)) if since.elapsed() < FAILURE_WINDOW => *count < MAX_FAILURES,
            _ => true,
        }
    }

    /// A connection from this address ended without a registered key.
    pub fn failed(&self, ip: IpAddr) {
        let Ok(mut failures) = self.failures.lock() else {
            return;
        };
        if failures.len() >= MAX_TRACKED {
            failures.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
        }
        if failures.len() >= MAX_TRACKED {
            return;
        }
        let entry = failures.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

fn end(session: &Live, runtime: &tokio::runtime::Handle) {
    for app in &session.apps {
        let _ = app.send(Action::Hangup);
    }
    let handle = session.handle.clone();
    runtime.spawn(async move {
        let _ = handle
            .disconnect(
                russh::Disconnect::ByApplication,
                "this device was revoked".into(),
                String::new(),
            )
            .await;
    });
}

/// Reads the registered keys every `REFRESH` on a thread of its own (Diesel blocks), with its
/// own connection, until the process ends.
pub fn spawn_refresher(
    registry: Arc<Registry>,
    mut connect: impl FnMut() -> Option<Bank> + Send + 'static,
    runtime: tokio::runtime::Handle,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("teller-devices".into())
        .spawn(move || {
            let mut bank: Option<Bank> = None;
            loop {
                if bank.is_none() {
                    bank = connect();
                }
                if let Some(current) = bank.as_mut() {
                    match current.people().active_devices() {
                        Ok(active) => {
                            registry.refresh(active, &runtime);
                        }
                        Err(error) => {
                            // The keys read last stay in force; a new connection is tried.
                            tracing::warn!(%error, "reading the devices failed");
                            bank = None;
                        }
                    }
                }
                std::thread::sleep(REFRESH);
            }
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_turned_away_after_too_many_failures() {
        let registry = Registry::default();
        let ip: IpAddr = "127.0.0.9".parse().unwrap();
        for _ in 0..MAX_FAILURES {
            assert!(registry.admits(ip));
            registry.failed(ip);
        }
        assert!(!registry.admits(ip));
        assert!(registry.admits("127.0.0.10".parse().unwrap()));
    }
}
