//! The words of foreign currency: the supervisors' rates.

pub const TITLE_RATES: &str = "Rates";
pub const HELP_GO_RATES: &str = "Exchange rates: a pair's buy and sell (supervisors)";
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

pub const TITLE_EXCHANGE: &str = "Exchange";
pub const HELP_GO_EXCHANGE: &str = "Cash for cash at a quote, through both drawers";
pub const EXCHANGE_PANEL: &str = "Exchange cash";
pub const FIELD_PAYS: &str = "Customer pays";
pub const FIELD_GETS: &str = "Customer gets";
pub const FIELD_EXCHANGE_AMOUNT: &str = "Amount";
pub const EXCHANGE_HINT: &str =
    "The customer's cash goes into your drawer of that currency; the other comes out of yours.";
pub const NO_CURRENCIES: &str = "Reading the currencies the bank trades...";
pub const HELP_QUOTE: &str = "ask for a quote for these amounts";
pub const FOOT_QUOTE: &str = "quote";
pub const HELP_EXCHANGE_CONFIRM: &str = "exchange at this quote (both drawers)";
pub const FOOT_EXCHANGE: &str = "exchange";
pub const HELP_EXCHANGE_BACK: &str = "back to the amounts (the quote is not used)";
pub const HELP_NEXT_EXCHANGE: &str = "a new exchange";
pub const FOOT_NEXT_EXCHANGE: &str = "new";
pub const QUOTE_TITLE: &str = "Quote";
pub const QUOTE_EXPIRED: &str = "The quote expired: press Esc and ask for a new one.";
pub const RECEIPT_TITLE: &str = "Exchanged";
pub const SAME_CURRENCY: &str = "the customer pays and gets two different currencies";
pub const HELP_COUNTER_EXCHANGE: &str = "exchange cash (another currency)";
pub const FOOT_COUNTER_EXCHANGE: &str = "exchange";

// A customer's transfer into an account of another currency.
pub const TRANSFER_QUOTING: &str = "Asking the bank for a quote…";
pub const FIELD_THEY_GET: &str = "They get";
pub const FIELD_THEY_GOT: &str = "They got";
pub const FIELD_RATE: &str = "Rate";
pub const QUOTE_RENEW: &str = "expired: Enter gets a new one";
pub const EXCHANGE_APPROVAL: &str = "A supervisor approves this exchange on your screen.";
pub const EXCHANGE_ID: &str = "Above 1,000.00 USD the customer's ID is recorded with the exchange.";
