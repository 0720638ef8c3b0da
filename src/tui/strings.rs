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
pub const DB_NODE_MOVED: &str = "Now working through database node ";
pub const DB_NODE_LEFT: &str = " stopped answering; nothing typed was lost).";
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
pub const HELP_SCROLL: &str = "Scroll the help";
pub const HELP_MORE: &str = " ↑/↓ more ";

// ---- login and lock ----
pub const LOGIN_PANEL: &str = "Log in to teller";
pub const LOGIN_INTRO: &str = "Type your email and password, then press Enter.";
pub const LOGIN_CHECKING: &str = "Checking…";
pub const CHANGE_AT_LOGIN_PANEL: &str = "Choose your own password";
pub const CHANGE_AT_LOGIN_INTRO: &str =
    "Your password was set by someone else. Type a new one twice, then press Enter (Esc: back).";
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
pub const KIND_FLOAT: &str = "float";
pub const KIND_TOP_UP: &str = "top-up";
pub const KIND_CASH_DROP: &str = "cash drop";
pub const KIND_CASH_RETURN: &str = "cash return";
pub const KIND_EXCHANGE: &str = "exchange";
pub const PARTY_CASH: &str = "cash";
pub const PARTY_EXCHANGE: &str = "exchange";
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
pub const TRANSFER_UNCONFIRMED: &str = "No second database node confirmed the transfer in time: it may not have been made. Press Enter to send it again; it will never be made twice.";
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
pub const HEADER_DEVICE: &str = "device ";
pub const RECEIPT_DEVICE: &str = "Device";
pub const TOO_SMALL_TITLE: &str = "The terminal is too small";
pub const TOO_SMALL_NOW: &str = "It is ";
pub const TOO_SMALL_NEED: &str = "; teller needs at least ";
pub const TOO_SMALL_HINT: &str = "Make the window larger.";

// ---- start-up (printed before the screen is taken over) ----
pub const NO_TERMINAL: &str = "the full-screen app needs a terminal: standard input and output must be a TTY. Run it in a terminal, or use a command (see teller --help).";
pub const BAD_IDLE_SECONDS: &str =
    "TELLER_IDLE_SECONDS must be a whole number of seconds (0 turns the idle lock off), not ";

// ---------------------------------------------------------------- the teller's workstation

// ---- tabs ----
pub const TITLE_CUSTOMERS: &str = "Find";
pub const TITLE_CARD: &str = "Card";
pub const TITLE_COUNTER: &str = "Counter";
pub const TITLE_DRAWER: &str = "Drawer";
pub const TITLE_REGISTER: &str = "New customer";

// ---- footer words ----
pub const FOOT_OPEN_CARD: &str = "open card";
pub const FOOT_CLEAR: &str = "clear";
pub const FOOT_DEPOSIT: &str = "deposit";
pub const FOOT_WITHDRAW: &str = "withdraw";
pub const FOOT_REVERSE: &str = "reverse";
pub const FOOT_OPEN: &str = "open";
pub const FOOT_CURRENCY: &str = "currency";
pub const FOOT_APPROVE: &str = "approve";
pub const FOOT_CHOOSE: &str = "choose";
pub const FOOT_RECEIPT: &str = "receipt file";
pub const FOOT_NEW_OPERATION: &str = "new";
pub const FOOT_CLOSE_DRAWER: &str = "close drawer";
pub const FOOT_COUNT_DONE: &str = "done";
pub const FOOT_DONE: &str = "done";
pub const FOOT_REGISTER: &str = "register";
pub const FOOT_SKIP: &str = "skip";

// ---- help lines ----
pub const HELP_GO_CUSTOMERS: &str = "Find a customer";
pub const HELP_GO_CARD: &str = "The card of the customer being served";
pub const HELP_GO_COUNTER: &str = "Deposit, withdrawal or transfer for the customer";
pub const HELP_GO_DRAWER: &str = "My cash drawer: open, figures, close";
pub const HELP_GO_REGISTER: &str = "Register a new customer";
pub const HELP_GO_OWN_PROFILE: &str = "My own profile and password";
pub const HELP_OPEN_CARD: &str = "Open the card of the selected customer";
pub const HELP_CUSTOMER_PREV: &str = "Previous customer in the list";
pub const HELP_CUSTOMER_NEXT: &str = "Next customer in the list";
pub const HELP_CLEAR_SEARCH: &str = "Clear the search";
pub const HELP_CARD_UP: &str = "Select the account or movement above";
pub const HELP_CARD_DOWN: &str = "Select the account or movement below";
pub const HELP_CARD_PANE: &str = "Switch between the accounts and the movements";
pub const HELP_DEPOSIT: &str = "Cash deposit into the selected account";
pub const HELP_WITHDRAW: &str = "Cash withdrawal from the selected account";
pub const HELP_CARD_TRANSFER: &str = "Transfer from the selected account";
pub const HELP_REVERSE: &str = "Reverse the selected movement (reason + supervisor)";
pub const HELP_OPEN_ACCOUNT: &str = "Open a new account for the customer";
pub const HELP_FREEZE: &str = "Freeze the account, or unfreeze it (supervisor)";
pub const HELP_UNLOCK_USER: &str = "Unlock the customer's login after failed attempts";
pub const HELP_RESET_PASSWORD: &str = "Set a new password for the customer (typed twice)";
pub const HELP_EDIT_CUSTOMER: &str = "Edit the customer's profile and phone numbers";
pub const HELP_BACK_TO_LOOKUP: &str = "Back to the customer lookup";
pub const HELP_YES: &str = "Yes, do it";
pub const HELP_NO: &str = "No, go back";
pub const HELP_OPEN_THE_ACCOUNT: &str = "Open the account in this currency";
pub const HELP_CURRENCY_PREV: &str = "Previous currency";
pub const HELP_CURRENCY_NEXT: &str = "Next currency";
pub const HELP_APPROVE: &str = "Send with the supervisor's approval";
pub const HELP_RESET_SAVE: &str = "Set the new password";
pub const HELP_PICK_PREV: &str = "Previous choice (on Operation and Account)";
pub const HELP_PICK_NEXT: &str = "Next choice (on Operation and Account)";
pub const HELP_COUNTER_SUBMIT: &str = "Check the form and review the operation";
pub const HELP_BACK_TO_CARD_KEEP: &str = "Back to the card (the form is kept)";
pub const HELP_COUNTER_CONFIRM: &str = "Make it (a supervisor approves first above the limit)";
pub const HELP_RECEIPT: &str = "Write the receipt to a text file";
pub const HELP_NEW_OPERATION: &str = "Another operation for this customer";
pub const HELP_BACK_TO_CARD: &str = "Back to the card";
pub const HELP_CLOSE_DRAWER: &str = "Close the drawer: count the cash by denomination (blind)";
pub const HELP_COUNT_DONE: &str = "Done counting";
pub const HELP_COUNT_CANCEL: &str = "Cancel the count (the drawer stays as it is)";
pub const HELP_DRAWER_RESULT_DONE: &str = "Done";
pub const HELP_REGISTER_SUBMIT: &str = "Register the customer";
pub const HELP_REGISTER_CLEAR: &str = "Clear the form";
pub const HELP_REGISTER_ACCOUNT: &str =
    "Open the account (an opening deposit is then confirmed at the counter)";
pub const HELP_REGISTER_SKIP: &str = "Skip: no account now, go to the card";

// ---- words the workstation shares ----
pub const SENDING: &str = "Sending…";
pub const NO_CUSTOMER: &str =
    "No customer is being served. Find one with F2, or register a new one with F6.";
pub const OPTIONAL: &str = "optional";
pub const YEARS: &str = " years";
pub const CUSTOMER_SINCE: &str = "customer since ";
pub const FIELD_SEARCH: &str = "Search";
pub const FIELD_PHONE: &str = "Phone";
pub const FIELD_ACCOUNT: &str = "Account";
pub const FIELD_CURRENCY: &str = "Currency";
pub const FIELD_OPERATION: &str = "Operation";
pub const FIELD_SUPERVISOR: &str = "Supervisor";
pub const FIELD_REASON: &str = "Reason";
pub const FIELD_PIECES: &str = "Pieces";
pub const FIELD_OPENING_CASH: &str = "Opening cash";
pub const COL_NAME: &str = "Name";
pub const COL_EMAIL: &str = "Email";
pub const COL_PHONE: &str = "Phone";
pub const COL_ACCOUNTS: &str = "Accts";
pub const COL_LOGIN: &str = "Login";
pub const COL_REF: &str = "Ref";
pub const COL_MEMO: &str = "Memo";
pub const COL_OPENED: &str = "Opened";
pub const ACCOUNT_PREFIX: &str = "Account ";
pub const ACCOUNT_OPENED: &str = " is open.";
pub const ACCOUNT_FROZEN: &str = " is frozen.";
pub const ACCOUNT_UNFROZEN: &str = " is open again.";

// ---- lookup ----
pub const CUSTOMERS_PANEL: &str = "Find a customer";
pub const SEARCH_HINT: &str = "name, surname, email, phone or account number";
pub const SEARCH_INTRO: &str = "Type at least 2 characters; the list follows as you type.";
pub const NO_CUSTOMER_MATCHES: &str = "No customer matches ";
pub const SEARCHING: &str = "Searching…";
pub const CUSTOMERS_FOUND: &str = " found · ↑/↓ choose · Enter opens the card";
pub const LOCKED_SHORT: &str = "locked";

// ---- card ----
pub const CARD_PANEL: &str = "Customer card";
pub const CARD_TITLE: &str = "Customer ";
pub const CARD_PHONES: &str = "Phones";
pub const CARD_LOGIN: &str = "Login";
pub const CARD_NOT_LOCKED: &str = "can log in";
pub const CARD_LOCKED_UNTIL: &str = "locked after failed logins until ";
pub const CARD_UNLOCK_HINT: &str = " (u unlocks)";
pub const CARD_ACCOUNTS_PANEL: &str = "Accounts";
pub const CARD_NO_ACCOUNTS: &str = "No accounts yet: o opens one.";
pub const CARD_MOVEMENTS_PANEL: &str = "Movements of ";
pub const EDIT_CUSTOMER_PANEL: &str = "Edit the customer's profile";
pub const NO_ACCOUNT_SELECTED: &str =
    "Select an account first (the customer has none: o opens one).";
pub const ACCOUNT_IS: &str = "The account is ";
pub const ACCOUNT_IS_NO_MONEY: &str = ": no money can move in or out.";
pub const ACCOUNT_CLOSED_NOTHING: &str = "The account is closed; it stays closed.";
pub const PICK_MOVEMENT: &str = "Choose the movement to reverse with ↑/↓, then press x.";
pub const NO_MOVEMENT_SELECTED: &str = "There is no movement to reverse.";
pub const NOT_REVERSIBLE_KIND: &str = "Only deposits, withdrawals and transfers can be reversed.";
pub const NOT_LOCKED: &str = "The customer's login is not locked.";
pub const CUSTOMER_UNLOCKED: &str = "The customer can log in again.";
pub const PASSWORD_RESET_DONE: &str = "The customer's password was reset; tell them in person.";
pub const CUSTOMER_SAVED: &str = "The customer's profile was saved.";
pub const REVERSED_PREFIX: &str = "Movement #";
pub const REVERSED_BY: &str = " was reversed by #";
pub const OPEN_ACCOUNT_TITLE: &str = "Open an account";
pub const OPEN_ACCOUNT_FOR: &str = "A new account for ";
pub const OPEN_ACCOUNT_ENTER: &str = " open it   ";
pub const FREEZE_TITLE: &str = "Freeze the account";
pub const FREEZE_QUESTION: &str = "Freeze account ";
pub const FREEZE_EXPLAINED: &str =
    "No money moves in or out until it is unfrozen, which needs a supervisor.";
pub const FREEZE_ENTER: &str = " freeze it   ";
pub const UNFREEZE_ACCOUNT: &str = "Unfreeze account ";
pub const UNFREEZE_NEEDS: &str = "Unfreezing needs a supervisor (admin): email and password.";
pub const RESET_PASSWORD_TITLE: &str = "Reset the password";
pub const RESET_PASSWORD_FOR: &str = "A new password for ";
pub const RESET_PASSWORD_RULES: &str =
    ", typed twice (at least 12 characters). It is shown nowhere afterwards.";
pub const RESET_PASSWORD_ENTER: &str = " set it   ";

// ---- approvals and reversals ----
pub const APPROVAL_TITLE: &str = "Supervisor approval";
pub const APPROVAL_ENTER: &str = " approve and send   ";
pub const APPROVAL_ESC: &str = " cancel";
pub const SUPERVISOR_PASSWORD_MISSING: &str = "the supervisor types their password";
pub const APPROVAL_FROM_ACCOUNT: &str = " · account ";
pub const APPROVAL_ABOVE_LIMIT: &str = "Above ";
pub const APPROVAL_ABOVE_LIMIT_END: &str = ": a supervisor (admin) types email and password.";
pub const REVERSAL_TITLE: &str = "Reverse a movement";
pub const REVERSE_MOVEMENT: &str = "Movement ";
pub const COUNTERPARTY_PREFIX: &str = "Counterparty: ";
pub const REVERSAL_EXPLAINED: &str =
    "The opposite movement is posted with the reason; the original stays. Once only.";

// ---- counter ----
pub const COUNTER_PANEL: &str = "Counter";
pub const COUNTER_TITLE: &str = "Counter · ";
pub const OP_DEPOSIT: &str = "Cash deposit";
pub const OP_WITHDRAWAL: &str = "Cash withdrawal";
pub const OP_TRANSFER: &str = "Transfer";
pub const OPERATION_HINT: &str = "←/→ deposit, withdrawal or transfer";
pub const ACCOUNT_PICK_HINT: &str = "←/→ another of the customer's open accounts";
pub const COUNTER_NO_ACCOUNT: &str = "The customer has no open account.";
pub const COUNTER_FORM_HINT: &str = "Enter reviews the operation before anything is done.";
pub const DRAWER_OPEN_PREFIX: &str = "Drawer open (";
pub const DRAWER_OPEN_SUFFIX: &str = ")";
pub const DRAWER_CLOSED_CASH: &str = "Your drawer is closed: F5 opens it (cash needs it).";
pub const APPROVAL_LIMIT_PREFIX: &str = " · a supervisor approves above ";
pub const CONFIRM_DEPOSIT_TITLE: &str = "Confirm the deposit";
pub const CONFIRM_WITHDRAWAL_TITLE: &str = "Confirm the withdrawal";
pub const COUNTER_NOT_ENOUGH: &str = "The balance does not cover this amount.";
pub const CONFIRM_NEEDS_APPROVAL: &str = "Above the limit: a supervisor approves next.";
pub const CONFIRM_ENTER_COUNTER: &str = " make it   ";
pub const CONFIRM_ENTER_APPROVAL: &str = " to the supervisor   ";
pub const COUNTER_UNCONFIRMED: &str = "No second database node confirmed the operation in time: it may not have been made. Press Enter to send it again; it will never be made twice.";
pub const COUNTER_CONNECTION_LOST: &str = "The connection to the database was lost: the operation may not have been made. Press Enter to send it again; it will never be made twice.";
pub const COUNTER_DONE_NOTICE: &str = "Done, reference #";
pub const COUNTER_DONE: &str = "Done.";
pub const COUNTER_REPLAYED: &str = "This had already been done; nothing moved a second time.";
pub const RECEIPT_PANEL: &str = "Receipt";
pub const RECEIPT_TELLER: &str = "Teller";
pub const RECEIPT_CUSTOMER: &str = "Customer";
pub const RECEIPT_OPERATION: &str = "Operation";
pub const RECEIPT_APPROVED_BY: &str = "Approved by";
pub const RECEIPT_FILE_HEADING: &str = "teller · receipt";
pub const RECEIPT_FILE_RULE: &str = "================";
pub const RECEIPT_FILE_HINT: &str = "p writes this receipt to a text file.";
pub const RECEIPT_WRITING: &str = "Writing the receipt…";
pub const RECEIPT_WRITTEN: &str = "Receipt written to ";
pub const RECEIPT_FAILED: &str = "The receipt could not be written: ";

// ---- drawer ----
pub const DRAWER_PANEL: &str = "My cash drawer";
pub const DRAWER_IS_OPEN: &str = "The drawer is open";
pub const SESSION_PREFIX: &str = " · session ";
pub const SESSION_OPENED: &str = " · opened ";
pub const SESSION_CURRENCY: &str = " · ";
pub const SESSION: &str = "Session ";
pub const OPENING_FLOAT: &str = "Opening float";
pub const CASH_IN: &str = "Cash in";
pub const CASH_OUT: &str = "Cash out";
pub const EXPECTED_CASH: &str = "Expected cash";
pub const CASH_FLOWS: &str = "Cash in and out";
/// While a drawer is open its teller does not see what the count should come to.
pub const BLIND_CLOSE: &str = "shown after the blind close";
pub const OPENING_COUNT: &str = "Opening count";
pub const COUNTED_TOTAL: &str = "Counted";
pub const DRAWER_OPEN_HINT: &str =
    "c closes the drawer: you count the cash without seeing what is expected.";
pub const OPENING_COUNT_PANEL: &str = "Open my drawer: count the float";
pub const CLOSING_COUNT_PANEL: &str = "Close my drawer: count the cash";
pub const OPENING_COUNT_INTRO: &str =
    "Your drawer is closed. Count the opening float, banknote by banknote.";
pub const CLOSING_COUNT_INTRO: &str =
    "Count each banknote and coin. Nothing is compared until the drawer closes.";
pub const OPENING_COUNT_HINT: &str = "Tab/↓ next box · Enter opens the drawer with this float.";
pub const CLOSING_COUNT_HINT: &str = "Tab/↓ next box · Enter closes the drawer with this count.";
pub const PIECES_WHOLE_NUMBER: &str = "the number of pieces is a whole number";
pub const FLOAT_EMPTY: &str = "count the float: the drawer cannot open empty";
pub const CLOSE_CONFIRM_TITLE: &str = "Close the drawer?";
pub const CLOSE_CONFIRM_COUNTED: &str = "You counted ";
pub const CLOSE_CONFIRM_FINAL: &str = "Closing is final: the count cannot be changed afterwards.";
pub const CLOSE_CONFIRM_ENTER: &str = " close the drawer   ";
pub const CLOSE_CONFIRM_ESC: &str = " back to the count";
pub const DRAWER_CLOSED_PANEL: &str = "Drawer closed";
pub const DRAWER_CLOSED_HEADING: &str = "The drawer is closed; the session is final.";
pub const OVER: &str = "Over";
pub const SHORT: &str = "Short";
pub const BALANCED: &str = "Over/short";
pub const OVER_SHORT_POSTED: &str = "The difference was posted to the over/short account.";
pub const DRAWER_CLOSED_HINT: &str = "Enter: done (a new drawer can be opened).";
pub const DRAWER_CLOSED_NOTICE: &str = "Drawer closed.";
pub const DRAWER_OPENED_NOTICE: &str = "Drawer open with a float of ";

// ---- register ----
pub const REGISTER_PANEL: &str = "Register a new customer";
pub const REGISTER_NOTE: &str = "Enter registers; then the first account and a cash deposit.";
pub const PASSWORD_RULE_HINT: &str = "at least 12 characters, typed twice, shown nowhere";
pub const REGISTERING: &str = "Registering…";
pub const REGISTERED_NOTICE: &str = "Registered ";
pub const REGISTERED_HEADING: &str = "Registered. Now their first account:";
pub const FIRST_ACCOUNT_PANEL: &str = "First account for ";
pub const OPENING_CASH_HINT: &str = "optional: a cash deposit now, confirmed next";
pub const FIRST_ACCOUNT_HINT: &str =
    "Enter opens the account; Esc skips it (the card can open one later).";

// ---- the command palette, the configuration, themes, the mouse ----
pub const HELP_PALETTE: &str = "Command palette: any action, screen or customer";
pub const PALETTE_TITLE: &str = "Commands";
pub const PALETTE_PROMPT: &str = "› ";
pub const PALETTE_HINT: &str = "Type to search · ↑↓ choose · Enter run · Esc close";
pub const PALETTE_NOTHING: &str = "Nothing matches.";
pub const PALETTE_SEARCHING: &str = "Looking up customers…";
pub const PALETTE_GO: &str = "Go to ";
pub const PALETTE_CUSTOMER: &str = "Customer ";
pub const PALETTE_ACCOUNT: &str = "Account ";
pub const PALETTE_UNAVAILABLE: &str = "That is not possible here any more.";
pub const HELP_PALETTE_RUN: &str = "Run the chosen line";
pub const HELP_PALETTE_CLOSE: &str = "Close the palette";
pub const HELP_PALETTE_MOVE: &str = "Choose a line";
pub const FOOT_RUN: &str = "run";

// ---- charts ----
pub const OPENING_BY_DENOMINATION: &str = "Opening float by denomination";
pub const BALANCE_CHART_FROM: &str = "Balance from ";
pub const BALANCE_CHART_TO: &str = " to ";
pub const BALANCE_CHART_ON: &str = "Balance on ";
pub const COL_TREND: &str = "Trend";

// ---- bulk payment (the card) ----
pub const HELP_BULK: &str = "Bulk payment: a CSV file paid from this account";
pub const HELP_BULK_CHECK: &str = "Read and check the file (nothing moves yet)";
pub const HELP_BULK_POST: &str = "Post the valid lines";
pub const HELP_BULK_CLOSE: &str = "Close";
pub const FOOT_CHECK: &str = "check";
pub const FOOT_POST: &str = "post";
pub const BULK_TITLE: &str = "Bulk payment";
pub const FIELD_FILE: &str = "File";
pub const BULK_INTRO: &str =
    "A CSV file with a header: to, amount, and memo or reference if you like (docs/bulk.md).";
pub const BULK_PAYER: &str = "Paid from ";
pub const BULK_CHECKING: &str = "Reading the file…";
pub const BULK_LINES: &str = "Lines";
pub const BULK_TO_PAY: &str = " to pay";
pub const BULK_INVALID: &str = " invalid (skipped)";
pub const BULK_TOTAL: &str = "Total";
pub const BULK_BALANCE: &str = "Balance";
pub const BULK_SHORT: &str =
    "The balance does not cover every line: the lines that do not fit are refused.";
pub const BULK_NEEDS_APPROVAL: &str =
    "The total is above the approval limit: a supervisor approves the whole file.";
pub const BULK_ENTER: &str = " post   ";
pub const BULK_CHECK_ENTER: &str = " check the file   ";
pub const BULK_POSTING: &str = "Posting…";
pub const BULK_OF: &str = " of ";
pub const BULK_LINES_POSTED: &str = " lines";
pub const BULK_DONE: &str = "Done";
pub const BULK_RESULTS: &str = "Results saved to ";
pub const BULK_CLOSE_ENTER: &str = " close";
pub const BULK_NOTHING: &str = "The file has no valid line to pay.";
pub const BULK_NO_FILES: &str = "The export folder holds no payment file (.csv). Type the path.";
pub const HELP_STATEMENT: &str = "This month's statement of the account, as a PDF";
pub const STATEMENT_WRITTEN: &str = "Statement written to ";
pub const HELP_BULK_PICK: &str = "The next (or previous) CSV file in the export folder";
pub const FOOT_PICK: &str = "pick a file";

// ---- large cash: the customer's identification ----
pub const ID_TITLE: &str = "Customer identification";
pub const FIELD_ID_TYPE: &str = "Document";
pub const FIELD_ID_NUMBER: &str = "Number";
pub const FIELD_ID_COUNTRY: &str = "Issued by";
pub const FIELD_ID_EXPIRY: &str = "Expires";
pub const ID_TYPE_HINT: &str = "passport, id-card or driving-licence";
pub const ID_EXPIRY_HINT: &str = "YYYY-MM-DD";
pub const ID_ENTER: &str = " record and send   ";
pub const ID_WHY: &str = "Large cash: the bank records the customer's identification with it.";
pub const HELP_ID_SEND: &str = "Record the identification and send the operation";
pub const FOOT_SEND: &str = "send";
