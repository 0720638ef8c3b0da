//! A new password typed twice: two masked fields, the focus between them, the check that the
//! bank's rules accept the new one and that the repeat matches it, and their drawing.
//!
//! Used by the profile's password change, the card's password reset and the change forced at
//! login. The registration form checks its repeat field with [`repeat_error`].

use ratatui::layout::{Position, Rect};
use ratatui::Frame;

use super::field::Field;
use super::focus::{FocusRing, Stops};
use crate::domain::{Email, Password};
use crate::tui::strings as s;
use crate::tui::theme::Theme;

/// One of the pair's two fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Which {
    #[default]
    New,
    Repeat,
}

impl Stops for Which {
    const ORDER: &'static [Self] = &[Self::New, Self::Repeat];
}

/// The error of a repeat that differs from the password it repeats.
pub fn repeat_error(new: &str, repeat: &str) -> Result<(), String> {
    if new == repeat {
        Ok(())
    } else {
        Err(s::PASSWORDS_DIFFER.to_string())
    }
}

#[derive(Debug, Clone)]
pub struct PasswordPair {
    pub new: Field,
    pub repeat: Field,
    /// The field that takes keys, when the pair has the focus.
    pub focus: FocusRing<Which>,
}

impl Default for PasswordPair {
    fn default() -> Self {
        Self {
            new: Field::masked(s::FIELD_NEW_PASSWORD),
            repeat: Field::masked(s::FIELD_REPEAT_PASSWORD),
            focus: FocusRing::default(),
        }
    }
}

impl PasswordPair {
    /// Nothing typed in either field.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.repeat.is_empty()
    }

    pub fn clear_errors(&mut self) {
        self.new.error = None;
        self.repeat.error = None;
    }

    /// Moves the focus to the other field (next and previous are the same for two).
    pub fn switch_focus(&mut self) {
        self.focus.next();
    }

    pub fn field_mut(&mut self, which: Which) -> &mut Field {
        match which {
            Which::New => &mut self.new,
            Which::Repeat => &mut self.repeat,
        }
    }

    pub fn focused_mut(&mut self) -> &mut Field {
        self.field_mut(self.focus.get())
    }

    /// The new password when the bank's rules accept it (for `email`) and the repeat matches
    /// it; otherwise the error is marked on the field at fault, which is returned. The focus is
    /// left to the caller.
    pub fn check(&mut self, email: &Email) -> Result<Password, Which> {
        let new = match Password::parse(self.new.value().to_string(), email) {
            Ok(new) => new,
            Err(e) => {
                self.new.error = Some(e.rule);
                return Err(Which::New);
            }
        };
        if let Err(error) = repeat_error(self.new.value(), self.repeat.value()) {
            self.repeat.error = Some(error);
            return Err(Which::Repeat);
        }
        Ok(new)
    }

    /// Draws the two fields (each `field::HEIGHT` rows); `focus` is the focused one, if the
    /// pair has the focus. Returns where the cursor goes.
    pub fn render(
        &self,
        frame: &mut Frame,
        [new_area, repeat_area]: [Rect; 2],
        focus: Option<Which>,
        theme: &Theme,
    ) -> Option<Position> {
        let new = self
            .new
            .render(frame, new_area, focus == Some(Which::New), theme);
        let repeat = self
            .repeat
            .render(frame, repeat_area, focus == Some(Which::Repeat), theme);
        new.or(repeat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn email() -> Result<Email, String> {
        Email::parse("someone@example.com").map_err(|e| e.rule)
    }

    fn pair(new: &str, repeat: &str) -> PasswordPair {
        let mut pair = PasswordPair::default();
        pair.new.set_value(new);
        pair.repeat.set_value(repeat);
        pair
    }

    #[test]
    fn the_first_field_at_fault_is_marked_and_named() -> Result<(), String> {
        let email = email()?;
        // (new, repeat, the field at fault): a refused password is marked on the new field,
        // and the repeat is not judged against it.
        let cases = [
            ("correct-horse-9", "correct-horse-9", None),
            ("short", "other", Some(Which::New)),
            ("correct-horse-9", "correct-horse-8", Some(Which::Repeat)),
        ];
        for (new, repeat, fault) in cases {
            let mut pair = pair(new, repeat);
            assert_eq!(pair.check(&email).err(), fault, "{new} / {repeat}");
            assert_eq!(pair.new.error.is_some(), fault == Some(Which::New));
            assert_eq!(pair.repeat.error.is_some(), fault == Some(Which::Repeat));
            if fault == Some(Which::Repeat) {
                assert_eq!(pair.repeat.error.as_deref(), Some(s::PASSWORDS_DIFFER));
            }
            pair.clear_errors();
            assert_eq!((&pair.new.error, &pair.repeat.error), (&None, &None));
        }
        Ok(())
    }

    #[test]
    fn the_focus_switches_between_the_two_fields() {
        let mut pair = PasswordPair::default();
        assert!(pair.is_empty());
        assert!(pair.focus.is(Which::New));
        pair.focused_mut().set_value("a");
        pair.switch_focus();
        assert!(pair.focus.is(Which::Repeat));
        pair.focused_mut().set_value("b");
        pair.switch_focus();
        assert!(pair.focus.is(Which::New));
        assert_eq!((pair.new.value(), pair.repeat.value()), ("a", "b"));
        assert!(!pair.is_empty());
        assert_eq!(repeat_error("a", "a"), Ok(()));
    }

    #[test]
    fn both_fields_are_masked_and_only_the_focused_one_has_the_cursor() -> Result<(), String> {
        let pair = pair("abc", "ab");
        let mut terminal = Terminal::new(TestBackend::new(50, 4)).map_err(|e| e.to_string())?;
        let theme = theme::Theme::default();
        let mut cursor = None;
        terminal
            .draw(|frame| {
                let areas = [Rect::new(0, 0, 50, 2), Rect::new(0, 2, 50, 2)];
                cursor = pair.render(frame, areas, Some(Which::Repeat), &theme);
            })
            .map_err(|e| e.to_string())?;
        let buffer = terminal.backend().buffer();
        let row = |y: u16| -> String {
            (0..50)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        };
        assert!(row(0).contains("•••") && !row(0).contains("abc"));
        assert!(row(2).starts_with(theme::FOCUS_MARKER));
        assert_eq!(cursor.map(|p| p.y), Some(2));
        Ok(())
    }
}
