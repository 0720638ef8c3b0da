//! The authorization matrix, in one place. The UI may hide what is not allowed; these checks
//! are the guard.
//!
//! | who      | own profile | customers            | staff            | money                        |
//! |----------|-------------|----------------------|------------------|------------------------------|
//! | customer | read, edit  | -                    | -                | read and move own only       |
//! | teller   | read, edit  | read, edit, unlock,  | -                | any customer, handles cash   |
//! |          |             | reset, open accounts |                  |                              |
//! | admin    | read, edit  | all a teller can     | create, manage   | any customer, handles cash   |
//! | set-up   | (`demo`, `bench`, fixtures on the owner account: not limited; audited `setup:<task>`) |

use super::{Actor, BankError, BankResult};
use crate::domain::Role;

/// May `actor` see and edit the profile of a user with this id and role?
pub fn may_manage_user(actor: &Actor, target_id: i64, target_role: Role) -> bool {
    match actor.role() {
        None | Some(Role::Admin) => true,
        Some(Role::Teller) => target_role == Role::Customer || actor.user_id() == Some(target_id),
        Some(Role::Customer) => actor.user_id() == Some(target_id),
    }
}

/// Staff actions on someone else (unlock, reset password, open an account): tellers on
/// customers, admins and set-up tasks on anyone.
pub fn may_administer_user(actor: &Actor, target_role: Role) -> bool {
    match actor.role() {
        None | Some(Role::Admin) => true,
        Some(Role::Teller) => target_role == Role::Customer,
        Some(Role::Customer) => false,
    }
}

/// Who may create a user of `role`: staff create customers, only admins create staff.
pub fn may_create(actor: &Actor, role: Role) -> bool {
    match role {
        Role::Customer => actor.is_staff(),
        Role::Teller | Role::Admin => actor.is_admin(),
    }
}

/// May `actor` read or move the money of an account owned by `owner_id`?
pub fn may_use_account(actor: &Actor, owner_id: Option<i64>) -> bool {
    actor.is_staff() || (owner_id.is_some() && actor.user_id() == owner_id)
}

/// Supervisors only (a set-up task is not one: it has no role).
pub fn require_supervisor(actor: &Actor, action: &'static str) -> BankResult<()> {
    require(actor.role() == Some(Role::Admin), action)
}

pub fn require(allowed: bool, action: &'static str) -> BankResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(BankError::Forbidden(action))
    }
}
