//! The teller's cash drawer. Closed: the day starts by counting the opening float by
//! denomination. Open: the opening float, cash in, cash out and the expected cash. Closing is a
//! blind count: the teller counts the cash by denomination and never sees the expected figure
//! while doing so; only after the drawer is closed does the screen show counted, expected and
//! the difference (over or short), which the bank has posted and recorded with the session.
//! Under the count grid and the open drawer's figures, what was counted shows as bars by
//! denomination ([`bars`]).

mod bars;
mod count;
mod figures;

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{cycle, message_line, money, panel, Screen};
use crate::domain::Currency;
use crate::services::DrawerView;
use crate::tui::context::{describe, Ctx, Flow, Notice, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody, RequestId};
pub use count::CountForm;
use count::{render_confirm, render_count};
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
    /// Just closed: counted, expected, over/short.
    Closed(DrawerView),
}

#[derive(Debug, Clone, Default)]
pub struct DrawerScreen {
    pub mode: Mode,
    pub error: Option<String>,
    requests: Requests<Asked>,
}

/// What the drawer screen asks the worker for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    /// The open drawer session, if any.
    Drawer,
    /// Opening or closing the drawer.
    Session,
}

impl DrawerScreen {
    pub fn is_sending(&self) -> bool {
        self.requests.is_waiting(Asked::Session)
    }

    fn load(&mut self, ctx: &mut Ctx) {
        let Some(actor) = ctx.actor() else { return };
        self.error = None;
        self.requests.ask(ctx, Asked::Drawer, Job::Drawer { actor });
    }

    fn form_mut(&mut self) -> Option<&mut CountForm> {
        match &mut self.mode {
            Mode::Opening(form) | Mode::Closing(form) | Mode::ConfirmClose(form) => Some(form),
            _ => None,
        }
    }

    fn on_drawer(&mut self, drawer: Option<DrawerView>, ctx: &mut Ctx) {
        let open = drawer.as_ref().is_some_and(|d| d.closed_at.is_none());
        ctx.data.desk.drawer = Some(drawer);
        self.mode = match (std::mem::take(&mut self.mode), open) {
            // What was being counted stays.
            (mode @ (Mode::Closing(_) | Mode::ConfirmClose(_)), true) => mode,
            (mode @ (Mode::Opening(_) | Mode::Closed(_)), false) => mode,
            (_, true) => Mode::Open,
            (_, false) => Mode::Opening(CountForm::opening()),
        };
    }

    fn submit_count(&mut self, ctx: &mut Ctx) {
        if self.is_sending() {
            return;
        }
        let Some(actor) = ctx.actor() else { return };
        match &mut self.mode {
            Mode::Opening(form) => {
                form.error = None;
                let Some(currency) = form.currency() else {
                    return;
                };
                let Some(count) = form.count() else { return };
                if count.total().is_zero() {
                    form.error = Some(s::FLOAT_EMPTY.into());
                    form.focus = form.first_piece();
                    return;
                }
                let job = Job::OpenDrawer {
                    actor,
                    currency,
                    count,
                    approval: None,
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
                // The count closes the session it was typed for, never one opened since.
                let open = ctx.data.desk.drawer.as_ref().and_then(Option::as_ref);
                let Some(session) = open.map(|d| d.session_id) else {
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

impl Screen for DrawerScreen {
    fn bindings(&self) -> &'static [Binding] {
        match &self.mode {
            Mode::Loading | Mode::Open => keys::DRAWER_OPEN,
            Mode::Opening(_) | Mode::Closing(_) => keys::DRAWER_COUNT,
            Mode::ConfirmClose(_) => keys::CONFIRM,
            Mode::Closed(_) => keys::DRAWER_RESULT,
        }
    }

    fn typing(&self) -> bool {
        match &self.mode {
            Mode::Opening(form) | Mode::Closing(form) => form.focused_piece().is_some(),
            _ => false,
        }
    }

    fn on_enter(&mut self, ctx: &mut Ctx) {
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
                    let mut form = CountForm::closing();
                    form.focus = 0;
                    self.mode = Mode::Closing(form);
                }
                Cmd::Refresh => self.load(ctx),
                _ => {}
            },
            Mode::Opening(form) | Mode::Closing(form) => match cmd {
                Cmd::NextField => form.focus = cycle(form.focus, true, form.stops()),
                Cmd::PrevField => form.focus = cycle(form.focus, false, form.stops()),
                Cmd::PrevAccount | Cmd::NextAccount => {
                    if let (Some(currency), None) = (form.currency, form.focused_piece()) {
                        let forward = cmd == Cmd::NextAccount;
                        form.currency = Some(cycle(currency, forward, Currency::ALL.len()));
                    }
                }
                Cmd::Submit => self.submit_count(ctx),
                Cmd::Back if !sending => {
                    if matches!(self.mode, Mode::Closing(_)) {
                        self.mode = Mode::Open;
                    } else {
                        self.mode = Mode::Opening(CountForm::opening());
                    }
                }
                _ => {}
            },
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
                    self.mode = Mode::Opening(CountForm::opening());
                }
            }
        }
        Flow::Stay
    }

    fn on_input(&mut self, key: &KeyEvent, _ctx: &mut Ctx) -> Flow {
        if self.is_sending() {
            return Flow::Stay;
        }
        let Some(form) = self.form_mut() else {
            return Flow::Stay;
        };
        // Piece counts are digits: letters are not typed in.
        if let KeyCode::Char(c) = key.code {
            if !c.is_ascii_digit() {
                return Flow::Stay;
            }
        }
        if let Some(index) = form.focused_piece() {
            if let Some(field) = form.pieces.get_mut(index) {
                if field.handle_key(key) {
                    form.error = None;
                }
            }
        }
        Flow::Stay
    }

    fn on_reply(&mut self, id: RequestId, body: ReplyBody, ctx: &mut Ctx) -> Flow {
        let Some(asked) = self.requests.take(id) else {
            return Flow::Stay;
        };
        match (asked, body) {
            (Asked::Drawer, ReplyBody::Drawer(Ok(drawer))) => self.on_drawer(drawer, ctx),
            (Asked::Drawer, ReplyBody::Drawer(Err(error))) => self.error = Some(describe(&error)),
            (Asked::Session, ReplyBody::DrawerSession(result)) => match result {
                Ok(view) if view.closed_at.is_some() => {
                    ctx.data.desk.drawer = Some(None);
                    ctx.notify(Notice::Success(s::DRAWER_CLOSED_NOTICE.into()));
                    self.mode = Mode::Closed(view);
                }
                Ok(view) => {
                    ctx.notify(Notice::Success(format!(
                        "{}{} {}.",
                        s::DRAWER_OPENED_NOTICE,
                        view.currency,
                        money(view.opening_float)
                    )));
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
                        Mode::Opening(form) | Mode::Closing(form) => form.error = Some(message),
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

    fn is_dirty(&self) -> bool {
        match &self.mode {
            Mode::Opening(form) | Mode::Closing(form) | Mode::ConfirmClose(form) => {
                !form.is_empty()
            }
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
            Mode::Closing(form) => render_count(frame, area, view, form, true, self.is_sending()),
            Mode::ConfirmClose(form) => {
                render_count(frame, area, view, form, false, self.is_sending());
                render_confirm(frame, area, view, form, self.is_sending());
            }
            Mode::Open => render_open(frame, area, view, self.error.as_deref()),
            Mode::Closed(result) => render_closed(frame, area, view, result),
        }
    }
}
