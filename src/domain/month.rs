//! A calendar month, as a statement's period: "2026-03".

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::error::{Field, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// "YYYY-MM", from 2000-01 to 2999-12.
    pub fn parse(raw: &str) -> Result<Month, ValidationError> {
        let refuse = || ValidationError::new(Field::Month, "write it as YYYY-MM, e.g. 2026-03");
        let (year, month) = raw.trim().split_once('-').ok_or_else(refuse)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(refuse());
        }
        let year: i32 = year.parse().map_err(|_| refuse())?;
        let month: u32 = month.parse().map_err(|_| refuse())?;
        if !(2000..=2999).contains(&year) || !(1..=12).contains(&month) {
            return Err(refuse());
        }
        Ok(Month { year, month })
    }

    /// The month holding this day.
    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// The first day of the month after it (the end of the period, exclusive).
    pub fn next_first_day(self) -> NaiveDate {
        let (year, month) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_bound_their_period() {
        let march = Month::parse("2026-03").unwrap();
        assert_eq!(march.to_string(), "2026-03");
        assert_eq!(march.first_day().to_string(), "2026-03-01");
        assert_eq!(march.next_first_day().to_string(), "2026-04-01");
        let december = Month::parse(" 2026-12 ").unwrap();
        assert_eq!(december.next_first_day().to_string(), "2027-01-01");
        for bad in [
            "2026-13", "2026-00", "26-03", "2026/03", "2026-3", "march", "", "1999-12",
        ] {
            let error = Month::parse(bad).unwrap_err();
            assert_eq!(error.code(), "invalid_month", "{bad}");
        }
    }
}
