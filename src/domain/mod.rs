//! Validated value types for the teller app. Every user-typed value is parsed
//! here once, at the edge, so the rest of the app only ever sees valid data.
//! No database, UI or framework code lives in this module.

mod account_number;
mod age;
mod amount;
mod cash_count;
mod currency;
mod device;
mod device_key;
mod email;
mod error;
mod fx;
mod hidden;
mod idempotency_key;
mod identity;
mod kinds;
mod memo;
mod month;
mod name;
mod password;
mod phone;
mod reason;
mod role;
mod words;

pub use account_number::AccountNumber;
pub use age::Age;
pub use amount::{
    format_money, format_money_grouped, format_money_grouped_in, format_money_in, Amount,
};
pub use cash_count::{
    default_denominations, denominations_in_cents, parse_denominations, CashCount, Shortfall,
    DENOMINATIONS_CENTS,
};
pub use currency::Currency;
pub use device::DeviceName;
pub use device_key::DeviceKey;
pub use email::Email;
pub use error::{Field, ValidationError};
pub use fx::{convert, convert_to_unit, margin, QuoteId, Rate, RatePair, Side, QUOTE_SECONDS};
pub use hidden::{has_hidden, is_hidden};
pub use idempotency_key::IdempotencyKey;
pub use identity::{mask_id_number, IdDocument, IdType};
pub use kinds::{AccountKind, AccountStatus, AuditAction, AuditOutcome, MovementKind, UnknownName};
pub use memo::Memo;
pub use month::Month;
pub use name::{City, Country, Name, Surname};
pub use password::{Password, Secret};
pub use phone::Phone;
pub use reason::Reason;

/// An optional field as typed: empty (or blank) is none, anything else must parse.
pub fn optional<T, E>(raw: &str, parse: impl Fn(&str) -> Result<T, E>) -> Result<Option<T>, E> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}
pub use role::Role;
pub use words::amount_in_words;
