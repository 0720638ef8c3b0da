//! Bytes a workstation's terminal sends become the app's key presses and clicks. There is no
//! local terminal to read: the SSH channel's data is parsed here, as crossterm parses a tty.

use ratatui::crossterm::event::{Event, KeyEventKind, MouseEventKind};

use crate::tui::app::Action;

/// The longest escape sequence kept waiting for its end; anything longer is noise.
const MAX_PENDING: usize = 64;

/// Turns a stream of terminal bytes into actions, across SSH packets.
#[derive(Debug, Default)]
pub struct InputParser {
    pending: Vec<u8>,
}

impl InputParser {
    /// The actions in one packet. A lone Esc at the end of a packet is the Esc key: a
    /// terminal sends an escape sequence (an arrow, F5) in one write, so a packet that ends
    /// in Esc alone ends with a key press, while "Esc [" waits for the rest.
    pub fn feed(&mut self, packet: &[u8]) -> Vec<Action> {
        let mut actions = Vec::new();
        for (i, byte) in packet.iter().enumerate() {
            self.pending.push(*byte);
            let more = i + 1 < packet.len();
            if self.pending == [0x1b] && more {
                continue;
            }
            match terminput::Event::parse_from(&self.pending) {
                Ok(Some(event)) => {
                    self.pending.clear();
                    actions.extend(to_action(event));
                }
                Ok(None) if self.pending.len() < MAX_PENDING => {}
                Ok(None) | Err(_) => self.pending.clear(),
            }
        }
        actions
    }
}

/// Key presses, clicks and the wheel, as the local app takes them from crossterm.
fn to_action(event: terminput::Event) -> Option<Action> {
    match terminput_crossterm::to_crossterm(event).ok()? {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Action::Key(key)),
        Event::Mouse(mouse)
            if !matches!(mouse.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) =>
        {
            Some(Action::Mouse(mouse))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn keys(actions: Vec<Action>) -> Vec<(KeyCode, KeyModifiers)> {
        actions
            .into_iter()
            .filter_map(|a| match a {
                Action::Key(k) => Some((k.code, k.modifiers)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn letters_function_keys_and_arrows_in_one_packet() {
        let mut parser = InputParser::default();
        let got = keys(parser.feed(b"a\x1bOQ\x1b[A\r\x1b[15~"));
        assert_eq!(
            got,
            vec![
                (KeyCode::Char('a'), KeyModifiers::NONE),
                (KeyCode::F(2), KeyModifiers::NONE),
                (KeyCode::Up, KeyModifiers::NONE),
                (KeyCode::Enter, KeyModifiers::NONE),
                (KeyCode::F(5), KeyModifiers::NONE),
            ]
        );
    }

    #[test]
    fn a_lone_esc_is_the_key_and_a_split_sequence_waits() {
        let mut parser = InputParser::default();
        assert_eq!(
            keys(parser.feed(b"\x1b")),
            vec![(KeyCode::Esc, KeyModifiers::NONE)]
        );
        assert!(keys(parser.feed(b"\x1b[")).is_empty());
        assert_eq!(
            keys(parser.feed(b"B")),
            vec![(KeyCode::Down, KeyModifiers::NONE)]
        );
    }

    #[test]
    fn utf8_ctrl_and_backspace() {
        let mut parser = InputParser::default();
        let got = keys(parser.feed("é\x10\x7f".as_bytes()));
        assert_eq!(got[0], (KeyCode::Char('é'), KeyModifiers::NONE));
        assert_eq!(got[1], (KeyCode::Char('p'), KeyModifiers::CONTROL));
        assert_eq!(got[2].0, KeyCode::Backspace);
    }

    #[test]
    fn noise_is_dropped_without_stalling_what_follows() {
        let mut parser = InputParser::default();
        let mut junk = b"\x1b[".to_vec();
        junk.extend(std::iter::repeat_n(b'9', 100));
        let _ = parser.feed(&junk);
        assert_eq!(
            keys(parser.feed(b"x")),
            vec![(KeyCode::Char('x'), KeyModifiers::NONE)]
        );
    }
}
