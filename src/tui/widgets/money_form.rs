//! What the counter's form and the customer's transfer form share: the receiving account's
//! number checked as it is typed and its owner looked up, the amount spelled in words as it is
//! typed, and the recipient's name shown after a number.
//!
//! The screens keep their own fields (`to`, `amount`, `memo`) and the request they send; these
//! functions put the hints and errors on those fields.

use crate::domain::{amount_in_words, AccountNumber, Amount};
use crate::services::BankError;
use crate::tui::context::describe;
use crate::tui::strings as s;

use super::field::Field;

/// The digits of a full account number.
const DIGITS: usize = 10;

/// Checks a receiving account's number as it is typed: while digits are missing the field says
/// how many are typed, a bad number gets its error. A valid number is returned, to look up its
/// owner (the field then says so).
pub fn number_typed(to: &mut Field) -> Option<AccountNumber> {
    to.hint = None;
    to.error = None;
    let compact: String = to
        .value()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if compact.is_empty() {
        return None;
    }
    if compact.len() < DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
        to.hint = Some(format!("{}{}", compact.len(), s::DIGITS_OF_TEN));
        return None;
    }
    match AccountNumber::parse(to.value()) {
        Ok(number) => {
            to.hint = Some(s::RECIPIENT_LOOKING.into());
            Some(number)
        }
        Err(e) => {
            to.error = Some(e.rule);
            None
        }
    }
}

/// What the lookup of a receiving account's owner found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The owner's name.
    Found(String),
    /// No such account.
    Missing,
    /// The bank could not say (the field shows why).
    Failed,
}

/// Shows the answer of a recipient lookup on the number's field.
pub fn recipient_answered(to: &mut Field, result: Result<String, BankError>) -> Lookup {
    to.hint = None;
    match result {
        Ok(name) => {
            to.hint = Some(format!("{}{name}", s::RECIPIENT_PREFIX));
            Lookup::Found(name)
        }
        Err(BankError::NotFound(_)) => {
            to.error = Some(s::RECIPIENT_MISSING.into());
            Lookup::Missing
        }
        Err(error) => {
            to.hint = Some(describe(&error));
            Lookup::Failed
        }
    }
}

/// Spells a valid amount in words (in `currency`) under the amount field.
pub fn amount_typed(amount: &mut Field, currency: &str) {
    amount.hint = Amount::parse(amount.value())
        .ok()
        .map(|a| amount_in_words(a.value(), currency));
}

/// "  (D. Julis)" after a receiving account's number, when its owner is known.
pub fn recipient_suffix(name: Option<&str>) -> String {
    name.map(|name| format!("  ({name})")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(value: &str) -> (Field, Option<AccountNumber>) {
        let mut to = Field::new(s::FIELD_TO).with_value(value);
        to.error = Some("old".into());
        to.hint = Some("old".into());
        let number = number_typed(&mut to);
        (to, number)
    }

    #[test]
    fn a_number_being_typed_counts_its_digits() {
        let (to, number) = typed("1234 5");
        assert_eq!(number, None);
        assert_eq!(to.error, None);
        assert_eq!(to.hint, Some(format!("5{}", s::DIGITS_OF_TEN)));
        let (to, number) = typed("");
        assert_eq!((number, to.hint, to.error), (None, None, None));
    }

    #[test]
    fn a_bad_number_gets_its_error_and_no_lookup() {
        let (to, number) = typed("12345x");
        assert_eq!(number, None);
        assert!(to.error.is_some());
        assert_eq!(to.hint, None);
    }

    #[test]
    fn a_valid_number_is_looked_up_and_the_answer_shown() -> Result<(), String> {
        let valid = AccountNumber::from_serial(123_456_789)
            .ok_or("no number")?
            .as_str()
            .to_string();
        let (mut to, number) = typed(&valid);
        assert_eq!(
            number.as_ref().map(AccountNumber::as_str),
            Some(valid.as_str())
        );
        assert_eq!(to.hint.as_deref(), Some(s::RECIPIENT_LOOKING));

        let found = recipient_answered(&mut to, Ok("D. Julis".into()));
        assert_eq!(found, Lookup::Found("D. Julis".into()));
        assert_eq!(to.hint, Some(format!("{}D. Julis", s::RECIPIENT_PREFIX)));

        let missing = recipient_answered(&mut to, Err(BankError::NotFound(valid.clone())));
        assert_eq!(missing, Lookup::Missing);
        assert_eq!(to.hint, None);
        assert_eq!(to.error.as_deref(), Some(s::RECIPIENT_MISSING));
        Ok(())
    }

    #[test]
    fn the_amount_is_spelled_when_valid() {
        let mut amount = Field::new(s::FIELD_AMOUNT).with_value("12.50");
        amount_typed(&mut amount, "EUR");
        assert_eq!(
            amount.hint.as_deref(),
            Some(amount_in_words(rust_decimal::Decimal::new(1250, 2), "EUR").as_str())
        );
        amount.set_value("12.505");
        amount_typed(&mut amount, "EUR");
        assert_eq!(amount.hint, None);
    }

    #[test]
    fn the_recipient_follows_the_number_when_known() {
        assert_eq!(recipient_suffix(Some("M. Rossi")), "  (M. Rossi)");
        assert_eq!(recipient_suffix(None), "");
    }
}
