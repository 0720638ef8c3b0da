//! The account number customers read out and tellers type: 9-digit serial plus
//! a Damm check digit, which catches every single mistyped digit and every swap
//! of two neighbouring digits before a transfer goes to the wrong account.

use std::fmt;

use super::error::{Field, ValidationError};

/// Serials are exactly 9 digits, so every number is exactly 10 digits and
/// never starts with 0.
const SERIAL_MIN: u32 = 100_000_000;
const SERIAL_MAX: u32 = 999_999_999;

/// Damm's totally anti-symmetric quasigroup of order 10.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// Runs the Damm table over ASCII digits; the result is the check digit for
/// a serial, and 0 for a complete valid number.
fn damm(digits: &str) -> u8 {
    digits.bytes().fold(0u8, |interim, b| {
        DAMM[usize::from(interim)][usize::from(b.wrapping_sub(b'0') % 10)]
    })
}

fn err(rule: &str) -> ValidationError {
    ValidationError::new(Field::AccountNumber, rule)
}

/// A 10-digit account number with a valid check digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountNumber(String);

impl AccountNumber {
    /// Accepts the plain form or the grouped form with spaces or hyphens
    /// ("1234567890", "1234 5678 90", "1234-5678-90").
    pub fn parse(raw: &str) -> Result<AccountNumber, ValidationError> {
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect();
        if compact.len() != 10 || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("must be 10 digits"));
        }
        if compact.starts_with('0') {
            return Err(err("never starts with 0; check the number"));
        }
        if damm(&compact) != 0 {
            return Err(err("check digit does not match; a digit may be mistyped"));
        }
        Ok(AccountNumber(compact))
    }

    /// Builds the number for a new account from its 9-digit serial; `None`
    /// when the serial is outside 100_000_000..=999_999_999.
    pub fn from_serial(serial: u32) -> Option<AccountNumber> {
        if !(SERIAL_MIN..=SERIAL_MAX).contains(&serial) {
            return None;
        }
        let mut number = serial.to_string();
        let check = damm(&number);
        number.push(char::from(b'0' + check));
        Some(AccountNumber(number))
    }

    /// The 9-digit serial (the number without its check digit).
    pub fn serial(&self) -> u32 {
        self.0
            .bytes()
            .take(9)
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    }

    /// The plain 10 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Easier to read aloud: "1234 5678 90".
    pub fn grouped(&self) -> String {
        let (first, rest) = self.0.split_at(4);
        let (second, third) = rest.split_at(4);
        format!("{first} {second} {third}")
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn damm_reference_example() {
        // Published example: the check digit of 572 is 4.
        assert_eq!(damm("572"), 4);
        assert_eq!(damm("5724"), 0);
    }

    #[test]
    fn from_serial_bounds() {
        assert!(AccountNumber::from_serial(99_999_999).is_none());
        assert!(AccountNumber::from_serial(1_000_000_000).is_none());
        assert!(AccountNumber::from_serial(u32::MAX).is_none());
        let low = AccountNumber::from_serial(SERIAL_MIN).unwrap();
        let high = AccountNumber::from_serial(SERIAL_MAX).unwrap();
        assert_eq!(low.serial(), SERIAL_MIN);
        assert_eq!(high.serial(), SERIAL_MAX);
    }

    #[test]
    fn parse_forms_and_messages() {
        let n = AccountNumber::from_serial(123_456_789).unwrap();
        let plain = n.to_string();
        assert_eq!(plain.len(), 10);
        assert_eq!(
            n.grouped(),
            format!("{} {} {}", &plain[..4], &plain[4..8], &plain[8..])
        );
        for raw in [
            plain.clone(),
            n.grouped(),
            format!(" {} ", plain),
            n.grouped().replace(' ', "-"),
        ] {
            assert_eq!(AccountNumber::parse(&raw).unwrap(), n, "{raw:?}");
        }
        let short = AccountNumber::parse("123").unwrap_err();
        assert_eq!(short.to_string(), "Account number: must be 10 digits");
        assert_eq!(short.code(), "invalid_account_number");
        for bad in [
            "",
            "12345678901",
            "12345678a0",
            "１２３４５６７８９０",
            "1234_5678_90",
            "1234.5678.90",
        ] {
            assert_eq!(
                AccountNumber::parse(bad).unwrap_err().rule,
                "must be 10 digits",
                "{bad:?}"
            );
        }
        let mut wrong = plain.into_bytes();
        wrong[9] = b'0' + (wrong[9] - b'0' + 1) % 10;
        let wrong = String::from_utf8(wrong).unwrap();
        assert_eq!(
            AccountNumber::parse(&wrong).unwrap_err().to_string(),
            "Account number: check digit does not match; a digit may be mistyped"
        );
        // Valid check digit but a leading zero: not a number we ever issue.
        let leading_zero = format!("012345678{}", damm("012345678"));
        assert_eq!(
            AccountNumber::parse(&leading_zero).unwrap_err().field,
            Field::AccountNumber
        );
    }

    proptest! {
        #[test]
        fn serial_round_trips(serial in SERIAL_MIN..=SERIAL_MAX) {
            let n = AccountNumber::from_serial(serial).unwrap();
            prop_assert_eq!(n.serial(), serial);
            prop_assert_eq!(AccountNumber::parse(n.as_str()).unwrap(), n.clone());
            prop_assert_eq!(AccountNumber::parse(&n.grouped()).unwrap(), n);
        }

        #[test]
        fn every_single_digit_error_is_refused(serial in SERIAL_MIN..=SERIAL_MAX) {
            let n = AccountNumber::from_serial(serial).unwrap();
            let digits = n.as_str().as_bytes();
            for pos in 0..10 {
                for d in b'0'..=b'9' {
                    if d == digits[pos] {
                        continue;
                    }
                    let mut typo = digits.to_vec();
                    typo[pos] = d;
                    let typo = String::from_utf8(typo).unwrap();
                    let e = AccountNumber::parse(&typo).unwrap_err();
                    prop_assert_eq!(e.field, Field::AccountNumber);
                }
            }
        }

        #[test]
        fn every_adjacent_transposition_is_refused(serial in SERIAL_MIN..=SERIAL_MAX) {
            let n = AccountNumber::from_serial(serial).unwrap();
            let digits = n.as_str().as_bytes();
            for pos in 0..9 {
                if digits[pos] == digits[pos + 1] {
                    continue;
                }
                let mut swapped = digits.to_vec();
                swapped.swap(pos, pos + 1);
                let swapped = String::from_utf8(swapped).unwrap();
                prop_assert!(AccountNumber::parse(&swapped).is_err(), "{}", swapped);
            }
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            if let Ok(n) = AccountNumber::parse(&raw) {
                prop_assert!((SERIAL_MIN..=SERIAL_MAX).contains(&n.serial()));
            }
        }
    }
}
