//! The branch server under faults: the real `teller serve` on 127.0.0.1 and a free port,
//! reached with OpenSSH's own `ssh`, against a test's own database. The server killed with
//! SIGKILL in the middle of transfers and started again on the same host key and database; a
//! client killed in the middle of its upload; a flood of unknown keys; connections that ask
//! for nothing. Every wait and every loop is bounded; every process is killed however a test
//! ends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::cli::{Teller, ADMIN};
use common::ssh::{run_bounded, ssh_command, start_serve, teller_over_ssh, Branch, Serving};
use common::PASSWORD;

/// How long any one wait may take.
const PATIENCE: Duration = Duration::from_secs(60);
/// What the server promises for a connection that asks for nothing (src/serve/mod.rs).
const START_TIMEOUT: Duration = Duration::from_secs(30);

impl Branch {
    /// Starts `teller serve` on a free port and waits until the device's key is let in.
    fn serve(&self) -> Server {
        let Serving {
            child,
            port,
            first_line,
        } = start_serve(&self.teller.db.app_url, self.dir.path());
        let server = Server {
            child,
            port,
            first_line,
            till: self.till.clone(),
            stranger: self.stranger.clone(),
        };
        // The device list is read every two seconds: wait until the key is let in.
        wait_until("the device's key is let in", || {
            server
                .ssh(&server.till, "", &["--version"])
                .status
                .success()
        });
        server
    }
}

/// One run of `teller serve`, killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    port: u16,
    first_line: String,
    till: PathBuf,
    stranger: PathBuf,
}

impl Server {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `ssh` to this server with `key`, environment requests and options of its own.
    fn ssh_command(&self, key: &Path, env: &str, extra: &[&str]) -> Command {
        ssh_command(self.port, key, env, extra)
    }

    fn ssh(&self, key: &Path, env: &str, args: &[&str]) -> Output {
        self.ssh_from(key, env, &[], args, "")
    }

    /// `ssh [extra] HOST args...` with `stdin` as its standard input, bounded in time.
    fn ssh_from(
        &self,
        key: &Path,
        env: &str,
        extra: &[&str],
        args: &[&str],
        stdin: &str,
    ) -> Output {
        run_bounded(
            teller_over_ssh(self.port, key, env, extra, args),
            stdin,
            PATIENCE,
        )
    }

    /// The server's own resident memory (kB) and threads.
    fn rss_kb(&self) -> u64 {
        proc_status(self.pid(), "VmRSS:")
    }

    fn threads(&self) -> u64 {
        proc_status(self.pid(), "Threads:")
    }

    /// The commands the server is running now (its child processes' command lines).
    fn commands(&self) -> Vec<String> {
        children_of(self.pid())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn as_admin() -> String {
    format!("TELLER_USER={ADMIN} TELLER_PASSWORD={PASSWORD}")
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A number field of /proc/PID/status ("VmRSS: 12345 kB").
fn proc_status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// The command lines of the processes whose parent is `pid`.
fn children_of(pid: u32) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(child) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": the command may hold spaces and parentheses.
        let parent = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if parent == Some(pid) {
            let cmdline = std::fs::read(format!("/proc/{child}/cmdline")).unwrap_or_default();
            found.push(String::from_utf8_lossy(&cmdline).replace('\0', " "));
        }
    }
    found
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}): {out:?}"))
}

/// The keys of an account's movements, each with how often it appears.
fn movement_keys(teller: &Teller, account: &str) -> BTreeMap<String, usize> {
    let history = teller.json(&["history", account, "--limit", "10000", "--json"]);
    let mut keys = BTreeMap::new();
    for entry in history.as_array().unwrap() {
        *keys
            .entry(entry["key"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    keys
}

fn assert_audit_passes(teller: &Teller) {
    let audit = teller.run(&["audit"]);
    assert_eq!(audit.code, 0, "teller audit: {audit:?}");
}

/// Moves `count` times 1.00 from `from` to `to` over SSH, `threads` at a time, keys
/// `{prefix}-N`; returns each key's exit status (None: not tried) and its JSON when it
/// succeeded. `stop` ends the loop early (after the server was killed, every try fails fast).
fn transfers_over_ssh(
    server: &Server,
    from: &str,
    to: &str,
    keys: &[String],
    threads: usize,
    done: &AtomicUsize,
) -> BTreeMap<String, (Option<i32>, Option<serde_json::Value>)> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(BTreeMap::new());
    let admin = as_admin();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(key) = keys.get(i) else { break };
                let out = server.ssh(
                    &server.till,
                    &admin,
                    &[
                        "teller", "transfer", from, to, "1.00", "--key", key, "--json",
                    ],
                );
                let receipt = out.status.success().then(|| json(&out));
                if receipt.is_some() {
                    done.fetch_add(1, Ordering::SeqCst);
                }
                results
                    .lock()
                    .unwrap()
                    .insert(key.clone(), (out.status.code(), receipt));
            });
        }
    });
    results.into_inner().unwrap()
}

#[test]
fn a_server_killed_mid_transfers_applies_every_key_once_after_a_restart() {
    const TRANSFERS: usize = 40;
    let branch = Branch::new();
    let payer = branch.teller.funded_account("payer@example.com", "1000.00");
    let payee = branch.teller.funded_account("payee@example.com", "0");
    let keys: Vec<String> = (0..TRANSFERS).map(|n| format!("kill9-{n:03}")).collect();

    let mut server = branch.serve();
    let fingerprint = server
        .first_line
        .split("(SHA256:")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .to_string();
    let done = AtomicUsize::new(0);
    let (first, killed_with) = std::thread::scope(|scope| {
        let first = scope.spawn(|| transfers_over_ssh(&server, &payer, &payee, &keys, 4, &done));
        // Partway: once a quarter of the transfers answered, with others on the way.
        wait_until("a quarter of the transfers are done", || {
            done.load(Ordering::SeqCst) >= TRANSFERS / 4 || first.is_finished()
        });
        let running = server.commands();
        // SIGKILL, by the server's pid: no clean-up of any kind.
        let killed = Command::new("kill")
            .args(["-KILL", &server.pid().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        (first.join().unwrap(), running)
    });
    server.child.wait().unwrap();
    let succeeded: BTreeSet<&String> = first
        .iter()
        .filter(|(_, (code, _))| *code == Some(0))
        .map(|(key, _)| key)
        .collect();
    let cut: Vec<&String> = first
        .iter()
        .filter(|(_, (code, _))| *code != Some(0))
        .map(|(key, _)| key)
        .collect();
    assert!(
        succeeded.len() >= TRANSFERS / 4 && !cut.is_empty(),
        "the kill came too late to cut anything: {} done, {} cut",
        succeeded.len(),
        cut.len()
    );
    // Every failure is ssh's own (the connection died), never a refusal by teller.
    for key in &cut {
        assert_eq!(first[*key].0, Some(255), "{key}: {:?}", first[*key]);
    }
    eprintln!(
        "killed with {} commands running: {killed_with:?}; {} done, {} cut",
        killed_with.len(),
        succeeded.len(),
        cut.len()
    );

    // The same host key and database: the server comes back as itself.
    let server = branch.serve();
    assert!(
        server.first_line.contains(&fingerprint) && !server.first_line.contains(", new"),
        "the host key changed: {} (was {fingerprint})",
        server.first_line
    );
    let again = transfers_over_ssh(&server, &payer, &payee, &keys, 4, &AtomicUsize::new(0));
    for key in &keys {
        let (code, receipt) = &again[key];
        assert_eq!(*code, Some(0), "{key} resubmitted: {:?}", again[key]);
        let receipt = receipt.as_ref().unwrap();
        assert_eq!(receipt["key"], key.as_str());
        assert_eq!(receipt["device"], "till-1");
        if succeeded.contains(key) {
            assert_eq!(
                receipt["replayed"], true,
                "{key} was done before: {receipt}"
            );
        }
    }
    // Exactly one movement per key, and the money matches.
    let moved = movement_keys(&branch.teller, &payee);
    let expected: BTreeMap<String, usize> = keys.iter().map(|k| (k.clone(), 1)).collect();
    let deposits: Vec<&String> = moved.keys().filter(|k| !k.starts_with("kill9-")).collect();
    let transfers: BTreeMap<String, usize> = moved
        .iter()
        .filter(|(k, _)| k.starts_with("kill9-"))
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    assert!(deposits.is_empty(), "unexpected movements {deposits:?}");
    assert_eq!(transfers, expected);
    assert_eq!(branch.teller.balance(&payee), "40.00");
    assert_eq!(branch.teller.balance(&payer), "960.00");
    assert_audit_passes(&branch.teller);
}

/// Starts `ssh` with a command and a standard input the test writes to (and does not close).
fn ssh_held_open(server: &Server, env: &str, args: &[&str]) -> Child {
    server
        .ssh_command(&server.till, env, &[])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ssh")
}

/// Waits until the server runs a command containing `word`; false if none did in time.
fn wait_for_command(server: &Server, word: &str, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if server.commands().iter().any(|c| c.contains(word)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// Waits until the server runs no command any more.
fn wait_for_no_commands(server: &Server) {
    wait_until("the server's commands ended", || {
        server.commands().is_empty()
    });
}

#[test]
fn a_client_cut_off_mid_operation_leaves_it_done_or_not_done() {
    let branch = Branch::new();
    let payer = branch.teller.funded_account("payer@example.com", "1000.00");
    let payee = branch.teller.funded_account("payee@example.com", "0");
    let server = branch.serve();
    let admin = as_admin();

    // A payment file of five lines without references (each line's key comes from the whole
    // file's content): the client sends three of them, then dies before its end of file.
    let amounts = ["1.00", "2.00", "4.00", "8.00", "16.00"];
    let header = "to,amount,memo\n";
    let lines: Vec<String> = amounts
        .iter()
        .enumerate()
        .map(|(n, amount)| format!("{payee},{amount},pay {n}\n"))
        .collect();
    let whole = format!("{header}{}", lines.concat());
    let mut ssh = ssh_held_open(
        &server,
        &admin,
        &["teller", "batch", "post", "-", "--from", &payer],
    );
    {
        let stdin = ssh.stdin.as_mut().unwrap();
        stdin
            .write_all(format!("{header}{}", lines[..3].concat()).as_bytes())
            .unwrap();
        stdin.flush().unwrap();
    }
    assert!(
        wait_for_command(&server, "batch", PATIENCE),
        "the server never ran the batch"
    );
    // Time for the three lines to reach the command, then the client is gone (no EOF).
    std::thread::sleep(Duration::from_millis(500));
    ssh.kill().unwrap();
    ssh.wait().unwrap();
    wait_for_no_commands(&server);
    let balance = branch.teller.balance(&payee);
    assert!(
        balance == "0.00" || balance == "31.00",
        "a cut-off upload was posted in part: the payee holds {balance} of 31.00"
    );
    assert_audit_passes(&branch.teller);

    // The whole file, sent again as a workstation does after a failure: each line once.
    for round in 0..2 {
        let out = server.ssh_from(
            &server.till,
            &admin,
            &[],
            &["teller", "batch", "post", "-", "--from", &payer],
            &whole,
        );
        assert!(out.status.success(), "round {round}: {out:?}");
        assert_eq!(branch.teller.balance(&payee), "31.00", "round {round}");
    }
    let moved = movement_keys(&branch.teller, &payee);
    assert_eq!(moved.len(), amounts.len(), "{moved:?}");
    assert!(moved.values().all(|n| *n == 1), "{moved:?}");

    // Transfers: the client killed at moments from before its key reached the server to while
    // the transfer runs. Each is done or not; sent again, it is done exactly once.
    let delays_ms = [0_u64, 20, 50, 100, 200, 400];
    let mut keys = Vec::new();
    for (n, delay) in delays_ms.iter().enumerate() {
        let key = format!("cut-{n}");
        let mut ssh = ssh_held_open(
            &server,
            &admin,
            &[
                "teller", "transfer", &payer, &payee, "1.00", "--key", &key, "--json",
            ],
        );
        std::thread::sleep(Duration::from_millis(*delay));
        ssh.kill().unwrap();
        ssh.wait().unwrap();
        keys.push(key);
    }
    // And once exactly when the server runs the command.
    let key = "cut-running".to_string();
    let mut ssh = ssh_held_open(
        &server,
        &admin,
        &[
            "teller", "transfer", &payer, &payee, "1.00", "--key", &key, "--json",
        ],
    );
    let ran = wait_for_command(&server, &key, PATIENCE);
    ssh.kill().unwrap();
    ssh.wait().unwrap();
    assert!(ran, "the server never ran the transfer");
    keys.push(key);
    wait_for_no_commands(&server);
    assert_audit_passes(&branch.teller);
    let before: BTreeMap<String, usize> = movement_keys(&branch.teller, &payee);
    assert!(before.values().all(|n| *n == 1), "{before:?}");

    for key in &keys {
        let out = server.ssh(
            &server.till,
            &admin,
            &[
                "teller", "transfer", &payer, &payee, "1.00", "--key", key, "--json",
            ],
        );
        assert!(out.status.success(), "{key}: {out:?}");
        let receipt = json(&out);
        let was_done = before.contains_key(key);
        assert_eq!(receipt["replayed"], was_done, "{key}: {receipt}");
    }
    let after = movement_keys(&branch.teller, &payee);
    for key in &keys {
        assert_eq!(after.get(key), Some(&1), "{key}: {after:?}");
    }
    assert_eq!(branch.teller.balance(&payee), "38.00");
    assert_eq!(branch.teller.balance(&payer), "962.00");
    assert_audit_passes(&branch.teller);
}

#[test]
fn a_thousand_unknown_keys_are_refused_and_memory_stays_flat() {
    const ATTEMPTS: usize = 1_000;
    const PARALLEL: usize = 16;
    /// Where the flood comes from: each address is turned away after 20 failures.
    const FLOOD_FROM: [&str; 4] = ["127.0.0.1", "127.0.0.3", "127.0.0.4", "127.0.0.5"];
    /// A well-behaved workstation elsewhere on the loopback network.
    const GOOD: &str = "127.0.0.2";
    let branch = Branch::new();
    let server = branch.serve();
    let admin = as_admin();
    let whoami = |from: &str| {
        server.ssh_from(
            &server.till,
            &admin,
            &["-b", from],
            &["teller", "whoami", "--json"],
            "",
        )
    };
    // Warm up the paths the flood takes, then measure.
    for _ in 0..3 {
        assert!(whoami(GOOD).status.success());
        let out = server.ssh_from(&server.stranger, "", &["-b", "127.0.0.9"], &["whoami"], "");
        assert_eq!(out.status.code(), Some(255), "{out:?}");
    }
    std::thread::sleep(Duration::from_millis(500));
    let rss_before = server.rss_kb();
    let threads_before = server.threads();

    let next = AtomicUsize::new(0);
    let flooding = AtomicUsize::new(PARALLEL);
    let outcomes: Mutex<Vec<(Option<i32>, bool, String)>> = Mutex::new(Vec::new());
    let good_during: Mutex<Vec<Output>> = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= ATTEMPTS {
                        break;
                    }
                    let from = FLOOD_FROM[i % FLOOD_FROM.len()];
                    let out = server.ssh_from(
                        &server.stranger,
                        &admin,
                        &["-b", from],
                        &["teller", "whoami"],
                        "",
                    );
                    outcomes.lock().unwrap().push((
                        out.status.code(),
                        out.stdout.is_empty(),
                        text(&out.stderr),
                    ));
                }
                flooding.fetch_sub(1, Ordering::SeqCst);
            });
        }
        // The registered device, from its own address, while the flood goes on.
        scope.spawn(|| {
            for _ in 0..20 {
                if flooding.load(Ordering::SeqCst) == 0 {
                    break;
                }
                good_during.lock().unwrap().push(whoami(GOOD));
                std::thread::sleep(Duration::from_millis(200));
            }
        });
    });
    let flood_took = started.elapsed();
    let outcomes = outcomes.into_inner().unwrap();
    assert_eq!(outcomes.len(), ATTEMPTS);
    let denied = outcomes
        .iter()
        .filter(|(_, _, err)| err.contains("Permission denied"))
        .count();
    for (code, no_stdout, stderr) in &outcomes {
        assert_eq!(*code, Some(255), "an unknown key got in: {stderr}");
        assert!(no_stdout, "an unknown key was shown something");
    }
    // Each address gets its 20 failures (and what was under way), then is cut at accept.
    let per_address = 20;
    assert!(
        denied >= per_address * FLOOD_FROM.len()
            && denied <= (per_address + PARALLEL) * FLOOD_FROM.len(),
        "{denied} attempts reached the key check: the per-address limit did not hold"
    );
    let good_during = good_during.into_inner().unwrap();
    assert!(
        !good_during.is_empty(),
        "the flood ended before the device tried"
    );
    for out in &good_during {
        assert!(
            out.status.success(),
            "the device was refused during the flood: {out:?}"
        );
    }

    std::thread::sleep(Duration::from_secs(1));
    let rss_after = server.rss_kb();
    let threads_after = server.threads();
    eprintln!(
        "{ATTEMPTS} unknown keys in {flood_took:?}: {denied} denied at the key check, the rest \
         at accept; the device got through {} times meanwhile; server RSS {rss_before} kB -> \
         {rss_after} kB, threads {threads_before} -> {threads_after}",
        good_during.len()
    );
    assert!(
        rss_after < rss_before + 10 * 1024,
        "the server grew from {rss_before} kB to {rss_after} kB"
    );
    assert!(
        threads_after <= threads_before + 2,
        "threads grew from {threads_before} to {threads_after}"
    );
    // The well-behaved address is still served; the flooding one is turned away for now, even
    // with a registered key.
    let out = whoami(GOOD);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(json(&out)["email"], ADMIN, "{out:?}");
    let out = whoami(FLOOD_FROM[0]);
    assert_eq!(out.status.code(), Some(255), "{out:?}");
}

#[test]
fn a_long_upload_does_not_freeze_the_connection() {
    let branch = Branch::new();
    let payer = branch.teller.funded_account("payer@example.com", "100.00");
    let server = branch.serve();
    // 4 MB on standard input: hundreds of SSH packets. russh queues each one for the channel's
    // `Channel` as well as handing it to the handler; a queue nobody empties stops the whole
    // connection after 100 (an app session froze the same way after about 100 key presses).
    let mut csv = String::from("to,amount\n");
    let mut lines = 0;
    while csv.len() < 4 << 20 {
        csv.push_str("not-an-account,1.00\n");
        lines += 1;
    }
    let started = Instant::now();
    let out = server.ssh_from(
        &server.till,
        &as_admin(),
        &[],
        &[
            "teller",
            "batch",
            "post",
            "-",
            "--from",
            &payer,
            "--dry-run",
        ],
        &csv,
    );
    // Every line is invalid (exit 2), and every one of them arrived.
    let stderr = text(&out.stderr);
    let tail = &stderr[stderr.len().saturating_sub(300)..];
    assert_eq!(
        out.status.code(),
        Some(2),
        "after {:?}: {:?} ...{tail}",
        started.elapsed(),
        out.status
    );
    assert!(
        tail.contains(&format!("{lines} line(s) of the file are invalid")),
        "{tail}"
    );
    let out = server.ssh(&server.till, &as_admin(), &["teller", "whoami", "--json"]);
    assert!(out.status.success(), "{out:?}");
}

/// Reads until the server closes the connection; how long that took (None: still open when
/// `limit` passed).
fn time_to_close(
    mut stream: std::net::TcpStream,
    opened: Instant,
    limit: Duration,
) -> Option<Duration> {
    let mut buffer = [0_u8; 4096];
    loop {
        let left = limit.checked_sub(opened.elapsed())?;
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => return Some(opened.elapsed()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if opened.elapsed() >= limit {
                    return None;
                }
            }
            Err(_) => return Some(opened.elapsed()),
        }
    }
}

#[test]
fn a_connection_that_asks_for_nothing_is_closed_after_thirty_seconds() {
    let branch = Branch::new();
    let server = branch.serve();
    let limit = START_TIMEOUT + Duration::from_secs(5);
    let address = format!("127.0.0.1:{}", server.port);

    // Three ways to ask for nothing: a bare TCP connection; one that says its SSH version and
    // no more; a registered device that logs in and opens no channel (`ssh -N`).
    let opened = Instant::now();
    let silent = std::net::TcpStream::connect(&address).unwrap();
    let mut hello = std::net::TcpStream::connect(&address).unwrap();
    hello.write_all(b"SSH-2.0-teller_fault_probe\r\n").unwrap();
    let mut idle = server
        .ssh_command(&server.till, "", &["-N"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let (silent, hello, idle_closed) = std::thread::scope(|scope| {
        let silent = scope.spawn(|| time_to_close(silent, opened, limit));
        let hello = scope.spawn(|| time_to_close(hello, opened, limit));
        let idle_closed = scope.spawn(|| loop {
            if let Some(status) = idle.try_wait().unwrap() {
                break Some((opened.elapsed(), status));
            }
            if opened.elapsed() > limit {
                let _ = idle.kill();
                let _ = idle.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        });
        (
            silent.join().unwrap(),
            hello.join().unwrap(),
            idle_closed.join().unwrap(),
        )
    });
    eprintln!(
        "closed after: silent {silent:?}, version line only {hello:?}, ssh -N {idle_closed:?}"
    );
    // Closed, and by the start timeout, not sooner (a fresh connection is not cut at once).
    let early = START_TIMEOUT - Duration::from_secs(5);
    for (what, closed) in [("a silent connection", silent), ("a version line", hello)] {
        let closed = closed.unwrap_or_else(|| panic!("{what} was still open after {limit:?}"));
        assert!(
            closed >= early,
            "{what} was closed after {closed:?} already"
        );
    }
    let (closed, status) = idle_closed.expect("ssh -N was still connected after the limit");
    assert!(
        closed >= early,
        "ssh -N was closed after {closed:?} already"
    );
    assert_eq!(status.code(), Some(255), "ssh -N ended with {status:?}");

    // The server goes on.
    let out = server.ssh(&server.till, &as_admin(), &["teller", "whoami", "--json"]);
    assert!(out.status.success(), "{out:?}");
}
