//! One CLI command for a device: this same binary, started with a clean environment (the
//! server's database URL, the device's name and the few variables the workstation may send),
//! so its output, JSON and exit codes are exactly the local CLI's. Standard input and output
//! are the channel's; with a pty, a missing password is asked for here, without echo.

use std::process::Stdio;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use super::app_session::Out;
use super::DEVICE_VAR;
use crate::domain::DeviceName;

/// What the workstation may set (SSH environment requests); everything else is ignored.
const CLIENT_VARS: [&str; 6] = [
    "TELLER_USER",
    "TELLER_PASSWORD",
    "TELLER_APPROVER_PASSWORD",
    "NO_COLOR",
    "TELLER_THEME",
    "LANG",
];

/// What the command inherits from the server: never the owner account, never a session file.
const SERVER_VARS: [&str; 10] = [
    "TELLER_ALLOW_OWNER_ACCOUNT",
    "TELLER_ALLOW_PLAINTEXT",
    "TELLER_LOG",
    "TELLER_LOG_LEVEL",
    "TELLER_EXPORT_DIR",
    "HOME",
    "PATH",
    "XDG_CONFIG_HOME",
    "XDG_STATE_HOME",
    "TMPDIR",
];

/// The variables a workstation sent that teller honours.
#[derive(Default)]
pub struct ClientEnv {
    values: Vec<(&'static str, String)>,
}

impl ClientEnv {
    /// Keeps `name` if it is one of the honoured variables (the last value wins).
    pub fn offer(&mut self, name: &str, value: &str) {
        if let Some(known) = CLIENT_VARS.iter().find(|v| **v == name) {
            self.values.retain(|(n, _)| n != known);
            self.values.push((known, value.to_string()));
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn theme(&self) -> Option<&str> {
        self.get("TELLER_THEME")
    }

    pub fn no_color(&self) -> bool {
        self.get("NO_COLOR").is_some()
    }
}

pub enum ExecInput {
    Data(Vec<u8>),
    Eof,
}

pub struct ExecRequest {
    pub line: String,
    pub env: ClientEnv,
    pub device: DeviceName,
    pub pty: bool,
    pub database_url: String,
}

/// Runs the command and reports its exit status through `out`.
pub async fn run(
    mut request: ExecRequest,
    mut input: mpsc::Receiver<ExecInput>,
    out: mpsc::Sender<Out>,
) {
    let status = match prepare(&mut request, &mut input, &out).await {
        Ok(args) => spawn(&request, args, input, &out).await,
        Err(status) => status,
    };
    let _ = out.send(Out::Exit(status)).await;
}

/// Splits the command line with shell rules (the client's quoting arrives as one string),
/// drops a leading `teller`, and asks for what a terminal may be asked for.
async fn prepare(
    request: &mut ExecRequest,
    input: &mut mpsc::Receiver<ExecInput>,
    out: &mpsc::Sender<Out>,
) -> Result<Vec<String>, u32> {
    let mut args = match shell_words::split(&request.line) {
        Ok(args) => args,
        Err(_) => {
            say(
                out,
                request.pty,
                "teller: the command line has an unclosed quote\n",
            )
            .await;
            return Err(2);
        }
    };
    if args.first().is_some_and(|a| a == "teller") {
        args.remove(0);
    }
    if request.pty && needs_person(&args) {
        if request.env.get("TELLER_USER").is_none() && !names_user(&args) {
            let email = ask(input, out, "Email: ", true).await?;
            request.env.offer("TELLER_USER", &email);
        }
        if request.env.get("TELLER_PASSWORD").is_none() {
            let who = request.env.get("TELLER_USER").unwrap_or("you").to_string();
            let password = ask(input, out, &format!("Password for {who}: "), false).await?;
            request.env.offer("TELLER_PASSWORD", &password);
        }
        if args
            .iter()
            .any(|a| a == "--approver" || a.starts_with("--approver="))
            && request.env.get("TELLER_APPROVER_PASSWORD").is_none()
        {
            let password = ask(input, out, "Password of the approving supervisor: ", false).await?;
            request.env.offer("TELLER_APPROVER_PASSWORD", &password);
        }
    }
    Ok(args)
}

/// Every command but help and version acts as a person.
fn needs_person(args: &[String]) -> bool {
    !args.is_empty()
        && !args
            .iter()
            .any(|a| matches!(a.as_str(), "-h" | "--help" | "-V" | "--version" | "help"))
}

fn names_user(args: &[String]) -> bool {
    args.iter()
        .any(|a| a == "--user" || a.starts_with("--user="))
}

/// A prompt on the workstation's terminal; the answer is read without echo for passwords.
/// Ctrl-C or Ctrl-D gives up (exit 130).
async fn ask(
    input: &mut mpsc::Receiver<ExecInput>,
    out: &mpsc::Sender<Out>,
    prompt: &str,
    echo: bool,
) -> Result<String, u32> {
    let _ = out.send(Out::Data(prompt.as_bytes().to_vec())).await;
    let mut answer: Vec<u8> = Vec::new();
    loop {
        let Some(ExecInput::Data(bytes)) = input.recv().await else {
            return Err(130);
        };
        for byte in bytes {
            match byte {
                b'\r' | b'\n' => {
                    let _ = out.send(Out::Data(b"\r\n".to_vec())).await;
                    return Ok(String::from_utf8_lossy(&answer).trim().to_string());
                }
                0x03 | 0x04 => {
                    let _ = out.send(Out::Data(b"\r\n".to_vec())).await;
                    return Err(130);
                }
                0x7f | 0x08 if answer.pop().is_some() && echo => {
                    let _ = out.send(Out::Data(b"\x08 \x08".to_vec())).await;
                }
                byte if answer.len() < 1024 => {
                    answer.push(byte);
                    if echo {
                        let _ = out.send(Out::Data(vec![byte])).await;
                    }
                }
                _ => {}
            }
        }
    }
}

/// The server could not start the command (no binary, no process): exit 3, as for a server
/// that is unavailable.
async fn cannot_run(out: &mpsc::Sender<Out>, pty: bool, error: &std::io::Error) -> u32 {
    tracing::error!(%error, "cannot start a command");
    say(out, pty, "teller: the server cannot run commands now\n").await;
    3
}

async fn say(out: &mpsc::Sender<Out>, pty: bool, text: &str) {
    let _ = out.send(Out::Data(lines_for(pty, text.as_bytes()))).await;
}

/// A pty's terminal is raw on the workstation: a newline needs its carriage return.
fn lines_for(pty: bool, bytes: &[u8]) -> Vec<u8> {
    if !pty {
        return bytes.to_vec();
    }
    let mut converted = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    for byte in bytes {
        if *byte == b'\n' {
            converted.push(b'\r');
        }
        converted.push(*byte);
    }
    converted
}

async fn spawn(
    request: &ExecRequest,
    args: Vec<String>,
    mut input: mpsc::Receiver<ExecInput>,
    out: &mpsc::Sender<Out>,
) -> u32 {
    let program = match std::env::current_exe() {
        Ok(path) => path,
        Err(error) => return cannot_run(out, request.pty, &error).await,
    };
    let mut command = tokio::process::Command::new(program);
    command
        .args(&args)
        .env_clear()
        .env("DATABASE_URL", &request.database_url)
        .env(DEVICE_VAR, request.device.as_str())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in SERVER_VARS {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    for (name, value) in &request.env.values {
        command.env(name, value);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => return cannot_run(out, request.pty, &error).await,
    };
    tracing::info!(device = %request.device, command = args.first().map_or("", String::as_str), "command");
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return 3;
    };
    // The workstation's input, until its EOF. A channel gone without EOF (the client was cut
    // off) left the input short: the command is stopped before it could read a part of a file
    // as the whole (`batch post -`), and its standard input stays open until then.
    let (cut_off, mut was_cut_off) = tokio::sync::oneshot::channel::<()>();
    let feeder = tokio::spawn(async move {
        loop {
            match input.recv().await {
                Some(ExecInput::Data(bytes)) => {
                    if stdin.write_all(&bytes).await.is_err() {
                        break;
                    }
                }
                Some(ExecInput::Eof) => break,
                None => {
                    let _ = cut_off.send(());
                    // No EOF: the command is stopped, then this task is aborted.
                    std::future::pending::<()>().await;
                    return;
                }
            }
        }
        drop(stdin);
    });
    let pty = request.pty;
    let to_out = out.clone();
    let copy_out = tokio::spawn(async move { pump(&mut stdout, &to_out, pty, false).await });
    let to_err = out.clone();
    let copy_err = tokio::spawn(async move { pump(&mut stderr, &to_err, pty, true).await });
    let status = tokio::select! {
        status = child.wait() => status,
        Ok(()) = &mut was_cut_off => {
            tracing::info!(device = %request.device, "the client left before the end of its input: the command is stopped");
            let _ = child.start_kill();
            child.wait().await
        }
    };
    let _ = copy_out.await;
    let _ = copy_err.await;
    feeder.abort();
    match status {
        Ok(status) => status.code().map_or(3, |c| u32::try_from(c).unwrap_or(3)),
        Err(_) => 3,
    }
}

/// Copies one of the command's outputs to the channel. Standard error goes as SSH's extended
/// data, except on a pty, where (as with OpenSSH) both share the terminal.
async fn pump(
    from: &mut (impl AsyncReadExt + Unpin),
    out: &mpsc::Sender<Out>,
    pty: bool,
    stderr: bool,
) {
    let mut buffer = vec![0u8; 32 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let bytes = lines_for(pty, &buffer[..n]);
        let message = if stderr && !pty {
            Out::Stderr(bytes)
        } else {
            Out::Data(bytes)
        };
        if out.send(message).await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_variables_are_kept() {
        let mut env = ClientEnv::default();
        env.offer("TELLER_USER", "t@bank.local");
        env.offer("DATABASE_URL", "mysql://evil");
        env.offer("LD_PRELOAD", "/tmp/x.so");
        env.offer("NO_COLOR", "1");
        env.offer("TELLER_USER", "u@bank.local");
        assert_eq!(env.get("TELLER_USER"), Some("u@bank.local"));
        assert_eq!(env.get("DATABASE_URL"), None);
        assert_eq!(env.get("LD_PRELOAD"), None);
        assert!(env.no_color());
        assert_eq!(env.values.len(), 2);
    }

    #[test]
    fn a_pty_gets_carriage_returns() {
        assert_eq!(lines_for(true, b"a\nb\n"), b"a\r\nb\r\n");
        assert_eq!(lines_for(false, b"a\nb\n"), b"a\nb\n");
    }

    #[test]
    fn help_needs_nobody() {
        let args = |s: &str| shell_words::split(s).unwrap();
        assert!(needs_person(&args("balance 1234567890 --json")));
        assert!(!needs_person(&args("balance --help")));
        assert!(!needs_person(&args("")));
        assert!(names_user(&args("balance 1 --user a@b.c")));
    }
}
