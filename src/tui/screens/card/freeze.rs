//! Freezing and unfreezing an account: freezing is a plain confirmation, unfreezing needs a
//! supervisor (the four-eyes dialog).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{Acting, CardScreen, Dialog};
use crate::domain::AccountNumber;
use crate::services::{AccountStatus, Actor};
use crate::tui::context::{Ctx, Notice, View};
use crate::tui::keys::Cmd;
use crate::tui::screens::money;
use crate::tui::strings as s;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::dialog;
use crate::tui::worker::Job;

impl CardScreen {
    /// Opens the dialog the selected account's status calls for.
    pub(super) fn freeze_or_unfreeze(&mut self, ctx: &mut Ctx) {
        let Some(account) = ctx.data.desk.selected_account() else {
            ctx.notify(Notice::Error(s::NO_ACCOUNT_SELECTED.into()));
            return;
        };
        let number = account.number.clone();
        self.dialog = match account.status {
            AccountStatus::Open => Some(Dialog::Freeze { number }),
            AccountStatus::Frozen => Some(Dialog::Unfreeze {
                number,
                form: ApprovalForm::new(),
            }),
            AccountStatus::Closed => {
                ctx.notify(Notice::Error(s::ACCOUNT_CLOSED_NOTHING.into()));
                None
            }
        };
    }

    /// A key while the freeze confirmation is open.
    pub(super) fn on_freeze_command(&mut self, cmd: Cmd, actor: Actor, ctx: &mut Ctx) {
        let Some(Dialog::Freeze { number }) = self.dialog.as_mut() else {
            return;
        };
        match cmd {
            Cmd::Yes => {
                let job = Job::SetAccountStatus {
                    actor,
                    account: number.clone(),
                    status: AccountStatus::Frozen,
                    approval: None,
                };
                self.act(job, Acting::Freeze, ctx);
            }
            Cmd::No => self.dialog = None,
            _ => {}
        }
    }

    /// A key while the unfreeze approval is open.
    pub(super) fn on_unfreeze_command(&mut self, cmd: Cmd, actor: Actor, ctx: &mut Ctx) {
        let Some(Dialog::Unfreeze { number, form }) = self.dialog.as_mut() else {
            return;
        };
        match cmd {
            Cmd::NextField => form.next(true),
            Cmd::PrevField => form.next(false),
            Cmd::Submit => {
                if let Some((_, approval)) = form.check() {
                    let account = number.clone();
                    let job = Job::SetAccountStatus {
                        actor,
                        account,
                        status: AccountStatus::Open,
                        approval: Some(approval),
                    };
                    self.act(job, Acting::Unfreeze, ctx);
                }
            }
            Cmd::Back => self.dialog = None,
            _ => {}
        }
    }

    pub(super) fn render_freeze(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        number: &AccountNumber,
    ) {
        let theme = view.theme;
        let inner = dialog::open(frame, area, 62, 8, s::FREEZE_TITLE, theme);
        let balance = view
            .data
            .desk
            .find(number.as_str())
            .map(|a| format!(" ({} {})", a.currency, money(a.balance)))
            .unwrap_or_default();
        let lines = vec![
            Line::from(vec![
                Span::raw(s::FREEZE_QUESTION),
                Span::styled(number.grouped(), theme.title),
                Span::raw(format!("{balance}?")),
            ]),
            Line::styled(s::FREEZE_EXPLAINED, theme.hint),
            Line::default(),
            self.sending_line(view),
            dialog::keys_line(s::FREEZE_ENTER, s::APPROVAL_ESC, theme),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }

    pub(super) fn render_unfreeze(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        number: &AccountNumber,
        form: &ApprovalForm,
    ) {
        let theme = view.theme;
        let lines = vec![
            Line::from(vec![
                Span::raw(s::UNFREEZE_ACCOUNT),
                Span::styled(number.grouped(), theme.title),
            ]),
            Line::styled(s::UNFREEZE_NEEDS, theme.hint),
        ];
        let sending = self.is_acting().then_some(s::SENDING);
        form.render(frame, area, view, s::APPROVAL_TITLE, lines, sending);
    }
}
