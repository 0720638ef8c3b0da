//! People: registering, reading and editing profiles, passwords and lock-outs.

use super::actor::Stamp;
use super::auth::session_user;
use super::authz::{may_administer_user, may_create, may_manage_user, require};
use super::bank::now;
use super::views::{stored_email, utc};
use super::Approval;
use super::People;
use super::{Actor, Bank, BankError, BankResult, SessionUser, UserProfile};
use crate::db::{audit_log, login_sessions, phones, users, Connection, DuplicateKey};
use crate::domain::AuditAction;
use crate::domain::AuditOutcome;
use crate::domain::{
    Age, City, Country, Email, Field, Name, Password, Phone, Role, Secret, Surname, ValidationError,
};
use crate::services::ApprovalNeed;

/// Everything needed to register a person.
#[derive(Debug, Clone)]
pub struct NewUserInput {
    pub email: Email,
    pub name: Name,
    pub surname: Option<Surname>,
    pub age: Age,
    pub country: Country,
    pub city: Option<City>,
    pub phones: Vec<Phone>,
    pub role: Role,
    pub password: Password,
}

/// Profile fields to change; `None` keeps the current value. `Some(None)` clears an
/// optional field.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub email: Option<Email>,
    pub name: Option<Name>,
    pub surname: Option<Option<Surname>>,
    pub age: Option<Age>,
    pub country: Option<Country>,
    pub city: Option<Option<City>>,
    pub add_phones: Vec<Phone>,
    pub remove_phones: Vec<Phone>,
}

impl ProfileChanges {
    /// The names of the fields this change touches, for the audit log (values stay out).
    fn field_names(&self) -> String {
        let fields = [
            ("email", self.email.is_some()),
            ("name", self.name.is_some()),
            ("surname", self.surname.is_some()),
            ("age", self.age.is_some()),
            ("country", self.country.is_some()),
            ("city", self.city.is_some()),
            ("phones added", !self.add_phones.is_empty()),
            ("phones removed", !self.remove_phones.is_empty()),
        ];
        let names: Vec<&str> = fields
            .iter()
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect();
        if names.is_empty() {
            "nothing".into()
        } else {
            names.join(", ")
        }
    }
}

impl Bank {
    /// Registers a person whose password `hash` was computed already (`input.password` is
    /// not looked at): the demo hashes its shared password once, not thirty times.
    pub(super) fn register_with_hash(
        &mut self,
        actor: &Actor,
        input: &NewUserInput,
        hash: &str,
        must_change: bool,
        approved_by: Option<&str>,
    ) -> BankResult<UserProfile> {
        let email = input.email.as_str().to_string();
        let stamp = self.stamp(actor);
        let result = self.in_transaction(|conn| {
            insert_user(conn, &stamp, input, hash, must_change, approved_by)
        });
        match result {
            Err(BankError::Duplicate(Some(DuplicateKey::UserEmail))) => self.refused(
                actor,
                AuditAction::UserCreate,
                Some(&email),
                BankError::DuplicateEmail(email.clone()),
            ),
            Err(e) => self.refused(actor, AuditAction::UserCreate, Some(&email), e),
            ok => ok,
        }
    }

    /// Four eyes on staff accounts: a second admin approves creating staff and resetting a
    /// staff member's password. A bank with a single admin has no second pair of eyes yet, so
    /// its only admin acts alone (audited as such) until there is another.
    pub(super) fn staff_approval(
        &mut self,
        actor: &Actor,
        action: AuditAction,
        subject: &str,
        approval: Option<&Approval>,
    ) -> BankResult<Option<String>> {
        let Actor::User(user) = actor else {
            return Ok(None);
        };
        if let Some(approval) = approval {
            return self
                .verify_approval(actor, action, subject, approval)
                .map(Some);
        }
        let admins = users::ids_with_role(&mut self.conn, Role::Admin.as_str())?;
        if admins.iter().all(|id| *id == user.id) {
            return Ok(None);
        }
        let e = BankError::ApprovalRequired(ApprovalNeed::StaffAccount);
        self.refused(actor, action, Some(subject), e)
    }

    pub(super) fn hash(&self, password: &str) -> BankResult<String> {
        bcrypt::hash(password, self.config.bcrypt_cost)
            .map_err(|e| BankError::Hashing(e.to_string()))
    }

    /// Passes a result through, recording it in the audit log when it is a refusal.
    pub(super) fn audited<T>(
        &mut self,
        actor: &Actor,
        action: AuditAction,
        subject: &str,
        result: BankResult<T>,
    ) -> BankResult<T> {
        match result {
            Err(e) => self.refused(actor, action, Some(subject), e),
            ok => ok,
        }
    }
}

impl People<'_> {
    /// Registers a person. Staff register customers; only admins create staff, and creating
    /// staff needs a second admin's `approval`. The new password was chosen by someone else,
    /// so its owner must change it at the first login.
    pub fn register_user(
        &mut self,
        actor: &Actor,
        input: NewUserInput,
        approval: Option<&Approval>,
    ) -> BankResult<UserProfile> {
        let email = input.email.as_str().to_string();
        if let Err(e) = require(may_create(actor, input.role), "create this kind of user") {
            return self
                .bank
                .refused(actor, AuditAction::UserCreate, Some(&email), e);
        }
        let approved_by = if input.role.is_staff() {
            self.bank
                .staff_approval(actor, AuditAction::UserCreate, &email, approval)?
        } else {
            None
        };
        let hash = self.bank.hash(input.password.expose())?;
        let must_change = matches!(actor, Actor::User(_));
        self.bank
            .register_with_hash(actor, &input, &hash, must_change, approved_by.as_deref())
    }

    /// The first admin of a new bank, created by the owner account's `bootstrap-admin`; refused
    /// once any admin exists. The admin typed the password, so it need not be changed.
    pub fn bootstrap_admin(&mut self, mut input: NewUserInput) -> BankResult<UserProfile> {
        input.role = Role::Admin;
        let actor = Actor::setup("bootstrap-admin");
        let email = input.email.as_str().to_string();
        let hash = self.bank.hash(input.password.expose())?;
        let stamp = self.bank.stamp(&actor);
        let result = self.bank.in_transaction(|conn| {
            // The locking read holds off a second bootstrap running at the same moment.
            if !users::ids_with_role_for_update(conn, Role::Admin.as_str())?.is_empty() {
                return Err(BankError::AdminExists);
            }
            insert_user(conn, &stamp, &input, &hash, false, None)
        });
        self.bank
            .audited(&actor, AuditAction::UserCreate, &email, result)
    }

    /// A person's profile: their own, or anyone's a member of staff may serve.
    pub fn profile(&mut self, actor: &Actor, email: &Email) -> BankResult<UserProfile> {
        let result = self.profile_of(actor, email);
        self.bank
            .audited(actor, AuditAction::UserShow, email.as_str(), result)
    }

    fn profile_of(&mut self, actor: &Actor, email: &Email) -> BankResult<UserProfile> {
        refuse_other_customers(actor, email)?;
        let row = users::find_by_email(&mut self.bank.conn, email.as_str())?
            .ok_or_else(|| user_not_found(email))?;
        require(may_manage_user(actor, row.id, row.role), "see this profile")?;
        load_profile(&mut self.bank.conn, row.id)
    }

    /// Changes profile fields and phone numbers in one transaction.
    pub fn update_profile(
        &mut self,
        actor: &Actor,
        email: &Email,
        changes: &ProfileChanges,
    ) -> BankResult<UserProfile> {
        if let Err(e) = refuse_other_customers(actor, email) {
            return self
                .bank
                .refused(actor, AuditAction::UserUpdate, Some(email.as_str()), e);
        }
        let stamp = self.bank.stamp(actor);
        let result = self.bank.in_transaction(|conn| {
            let row = users::find_by_email_for_update(conn, email.as_str())?
                .ok_or_else(|| user_not_found(email))?;
            require(
                may_manage_user(actor, row.id, row.role),
                "edit this profile",
            )?;
            let update = users::UserChanges {
                email: changes.email.as_ref().map(Email::as_str),
                name: changes.name.as_ref().map(Name::as_str),
                surname: changes
                    .surname
                    .as_ref()
                    .map(|s| s.as_ref().map(Surname::as_str)),
                age: changes.age.map(|a| i16::from(a.value())),
                country: changes.country.as_ref().map(Country::as_str),
                city: changes.city.as_ref().map(|c| c.as_ref().map(City::as_str)),
                updated_at: Some(now()),
            };
            users::update(conn, row.id, &update)?;
            let removed: Vec<&str> = changes.remove_phones.iter().map(Phone::as_str).collect();
            phones::remove(conn, row.id, &removed)?;
            let added: Vec<&str> = changes.add_phones.iter().map(Phone::as_str).collect();
            phones::add(conn, row.id, &added)?;
            audit(
                conn,
                &stamp,
                AuditAction::UserUpdate,
                email.as_str(),
                Some(&changes.field_names()),
            )?;
            load_profile(conn, row.id)
        });
        match result {
            Err(BankError::Duplicate(Some(DuplicateKey::UserEmail))) => {
                let taken = changes
                    .email
                    .as_ref()
                    .map_or(email.as_str(), Email::as_str)
                    .to_string();
                self.bank.refused(
                    actor,
                    AuditAction::UserUpdate,
                    Some(email.as_str()),
                    BankError::DuplicateEmail(taken),
                )
            }
            Err(e) => self
                .bank
                .refused(actor, AuditAction::UserUpdate, Some(email.as_str()), e),
            ok => ok,
        }
    }

    /// A logged-in person changes their own password; the current one is required (and a
    /// wrong one counts towards the lock-out, like a login).
    pub fn change_password(
        &mut self,
        actor: &Actor,
        current: &Secret,
        new_password: &Password,
    ) -> BankResult<()> {
        let Actor::User(user) = actor else {
            let e = BankError::Forbidden("change a password without logging in; reset it instead");
            return self
                .bank
                .refused(actor, AuditAction::UserPasswordChange, None, e);
        };
        let email = user.email.clone();
        self.change_own_password(&email, current, new_password)
            .map(|_| ())
    }

    /// Changes a password with the current one, without a session: the way out for someone
    /// whose password was set by someone else (the CLI's `user password`, the app's login).
    /// Returns the person, logged in.
    pub fn change_password_at_login(
        &mut self,
        email: &Email,
        current: &Secret,
        new_password: &Password,
    ) -> BankResult<SessionUser> {
        let row = self.change_own_password(email, current, new_password)?;
        let subject = email.as_str();
        self.bank.record(
            subject,
            AuditAction::Login,
            Some(subject),
            AuditOutcome::Ok,
            Some("after a password change"),
        )?;
        Ok(session_user(row, email))
    }

    fn change_own_password(
        &mut self,
        email: &Email,
        current: &Secret,
        new_password: &Password,
    ) -> BankResult<users::UserRow> {
        let action = AuditAction::UserPasswordChange;
        let row = self.bank.login_check(email, current, action)?;
        if new_password.expose() == current.expose() {
            let e = BankError::Invalid(ValidationError::new(
                Field::Password,
                "must differ from the current password",
            ));
            let actor = Actor::User(session_user(row, email));
            return self.bank.refused(&actor, action, Some(email.as_str()), e);
        }
        let hash = self.bank.hash(new_password.expose())?;
        let subject = email.as_str().to_string();
        let stamp = Stamp {
            actor: subject.clone(),
            device: self.bank.config.device.as_str().to_string(),
        };
        self.bank.in_transaction(|conn| {
            let at = now();
            users::set_password_hash(conn, row.id, &hash, false, at)?;
            // Sessions opened with the old password end with it.
            login_sessions::end_all_for(conn, row.id, at)?;
            audit(conn, &stamp, action, &subject, None)
        })?;
        Ok(row)
    }

    /// Staff set a new password for someone (and lift any lock-out). The owner must change it
    /// at the next login; their open sessions end. A staff member's reset needs a second
    /// admin's `approval`.
    pub fn reset_password(
        &mut self,
        actor: &Actor,
        email: &Email,
        new_password: &Password,
        approval: Option<&Approval>,
    ) -> BankResult<()> {
        let action = AuditAction::UserPasswordReset;
        // Refused before the lookup: a customer learns nothing about who exists.
        if let Err(e) = require(actor.is_staff(), "reset this user's password") {
            return self.bank.refused(actor, action, Some(email.as_str()), e);
        }
        let target = users::find_by_email(&mut self.bank.conn, email.as_str())?;
        let approved_by = match target.map(|row| (row.id, row.role)) {
            Some((_, role)) if !may_administer_user(actor, role) => {
                let e = BankError::Forbidden("reset this user's password");
                return self.bank.refused(actor, action, Some(email.as_str()), e);
            }
            Some((id, role)) if role.is_staff() && actor.user_id() != Some(id) => self
                .bank
                .staff_approval(actor, action, email.as_str(), approval)?,
            _ => None,
        };
        let hash = self.bank.hash(new_password.expose())?;
        let stamp = self.bank.stamp(actor);
        let must_change = matches!(actor, Actor::User(_));
        let result = self.bank.in_transaction(|conn| {
            let row = users::find_by_email_for_update(conn, email.as_str())?
                .ok_or_else(|| user_not_found(email))?;
            require(
                may_administer_user(actor, row.role),
                "reset this user's password",
            )?;
            let at = now();
            users::set_password_hash(conn, row.id, &hash, must_change, at)?;
            users::set_login_failures(conn, row.id, 0, None)?;
            login_sessions::end_all_for(conn, row.id, at)?;
            audit_approved(
                conn,
                &stamp,
                action,
                email.as_str(),
                None,
                approved_by.as_deref(),
            )
        });
        self.bank.audited(actor, action, email.as_str(), result)
    }

    /// Lifts a lock-out after too many failed logins.
    pub fn unlock_user(&mut self, actor: &Actor, email: &Email) -> BankResult<()> {
        if let Err(e) = require(actor.is_staff(), "unlock this user") {
            return self
                .bank
                .refused(actor, AuditAction::UserUnlock, Some(email.as_str()), e);
        }
        let stamp = self.bank.stamp(actor);
        let result = self.bank.in_transaction(|conn| {
            let row = users::find_by_email_for_update(conn, email.as_str())?
                .ok_or_else(|| user_not_found(email))?;
            require(may_administer_user(actor, row.role), "unlock this user")?;
            users::set_login_failures(conn, row.id, 0, None)?;
            audit(conn, &stamp, AuditAction::UserUnlock, email.as_str(), None)
        });
        self.bank
            .audited(actor, AuditAction::UserUnlock, email.as_str(), result)
    }
}

/// A customer may only name themselves; refusing before the lookup also hides who exists.
fn refuse_other_customers(actor: &Actor, email: &Email) -> BankResult<()> {
    match actor {
        Actor::User(user) if user.role == Role::Customer && user.email != *email => Err(
            BankError::Forbidden("see or change another person's profile"),
        ),
        _ => Ok(()),
    }
}

pub(super) fn user_not_found(email: &Email) -> BankError {
    BankError::NotFound(format!("The user {email}"))
}

/// Appends an audit entry inside the caller's transaction.
pub(super) fn audit(
    conn: &mut Connection,
    who: &Stamp,
    action: AuditAction,
    subject: &str,
    detail: Option<&str>,
) -> BankResult<()> {
    audit_approved(conn, who, action, subject, detail, None)
}

/// Appends an audit entry naming the supervisor who approved the action.
pub(super) fn audit_approved(
    conn: &mut Connection,
    who: &Stamp,
    action: AuditAction,
    subject: &str,
    detail: Option<&str>,
    approved_by: Option<&str>,
) -> BankResult<()> {
    audit_log::insert(
        conn,
        &audit_log::NewAuditEntry {
            at: now(),
            actor: &who.actor,
            action: action.as_str(),
            subject: Some(subject),
            outcome: AuditOutcome::Ok.as_str(),
            detail,
            approved_by,
            device: &who.device,
        },
    )?;
    Ok(())
}

/// Inserts a user, their phones and the audit line (inside the caller's transaction).
fn insert_user(
    conn: &mut Connection,
    stamp: &Stamp,
    input: &NewUserInput,
    hash: &str,
    must_change: bool,
    approved_by: Option<&str>,
) -> BankResult<UserProfile> {
    let at = now();
    let id = users::insert(
        conn,
        &users::NewUser {
            email: input.email.as_str(),
            name: input.name.as_str(),
            surname: input.surname.as_ref().map(Surname::as_str),
            age: i16::from(input.age.value()),
            country: input.country.as_str(),
            city: input.city.as_ref().map(City::as_str),
            role: input.role.as_str(),
            password_hash: hash,
            created_at: at,
            updated_at: at,
            must_change_password: must_change,
        },
    )?;
    let numbers: Vec<&str> = input.phones.iter().map(Phone::as_str).collect();
    phones::add(conn, id, &numbers)?;
    let detail = format!("role {}", input.role.as_str());
    audit_approved(
        conn,
        stamp,
        AuditAction::UserCreate,
        input.email.as_str(),
        Some(&detail),
        approved_by,
    )?;
    load_profile(conn, id)
}

pub(super) fn load_profile(conn: &mut Connection, id: i64) -> BankResult<UserProfile> {
    let row =
        users::find_by_id(conn, id)?.ok_or_else(|| BankError::NotFound(format!("User #{id}")))?;
    let phones = phones::list_for_user(conn, id)?;
    let locked_until = row.locked_until.filter(|until| *until > now()).map(utc);
    Ok(UserProfile {
        id: row.id,
        email: stored_email(&row.email)?,
        name: row.name,
        surname: row.surname,
        age: u8::try_from(row.age).unwrap_or(0),
        country: row.country,
        city: row.city,
        phones,
        role: row.role,
        locked_until,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}
