//! The screens, declared once. A leaf that the key tables and the configuration's `[keys]`
//! table name (`Route`); the route table (`context::ROUTES`) and the screens' state
//! (`app::Screens`) expand its [`every_screen!`], so none of them imports another for it.
//! A screen's field is also its `[keys]` name: renaming the field renames the setting.

/// Every screen of the app, one line each, in tab order: its route (with the words of its
/// documentation), its field in `app::Screens` (also its name in the configuration file's
/// `[keys]` table), the type of its state under `screens`, its title, who may open it, and its
/// tab for customers and for staff. A new screen is its file under `screens` and one line
/// here; the compiler then asks for whatever else it needs (its `mod` line, its `Screen` impl).
///
/// Called with the name of a macro that takes the list: the titles and tabs are expressions
/// read where that macro expands (`context`), the types where theirs does (`app`).
macro_rules! every_screen {
    ($then:ident) => {
        $then! {
            Login login: login::LoginScreen,
                s::TITLE_LOGIN, Everyone, None, None;
            Accounts accounts: home::HomeScreen,
                s::TITLE_ACCOUNTS, Customers, tab(&[key(KeyCode::F(2))], s::HELP_GO_ACCOUNTS), None;
            Transfer transfer: transfer::TransferScreen,
                s::TITLE_TRANSFER, Customers, tab(&[key(KeyCode::F(3))], s::HELP_GO_TRANSFER), None;
            History history: history::HistoryScreen,
                s::TITLE_HISTORY, Customers, tab(&[key(KeyCode::F(4))], s::HELP_GO_HISTORY), None;
            /// Staff: find a customer.
            Customers customers: customers::CustomersScreen,
                s::TITLE_CUSTOMERS, Staff, None, tab(&[key(KeyCode::F(2))], s::HELP_GO_CUSTOMERS);
            /// Staff: the customer card.
            Card card: card::CardScreen,
                s::TITLE_CARD, Staff, None, tab(&[key(KeyCode::F(3))], s::HELP_GO_CARD);
            /// Staff: deposits, withdrawals and transfers for the customer.
            Counter counter: counter::CounterScreen,
                s::TITLE_COUNTER, Staff, None, tab(&[key(KeyCode::F(4))], s::HELP_GO_COUNTER);
            /// Staff: cash for cash at the counter (a key; `x` on the counter opens it too).
            Exchange exchange: exchange::ExchangeScreen,
                sx::TITLE_EXCHANGE, Staff, None,
                key_only(&[key(KeyCode::F(11))], sx::HELP_GO_EXCHANGE);
            /// Staff: the teller's cash drawer.
            Drawer drawer: drawer::DrawerScreen,
                s::TITLE_DRAWER, Staff, None, tab(&[key(KeyCode::F(5))], s::HELP_GO_DRAWER);
            /// Staff: register a new customer.
            Register register: register::RegisterScreen,
                s::TITLE_REGISTER, Staff, None, tab(&[key(KeyCode::F(6))], s::HELP_GO_REGISTER);
            /// Supervisors: the vault and closing the day.
            Vault vault: vault::VaultScreen,
                sd::TITLE_VAULT, Supervisors, None, tab(&[key(KeyCode::F(8))], sd::HELP_GO_VAULT);
            /// Supervisors: the approval requests tellers sent (a key, no place in the tab
            /// row: an admin's tabs fill 80 columns already).
            Approvals approvals: approvals::ApprovalsScreen,
                sa::TITLE_APPROVALS, Supervisors, None,
                key_only(&[key(KeyCode::F(9))], sa::HELP_GO_APPROVALS);
            /// Supervisors: the exchange rates (a key, like the approvals).
            Rates rates: rates::RatesScreen,
                sx::TITLE_RATES, Supervisors, None,
                key_only(&[key(KeyCode::F(10))], sx::HELP_GO_RATES);
            /// Everyone's own profile: the customers' last tab, the workstation's last tab.
            Profile profile: profile::ProfileScreen,
                s::TITLE_PROFILE, Everyone, tab(&[key(KeyCode::F(5))], s::HELP_GO_PROFILE),
                tab(&[key(KeyCode::F(7))], s::HELP_GO_OWN_PROFILE);
        }
    };
}
pub(crate) use every_screen;

/// Declares `Route` from the list: a variant per screen, `ALL` and `name`.
macro_rules! declare_routes {
    ($($(#[$doc:meta])* $route:ident $field:ident: $module:ident::$state:ident,
        $title:expr, $audience:ident, $customer_tab:expr, $staff_tab:expr;)+) => {
        /// The screens.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Route {
            $($(#[$doc])* $route,)+
        }

        impl Route {
            /// Every screen, in tab order.
            pub const ALL: [Route; [$(Route::$route),+].len()] = [$(Route::$route),+];

            /// The screen's name where a person writes it: the configuration file's `[keys]`
            /// table.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Route::$route => stringify!($field),)+
                }
            }
        }
    };
}

every_screen!(declare_routes);
