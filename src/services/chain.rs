//! The hash chain over the journal, the ID records of large cash (cash_ids) and the audit log:
//! link = SHA-256(previous link || the row's canonical bytes). Pure functions; sealing and
//! checking use them.
//!
//! Canonical bytes: a version tag, the table name, then every column in schema order, each as
//! one byte (0 = NULL, 1 = value) and, for a value, its UTF-8 text prefixed by its length as
//! 4 bytes big-endian. Integers in decimal, money as its exact value with at least 2 decimals
//! ("12.30"), times as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC). A new column needs a new version tag.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::db::audit_log::AuditRow;
use crate::db::cash_ids::CashIdRow;
use crate::db::movements::MovementRow;

/// One link of the chain.
pub(crate) type Link = [u8; 32];

/// The link before the first row.
pub(crate) const GENESIS: Link = [0; 32];

const VERSION: &str = "teller-ledger-v1";

/// The next link after `previous` for a row with these canonical bytes.
pub(crate) fn next_link(previous: &Link, canonical: &[u8]) -> Link {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(canonical);
    hasher.finalize().into()
}

pub(crate) fn movement_bytes(row: &MovementRow) -> Vec<u8> {
    let mut out = Canonical::new("movements");
    out.int(row.id)
        .text(&row.idempotency_key)
        .text(row.kind.as_str())
        .int(row.debit_account_id)
        .int(row.credit_account_id)
        .money(row.amount)
        .text(row.currency.as_str())
        .opt_text(row.memo.as_deref())
        .money(row.debit_balance_after)
        .money(row.credit_balance_after)
        .opt_int(row.reverses_id)
        .text(&row.actor)
        .opt_text(row.approved_by.as_deref())
        .time(row.created_at)
        .opt_int(row.drawer_session_id);
    device(&mut out, &row.device);
    out.0
}

pub(crate) fn audit_bytes(row: &AuditRow) -> Vec<u8> {
    let mut out = Canonical::new("audit_log");
    out.int(row.id)
        .time(row.at)
        .text(&row.actor)
        .text(&row.action)
        .opt_text(row.subject.as_deref())
        .text(&row.outcome)
        .opt_text(row.detail.as_deref())
        .opt_text(row.approved_by.as_deref());
    device(&mut out, &row.device);
    out.0
}

/// An ID record, linked right after its movement (its key is the movement's id).
pub(crate) fn cash_id_bytes(row: &CashIdRow) -> Vec<u8> {
    let mut out = Canonical::new("cash_ids");
    out.int(row.movement_id)
        .opt_int(row.customer_id)
        .text(&row.id_type)
        .text(&row.id_number)
        .text(&row.id_country)
        .text(&row.id_expiry.format("%Y-%m-%d").to_string())
        .text(&row.recorded_by)
        .time(row.recorded_at);
    out.0
}

/// The device joined the rows after the first seals: `local` (every older row) adds nothing,
/// so those seals still hold, and any other name is one more field.
fn device(out: &mut Canonical, device: &str) {
    if device != crate::domain::DeviceName::LOCAL {
        out.text(device);
    }
}

/// Lower-case hex, as stored.
pub(crate) fn to_hex(link: &Link) -> String {
    use std::fmt::Write;
    link.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The link written by `to_hex`; anything else is no link.
pub(crate) fn from_hex(hex: &str) -> Option<Link> {
    if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut link = GENESIS;
    for (i, byte) in link.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(link)
}

/// A time as "%Y-%m-%d %H:%M:%S%.6f", written field by field: chrono's formatter parses its
/// pattern on every call, a tenth of the full audit's time. A year outside 0-9999 or a leap
/// second (never in a DATETIME column) takes chrono's way, which is the definition.
fn canonical_time(value: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    let nanos = value.nanosecond();
    if !(0..=9999).contains(&value.year()) || nanos >= 1_000_000_000 {
        return value.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
        value.year(),
        value.month(),
        value.day(),
        value.hour(),
        value.minute(),
        value.second(),
        nanos / 1000
    )
}

struct Canonical(Vec<u8>);

impl Canonical {
    fn new(table: &str) -> Self {
        let mut out = Self(Vec::with_capacity(256));
        out.text(VERSION).text(table);
        out
    }

    fn field(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            None => self.0.push(0),
            Some(text) => {
                self.0.push(1);
                // Column values are far below 4 GiB; saturate rather than wrap if not.
                let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
                self.0.extend_from_slice(&len.to_be_bytes());
                self.0.extend_from_slice(text.as_bytes());
            }
        }
        self
    }

    fn text(&mut self, value: &str) -> &mut Self {
        self.field(Some(value))
    }

    fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        self.field(value)
    }

    fn int(&mut self, value: i64) -> &mut Self {
        self.field(Some(&value.to_string()))
    }

    fn opt_int(&mut self, value: Option<i64>) -> &mut Self {
        self.field(value.map(|v| v.to_string()).as_deref())
    }

    /// The exact value: 2 decimals, more only if the value has them (so no change hides in
    /// rounding).
    fn money(&mut self, value: Decimal) -> &mut Self {
        let mut exact = value.normalize();
        if exact.scale() < 2 {
            exact.rescale(2);
        }
        self.field(Some(&exact.to_string()))
    }

    fn time(&mut self, value: NaiveDateTime) -> &mut Self {
        self.field(Some(&canonical_time(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn movement() -> MovementRow {
        MovementRow {
            id: 7,
            idempotency_key: "k-1".into(),
            kind: crate::domain::MovementKind::Transfer,
            debit_account_id: 100000001,
            credit_account_id: 100000002,
            amount: Decimal::new(1230, 2),
            currency: crate::domain::Currency::USD,
            memo: None,
            debit_balance_after: Decimal::new(5, 0),
            credit_balance_after: Decimal::new(123_456, 4),
            reverses_id: None,
            actor: "a@example.com".into(),
            approved_by: None,
            created_at: chrono::DateTime::from_timestamp(1_800_000_000, 5_000)
                .map(|t| t.naive_utc())
                .unwrap_or_default(),
            drawer_session_id: None,
            device: "local".into(),
        }
    }

    #[test]
    fn local_rows_encode_as_before_devices_and_a_till_is_one_more_field() {
        let local = movement();
        let mut till = movement();
        till.device = "till-3".into();
        assert!(!text_of(&movement_bytes(&local)).contains("local"));
        assert!(text_of(&movement_bytes(&till)).ends_with("till-3"));
    }

    fn text_of(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[test]
    fn money_is_exact_with_two_decimals_and_times_have_microseconds() {
        let text = text_of(&movement_bytes(&movement()));
        assert!(text.contains("12.30"), "{text}");
        assert!(text.contains("5.00"), "{text}");
        assert!(text.contains("12.3456"), "{text}");
        assert!(text.contains("2027-01-15 08:00:00.000005"), "{text}");
    }

    #[test]
    fn times_are_written_as_chrono_formats_them() {
        let starts = [-62_135_596_800, 0, 1_800_000_000, 253_402_300_799];
        for (i, start) in starts.into_iter().enumerate() {
            for step in 0..2_000_i64 {
                let secs = start + step * 86_399 * (i as i64 + 1);
                let nanos = u32::try_from(step * 499_979 % 1_000_000_000).unwrap_or(0);
                let Some(time) = chrono::DateTime::from_timestamp(secs, nanos) else {
                    continue;
                };
                let time = time.naive_utc();
                assert_eq!(
                    canonical_time(time),
                    time.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
                );
            }
        }
    }

    #[test]
    fn the_same_value_at_another_scale_encodes_the_same() {
        let mut other = movement();
        other.amount = Decimal::new(123_000, 4);
        assert_eq!(movement_bytes(&other), movement_bytes(&movement()));
        other.amount = Decimal::new(123_001, 4);
        assert_ne!(movement_bytes(&other), movement_bytes(&movement()));
    }

    #[test]
    fn null_differs_from_empty_and_fields_cannot_shift() {
        let mut empty = movement();
        empty.memo = Some(String::new());
        assert_ne!(movement_bytes(&empty), movement_bytes(&movement()));
        // "ab" + "c" versus "a" + "bc" across two neighbouring fields
        let (mut left, mut right) = (movement(), movement());
        left.actor = "ab".into();
        left.approved_by = Some("c".into());
        right.actor = "a".into();
        right.approved_by = Some("bc".into());
        assert_ne!(movement_bytes(&left), movement_bytes(&right));
    }

    #[test]
    fn links_chain_and_hex_is_lower_case() {
        let row = movement_bytes(&movement());
        let first = next_link(&GENESIS, &row);
        assert_ne!(next_link(&first, &row), first);
        assert_eq!(next_link(&GENESIS, &row), first);
        let hex = to_hex(&first);
        assert_eq!(from_hex(&hex), Some(first));
        assert_eq!(from_hex(&hex.to_uppercase()), None);
        assert_eq!(from_hex(&format!("+{}", &hex[1..])), None);
        assert_eq!(hex.len(), 64);
        assert!(hex
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        // SHA-256 of 32 zero bytes followed by nothing
        assert_eq!(
            to_hex(&next_link(&GENESIS, b"")),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
    }

    #[test]
    fn id_records_encode_every_column() {
        let row = CashIdRow {
            movement_id: 7,
            customer_id: Some(3),
            id_type: "passport".into(),
            id_number: "X1234567".into(),
            id_country: "US".into(),
            id_expiry: chrono::NaiveDate::from_ymd_opt(2030, 1, 31).unwrap_or_default(),
            recorded_by: "t@example.com".into(),
            recorded_at: movement().created_at,
        };
        let mut changed = row.clone();
        changed.id_number = "X1234568".into();
        assert_ne!(cash_id_bytes(&row), cash_id_bytes(&changed));
        let text = text_of(&cash_id_bytes(&row));
        assert!(
            text.contains("cash_ids") && text.contains("2030-01-31"),
            "{text}"
        );
    }

    #[test]
    fn audit_lines_encode_every_column() {
        let row = AuditRow {
            id: 3,
            at: movement().created_at,
            actor: "x@example.com".into(),
            action: "login".into(),
            subject: None,
            outcome: "ok".into(),
            detail: Some("d".into()),
            approved_by: None,
            device: "local".into(),
        };
        let mut changed = row.clone();
        changed.outcome = "okay".into();
        assert_ne!(audit_bytes(&row), audit_bytes(&changed));
        let mut from_a_till = row.clone();
        from_a_till.device = "till-3".into();
        assert_ne!(audit_bytes(&row), audit_bytes(&from_a_till));
        assert!(text_of(&audit_bytes(&row)).contains("audit_log"));
    }
}
