//! The teller's cash drawer. Closed: the day starts by counting the opening float by
//! denomination. Open: the opening float, cash in, cash out and the expected cash. Closing is a
//! blind count: the teller counts the cash by denomination and never sees the expected figure
//! while doing so; only after the drawer is closed does the screen show counted, expected and
//! the difference (over or short), which the bank has posted and recorded with the session.
//! Under the count grid and the open drawer's figures, what was counted shows as bars by
//! denomination ([`bars`]).
//!
//! A teller keeps one drawer per currency: ←/→ on an open drawer shows another currency's
//! (open, or its opening count), and every count is by that currency's banknotes and coins as
//! the bank lists them.

mod bars;
mod count;
mod figures;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{cycle, message_line, money, panel, Screen};
use crate::domain::{Currency, IdempotencyKey};
use crate::services::{BankError, DrawerView, VaultTransfer};
use crate::tui::context::{describe, Ctx, Flow, Notice, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::strings_day as sd;
use crate::tui::theme;
use crate::tui::widgets::approval::ApprovalForm;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody};
use count::render_confirm;
pub use count::{keep_cash_currencies, next_cash_currency, render_count, CountForm, CountPurpose};
use figures::{render_closed, render_open};

#[derive(Debug, Clone, Default)]
pub enum Mode {
    /// Asking the bank whether the drawer is open.
    #[default]
    Loading,
    /// Closed: counting the opening float.
    Opening(CountForm),
    /// Open: the figures.
    Open,
    /// The blind closing count.
    Closing(CountForm),
    /// "Close with this count? It is final."
    ConfirmClose(CountForm),
    /// The float counted: a supervisor approves it on this screen (four eyes).
    ApproveFloat(CountForm, Box<ApprovalForm>),
    /// Counting a cash drop or a top-up; the key, chosen once, makes a resend safe.
    Moving(CountForm, IdempotencyKey),
    /// The drop or top-up counted: a supervisor approves it.
    ApproveMove(CountForm, Box<ApprovalForm>, IdempotencyKey),
    /// Just closed: counted, expected, over/short.
    Closed(DrawerView),
}

#[derive(Debug, Clone, Default)]
pub struct DrawerScreen {
    pub mode: Mode,
    pub error: Option<String>,
    /// The currency of the drawer shown; `None` for the oldest open one.
    shown: Option<Currency>,
    /// The open drawer shown, as the bank last said: (session, currency). A count closes or
    /// moves cash of this session only (the desk's drawer is whichever screen asked last).
    session: Option<(i64, Currency)>,
    requests: Requests<Asked>,
}

/// What the drawer screen asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    /// The open drawer session, if any.
    Drawer,
    /// Opening or closing the drawer.
    Session,
    /// The currencies the bank counts in cash, with their banknotes and coins.
    Currencies,
}

impl DrawerScreen {
    pub fn is_sending(&self) -> bool {
        self.requests.is_waiting(Asked::Session)
    }

    fn load(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        self.error = None;
        if ctx.data.desk.cash_currencies.is_empty() {
            let job = Job::Currencies {
                actor: actor.clone(),
            };
            self.requests.ask_too(ctx, Asked::Currencies, job);
        }
        let currency = self.shown;
        self.requests
            .ask(ctx, Asked::Drawer, Job::Drawer { actor, currency });
    }

    /// The currency the screen is about: the drawer shown, else the one being opened.
    fn currency(&self) -> Currency {
        self.session
            .map(|(_, currency)| currency)
            .or(self.shown)
            .unwrap_or(Currency::USD)
    }

    /// ←/→ on an open drawer: another currency's drawer (open, or its opening count).
    fn show_other(&mut self, forward: bool, ctx: &mut Ctx) {
        self.shown = next_cash_currency(&ctx.data.desk, self.currency(), forward);
        self.mode = Mode::Loading;
        self.load(ctx);
    }

    fn opening_form(&self, ctx: &Ctx) -> CountForm {
        CountForm::opening(self.shown.unwrap_or(Currency::USD), &ctx.data.desk)
    }

    fn form_mut(&mut self) -> Option<&mut CountForm> {
        match &mut self.mode {
            Mode::Opening(form)
            | Mode::Closing(form)
            | Mode::ConfirmClose(form)
            | Mode::Moving(form, _) => Some(form),
            _ => None,
        }
    }

    fn on_drawer(&mut self, drawer: Option<DrawerView>, ctx: &mut Ctx) {
        let open = drawer.as_ref().is_some_and(|d| d.closed_at.is_none());
        if let Some(d) = &drawer {
            self.shown = Some(d.currency);
        }
        self.session = drawer
            .as_ref()
            .filter(|_| open)
            .map(|d| (d.session_id, d.currency));
        // A count typed for another currency's drawer is not this one's.
        let counted_in = match &self.mode {
            Mode::Closing(form)
            | Mode::ConfirmClose(form)
            | Mode::Moving(form, _)
            | Mode::ApproveMove(form, ..) => Some(form.currency()),
            _ => None,
        };
        if counted_in.is_some() && counted_in != self.session.map(|(_, c)| c) {
            self.mode = Mode::Loading;
        }
        ctx.data.desk.drawer = Some(drawer);
        let opening = self.opening_form(ctx);
        self.mode = match (std::mem::take(&mut self.mode), open) {
            // What was being counted stays.
            (
                mode @ (Mode::Closing(_)
                | Mode::ConfirmClose(_)
                | Mode::Moving(..)
                | Mode::ApproveMove(..)),
                true,
            ) => mode,
            (mode @ (Mode::Opening(_) | Mode::ApproveFloat(..) | Mode::Closed(_)), false) => mode,
            (_, true) => Mode::Open,
            (_, false) => Mode::Opening(opening),
        };
    }

    /// The bank's banknotes and coins per currency arrived: untouched counts take them.
    fn on_currencies(&mut self, list: Vec<crate::services::CurrencyView>, ctx: &mut Ctx) {
        keep_cash_currencies(&mut ctx.data.desk, list);
        let desk = &ctx.data.desk;
        if let Some(form) = self.form_mut() {
            form.refresh_denominations(desk);
        }
    }

    fn submit_count(&mut self, ctx: &mut Ctx) {
        if self.is_sending() {
            return;
        }
        let Some(actor) = ctx.actor() else { return };
        match &mut self.mode {
            Mode::Opening(form) => {
                form.error = None;
                let Some(count) = form.count() else { return };
                if count.total().is_zero() {
                    form.error = Some(s::FLOAT_EMPTY.into());
                    form.focus = form.first_piece();
                    return;
                }
                let form = form.clone();
                self.mode = Mode::ApproveFloat(form, Box::default());
            }
            Mode::Moving(form, key) => {
                form.error = None;
                let Some(count) = form.count() else { return };
                if count.total().is_zero() {
                    form.error = Some(sd::MOVE_EMPTY.into());
                    form.focus = form.first_piece();
                    return;
                }
                let (form, key) = (form.clone(), key.clone());
                self.mode = Mode::ApproveMove(form, Box::default(), key);
            }
            Mode::ApproveFloat(form, approval) => {
                let currency = form.currency();
                let Some(count) = form.clone().count() else {
                    return;
                };
                let Some((_, approval)) = approval.check() else {
                    return;
                };
                let job = Job::OpenDrawer {
                    actor,
                    currency,
                    count,
                    approval: Some(approval),
                };
                self.requests.ask(ctx, Asked::Session, job);
            }
            Mode::ApproveMove(form, approval, key) => {
                let Some(count) = form.clone().count() else {
                    return;
                };
                let Some((_, approval)) = approval.check() else {
                    return;
                };
                let job = Job::DrawerCash {
                    actor,
                    direction: direction_of(form),
                    count,
                    approval,
                    key: key.clone(),
                    currency: form.currency(),
                };
                self.requests.ask(ctx, Asked::Session, job);
            }
            Mode::Closing(form) => {
                form.error = None;
                if form.count().is_some() {
                    let form = form.clone();
                    self.mode = Mode::ConfirmClose(form);
                }
            }
            Mode::ConfirmClose(form) => {
                let Some(count) = form.count() else { return };
                // The count closes the session it was typed for, never one opened since, nor
                // another currency's.
                let Some(session) = self
                    .session
                    .filter(|(_, currency)| *currency == form.currency())
                    .map(|(session, _)| session)
                else {
                    return;
                };
                let job = Job::CloseDrawer {
                    actor,
                    session,
                    count,
                };
                self.requests.ask(ctx, Asked::Session, job);
            }
            _ => {}
        }
    }
}

impl DrawerScreen {
    /// The answer to a request this screen is waiting for, with what it asked.
    fn answered(&mut self, asked: Asked, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        match (asked, body) {
            (Asked::Drawer, ReplyBody::Drawer(Ok(drawer))) => self.on_drawer(drawer, ctx),
            (Asked::Drawer, ReplyBody::Drawer(Err(error))) => self.error = Some(describe(&error)),
            (Asked::Currencies, ReplyBody::Currencies(Ok(list))) => self.on_currencies(list, ctx),
            (Asked::Currencies, ReplyBody::Currencies(Err(_))) => {}
            (Asked::Session, ReplyBody::DrawerSession(result)) => match result {
                Ok(view) if view.closed_at.is_some() => {
                    ctx.data.desk.drawer = Some(None);
                    ctx.notify(Notice::Success(s::DRAWER_CLOSED_NOTICE.into()));
                    self.mode = Mode::Closed(view);
                }
                Ok(view) => {
                    let notice = match &self.mode {
                        Mode::ApproveMove(form, ..) => {
                            let done = match direction_of(form) {
                                VaultTransfer::Drop => sd::DROP_DONE,
                                VaultTransfer::TopUp => sd::TOP_UP_DONE,
                            };
                            format!("{done}{} {}.", view.currency, money(form.running_total()))
                        }
                        _ => format!(
                            "{}{} {}.",
                            s::DRAWER_OPENED_NOTICE,
                            view.currency,
                            money(view.opening_float)
                        ),
                    };
                    ctx.notify(Notice::Success(notice));
                    ctx.data.desk.drawer = Some(Some(view));
                    self.mode = Mode::Open;
                }
                Err(error) => {
                    let message = describe(&error);
                    match &mut self.mode {
                        Mode::ConfirmClose(form) => {
                            let mut form = form.clone();
                            form.error = Some(message);
                            self.mode = Mode::Closing(form);
                        }
                        Mode::ApproveFloat(_, approval) | Mode::ApproveMove(_, approval, _)
                            if matches!(error, BankError::ApprovalRefused(_)) =>
                        {
                            approval.refused(message);
                        }
                        Mode::ApproveFloat(form, _) => {
                            let mut form = form.clone();
                            form.error = Some(message);
                            self.mode = Mode::Opening(form);
                        }
                        Mode::ApproveMove(form, _, key) => {
                            let mut form = form.clone();
                            form.error = Some(message);
                            self.mode = Mode::Moving(form, key.clone());
                        }
                        Mode::Opening(form) | Mode::Closing(form) | Mode::Moving(form, _) => {
                            form.error = Some(message)
                        }
                        _ => self.error = Some(message),
                    }
                    // The drawer may have been opened or closed elsewhere.
                    self.load(ctx);
                }
            },
            (asked, body) => self.requests.unexpected(asked, &body),
        }
        Flow::Stay
    }
}

impl Screen for DrawerScreen {
    fn bindings(&self) -> &'static [Binding] {
        match &self.mode {
            Mode::Loading | Mode::Open => keys::DRAWER_OPEN,
            Mode::Opening(_) | Mode::Closing(_) | Mode::Moving(..) => keys::DRAWER_COUNT,
            Mode::ApproveFloat(..) | Mode::ApproveMove(..) => keys::APPROVAL,
            Mode::ConfirmClose(_) => keys::CONFIRM,
            Mode::Closed(_) => keys::DRAWER_RESULT,
        }
    }

    fn typing(&self) -> bool {
        match &self.mode {
            Mode::Opening(form) | Mode::Closing(form) | Mode::Moving(form, _) => {
                form.focused_piece().is_some()
            }
            Mode::ApproveFloat(..) | Mode::ApproveMove(..) => true,
            _ => false,
        }
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
        // Another screen may have read another drawer since: keys wait for this one's figures.
        if matches!(self.mode, Mode::Open) {
            self.mode = Mode::Loading;
        }
        self.load(ctx);
    }

    fn on_command(&mut self, cmd: Cmd, ctx: &mut Ctx) -> Flow {
        let sending = self.is_sending();
        match &mut self.mode {
            Mode::Loading => {
                if cmd == Cmd::Refresh {
                    self.load(ctx);
                }
            }
            Mode::Open => match cmd {
                Cmd::CloseDrawer => {
                    let currency = self.currency();
                    let form = CountForm::new(CountPurpose::Closing, currency, &ctx.data.desk);
                    self.mode = Mode::Closing(form);
                }
                Cmd::CashDrop | Cmd::TopUp => {
                    let purpose = if cmd == Cmd::CashDrop {
                        CountPurpose::Drop
                    } else {
                        CountPurpose::TopUp
                    };
                    let currency = self.currency();
                    let form = CountForm::new(purpose, currency, &ctx.data.desk);
                    self.mode = Mode::Moving(form, IdempotencyKey::generate());
                }
                Cmd::PrevAccount | Cmd::NextAccount => {
                    self.show_other(cmd == Cmd::NextAccount, ctx);
                }
                Cmd::Refresh => self.load(ctx),
                _ => {}
            },
            Mode::Opening(form) | Mode::Closing(form) | Mode::Moving(form, _) => match cmd {
                Cmd::NextField => form.focus = cycle(form.focus, true, form.stops()),
                Cmd::PrevField => form.focus = cycle(form.focus, false, form.stops()),
                // On the currency of an opening count: that currency's drawer instead (open,
                // or its own opening count).
                Cmd::PrevAccount | Cmd::NextAccount
                    if form.chooses() && form.focused_piece().is_none() =>
                {
                    self.show_other(cmd == Cmd::NextAccount, ctx);
                }
                Cmd::Submit => self.submit_count(ctx),
                Cmd::Back if !sending => {
                    if matches!(self.mode, Mode::Closing(_) | Mode::Moving(..)) {
                        self.mode = Mode::Open;
                    } else {
                        self.mode = Mode::Opening(self.opening_form(ctx));
                    }
                }
                _ => {}
            },
            Mode::ApproveFloat(form, approval) | Mode::ApproveMove(form, approval, _) => {
                match cmd {
                    Cmd::NextField => approval.next(true),
                    Cmd::PrevField => approval.next(false),
                    Cmd::Submit => self.submit_count(ctx),
                    Cmd::Back if !sending => {
                        let form = form.clone();
                        self.mode = match std::mem::take(&mut self.mode) {
                            Mode::ApproveMove(_, _, key) => Mode::Moving(form, key),
                            _ => Mode::Opening(form),
                        };
                    }
                    _ => {}
                }
            }
            Mode::ConfirmClose(form) => match cmd {
                Cmd::Yes => self.submit_count(ctx),
                Cmd::No if !sending => {
                    let form = form.clone();
                    self.mode = Mode::Closing(form);
                }
                _ => {}
            },
            Mode::Closed(_) => {
                if cmd == Cmd::Back {
                    self.mode = Mode::Opening(self.opening_form(ctx));
                }
            }
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.is_sending() {
            return Flow::Stay;
        }
        if let Mode::ApproveFloat(_, approval) | Mode::ApproveMove(_, approval, _) = &mut self.mode
        {
            approval.handle_key(key);
            return Flow::Stay;
        }
        if let Some(form) = self.form_mut() {
            form.type_key(key);
        }
        Flow::Stay
    }

    on_reply_by!(answered);

    fn is_dirty(&self) -> bool {
        match &self.mode {
            Mode::Opening(form)
            | Mode::Closing(form)
            | Mode::ConfirmClose(form)
            | Mode::Moving(form, _) => !form.is_empty(),
            Mode::ApproveFloat(..) | Mode::ApproveMove(..) => true,
            _ => false,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        match &self.mode {
            Mode::Loading => {
                let line = match &self.error {
                    Some(error) => message_line(theme::ERROR_MARKER, error, theme.error),
                    None => Line::styled(s::LOADING, theme.hint),
                };
                frame.render_widget(
                    Paragraph::new(line)
                        .block(panel(s::DRAWER_PANEL, theme))
                        .wrap(Wrap { trim: true }),
                    area,
                );
            }
            Mode::Opening(form) => render_count(frame, area, view, form, true, self.is_sending()),
            Mode::Closing(form) | Mode::Moving(form, _) => {
                render_count(frame, area, view, form, true, self.is_sending())
            }
            Mode::ApproveFloat(form, approval) | Mode::ApproveMove(form, approval, _) => {
                render_count(frame, area, view, form, false, false);
                let sending = self.is_sending().then_some(s::SENDING);
                let lines = approval_lines(form, view);
                approval.render(frame, area, view, s::APPROVAL_TITLE, lines, sending);
            }
            Mode::ConfirmClose(form) => {
                render_count(frame, area, view, form, false, self.is_sending());
                render_confirm(frame, area, view, form, self.is_sending());
            }
            Mode::Open => render_open(frame, area, view, self.error.as_deref()),
            Mode::Closed(result) => render_closed(frame, area, view, result),
        }
    }
}

fn direction_of(form: &CountForm) -> VaultTransfer {
    if form.purpose == CountPurpose::Drop {
        VaultTransfer::Drop
    } else {
        VaultTransfer::TopUp
    }
}

/// What the supervisor approves: the step, its currency and amount, and the pieces.
fn approval_lines<'a>(form: &CountForm, view: &View) -> Vec<Line<'a>> {
    let what = match form.purpose {
        CountPurpose::Drop => sd::DROP_APPROVAL,
        CountPurpose::TopUp => sd::TOP_UP_APPROVAL,
        _ => sd::FLOAT_APPROVAL,
    };
    let currency = form.currency();
    let pieces = form
        .clone()
        .count()
        .map(|c| c.to_string())
        .unwrap_or_default();
    vec![
        Line::from(vec![
            ratatui::text::Span::raw(what),
            ratatui::text::Span::styled(
                format!("{currency} {}", money(form.running_total())),
                view.theme.title,
            ),
            ratatui::text::Span::raw(format!(" ({pieces})")),
        ]),
        Line::styled(sd::APPROVAL_DUAL_CONTROL, view.theme.hint),
    ]
}
