//! A customer's identification, recorded at the counter for large cash (CTR): the document's
//! type, number, issuing country and expiry. An expired document is refused.

use std::fmt;

use chrono::NaiveDate;

use super::error::{Field, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdType {
    Passport,
    IdCard,
    DrivingLicence,
}

impl IdType {
    pub const ALL: [IdType; 3] = [IdType::Passport, IdType::IdCard, IdType::DrivingLicence];

    pub fn as_str(self) -> &'static str {
        match self {
            IdType::Passport => "passport",
            IdType::IdCard => "id-card",
            IdType::DrivingLicence => "driving-licence",
        }
    }

    pub fn parse(raw: &str) -> Result<IdType, ValidationError> {
        let raw = raw.trim().to_ascii_lowercase();
        IdType::ALL
            .into_iter()
            .find(|t| t.as_str() == raw)
            .ok_or_else(|| {
                ValidationError::new(
                    Field::IdDocument,
                    "the type is passport, id-card or driving-licence",
                )
            })
    }
}

impl fmt::Display for IdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A checked identification document. Its `Debug` never shows the number (logs print jobs
/// and requests with `{:?}`); `Display` is for the supervisors' eyes only.
#[derive(Clone, PartialEq, Eq)]
pub struct IdDocument {
    pub kind: IdType,
    /// 3 to 30 letters, digits, spaces or dashes, upper-cased.
    pub number: String,
    /// The issuing country, ISO 3166 alpha-2 ("US", "DE").
    pub country: String,
    pub expiry: NaiveDate,
}

impl IdDocument {
    /// Parses the four parts; the document must not have expired before `today`.
    pub fn parse(
        kind: &str,
        number: &str,
        country: &str,
        expiry: &str,
        today: NaiveDate,
    ) -> Result<IdDocument, ValidationError> {
        let refuse = |rule: &str| ValidationError::new(Field::IdDocument, rule);
        let kind = IdType::parse(kind)?;
        let number = number.trim().to_ascii_uppercase();
        if !(3..=30).contains(&number.chars().count())
            || !number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
        {
            return Err(refuse(
                "the number is 3 to 30 letters, digits, spaces or dashes",
            ));
        }
        let country = country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(refuse(
                "the issuing country is its two-letter code (US, DE, PR)",
            ));
        }
        let expiry = NaiveDate::parse_from_str(expiry.trim(), "%Y-%m-%d")
            .map_err(|_| refuse("the expiry date is YYYY-MM-DD"))?;
        if expiry < today {
            return Err(refuse("the document has expired"));
        }
        Ok(IdDocument {
            kind,
            number,
            country,
            expiry,
        })
    }
}

impl IdDocument {
    /// The number as tellers see it: its last 4 characters.
    pub fn masked_number(&self) -> String {
        mask_id_number(&self.number)
    }
}

/// "****4567": the last 4 characters of an ID number behind a fixed mask (which does not tell
/// the number's length); a number of 4 characters or fewer is all mask.
pub fn mask_id_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let shown = if chars.len() > 4 {
        chars[chars.len() - 4..].iter().collect()
    } else {
        String::new()
    };
    format!("****{shown}")
}

impl fmt::Debug for IdDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdDocument")
            .field("kind", &self.kind)
            .field("number", &"<hidden>")
            .field("country", &self.country)
            .field("expiry", &self.expiry)
            .finish()
    }
}

impl fmt::Display for IdDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({}, expires {})",
            self.kind, self.number, self.country, self.expiry
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn a_valid_document_is_normalised() {
        let id = IdDocument::parse("Passport", " x1234567 ", "us", "2030-01-31", today()).unwrap();
        assert_eq!(id.kind, IdType::Passport);
        assert_eq!(id.number, "X1234567");
        assert_eq!(id.country, "US");
        assert_eq!(id.to_string(), "passport X1234567 (US, expires 2030-01-31)");
        // Valid on the day it expires.
        assert!(IdDocument::parse("id-card", "AB-12", "DE", "2026-12-01", today()).is_ok());
    }

    #[test]
    fn debug_never_prints_the_number_and_tellers_see_its_last_four() {
        let id = IdDocument::parse("passport", "X1234567", "US", "2030-01-31", today()).unwrap();
        let debug = format!("{id:?} {:?}", Some(&id));
        assert!(!debug.contains("1234567"), "{debug}");
        assert!(!debug.contains("4567"), "{debug}");
        assert!(debug.contains("<hidden>"), "{debug}");
        assert_eq!(id.masked_number(), "****4567");
        assert_eq!(mask_id_number("AB-12"), "****B-12");
        assert_eq!(mask_id_number("A12"), "****");
        assert_eq!(mask_id_number("AB12"), "****");
    }

    #[test]
    fn each_part_is_checked() {
        let bad = [
            ("visa", "X1234567", "US", "2030-01-01", "passport, id-card"),
            ("passport", "X1", "US", "2030-01-01", "3 to 30"),
            ("passport", "X12;34567", "US", "2030-01-01", "3 to 30"),
            ("passport", "X1234567", "USA", "2030-01-01", "two-letter"),
            ("passport", "X1234567", "US", "01/01/2030", "YYYY-MM-DD"),
            ("passport", "X1234567", "US", "2026-11-30", "expired"),
        ];
        for (kind, number, country, expiry, says) in bad {
            let error = IdDocument::parse(kind, number, country, expiry, today()).unwrap_err();
            assert_eq!(error.code(), "invalid_id");
            assert!(error.to_string().contains(says), "{error}");
        }
    }
}
