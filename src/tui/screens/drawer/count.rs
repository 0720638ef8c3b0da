//! The cash-count grid: one box per banknote and coin, the running total, and the form that
//! holds what was typed.

use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use rust_decimal::Decimal;

use super::bars;
use crate::domain::{
    default_denominations, denominations_in_cents, format_money_in, parse_denominations, CashCount,
    Currency,
};
use crate::tui::context::View;
use crate::tui::desk::Desk;
use crate::tui::screens::{form_status, message_line, money, panel};
use crate::tui::strings as s;
use crate::tui::strings_day as sd;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::Field;

/// Denominations per column of the count grid, at least: a currency with more than twice as
/// many (euros have 15) makes the columns longer.
const PER_COLUMN: usize = 6;
/// Width of a piece-count box.
const BOX: u16 = 7;

/// What a count is for: it sets the grid's title, words and whether a currency is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountPurpose {
    /// The drawer's opening float (from the vault).
    Float,
    /// The blind closing count of the drawer.
    Closing,
    /// Cash from the drawer to the vault.
    Drop,
    /// Cash from the vault to the drawer.
    TopUp,
    /// The vault's opening count (a supervisor, blind).
    VaultOpen,
    /// The vault's closing count (a supervisor, blind).
    VaultCount,
}

impl CountPurpose {
    fn chooses_currency(self) -> bool {
        matches!(self, Self::Float | Self::VaultOpen | Self::VaultCount)
    }

    /// Panel title, line above the grid, label of the total, hint under it.
    fn words(self) -> [&'static str; 4] {
        match self {
            Self::Float => [
                s::OPENING_COUNT_PANEL,
                s::OPENING_COUNT_INTRO,
                s::OPENING_FLOAT,
                s::OPENING_COUNT_HINT,
            ],
            Self::Closing => [
                s::CLOSING_COUNT_PANEL,
                s::CLOSING_COUNT_INTRO,
                s::COUNTED_TOTAL,
                s::CLOSING_COUNT_HINT,
            ],
            Self::Drop => [
                sd::DROP_PANEL,
                sd::DROP_INTRO,
                sd::MOVED_TOTAL,
                sd::DROP_HINT,
            ],
            Self::TopUp => [
                sd::TOP_UP_PANEL,
                sd::TOP_UP_INTRO,
                sd::MOVED_TOTAL,
                sd::TOP_UP_HINT,
            ],
            Self::VaultOpen => [
                sd::VAULT_OPEN_PANEL,
                sd::VAULT_OPEN_INTRO,
                s::COUNTED_TOTAL,
                sd::VAULT_OPEN_HINT,
            ],
            Self::VaultCount => [
                sd::VAULT_COUNT_PANEL,
                sd::VAULT_COUNT_INTRO,
                s::COUNTED_TOTAL,
                sd::VAULT_COUNT_HINT,
            ],
        }
    }
}

/// The banknotes and coins of `currency` in cents: the bank's list once read, else the list
/// the bank starts a currency with; none for a currency the bank does not count in cash (no
/// boxes: nothing to count, rather than another currency's).
pub fn cents_for(desk: &Desk, currency: Currency) -> Vec<i64> {
    if let Some((_, cents)) = desk.cash_currencies.iter().find(|(c, _)| *c == currency) {
        return cents.clone();
    }
    if !desk.cash_currencies.is_empty() {
        return Vec::new();
    }
    parse_denominations(default_denominations(currency), currency)
        .map(|values| denominations_in_cents(&values))
        .unwrap_or_default()
}

/// Keeps the bank's list of cash currencies (those with banknotes and coins) on the desk.
pub fn keep_cash_currencies(desk: &mut Desk, list: Vec<crate::services::CurrencyView>) {
    desk.cash_currencies = list
        .into_iter()
        .filter(|c| !c.denominations.is_empty())
        .map(|c| (c.code, denominations_in_cents(&c.denominations)))
        .collect();
}

/// The currencies a drawer or the vault may count: the bank's cash currencies once read, else
/// the six of the menus.
pub fn cash_choices(desk: &Desk) -> Vec<Currency> {
    if desk.cash_currencies.is_empty() {
        Currency::ALL.to_vec()
    } else {
        desk.cash_currencies.iter().map(|(c, _)| *c).collect()
    }
}

/// The cash currency after (or before) `now` in the bank's list, for ←/→ on the drawer and the
/// vault.
pub fn next_cash_currency(desk: &Desk, now: Currency, forward: bool) -> Option<Currency> {
    let choices = cash_choices(desk);
    let index = choices.iter().position(|c| *c == now).unwrap_or(0);
    choices
        .get(super::super::cycle(index, forward, choices.len()))
        .copied()
}

/// Cash counted by denomination: one small field per banknote or coin of its currency.
#[derive(Debug, Clone)]
pub struct CountForm {
    pub purpose: CountPurpose,
    /// The currencies the count may be in: those the bank counts when the purpose chooses one
    /// (the first stop, ←/→), else the session's alone.
    choices: Vec<Currency>,
    chosen: usize,
    /// The chosen currency's banknotes and coins, in cents, largest first.
    denominations: Vec<i64>,
    pub pieces: Vec<Field>,
    /// 0 is the currency when it is chosen; the denominations follow.
    pub focus: usize,
    pub error: Option<String>,
}

impl CountForm {
    /// A count in `currency` (the first a choosing count shows).
    pub fn new(purpose: CountPurpose, currency: Currency, desk: &Desk) -> Self {
        let mut choices = if purpose.chooses_currency() {
            cash_choices(desk)
        } else {
            vec![currency]
        };
        let chosen = match choices.iter().position(|c| *c == currency) {
            Some(i) => i,
            None => {
                choices.insert(0, currency);
                0
            }
        };
        let mut form = Self {
            purpose,
            choices,
            chosen,
            denominations: Vec::new(),
            pieces: Vec::new(),
            focus: 0,
            error: None,
        };
        form.set_denominations(desk);
        form
    }

    /// The opening float, in `currency` to start with.
    pub fn opening(currency: Currency, desk: &Desk) -> Self {
        Self::new(CountPurpose::Float, currency, desk)
    }

    fn set_denominations(&mut self, desk: &Desk) {
        self.denominations = cents_for(desk, self.currency());
        self.pieces = self
            .denominations
            .iter()
            .map(|_| Field::new(s::FIELD_PIECES))
            .collect();
        self.focus = self.focus.min(self.stops().saturating_sub(1));
    }

    /// The next (or previous) currency, with its own banknotes and coins (the boxes start
    /// empty: the pieces of another currency are other pieces).
    pub fn choose(&mut self, forward: bool, desk: &Desk) {
        if !self.chooses() || self.focused_piece().is_some() {
            return;
        }
        self.chosen = super::super::cycle(self.chosen, forward, self.choices.len());
        self.error = None;
        self.set_denominations(desk);
    }

    /// The bank's list of banknotes and coins arrived: an untouched count takes it.
    pub fn refresh_denominations(&mut self, desk: &Desk) {
        if self.is_empty() {
            if self.chooses() {
                let currency = self.currency();
                self.choices = cash_choices(desk);
                self.chosen = match self.choices.iter().position(|c| *c == currency) {
                    Some(i) => i,
                    None => {
                        self.choices.insert(0, currency);
                        0
                    }
                };
            }
            self.set_denominations(desk);
        }
    }

    pub fn chooses(&self) -> bool {
        self.purpose.chooses_currency()
    }

    pub fn first_piece(&self) -> usize {
        usize::from(self.chooses())
    }

    pub fn stops(&self) -> usize {
        self.denominations.len() + self.first_piece()
    }

    /// The denomination index focused, if the focus is on one.
    pub fn focused_piece(&self) -> Option<usize> {
        self.focus.checked_sub(self.first_piece())
    }

    pub fn currency(&self) -> Currency {
        self.choices
            .get(self.chosen)
            .copied()
            .unwrap_or(Currency::USD)
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

    /// (cents, pieces) counted so far (boxes that are not numbers count nothing).
    pub fn counted_so_far(&self) -> Vec<(i64, u32)> {
        self.denominations
            .iter()
            .copied()
            .zip(self.piece_counts().into_iter().map(|p| p.unwrap_or(0)))
            .collect()
    }

    /// The value counted so far (boxes that are not numbers count nothing).
    pub fn running_total(&self) -> Decimal {
        self.counted_so_far()
            .into_iter()
            .map(|(cents, pieces)| Decimal::new(cents * i64::from(pieces), 2))
            .sum()
    }

    /// The count, or the first bad box focused with the reason.
    pub fn count(&mut self) -> Option<CashCount> {
        let counts = self.piece_counts();
        if let Some(bad) = counts.iter().position(Option::is_none) {
            self.focus = bad + self.first_piece();
            self.error = Some(s::PIECES_WHOLE_NUMBER.into());
            return None;
        }
        let pairs: Vec<(i64, u32)> = self
            .denominations
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

    /// A key typed into the focused box: digits only (letters are not typed into a count).
    pub fn type_key(&mut self, key: &ratatui::crossterm::event::KeyEvent) {
        if let ratatui::crossterm::event::KeyCode::Char(c) = key.code {
            if !c.is_ascii_digit() {
                return;
            }
        }
        if let Some(field) = self.focused_piece().and_then(|i| self.pieces.get_mut(i)) {
            if field.handle_key(key) {
                self.error = None;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.iter().all(Field::is_empty)
    }
}

/// The count grid with its currency, running total and status line; `active` shows the focus,
/// `sending` the spinner.
pub fn render_count(
    frame: &mut Frame,
    area: Rect,
    view: &View,
    form: &CountForm,
    active: bool,
    sending: bool,
) {
    let theme = view.theme;
    let [title, intro_text, total_label, hint] = form.purpose.words();
    let block = panel(title, theme);
    let inner = block.inner(area).inner(Margin::new(1, 1));
    frame.render_widget(block, area);
    let rows = form.denominations.len().div_ceil(2).max(PER_COLUMN);
    let [intro, currency_area, _, grid, _, total_area, message, bars_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::try_from(rows).unwrap_or(6)),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Min(0),
    ])
    .areas(inner);
    // What has been counted so far, as bars under the grid (never what is expected).
    bars::render(
        frame,
        bars_area,
        view,
        (&bars::slices(&form.counted_so_far()), form.currency()),
    );
    frame.render_widget(Line::styled(intro_text, theme.hint), intro);

    // The currency: chosen when opening, the session's otherwise.
    let currency = form.currency();
    let currency_text = if form.chooses() {
        format!("◀ {currency} ▶  {}", currency.name())
    } else {
        currency.to_string()
    };
    let currency_focused = active && form.chooses() && form.focus == 0;
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
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(grid);
    let mut cursor = None;
    for (i, cents) in form.denominations.iter().enumerate() {
        let column = if i < rows { left } else { right };
        let row = u16::try_from(i % rows).unwrap_or(0);
        let rect = Rect {
            y: column.y + row,
            height: 1,
            ..column
        };
        let focused = active && form.focused_piece() == Some(i);
        let Some(field) = form.pieces.get(i) else {
            continue;
        };
        let position = piece_row(frame, rect, view, (*cents, currency), field, focused);
        cursor = cursor.or(position);
    }
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }

    frame.render_widget(
        Line::from(vec![
            Span::styled(format!("  {total_label:<18}"), theme.label),
            Span::styled(format!("{:>16}", money(form.running_total())), theme.title),
        ]),
        total_area,
    );
    let busy = sending.then_some(s::SENDING);
    let line = form_status(
        form.error.as_deref(),
        busy,
        view,
        Line::styled(hint, theme.hint),
    );
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
}

/// "Close the drawer?" over the count: the counted total, never the expected one.
pub(super) fn render_confirm(
    frame: &mut Frame,
    area: Rect,
    view: &View,
    form: &CountForm,
    sending: bool,
) {
    let theme = view.theme;
    let inner = dialog::open(frame, area, 60, 8, s::CLOSE_CONFIRM_TITLE, theme);
    let status = match (&form.error, sending) {
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

/// "▶  100.00 × [    20] =   2,000.00"; returns the cursor position when focused.
fn piece_row(
    frame: &mut Frame,
    area: Rect,
    view: &View,
    (cents, currency): (i64, Currency),
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
    let denomination = format_money_in(Decimal::new(cents, 2), currency);
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
