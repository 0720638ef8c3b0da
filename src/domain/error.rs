//! The single error type every domain parser returns, so screens and the CLI
//! can show one plain sentence per bad field and scripts can match a stable code.

/// Which input a [`ValidationError`] is about; drives the label shown to the
/// teller and the machine-readable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Amount,
    Email,
    Name,
    Surname,
    Country,
    City,
    Age,
    Phone,
    Password,
    AccountNumber,
    Currency,
    IdempotencyKey,
    Memo,
    Role,
    CashCount,
    Reason,
    Month,
    IdDocument,
    Device,
    DeviceKey,
    Rate,
    Quote,
}

impl Field {
    /// Every field, for exhaustive tests and help screens.
    pub const ALL: [Field; 22] = [
        Field::Amount,
        Field::Email,
        Field::Name,
        Field::Surname,
        Field::Country,
        Field::City,
        Field::Age,
        Field::Phone,
        Field::Password,
        Field::AccountNumber,
        Field::Currency,
        Field::IdempotencyKey,
        Field::Memo,
        Field::Role,
        Field::CashCount,
        Field::Reason,
        Field::Month,
        Field::IdDocument,
        Field::Device,
        Field::DeviceKey,
        Field::Rate,
        Field::Quote,
    ];

    /// Human label, used as the first words of every error message.
    pub fn label(self) -> &'static str {
        match self {
            Field::Amount => "Amount",
            Field::Email => "Email",
            Field::Name => "Name",
            Field::Surname => "Surname",
            Field::Country => "Country",
            Field::City => "City",
            Field::Age => "Age",
            Field::Phone => "Phone",
            Field::Password => "Password",
            Field::AccountNumber => "Account number",
            Field::Currency => "Currency",
            Field::IdempotencyKey => "Idempotency key",
            Field::Memo => "Memo",
            Field::Role => "Role",
            Field::CashCount => "Cash count",
            Field::Reason => "Reason",
            Field::Month => "Month",
            Field::IdDocument => "ID",
            Field::Device => "Device",
            Field::DeviceKey => "Device key",
            Field::Rate => "Rate",
            Field::Quote => "Quote",
        }
    }

    /// Stable machine-readable code (for JSON output and exit reports);
    /// never reworded, unlike the label.
    pub fn code(self) -> &'static str {
        match self {
            Field::Amount => "invalid_amount",
            Field::Email => "invalid_email",
            Field::Name => "invalid_name",
            Field::Surname => "invalid_surname",
            Field::Country => "invalid_country",
            Field::City => "invalid_city",
            Field::Age => "invalid_age",
            Field::Phone => "invalid_phone",
            Field::Password => "invalid_password",
            Field::AccountNumber => "invalid_account_number",
            Field::Currency => "invalid_currency",
            Field::IdempotencyKey => "invalid_idempotency_key",
            Field::Memo => "invalid_memo",
            Field::Role => "invalid_role",
            Field::CashCount => "invalid_cash_count",
            Field::Reason => "invalid_reason",
            Field::Month => "invalid_month",
            Field::IdDocument => "invalid_id",
            Field::Device => "invalid_device",
            Field::DeviceKey => "invalid_device_key",
            Field::Rate => "invalid_rate",
            Field::Quote => "invalid_quote",
        }
    }
}

/// A refused input: which field, and the rule it broke in plain words.
/// Displays as "Amount: must be greater than zero".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {rule}", field.label())]
pub struct ValidationError {
    pub field: Field,
    pub rule: String,
}

impl ValidationError {
    pub fn new(field: Field, rule: impl Into<String>) -> Self {
        Self {
            field,
            rule: rule.into(),
        }
    }

    /// Shortcut for `self.field.code()`.
    pub fn code(&self) -> &'static str {
        self.field.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn display_is_label_colon_rule() {
        let e = ValidationError::new(Field::AccountNumber, "must be 10 digits");
        assert_eq!(e.to_string(), "Account number: must be 10 digits");
        assert_eq!(e.code(), "invalid_account_number");
    }

    #[test]
    fn codes_are_unique_snake_case_and_prefixed() {
        let codes: HashSet<_> = Field::ALL.iter().map(|f| f.code()).collect();
        assert_eq!(codes.len(), Field::ALL.len());
        for f in Field::ALL {
            let code = f.code();
            assert!(code.starts_with("invalid_"), "{code}");
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            // The code is the label in snake case.
            let from_label = format!("invalid_{}", f.label().to_lowercase().replace(' ', "_"));
            assert_eq!(code, from_label);
        }
        assert_eq!(Field::IdempotencyKey.code(), "invalid_idempotency_key");
    }
}
