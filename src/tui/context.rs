//! What the app and its screens share, below both: the actions, the routes, the session, the
//! shared data, and the context a screen works in (`Ctx` to act, `View` to draw). Screens
//! import this, never `app.rs`; the app composes the screens.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};

use super::clock::Clock;
use super::desk::Desk;
use super::keys::{key, Chord};
pub use super::route::Route;
use super::strings as s;
use super::strings_approvals as sa;
use super::strings_day as sd;
use super::strings_fx as sx;
use super::theme::Theme;
use super::worker::{is_connection_lost, ExportError, Job, Request, RequestId, WorkerMessage};
use super::TuiConfig;
use crate::domain::{Email, Role};
use crate::services::{AccountStatus, AccountView, Actor, BankError, SessionUser};

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    /// A click or the wheel (only when the mouse is on).
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The workstation's connection closed or its device was revoked: stop at once, without
    /// asking (the login ends with the session).
    Hangup,
    /// Time passes: the spinner turns and the idle lock may close.
    Tick,
    /// Boxed: the answers are large next to a key press.
    Worker(Box<WorkerMessage>),
}

/// Who may open a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Before and after logging in (the login, one's own profile).
    Everyone,
    Customers,
    Staff,
    /// Admins only (the vault).
    Supervisors,
}

/// A screen's tab: the key that opens it from anywhere, and the help line for that key.
#[derive(Debug, Clone, Copy)]
pub struct Tab {
    pub keys: &'static [Chord],
    pub help: &'static str,
    /// Drawn in the tab row; false for a screen opened by its key, the palette or a badge
    /// only (the supervisors' approvals: an admin's seven tabs fill 80 columns already).
    pub in_row: bool,
}

/// One screen, declared once: its title, who may open it and its tab for customers and for
/// staff. Titles, tabs, the navigation keys (and so the footer, the help and the palette) and
/// the access rule all come from `ROUTES`.
#[derive(Debug, Clone, Copy)]
pub struct RouteEntry {
    pub route: Route,
    pub title: &'static str,
    pub audience: Audience,
    /// Its tab in a customer's app, in tab order.
    pub customer_tab: Option<Tab>,
    /// Its tab on the teller's workstation, in tab order.
    pub staff_tab: Option<Tab>,
}

const fn entry(
    route: Route,
    title: &'static str,
    audience: Audience,
    customer_tab: Option<Tab>,
    staff_tab: Option<Tab>,
) -> RouteEntry {
    RouteEntry {
        route,
        title,
        audience,
        customer_tab,
        staff_tab,
    }
}

const fn tab(keys: &'static [Chord], help: &'static str) -> Option<Tab> {
    Some(Tab {
        keys,
        help,
        in_row: true,
    })
}

/// A screen's key without a place in the tab row.
const fn key_only(keys: &'static [Chord], help: &'static str) -> Option<Tab> {
    Some(Tab {
        keys,
        help,
        in_row: false,
    })
}

/// Declares `ROUTES` from the list in `route.rs`.
macro_rules! route_entries {
    ($($(#[$doc:meta])* $route:ident $field:ident: $module:ident::$state:ident,
        $title:expr, $audience:ident, $customer_tab:expr, $staff_tab:expr;)+) => {
        /// Every screen of the app, in tab order.
        pub const ROUTES: [RouteEntry; Route::ALL.len()] = [
            $(entry(Route::$route, $title, Audience::$audience, $customer_tab, $staff_tab),)+
        ];
    };
}

super::route::every_screen!(route_entries);

impl Route {
    /// Is this screen drawn in the tab row (for staff or for customers)?
    pub fn in_tab_row(self, staff: bool) -> bool {
        let entry = self.entry();
        let tab = if staff {
            entry.staff_tab
        } else {
            entry.customer_tab
        };
        tab.is_some_and(|t| t.in_row)
    }

    fn entry(self) -> &'static RouteEntry {
        // ROUTES holds the routes in the order of `Route::ALL`: both come from one list.
        &ROUTES[self as usize]
    }

    pub fn title(self) -> &'static str {
        self.entry().title
    }

    /// Screens of the teller's workstation (staff only).
    pub fn is_staff(self) -> bool {
        matches!(
            self.entry().audience,
            Audience::Staff | Audience::Supervisors
        )
    }

    /// May a person of this role be on this screen?
    pub fn allowed(self, role: Role) -> bool {
        match self.entry().audience {
            Audience::Everyone => true,
            Audience::Customers => !role.is_staff(),
            Audience::Staff => role.is_staff(),
            Audience::Supervisors => role == Role::Admin,
        }
    }

    /// Where a person of this role starts after logging in.
    pub fn home_for(role: Role) -> Route {
        if role.is_staff() {
            Route::Customers
        } else {
            Route::Accounts
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_screens_of_one_role_share_a_key() {
        for role in [Role::Customer, Role::Teller, Role::Admin] {
            let mut seen: Vec<(Chord, Route)> = Vec::new();
            for entry in ROUTES.iter().filter(|e| e.route.allowed(role)) {
                let tab = if role.is_staff() {
                    entry.staff_tab
                } else {
                    entry.customer_tab
                };
                for chord in tab.map_or(&[][..], |t| t.keys) {
                    let clash = seen.iter().find(|(c, _)| c == chord);
                    assert!(clash.is_none(), "{role:?}: {clash:?} and {:?}", entry.route);
                    seen.push((*chord, entry.route));
                }
            }
        }
        for route in Route::ALL {
            assert_eq!(route.entry().route, route);
        }
        assert!(Route::Drawer.allowed(Role::Teller) && !Route::Drawer.allowed(Role::Customer));
        assert!(Route::Profile.allowed(Role::Teller) && Route::Profile.allowed(Role::Customer));
        assert!(Route::Vault.allowed(Role::Admin) && !Route::Vault.allowed(Role::Teller));
    }
}

/// The person logged in.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: SessionUser,
}

impl Session {
    pub fn actor(&self) -> Actor {
        Actor::User(self.user.clone())
    }

    pub fn email(&self) -> &Email {
        &self.user.email
    }

    /// "Diana Julis".
    pub fn display_name(&self) -> String {
        match &self.user.surname {
            Some(surname) => format!("{} {surname}", self.user.name),
            None => self.user.name.clone(),
        }
    }

    /// Tellers and admins get the workstation.
    pub fn is_staff(&self) -> bool {
        self.user.role.is_staff()
    }
}

/// Data several screens share: the customer's accounts and which one is selected.
#[derive(Debug, Default, Clone)]
pub struct Data {
    pub accounts: Vec<AccountView>,
    pub selected: usize,
    pub loaded: bool,
    /// The teller's workstation: the customer being served, the drawer, the limits.
    pub desk: Desk,
}

impl Data {
    pub fn selected_account(&self) -> Option<&AccountView> {
        self.accounts.get(self.selected)
    }

    pub fn open_accounts(&self) -> impl Iterator<Item = &AccountView> {
        self.accounts
            .iter()
            .filter(|a| a.status == AccountStatus::Open)
    }

    pub fn find(&self, number: &str) -> Option<&AccountView> {
        self.accounts.iter().find(|a| a.number.as_str() == number)
    }

    /// Selects the account with this number, if it is one of ours.
    pub fn select(&mut self, number: &str) {
        if let Some(i) = self
            .accounts
            .iter()
            .position(|a| a.number.as_str() == number)
        {
            self.selected = i;
        }
    }
}

/// A one-line message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Success(String),
    Error(String),
}

/// Who is waiting for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Accounts,
    /// The supervisors' count of waiting approval requests.
    Badge,
    Screen(Route),
    Lock,
    Palette,
}

#[derive(Debug, Default)]
pub(crate) struct Outbox {
    pub(crate) next_id: RequestId,
    pub(crate) requests: Vec<Request>,
    pub(crate) pending: HashMap<RequestId, Target>,
}

impl Outbox {
    pub(crate) fn push(&mut self, job: Job, target: Target) -> RequestId {
        self.next_id += 1;
        let id = self.next_id;
        self.requests.push(Request { id, job });
        self.pending.insert(id, target);
        id
    }
}

/// What a screen may touch while it handles a key or an answer.
pub struct Ctx<'a> {
    pub session: &'a mut Option<Session>,
    pub data: &'a mut Data,
    pub notice: &'a mut Option<Notice>,
    pub clock: &'a dyn Clock,
    pub config: &'a TuiConfig,
    pub(crate) outbox: &'a mut Outbox,
    pub(crate) target: Target,
}

impl Ctx<'_> {
    /// Queues work for the worker; the answer comes back to the screen that asked.
    pub fn request(&mut self, job: Job) -> RequestId {
        self.outbox.push(job, self.target)
    }

    /// Reloads the account list (every screen hears about it through `on_accounts`).
    pub fn refresh_accounts(&mut self) {
        if let Some(session) = self.session.as_ref() {
            let job = Job::Accounts {
                actor: session.actor(),
                owner: session.email().clone(),
            };
            self.outbox.push(job, Target::Accounts);
        }
    }

    pub fn actor(&self) -> Option<Actor> {
        self.session.as_ref().map(Session::actor)
    }

    pub fn notify(&mut self, notice: Notice) {
        *self.notice = Some(notice);
    }
}

/// What a screen asks the app to do after a key or an answer.
#[derive(Debug)]
pub enum Flow {
    Stay,
    Go(Route),
    LoggedIn(SessionUser),
    Quit,
}

/// What screens read while they draw.
pub struct View<'a> {
    pub session: Option<&'a Session>,
    pub data: &'a Data,
    pub clock: &'a dyn Clock,
    pub theme: &'a Theme,
    pub config: &'a TuiConfig,
    pub spinner: char,
    pub busy: bool,
}

/// A failed export or file (history CSV, receipt, statement) in the same words.
pub fn describe_export(error: &ExportError) -> String {
    match error {
        ExportError::Bank(e) => describe(e),
        ExportError::Io(e) => e.to_string(),
    }
}

/// An error in the words the status line or a form shows.
pub fn describe(error: &BankError) -> String {
    if is_connection_lost(error) {
        s::DB_UNAVAILABLE_ACTION.to_string()
    } else {
        error.to_string()
    }
}
