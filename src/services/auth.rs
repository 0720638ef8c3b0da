//! Logging in: bcrypt, lock-out counted before the password is checked, and one answer for an
//! unknown email, a wrong password and a locked login.

use super::bank::now;
use super::People;
use super::{Bank, BankError, BankResult, SessionUser};
use crate::db::approval_failures;
use crate::db::users::{self, UserRow};
use crate::domain::AuditAction;
use crate::domain::AuditOutcome;
use crate::domain::{Email, Secret};

/// What a password check found. Only the audit log learns which failure it was.
pub(super) enum Checked {
    Right(Box<UserRow>),
    UnknownEmail,
    Locked,
    Wrong { locked_now: bool },
}

/// The attempt as counted before bcrypt runs.
enum Reserved {
    Counted {
        row: Box<UserRow>,
        locks: bool,
    },
    /// Locked: the stored hash is checked all the same (and the answer thrown away), so a
    /// locked login costs exactly what a wrong password costs.
    Locked {
        hash: String,
    },
}

impl Bank {
    /// A password check for `action` that answers every failure with `InvalidCredentials` and
    /// audits the true reason.
    pub(super) fn login_check(
        &mut self,
        email: &Email,
        password: &Secret,
        action: AuditAction,
    ) -> BankResult<UserRow> {
        let subject = email.as_str();
        let (outcome, detail) = match self.check_password(email, password)? {
            Checked::Right(row) => return Ok(*row),
            Checked::UnknownEmail => ("unknown_email", None),
            Checked::Locked => ("user_locked", Some("refused without checking: locked")),
            Checked::Wrong { locked_now: false } => ("invalid_credentials", Some("wrong password")),
            Checked::Wrong { locked_now: true } => (
                "invalid_credentials",
                Some("wrong password; too many in a row, the login is locked now"),
            ),
        };
        self.record(
            subject,
            action,
            Some(subject),
            AuditOutcome::Refused(outcome),
            detail,
        )?;
        Err(BankError::InvalidCredentials)
    }

    /// Counts the attempt under the user's row lock, then runs bcrypt once whatever happens:
    /// so many guesses at the same moment still get at most `lockout_threshold` real checks,
    /// and the attempt that reaches the threshold locks the login before its own check.
    pub(super) fn check_password(
        &mut self,
        email: &Email,
        password: &Secret,
    ) -> BankResult<Checked> {
        let threshold = self.config.lockout_threshold;
        let lockout = self.config.lockout;
        let reserved = self.in_transaction(|conn| {
            let Some(row) = users::find_by_email_for_update(conn, email.as_str())? else {
                return Ok(None);
            };
            let at = now();
            if row.locked_until.is_some_and(|until| until > at) {
                return Ok(Some(Reserved::Locked {
                    hash: row.password_hash,
                }));
            }
            // A lock that has run out starts a fresh count.
            let failed = if row.locked_until.is_some() {
                1
            } else {
                row.failed_logins.saturating_add(1)
            };
            let locked_until = (failed >= threshold).then(|| at + lockout);
            users::set_login_failures(conn, row.id, failed, locked_until)?;
            Ok(Some(Reserved::Counted {
                row: Box::new(row),
                locks: locked_until.is_some(),
            }))
        })?;
        self.verify_reserved(reserved, password, |conn, row| {
            users::set_login_failures(conn, row.id, 0, None)
        })
    }

    /// A supervisor's password typed at `requester`'s till for a four-eyes approval. Guesses
    /// count against the (requester, approver) pair and lock that pair only: a teller guessing
    /// cannot lock the supervisor's own login (nor every admin's), and cannot go on guessing
    /// that supervisor's password either. The supervisor's own lock-out (from their own
    /// logins) still refuses, as at login. Same bcrypt work in every case.
    pub(super) fn check_approver_password(
        &mut self,
        requester: &str,
        supervisor: &Email,
        password: &Secret,
    ) -> BankResult<Checked> {
        let threshold = self.config.lockout_threshold;
        let lockout = self.config.lockout;
        let reserved = self.in_transaction(|conn| {
            let Some(row) = users::find_by_email(conn, supervisor.as_str())? else {
                return Ok(None);
            };
            let at = now();
            let (failed, pair_locked) = approval_failures::lock_pair(conn, requester, row.id, at)?;
            let locked = |until: Option<chrono::NaiveDateTime>| until.is_some_and(|u| u > at);
            if locked(pair_locked) || locked(row.locked_until) {
                return Ok(Some(Reserved::Locked {
                    hash: row.password_hash,
                }));
            }
            // A pair lock that has run out starts a fresh count.
            let failed = if pair_locked.is_some() {
                1
            } else {
                failed.saturating_add(1)
            };
            let locked_until = (failed >= threshold).then(|| at + lockout);
            approval_failures::set(conn, requester, row.id, failed, locked_until, at)?;
            Ok(Some(Reserved::Counted {
                row: Box::new(row),
                locks: locked_until.is_some(),
            }))
        })?;
        self.verify_reserved(reserved, password, |conn, row| {
            approval_failures::set(conn, requester, row.id, 0, None, now())
        })
    }

    /// Runs bcrypt once on a counted attempt (the dummy hash for an unknown email, the stored
    /// hash of a locked one, its answer thrown away), so time tells nothing; `clear` resets the
    /// count after the right password.
    fn verify_reserved(
        &mut self,
        reserved: Option<Reserved>,
        password: &Secret,
        clear: impl FnOnce(&mut crate::db::Connection, &UserRow) -> crate::db::QueryResult<()>,
    ) -> BankResult<Checked> {
        let (row, locks) = match reserved {
            Some(Reserved::Counted { row, locks }) => (row, locks),
            Some(Reserved::Locked { hash }) => {
                let _ = bcrypt::verify(password.expose(), &hash);
                return Ok(Checked::Locked);
            }
            None => {
                let _ = bcrypt::verify(password.expose(), dummy_hash(self.config.bcrypt_cost));
                return Ok(Checked::UnknownEmail);
            }
        };
        // A stored hash bcrypt cannot read counts as a wrong password, never as a way in.
        if bcrypt::verify(password.expose(), &row.password_hash).unwrap_or(false) {
            clear(&mut self.conn, &row)?;
            return Ok(Checked::Right(row));
        }
        Ok(Checked::Wrong { locked_now: locks })
    }
}

impl People<'_> {
    /// Checks an email and password. An unknown email, a wrong password and a locked login
    /// cost the same bcrypt work and get the same answer; the audit log records which it was.
    /// A password someone else set must be changed first (`change_password_at_login`).
    pub fn authenticate(&mut self, email: &Email, password: &Secret) -> BankResult<SessionUser> {
        let row = self.bank.login_check(email, password, AuditAction::Login)?;
        let subject = email.as_str();
        if row.must_change_password {
            self.bank.record(
                subject,
                AuditAction::Login,
                Some(subject),
                AuditOutcome::Refused("password_change_required"),
                None,
            )?;
            return Err(BankError::PasswordChangeRequired);
        }
        self.bank.record(
            subject,
            AuditAction::Login,
            Some(subject),
            AuditOutcome::Ok,
            None,
        )?;
        Ok(session_user(row, email))
    }
}

impl People<'_> {
    /// The bcrypt cost of the hash an unknown email is checked against: the bank's policy
    /// cost, that of every new password hash, so both take the same time.
    pub fn unknown_email_cost(&self) -> u32 {
        hash_cost(dummy_hash(self.bank.config.bcrypt_cost))
    }

    /// The bcrypt cost new password hashes get (the bank's policy).
    pub fn password_cost(&self) -> u32 {
        self.bank.config.bcrypt_cost
    }
}

/// The cost a bcrypt hash ("$2b$12$...") was made with; 0 for anything else.
pub fn hash_cost(hash: &str) -> u32 {
    hash.get(4..6).and_then(|c| c.parse().ok()).unwrap_or(0)
}

pub(super) fn session_user(row: UserRow, email: &Email) -> SessionUser {
    SessionUser {
        id: row.id,
        email: Email::parse(&row.email).unwrap_or_else(|_| email.clone()),
        role: row.role,
        name: row.name,
        surname: row.surname,
    }
}

/// A bcrypt hash of nothing in particular at `cost`, made once, offline: an unknown email then
/// costs one bcrypt check, like a wrong password, also in a fresh CLI process (computing it
/// there would double the work and tell the difference).
fn dummy_hash(cost: u32) -> &'static str {
    match cost {
        4 => "$2b$04$xomakpSLEE/rO8uJqyjjwu7D1JAlJh.cGf.bzjmsuu4ibGywjR3dy",
        5 => "$2b$05$YgIeyKYeYFwTSsyH/lpi2ei0n1XB6oXva8D83K32cXhWP8Eijkcxm",
        6 => "$2b$06$elFikUX4vhzHPvOk8ATeV.OdlhvZGb5IAjQVxtMJZxkx2JYifARsG",
        7 => "$2b$07$qovBtc1nkfNvRnFKTOl6lezKb4KweeSGh7hzZmcX0J3eQE9x9RQ/C",
        8 => "$2b$08$S0Rv/rRerEwGNh3UO1HSVeer7sNnm8mdibWde0BLZM.46esoXCIGa",
        9 => "$2b$09$4bbQDrZkSPRxJ4r2qK5QA.XjimZvYieGUGP65i9MPJFd9Tb4QdyMa",
        10 => "$2b$10$GB9DMotAcoqfPGI7P1VE8u6/MigOxQ7/Q7At4T4Aw6joe7ql84lvW",
        11 => "$2b$11$wRj2bQC1kkHJ57z70sTlIuo7EL/KH6USye8vR5AjbOUuuG8sWweyC",
        13 => "$2b$13$y6G9BczXmFZi70kbM7WOKehLA6fKOQoRyfij0YqDEFkQIXJ/zzWwS",
        14 => "$2b$14$kYjb1AMv4hXKVtSvGkregeidGHpVj35CTN1AMxpEH386yj1Nug.x2",
        // 12, the default, and costs nobody uses in practice.
        _ => "$2b$12$lfTUtd6yJxPSBNt8.g9mreE5T/YJypN42FB7/FdQhKW.5AvUdVCJa",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_cost_the_bank_may_choose_has_its_dummy_hash() {
        // An unknown email is checked against the dummy of the policy's cost: it must exist
        // for every cost the policy accepts, never fall back to another cost.
        for cost in crate::services::policy::BCRYPT_COSTS {
            assert_eq!(super::hash_cost(super::dummy_hash(cost)), cost);
        }
    }

    #[test]
    fn every_dummy_hash_is_a_real_bcrypt_hash_of_its_cost() {
        for cost in 4..=14u32 {
            let hash = super::dummy_hash(cost);
            assert!(
                hash.starts_with(&format!("$2b${cost:02}$")),
                "{cost}: {hash}"
            );
            assert!(
                bcrypt::verify("teller-timing-equaliser", hash).unwrap_or(false),
                "{cost}"
            );
        }
    }
}
