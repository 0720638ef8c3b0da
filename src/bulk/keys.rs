//! Each line's idempotency key, from the file's content and the line: posting the same file
//! again (or again after a crash half way) applies every line once. A line with a `reference`
//! keys on it instead of its position. Keys of one file share a prefix and (by line) follow each
//! other, so they land side by side in the journal's unique index.

use sha2::{Digest, Sha256};

use super::BulkLine;
use crate::domain::IdempotencyKey;

/// "f<16 hex of the file's SHA-256>-<line, 9 digits>" or "...-r<20 hex of the reference>".
pub fn key_for(digest: &[u8; 32], line: &BulkLine) -> IdempotencyKey {
    let file = hex::encode(&digest[..8]);
    let raw = match &line.reference {
        Some(reference) => {
            let hashed = Sha256::digest(reference.as_bytes());
            format!("f{file}-r{}", &hex::encode(hashed)[..20])
        }
        None => format!("f{file}-{:09}", line.line),
    };
    // Only hex digits, letters and '-': always a valid key. The fallback is never taken.
    IdempotencyKey::parse(&raw).unwrap_or_else(|_| IdempotencyKey::generate())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountNumber, Amount};

    fn line(n: u64, reference: Option<&str>) -> BulkLine {
        BulkLine {
            line: n,
            from: AccountNumber::from_serial(100_000_001).unwrap(),
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
        assert!(key_for(&a, &line(7, None)).as_str().len() <= 64);
        assert!(key_for(&a, &line(1, None)).as_str() < key_for(&a, &line(2, None)).as_str());
    }
}
