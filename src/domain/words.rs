//! Amounts spelled out in English for confirmation dialogs: reading
//! "one thousand dollars" catches an extra or missing zero that digits hide.

use rust_decimal::{Decimal, RoundingStrategy};

#[cfg(doc)]
use super::amount::format_money;
use super::Currency;

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Short-scale names; 13 groups of three digits cover every `u128`.
const SCALES: [&str; 13] = [
    "",
    "thousand",
    "million",
    "billion",
    "trillion",
    "quadrillion",
    "quintillion",
    "sextillion",
    "septillion",
    "octillion",
    "nonillion",
    "decillion",
    "undecillion",
];

/// Singular and plural names of a currency's main and minor units.
struct Units<'a> {
    major_one: &'a str,
    major_many: &'a str,
    minor_one: &'a str,
    minor_many: &'a str,
}

fn units_for(code: &str, decimals: u32) -> Units<'_> {
    let (major_one, major_many, minor_one, minor_many) = match code.to_ascii_uppercase().as_str() {
        "USD" | "CAD" | "AUD" | "NZD" => ("dollar", "dollars", "cent", "cents"),
        "EUR" => ("euro", "euros", "cent", "cents"),
        "GBP" => ("pound", "pounds", "penny", "pence"),
        "CHF" => ("franc", "francs", "centime", "centimes"),
        "JPY" => ("yen", "yen", "", ""),
        "KWD" | "BHD" | "JOD" | "IQD" => ("dinar", "dinars", "fils", "fils"),
        // Another currency: name it by its code and say what its decimals mean.
        _ if decimals == 3 => (code, code, "thousandth", "thousandths"),
        _ => (code, code, "hundredth", "hundredths"),
    };
    Units {
        major_one,
        major_many,
        minor_one,
        minor_many,
    }
}

/// Spells out an amount for a confirmation dialog.
///
/// `amount_in_words(1234.50, "USD")` is
/// "one thousand two hundred thirty-four dollars and fifty cents";
/// `1.00` is "one dollar", `0.01` is "one cent", zero is "zero dollars", a
/// negative value starts with "minus". The minor unit follows the currency's
/// ISO 4217 decimals: "1496 yen" has none, "30.712" dinars has 712 fils.
/// Named units (case-insensitive): USD, CAD, AUD, NZD, EUR, GBP, CHF, JPY and
/// the dinars KWD, BHD, JOD, IQD; any other code is used as the unit name, e.g.
/// "five XYZ" (two decimals when the code is not a currency). Values with more
/// decimals than the currency has are rounded half-to-even, like
/// [`format_money`].
pub fn amount_in_words(d: Decimal, currency: &str) -> String {
    let code = currency.trim();
    let decimals = Currency::parse(code).map_or(2, Currency::decimals);
    let rounded = d.round_dp_with_strategy(decimals, RoundingStrategy::MidpointNearestEven);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    // Work from the exact text in the currency's decimals: no float, no overflow.
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (whole_text, cents_text) = text.split_once('.').unwrap_or((text.as_str(), "0"));
    let whole = digits_value(whole_text);
    let cents = digits_value(cents_text);

    let units = units_for(code, decimals);
    let counted = |n: u128, one: &str, many: &str| {
        let unit = if n == 1 { one } else { many };
        if unit.is_empty() {
            // No currency given: the number alone.
            number_in_words(n)
        } else {
            format!("{} {unit}", number_in_words(n))
        }
    };
    let major = |n: u128| counted(n, units.major_one, units.major_many);
    let minor = |n: u128| counted(n, units.minor_one, units.minor_many);

    let body = match (whole, cents) {
        (0, 0) => major(0),
        (w, 0) => major(w),
        (0, c) => minor(c),
        (w, c) => format!("{} and {}", major(w), minor(c)),
    };
    if negative {
        format!("minus {body}")
    } else {
        body
    }
}

/// Value of a string of ASCII digits (other characters are ignored).
fn digits_value(digits: &str) -> u128 {
    digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0u128, |acc, b| {
            acc.saturating_mul(10).saturating_add(u128::from(b - b'0'))
        })
}

/// "one thousand two hundred thirty-four" (US style: no "and" inside the
/// number, so "and" only ever separates the cents).
fn number_in_words(mut n: u128) -> String {
    if n == 0 {
        return ONES[0].to_owned();
    }
    let mut groups: Vec<String> = Vec::new();
    let mut scale = 0;
    while n > 0 && scale < SCALES.len() {
        let group = (n % 1000) as usize;
        if group > 0 {
            let words = below_thousand(group);
            groups.push(if scale == 0 {
                words
            } else {
                format!("{words} {}", SCALES[scale])
            });
        }
        n /= 1000;
        scale += 1;
    }
    groups.reverse();
    groups.join(" ")
}

/// Words for 1..=999.
fn below_thousand(n: usize) -> String {
    let hundreds = n / 100;
    let rest = n % 100;
    let mut parts: Vec<String> = Vec::new();
    if hundreds > 0 {
        parts.push(format!("{} hundred", ONES[hundreds]));
    }
    if rest >= 20 {
        let tens = TENS[rest / 10];
        parts.push(match rest % 10 {
            0 => tens.to_owned(),
            ones => format!("{tens}-{}", ONES[ones]),
        });
    } else if rest > 0 {
        parts.push(ONES[rest].to_owned());
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    /// (amount, currency as written, the words) for `amount_in_words`.
    fn assert_words(cases: &[(&str, &str, &str)]) {
        for (amount, currency, words) in cases {
            assert_eq!(
                amount_in_words(dec(amount), currency),
                *words,
                "{amount} {currency}"
            );
        }
    }

    #[test]
    fn examples_from_the_dialogs() {
        assert_words(&[
            (
                "1234.50",
                "USD",
                "one thousand two hundred thirty-four dollars and fifty cents",
            ),
            ("1.00", "USD", "one dollar"),
            ("0.01", "USD", "one cent"),
            ("1000000000.00", "USD", "one billion dollars"),
            ("5", "XYZ", "five XYZ"),
            ("5.25", "XYZ", "five XYZ and twenty-five hundredths"),
            ("0", "USD", "zero dollars"),
            ("21.05", " ", "twenty-one and five hundredths"),
            ("-12.5", "usd", "minus twelve dollars and fifty cents"),
        ]);
    }

    #[test]
    fn currency_words() {
        assert_words(&[
            ("2.01", "EUR", "two euros and one cent"),
            ("1.01", "GBP", "one pound and one penny"),
            ("3.02", "gbp", "three pounds and two pence"),
            ("1.10", "CHF", "one franc and ten centimes"),
            ("7", " CAD ", "seven dollars"),
            ("7", "AUD", "seven dollars"),
        ]);
    }

    #[test]
    fn a_currency_without_cents_or_with_three_decimals() {
        assert_words(&[
            ("1496", "JPY", "one thousand four hundred ninety-six yen"),
            ("1", "jpy", "one yen"),
            ("1496.5", "JPY", "one thousand four hundred ninety-six yen"),
            (
                "30.712",
                "KWD",
                "thirty dinars and seven hundred twelve fils",
            ),
            ("1.001", "KWD", "one dinar and one fils"),
            ("0.05", "KWD", "fifty fils"),
            ("0", "KWD", "zero dinars"),
            ("2.5", "OMR", "two OMR and five hundred thousandths"),
            ("3", "KRW", "three KRW"),
        ]);
    }

    #[test]
    fn number_words() {
        assert_eq!(number_in_words(0), "zero");
        assert_eq!(number_in_words(13), "thirteen");
        assert_eq!(number_in_words(20), "twenty");
        assert_eq!(number_in_words(21), "twenty-one");
        assert_eq!(number_in_words(100), "one hundred");
        assert_eq!(number_in_words(105), "one hundred five");
        assert_eq!(number_in_words(1_000_001), "one million one");
        assert_eq!(
            number_in_words(999_999_999),
            "nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine"
        );
        assert!(number_in_words(u128::MAX).starts_with("three hundred forty undecillion"));
    }

    #[test]
    fn extreme_decimals() {
        assert!(amount_in_words(Decimal::MAX, "USD").ends_with("dollars"));
        assert!(amount_in_words(Decimal::MIN, "USD").starts_with("minus seventy-nine octillion"));
    }

    proptest! {
        #[test]
        fn never_panics_and_is_plain_words(mantissa in any::<i64>(), scale in 0u32..=28, code in "\\PC{0,5}") {
            let words = amount_in_words(Decimal::new(mantissa, scale), &code);
            prop_assert!(!words.is_empty());
            if !code.contains(char::is_whitespace) {
                prop_assert!(!words.contains("  "), "{:?}", words);
                prop_assert_eq!(words.trim(), words.as_str());
            }
        }
    }
}
