//! Who is asking: a logged-in person, or a set-up task run with the owner account.

use crate::domain::{Email, Role};

/// Who did something and from which device: what a journal row and an audit line record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub actor: String,
    pub device: String,
}

/// A person who logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub id: i64,
    pub email: Email,
    pub role: Role,
    pub name: String,
    pub surname: Option<String>,
}

/// Whoever a service works for; every permission check starts here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A set-up task (`teller demo`, `teller bench`, test fixtures) that already holds the
    /// database owner's credentials, so nothing it could be refused would protect anything.
    /// No command a person runs with the app account acts as it. Audited as `setup:<task>`.
    Setup {
        task: String,
    },
    User(SessionUser),
}

impl Actor {
    /// A set-up task, named in the audit log.
    pub fn setup(task: &str) -> Self {
        Self::Setup {
            task: task.to_string(),
        }
    }

    /// The name the audit log and the journal record.
    pub fn audit_name(&self) -> String {
        match self {
            Self::Setup { task } => format!("setup:{task}"),
            Self::User(user) => user.email.as_str().to_string(),
        }
    }

    /// The label of this actor's own cash drawer account for a currency.
    pub(crate) fn drawer_label(&self, currency: &str) -> String {
        match self {
            Self::Setup { task } => format!("drawer:setup:{task}:{currency}"),
            Self::User(user) => format!("drawer:user:{}:{currency}", user.id),
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Self::Setup { .. } => None,
            Self::User(user) => Some(user.role),
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Self::Setup { .. } => None,
            Self::User(user) => Some(user.id),
        }
    }

    pub fn user(&self) -> Option<&SessionUser> {
        match self {
            Self::Setup { .. } => None,
            Self::User(user) => Some(user),
        }
    }

    /// Set-up tasks, tellers and admins: they serve customers and handle cash.
    pub fn is_staff(&self) -> bool {
        self.role().is_none_or(Role::is_staff)
    }

    /// Set-up tasks and admins.
    pub fn is_admin(&self) -> bool {
        matches!(self.role(), None | Some(Role::Admin))
    }
}
