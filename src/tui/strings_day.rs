//! The words of the branch's day: the vault, drops and top-ups, closing the day.

pub const DROP_PANEL: &str = "Cash drop: count what goes to the vault";
pub const DROP_INTRO: &str = "Count the banknotes and coins you take out of the drawer.";
pub const DROP_HINT: &str = "Tab/↓ next box · Enter asks the supervisor to approve the drop.";
pub const TOP_UP_PANEL: &str = "Top-up: count what comes from the vault";
pub const TOP_UP_INTRO: &str = "Count the banknotes and coins the vault gives you.";
pub const TOP_UP_HINT: &str = "Tab/↓ next box · Enter asks the supervisor to approve the top-up.";
pub const VAULT_OPEN_PANEL: &str = "Open the vault: count it (blind)";
pub const VAULT_OPEN_INTRO: &str =
    "Count every banknote and coin in the vault. The book is not shown until it is counted.";
pub const VAULT_OPEN_HINT: &str = "Tab/↓ next box · Enter opens the vault's day with this count.";
pub const VAULT_COUNT_PANEL: &str = "Count the vault";
pub const VAULT_COUNT_INTRO: &str =
    "Every drawer is back: count the vault. The difference is posted as over/short.";
pub const VAULT_COUNT_HINT: &str = "Tab/↓ next box · Enter records the vault's count.";
pub const MOVED_TOTAL: &str = "Moving";
pub const MOVE_EMPTY: &str = "count at least one banknote or coin";

pub const FLOAT_APPROVAL: &str = "Opening float of ";
pub const DROP_APPROVAL: &str = "Cash drop to the vault: ";
pub const TOP_UP_APPROVAL: &str = "Top-up from the vault: ";
pub const APPROVAL_DUAL_CONTROL: &str = "Cash to or from the vault needs a supervisor (four eyes).";
pub const DROP_DONE: &str = "Cash drop to the vault done: ";
pub const TOP_UP_DONE: &str = "Top-up from the vault done: ";
pub const DRAWER_OVER_LIMIT: &str =
    "Your drawer is above its limit: make a cash drop to the vault (F5, d) before more cash comes in.";
pub const TOP_UPS: &str = "Top-ups (vault)";
pub const DROPS: &str = "Drops (vault)";
pub const DRAWER_DAY_HINT: &str = "d cash drop to the vault · u top-up from the vault";

pub const VAULT_PANEL: &str = "Vault";
pub const VAULT_SUPERVISORS_ONLY: &str =
    "Only a supervisor (admin) opens, counts and sees the vault.";
pub const TITLE_VAULT: &str = "Vault";
pub const HELP_GO_VAULT: &str = "The vault and the end of the day (supervisors)";
pub const VAULT_NOT_OPEN: &str = "The vault is not open today. o opens it with a blind count.";
pub const VAULT_OPENED_BY: &str = "Opened by ";
pub const VAULT_HOLDS: &str = "Holds (book)";
pub const VAULT_OPENING: &str = "Opening count";
pub const VAULT_OPENING_DIFF: &str = "Opening over/short";
pub const VAULT_COUNTED: &str = "Closing count";
pub const VAULT_NOT_COUNTED: &str = "not counted yet: c counts it once the drawers are closed";
pub const VAULT_MOVES: &str = "Movements";
pub const VAULT_NO_MOVES: &str = "No cash has moved in or out today.";
pub const VAULT_IN: &str = "in";
pub const VAULT_OUT: &str = "out";
pub const VAULT_OPENED_NOTICE: &str = "The vault's day is open: ";
pub const VAULT_COUNTED_NOTICE: &str = "The vault is counted; over/short ";
pub const VAULT_DAY_CLOSED: &str = "The day is closed.";

pub const EOD_TITLE: &str = "Close the day?";
pub const EOD_QUESTION: &str = "Close the business day ";
pub const EOD_EXPLAINED: &str =
    "Every drawer must be closed and the vault counted. No cash can be dated into a closed day.";
pub const EOD_ENTER: &str = " close the day   ";
pub const EOD_ESC: &str = " cancel";
pub const EOD_CLOSED: &str = "Day closed. Report: ";
pub const EOD_FILES_FAILED: &str = "The day is closed, but its report could not be written: ";

pub const HELP_VAULT_OPEN: &str = "open the vault's day (blind count)";
pub const HELP_VAULT_COUNT: &str = "count the vault once the drawers are closed";
pub const HELP_EOD: &str = "close the day and write its report";
pub const HELP_DROP: &str = "cash drop: drawer to vault (a supervisor approves)";
pub const HELP_TOP_UP: &str = "top-up: vault to drawer (a supervisor approves)";
pub const FOOT_VAULT_OPEN: &str = "open vault";
pub const FOOT_VAULT_COUNT: &str = "count vault";
pub const FOOT_EOD: &str = "end of day";
pub const FOOT_DROP: &str = "drop";
pub const FOOT_TOP_UP: &str = "top-up";

// A drawer per currency.
pub const HELP_DRAWER_PREV: &str = "the drawer of the previous currency";
pub const HELP_DRAWER_NEXT: &str = "the drawer of the next currency";
pub const FOOT_DRAWER_CURRENCY: &str = "currency";
