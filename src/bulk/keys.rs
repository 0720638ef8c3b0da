//! Each line's idempotency key, from the file's content, its payer and the line: posting the
//! same file again (or again after a crash half way) applies every line once. A line with a
//! `reference` keys on it instead of its position.
//!
//! The key is the full SHA-256 (64 hex digits, the journal's `VARCHAR(64)`) of a prefix of its
//! own, the payer, the file's whole digest and the line's number or reference. A shortened
//! digest would let two files be made to collide (so one file's lines are "replayed" as the
//! other's), and a key without the payer would make the same bytes posted by two payers one
//! payment. The prefix keeps these keys apart from any other key hashed the same way.

use sha2::{Digest, Sha256};

use super::BulkLine;
use crate::domain::IdempotencyKey;

/// What every bulk line key hashes first (a new version gets a new prefix).
const PREFIX: &[u8] = b"teller.bulk.line.v2\0";

/// The line's key: 64 lowercase hex digits.
pub fn key_for(digest: &[u8; 32], line: &BulkLine) -> IdempotencyKey {
    let mut hasher = Sha256::new();
    hasher.update(PREFIX);
    // Account numbers are digits only, so the NUL ends the payer unambiguously.
    hasher.update(line.from.as_str().as_bytes());
    hasher.update(b"\0");
    hasher.update(digest);
    match &line.reference {
        // The reference is last: its bytes cannot run into another field.
        Some(reference) => {
            hasher.update(b"r");
            hasher.update(reference.as_bytes());
        }
        None => {
            hasher.update(b"n");
            hasher.update(line.line.to_be_bytes());
        }
    }
    let raw = hex::encode(hasher.finalize());
    // 64 hex digits: always a valid key. The fallback is never taken.
    IdempotencyKey::parse(&raw).unwrap_or_else(|_| IdempotencyKey::generate())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountNumber, Amount};

    fn line(n: u64, reference: Option<&str>) -> BulkLine {
        paid_by(100_000_001, n, reference)
    }

    fn paid_by(serial: u32, n: u64, reference: Option<&str>) -> BulkLine {
        BulkLine {
            line: n,
            from: AccountNumber::from_serial(serial).unwrap(),
            to: AccountNumber::from_serial(100_000_002).unwrap(),
            amount: Amount::parse("1").unwrap(),
            memo: None,
            reference: reference.map(str::to_string),
        }
    }

    #[test]
    fn keys_follow_the_file_and_the_line_or_its_reference() {
        let a = [1u8; 32];
        let b = [2u8; 32];
        assert_eq!(key_for(&a, &line(7, None)), key_for(&a, &line(7, None)));
        assert_ne!(key_for(&a, &line(7, None)), key_for(&a, &line(8, None)));
        assert_ne!(key_for(&a, &line(7, None)), key_for(&b, &line(7, None)));
        // A reference decides, wherever the line is.
        assert_eq!(
            key_for(&a, &line(7, Some("INV-1"))),
            key_for(&a, &line(9, Some("INV-1")))
        );
    }

    #[test]
    fn a_key_is_the_full_sha256_of_prefix_payer_digest_and_line() {
        let digest = [7u8; 32];
        let key = key_for(&digest, &line(3, None));
        let mut expected = Sha256::new();
        expected.update(PREFIX);
        expected.update(format!("{}\0", line(3, None).from).as_bytes());
        expected.update(digest);
        expected.update(b"n");
        expected.update(3u64.to_be_bytes());
        assert_eq!(key.as_str(), hex::encode(expected.finalize()));
        assert_eq!(key.as_str().len(), 64);
    }

    #[test]
    fn files_sharing_their_first_eight_digest_bytes_do_not_collide() {
        // Today's attack on a shortened digest: a second file whose digest starts the same.
        let a = [9u8; 32];
        let mut b = a;
        b[31] ^= 1;
        assert_ne!(key_for(&a, &line(2, None)), key_for(&b, &line(2, None)));
        assert_ne!(
            key_for(&a, &line(2, Some("PAY-1"))),
            key_for(&b, &line(2, Some("PAY-1")))
        );
    }

    #[test]
    fn the_same_line_from_two_payers_is_two_payments() {
        let digest = [5u8; 32];
        assert_ne!(
            key_for(&digest, &paid_by(100_000_001, 2, None)),
            key_for(&digest, &paid_by(100_000_003, 2, None))
        );
        assert_ne!(
            key_for(&digest, &paid_by(100_000_001, 2, Some("INV-9"))),
            key_for(&digest, &paid_by(100_000_003, 2, Some("INV-9")))
        );
    }
}
