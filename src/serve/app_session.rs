//! The full-screen app on an SSH channel: one thread owns the `Terminal`, the app and its
//! worker (with its own database connection), exactly as the local app does; the terminal's
//! bytes go to the channel instead of stdout, its size comes from the pty and window-change
//! requests, and key presses arrive from the channel already parsed.

use std::io::Write;
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;

use ratatui::backend::CrosstermBackend;
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::layout::{Position, Size};
use ratatui::Terminal;
use tokio::sync::mpsc::Sender as AsyncSender;

use crate::services::BankConfig;
use crate::tui::app::{Action, App};
use crate::tui::clock::SystemClock;
use crate::tui::worker::{WorkerConfig, WorkerHandle};
use crate::tui::TuiConfig;

/// What a session sends to its channel.
#[derive(Debug)]
pub enum Out {
    Data(Vec<u8>),
    /// A command's standard error (SSH extended data 1).
    Stderr(Vec<u8>),
    /// The app or the command ended with this status: exit-status, EOF, close.
    Exit(u32),
}

/// The terminal's output: bytes are kept until ratatui flushes a frame, then go to the
/// channel as one message. A full channel (a slow link) holds the session back; a closed one
/// (the client left) fails the write, which ends the session.
pub struct ChannelWriter {
    out: AsyncSender<Out>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    pub fn new(out: AsyncSender<Out>) -> Self {
        Self {
            out,
            buffer: Vec::with_capacity(16 * 1024),
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let frame = std::mem::take(&mut self.buffer);
        self.out
            .blocking_send(Out::Data(frame))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

/// What one served app needs.
pub struct AppSetup {
    pub database_url: String,
    pub bank: BankConfig,
    pub tui: TuiConfig,
    pub width: u16,
    pub height: u16,
}

/// Starts the app on a thread of its own; returns where its key presses go.
pub fn start(setup: AppSetup, out: AsyncSender<Out>) -> std::io::Result<Sender<Action>> {
    let (actions, inbox) = mpsc::channel();
    let for_worker = actions.clone();
    std::thread::Builder::new()
        .name("teller-session".into())
        .spawn(move || {
            let status = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run(setup, for_worker, &inbox, out.clone())
            })) {
                Ok(Ok(())) => 0,
                Ok(Err(error)) => {
                    tracing::warn!(%error, "a served session ended with an error");
                    1
                }
                Err(_) => {
                    tracing::error!("a served session panicked; the server goes on");
                    // The screen is put back even so.
                    let mut writer = ChannelWriter::new(out.clone());
                    let _ = leave(&mut writer, true);
                    2
                }
            };
            let _ = out.blocking_send(Out::Exit(status));
        })?;
    Ok(actions)
}

fn run(
    setup: AppSetup,
    actions: Sender<Action>,
    inbox: &mpsc::Receiver<Action>,
    out: AsyncSender<Out>,
) -> std::io::Result<()> {
    let AppSetup {
        database_url,
        bank,
        tui,
        width,
        height,
    } = setup;
    let mouse = tui.mouse;
    let worker = WorkerHandle::spawn(WorkerConfig::new(database_url, bank), actions)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut writer = ChannelWriter::new(out);
    enter(&mut writer, mouse)?;
    let mut terminal = Terminal::new(ServedBackend {
        inner: CrosstermBackend::new(writer),
        size: Size::new(width.max(1), height.max(1)),
        cursor: Position::ORIGIN,
    })?;
    terminal.clear()?;
    let mut app = App::new(tui, Arc::new(SystemClock));
    // ratatui reads the new size from the backend before the next frame and redraws it all.
    let result = crate::tui::run_loop_with(&mut terminal, &mut app, inbox, &worker, |t, w, h| {
        t.backend_mut().size = Size::new(w.max(1), h.max(1));
        Ok(())
    });
    // Whatever ended the loop, the workstation's terminal is put back as it was.
    let _ = leave(terminal.backend_mut(), mouse);
    drop(worker);
    result
}

/// The alternate screen, no cursor, and clicks when the mouse is on.
fn enter(writer: &mut impl Write, mouse: bool) -> std::io::Result<()> {
    execute!(writer, EnterAlternateScreen, Hide)?;
    if mouse {
        execute!(writer, EnableMouseCapture)?;
    }
    writer.flush()
}

fn leave(writer: &mut impl Write, mouse: bool) -> std::io::Result<()> {
    if mouse {
        execute!(writer, DisableMouseCapture)?;
    }
    execute!(writer, Show, LeaveAlternateScreen)?;
    writer.flush()
}

/// crossterm's backend writing to the channel, with the size the pty reported: there is no
/// local terminal to ask for its size or the cursor.
struct ServedBackend {
    inner: CrosstermBackend<ChannelWriter>,
    size: Size,
    cursor: Position,
}

impl Write for ServedBackend {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.inner.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

impl Backend for ServedBackend {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        let position = position.into();
        self.cursor = position;
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> std::io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> std::io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}
