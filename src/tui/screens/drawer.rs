//! The teller's cash drawer. Closed: the day starts by counting the opening float by
//! denomination. Open: the opening float, cash in, cash out and the expected cash. Closing is a
//! blind count: the teller counts the cash by denomination and never sees the expected figure
//! while doing so; only after the drawer is closed does the screen show counted, expected and
//! the difference (over or short), which the bank has posted and recorded with the session.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use rust_decimal::Decimal;

use super::{cycle, form_status, message_line, money, panel, Screen};
use crate::domain::{format_money, CashCount, Currency, DENOMINATIONS_CENTS};
use crate::services::DrawerView;
use crate::tui::context::{describe, Ctx, Flow, Notice, View};
use crate::tui::keys::{self, Binding, Cmd};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::requests::Requests;
use crate::tui::worker::{Job, ReplyBody, RequestId};

const DENOMINATIONS: usize = DENOMINATIONS_CENTS.len();
/// Denominations per column of the count grid.
const PER_COLUMN: usize = 6;
/// Width of a piece-count box.
const BOX: u16 = 7;

/// Cash counted by denomination: one small field per banknote or coin.
#[derive(Debug, Clone)]
pub struct CountForm {
    /// Opening counts choose the currency (an index into `Currency::ALL`); closing counts are
    /// in the session's currency.
    pub currency: Option<usize>,
    pub pieces: Vec<Field>,
    /// 0 is the currency when there is one; the denominations follow.
    pub focus: usize,
    pub error: Option<String>,
}

impl CountForm {
    fn new(with_currency: bool) -> Self {
        Self {
            currency: with_currency.then_some(0),
            pieces: DENOMINATIONS_CENTS
                .iter()
                .map(|_| Field::new(s::FIELD_PIECES))
                .collect(),
            focus: 0,
            error: None,
        }
    }

    pub fn opening() -> Self {
        Self::new(true)
    }

    pub fn closing() -> Self {
        Self::new(false)
    }

    fn first_piece(&self) -> usize {
        usize::from(self.currency.is_some())
    }

    fn stops(&self) -> usize {
        DENOMINATIONS + self.first_piece()
    }

    /// The denomination index focused, if the focus is on one.
    pub fn focused_piece(&self) -> Option<usize> {
        self.focus.checked_sub(self.first_piece())
    }

    fn currency(&self) -> Option<Currency> {
        self.currency
            .map(|i| Currency::ALL[i % Currency::ALL.len()])
    }

    /// The pieces typed so far; `None` for a box that holds no whole number.
    fn piece_counts(&self) -> Vec<Option<u32>> {
        self.pieces
            .iter()
            .map(|f| {
                let raw = f.value().trim();
                if raw.is_empty() {
                    Some(0)
                } else {
                    raw.parse().ok()
                }
            })
            .collect()
    }

    /// The value counted so far (boxes that are not numbers count nothing).
    pub fn running_total(&self) -> Decimal {
        DENOMINATIONS_CENTS
            .iter()
            .zip(self.piece_counts())
            .map(|(cents, pieces)| Decimal::new(cents * i64::from(pieces.unwrap_or(0)), 2))
            .sum()
    }

    /// The count, or the first bad box focused with the reason.
    fn count(&mut self) -> Option<CashCount> {
        let counts = self.piece_counts();
        if let Some(bad) = counts.iter().position(Option::is_none) {
            self.focus = bad + self.first_piece();
            self.error = Some(s::PIECES_WHOLE_NUMBER.into());
            return None;
        }
        let pairs: Vec<(i64, u32)> = DENOMINATIONS_CENTS
            .iter()
            .copied()
            .zip(counts.into_iter().map(|c| c.unwrap_or(0)))
            .collect();
        match CashCount::from_counts(&pairs) {
            Ok(count) => Some(count),
            Err(e) => {
                self.error = Some(e.rule);
                None
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.pieces.iter().all(Field::is_empty)
    }
}

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
            Mode::Opening(form) => self.render_count(frame, area, view, form, true),
            Mode::Closing(form) => self.render_count(frame, area, view, form, true),
            Mode::ConfirmClose(form) => {
                self.render_count(frame, area, view, form, false);
                self.render_confirm(frame, area, view, form);
            }
            Mode::Open => self.render_open(frame, area, view),
            Mode::Closed(result) => render_closed(frame, area, view, result),
        }
    }
}

impl DrawerScreen {
    fn render_open(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let block = panel(s::DRAWER_PANEL, theme);
        let inner = block.inner(area).inner(Margin::new(1, 1));
        frame.render_widget(block, area);
        let Some(Some(d)) = &view.data.desk.drawer else {
            frame.render_widget(Line::styled(s::LOADING, theme.hint), inner);
            return;
        };
        let label = |text: &'static str| Span::styled(format!("  {text:<18}"), theme.label);
        let figure = |amount: Decimal| format!("{:>16}", money(amount));
        let mut lines = vec![
            Line::from(vec![
                Span::styled(
                    format!("{}{}", theme::OK_MARKER, s::DRAWER_IS_OPEN),
                    theme.success,
                ),
                Span::raw(format!(
                    "{}{}{}{}",
                    s::SESSION_PREFIX,
                    d.session_id,
                    s::SESSION_OPENED,
                    view.clock.local(d.opened_at).format(s::DATE_TIME_FORMAT)
                )),
            ]),
            Line::default(),
            Line::from(vec![
                label(s::FIELD_CURRENCY),
                Span::styled(d.currency.clone(), theme.title),
            ]),
            Line::from(vec![
                label(s::OPENING_FLOAT),
                Span::raw(figure(d.opening_float)),
            ]),
            Line::from(vec![
                label(s::CASH_FLOWS),
                Span::styled(s::BLIND_CLOSE, theme.hint),
            ]),
            Line::default(),
            Line::from(vec![
                label(s::OPENING_COUNT),
                Span::raw(d.opening_count.clone()),
            ]),
            Line::default(),
        ];
        if let Some(error) = &self.error {
            lines.push(message_line(theme::ERROR_MARKER, error, theme.error));
        } else {
            lines.push(Line::styled(s::DRAWER_OPEN_HINT, theme.hint));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }

    fn render_count(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        form: &CountForm,
        active: bool,
    ) {
        let theme = view.theme;
        let closing = form.currency.is_none();
        let title = if closing {
            s::CLOSING_COUNT_PANEL
        } else {
            s::OPENING_COUNT_PANEL
        };
        let block = panel(title, theme);
        let inner = block.inner(area).inner(Margin::new(1, 1));
        frame.render_widget(block, area);
        let [intro, currency_area, _, grid, _, total_area, message, _] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(u16::try_from(PER_COLUMN).unwrap_or(6)),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Min(0),
        ])
        .areas(inner);
        let intro_text = if closing {
            s::CLOSING_COUNT_INTRO
        } else {
            s::OPENING_COUNT_INTRO
        };
        frame.render_widget(Line::styled(intro_text, theme.hint), intro);

        // The currency: chosen when opening, the session's when closing.
        let currency_text = match (form.currency(), &view.data.desk.drawer) {
            (Some(c), _) => format!("◀ {c} ▶"),
            (None, Some(Some(d))) => d.currency.clone(),
            (None, _) => s::EMPTY_VALUE.to_string(),
        };
        let currency_focused = active && form.currency.is_some() && form.focus == 0;
        let (marker, label_style) = if currency_focused {
            (theme::FOCUS_MARKER, theme.label_focused)
        } else {
            (theme::NO_MARKER, theme.label)
        };
        frame.render_widget(
            Line::from(vec![
                Span::styled(format!("{marker}{:<14}", s::FIELD_CURRENCY), label_style),
                Span::styled(
                    currency_text,
                    if currency_focused {
                        theme.input_focused
                    } else {
                        theme.title
                    },
                ),
            ]),
            currency_area,
        );

        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(grid);
        let mut cursor = None;
        for (i, cents) in DENOMINATIONS_CENTS.iter().enumerate() {
            let column = if i < PER_COLUMN { left } else { right };
            let row = u16::try_from(i % PER_COLUMN).unwrap_or(0);
            let rect = Rect {
                y: column.y + row,
                height: 1,
                ..column
            };
            let focused = active && form.focused_piece() == Some(i);
            let position = piece_row(frame, rect, view, *cents, &form.pieces[i], focused);
            cursor = cursor.or(position);
        }
        if let Some(position) = cursor {
            frame.set_cursor_position(position);
        }

        frame.render_widget(
            Line::from(vec![
                Span::styled(
                    format!(
                        "  {:<18}",
                        if closing {
                            s::COUNTED_TOTAL
                        } else {
                            s::OPENING_FLOAT
                        }
                    ),
                    theme.label,
                ),
                Span::styled(format!("{:>16}", money(form.running_total())), theme.title),
            ]),
            total_area,
        );
        let busy = self.is_sending().then_some(s::SENDING);
        let hint = if closing {
            s::CLOSING_COUNT_HINT
        } else {
            s::OPENING_COUNT_HINT
        };
        let line = form_status(
            form.error.as_deref(),
            busy,
            view,
            Line::styled(hint, theme.hint),
        );
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
    }

    fn render_confirm(&self, frame: &mut Frame, area: Rect, view: &View, form: &CountForm) {
        let theme = view.theme;
        let inner = dialog::open(frame, area, 60, 8, s::CLOSE_CONFIRM_TITLE, theme);
        let status = match (&form.error, self.is_sending()) {
            (_, true) => dialog::busy_line(view, s::SENDING),
            (Some(error), false) => message_line(theme::ERROR_MARKER, error, theme.error),
            (None, false) => Line::default(),
        };
        let lines = vec![
            Line::from(vec![
                Span::raw(s::CLOSE_CONFIRM_COUNTED),
                Span::styled(money(form.running_total()), theme.title),
            ]),
            Line::styled(s::CLOSE_CONFIRM_FINAL, theme.hint),
            Line::default(),
            status,
            dialog::keys_line(s::CLOSE_CONFIRM_ENTER, s::CLOSE_CONFIRM_ESC, theme),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}

/// "▶  100.00 × [    20] =   2,000.00"; returns the cursor position when focused.
fn piece_row(
    frame: &mut Frame,
    area: Rect,
    view: &View,
    cents: i64,
    field: &Field,
    focused: bool,
) -> Option<Position> {
    let theme = view.theme;
    let (marker, label_style, input_style) = if focused {
        (
            theme::FOCUS_MARKER,
            theme.label_focused,
            theme.input_focused,
        )
    } else {
        (theme::NO_MARKER, theme.label, theme.input)
    };
    let denomination = format_money(Decimal::new(cents, 2));
    let pieces: i64 = field.value().trim().parse().unwrap_or(0);
    let value = money(Decimal::new(cents * pieces, 2));
    let prefix = format!("{marker}{denomination:>7} × [");
    let width = usize::from(BOX);
    let text = field.value();
    frame.render_widget(
        Line::from(vec![
            Span::styled(prefix.clone(), label_style),
            Span::styled(format!("{text:>width$}"), input_style),
            Span::styled("]", label_style),
            Span::styled(format!(" = {value:>12}"), theme.dim),
        ]),
        area,
    );
    focused.then(|| {
        let prefix_width = u16::try_from(prefix.chars().count()).unwrap_or(0);
        // The text is right-aligned in the box; the cursor sits after the text's end.
        let typed = u16::try_from(text.chars().count()).unwrap_or(BOX).min(BOX);
        let cursor = u16::try_from(field.input.cursor()).unwrap_or(BOX).min(BOX);
        let x = area.x + prefix_width + (BOX - typed) + cursor;
        Position::new(x.min(area.x + area.width.saturating_sub(1)), area.y)
    })
}

fn render_closed(frame: &mut Frame, area: Rect, view: &View, result: &DrawerView) {
    let theme = view.theme;
    let block = panel(s::DRAWER_CLOSED_PANEL, theme);
    let inner = block.inner(area).inner(Margin::new(1, 1));
    frame.render_widget(block, area);
    let label = |text: &'static str| Span::styled(format!("  {text:<18}"), theme.label);
    let figure = |amount: Decimal| format!("{:>16}", money(amount));
    let counted = result.counted.unwrap_or_default();
    let expected = result.expected.unwrap_or_default();
    let difference = result.over_short.unwrap_or(counted - expected);
    let (word, style) = if difference > Decimal::ZERO {
        (s::OVER, theme.warning)
    } else if difference < Decimal::ZERO {
        (s::SHORT, theme.warning)
    } else {
        (s::BALANCED, theme.success)
    };
    let mut lines = vec![
        message_line(theme::OK_MARKER, s::DRAWER_CLOSED_HEADING, theme.success),
        Line::raw(format!(
            "  {}{}{}{}",
            s::SESSION,
            result.session_id,
            s::SESSION_CURRENCY,
            result.currency
        )),
        Line::default(),
        Line::from(vec![
            label(s::OPENING_FLOAT),
            Span::raw(figure(result.opening_float)),
        ]),
        Line::from(vec![
            label(s::CASH_IN),
            Span::raw(figure(result.cash_in.unwrap_or_default())),
        ]),
        Line::from(vec![
            label(s::CASH_OUT),
            Span::raw(figure(result.cash_out.unwrap_or_default())),
        ]),
        Line::from(vec![label(s::EXPECTED_CASH), Span::raw(figure(expected))]),
        Line::from(vec![
            label(s::COUNTED_TOTAL),
            Span::styled(figure(counted), theme.title),
        ]),
        Line::from(vec![
            label(word),
            Span::styled(figure(difference.abs()), style),
        ]),
        Line::default(),
    ];
    if !difference.is_zero() {
        lines.push(Line::styled(s::OVER_SHORT_POSTED, theme.hint));
    }
    lines.push(Line::styled(s::DRAWER_CLOSED_HINT, theme.hint));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
