//! The open-account dialog: the teller picks the currency of the customer's new account and
//! the bank opens it.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{Acting, CardScreen, Dialog};
use crate::domain::Currency;
use crate::services::Actor;
use crate::tui::context::{Ctx, View};
use crate::tui::keys::Cmd;
use crate::tui::screens::cycle;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::worker::Job;

impl CardScreen {
    /// A key while the dialog is open: pick the currency, open, or close.
    pub(super) fn on_open_account_command(&mut self, cmd: Cmd, actor: Actor, ctx: &mut Ctx) {
        let Some(Dialog::OpenAccount { currency }) = self.dialog.as_mut() else {
            return;
        };
        match cmd {
            Cmd::PrevAccount => *currency = cycle(*currency, false, Currency::ALL.len()),
            Cmd::NextAccount => *currency = cycle(*currency, true, Currency::ALL.len()),
            Cmd::Submit => {
                let currency = Currency::ALL[*currency % Currency::ALL.len()];
                if let Some(owner) = Self::customer_email(ctx) {
                    let job = Job::OpenAccount {
                        actor,
                        owner,
                        currency,
                    };
                    self.act(job, Acting::OpenAccount, ctx);
                }
            }
            Cmd::Back => self.dialog = None,
            _ => {}
        }
    }

    pub(super) fn render_open_account(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        currency: usize,
    ) {
        let theme = view.theme;
        let inner = dialog::open(frame, area, 56, 8, s::OPEN_ACCOUNT_TITLE, theme);
        let name = view.data.desk.customer_name().unwrap_or_default();
        let code = Currency::ALL[currency % Currency::ALL.len()].as_str();
        let lines = vec![
            Line::raw(format!("{}{name}", s::OPEN_ACCOUNT_FOR)),
            Line::default(),
            Line::from(vec![
                Span::styled(
                    format!("{}{:<14}", theme::FOCUS_MARKER, s::FIELD_CURRENCY),
                    theme.label_focused,
                ),
                Span::styled(format!("◀ {code} ▶"), theme.input_focused),
            ]),
            self.sending_line(view),
            dialog::keys_line(s::OPEN_ACCOUNT_ENTER, s::APPROVAL_ESC, theme),
        ];
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
