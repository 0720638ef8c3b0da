//! Terminal input: a thread that blocks on crossterm's reader and forwards key presses and
//! resizes to the app's channel, where the worker's answers arrive too.

use std::sync::mpsc::Sender;

use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseEventKind};

use super::context::Action;

/// Starts the input thread. It ends when the app's channel closes or the terminal fails.
pub fn spawn_input_thread(actions: Sender<Action>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("teller-input".into())
        .spawn(move || loop {
            let action = match event::read() {
                // Only presses: some terminals also report releases and repeats.
                Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => Action::Key(key),
                Ok(Event::Resize(width, height)) => Action::Resize(width, height),
                // Only clicks and the wheel: moves and drags would flood the channel.
                Ok(Event::Mouse(mouse))
                    if !matches!(mouse.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) =>
                {
                    Action::Mouse(mouse)
                }
                Ok(_) => continue,
                Err(error) => {
                    tracing::error!(%error, "reading the terminal failed");
                    break;
                }
            };
            if actions.send(action).is_err() {
                break;
            }
        })?;
    Ok(())
}
