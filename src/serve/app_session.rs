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
    let size = Size::new(width.max(1), height.max(1));
    let mut terminal = Terminal::new(ServedBackend::new(writer, size))?;
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
///
/// A frame with nothing new sends nothing: ratatui sends only the cells that changed, and the
/// cursor commands it repeats every frame (hide, or show and place) are sent only when they
/// change something on the workstation's screen.
struct ServedBackend {
    inner: CrosstermBackend<ChannelWriter>,
    size: Size,
    cursor: Position,
    /// The workstation's cursor is at `cursor`: nothing was drawn since it was put there.
    cursor_placed: bool,
    /// Whether the workstation shows the cursor, once known.
    cursor_shown: Option<bool>,
}

impl ServedBackend {
    fn new(writer: ChannelWriter, size: Size) -> Self {
        Self {
            inner: CrosstermBackend::new(writer),
            size,
            cursor: Position::ORIGIN,
            cursor_placed: false,
            cursor_shown: None,
        }
    }
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
        let mut content = content.peekable();
        if content.peek().is_none() {
            // crossterm's backend would still reset the colours: nothing changed, nothing sent.
            return Ok(());
        }
        // Writing cells moves the workstation's cursor.
        self.cursor_placed = false;
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> std::io::Result<()> {
        if self.cursor_shown == Some(false) {
            return Ok(());
        }
        self.cursor_shown = Some(false);
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> std::io::Result<()> {
        if self.cursor_shown == Some(true) {
            return Ok(());
        }
        self.cursor_shown = Some(true);
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        let position = position.into();
        if self.cursor_placed && position == self.cursor {
            return Ok(());
        }
        self.cursor = position;
        self.cursor_placed = true;
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> std::io::Result<()> {
        self.cursor_placed = false;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        self.cursor_placed = false;
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

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::widgets::Paragraph;

    fn sent(outbox: &mut tokio::sync::mpsc::Receiver<Out>) -> usize {
        let mut bytes = 0;
        while let Ok(Out::Data(data)) = outbox.try_recv() {
            bytes += data.len();
        }
        bytes
    }

    #[test]
    fn a_frame_with_nothing_new_sends_nothing() {
        let (out, mut outbox) = tokio::sync::mpsc::channel(16);
        let backend = ServedBackend::new(ChannelWriter::new(out), Size::new(20, 3));
        let mut terminal = Terminal::new(backend).unwrap();
        let frame = |text: &'static str, cursor: Option<Position>| {
            move |f: &mut ratatui::Frame| {
                f.render_widget(Paragraph::new(text), f.area());
                if let Some(at) = cursor {
                    f.set_cursor_position(at);
                }
            }
        };
        let at = Some(Position::new(3, 0));
        terminal.draw(frame("abc", at)).unwrap();
        assert!(sent(&mut outbox) > 0);
        // The same frame again, the cursor where it was: not a byte.
        terminal.draw(frame("abc", at)).unwrap();
        assert_eq!(sent(&mut outbox), 0);
        // A changed cell moves the workstation's cursor: it is put back.
        terminal.draw(frame("abd", at)).unwrap();
        assert!(sent(&mut outbox) > 0);
        terminal.draw(frame("abd", None)).unwrap();
        assert!(sent(&mut outbox) > 0, "the cursor is hidden");
        terminal.draw(frame("abd", None)).unwrap();
        assert_eq!(sent(&mut outbox), 0);
    }
}
