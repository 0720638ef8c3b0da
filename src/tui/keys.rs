//! Key bindings as data: every screen lists its bindings once, and the same list drives the key
//! handling, the footer and the `?` help overlay.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::route::Route;
use super::strings as s;
use super::strings_approvals as sa;
use super::strings_day as sd;
use super::strings_fx as sx;

/// What a key asks for. Screens match on these, never on raw keys (text fields aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmd {
    Quit,
    Help,
    /// Open the command palette.
    Palette,
    /// Open a screen (its tab key, or a shortcut such as `h` for the history).
    Go(Route),
    NextField,
    PrevField,
    Submit,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    PrevAccount,
    NextAccount,
    Refresh,
    Export,
    Edit,
    ChangePassword,
    RemovePhone,
    Yes,
    No,
    // ---- the teller's workstation ----
    Deposit,
    Withdraw,
    Transfer,
    OpenAccount,
    Freeze,
    Unlock,
    ResetPassword,
    Reverse,
    Receipt,
    CloseDrawer,
    /// Cash from the drawer to the vault, and from the vault to the drawer.
    CashDrop,
    TopUp,
    /// The supervisor's vault: open its day, count it, close the day.
    OpenVault,
    CountVault,
    EndOfDay,
    BulkPayment,
    Statement,
    // ---- approvals that travel ----
    Approve,
    Reject,
    /// Send the operation to the supervisors instead of typing a supervisor's password here.
    SendForApproval,
}

/// One key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

pub const fn key(code: KeyCode) -> Chord {
    Chord {
        code,
        mods: KeyModifiers::NONE,
    }
}

pub const fn ch(c: char) -> Chord {
    key(KeyCode::Char(c))
}

pub const fn ctrl(c: char) -> Chord {
    Chord {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

impl Chord {
    /// Does this key event press this chord? Shift is ignored for characters and Back-Tab, since
    /// terminals differ in reporting it ('?' arrives with or without SHIFT).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let mut mods = event.modifiers;
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match event.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        code == self.code && mods == self.mods
    }

    /// How the chord is written on screen: "F3", "Ctrl-C", "Enter", "q".
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => s::KEY_SPACE.to_string(),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                return format!("{}{}", s::KEY_CTRL, c.to_ascii_uppercase());
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => s::KEY_ENTER.into(),
            KeyCode::Esc => s::KEY_ESC.into(),
            KeyCode::Tab => s::KEY_TAB.into(),
            KeyCode::BackTab => s::KEY_BACKTAB.into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => s::KEY_PAGE_UP.into(),
            KeyCode::PageDown => s::KEY_PAGE_DOWN.into(),
            KeyCode::Home => s::KEY_HOME.into(),
            KeyCode::End => s::KEY_END.into(),
            KeyCode::Delete => s::KEY_DELETE.into(),
            KeyCode::Backspace => s::KEY_BACKSPACE.into(),
            _ => "?".into(),
        };
        name
    }
}

/// A key binding: the keys, what they do, and how the footer and the help show them.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub chords: &'static [Chord],
    pub cmd: Cmd,
    /// The line in the help overlay.
    pub help: &'static str,
    /// The short word in the footer; `None` keeps the binding out of the footer.
    pub footer: Option<&'static str>,
    /// Active while a text field has the focus (plain letters are not: they are typed).
    pub typing: bool,
}

impl Binding {
    /// "Tab/↓", as shown in the help.
    pub fn keys_label(&self) -> String {
        self.chords
            .iter()
            .map(Chord::label)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The first chord's label, as shown in the footer.
    pub fn short_label(&self) -> String {
        self.chords.first().map(Chord::label).unwrap_or_default()
    }
}

/// The command a key event triggers in a list of bindings, if any.
pub fn lookup(bindings: &[Binding], event: &KeyEvent, typing: bool) -> Option<Cmd> {
    bindings
        .iter()
        .filter(|b| b.typing || !typing)
        .find(|b| b.chords.iter().any(|c| c.matches(event)))
        .map(|b| b.cmd)
}

const fn b(
    chords: &'static [Chord],
    cmd: Cmd,
    help: &'static str,
    footer: Option<&'static str>,
    typing: bool,
) -> Binding {
    Binding {
        chords,
        cmd,
        help,
        footer,
        typing,
    }
}

/// Everywhere, logged in or not.
#[rustfmt::skip]
pub const GLOBAL: &[Binding] = &[
    b(&[key(KeyCode::F(1))], Cmd::Help, s::HELP_HELP, Some(s::FOOT_HELP), true),
    b(&[ch('?')], Cmd::Help, s::HELP_HELP, None, false),
    b(&[ctrl('c')], Cmd::Quit, s::HELP_QUIT, Some(s::FOOT_QUIT), true),
    b(&[ch('q')], Cmd::Quit, s::HELP_QUIT, None, false),
    b(&[ctrl('p')], Cmd::Palette, s::HELP_PALETTE, None, true),
    b(&[ch(':')], Cmd::Palette, s::HELP_PALETTE, None, false),
];

#[rustfmt::skip]
const NEXT: Binding = b(&[key(KeyCode::Tab), key(KeyCode::Down)], Cmd::NextField, s::HELP_NEXT_FIELD, Some(s::FOOT_NEXT_FIELD), true);
#[rustfmt::skip]
const PREV: Binding = b(&[key(KeyCode::BackTab), key(KeyCode::Up)], Cmd::PrevField, s::HELP_PREV_FIELD, None, true);

#[rustfmt::skip]
pub const LOGIN: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_LOGIN_SUBMIT, Some(s::FOOT_LOGIN), true),
    NEXT,
    PREV,
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_LOGIN_ESC, None, true),
];

#[rustfmt::skip]
pub const HOME: &[Binding] = &[
    b(&[key(KeyCode::Up), ch('k')], Cmd::Up, s::HELP_SELECT_PREV, None, false),
    b(&[key(KeyCode::Down), ch('j')], Cmd::Down, s::HELP_SELECT_NEXT, None, false),
    b(&[key(KeyCode::Enter), ch('h')], Cmd::Go(Route::History), s::HELP_HOME_HISTORY, Some(s::FOOT_HISTORY), false),
    b(&[ch('t')], Cmd::Go(Route::Transfer), s::HELP_HOME_TRANSFER, Some(s::FOOT_TRANSFER), false),
    b(&[ch('p')], Cmd::Go(Route::Profile), s::HELP_GO_PROFILE, Some(s::FOOT_PROFILE), false),
    b(&[ch('r')], Cmd::Refresh, s::HELP_REFRESH, Some(s::FOOT_REFRESH), false),
    b(&[ch('s')], Cmd::Statement, s::HELP_STATEMENT, None, false),
];

#[rustfmt::skip]
pub const TRANSFER_FORM: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_TRANSFER_SUBMIT, Some(s::FOOT_REVIEW), true),
    NEXT,
    PREV,
    b(&[key(KeyCode::Left)], Cmd::PrevAccount, s::HELP_FROM_PREV, None, false),
    b(&[key(KeyCode::Right), key(KeyCode::Char(' '))], Cmd::NextAccount, s::HELP_FROM_NEXT, Some(s::FOOT_FROM), false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_BACK_KEEP, Some(s::FOOT_BACK), true),
];

#[rustfmt::skip]
pub const TRANSFER_CONFIRM: &[Binding] = &[
    b(&[key(KeyCode::Enter), ch('y')], Cmd::Submit, s::HELP_CONFIRM_TRANSFER, Some(s::FOOT_CONFIRM), false),
    b(&[key(KeyCode::Esc), ch('n')], Cmd::Back, s::HELP_CONFIRM_BACK, Some(s::FOOT_EDIT), false),
];

#[rustfmt::skip]
pub const TRANSFER_DONE: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_NEW_TRANSFER, Some(s::FOOT_NEW_TRANSFER), false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_BACK, Some(s::FOOT_BACK), false),
];

#[rustfmt::skip]
pub const HISTORY: &[Binding] = &[
    b(&[key(KeyCode::Up), ch('k')], Cmd::Up, s::HELP_ROW_PREV, None, false),
    b(&[key(KeyCode::Down), ch('j')], Cmd::Down, s::HELP_ROW_NEXT, None, false),
    b(&[key(KeyCode::PageUp)], Cmd::PageUp, s::HELP_PAGE_UP, None, false),
    b(&[key(KeyCode::PageDown)], Cmd::PageDown, s::HELP_PAGE_DOWN, Some(s::FOOT_PAGE), false),
    b(&[key(KeyCode::Home), ch('g')], Cmd::First, s::HELP_FIRST, None, false),
    b(&[key(KeyCode::End), ch('G')], Cmd::Last, s::HELP_LAST, None, false),
    b(&[key(KeyCode::Left)], Cmd::PrevAccount, s::HELP_ACCOUNT_PREV, None, false),
    b(&[key(KeyCode::Right)], Cmd::NextAccount, s::HELP_ACCOUNT_NEXT, Some(s::FOOT_ACCOUNT), false),
    b(&[ch('e')], Cmd::Export, s::HELP_EXPORT, Some(s::FOOT_EXPORT), false),
    b(&[ch('r')], Cmd::Refresh, s::HELP_REFRESH, None, false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_BACK, Some(s::FOOT_BACK), false),
];

#[rustfmt::skip]
pub const PROFILE_VIEW: &[Binding] = &[
    b(&[ch('e'), key(KeyCode::Enter)], Cmd::Edit, s::HELP_PROFILE_EDIT, Some(s::FOOT_EDIT_PROFILE), false),
    b(&[ch('c')], Cmd::ChangePassword, s::HELP_PROFILE_PASSWORD, Some(s::FOOT_PASSWORD), false),
    b(&[ch('r')], Cmd::Refresh, s::HELP_REFRESH, None, false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_BACK, Some(s::FOOT_BACK), false),
];

#[rustfmt::skip]
pub const PROFILE_EDIT: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_PROFILE_SAVE, Some(s::FOOT_SAVE), true),
    NEXT,
    PREV,
    b(&[key(KeyCode::Delete), ch('x')], Cmd::RemovePhone, s::HELP_PHONE_REMOVE, None, false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_CANCEL_EDIT, Some(s::FOOT_CANCEL), true),
];

/// The phone list has its own Up/Down while focused (they select a number there).
#[rustfmt::skip]
pub const PROFILE_PHONES: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_PROFILE_SAVE, Some(s::FOOT_SAVE), true),
    b(&[key(KeyCode::Tab)], Cmd::NextField, s::HELP_NEXT_FIELD, Some(s::FOOT_NEXT_FIELD), true),
    b(&[key(KeyCode::BackTab)], Cmd::PrevField, s::HELP_PREV_FIELD, None, true),
    b(&[key(KeyCode::Up), ch('k')], Cmd::Up, s::HELP_PHONE_PREV, None, false),
    b(&[key(KeyCode::Down), ch('j')], Cmd::Down, s::HELP_PHONE_NEXT, None, false),
    b(&[key(KeyCode::Delete), ch('x')], Cmd::RemovePhone, s::HELP_PHONE_REMOVE, Some(s::FOOT_REMOVE), false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_CANCEL_EDIT, Some(s::FOOT_CANCEL), true),
];

#[rustfmt::skip]
pub const PASSWORD_FORM: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_PASSWORD_SAVE, Some(s::FOOT_SAVE), true),
    NEXT,
    PREV,
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_CANCEL_EDIT, Some(s::FOOT_CANCEL), true),
];

#[rustfmt::skip]
pub const LOCK: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_UNLOCK, Some(s::FOOT_UNLOCK), true),
    b(&[ctrl('c')], Cmd::Quit, s::HELP_QUIT, Some(s::FOOT_QUIT), true),
];

#[rustfmt::skip]
pub const QUIT_CONFIRM: &[Binding] = &[
    b(&[ch('y'), key(KeyCode::Enter)], Cmd::Yes, s::HELP_QUIT_YES, Some(s::FOOT_QUIT), false),
    b(&[ch('n'), key(KeyCode::Esc)], Cmd::No, s::HELP_QUIT_NO, Some(s::FOOT_STAY), false),
    b(&[ctrl('c')], Cmd::Yes, s::HELP_QUIT_YES, None, false),
];

/// The command palette: what is typed searches, these keys choose and run.
#[rustfmt::skip]
pub const PALETTE: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_PALETTE_RUN, Some(s::FOOT_RUN), true),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_PALETTE_CLOSE, Some(s::FOOT_CLOSE), true),
    b(&[key(KeyCode::Up), ctrl('k')], Cmd::Up, s::HELP_PALETTE_MOVE, None, true),
    b(&[key(KeyCode::Down), ctrl('n')], Cmd::Down, s::HELP_PALETTE_MOVE, None, true),
    b(&[key(KeyCode::PageUp)], Cmd::PageUp, s::HELP_PALETTE_MOVE, None, true),
    b(&[key(KeyCode::PageDown)], Cmd::PageDown, s::HELP_PALETTE_MOVE, None, true),
    b(&[ctrl('c')], Cmd::Quit, s::HELP_QUIT, Some(s::FOOT_QUIT), true),
];

#[rustfmt::skip]
pub const HELP_OVERLAY: &[Binding] = &[
    b(&[key(KeyCode::Esc), key(KeyCode::F(1)), ch('?'), ch('q')], Cmd::Back, s::HELP_CLOSE, Some(s::FOOT_CLOSE), false),
    b(&[ctrl('c')], Cmd::Quit, s::HELP_QUIT, None, false),
    // A long help scrolls (the workstation's screens have many keys).
    b(&[key(KeyCode::Up), ch('k')], Cmd::Up, s::HELP_SCROLL, None, false),
    b(&[key(KeyCode::Down), ch('j')], Cmd::Down, s::HELP_SCROLL, None, false),
    b(&[key(KeyCode::PageUp)], Cmd::PageUp, s::HELP_SCROLL, None, false),
    b(&[key(KeyCode::PageDown)], Cmd::PageDown, s::HELP_SCROLL, None, false),
];

// ---------------------------------------------------------------- the teller's workstation

#[rustfmt::skip]
const ESC_CANCEL: Binding = b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_CANCEL_EDIT, Some(s::FOOT_CANCEL), true);

/// The lookup: the search field always has the focus; arrows pick from the results.
#[rustfmt::skip]
pub const CUSTOMERS: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_OPEN_CARD, Some(s::FOOT_OPEN_CARD), true),
    b(&[key(KeyCode::Up)], Cmd::Up, s::HELP_CUSTOMER_PREV, None, true),
    b(&[key(KeyCode::Down)], Cmd::Down, s::HELP_CUSTOMER_NEXT, None, true),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_CLEAR_SEARCH, Some(s::FOOT_CLEAR), true),
];

#[rustfmt::skip]
pub const CARD: &[Binding] = &[
    b(&[key(KeyCode::Up), ch('k')], Cmd::Up, s::HELP_CARD_UP, None, false),
    b(&[key(KeyCode::Down), ch('j')], Cmd::Down, s::HELP_CARD_DOWN, None, false),
    b(&[key(KeyCode::Tab), key(KeyCode::BackTab)], Cmd::NextField, s::HELP_CARD_PANE, None, false),
    b(&[ch('d')], Cmd::Deposit, s::HELP_DEPOSIT, Some(s::FOOT_DEPOSIT), false),
    b(&[ch('w')], Cmd::Withdraw, s::HELP_WITHDRAW, Some(s::FOOT_WITHDRAW), false),
    b(&[ch('t')], Cmd::Transfer, s::HELP_CARD_TRANSFER, Some(s::FOOT_TRANSFER), false),
    b(&[ch('x')], Cmd::Reverse, s::HELP_REVERSE, Some(s::FOOT_REVERSE), false),
    b(&[ch('o')], Cmd::OpenAccount, s::HELP_OPEN_ACCOUNT, None, false),
    b(&[ch('f')], Cmd::Freeze, s::HELP_FREEZE, None, false),
    b(&[ch('u')], Cmd::Unlock, s::HELP_UNLOCK_USER, None, false),
    b(&[ch('p')], Cmd::ResetPassword, s::HELP_RESET_PASSWORD, None, false),
    b(&[ch('e')], Cmd::Edit, s::HELP_EDIT_CUSTOMER, None, false),
    b(&[ch('b')], Cmd::BulkPayment, s::HELP_BULK, None, false),
    b(&[ch('s')], Cmd::Statement, s::HELP_STATEMENT, None, false),
    b(&[ch('r')], Cmd::Refresh, s::HELP_REFRESH, None, false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_BACK_TO_LOOKUP, Some(s::FOOT_BACK), false),
];

/// The customer's identification for large cash.
#[rustfmt::skip]
pub const ID_FORM: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_ID_SEND, Some(s::FOOT_SEND), true),
    NEXT,
    PREV,
    ESC_CANCEL,
];

/// A bulk payment: the file's path.
#[rustfmt::skip]
pub const BULK_PATH: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_BULK_CHECK, Some(s::FOOT_CHECK), true),
    b(&[key(KeyCode::Tab)], Cmd::NextField, s::HELP_BULK_PICK, Some(s::FOOT_PICK), true),
    b(&[key(KeyCode::BackTab)], Cmd::PrevField, s::HELP_BULK_PICK, None, true),
    ESC_CANCEL,
];

/// A bulk payment's preview, without an approval to give.
#[rustfmt::skip]
pub const BULK_PREVIEW: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_BULK_POST, Some(s::FOOT_POST), false),
    ESC_CANCEL,
];

/// A bulk payment posting, then posted.
#[rustfmt::skip]
pub const BULK_DONE: &[Binding] = &[
    b(&[key(KeyCode::Enter), key(KeyCode::Esc)], Cmd::Back, s::HELP_BULK_CLOSE, Some(s::FOOT_CLOSE), false),
];

/// A yes/no question (freeze an account, close the drawer with this count).
#[rustfmt::skip]
pub const CONFIRM: &[Binding] = &[
    b(&[key(KeyCode::Enter), ch('y')], Cmd::Yes, s::HELP_YES, Some(s::FOOT_CONFIRM), false),
    b(&[key(KeyCode::Esc), ch('n')], Cmd::No, s::HELP_NO, Some(s::FOOT_CANCEL), false),
];

/// Choosing the currency of a new account.
#[rustfmt::skip]
pub const CURRENCY_PICK: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_OPEN_THE_ACCOUNT, Some(s::FOOT_OPEN), false),
    b(&[key(KeyCode::Left)], Cmd::PrevAccount, s::HELP_CURRENCY_PREV, None, false),
    b(&[key(KeyCode::Right), key(KeyCode::Char(' '))], Cmd::NextAccount, s::HELP_CURRENCY_NEXT, Some(s::FOOT_CURRENCY), false),
    ESC_CANCEL,
];

/// The four-eyes dialog (and the reversal's reason): text fields only.
#[rustfmt::skip]
pub const APPROVAL: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_APPROVE, Some(s::FOOT_APPROVE), true),
    NEXT,
    PREV,
    ESC_CANCEL,
];

/// The counter's approval: typed here, or sent to the supervisors (the workstation's staff).
#[rustfmt::skip]
pub const COUNTER_APPROVAL: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_APPROVE, Some(s::FOOT_APPROVE), true),
    b(&[ctrl('s')], Cmd::SendForApproval, sa::HELP_SEND_TO_SUPERVISORS, Some(sa::FOOT_SEND_TO_SUPERVISORS), true),
    NEXT,
    PREV,
    ESC_CANCEL,
];

/// The teller waits for a supervisor's answer.
#[rustfmt::skip]
pub const COUNTER_WAITING: &[Binding] = &[
    b(&[key(KeyCode::Esc)], Cmd::Back, sa::HELP_WITHDRAW_REQUEST, Some(sa::FOOT_WITHDRAW), false),
];

/// The supervisors' list of requests.
#[rustfmt::skip]
pub const APPROVALS: &[Binding] = &[
    b(&[key(KeyCode::Up), ch('k')], Cmd::Up, s::HELP_ROW_PREV, None, false),
    b(&[key(KeyCode::Down), ch('j')], Cmd::Down, s::HELP_ROW_NEXT, None, false),
    b(&[ch('a'), key(KeyCode::Enter)], Cmd::Approve, sa::HELP_APPROVE_REQUEST, Some(sa::FOOT_APPROVE_REQUEST), false),
    b(&[ch('x')], Cmd::Reject, sa::HELP_REJECT_REQUEST, Some(sa::FOOT_REJECT_REQUEST), false),
    b(&[ch('r')], Cmd::Refresh, s::HELP_REFRESH, Some(s::FOOT_REFRESH), false),
];

/// The supervisors' exchange rates.
#[rustfmt::skip]
pub const RATES: &[Binding] = &[
    b(&[key(KeyCode::Up), ch('k')], Cmd::Up, s::HELP_ROW_PREV, None, false),
    b(&[key(KeyCode::Down), ch('j')], Cmd::Down, s::HELP_ROW_NEXT, None, false),
    b(&[ch('n'), key(KeyCode::Enter)], Cmd::Edit, sx::HELP_NEW_RATE, Some(sx::FOOT_NEW_RATE), false),
    b(&[ch('r')], Cmd::Refresh, s::HELP_REFRESH, Some(s::FOOT_REFRESH), false),
];

/// Cash for cash: the currencies and the amount.
#[rustfmt::skip]
pub const EXCHANGE_FORM: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, sx::HELP_QUOTE, Some(sx::FOOT_QUOTE), true),
    NEXT,
    PREV,
    PICK_PREV,
    PICK_NEXT,
];

/// Cash for cash: the quote shown, its countdown running.
#[rustfmt::skip]
pub const EXCHANGE_QUOTED: &[Binding] = &[
    b(&[key(KeyCode::Enter), ch('y')], Cmd::Submit, sx::HELP_EXCHANGE_CONFIRM, Some(sx::FOOT_EXCHANGE), false),
    b(&[key(KeyCode::Esc), ch('n')], Cmd::Back, sx::HELP_EXCHANGE_BACK, Some(s::FOOT_EDIT), false),
];

/// Cash for cash: the receipt.
#[rustfmt::skip]
pub const EXCHANGE_DONE: &[Binding] = &[
    b(&[key(KeyCode::Enter), key(KeyCode::Esc)], Cmd::Back, sx::HELP_NEXT_EXCHANGE, Some(sx::FOOT_NEXT_EXCHANGE), false),
];

/// Setting a pair's rates.
#[rustfmt::skip]
pub const RATE_SET: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, sx::HELP_SET_RATE, Some(sx::FOOT_SET_RATE), true),
    NEXT,
    PREV,
    ESC_CANCEL,
];

/// Deciding a request: the supervisor's own password (and a reason to reject).
#[rustfmt::skip]
pub const APPROVAL_DECIDE: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, sa::HELP_DECIDE_SUBMIT, Some(sa::FOOT_DECIDE), true),
    NEXT,
    PREV,
    ESC_CANCEL,
];

/// The customer's new password, typed twice.
#[rustfmt::skip]
pub const RESET_PASSWORD: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_RESET_SAVE, Some(s::FOOT_SAVE), true),
    NEXT,
    PREV,
    ESC_CANCEL,
];

#[rustfmt::skip]
const PICK_PREV: Binding = b(&[key(KeyCode::Left)], Cmd::PrevAccount, s::HELP_PICK_PREV, None, false);
#[rustfmt::skip]
const PICK_NEXT: Binding = b(&[key(KeyCode::Right), key(KeyCode::Char(' '))], Cmd::NextAccount, s::HELP_PICK_NEXT, Some(s::FOOT_CHOOSE), false);

#[rustfmt::skip]
pub const COUNTER_FORM: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_COUNTER_SUBMIT, Some(s::FOOT_REVIEW), true),
    NEXT,
    PREV,
    PICK_PREV,
    PICK_NEXT,
    b(&[ctrl('e')], Cmd::Go(Route::Exchange), sx::HELP_COUNTER_EXCHANGE, None, true),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_BACK_TO_CARD_KEEP, Some(s::FOOT_BACK), true),
];

#[rustfmt::skip]
pub const COUNTER_CONFIRM: &[Binding] = &[
    b(&[key(KeyCode::Enter), ch('y')], Cmd::Submit, s::HELP_COUNTER_CONFIRM, Some(s::FOOT_CONFIRM), false),
    b(&[key(KeyCode::Esc), ch('n')], Cmd::Back, s::HELP_CONFIRM_BACK, Some(s::FOOT_EDIT), false),
];

#[rustfmt::skip]
pub const COUNTER_DONE: &[Binding] = &[
    b(&[ch('p')], Cmd::Receipt, s::HELP_RECEIPT, Some(s::FOOT_RECEIPT), false),
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_NEW_OPERATION, Some(s::FOOT_NEW_OPERATION), false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_BACK_TO_CARD, Some(s::FOOT_BACK), false),
];

/// The drawer while it is open: its figures.
#[rustfmt::skip]
pub const DRAWER_OPEN: &[Binding] = &[
    b(&[ch('c')], Cmd::CloseDrawer, s::HELP_CLOSE_DRAWER, Some(s::FOOT_CLOSE_DRAWER), false),
    b(&[ch('d')], Cmd::CashDrop, sd::HELP_DROP, Some(sd::FOOT_DROP), false),
    b(&[ch('u')], Cmd::TopUp, sd::HELP_TOP_UP, Some(sd::FOOT_TOP_UP), false),
    b(&[ch('r')], Cmd::Refresh, s::HELP_REFRESH, Some(s::FOOT_REFRESH), false),
    b(&[key(KeyCode::Left)], Cmd::PrevAccount, sd::HELP_DRAWER_PREV, None, false),
    b(&[key(KeyCode::Right)], Cmd::NextAccount, sd::HELP_DRAWER_NEXT, Some(sd::FOOT_DRAWER_CURRENCY), false),
];

/// The supervisor's vault.
#[rustfmt::skip]
pub const VAULT: &[Binding] = &[
    b(&[ch('o')], Cmd::OpenVault, sd::HELP_VAULT_OPEN, Some(sd::FOOT_VAULT_OPEN), false),
    b(&[ch('c')], Cmd::CountVault, sd::HELP_VAULT_COUNT, Some(sd::FOOT_VAULT_COUNT), false),
    b(&[ch('e')], Cmd::EndOfDay, sd::HELP_EOD, Some(sd::FOOT_EOD), false),
    b(&[ch('r')], Cmd::Refresh, s::HELP_REFRESH, Some(s::FOOT_REFRESH), false),
];

/// Counting cash by denomination (the opening float, or the blind closing count).
#[rustfmt::skip]
pub const DRAWER_COUNT: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_COUNT_DONE, Some(s::FOOT_COUNT_DONE), true),
    NEXT,
    PREV,
    PICK_PREV,
    b(&[key(KeyCode::Right), key(KeyCode::Char(' '))], Cmd::NextAccount, s::HELP_CURRENCY_NEXT, Some(s::FOOT_CURRENCY), false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_COUNT_CANCEL, Some(s::FOOT_CANCEL), true),
];

/// The result of closing the drawer.
#[rustfmt::skip]
pub const DRAWER_RESULT: &[Binding] = &[b(&[key(KeyCode::Enter), key(KeyCode::Esc)], Cmd::Back, s::HELP_DRAWER_RESULT_DONE, Some(s::FOOT_DONE), false)];

/// Registering a new customer: the profile, a phone and the first password.
#[rustfmt::skip]
pub const REGISTER_FORM: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_REGISTER_SUBMIT, Some(s::FOOT_REGISTER), true),
    NEXT,
    PREV,
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_REGISTER_CLEAR, Some(s::FOOT_CLEAR), true),
];

/// Right after registering: the first account and an optional opening deposit.
#[rustfmt::skip]
pub const REGISTER_ACCOUNT: &[Binding] = &[
    b(&[key(KeyCode::Enter)], Cmd::Submit, s::HELP_REGISTER_ACCOUNT, Some(s::FOOT_OPEN), true),
    NEXT,
    PREV,
    PICK_PREV,
    b(&[key(KeyCode::Right), key(KeyCode::Char(' '))], Cmd::NextAccount, s::HELP_CURRENCY_NEXT, Some(s::FOOT_CURRENCY), false),
    b(&[key(KeyCode::Esc)], Cmd::Back, s::HELP_REGISTER_SKIP, Some(s::FOOT_SKIP), true),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn letters_are_not_commands_while_typing() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(GLOBAL, &q, false), Some(Cmd::Quit));
        assert_eq!(lookup(GLOBAL, &q, true), None);
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(GLOBAL, &ctrl_c, true), Some(Cmd::Quit));
    }

    #[test]
    fn shift_is_ignored_for_characters_and_backtab() {
        let question = press(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(lookup(GLOBAL, &question, false), Some(Cmd::Help));
        let backtab = press(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(lookup(LOGIN, &backtab, true), Some(Cmd::PrevField));
        let big_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(HISTORY, &big_g, false), Some(Cmd::Last));
    }

    #[test]
    fn labels() {
        assert_eq!(ctrl('c').label(), "Ctrl-C");
        assert_eq!(key(KeyCode::F(3)).label(), "F3");
        assert_eq!(GLOBAL[0].keys_label(), "F1");
    }
}
