//! Who is asking: the trusted CLI operator or a logged-in person.

use crate::domain::{Email, Role};

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
    /// The headless CLI, run by someone with access to the database: trusted, and recorded in
    /// the audit log as `cli:<OS user>`.
    Operator {
        os_user: String,
    },
    User(SessionUser),
}

impl Actor {
    /// The CLI operator, named after the OS user running it.
    pub fn operator_from_env() -> Self {
        let os_user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
            .unwrap_or_else(|| "unknown".to_string());
        Self::Operator { os_user }
    }

    /// The name the audit log and the journal record.
    pub fn audit_name(&self) -> String {
        match self {
            Self::Operator { os_user } => format!("cli:{os_user}"),
            Self::User(user) => user.email.as_str().to_string(),
        }
    }

    /// The label of this actor's own cash drawer account for a currency.
    pub(crate) fn drawer_label(&self, currency: &str) -> String {
        match self {
            Self::Operator { os_user } => format!("drawer:cli:{os_user}:{currency}"),
            Self::User(user) => format!("drawer:user:{}:{currency}", user.id),
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Self::Operator { .. } => None,
            Self::User(user) => Some(user.role),
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Self::Operator { .. } => None,
            Self::User(user) => Some(user.id),
        }
    }

    /// The operator, tellers and admins: they serve customers and handle cash.
    pub fn is_staff(&self) -> bool {
        self.role().is_none_or(Role::is_staff)
    }

    /// The operator and admins.
    pub fn is_admin(&self) -> bool {
        matches!(self.role(), None | Some(Role::Admin))
    }
}
