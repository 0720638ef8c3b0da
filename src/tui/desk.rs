//! What the teller's workstation screens share: the customer being served (picked in the
//! lookup, shown on the card, served at the counter), the teller's drawer as last seen, the
//! bank's approval limit, and the operation the counter should start with.

use rust_decimal::Decimal;

use crate::domain::{AccountNumber, Currency};
use crate::services::{AccountStatus, AccountView, DrawerView, UserProfile};

/// The operations of the counter screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Operation {
    #[default]
    Deposit,
    Withdrawal,
    Transfer,
}

impl Operation {
    pub const ALL: [Operation; 3] = [
        Operation::Deposit,
        Operation::Withdrawal,
        Operation::Transfer,
    ];

    /// Withdrawals and transfers above the limit need a supervisor; deposits never do.
    pub fn limited(self) -> bool {
        !matches!(self, Operation::Deposit)
    }
}

/// A counter form to start with, set by the card or the registration before going there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterStart {
    pub operation: Operation,
    pub account: AccountNumber,
    /// An amount already typed (the opening deposit of a new customer).
    pub amount: Option<String>,
}

/// The customer being served and the teller's own state.
#[derive(Debug, Clone, Default)]
pub struct Desk {
    /// The customer's email, from the moment they are picked.
    pub customer: Option<String>,
    /// Their profile once loaded.
    pub profile: Option<UserProfile>,
    pub accounts: Vec<AccountView>,
    /// The selected account on the card.
    pub selected: usize,
    /// The teller's drawer as last seen: `None` not known yet, `Some(None)` closed.
    pub drawer: Option<Option<DrawerView>>,
    /// Withdrawals and transfers by staff above this need a supervisor (once known).
    pub approval_limit: Option<Decimal>,
    /// What the counter should start with next time it is shown.
    pub counter: Option<CounterStart>,
    /// Approval requests waiting for a supervisor (supervisors only; once known).
    pub approvals_waiting: Option<usize>,
    /// The currencies the bank counts in cash, each with its banknotes and coins in cents, as
    /// the bank lists them (empty until read: counts use the defaults the bank starts with).
    pub cash_currencies: Vec<(Currency, Vec<i64>)>,
}

impl Desk {
    /// Serves another customer: what was known about the previous one goes.
    pub fn serve(&mut self, email: &str) {
        if self.customer.as_deref() != Some(email) {
            self.profile = None;
            self.accounts.clear();
            self.selected = 0;
        }
        self.customer = Some(email.to_string());
    }

    pub fn selected_account(&self) -> Option<&AccountView> {
        self.accounts.get(self.selected)
    }

    pub fn find(&self, number: &str) -> Option<&AccountView> {
        self.accounts.iter().find(|a| a.number.as_str() == number)
    }

    pub fn open_accounts(&self) -> impl Iterator<Item = &AccountView> {
        self.accounts
            .iter()
            .filter(|a| a.status == AccountStatus::Open)
    }

    /// Replaces the account list, keeping the selection on the same account if it is there.
    pub fn set_accounts(&mut self, accounts: Vec<AccountView>) {
        let selected = self.selected_account().map(|a| a.number.clone());
        self.accounts = accounts;
        self.selected = selected
            .and_then(|n| self.accounts.iter().position(|a| a.number == n))
            .unwrap_or(0);
    }

    /// Puts an account in the list (or updates it) and selects it.
    pub fn upsert(&mut self, account: AccountView) {
        match self
            .accounts
            .iter()
            .position(|a| a.number == account.number)
        {
            Some(i) => {
                self.accounts[i] = account;
                self.selected = i;
            }
            None => {
                self.accounts.push(account);
                self.selected = self.accounts.len() - 1;
            }
        }
    }

    /// The customer's name as the screens show it ("Diana Julis"), or their email.
    pub fn customer_name(&self) -> Option<String> {
        match (&self.profile, &self.customer) {
            (Some(p), _) => Some(p.full_name()),
            (None, Some(email)) => Some(email.clone()),
            (None, None) => None,
        }
    }

    /// True when the teller's drawer is known to be open.
    pub fn drawer_open(&self) -> bool {
        matches!(&self.drawer, Some(Some(d)) if d.closed_at.is_none())
    }
}
