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

impl Route {
    /// Every screen.
    pub const ALL: [Route; 12] = [
        Route::Login,
        Route::Accounts,
        Route::Transfer,
        Route::History,
        Route::Profile,
        Route::Customers,
        Route::Card,
        Route::Counter,
        Route::Drawer,
        Route::Register,
        Route::Vault,
        Route::Approvals,
    ];

    /// The screen's name where a person writes it: the configuration file's `[keys]` table.
    pub const fn name(self) -> &'static str {
        match self {
            Route::Login => "login",
            Route::Accounts => "accounts",
            Route::Transfer => "transfer",
            Route::History => "history",
            Route::Profile => "profile",
            Route::Customers => "customers",
            Route::Card => "card",
            Route::Counter => "counter",
            Route::Drawer => "drawer",
            Route::Register => "register",
            Route::Vault => "vault",
            Route::Approvals => "approvals",
        }
    }
}
