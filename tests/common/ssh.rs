//! `teller serve` for the tests that reach it over SSH: the workstation's key pair, the server
//! on a free loopback port, and the `ssh` command a till runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::cli::{bare_command, Teller, BOSS};

/// A key pair made by `ssh-keygen`, as a workstation makes it.
pub fn key_pair(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .output()
        .expect("ssh-keygen is needed for this test (apt-get install openssh-client)");
    assert!(out.status.success(), "{out:?}");
    path
}

/// A test's bank with one registered device (`till-1`, approved by a second admin) and a key
/// nobody registered, both in `dir` (where the server keeps its host key and state too).
pub struct Branch {
    pub teller: Teller,
    pub dir: tempfile::TempDir,
    pub till: PathBuf,
    pub stranger: PathBuf,
}

impl Branch {
    pub fn new() -> Self {
        let teller = Teller::new();
        let dir = tempfile::tempdir().expect("a temporary folder");
        let till = key_pair(dir.path(), "till");
        let stranger = key_pair(dir.path(), "stranger");
        let pub_key = format!("{}.pub", till.display());
        let out = teller.approved(&["device", "add", "till-1", "--key", &pub_key, "--json"]);
        assert_eq!(out.code, 0, "device add: {out:?}");
        assert_eq!(out.json()["approved_by"], BOSS);
        Self {
            teller,
            dir,
            till,
            stranger,
        }
    }
}

/// A started `teller serve`: the process, its port and its first line (the port and the host
/// key's fingerprint).
pub struct Serving {
    pub child: Child,
    pub port: u16,
    pub first_line: String,
}

/// Starts `teller serve` on a free port of 127.0.0.1 for the app account `app_url`, with its
/// host key and state under `dir` (the same `dir` again keeps the host key).
pub fn start_serve(app_url: &str, dir: &Path) -> Serving {
    let mut command = bare_command();
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
        .arg(dir.join("host_key"))
        .env("DATABASE_URL", app_url)
        .env("XDG_STATE_HOME", dir.join("state"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command.spawn().expect("start teller serve");
    let stdout = child.stdout.take().expect("the server's standard output");
    let mut lines = BufReader::new(stdout).lines();
    let first_line = lines
        .next()
        .expect("teller serve printed nothing")
        .expect("read the server's first line");
    // "teller serve: listening on 127.0.0.1:PORT; host key ..."
    let port = first_line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first_line:?}"));
    std::thread::spawn(move || for _ in lines {});
    Serving {
        child,
        port,
        first_line,
    }
}

/// `ssh` to the server on `port` with a device `key`, `SetEnv` requests (`env`, may be empty)
/// and options of its own (`extra`); the arguments come after.
pub fn ssh_command(port: u16, key: &Path, env: &str, extra: &[&str]) -> Command {
    let mut command = Command::new("ssh");
    command
        .args(["-p", &port.to_string(), "-i"])
        .arg(key)
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=20",
            "-o",
            "LogLevel=ERROR",
        ])
        .args(extra);
    if !env.is_empty() {
        command.arg("-o").arg(format!("SetEnv={env}"));
    }
    command.arg("any-name@127.0.0.1");
    command
}

/// `teller ARGS` on the server on `port`, as `ssh_command` makes it. ssh itself would take a
/// leading `--flag`: the command names `teller` first then.
pub fn teller_over_ssh(port: u16, key: &Path, env: &str, extra: &[&str], args: &[&str]) -> Command {
    let mut command = ssh_command(port, key, env, extra);
    if args.first().is_some_and(|a| a.starts_with('-')) {
        command.arg("teller");
    }
    command.args(args);
    command
}

/// Runs `command` with `stdin`, killing it (and failing) if it takes longer than `patience`.
pub fn run_bounded(mut command: Command, stdin: &str, patience: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssh is needed for this test (apt-get install openssh-client)");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out_pipe.read_to_end(&mut bytes);
        bytes
    });
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = err_pipe.read_to_end(&mut bytes);
        bytes
    });
    let deadline = Instant::now() + patience;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} took longer than {patience:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = writer.join();
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}
