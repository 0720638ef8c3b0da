//! The words of foreign currency: the supervisors' rates.

pub const TITLE_RATES: &str = "Rates";
pub const HELP_GO_RATES: &str = "the exchange rates: set a pair's buy and sell (supervisors)";
pub const RATES_PANEL: &str = "Exchange rates";
pub const RATES_NONE: &str = "No rate is set. Press n to set one.";
pub const RATES_SUPERVISORS_ONLY: &str = "Only supervisors (admins) set exchange rates.";
pub const RATES_HEADER: [&str; 6] = ["Pair", "Buy", "Sell", "From", "Until", ""];
pub const IN_FORCE: &str = "in force";
pub const UNTIL_REPLACED: &str = "-";
pub const RATES_EXPLAINED: &str =
    "Buy: what the bank pays, in the second currency, for one of the first. Sell: what it asks.";
pub const HELP_NEW_RATE: &str = "set a pair's rates (a new pair, or the selected one)";
pub const FOOT_NEW_RATE: &str = "set rate";
pub const HELP_SET_RATE: &str =
    "save the rates (they apply from now; the old ones stay as history)";
pub const FOOT_SET_RATE: &str = "save";
pub const SET_RATE_TITLE: &str = "Set a rate";
pub const SET_RATE_ENTER: &str = " save   ";
pub const FIELD_BASE: &str = "Base";
pub const FIELD_QUOTE: &str = "Quote";
pub const FIELD_BUY: &str = "Buy";
pub const FIELD_SELL: &str = "Sell";
pub const RATE_SET_NOTICE: &str = "Rate set: ";
