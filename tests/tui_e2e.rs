//! End to end: the real `teller` binary in tmux at 80x24 against a fresh test database with the
//! demo loaded. Log in as a demo customer, see the balance screen, quit. Every wait is bounded.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_teller");
const PATIENCE: Duration = Duration::from_secs(30);
const EXIT_MARK: &str = "teller-exit-status=";

fn tmux(args: &[&str]) -> Output {
    Command::new("tmux")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("tmux is needed for this test (apt-get install tmux): {e}"))
}

/// A tmux session of our own, killed however the test ends.
struct Session {
    name: String,
    /// The file (mode 0600) the session's DATABASE_URL is read from, removed with it.
    secrets: Option<std::path::PathBuf>,
}

impl Session {
    /// Runs `command` in a new 80x24 session; afterwards the pane prints its exit status and
    /// stays open, so the test can read how it ended.
    fn start(command: &str) -> Self {
        let name = format!(
            "teller-e2e-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        );
        let shell = format!("{command}; echo {EXIT_MARK}$?; sleep 600");
        let out = tmux(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "80",
            "-y",
            "24",
            &shell,
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Self {
            name,
            secrets: None,
        }
    }

    /// Loads the demo bank into `db`, then starts the real app on it with `env` (shell-quoted
    /// `NAME='value'` pairs) and waits for the login screen.
    fn on_demo_bank(db: &TestDb, env: &str) -> Self {
        let demo = Command::new(BIN)
            .arg("demo")
            .env("DATABASE_URL", &db.app_url)
            .env("TELLER_OWNER_URL", &db.url)
            .env("TELLER_BCRYPT_COST", "4")
            .output()
            .expect("run teller demo");
        assert!(
            demo.status.success(),
            "{}",
            String::from_utf8_lossy(&demo.stderr)
        );
        Self::on_bank(db, env)
    }

    /// Starts the real app on `db` with `env` and waits for the login screen.
    /// The app account's URL goes through a file only this user can read, never into a
    /// command line (tmux's and `env`'s arguments are there for every user to read in `ps`).
    fn on_bank(db: &TestDb, env: &str) -> Self {
        let secrets = std::env::temp_dir().join(format!(
            "teller-e2e-env-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        teller::files::write(&secrets, format!("DATABASE_URL='{}'\n", db.app_url))
            .expect("write the session's environment");
        let command = format!(
            "set -a; . '{}'; set +a; env TELLER_BCRYPT_COST=4 {env} TERM=xterm-256color '{BIN}'",
            secrets.display()
        );
        let mut session = Self::start(&command);
        session.secrets = Some(secrets);
        session.wait_for("Log in to teller");
        session
    }

    fn log_in(&self, email: &str, password: &str) {
        self.type_text(email);
        self.send(&["Tab"]);
        self.type_text(password);
        self.send(&["Enter"]);
    }

    /// The exact session's current pane, never a prefix match with someone else's.
    fn target(&self) -> String {
        format!("={}:", self.name)
    }

    fn screen(&self) -> String {
        let out = tmux(&["capture-pane", "-p", "-t", &self.target()]);
        assert!(out.status.success(), "the tmux session is gone");
        String::from_utf8_lossy(&out.stdout).into()
    }

    fn send(&self, keys: &[&str]) {
        let target = self.target();
        let mut args = vec!["send-keys", "-t", target.as_str()];
        args.extend_from_slice(keys);
        assert!(tmux(&args).status.success());
    }

    /// Types text literally (no key names).
    fn type_text(&self, text: &str) {
        assert!(tmux(&["send-keys", "-t", &self.name, "-l", text])
            .status
            .success());
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends `key` (`q`, `C-c`) and checks that the program exits with status 0.
    fn quit_with(&self, key: &str) {
        self.send(&[key]);
        let status = self.wait_exit();
        assert_eq!(status, "0", "exit status; the screen:\n{}", self.screen());
    }

    /// Waits until the program has exited; returns its exit status.
    fn wait_exit(&self) -> String {
        let screen = self.wait_for(EXIT_MARK);
        screen
            .lines()
            .find_map(|line| line.trim().strip_prefix(EXIT_MARK))
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

/// A file's text (empty if there is none), and the file removed.
fn take_file(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let _ = std::fs::remove_file(path);
    text
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &format!("={}", self.name)])
            .output();
        if let Some(secrets) = &self.secrets {
            let _ = std::fs::remove_file(secrets);
        }
    }
}

#[test]
fn real_binary_in_tmux_log_in_see_balance_quit() {
    let db = TestDb::new();
    let log = std::env::temp_dir().join(format!("teller-e2e-{}.log", std::process::id()));
    let session = Session::on_demo_bank(&db, &format!("TELLER_LOG='{}'", log.display()));
    session.log_in("di.julis@icloud.com", "lesson-demo-2026");
    // Her opening deposit: the accounts have arrived from the worker, not just the frame.
    let screen = session.wait_for("1,137.25");
    assert!(screen.contains("My accounts"), "{screen}");
    assert!(screen.contains("Diana Julis"), "{screen}");
    assert!(screen.contains("USD"), "{screen}");
    assert!(screen.contains("open"), "{screen}");
    let screen = session.wait_for("Last movements of");
    assert!(
        !screen.contains("lesson-demo-2026"),
        "the password is never shown"
    );

    session.quit_with("q");

    // Diagnostics went to the log file, not the screen, and no password went anywhere.
    let written = take_file(&log);
    assert!(written.contains("logged in"), "log:\n{written}");
    assert!(
        !written.contains("lesson-demo-2026"),
        "a password reached the log"
    );
}

#[test]
fn without_a_terminal_it_says_so_instead_of_drawing() {
    let db = TestDb::new();
    let out = Command::new(BIN)
        .env("DATABASE_URL", &db.url)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run teller");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing drawn on a pipe");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
}

#[test]
fn real_binary_in_tmux_a_teller_opens_the_drawer_and_takes_a_deposit() {
    let db = TestDb::new();
    let log = std::env::temp_dir().join(format!("teller-e2e-teller-{}.log", std::process::id()));
    let receipts = std::env::temp_dir().join(format!("teller-e2e-receipts-{}", std::process::id()));
    let env = format!(
        "TELLER_LOG='{}' TELLER_EXPORT_DIR='{}'",
        log.display(),
        receipts.display()
    );
    let session = Session::on_demo_bank(&db, &env);
    session.log_in("teller@bank.local", "teller-demo-2026");
    session.wait_for("Find a customer");

    // The drawer: 10 x 100.
    session.send(&["F5"]);
    session.wait_for("Open my drawer");
    session.send(&["Tab"]);
    session.type_text("10");
    session.wait_for("1,000.00");
    session.send(&["Enter"]);
    // The float comes from the vault the demo opened: the supervisor approves it.
    session.wait_for("Supervisor approval");
    session.type_text("admin@bank.local");
    session.send(&["Tab"]);
    session.type_text("admin-demo-2026!");
    session.send(&["Enter"]);
    session.wait_for("shown after the blind close");

    // Find Diana, deposit 50.00 and write the receipt.
    session.send(&["F2"]);
    session.type_text("di.julis");
    session.wait_for("1 found");
    session.send(&["Enter"]);
    session.wait_for("Customer di.julis@icloud.com");
    // Wait for her account (the card loads it on the worker) before asking for a deposit.
    session.wait_for("1,137.25");
    session.send(&["d"]);
    session.wait_for("Cash deposit");
    session.type_text("50");
    session.send(&["Enter"]);
    session.wait_for("fifty dollars");
    session.send(&["Enter"]);
    session.wait_for("Done, reference #");
    session.send(&["p"]);
    let screen = session.wait_for("Receipt written to");
    assert!(
        !screen.contains("teller-demo-2026"),
        "the password is never shown"
    );

    session.quit_with("C-c");
    let written = take_file(&log);
    let receipt_files = std::fs::read_dir(&receipts).map_or(0, Iterator::count);
    let _ = std::fs::remove_dir_all(&receipts);
    assert_eq!(receipt_files, 1);
    assert!(
        !written.contains("teller-demo-2026"),
        "a password reached the log"
    );
}

#[test]
fn real_binary_in_tmux_the_palette_finds_a_customer_and_an_action() {
    let db = TestDb::new();
    let session = Session::on_demo_bank(&db, "");
    session.log_in("teller@bank.local", "teller-demo-2026");
    session.wait_for("Find a customer");

    // Ctrl-P, then a name: the bank's customer search answers through the worker.
    session.send(&["C-p"]);
    session.wait_for("Commands");
    session.type_text("julis");
    // No action has a "j": her line is the only one, and chosen.
    session.wait_for("Customer Diana Julis");
    session.send(&["Enter"]);
    session.wait_for("Customer di.julis@icloud.com");

    // ':' opens it too when nothing is typed; fuzzy: "drwr" finds the drawer.
    session.send(&[":"]);
    session.wait_for("Commands");
    session.type_text("go drwr");
    session.wait_for("Go to Drawer");
    session.send(&["Enter"]);
    session.wait_for("Open my drawer");

    session.quit_with("C-c");
}

/// SGR parameters that set a colour (foreground, background, 256 and true colour).
fn colour_codes(escaped: &str) -> Vec<String> {
    let mut found = Vec::new();
    for sequence in escaped.split("\u{1b}[").skip(1) {
        let Some(end) = sequence.find('m') else {
            continue;
        };
        let params = &sequence[..end];
        if !params.chars().all(|c| c.is_ascii_digit() || c == ';') {
            continue;
        }
        for param in params.split(';') {
            let colour = matches!(
                param.parse::<u16>(),
                Ok(30..=39 | 40..=49 | 90..=97 | 100..=107)
            );
            if colour && param != "39" && param != "49" {
                found.push(params.to_string());
            }
        }
    }
    found
}

/// The login screen of the real binary, with the pane's escapes (`capture-pane -e`).
fn login_screen_escapes(db: &TestDb, env: &str) -> String {
    let session = Session::on_demo_bank(db, env);
    session.type_text("di");
    session.wait_for("di");
    let out = tmux(&["capture-pane", "-p", "-e", "-t", &session.target()]);
    session.send(&["C-c"]);
    session.send(&["y"]);
    String::from_utf8_lossy(&out.stdout).into()
}

#[test]
fn real_binary_in_tmux_no_color_means_no_colour_escapes() {
    let db = TestDb::new();
    // The focused field is coloured normally: the check below can fail.
    let coloured = login_screen_escapes(&db, "");
    assert!(!colour_codes(&coloured).is_empty(), "{coloured:?}");
    let plain = login_screen_escapes(&db, "NO_COLOR=1");
    assert_eq!(colour_codes(&plain), Vec::<String>::new(), "{plain:?}");
    // Focus still shows without colour: the marker and bold/underline/reverse.
    assert!(plain.contains('▶'), "{plain:?}");
    assert!(
        plain.contains("\u{1b}[1m") || plain.contains(";1m") || plain.contains("[1;"),
        "{plain:?}"
    );
}

/// The branch's day in the real binary: the supervisor opens the vault, the teller's float
/// is approved on the teller's screen, a 12,000.00 cash deposit asks for the customer's ID,
/// the drawer closes blind, the vault is counted, the day closes and its report is written.
#[test]
fn real_binary_in_tmux_the_branchs_day_from_vault_to_report() {
    use common::{customer_with_account, user, PASSWORD};
    use teller::domain::Role;
    let db = TestDb::new();
    {
        let mut bank = db.bank();
        user(&mut bank, "boss@bank.local", Role::Admin);
        user(&mut bank, "tess@bank.local", Role::Teller);
        customer_with_account(&mut bank, "nina@example.com", "100.00");
    }
    let reports = std::env::temp_dir().join(format!("teller-e2e-day-{}", std::process::id()));
    let env = format!("TELLER_EXPORT_DIR='{}'", reports.display());

    // The supervisor opens the vault with a blind count: 200 x 100.00.
    let boss = Session::on_bank(&db, &env);
    boss.log_in("boss@bank.local", PASSWORD);
    boss.wait_for("Find a customer");
    boss.send(&["F8"]);
    boss.wait_for("The vault is not open today");
    boss.send(&["o"]);
    boss.wait_for("Open the vault: count it");
    boss.send(&["Tab"]);
    boss.type_text("200");
    boss.wait_for("20,000.00");
    boss.send(&["Enter"]);
    boss.wait_for("The vault's day is open: USD 20,000.00.");
    boss.quit_with("C-c");

    // The teller asks for a float of 50 x 100.00; the supervisor approves it on her screen.
    let tess = Session::on_bank(&db, &env);
    tess.log_in("tess@bank.local", PASSWORD);
    tess.wait_for("Find a customer");
    tess.send(&["F5"]);
    tess.wait_for("Open my drawer");
    tess.send(&["Tab"]);
    tess.type_text("50");
    tess.wait_for("5,000.00");
    tess.send(&["Enter"]);
    tess.wait_for("Supervisor approval");
    tess.type_text("boss@bank.local");
    tess.send(&["Tab"]);
    tess.type_text(PASSWORD);
    tess.send(&["Enter"]);
    tess.wait_for("Drawer open with a float of USD 5,000.00.");

    // 12,000.00 in cash: above the large-cash line, the customer's ID is recorded.
    tess.send(&["F2"]);
    tess.type_text("nina@example.com");
    tess.wait_for("1 found");
    tess.send(&["Enter"]);
    tess.wait_for("Customer nina@example.com");
    tess.wait_for("100.00");
    tess.send(&["d"]);
    tess.wait_for("Cash deposit");
    tess.type_text("12000");
    tess.send(&["Enter"]);
    tess.wait_for("twelve thousand dollars");
    tess.send(&["Enter"]);
    tess.wait_for("Customer identification");
    tess.type_text("P7654321");
    tess.send(&["Tab"]);
    tess.type_text("US");
    tess.send(&["Tab"]);
    tess.type_text("2031-05-31");
    tess.send(&["Enter"]);
    tess.wait_for("Done, reference #");

    // The blind close: 170 x 100.00, the float and the deposit.
    tess.send(&["F5"]);
    tess.wait_for("shown after the blind close");
    tess.send(&["c"]);
    tess.wait_for("Close my drawer: count the cash");
    tess.type_text("170");
    tess.wait_for("17,000.00");
    tess.send(&["Enter"]);
    tess.wait_for("Close the drawer?");
    tess.send(&["Enter"]);
    tess.wait_for("Drawer closed");
    tess.quit_with("C-c");

    // The supervisor counts the vault (150 left + 170 back) and closes the day.
    let boss = Session::on_bank(&db, &env);
    boss.log_in("boss@bank.local", PASSWORD);
    boss.wait_for("Find a customer");
    boss.send(&["F8"]);
    boss.wait_for("cash_return");
    boss.send(&["c"]);
    boss.wait_for("Count the vault");
    boss.send(&["Tab"]);
    boss.type_text("320");
    boss.wait_for("32,000.00");
    boss.send(&["Enter"]);
    boss.wait_for("The vault is counted; over/short 0.00.");
    boss.send(&["e"]);
    boss.wait_for("Close the day?");
    boss.send(&["Enter"]);
    let closed = boss.wait_for("Day closed. Report:");
    assert!(closed.contains("The day is closed."), "{closed}");
    boss.quit_with("C-c");

    let day = chrono::Utc::now().date_naive();
    let text = std::fs::read_to_string(reports.join(format!("eod-{day}.txt"))).unwrap_or_default();
    let pdf = std::fs::read(reports.join(format!("eod-{day}.pdf"))).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&reports);
    assert!(text.contains("tess@bank.local"), "{text}");
    assert!(text.contains("AUDIT: every invariant holds"), "{text}");
    assert!(text.contains("1 customer(s) to report"), "{text}");
    assert!(pdf.starts_with(b"%PDF"), "the PDF report");
}
