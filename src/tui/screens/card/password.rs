//! Resetting the customer's password: the new one is typed twice, shown nowhere, and leaves
//! memory with the dialog.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{Acting, CardScreen, Dialog};
use crate::services::Actor;
use crate::tui::context::{Ctx, View};
use crate::tui::keys::Cmd;
use crate::tui::strings as s;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field;
use crate::tui::widgets::password_pair::PasswordPair;
use crate::tui::worker::Job;

/// The customer's new password, typed twice.
pub type PasswordReset = PasswordPair;

impl CardScreen {
    /// A key while the dialog is open: both fields must agree and keep the bank's rules.
    pub(super) fn on_password_command(&mut self, cmd: Cmd, actor: Actor, ctx: &mut Ctx) {
        let Some(Dialog::Password(reset)) = self.dialog.as_mut() else {
            return;
        };
        match cmd {
            Cmd::NextField | Cmd::PrevField => reset.switch_focus(),
            Cmd::Submit => {
                let Some(email) = Self::customer_email(ctx) else {
                    return;
                };
                match reset.check(&email) {
                    Err(which) => reset.focus.set(which),
                    Ok(password) => {
                        let job = Job::ResetPassword {
                            actor,
                            email,
                            password,
                        };
                        self.act(job, Acting::Password, ctx);
                    }
                }
            }
            Cmd::Back => self.dialog = None,
            _ => {}
        }
    }

    pub(super) fn render_password(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        reset: &PasswordReset,
    ) {
        let theme = view.theme;
        let inner = dialog::open(frame, area, 66, 11, s::RESET_PASSWORD_TITLE, theme);
        let [intro, new_area, repeat_area, status_area, keys_area] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(field::HEIGHT),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let name = view.data.desk.customer_name().unwrap_or_default();
        frame.render_widget(
            Paragraph::new(format!(
                "{}{name}{}",
                s::RESET_PASSWORD_FOR,
                s::RESET_PASSWORD_RULES
            ))
            .style(theme.hint)
            .wrap(Wrap { trim: true }),
            intro,
        );
        let active = !self.is_acting();
        let focus = active.then_some(reset.focus.get());
        if let Some(position) = reset.render(frame, [new_area, repeat_area], focus, theme) {
            frame.set_cursor_position(position);
        }
        if self.is_acting() {
            frame.render_widget(dialog::busy_line(view, s::SAVING), status_area);
        }
        frame.render_widget(
            dialog::keys_line(s::RESET_PASSWORD_ENTER, s::APPROVAL_ESC, theme),
            keys_area,
        );
    }
}
