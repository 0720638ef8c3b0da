//! A customer's or staff member's email address, used as the login name, so
//! it is normalised to lower case and checked for the mistakes people make
//! when typing one (missing domain, stray spaces, double dots).

use std::fmt;

use super::error::{Field, ValidationError};

/// The longest address that fits in SMTP's forward path.
const MAX_BYTES: usize = 254;

/// A plausible, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

fn err(rule: &str) -> ValidationError {
    ValidationError::new(Field::Email, rule)
}

impl Email {
    /// Checks the shape `local@domain.tld`; no DNS lookup.
    pub fn parse(raw: &str) -> Result<Email, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(err("enter an email address, like name@example.com"));
        }
        if super::has_hidden(raw) {
            return Err(err(
                "must not contain invisible or direction-changing characters",
            ));
        }
        if s.chars().any(char::is_whitespace) {
            return Err(err("must not contain spaces"));
        }
        let lower = s.to_lowercase();
        if lower.len() > MAX_BYTES {
            return Err(err("too long: at most 254 characters"));
        }
        let mut parts = lower.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err("must contain exactly one @, like name@example.com"));
        };
        if local.is_empty() {
            return Err(err("the part before the @ is missing"));
        }
        if domain.is_empty() {
            return Err(err("the part after the @ is missing, like example.com"));
        }
        if !domain.contains('.') {
            return Err(err("the part after the @ needs a dot, like example.com"));
        }
        let labels_ok = domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        if !labels_ok {
            return Err(err(
                "the part after the @ is not a valid domain; check for doubled dots or a dot or hyphen at either end",
            ));
        }
        Ok(Email(lower))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_lowercases() {
        let e = Email::parse("  Ana.Lopez+bank@Example.CO.uk ").unwrap();
        assert_eq!(e.as_str(), "ana.lopez+bank@example.co.uk");
        assert_eq!(e.to_string(), "ana.lopez+bank@example.co.uk");
        assert_eq!(AsRef::<str>::as_ref(&e), "ana.lopez+bank@example.co.uk");
        assert_eq!(
            Email::parse("José@Correo.es").unwrap().as_str(),
            "josé@correo.es"
        );
        assert!(Email::parse("a@b-c.com").is_ok());
    }

    #[test]
    fn refuses_bad_shapes() {
        let too_long = format!("{}@example.com", "a".repeat(243));
        let just_fits = format!("{}@example.com", "a".repeat(242));
        assert_eq!(just_fits.len(), 254);
        assert!(Email::parse(&just_fits).is_ok());
        for raw in [
            "",
            "   ",
            "plain",
            "a@@b.com",
            "a@b@c.com",
            "@b.com",
            "a@",
            "a@localhost",
            "a@b..com",
            "a@.b.com",
            "a@b.com.",
            "a@-b.com",
            "a@b.com-",
            "a@b-.com",
            "a b@c.com",
            "a@b .com",
            "a\u{0}@b.com",
            "a\t@b.com",
            "a@b.c\u{7f}om",
            too_long.as_str(),
        ] {
            let e = Email::parse(raw).unwrap_err();
            assert_eq!(e.field, Field::Email, "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn generated_addresses_round_trip(
            local in "[A-Za-z0-9._%+-]{1,30}",
            labels in proptest::collection::vec("[A-Za-z0-9]([A-Za-z0-9-]{0,8}[A-Za-z0-9])?", 1..4),
            tld in "[A-Za-z]{2,6}",
        ) {
            let raw = format!("{local}@{}.{tld}", labels.join("."));
            let e = Email::parse(&format!(" {raw} ")).unwrap();
            prop_assert_eq!(e.as_str(), raw.to_lowercase());
            prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e);
        }

        #[test]
        fn any_text_never_panics(raw in "\\PC*") {
            if let Ok(e) = Email::parse(&raw) {
                prop_assert_eq!(e.as_str().matches('@').count(), 1);
                prop_assert!(e.as_str().len() <= MAX_BYTES);
            }
        }
    }
}
