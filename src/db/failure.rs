//! Sorting database errors into what the layers above can act on.

use diesel::result::{DatabaseErrorKind, Error};

/// What a failed query means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Deadlock (1213) or lock wait timeout (1205): roll back and run the transaction again.
    Retryable,
    /// A unique key refused the row; holds the key's name when the server named it.
    Duplicate(Option<DuplicateKey>),
    /// The server is gone or the connection broke.
    Unavailable,
    /// Anything else: a bug or a misconfiguration.
    Other,
}

/// The unique keys whose violation means something to the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateKey {
    UserEmail,
    MovementKey,
    MovementReverses,
    AccountPrimary,
    AccountLabel,
}

pub fn classify(error: &Error) -> Failure {
    match error {
        Error::DatabaseError(kind, info) => {
            let message = info.message();
            match kind {
                DatabaseErrorKind::SerializationFailure => Failure::Retryable,
                DatabaseErrorKind::UniqueViolation => Failure::Duplicate(duplicate_key(message)),
                DatabaseErrorKind::ClosedConnection => Failure::Unavailable,
                _ if message.starts_with("Lock wait timeout exceeded")
                    || message.starts_with("Deadlock found") =>
                {
                    Failure::Retryable
                }
                // 1305: a savepoint gone means the transaction was rolled back under it (a
                // Galera abort): nothing of it stands, so it runs again.
                _ if message.starts_with("SAVEPOINT") && message.ends_with("does not exist") => {
                    Failure::Retryable
                }
                _ if is_connection_message(message) => Failure::Unavailable,
                _ => Failure::Other,
            }
        }
        Error::BrokenTransactionManager => Failure::Unavailable,
        _ => Failure::Other,
    }
}

fn duplicate_key(message: &str) -> Option<DuplicateKey> {
    // "Duplicate entry 'x' for key 'users_email'"
    let key = message
        .rsplit("for key ")
        .next()?
        .trim_matches(['\'', '`', '"', ' ']);
    let key = key.rsplit('.').next().unwrap_or(key);
    match key {
        "users_email" => Some(DuplicateKey::UserEmail),
        "movements_idempotency_key" => Some(DuplicateKey::MovementKey),
        "movements_reverses" => Some(DuplicateKey::MovementReverses),
        "PRIMARY" | "accounts_number" => Some(DuplicateKey::AccountPrimary),
        "accounts_label" => Some(DuplicateKey::AccountLabel),
        _ => None,
    }
}

fn is_connection_message(message: &str) -> bool {
    [
        "server has gone away",
        "Lost connection",
        "Can't connect",
        "Server shutdown",
        // Galera: a node without quorum (1047), or a commit the cluster did not take (1180).
        "WSREP has not yet prepared node",
        "Primary Component",
        "during COMMIT",
    ]
    .iter()
    .any(|m| message.contains(m))
}
