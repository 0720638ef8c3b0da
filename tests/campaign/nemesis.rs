//! The faults, each from a seeded schedule, all on loopback through scripts/cluster.sh: kill -9
//! of one node, of two in quick succession and of all three; a node cut off from the others or
//! one pair of nodes cut (nftables); a node paused (SIGSTOP); a node's clock skewed
//! (libfaketime). Every fault is healed before the next, and `Cleanup` heals whatever is left
//! when the campaign ends, also by a panic.

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::Rng;

use crate::common::cluster::cluster;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Kill(u8),
    KillTwo(u8, u8),
    KillAll,
    Isolate(u8),
    Cut(u8, u8),
    Pause(u8),
    Skew(u8, i64),
}

/// Every kind, for the report's table.
pub const KINDS: [&str; 7] = [
    "kill one",
    "kill two",
    "kill all",
    "isolate one",
    "cut a pair",
    "pause one",
    "skew a clock",
];

impl Fault {
    pub fn kind(self) -> &'static str {
        match self {
            Self::Kill(_) => KINDS[0],
            Self::KillTwo(..) => KINDS[1],
            Self::KillAll => KINDS[2],
            Self::Isolate(_) => KINDS[3],
            Self::Cut(..) => KINDS[4],
            Self::Pause(_) => KINDS[5],
            Self::Skew(..) => KINDS[6],
        }
    }

    /// The next fault: every kind as likely as the others, on random nodes.
    pub fn pick(rng: &mut StdRng) -> Self {
        let node = |rng: &mut StdRng| rng.random_range(1..=3u8);
        let pair = |rng: &mut StdRng| {
            let a = rng.random_range(1..=3u8);
            (a, a % 3 + 1)
        };
        match rng.random_range(0..KINDS.len()) {
            0 => Self::Kill(node(rng)),
            1 => {
                let (a, b) = pair(rng);
                Self::KillTwo(a, b)
            }
            2 => Self::KillAll,
            3 => Self::Isolate(node(rng)),
            4 => {
                let (a, b) = pair(rng);
                Self::Cut(a, b)
            }
            5 => Self::Pause(node(rng)),
            _ => {
                let seconds = rng.random_range(30..=300i64);
                let sign = if rng.random_bool(0.5) { 1 } else { -1 };
                Self::Skew(node(rng), sign * seconds)
            }
        }
    }

    pub fn describe(self) -> String {
        match self {
            Self::Kill(n) => format!("kill -9 node {n}"),
            Self::KillTwo(a, b) => format!("kill -9 node {a}, then node {b} 0.2 s later"),
            Self::KillAll => "kill -9 every node".into(),
            Self::Isolate(n) => format!("cut node {n} off from the others"),
            Self::Cut(a, b) => format!("cut nodes {a} and {b} apart"),
            Self::Pause(n) => format!("SIGSTOP node {n}"),
            Self::Skew(n, s) => format!("node {n}'s clock {s:+} s"),
        }
    }

    pub fn apply(self) {
        let n = |n: u8| n.to_string();
        match self {
            Self::Kill(a) => {
                cluster(&["kill", &n(a)]);
            }
            Self::KillTwo(a, b) => {
                cluster(&["kill", &n(a)]);
                std::thread::sleep(Duration::from_millis(200));
                cluster(&["kill", &n(b)]);
            }
            Self::KillAll => {
                for a in 1..=3 {
                    cluster(&["kill", &n(a)]);
                }
            }
            Self::Isolate(a) => {
                cluster(&["cut", &n(a)]);
            }
            Self::Cut(a, b) => {
                cluster(&["cut", &n(a), &n(b)]);
            }
            Self::Pause(a) => {
                cluster(&["pause", &n(a)]);
            }
            Self::Skew(a, s) => {
                cluster(&["skew", &n(a), &format!("{s:+}")]);
            }
        }
    }

    /// Undoes the fault and waits until the three nodes are Synced in one primary component.
    pub fn heal(self) {
        match self {
            Self::Isolate(_) | Self::Cut(..) => {
                cluster(&["heal"]);
            }
            Self::Pause(a) => {
                cluster(&["resume", &a.to_string()]);
            }
            Self::Skew(a, _) => {
                cluster(&["skew", &a.to_string(), "0"]);
            }
            Self::Kill(_) | Self::KillTwo(..) | Self::KillAll => {}
        }
        all_synced(Duration::from_secs(120));
    }
}

/// Waits until `status` shows three Synced nodes in a component of three, bringing back with
/// `up` what does not come back alone (a killed node, a component left without quorum).
pub fn all_synced(patience: Duration) {
    let deadline = Instant::now() + patience;
    let mut next_up = Instant::now();
    loop {
        let status = status();
        if status.matches("ON Synced 3").count() == 3 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the cluster did not come back within {patience:?}: {status}"
        );
        if Instant::now() >= next_up {
            let _ = std::process::Command::new("bash")
                .arg(crate::common::cluster::SCRIPT)
                .arg("up")
                .output();
            next_up = Instant::now() + Duration::from_secs(15);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn status() -> String {
    let out = std::process::Command::new("bash")
        .arg(crate::common::cluster::SCRIPT)
        .arg("status")
        .output()
        .expect("run scripts/cluster.sh status");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Heals every fault when dropped: links cut, nodes paused or stopped, clocks skewed.
pub struct Cleanup;

impl Drop for Cleanup {
    fn drop(&mut self) {
        // `up` heals the network, resumes paused nodes, puts clocks right and starts what is
        // stopped.
        let _ = std::process::Command::new("bash")
            .arg(crate::common::cluster::SCRIPT)
            .arg("up")
            .output();
    }
}
