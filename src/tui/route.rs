//! The screens by name: a leaf that the key tables (`keys`), the screens' declarations
//! (`context::ROUTES`) and the app all name, importing nothing of theirs.

/// The screens. The teller's workstation adds its own here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    Login,
    Accounts,
    Transfer,
    History,
    Profile,
    /// Staff: find a customer.
    Customers,
    /// Staff: the customer card.
    Card,
    /// Staff: deposits, withdrawals and transfers for the customer.
    Counter,
    /// Staff: the teller's cash drawer.
    Drawer,
    /// Staff: register a new customer.
    Register,
    /// Supervisors: the vault and closing the day.
    Vault,
    /// Supervisors: the approval requests tellers sent.
    Approvals,
}
