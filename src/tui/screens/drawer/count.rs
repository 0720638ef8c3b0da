//! The cash-count grid: one box per banknote and coin, the running total, and the form that
//! holds what was typed.

use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use rust_decimal::Decimal;

use super::bars;
use crate::domain::{format_money, CashCount, Currency, DENOMINATIONS_CENTS};
use crate::tui::context::View;
use crate::tui::screens::{form_status, message_line, money, panel};
use crate::tui::strings as s;
use crate::tui::strings_day as sd;
use crate::tui::theme;
use crate::tui::widgets::dialog;
use crate::tui::widgets::field::Field;

const DENOMINATIONS: usize = DENOMINATIONS_CENTS.len();
/// Denominations per column of the count grid.
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

/// Cash counted by denomination: one small field per banknote or coin.
#[derive(Debug, Clone)]
pub struct CountForm {
    pub purpose: CountPurpose,
    /// Opening counts choose the currency (an index into `Currency::ALL`); the others are in
    /// the session's currency.
    pub currency: Option<usize>,
    pub pieces: Vec<Field>,
    /// 0 is the currency when there is one; the denominations follow.
    pub focus: usize,
    pub error: Option<String>,
}

impl CountForm {
    pub fn new(purpose: CountPurpose) -> Self {
        Self {
            purpose,
            currency: purpose.chooses_currency().then_some(0),
            pieces: DENOMINATIONS_CENTS
                .iter()
                .map(|_| Field::new(s::FIELD_PIECES))
                .collect(),
            focus: 0,
            error: None,
        }
    }

    pub fn opening() -> Self {
        Self::new(CountPurpose::Float)
    }

    pub fn closing() -> Self {
        Self::new(CountPurpose::Closing)
    }

    pub fn first_piece(&self) -> usize {
        usize::from(self.currency.is_some())
    }

    pub fn stops(&self) -> usize {
        DENOMINATIONS + self.first_piece()
    }

    /// The denomination index focused, if the focus is on one.
    pub fn focused_piece(&self) -> Option<usize> {
        self.focus.checked_sub(self.first_piece())
    }

    pub fn currency(&self) -> Option<Currency> {
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

    /// (cents, pieces) counted so far (boxes that are not numbers count nothing).
    pub fn counted_so_far(&self) -> Vec<(i64, u32)> {
        DENOMINATIONS_CENTS
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
    let [intro, currency_area, _, grid, _, total_area, message, bars_area] = Layout::vertical([
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
    // What has been counted so far, as bars under the grid (never what is expected).
    bars::render(
        frame,
        bars_area,
        view,
        &bars::slices(&form.counted_so_far()),
    );
    frame.render_widget(Line::styled(intro_text, theme.hint), intro);

    // The currency: chosen when opening, the session's when closing.
    let currency_text = match (form.currency(), &view.data.desk.drawer) {
        (Some(c), _) => format!("◀ {c} ▶"),
        (None, Some(Some(d))) => d.currency.to_string(),
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
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(grid);
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
