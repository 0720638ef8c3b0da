//! Every word the app shows, in one place. Screens never spell out text themselves; error
//! messages about a field come from the domain layer (`ValidationError::rule`) and refusals from
//! the services (`BankError`'s Display).

pub const APP_NAME: &str = "teller";

// ---- header, tabs, status ----
pub const HEADER_NOBODY: &str = "not logged in";
pub const HEADER_LOCKED: &str = "locked";
pub const HEADER_DATABASE: &str = "db ";
pub const TITLE_LOGIN: &str = "Log in";
pub const TITLE_ACCOUNTS: &str = "Accounts";
pub const TITLE_TRANSFER: &str = "Transfer";
pub const TITLE_HISTORY: &str = "History";
pub const TITLE_PROFILE: &str = "Profile";
pub const TITLE_LOCKED: &str = "Locked";
pub const WORKING: &str = "working…";
pub const DB_DOWN: &str = "database unavailable, reconnecting…";
pub const DB_BACK: &str = "The database is back.";
pub const DB_UNAVAILABLE_ACTION: &str =
    "The database is unavailable; nothing was done. What you typed is kept: try again in a moment.";
pub const WELCOME: &str = "Welcome, ";
pub const LOADING: &str = "Loading…";
pub const SAVING: &str = "Saving…";
pub const EMPTY_VALUE: &str = "—";

// ---- formats (chrono) ----
pub const DATE_TIME_FORMAT: &str = "%Y-%m-%d %H:%M";
pub const DATE_FORMAT: &str = "%Y-%m-%d";
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

// ---- key names ----
pub const KEY_ENTER: &str = "Enter";
pub const KEY_ESC: &str = "Esc";
pub const KEY_TAB: &str = "Tab";
pub const KEY_BACKTAB: &str = "Shift-Tab";
pub const KEY_SPACE: &str = "Space";
pub const KEY_CTRL: &str = "Ctrl-";
pub const KEY_PAGE_UP: &str = "PgUp";
pub const KEY_PAGE_DOWN: &str = "PgDn";
pub const KEY_HOME: &str = "Home";
pub const KEY_END: &str = "End";
pub const KEY_DELETE: &str = "Del";
pub const KEY_BACKSPACE: &str = "Backspace";

// ---- footer words ----
pub const FOOT_HELP: &str = "help";
pub const FOOT_QUIT: &str = "quit";
pub const FOOT_LOGIN: &str = "log in";
pub const FOOT_NEXT_FIELD: &str = "next field";
pub const FOOT_HISTORY: &str = "history";
pub const FOOT_TRANSFER: &str = "transfer";
pub const FOOT_PROFILE: &str = "profile";
pub const FOOT_REFRESH: &str = "refresh";
pub const FOOT_REVIEW: &str = "review";
pub const FOOT_FROM: &str = "other account";
pub const FOOT_BACK: &str = "back";
pub const FOOT_CONFIRM: &str = "confirm";
pub const FOOT_EDIT: &str = "edit";
pub const FOOT_NEW_TRANSFER: &str = "new transfer";
pub const FOOT_PAGE: &str = "page";
pub const FOOT_ACCOUNT: &str = "account";
pub const FOOT_EXPORT: &str = "export CSV";
pub const FOOT_EDIT_PROFILE: &str = "edit";
pub const FOOT_PASSWORD: &str = "password";
pub const FOOT_SAVE: &str = "save";
pub const FOOT_CANCEL: &str = "cancel";
pub const FOOT_REMOVE: &str = "remove/keep";
pub const FOOT_UNLOCK: &str = "unlock";
pub const FOOT_STAY: &str = "stay";
pub const FOOT_CLOSE: &str = "close";

// ---- help lines ----
pub const HELP_TITLE: &str = "Keys: ";
pub const HELP_CLOSE_HINT: &str = "  Esc, F1 or ? closes this help.";
pub const HELP_HELP: &str = "Show the keys of this screen";
pub const HELP_QUIT: &str = "Quit (asks first if a form has unsaved input)";
pub const HELP_GO_ACCOUNTS: &str = "Go to my accounts";
pub const HELP_GO_TRANSFER: &str = "Go to the transfer form";
pub const HELP_GO_HISTORY: &str = "Go to the history of the selected account";
pub const HELP_GO_PROFILE: &str = "Go to my profile";
pub const HELP_NEXT_FIELD: &str = "Next field";
pub const HELP_PREV_FIELD: &str = "Previous field";
pub const HELP_LOGIN_SUBMIT: &str = "Log in";
pub const HELP_LOGIN_ESC: &str = "Stop waiting / clear the message";
pub const HELP_SELECT_PREV: &str = "Select the account above";
pub const HELP_SELECT_NEXT: &str = "Select the account below";
pub const HELP_HOME_HISTORY: &str = "History of the selected account";
pub const HELP_HOME_TRANSFER: &str = "Transfer from the selected account";
pub const HELP_REFRESH: &str = "Load again";
pub const HELP_TRANSFER_SUBMIT: &str = "Check the form and review the transfer";
pub const HELP_FROM_PREV: &str = "Previous account to pay from (on the From field)";
pub const HELP_FROM_NEXT: &str = "Next account to pay from (on the From field)";
pub const HELP_BACK_KEEP: &str = "Back to my accounts (the form is kept)";
pub const HELP_CONFIRM_TRANSFER: &str = "Make the transfer";
pub const HELP_CONFIRM_BACK: &str = "Back to the form, as typed";
pub const HELP_NEW_TRANSFER: &str = "Start a new transfer";
pub const HELP_BACK: &str = "Back to my accounts";
pub const HELP_ROW_PREV: &str = "Previous movement";
pub const HELP_ROW_NEXT: &str = "Next movement";
pub const HELP_PAGE_UP: &str = "Ten movements up";
pub const HELP_PAGE_DOWN: &str = "Ten movements down (older ones load as you go)";
pub const HELP_FIRST: &str = "Newest movement";
pub const HELP_LAST: &str = "Oldest movement loaded";
pub const HELP_ACCOUNT_PREV: &str = "Previous account";
pub const HELP_ACCOUNT_NEXT: &str = "Next account";
pub const HELP_EXPORT: &str = "Export the account's whole history to a CSV file";
pub const HELP_PROFILE_EDIT: &str = "Edit my profile and phone numbers";
pub const HELP_PROFILE_PASSWORD: &str = "Change my password";
pub const HELP_PROFILE_SAVE: &str = "Save (on New phone: add the number to the list)";
pub const HELP_PHONE_PREV: &str = "Previous phone number";
pub const HELP_PHONE_NEXT: &str = "Next phone number";
pub const HELP_PHONE_REMOVE: &str = "Mark the selected number - (removed on save); again: keep it";
pub const HELP_CANCEL_EDIT: &str = "Cancel, change nothing";
pub const HELP_PASSWORD_SAVE: &str = "Change the password";
pub const HELP_UNLOCK: &str = "Unlock";
pub const HELP_QUIT_YES: &str = "Quit and lose the unsaved input";
pub const HELP_QUIT_NO: &str = "Stay";
pub const HELP_CLOSE: &str = "Close the help";

// ---- login and lock ----
pub const LOGIN_PANEL: &str = "Log in to teller";
pub const LOGIN_INTRO: &str = "Type your email and password, then press Enter.";
pub const LOGIN_CHECKING: &str = "Checking…";
pub const LOGIN_FAILED: &str = "Email or password is incorrect.";
pub const LOGIN_LOCKED_OUT: &str = "Too many failed logins: this user is locked. Try again after ";
pub const ENTER_PASSWORD: &str = "enter your password";
pub const LOCK_PANEL: &str = "Locked";
pub const LOCK_HEADLINE: &str = "The screen was locked after a while without activity.";
pub const LOCK_INTRO: &str = "Type the password of ";
pub const LOCK_KEPT: &str = "Everything you typed before is kept.";
pub const UNLOCK_FAILED: &str = "That password is not correct.";

// ---- fields ----
pub const FIELD_EMAIL: &str = "Email";
pub const FIELD_PASSWORD: &str = "Password";
pub const FIELD_FROM: &str = "From";
pub const FIELD_TO: &str = "To account";
pub const FIELD_AMOUNT: &str = "Amount";
pub const FIELD_MEMO: &str = "Memo";
pub const FIELD_NAME: &str = "Name";
pub const FIELD_SURNAME: &str = "Surname";
pub const FIELD_AGE: &str = "Age";
pub const FIELD_COUNTRY: &str = "Country";
pub const FIELD_CITY: &str = "City";
pub const FIELD_ROLE: &str = "Role";
pub const FIELD_NEW_PHONE: &str = "New phone";
pub const FIELD_CURRENT_PASSWORD: &str = "Current";
pub const FIELD_NEW_PASSWORD: &str = "New password";
pub const FIELD_REPEAT_PASSWORD: &str = "Repeat new";

// ---- accounts and movements ----
pub const ACCOUNTS_PANEL: &str = "My accounts";
pub const NO_ACCOUNTS: &str = "No accounts yet. A teller can open one for you.";
pub const RECENT_PANEL: &str = "Last movements of ";
pub const RECENT_PANEL_NONE: &str = "Last movements";
pub const NO_MOVEMENTS: &str = "No movements yet.";
pub const COL_ACCOUNT: &str = "Account";
pub const COL_CURRENCY: &str = "Currency";
pub const COL_STATUS: &str = "Status";
pub const COL_BALANCE: &str = "Balance";
pub const COL_DATE: &str = "Date";
pub const COL_KIND: &str = "Kind";
pub const COL_COUNTERPARTY: &str = "Counterparty";
pub const COL_AMOUNT: &str = "Amount";
pub const COL_BALANCE_AFTER: &str = "Balance after";
pub const STATUS_OPEN: &str = "open";
pub const STATUS_FROZEN: &str = "frozen";
pub const STATUS_CLOSED: &str = "closed";
pub const KIND_DEPOSIT: &str = "deposit";
pub const KIND_WITHDRAWAL: &str = "withdrawal";
pub const KIND_TRANSFER_IN: &str = "transfer in";
pub const KIND_TRANSFER_OUT: &str = "transfer out";
pub const KIND_REVERSAL: &str = "reversal";
pub const KIND_OVER_SHORT: &str = "over/short";
pub const PARTY_CASH: &str = "cash";
pub const REFERENCE: &str = "Reference";
pub const NO_MEMO: &str = "—";

// ---- history ----
pub const HISTORY_PANEL: &str = "History of ";
pub const HISTORY_PANEL_NONE: &str = "History";
pub const HISTORY_SWITCH_HINT: &str = "  ←/→ other account";
pub const LOADED_MORE: &str = " shown, older ones load as you scroll";
pub const LOADED_ALL: &str = " movements, all shown";
pub const EXPORT_RUNNING: &str = "Exporting the whole history…";
pub const EXPORT_DONE: &str = " movements exported to ";
pub const EXPORT_FAILED: &str = "The export failed: ";

// ---- transfer ----
pub const TRANSFER_PANEL: &str = "Transfer";
pub const FROM_HINT: &str = "←/→ choose another account";
pub const DIGITS_OF_TEN: &str = " of 10 digits";
pub const RECIPIENT_LOOKING: &str = "Looking up the recipient…";
pub const RECIPIENT_PREFIX: &str = "Recipient: ";
pub const RECIPIENT_MISSING: &str = "no account has this number";
pub const SAME_ACCOUNT: &str = "is the account you pay from; choose another";
pub const NO_SOURCE_ACCOUNT: &str = "You have no open account to pay from.";
pub const TRANSFER_FORM_HINT: &str = "Enter reviews the transfer before anything is sent.";
pub const TRANSFER_SENDING: &str = "Sending the transfer…";
pub const TRANSFER_STILL_SENDING: &str =
    "The last transfer is still being sent; wait for its answer.";
pub const TRANSFER_CONNECTION_LOST: &str = "The connection to the database was lost: the transfer may not have been made. Press Enter to send it again; it will never be made twice.";
pub const CONFIRM_TITLE: &str = "Confirm the transfer";
pub const BALANCE_BEFORE: &str = "Balance now";
pub const BALANCE_AFTER: &str = "Balance after";
pub const CONFIRM_NOT_ENOUGH: &str = "Your balance does not cover this amount.";
pub const CONFIRM_ENTER: &str = " make the transfer   ";
pub const CONFIRM_ESC: &str = " back to the form";
pub const TRANSFER_DONE: &str = "The transfer is done.";
pub const TRANSFER_REPLAYED: &str =
    "This transfer had already been made; nothing moved a second time.";
pub const TRANSFER_DONE_NOTICE: &str = "Transfer done, reference #";
pub const NEW_BALANCE: &str = "New balance";
pub const TIME: &str = "Time";

// ---- profile ----
pub const PROFILE_PANEL: &str = "My profile";
pub const PROFILE_EDIT_PANEL: &str = "Edit my profile";
pub const PHONES_PANEL: &str = "Phone numbers";
pub const NO_PHONES: &str = "No phone numbers.";
pub const PHONES_HINT: &str = "Del/x: remove/keep";
pub const PHONE_KEPT: &str = "  ";
pub const PHONE_REMOVED: &str = "- ";
pub const PHONE_ADDED: &str = "+ ";
pub const MEMBER_SINCE: &str = "Customer since";
pub const PROFILE_SAVED: &str = "Profile saved.";
pub const PROFILE_UNCHANGED: &str = "Nothing was changed.";
pub const EMAIL_TAKEN: &str = "another user already has this email";
pub const PASSWORD_PANEL: &str = "Change my password";
pub const PASSWORD_INTRO: &str =
    "Type your current password, then the new one twice (at least 12 characters).";
pub const PASSWORDS_DIFFER: &str = "the two new passwords differ";
pub const CURRENT_PASSWORD_WRONG: &str = "this is not your current password";
pub const PASSWORD_CHANGED: &str = "Password changed.";

// ---- quit, too small ----
pub const QUIT_TITLE: &str = "Quit teller?";
pub const QUIT_QUESTION: &str = "A form holds input that was not sent. Quit anyway?";
pub const QUIT_YES: &str = " quit   ";
pub const QUIT_NO: &str = " stay";
pub const TOO_SMALL_TITLE: &str = "The terminal is too small";
pub const TOO_SMALL_NOW: &str = "It is ";
pub const TOO_SMALL_NEED: &str = "; teller needs at least ";
pub const TOO_SMALL_HINT: &str = "Make the window larger.";

// ---- start-up (printed before the screen is taken over) ----
pub const NO_TERMINAL: &str = "the full-screen app needs a terminal: standard input and output must be a TTY. Run it in a terminal, or use a command (see teller --help).";
pub const BAD_IDLE_SECONDS: &str =
    "TELLER_IDLE_SECONDS must be a whole number of seconds (0 turns the idle lock off), not ";
