//! People's names and place names as typed at the counter. Any script is
//! welcome (José, Дмитрий, 北京, Ærøskøbing); digits and symbols are refused
//! because they are almost always a slip of the keyboard.

use std::fmt;

use super::error::{Field, ValidationError};

/// Longest name kept, in characters (not bytes, so every script gets the same room).
const MAX_CHARS: usize = 64;

/// Punctuation that real names use: Saint-Denis, O'Brien, St. Louis.
fn is_name_punctuation(c: char) -> bool {
    matches!(c, '-' | '\'' | '.')
}

/// Combining marks (accents, vowel signs, viramas, tone marks) that follow a
/// letter in decomposed or complex scripts ("José" typed as e + U+0301,
/// Hindi "लक्ष्मी", Thai tone marks). `char::is_alphabetic` misses many of
/// them and std has no general-category lookup, so the common blocks are listed.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' // Combining Diacritical Marks
        | '\u{0483}'..='\u{0489}' // Cyrillic
        | '\u{0591}'..='\u{05C7}' // Hebrew points
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' // Arabic
        | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{0951}'..='\u{0957}' | '\u{0962}'..='\u{0963}' // Devanagari
        | '\u{0981}'..='\u{0983}' | '\u{09BC}'..='\u{09D7}' | '\u{09E2}'..='\u{09E3}' // Bengali
        | '\u{0A01}'..='\u{0A03}' | '\u{0A3C}'..='\u{0A51}' | '\u{0A70}'..='\u{0A71}' | '\u{0A75}' // Gurmukhi
        | '\u{0A81}'..='\u{0A83}' | '\u{0ABC}'..='\u{0ACD}' | '\u{0AE2}'..='\u{0AE3}' // Gujarati
        | '\u{0B01}'..='\u{0B03}' | '\u{0B3C}'..='\u{0B57}' | '\u{0B62}'..='\u{0B63}' // Oriya
        | '\u{0B82}' | '\u{0BBE}'..='\u{0BD7}' // Tamil
        | '\u{0C00}'..='\u{0C04}' | '\u{0C3C}'..='\u{0C56}' | '\u{0C62}'..='\u{0C63}' // Telugu
        | '\u{0C81}'..='\u{0C83}' | '\u{0CBC}'..='\u{0CD6}' | '\u{0CE2}'..='\u{0CE3}' // Kannada
        | '\u{0D00}'..='\u{0D03}' | '\u{0D3B}'..='\u{0D4D}' | '\u{0D57}' | '\u{0D62}'..='\u{0D63}' // Malayalam
        | '\u{0D81}'..='\u{0D83}' | '\u{0DCA}'..='\u{0DDF}' | '\u{0DF2}'..='\u{0DF3}' // Sinhala
        | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}' // Thai
        | '\u{0EB1}' | '\u{0EB4}'..='\u{0EBC}' | '\u{0EC8}'..='\u{0ECE}' // Lao
        | '\u{102B}'..='\u{103E}' | '\u{1056}'..='\u{1059}' // Myanmar
        | '\u{17B4}'..='\u{17D3}' // Khmer
        | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' // Diacritical supplements
        | '\u{200C}'..='\u{200D}' // zero-width (non-)joiner, Persian and Indic
        | '\u{20D0}'..='\u{20FF}' | '\u{3099}'..='\u{309A}' | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Shared rules for [`Name`], [`Surname`], [`Country`] and [`City`]: trimmed,
/// inner runs of spaces collapsed to one, 1 to 64 characters, letters of any
/// script (with their accents), spaces, `-`, `'` and `.`, at least one letter.
fn parse_name_like(raw: &str, field: Field) -> Result<String, ValidationError> {
    let err = |rule: &str| ValidationError::new(field, rule);
    if super::has_hidden(raw) {
        return Err(err(
            "must not contain tabs, line breaks, invisible or direction-changing characters",
        ));
    }
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return Err(err("cannot be empty"));
    }
    let mut previous_is_letter = false;
    let mut has_letter = false;
    for c in collapsed.chars() {
        if c.is_numeric() {
            // Checked first: Roman numerals like Ⅻ are also alphabetic.
            return Err(err("must not contain digits"));
        } else if c.is_alphabetic() {
            previous_is_letter = true;
            has_letter = true;
        } else if is_combining_mark(c) && previous_is_letter {
            // An accent or vowel sign belongs to the letter before it.
        } else if c == ' ' || is_name_punctuation(c) {
            previous_is_letter = false;
        } else {
            return Err(err(
                "use letters, spaces, hyphens (-), apostrophes (') and periods (.) only",
            ));
        }
    }
    if !has_letter {
        return Err(err("must contain at least one letter"));
    }
    if collapsed.chars().count() > MAX_CHARS {
        return Err(err("at most 64 characters"));
    }
    Ok(collapsed)
}

/// Declares one name-like newtype; the four only differ by field and docs.
macro_rules! name_type {
    ($(#[$doc:meta])* $ty:ident, $field:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $ty(String);

        impl $ty {
            /// Trims, collapses inner spaces and checks the shared name rules.
            pub fn parse(raw: &str) -> Result<Self, ValidationError> {
                parse_name_like(raw, $field).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type!(
    /// A person's given name(s).
    Name,
    Field::Name
);
name_type!(
    /// A person's family name(s).
    Surname,
    Field::Surname
);
name_type!(
    /// Country of residence, as written by the customer (not an ISO code).
    Country,
    Field::Country
);
name_type!(
    /// City of residence.
    City,
    Field::City
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_names_from_many_places() {
        for raw in [
            "Ærøskøbing",
            "José",
            "Jose\u{301}",
            "O'Brien",
            "Saint-Denis",
            "St. Louis",
            "Дмитрий",
            "北京",
            "लक्ष्मी",
            "สมชาย ใจดี",
            "Ἀθῆναι",
            "محمد",
            "X",
        ] {
            assert_eq!(Name::parse(raw).unwrap().as_str(), raw, "{raw:?}");
            assert_eq!(City::parse(raw).unwrap().as_str(), raw, "{raw:?}");
        }
    }

    #[test]
    fn trims_and_collapses_spaces() {
        let c = City::parse("  San    Juan\u{a0} de  Puerto Rico ").unwrap();
        assert_eq!(c.as_str(), "San Juan de Puerto Rico");
        assert_eq!(c.to_string(), "San Juan de Puerto Rico");
    }

    #[test]
    fn each_type_reports_its_own_field() {
        assert_eq!(Name::parse("").unwrap_err().field, Field::Name);
        assert_eq!(Surname::parse("").unwrap_err().field, Field::Surname);
        assert_eq!(Country::parse("").unwrap_err().field, Field::Country);
        assert_eq!(City::parse("").unwrap_err().field, Field::City);
        assert_eq!(
            Surname::parse("R2D2").unwrap_err().to_string(),
            "Surname: must not contain digits"
        );
    }

    #[test]
    fn refuses_digits_symbols_controls_and_length() {
        let long = "a".repeat(65);
        for raw in [
            "",
            "   ",
            "R2D2",
            "Ana3",
            "٣",
            "Ⅻ",
            "Ana@bank",
            "Ana_",
            "Ana!",
            "Ana,Lopez",
            "😀",
            "Ana\tLopez",
            "Ana\nLopez",
            "Ana\u{0}",
            "-",
            "'.'",
            "\u{301}a",
            "a .\u{301}",
            long.as_str(),
        ] {
            let e = Country::parse(raw).unwrap_err();
            assert_eq!(e.field, Field::Country, "{raw:?}");
        }
        assert!(Name::parse(&"é".repeat(64)).is_ok());
        assert!(Name::parse(&"é".repeat(65)).is_err());
    }

    proptest! {
        #[test]
        fn generated_names_round_trip(words in proptest::collection::vec("[\\p{L}][\\p{L}'.-]{0,9}", 1..5)) {
            let raw = words.join(" ");
            prop_assume!(raw.chars().count() <= MAX_CHARS);
            // Invisible letters (the Hangul fillers) are refused on purpose.
            prop_assume!(!super::super::has_hidden(&raw));
            let n = Surname::parse(&format!("  {raw}  ")).unwrap();
            prop_assert_eq!(n.as_str(), raw.as_str());
            prop_assert_eq!(Surname::parse(n.as_str()).unwrap(), n);
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            if let Ok(n) = Name::parse(&raw) {
                prop_assert!(!n.as_str().is_empty());
                prop_assert!(n.as_str().chars().count() <= MAX_CHARS);
                prop_assert!(!n.as_str().chars().any(char::is_numeric));
            }
        }
    }
}
