//! Editing the customer's profile: the profile screen's edit form, shown in place of the card
//! (not over it), saved through the bank.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{Acting, CardScreen, Dialog};
use crate::tui::context::{Ctx, Notice, View};
use crate::tui::keys::Cmd;
use crate::tui::screens::profile::{self, EditForm, EditStop};
use crate::tui::screens::{form_status, step};
use crate::tui::strings as s;
use crate::tui::worker::Job;

impl CardScreen {
    /// Opens the form on the profile as loaded (kept, to tell whether anything was changed).
    pub(super) fn edit(&mut self, ctx: &Ctx) {
        if let Some(profile) = &ctx.data.desk.profile {
            self.dialog = Some(Dialog::Edit(Box::new(EditForm::from_profile(profile))));
            self.edit_base = Some(profile.clone());
        }
    }

    /// A key while the form is open.
    pub(super) fn on_edit_command(&mut self, cmd: Cmd, ctx: &mut Ctx) {
        let Some(Dialog::Edit(form)) = self.dialog.as_mut() else {
            return;
        };
        match cmd {
            Cmd::NextField => form.focus.next(),
            Cmd::PrevField => form.focus.prev(),
            Cmd::Up => form.phone_selected = step(form.phone_selected, -1, form.phones.len()),
            Cmd::Down => form.phone_selected = step(form.phone_selected, 1, form.phones.len()),
            Cmd::RemovePhone => form.toggle_phone(),
            Cmd::Submit => self.save_profile(ctx),
            Cmd::Back => self.dialog = None,
            _ => {}
        }
    }

    /// Enter in the form: adds a typed phone, or saves the changes (none closes the form).
    fn save_profile(&mut self, ctx: &mut Ctx) {
        let Some(Dialog::Edit(form)) = self.dialog.as_mut() else {
            return;
        };
        let Some(profile) = ctx.data.desk.profile.clone() else {
            return;
        };
        if form.focus.is(EditStop::NewPhone) && !form.new_phone.is_empty() {
            form.add_phone();
            return;
        }
        form.error = None;
        let Some(changes) = form.changes(&profile) else {
            return;
        };
        if profile::is_unchanged(&changes) {
            self.dialog = None;
            ctx.notify(Notice::Info(s::PROFILE_UNCHANGED.into()));
            return;
        }
        let Some(actor) = ctx.actor() else {
            return;
        };
        let email = profile.email.clone();
        let job = Job::UpdateProfile {
            actor,
            email,
            changes,
        };
        self.act(job, Acting::Edit, ctx);
    }

    /// The form in the card's place, with its status line under it.
    pub(super) fn render_edit(&self, frame: &mut Frame, area: Rect, view: &View, form: &EditForm) {
        let [main, message_area] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(1)]).areas(area);
        profile::render_edit_titled(form, s::EDIT_CUSTOMER_PANEL, frame, main, view);
        let busy = self.is_acting().then_some(s::SAVING);
        let line = form_status(form.error.as_deref(), busy, view, Line::default());
        frame.render_widget(Paragraph::new(line), message_area);
    }
}
