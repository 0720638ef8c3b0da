//! What the counter's form and the customer's transfer form share: the receiving account's
//! number checked as it is typed and its owner looked up, the amount spelled in words as it is
//! typed, the recipient's name shown after a number, and the money part of the confirmation.
//!
//! The screens keep their own fields (`to`, `amount`, `memo`) and the request they send; these
//! functions put the hints and errors on those fields.

use ratatui::text::{Line, Span};
use rust_decimal::Decimal;

use crate::domain::{amount_in_words, AccountNumber, Amount, Memo};
use crate::services::{BankError, Payee};
use crate::tui::context::describe;
use crate::tui::screens::{label_span, message_line, money, wrap_words};
use crate::tui::strings as s;
use crate::tui::theme::{self, Theme};

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
    /// The owner's name and the account's currency.
    Found(Payee),
    /// No such account.
    Missing,
    /// The bank could not say (the field shows why).
    Failed,
}

/// Shows the answer of a recipient lookup on the number's field.
pub fn recipient_answered(to: &mut Field, result: Result<Payee, BankError>) -> Lookup {
    to.hint = None;
    match result {
        Ok(payee) => {
            to.hint = Some(format!("{}{}", s::RECIPIENT_PREFIX, payee.name));
            Lookup::Found(payee)
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

/// The receiving account's number on submitting: valid and not the paying account `from`;
/// otherwise the error is marked on the field.
pub fn to_checked(to: &mut Field, from: Option<&AccountNumber>) -> Option<AccountNumber> {
    match AccountNumber::parse(to.value()) {
        Ok(number) if Some(&number) == from => {
            to.error = Some(s::SAME_ACCOUNT.into());
            None
        }
        Ok(number) => Some(number),
        Err(e) => {
            to.error = Some(e.rule);
            None
        }
    }
}

/// The amount on submitting, or its error marked on the field.
pub fn amount_checked(amount: &mut Field) -> Option<Amount> {
    Amount::parse(amount.value())
        .map_err(|e| amount.error = Some(e.rule))
        .ok()
}

/// The memo (none when left empty) on submitting, or its error marked on the field.
pub fn memo_checked(memo: &mut Field) -> Option<Option<Memo>> {
    Memo::parse_optional(memo.value())
        .map_err(|e| memo.error = Some(e.rule))
        .ok()
}

/// The amount in words, wrapped at `width` columns so that it is never cut off.
pub fn amount_words(amount: Decimal, currency: &str, width: usize) -> Vec<String> {
    wrap_words(&amount_in_words(amount, currency), width)
}

/// The money part of a confirmation dialog.
pub struct MoneyConfirmation<'m> {
    pub currency: &'m str,
    pub amount: Decimal,
    /// The amount in words, already wrapped (see [`amount_words`]).
    pub words: Vec<String>,
    pub memo: Option<&'m Memo>,
    pub before: Decimal,
    pub after: Decimal,
    /// What the screen says when the balance would go below zero.
    pub not_enough: &'static str,
}

impl MoneyConfirmation<'_> {
    /// The amount in figures and in words, the memo, the balance before and after, and the
    /// warning when it would not be enough. Labels take 16 columns.
    pub fn lines<'a>(self, theme: &Theme) -> Vec<Line<'a>> {
        let mut lines = vec![Line::from(vec![
            label_span(s::FIELD_AMOUNT, theme),
            Span::styled(
                format!("{} {}", self.currency, money(self.amount)),
                theme.title,
            ),
        ])];
        lines.extend(
            self.words.into_iter().map(|part| {
                Line::from(vec![label_span("", theme), Span::styled(part, theme.hint)])
            }),
        );
        lines.extend([
            Line::from(vec![
                label_span(s::FIELD_MEMO, theme),
                Span::raw(self.memo.map_or(s::NO_MEMO, |m| m.as_str()).to_string()),
            ]),
            Line::from(vec![
                label_span(s::BALANCE_BEFORE, theme),
                Span::raw(money(self.before)),
            ]),
            Line::from(vec![
                label_span(s::BALANCE_AFTER, theme),
                Span::raw(money(self.after)),
            ]),
        ]);
        // The bank refuses it anyway; said before sending, in the screen's own words.
        if self.after.is_sign_negative() {
            lines.push(message_line(
                theme::ERROR_MARKER,
                self.not_enough,
                theme.warning,
            ));
        }
        lines
    }
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

        let payee = Payee {
            name: "D. Julis".into(),
            currency: crate::domain::Currency::EUR,
        };
        let found = recipient_answered(&mut to, Ok(payee.clone()));
        assert_eq!(found, Lookup::Found(payee));
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
            Some(amount_in_words(Decimal::new(1250, 2), "EUR").as_str())
        );
        let words = amount_words(Decimal::new(12_345_678_901, 2), "EUR", 20);
        assert!(words.len() > 1 && words.iter().all(|w| w.chars().count() <= 20));
        amount.set_value("12.505");
        amount_typed(&mut amount, "EUR");
        assert_eq!(amount.hint, None);
    }

    #[test]
    fn submitting_marks_each_bad_field() -> Result<(), String> {
        let from = AccountNumber::from_serial(123_456_789).ok_or("no number")?;
        let mut to = Field::new(s::FIELD_TO).with_value(from.as_str());
        assert_eq!(to_checked(&mut to, Some(&from)), None);
        assert_eq!(to.error.as_deref(), Some(s::SAME_ACCOUNT));
        let other = AccountNumber::from_serial(987_654_321).ok_or("no number")?;
        let mut to = Field::new(s::FIELD_TO).with_value(other.as_str());
        assert_eq!(to_checked(&mut to, Some(&from)), Some(other));
        assert_eq!(to.error, None);
        let mut to = Field::new(s::FIELD_TO).with_value("12");
        assert_eq!(to_checked(&mut to, None), None);
        assert!(to.error.is_some());

        let mut amount = Field::new(s::FIELD_AMOUNT).with_value("-3");
        assert!(amount_checked(&mut amount).is_none() && amount.error.is_some());
        amount.set_value("3");
        assert!(amount_checked(&mut amount).is_some());

        let mut memo = Field::new(s::FIELD_MEMO);
        assert_eq!(memo_checked(&mut memo), Some(None));
        memo.set_value("rent\u{202e}gpj.exe");
        assert_eq!(memo_checked(&mut memo), None);
        assert!(memo.error.is_some());
        Ok(())
    }

    #[test]
    fn the_recipient_follows_the_number_when_known() {
        assert_eq!(recipient_suffix(Some("M. Rossi")), "  (M. Rossi)");
        assert_eq!(recipient_suffix(None), "");
    }
}
