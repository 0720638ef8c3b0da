//! One SSH connection: its key decides whether it is let in (a registered, active device),
//! and each session channel on it runs the app (with a pty) or one command.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;

use russh::keys::HashAlg;
use russh::server::{Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, Pty};
use tokio::sync::mpsc;

use super::app_session::{self, AppSetup, Out};
use super::exec::{self, ClientEnv, ExecInput};
use super::input::InputParser;
use super::Shared;
use crate::domain::DeviceName;
use crate::tui::app::Action;

/// Channels one connection may hold open at once.
const MAX_CHANNELS: usize = 4;
/// Frames waiting for a slow link before the app waits for it.
const OUT_BUFFER: usize = 32;
/// Packets of a command's standard input waiting for it to read them.
const EXEC_INPUT_BUFFER: usize = 64;

/// What a session channel is doing.
#[derive(Default)]
struct ChannelState {
    env: ClientEnv,
    /// Columns and rows, when a pty was asked for.
    pty: Option<(u16, u16)>,
    app: Option<(Sender<Action>, InputParser)>,
    exec: Option<mpsc::Sender<ExecInput>>,
}

pub struct Connection {
    shared: Arc<Shared>,
    peer: SocketAddr,
    device: Option<DeviceName>,
    live_id: Option<u64>,
    started: Arc<AtomicBool>,
    channels: HashMap<ChannelId, ChannelState>,
}

impl Connection {
    pub fn new(shared: Arc<Shared>, peer: SocketAddr) -> Self {
        Self {
            shared,
            peer,
            device: None,
            live_id: None,
            started: Arc::new(AtomicBool::new(false)),
            channels: HashMap::new(),
        }
    }

    /// Set once the connection runs the app or a command.
    pub fn started(&self) -> Arc<AtomicBool> {
        self.started.clone()
    }

    fn registered(&self, key: &russh::keys::PublicKey) -> Option<DeviceName> {
        let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
        self.shared.registry.device_of(&fingerprint)
    }

    /// Starts the app on this channel.
    fn start_app(&mut self, id: ChannelId, session: &mut Session) -> Result<(), russh::Error> {
        let Some(device) = self.device.clone() else {
            return session.channel_failure(id);
        };
        let Some(state) = self.channels.get_mut(&id) else {
            return session.channel_failure(id);
        };
        let Some((width, height)) = state.pty else {
            // No terminal: nothing to draw on.
            let message = "teller: the app needs a terminal: connect with ssh -t, or name a command (ssh HOST teller balance ACCOUNT)\r\n";
            session.extended_data(id, 1, message.as_bytes().to_vec())?;
            session.exit_status_request(id, 2)?;
            session.eof(id)?;
            return session.close(id);
        };
        let tui = match self
            .shared
            .tui_config(state.env.theme(), state.env.no_color())
        {
            Ok(tui) => tui,
            Err(error) => {
                session.extended_data(id, 1, format!("teller: {error}\r\n").into_bytes())?;
                session.exit_status_request(id, 2)?;
                return session.close(id);
            }
        };
        let mut bank = self.shared.bank.clone();
        bank.device = device;
        let mut tui = tui;
        tui.device = Some(bank.device.to_string());
        let (out, outbox) = mpsc::channel(OUT_BUFFER);
        let setup = AppSetup {
            database_url: self.shared.database_url.clone(),
            bank,
            tui,
            width,
            height,
        };
        let actions = match app_session::start(setup, out) {
            Ok(actions) => actions,
            Err(error) => {
                tracing::error!(%error, "the session thread could not start");
                return session.close(id);
            }
        };
        if let Some(live) = self.live_id {
            self.shared.registry.add_app(live, actions.clone());
        }
        state.app = Some((actions, InputParser::default()));
        self.started.store(true, Ordering::Release);
        forward(session.handle(), id, outbox);
        session.channel_success(id)
    }
}

/// Sends what a session writes to its channel, then exit status, EOF and close.
pub(super) fn forward(
    handle: russh::server::Handle,
    id: ChannelId,
    mut outbox: mpsc::Receiver<Out>,
) {
    tokio::spawn(async move {
        while let Some(out) = outbox.recv().await {
            match out {
                Out::Data(bytes) => {
                    if handle.data(id, bytes).await.is_err() {
                        break;
                    }
                }
                Out::Stderr(bytes) => {
                    if handle.extended_data(id, 1, bytes).await.is_err() {
                        break;
                    }
                }
                Out::Exit(status) => {
                    let _ = handle.exit_status_request(id, status).await;
                    let _ = handle.eof(id).await;
                    let _ = handle.close(id).await;
                    break;
                }
            }
        }
    });
}

fn clamp(value: u32) -> u16 {
    u16::try_from(value).unwrap_or(u16::MAX).max(1)
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(match self.registered(offer.public_key) {
            Some(_) => Auth::Accept,
            None => Auth::reject(),
        })
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        // The SSH user name carries no identity: the key names the device.
        match self.registered(key.public_key) {
            Some(device) => {
                tracing::info!(peer = %self.peer, %device, "device connected");
                self.device = Some(device);
                Ok(Auth::Accept)
            }
            None => Ok(Auth::reject()),
        }
    }

    async fn auth_succeeded(&mut self, session: &mut Session) -> Result<(), Self::Error> {
        if let Some(device) = self.device.clone() {
            self.live_id = Some(self.shared.registry.register(device, session.handle()));
        }
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.device.is_none() || self.channels.len() >= MAX_CHANNELS {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        let id = channel.id();
        // Everything on the channel reaches this handler's callbacks; russh also queues it for
        // the `Channel` (100 messages), and once that queue is full the whole connection
        // waits: it is emptied, or a session froze after about 100 key presses.
        let mut channel = channel;
        tokio::spawn(async move { while channel.wait().await.is_some() {} });
        self.channels.insert(id, ChannelState::default());
        reply.accept().await;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Only the named variables are kept; none is ever logged (passwords travel here).
        if let Some(state) = self.channels.get_mut(&channel) {
            state.env.offer(name, value);
        }
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.get_mut(&channel) {
            state.pty = Some((clamp(col_width), clamp(row_height)));
        }
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.start_app(channel, session)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(device) = self.device.clone() else {
            return session.channel_failure(channel);
        };
        let Some(state) = self.channels.get_mut(&channel) else {
            return session.channel_failure(channel);
        };
        let line = String::from_utf8_lossy(data).into_owned();
        // Bounded: a workstation sending faster than the command reads waits (SSH's own flow
        // control) instead of filling the server's memory.
        let (input, inbox) = mpsc::channel(EXEC_INPUT_BUFFER);
        state.exec = Some(input);
        let request = exec::ExecRequest {
            line,
            env: std::mem::take(&mut state.env),
            device,
            pty: state.pty.is_some(),
            database_url: self.shared.database_url.clone(),
        };
        self.started.store(true, Ordering::Release);
        let (out, outbox) = mpsc::channel(OUT_BUFFER);
        forward(session.handle(), channel, outbox);
        tokio::spawn(exec::run(request, inbox, out));
        session.channel_success(channel)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(state) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        if let Some((actions, parser)) = state.app.as_mut() {
            for action in parser.feed(data) {
                if actions.send(action).is_err() {
                    break;
                }
            }
        } else if let Some(exec) = &state.exec {
            let _ = exec.send(ExecInput::Data(data.to_vec())).await;
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(exec) = self.channels.get(&channel).and_then(|s| s.exec.clone()) {
            let _ = exec.send(ExecInput::Eof).await;
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.get_mut(&channel) {
            let size = (clamp(col_width), clamp(row_height));
            state.pty = Some(size);
            if let Some((actions, _)) = &state.app {
                let _ = actions.send(Action::Resize(size.0, size.1));
            }
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.remove(&channel) {
            hang_up(&state);
        }
        Ok(())
    }
}

/// The app stops and its login ends. A command that had its whole input (the client's EOF)
/// finishes (its transaction is whole either way) but hears nothing more; one still reading
/// its input is stopped when the channel's state, and with it the input's sender, is dropped.
fn hang_up(state: &ChannelState) {
    if let Some((actions, _)) = &state.app {
        let _ = actions.send(Action::Hangup);
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        for state in self.channels.values() {
            hang_up(state);
        }
        match self.live_id {
            Some(id) => self.shared.registry.forget(id),
            None => self.shared.registry.failed(self.peer.ip()),
        }
    }
}
