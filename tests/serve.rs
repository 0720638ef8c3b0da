//! The branch server end to end: the real `teller serve` on 127.0.0.1 and a free port, reached
//! with OpenSSH's own `ssh` client (commands directly, the app in tmux), against a test's own
//! database. Every wait is bounded; the server is killed however a test ends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use common::cli::{Teller, ADMIN, BIN, BOSS};
use common::ssh::{run_bounded, start_serve, teller_over_ssh, Branch, Serving};
use common::PASSWORD;

const PATIENCE: Duration = Duration::from_secs(30);

/// A running `teller serve` for a test's bank, with one registered device (`till-1`).
struct Server {
    teller: Teller,
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    till: PathBuf,
    stranger: PathBuf,
    first_line: String,
}

impl Server {
    fn start() -> Self {
        let Branch {
            teller,
            dir,
            till,
            stranger,
        } = Branch::new();
        let Serving {
            child,
            port,
            first_line,
        } = start_serve(&teller.db.app_url, dir.path());
        let server = Self {
            teller,
            child,
            port,
            dir,
            till,
            stranger,
            first_line,
        };
        // The device list is read every two seconds: wait until the key is let in.
        server.wait_until(|| {
            server
                .ssh(&server.till, "", &["--version"])
                .status
                .success()
        });
        server
    }

    fn wait_until(&self, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done() {
            assert!(Instant::now() < deadline, "timed out");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `ssh HOST args...` with a device key and environment requests.
    fn ssh(&self, key: &Path, env: &str, args: &[&str]) -> Output {
        self.ssh_stdin(key, env, args, "")
    }

    fn ssh_stdin(&self, key: &Path, env: &str, args: &[&str], stdin: &str) -> Output {
        run_bounded(
            teller_over_ssh(self.port, key, env, &[], args),
            stdin,
            PATIENCE,
        )
    }

    fn as_admin(&self) -> String {
        format!("TELLER_USER={ADMIN} TELLER_PASSWORD={PASSWORD}")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_command_over_ssh_answers_as_the_local_cli_and_records_the_device() {
    let server = Server::start();
    let account = server.teller.funded_account("diana@example.com", "500.00");
    let admin = server.as_admin();

    // The same JSON as locally; the word `teller` is optional.
    let local = server.teller.json(&["balance", &account, "--json"]);
    for args in [
        vec!["teller", "balance", &account, "--json"],
        vec!["balance", &account, "--json"],
    ] {
        let out = server.ssh(&server.till, &admin, &args);
        assert!(out.status.success(), "{out:?}");
        let remote: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(remote, local);
    }

    // Money moved over SSH names the device in the receipt, the history and the audit log.
    let deposit = [
        "deposit",
        &account,
        "25.00",
        "--key",
        "till-1-0001",
        "--json",
    ];
    let out = server.ssh(&server.till, &admin, &deposit);
    assert!(out.status.success(), "{out:?}");
    let receipt: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(receipt["device"], "till-1");
    let history = server
        .teller
        .json(&["history", &account, "--limit", "2", "--json"]);
    assert_eq!(history[0]["device"], "till-1");
    assert_eq!(history[1]["device"], "local");
    let log = server.teller.json(&["log", "--limit", "20", "--json"]);
    let logged = log
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["action"] == "deposit")
        .unwrap();
    assert_eq!(logged["device"], "till-1");

    // The same key again is applied once.
    let again = server.ssh(&server.till, &admin, &deposit);
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["replayed"], true);
    assert_eq!(server.teller.balance(&account), "525.00");

    // The audit holds after money moved through the server.
    assert!(server.teller.run(&["audit"]).code == 0);
}

#[test]
fn exit_codes_refusals_and_unknown_keys() {
    let server = Server::start();
    let wrong = format!("TELLER_USER={ADMIN} TELLER_PASSWORD=not-the-password");
    let out = server.ssh(&server.till, &wrong, &["whoami", "--json"]);
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    assert!(text(&out.stderr).contains("invalid_credentials"), "{out:?}");

    // Nobody named and no terminal to ask on: a login is required (exit 4), never a session
    // file on the server.
    let out = server.ssh(&server.till, "", &["whoami"]);
    assert_eq!(out.status.code(), Some(4), "{out:?}");

    let admin = server.as_admin();
    for setup in ["migrate", "demo", "bench", "serve", "login", "logout"] {
        let out = server.ssh(&server.till, &admin, &[setup]);
        assert_eq!(out.status.code(), Some(2), "{setup}: {out:?}");
    }
    // Paths on the server are refused; the server's database cannot be swapped.
    let number = teller::domain::AccountNumber::from_serial(100_000_001)
        .unwrap()
        .to_string();
    let out = server.ssh(
        &server.till,
        &admin,
        &[
            "statement",
            &number,
            "--month",
            "2026-01",
            "--pdf",
            "/tmp/x.pdf",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("workstation"), "{out:?}");
    let out = server.ssh(
        &server.till,
        &admin,
        &["--database-url", "mysql://root@127.0.0.1:1/x", "whoami"],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // A variable the server does not honour is ignored, not passed on.
    let out = server.ssh(
        &server.till,
        &format!("{admin} TELLER_SERVED_DEVICE=forged"),
        &["whoami", "--json"],
    );
    assert!(out.status.success(), "{out:?}");

    // An unknown key sees nothing of the bank.
    let out = server.ssh(&server.stranger, &admin, &["whoami"]);
    assert_eq!(out.status.code(), Some(255), "{out:?}");
    assert!(text(&out.stderr).contains("Permission denied"), "{out:?}");
    assert!(out.stdout.is_empty());
}

#[test]
fn files_travel_on_standard_input_and_output() {
    let server = Server::start();
    let payer = server.teller.funded_account("payer@example.com", "1000.00");
    let payee = server.teller.funded_account("payee@example.com", "0");
    let admin = server.as_admin();
    let csv = format!("to,amount,memo,reference\n{payee},12.50,rent,r-1\n");
    let out = server.ssh_stdin(
        &server.till,
        &admin,
        &["batch", "post", "-", "--from", &payer],
        &csv,
    );
    assert!(out.status.success(), "{out:?}");
    // The results come back as CSV on standard output; the summary on standard error.
    assert!(text(&out.stdout).contains("r-1"), "{out:?}");
    assert!(text(&out.stderr).contains("1 done"), "{out:?}");
    assert_eq!(server.teller.balance(&payee), "12.50");

    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let out = server.ssh(
        &server.till,
        &admin,
        &["statement", &payee, "--month", &month, "--pdf", "-"],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.starts_with(b"%PDF"), "not a PDF");
}

#[test]
fn the_host_key_is_private_and_its_fingerprint_printed() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::start();
    let mode = std::fs::metadata(server.dir.path().join("host_key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(
        server.first_line.contains("SHA256:"),
        "{}",
        server.first_line
    );
    // A non-loopback address must be named: the default is loopback.
    let help = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(text(&help.stdout).contains("127.0.0.1:2222"));
}

/// A tmux session of our own running `command`, killed however the test ends.
struct Tmux {
    name: String,
}

impl Tmux {
    fn start(command: &str, width: u16, height: u16) -> Self {
        let name = format!(
            "teller-serve-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        );
        let shell = format!("{command}; echo ssh-exit=$?; sleep 600");
        let out = Command::new("tmux")
            .args(["new-session", "-d", "-s", &name, "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg(&shell)
            .output()
            .expect("tmux is needed for this test");
        assert!(out.status.success(), "{out:?}");
        Self { name }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &format!("={}:", self.name)])
            .output()
            .unwrap();
        text(&out.stdout)
    }

    fn wait_for(&self, what: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(Instant::now() < deadline, "waiting for {what:?}:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let target = format!("={}:", self.name);
        let mut args = vec!["send-keys", "-t", target.as_str()];
        args.extend_from_slice(keys);
        assert!(Command::new("tmux").args(&args).status().unwrap().success());
    }

    fn type_text(&self, text: &str) {
        assert!(Command::new("tmux")
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .unwrap()
            .success());
    }

    fn resize(&self, width: u16, height: u16) {
        assert!(Command::new("tmux")
            .args(["resize-window", "-t", &self.name, "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .status()
            .unwrap()
            .success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .output();
    }
}

fn app_over_ssh(server: &Server, width: u16, height: u16) -> Tmux {
    let command = format!(
        "ssh -p {} -i '{}' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o LogLevel=ERROR -tt till@127.0.0.1",
        server.port,
        server.till.display()
    );
    Tmux::start(&command, width, height)
}

#[test]
fn the_app_over_ssh_logs_in_follows_a_resize_and_quits() {
    let server = Server::start();
    let tmux = app_over_ssh(&server, 100, 30);
    tmux.wait_for("Log in to teller");
    tmux.type_text(ADMIN);
    tmux.keys(&["Tab"]);
    tmux.type_text(PASSWORD);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("F2 Find");
    assert!(screen.contains("admin"), "{screen}");
    assert!(screen.contains("device till-1"), "{screen}");
    // Narrower: the frame is drawn again at the new width.
    tmux.resize(60, 12);
    tmux.wait_for("too small");
    tmux.resize(100, 30);
    tmux.wait_for("F2 Find");
    tmux.keys(&["C-c"]);
    tmux.wait_for("ssh-exit=0");
    // The server goes on: another connection is served.
    let out = server.ssh(&server.till, &server.as_admin(), &["whoami", "--json"]);
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn a_revoked_device_is_cut_off_within_seconds() {
    let server = Server::start();
    let tmux = app_over_ssh(&server, 100, 30);
    tmux.wait_for("Log in to teller");
    let revoked_at = Instant::now();
    let out = server.teller.run(&["device", "revoke", "till-1", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.json()["revoked_at"].is_string());
    tmux.wait_for("ssh-exit=");
    assert!(
        revoked_at.elapsed() < Duration::from_secs(5),
        "the session lasted {:?} after the revocation",
        revoked_at.elapsed()
    );
    let out = server.ssh(&server.till, &server.as_admin(), &["whoami"]);
    assert_eq!(out.status.code(), Some(255), "{out:?}");
    let list = server.teller.json(&["device", "list", "--json"]);
    assert_eq!(list[0]["active"], false);
}

#[test]
fn a_command_with_a_terminal_asks_who_you_are_without_echo() {
    let server = Server::start();
    let command = format!(
        "ssh -p {} -i '{}' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o LogLevel=ERROR -tt till@127.0.0.1 teller whoami",
        server.port,
        server.till.display()
    );
    let tmux = Tmux::start(&command, 100, 30);
    tmux.wait_for("Email:");
    tmux.type_text(ADMIN);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Password for");
    tmux.type_text(PASSWORD);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("ssh-exit=");
    assert!(screen.contains("ssh-exit=0"), "{screen}");
    assert!(screen.contains(ADMIN), "{screen}");
    assert!(
        !screen.contains(PASSWORD),
        "the password was echoed:\n{screen}"
    );
}

#[test]
fn an_approval_travels_from_the_tellers_session_to_the_supervisors() {
    let server = Server::start();
    let from = server
        .teller
        .funded_account("payer@example.com", "50000.00");
    let to = server.teller.funded_account("payee@example.com", "0");

    // The admin serves the customer and sends a transfer above the limit to the supervisors.
    let till = app_over_ssh(&server, 100, 30);
    till.wait_for("Log in to teller");
    till.type_text(ADMIN);
    till.keys(&["Tab"]);
    till.type_text(PASSWORD);
    till.keys(&["Enter"]);
    till.wait_for("F2 Find");
    till.type_text("payer");
    till.wait_for("payer@example.com");
    till.keys(&["Enter"]);
    till.wait_for("Card");
    // The card draws before its accounts arrive: a key pressed then finds no account.
    till.wait_for("Movements of");
    till.keys(&["t"]);
    till.wait_for("Transfer");
    till.type_text(&to);
    till.keys(&["Tab"]);
    till.type_text("15000");
    till.keys(&["Enter"]);
    till.wait_for("Confirm");
    till.keys(&["Enter"]);
    till.wait_for("Ctrl-S");
    till.keys(&["C-s"]);
    till.wait_for("Request sent to the supervisors");

    // The second supervisor, on their own session, sees the badge and approves on F9.
    let boss = app_over_ssh(&server, 100, 30);
    boss.wait_for("Log in to teller");
    boss.type_text(BOSS);
    boss.keys(&["Tab"]);
    boss.type_text(PASSWORD);
    boss.keys(&["Enter"]);
    boss.wait_for("1 approval waiting (F9)");
    boss.keys(&["F9"]);
    boss.wait_for("15,000.00");
    boss.keys(&["a"]);
    boss.wait_for("Approve this request");
    boss.type_text(PASSWORD);
    boss.keys(&["Enter"]);
    boss.wait_for("Approved request");

    // The teller's screen goes on by itself: the receipt, approved by the supervisor.
    let receipt = till.wait_for("Receipt");
    assert!(receipt.contains(BOSS), "{receipt}");
    assert!(receipt.contains("till-1"), "{receipt}");
    assert_eq!(server.teller.balance(&to), "15000.00");
    let _ = from;
}
