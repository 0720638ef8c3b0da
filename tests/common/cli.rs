//! The real `teller` binary, driven the way a script drives it: a test's own database with
//! its app account, a first admin (drawer open) and a second admin who approves.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;
use teller::domain::{AccountNumber, Email, Role, Secret};
use teller::services::{Actor, Bank};

use super::{TestDb, PASSWORD};

pub const BIN: &str = env!("CARGO_BIN_EXE_teller");
pub const OS_USER: &str = "cli-tester";
pub const CUSTOMER_PASSWORD: &str = "customer-passphrase-1";

/// What one run of the binary left behind.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}): {self:?}"))
    }
}

/// A directory with no `.env` in it or above it, so only what a test passes counts.
pub fn empty_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("teller-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary with a clean, predictable environment (no `DATABASE_URL`, nobody logged in,
/// cheap bcrypt, a session file of this process's own).
pub fn bare_command() -> Command {
    let mut command = Command::new(BIN);
    command
        .env_remove("DATABASE_URL")
        .env_remove("TELLER_OWNER_URL")
        .env_remove("TELLER_USER")
        .env_remove("TELLER_PASSWORD")
        .env_remove("TELLER_APPROVER_PASSWORD")
        .env_remove("TELLER_ALLOW_OWNER_ACCOUNT")
        .env_remove("TELLER_DEMO_PASSWORD")
        .env("TELLER_BCRYPT_COST", "4")
        .env("TELLER_SESSION_FILE", empty_dir().join("no-session"))
        .env("USER", OS_USER)
        // No one's own configuration file: each test writes the one it needs.
        .env("XDG_CONFIG_HOME", empty_dir().join("no-config"))
        .current_dir(empty_dir());
    command
}

/// The admin every `Teller` starts with (bootstrapped, drawer open).
pub const ADMIN: &str = "admin@example.com";
/// The second admin, who approves (four eyes).
pub const BOSS: &str = "boss@example.com";

pub fn run(mut command: Command, stdin: Option<&str>) -> Out {
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("start teller");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // A command refused on its arguments may exit before it reads its input at all.
        if let Err(e) = pipe.write_all(text.as_bytes()) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    let output = child.wait_with_output().expect("wait for teller");
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A test's own database, its first admin (drawer open, so cash commands work) and the
/// binary pointed at its app account, acting as that admin.
pub struct Teller {
    pub db: TestDb,
}

impl Teller {
    pub fn new() -> Self {
        let db = TestDb::new();
        let mut bank = db.bank();
        bank.people()
            .bootstrap_admin(super::new_user(ADMIN, Role::Admin))
            .expect("bootstrap the admin");
        let admin = bank
            .people()
            .authenticate(&super::email(ADMIN), &Secret::new(PASSWORD.into()))
            .expect("admin logs in");
        super::open_drawer(&mut bank, &Actor::User(admin), "100x1000")
            .expect("open the admin's drawer");
        bank.people()
            .register_user(
                &Actor::setup("tests"),
                super::new_user(BOSS, Role::Admin),
                None,
            )
            .expect("a second admin to approve");
        // The admin's drawer holds 100,000.00 and takes the tests' large deposits: this bank's
        // drawers may hold that much (the owner's policy, as `teller migrate` stores it).
        db.owner_bank()
            .set_policy(teller::services::DRAWER_LIMIT, "100000000.00")
            .expect("the drawer limit");
        Self { db }
    }

    /// A set-up command, with the owner account (its URL in the environment: a password on
    /// the command line is there for every user to read in `ps`).
    pub fn owner(&self, args: &[&str]) -> Out {
        let mut command = self.anonymous(args);
        command.env("TELLER_OWNER_URL", &self.db.url);
        run(command, None)
    }

    /// The binary as the admin, with the second admin approving.
    pub fn approved(&self, args: &[&str]) -> Out {
        let mut command = self.command(args);
        command
            .args(["--approver", BOSS])
            .env("TELLER_APPROVER_PASSWORD", PASSWORD);
        run(command, None)
    }

    /// The binary as the admin.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_as(ADMIN, PASSWORD, args)
    }

    /// The binary as another person.
    pub fn command_as(&self, user: &str, password: &str, args: &[&str]) -> Command {
        let mut command = self.anonymous(args);
        command
            .env("TELLER_USER", user)
            .env("TELLER_PASSWORD", password);
        command
    }

    /// The binary with nobody logged in (the app account's URL in the environment, never on
    /// the command line).
    pub fn anonymous(&self, args: &[&str]) -> Command {
        let mut command = bare_command();
        command.env("DATABASE_URL", &self.db.app_url).args(args);
        command
    }

    pub fn run_as(&self, user: &str, password: &str, args: &[&str]) -> Out {
        run(self.command_as(user, password, args), None)
    }

    pub fn run(&self, args: &[&str]) -> Out {
        run(self.command(args), None)
    }

    /// With standard input; a supervisor's password is at hand for `--approver BOSS`.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Out {
        let mut command = self.command(args);
        command.env("TELLER_APPROVER_PASSWORD", PASSWORD);
        run(command, Some(stdin))
    }

    /// Runs a command that must succeed.
    pub fn ok(&self, args: &[&str]) -> Out {
        let out = self.run(args);
        assert_eq!(out.code, 0, "teller {args:?} failed: {out:?}");
        out
    }

    pub fn json(&self, args: &[&str]) -> Value {
        self.ok(args).json()
    }

    /// Runs a `--json` command that must fail with `exit` and the error `code`; returns the
    /// error object. Stdout must stay empty.
    pub fn fails(&self, args: &[&str], exit: i32, code: &str) -> Value {
        check_failure(&self.run(args), args, exit, code)
    }

    pub fn create_user(&self, address: &str, extra: &[&str]) -> Out {
        let mut args = vec![
            "user",
            "create",
            "--email",
            address,
            "--name",
            "Diana",
            "--age",
            "30",
            "--country",
            "USA",
        ];
        args.extend_from_slice(extra);
        self.run_with_stdin(&args, &format!("{CUSTOMER_PASSWORD}\n"))
    }

    pub fn customer(&self, address: &str) {
        let out = self.create_user(address, &[]);
        assert_eq!(out.code, 0, "create {address}: {out:?}");
    }

    pub fn open_account(&self, address: &str, currency: &str) -> String {
        let account = self.json(&["account", "open", address, "--currency", currency, "--json"]);
        account["number"].as_str().unwrap().to_string()
    }

    /// A new customer with one USD account holding `start`.
    pub fn funded_account(&self, address: &str, start: &str) -> String {
        self.customer(address);
        let number = self.open_account(address, "USD");
        if start != "0" {
            // Above the large-cash line the bank asks for the customer's ID.
            self.ok(&[
                "deposit",
                &number,
                start,
                "--id-type",
                "passport",
                "--id-number",
                "FIXTURE1",
                "--id-country",
                "US",
                "--id-expiry",
                "2099-12-31",
            ]);
        }
        number
    }

    pub fn balance(&self, account: &str) -> String {
        self.json(&["balance", account, "--json"])["balance"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn bank(&self) -> Bank {
        self.db.bank()
    }
}

pub fn check_failure(out: &Out, args: &[&str], exit: i32, code: &str) -> Value {
    assert_eq!(out.code, exit, "teller {args:?}: {out:?}");
    assert_eq!(out.stdout, "", "teller {args:?} printed to stdout: {out:?}");
    let error: Value = serde_json::from_str(out.stderr.trim())
        .unwrap_or_else(|e| panic!("stderr of {args:?} is not JSON ({e}): {out:?}"));
    assert_eq!(error["error"], code, "teller {args:?}: {error}");
    let message = error["message"].as_str().expect("message is a string");
    assert!(!message.trim().is_empty(), "empty message: {error}");
    error
}

pub fn log_in(bank: &mut Bank, address: &str, password: &str) -> Result<(), &'static str> {
    let email = Email::parse(address).unwrap();
    bank.people()
        .authenticate(&email, &Secret::new(password.into()))
        .map(drop)
        .map_err(|e| e.code())
}

pub fn str_of<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a string in {value}"))
}

pub fn is_rfc3339_utc(text: &str) -> bool {
    text.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// A valid account number nobody was given (customers get random serials from 100000000).
pub fn unused_account_number() -> String {
    AccountNumber::from_serial(100_000_000).unwrap().to_string()
}

/// `number` with one digit mistyped (the check digit must catch it).
pub fn mistyped(number: &str) -> String {
    let mut digits: Vec<u8> = number.bytes().collect();
    digits[4] = b'0' + (digits[4] - b'0' + 1) % 10;
    String::from_utf8(digits).unwrap()
}

/// Drops a database made by a test (and the app account of `app_url`, if any) when the test
/// ends, even when it fails.
pub struct Scratch {
    pub name: String,
    pub app_url: Option<String>,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Ok(mut server) = teller::db::connect(&super::server_url()) {
            let _ = teller::db::drop_database(&mut server, &self.name);
            let app = self.app_url.as_deref().map(teller::db::DatabaseUrl::parse);
            if let Some(Ok(app)) = app {
                let _ = teller::db::drop_app_account(&mut server, &app);
            }
        }
    }
}
