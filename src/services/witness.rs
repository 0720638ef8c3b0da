//! The second node that confirms a cluster's commits (`Bank::on_cluster`): a transaction's mark
//! (written in the same transaction as everything else it did) is read back from another
//! healthy node with causal reads, so that node has applied the commit before anyone is told
//! "done". Jepsen saw Galera lose commits one node had acknowledged when nodes crashed one after
//! the other.
//!
//! Each probe runs on a thread of its own and is waited for only until the deadline: a node that
//! stopped answering (paused, cut off, its causal read waiting) must not hold a teller past it.
//! A probe given up on keeps its connection, which is dropped when the probe ends.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::db::{self, Connection};

/// An open connection to the confirming node, and its label ("127.0.0.1:4307").
pub(super) struct Witness {
    conn: Connection,
    node: String,
}

impl Witness {
    pub(super) fn node(&self) -> &str {
        &self.node
    }
}

/// What one probe found: the witness to keep (if it answered), and whether it holds the mark.
struct Probe {
    witness: Option<Witness>,
    held: Result<(), String>,
}

/// Waits until a node other than `writer` holds mark `n` of `token`, for at most `patience`.
/// Returns the witness to use next time and, when none confirmed, why.
pub(super) fn confirm(
    mut witness: Option<Witness>,
    url: &str,
    writer: &str,
    (token, n): (i64, i64),
    patience: Duration,
) -> (Option<Witness>, Result<(), String>) {
    let deadline = Instant::now() + patience;
    let mut why = String::from("no second node answered");
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return (witness, Err(why));
        }
        let (sender, answer) = mpsc::channel();
        let (url, writer, given) = (url.to_string(), writer.to_string(), witness.take());
        std::thread::spawn(move || {
            let _ = sender.send(probe(given, &url, &writer, token, n));
        });
        match answer.recv_timeout(remaining) {
            Ok(Probe {
                witness: kept,
                held: Ok(()),
            }) => return (kept, Ok(())),
            Ok(Probe {
                witness: kept,
                held: Err(e),
            }) => {
                witness = kept;
                why = e;
            }
            Err(_) => {
                return (
                    None,
                    Err(format!(
                        "{why}; no second node answered within {patience:?}"
                    )),
                )
            }
        }
        std::thread::sleep(Duration::from_millis(200).min(remaining));
    }
}

/// One attempt: the witness given (or a new one) reads the mark.
fn probe(witness: Option<Witness>, url: &str, writer: &str, token: i64, n: i64) -> Probe {
    let mut witness = match witness {
        Some(witness) => witness,
        None => match db::connect_witness(url, writer) {
            Ok((conn, node)) => Witness { conn, node },
            Err(refused) => {
                return Probe {
                    witness: None,
                    held: Err(refused),
                }
            }
        },
    };
    match db::tx_guard::current(&mut witness.conn, token) {
        Ok(Some(seen)) if seen >= n => Probe {
            witness: Some(witness),
            held: Ok(()),
        },
        Ok(_) => Probe {
            held: Err(format!("{} does not hold the commit", witness.node)),
            witness: Some(witness),
        },
        Err(e) => Probe {
            held: Err(format!("{}: {e}", witness.node)),
            witness: None,
        },
    }
}
