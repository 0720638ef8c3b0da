//! Logging in: bcrypt, equal work for unknown emails, and lock-out after repeated failures.

use super::bank::now;
use super::users::role_of;
use super::views::utc;
use super::{Bank, BankError, BankResult, SessionUser};
use crate::db::users;
use crate::domain::{Email, Secret};

impl Bank {
    /// Checks an email and password. An unknown email costs the same bcrypt work as a wrong
    /// password and gets the same answer; a locked user is refused without checking anything.
    pub fn authenticate(&mut self, email: &Email, password: &Secret) -> BankResult<SessionUser> {
        let subject = email.as_str();
        let Some(row) = users::find_by_email(&mut self.conn, subject)? else {
            let dummy = self.dummy_hash()?;
            let _ = bcrypt::verify(password.expose(), &dummy);
            self.record(
                subject,
                "login",
                Some(subject),
                "invalid_credentials",
                Some("unknown email"),
            );
            return Err(BankError::InvalidCredentials);
        };
        let at = now();
        if let Some(until) = row.locked_until.filter(|until| *until > at) {
            self.record(subject, "login", Some(subject), "user_locked", None);
            return Err(BankError::UserLocked { until: utc(until) });
        }
        // A stored hash bcrypt cannot read counts as a wrong password, never as a way in.
        if bcrypt::verify(password.expose(), &row.password_hash).unwrap_or(false) {
            if row.failed_logins != 0 || row.locked_until.is_some() {
                users::set_login_failures(&mut self.conn, row.id, 0, None)?;
            }
            self.record(subject, "login", Some(subject), "ok", None);
            return Ok(SessionUser {
                id: row.id,
                email: email.clone(),
                role: role_of(&row.role),
                name: row.name,
                surname: row.surname,
            });
        }
        Err(self.count_failed_login(email, "login"))
    }

    /// Counts a wrong password (at login or when changing it) and locks the user at the
    /// threshold; returns the refusal to give.
    pub(super) fn count_failed_login(&mut self, email: &Email, action: &str) -> BankError {
        let threshold = self.config.lockout_threshold;
        let lockout = self.config.lockout;
        // Read and write under the row lock: two wrong guesses at once both count.
        let counted = self.in_transaction(|conn| {
            let Some(row) = users::find_by_email_for_update(conn, email.as_str())? else {
                return Ok(None);
            };
            let at = now();
            let lock_expired = row.locked_until.is_some_and(|until| until <= at);
            let failed = if lock_expired {
                1
            } else {
                row.failed_logins.saturating_add(1)
            };
            let locked_until = (failed >= threshold).then(|| at + lockout);
            users::set_login_failures(conn, row.id, failed, locked_until)?;
            Ok(locked_until)
        });
        let locked_until = match counted {
            Ok(locked_until) => locked_until,
            Err(e) => return e,
        };
        let subject = email.as_str();
        let (error, outcome, detail) = match locked_until {
            Some(until) => (
                BankError::UserLocked { until: utc(until) },
                "user_locked",
                "too many wrong passwords",
            ),
            None => (
                BankError::InvalidCredentials,
                "invalid_credentials",
                "wrong password",
            ),
        };
        self.record(subject, action, Some(subject), outcome, Some(detail));
        error
    }
}
