//! `teller login`: a person's session at a terminal. The token lives in a file only its owner
//! can read; the database keeps just its SHA-256, so a copy of the table logs nobody in.

use crate::domain::AuditOutcome;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::auth::session_user;
use super::bank::now;
use super::views::utc;
use super::People;
use super::{BankError, BankResult, SessionUser};
use crate::db::{audit_log, login_sessions, users};
use crate::domain::AuditAction;
use crate::domain::{Email, Secret};

/// A session just opened: the token is shown once, to be kept by the caller.
#[derive(Debug)]
pub struct LoginSession {
    pub token: Secret,
    pub user: SessionUser,
    pub expires_at: DateTime<Utc>,
}

impl People<'_> {
    /// Logs a person in and opens a session for later commands.
    pub fn open_session(&mut self, email: &Email, password: &Secret) -> BankResult<LoginSession> {
        let user = self.authenticate(email, password)?;
        let token = hex::encode(rand::random::<[u8; 32]>());
        let at = now();
        let expires_at = at + self.bank.config.session_lifetime;
        let subject = email.as_str();
        let device = self.bank.config.device.as_str().to_string();
        let hash = token_hash(&token);
        // The session and its audited opening are one: the audit finds a session row without
        // its line (one written with the app account's rights) by the time they share.
        self.bank.in_transaction(|conn| {
            login_sessions::insert(
                conn,
                &login_sessions::NewLoginSession {
                    token_hash: &hash,
                    user_id: user.id,
                    created_at: at,
                    last_seen_at: at,
                    expires_at,
                },
            )?;
            audit_log::insert(
                conn,
                &audit_log::NewAuditEntry {
                    at,
                    actor: subject,
                    action: AuditAction::SessionOpen.as_str(),
                    subject: Some(subject),
                    outcome: AuditOutcome::Ok.as_str(),
                    detail: None,
                    approved_by: None,
                    device: &device,
                },
            )?;
            Ok(())
        })?;
        Ok(LoginSession {
            token: Secret::new(token),
            user,
            expires_at: utc(expires_at),
        })
    }

    /// The person a session token belongs to, while the session is neither ended, expired
    /// (12 hours) nor idle past the lock (as in the app). An idle or expired session ends.
    pub fn resume_session(&mut self, token: &Secret) -> BankResult<SessionUser> {
        let hash = token_hash(token.expose());
        let Some(session) = login_sessions::find(&mut self.bank.conn, &hash)? else {
            return Err(BankError::LoginRequired(
                "no session: run `teller login`".into(),
            ));
        };
        if session.ended_at.is_some() {
            return Err(BankError::LoginRequired(
                "the session has ended: run `teller login`".into(),
            ));
        }
        let at = now();
        let idle = self
            .bank
            .config
            .session_idle
            .is_some_and(|idle| at - session.last_seen_at > idle);
        if at > session.expires_at || idle {
            login_sessions::end(&mut self.bank.conn, session.id, at)?;
            let why = if idle {
                "the session locked after being idle"
            } else {
                "the session is over (12 hours)"
            };
            let row = users::find_by_id(&mut self.bank.conn, session.user_id)?;
            let subject = row.as_ref().map_or("unknown", |r| r.email.as_str());
            self.bank.record(
                subject,
                AuditAction::SessionResume,
                Some(subject),
                AuditOutcome::Refused("login_required"),
                Some(why),
            )?;
            return Err(BankError::LoginRequired(format!(
                "{why}: run `teller login`"
            )));
        }
        let row = users::find_by_id(&mut self.bank.conn, session.user_id)?
            .ok_or_else(|| BankError::LoginRequired("the user is gone".into()))?;
        if row.locked_until.is_some_and(|until| until > at) || row.must_change_password {
            login_sessions::end(&mut self.bank.conn, session.id, at)?;
            return Err(if row.must_change_password {
                BankError::PasswordChangeRequired
            } else {
                BankError::LoginRequired("the login is locked: run `teller login` later".into())
            });
        }
        login_sessions::touch(&mut self.bank.conn, session.id, at)?;
        let email = Email::parse(&row.email).map_err(|_| {
            BankError::Database(format!("user #{} has an unreadable email", row.id))
        })?;
        Ok(session_user(row, &email))
    }

    /// Ends a session (logout). An unknown or ended token is not an error: the goal is met.
    pub fn end_session(&mut self, token: &Secret) -> BankResult<Option<String>> {
        let hash = token_hash(token.expose());
        let Some(session) = login_sessions::find(&mut self.bank.conn, &hash)? else {
            return Ok(None);
        };
        login_sessions::end(&mut self.bank.conn, session.id, now())?;
        let email = users::find_by_id(&mut self.bank.conn, session.user_id)?.map(|r| r.email);
        if let Some(subject) = &email {
            self.bank.record(
                subject,
                AuditAction::SessionEnd,
                Some(subject),
                AuditOutcome::Ok,
                None,
            )?;
        }
        Ok(email)
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
