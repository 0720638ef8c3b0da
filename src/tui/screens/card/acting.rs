//! The card's actions in flight: what a request will do when the bank answers, the answer's
//! effect on the card, and where a refusal is shown (in the dialog it answers when that is
//! still open, else the status line).

use super::{Asked, CardScreen, Dialog, Pane};
use crate::services::BankError;
use crate::tui::context::{describe, Ctx, Notice};
use crate::tui::strings as s;
use crate::tui::widgets::password_pair::Which;
use crate::tui::worker::{Job, ReplyBody};

/// What the request in flight will do when it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Acting {
    OpenAccount,
    Freeze,
    Unfreeze,
    Unlock,
    Password,
    Edit,
    Reverse,
}

impl CardScreen {
    /// Sends `job` unless another action is still in flight.
    pub(super) fn act(&mut self, job: Job, acting: Acting, ctx: &mut Ctx) {
        if self.is_acting() {
            return;
        }
        self.requests.ask(ctx, Asked::Act(acting), job);
    }

    /// The answer to the action in flight.
    pub(super) fn on_acted(&mut self, acting: Acting, body: ReplyBody, ctx: &mut Ctx) {
        let error = body.bank_error().map(describe);
        match (acting, body) {
            (
                Acting::OpenAccount | Acting::Freeze | Acting::Unfreeze,
                ReplyBody::Account(Ok(a)),
            ) => {
                let text = match acting {
                    Acting::OpenAccount => s::ACCOUNT_OPENED,
                    Acting::Freeze => s::ACCOUNT_FROZEN,
                    _ => s::ACCOUNT_UNFROZEN,
                };
                ctx.notify(Notice::Success(format!(
                    "{}{}{text}",
                    s::ACCOUNT_PREFIX,
                    a.number.grouped()
                )));
                ctx.data.desk.upsert(a);
                self.pane = Pane::Accounts;
                self.dialog = None;
                self.load_movements(ctx);
            }
            (Acting::Unlock, ReplyBody::Done(Ok(()))) => {
                ctx.notify(Notice::Success(s::CUSTOMER_UNLOCKED.into()));
                self.load(ctx);
            }
            (Acting::Password, ReplyBody::Done(Ok(()))) => {
                // The new password is gone from memory with the dialog.
                self.dialog = None;
                ctx.notify(Notice::Success(s::PASSWORD_RESET_DONE.into()));
            }
            (Acting::Edit, ReplyBody::Profile(Ok(profile))) => {
                self.dialog = None;
                self.edit_base = None;
                // The email may have changed: the card follows the customer.
                self.serving = Some(profile.email.to_string());
                ctx.data.desk.customer = Some(profile.email.to_string());
                ctx.data.desk.profile = Some(profile);
                ctx.notify(Notice::Success(s::CUSTOMER_SAVED.into()));
            }
            (Acting::Reverse, ReplyBody::Money(Ok(result))) => {
                let original = match &self.dialog {
                    Some(Dialog::Reverse { entry, .. }) => entry.id,
                    _ => 0,
                };
                self.dialog = None;
                ctx.notify(Notice::Success(format!(
                    "{}{original}{}{}.",
                    s::REVERSED_PREFIX,
                    s::REVERSED_BY,
                    result.id
                )));
                self.load(ctx);
            }
            (_, body) => {
                if error.is_none() {
                    self.requests.unexpected(Asked::Act(acting), &body);
                }
                let error = error.unwrap_or_default();
                self.show_refusal(body, error, ctx);
            }
        }
    }

    /// A refusal goes into the dialog it answers when that is still open, else the status line.
    fn show_refusal(&mut self, body: ReplyBody, message: String, ctx: &mut Ctx) {
        let approval_refused = matches!(
            body.bank_error(),
            Some(BankError::ApprovalRefused(_) | BankError::ApprovalRequired(_))
        );
        match self.dialog.as_mut() {
            Some(Dialog::Unfreeze { form, .. } | Dialog::Reverse { form, .. }) => {
                if approval_refused {
                    form.refused(message);
                } else {
                    form.error = Some(message);
                }
            }
            Some(Dialog::Edit(form)) => match body {
                ReplyBody::Profile(Err(BankError::Invalid(e))) => match form.field_for(e.field) {
                    Some(field) => field.error = Some(e.rule),
                    None => form.error = Some(e.to_string()),
                },
                ReplyBody::Profile(Err(BankError::DuplicateEmail(_))) => {
                    form.email_taken();
                }
                _ => form.error = Some(message),
            },
            Some(Dialog::Password(reset)) => match body {
                ReplyBody::Done(Err(BankError::Invalid(e))) => {
                    reset.new.error = Some(e.rule);
                    reset.focus.set(Which::New);
                }
                _ => ctx.notify(Notice::Error(message)),
            },
            _ => ctx.notify(Notice::Error(message)),
        }
    }
}
