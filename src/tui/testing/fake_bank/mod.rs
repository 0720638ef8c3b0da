//! A bank in memory for the screens' tests: its data, and the look-ups its answers share. What
//! it answers to each job is in `customer` (the customer's screens) and `desk` (the teller's
//! workstation). It keeps data, not rules: limits, approvals, who may do what and when the day
//! may close are the real bank's to decide (tested against MariaDB); a screen's test scripts
//! the bank's refusal with `refuse_next` and checks what the screen makes of it.

mod approvals;
mod customer;
mod desk;
mod fx;
mod vault;

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::fixtures::{
    account_number, fixed_wall, money, number, ADMIN_EMAIL, ADMIN_PASSWORD, EMAIL, OTHER_EMAIL,
    PASSWORD, TELLER_EMAIL, TELLER_PASSWORD,
};
use crate::domain::{Currency, Email, Role};
use crate::services::{
    AccountStatus, AccountView, BankError, CustomerHit, DrawerView, HistoryEntry, MoneyResult,
    MovementKind, Party, SessionUser, UserProfile,
};
use crate::tui::worker::{Job, ReplyBody};

/// Makes the error a test says the bank refuses a job with (errors are not `Clone`).
pub type Refusal = fn() -> BankError;

/// A bank in memory with one customer, Diana Julis, and a recipient, Marco Rossi.
#[derive(Debug, Clone)]
pub struct FakeBank {
    pub user: SessionUser,
    pub password: String,
    pub accounts: Vec<AccountView>,
    pub history: HashMap<String, Vec<HistoryEntry>>,
    pub profile: UserProfile,
    /// Account number -> "M. Rossi" and the account's currency.
    pub names: HashMap<String, crate::services::Payee>,
    /// Idempotency keys already applied, with their result.
    pub applied: HashMap<String, MoneyResult>,
    /// Tellers and admins with their passwords.
    pub staff: Vec<(SessionUser, String)>,
    /// Customers other than Diana, with their accounts.
    pub others: Vec<(UserProfile, Vec<AccountView>)>,
    /// The teller's drawer session (open or just closed).
    pub drawer: Option<DrawerView>,
    /// Drawers of other currencies open beside it.
    pub other_drawers: Vec<DrawerView>,
    /// The bank says the teller's drawer is above its limit after a cash-in (the bank decides
    /// it; a test sets it).
    pub drawer_over_limit: bool,
    /// Cash in and out of the open drawer, kept aside: like the bank, the fake tells the
    /// teller only after the blind close.
    pub drawer_flows: (Decimal, Decimal),
    pub approval_limit: Decimal,
    /// Today's vault, once a supervisor opened it.
    pub vault: Option<crate::services::VaultView>,
    /// Approval requests tellers sent.
    pub approval_requests: Vec<crate::services::ApprovalRequestView>,
    /// The workstation's time as the driver last answered (a quote holds a minute from it).
    pub wall: chrono::DateTime<chrono::Utc>,
    /// Exchange rates, newest first.
    pub rates: Vec<crate::services::RateView>,
    /// Quotes given, and the exchanges done at the counter.
    pub quotes: Vec<crate::services::QuoteView>,
    pub exchanges: Vec<crate::services::ExchangeResult>,
    /// What the counter sent for each cash exchange done (the customer's ID with it).
    pub exchange_requests: Vec<crate::services::CashExchange>,
    /// What the bank decides, said by a test: the next job of this name (`Job::name`) is
    /// refused with this error. The fake keeps data; it does not re-decide the bank's rules
    /// (limits, approvals, who may approve): a screen's test says what the bank answers.
    refusals: Vec<(&'static str, Refusal)>,
    /// Every approval the screens sent with a job, in order; a test reads them through
    /// `approvals_sent` to check the screen sent the supervisor and password typed (the real
    /// bank checks them).
    approvals: Vec<crate::services::Approval>,
    /// The passwords supervisors decided approval requests with, in order.
    pub decision_passwords: Vec<String>,
    next_id: i64,
}

impl FakeBank {
    pub fn demo() -> Self {
        let email = Email::parse(EMAIL).unwrap_or_else(|_| unreachable!());
        let user = SessionUser {
            id: 7,
            email: email.clone(),
            role: Role::Customer,
            name: "Diana".into(),
            surname: Some("Julis".into()),
        };
        let created = fixed_wall() - chrono::Duration::days(400);
        let account = |serial: u32, currency: Currency, balance: &str, status| AccountView {
            number: account_number(serial),
            owner: Some(EMAIL.into()),
            currency,
            balance: money(balance),
            status,
            created_at: created,
        };
        let accounts = vec![
            account(100_000_123, Currency::USD, "2450.75", AccountStatus::Open),
            account(100_000_456, Currency::USD, "120.00", AccountStatus::Open),
            account(100_000_789, Currency::EUR, "0.00", AccountStatus::Frozen),
        ];
        let main = number(100_000_123);
        let other = number(200_000_042);
        // 120 movements, newest first, one every 6 hours before "now".
        let mut entries = Vec::new();
        let mut balance = money("2450.75");
        for i in 0..120i64 {
            let id = 5_000 - i;
            let (kind, amount, party) = match i % 4 {
                0 => (MovementKind::Deposit, money("25.00"), Party::Cash),
                1 => (
                    MovementKind::Transfer,
                    money("-75.50"),
                    Party::Account(account_number(200_000_042)),
                ),
                2 => (
                    MovementKind::Transfer,
                    money("40.25"),
                    Party::Account(account_number(100_000_456)),
                ),
                _ => (MovementKind::Withdrawal, money("-60.00"), Party::Cash),
            };
            entries.push(HistoryEntry {
                id,
                at: fixed_wall() - chrono::Duration::hours(6 * (i + 1)),
                kind,
                amount,
                currency: Currency::USD,
                counterparty: party,
                balance_after: balance,
                key: format!("fixture-{id}"),
                memo: (i % 3 == 0).then(|| format!("memo {id}")),
                device: "local".into(),
            });
            balance -= amount;
        }
        let mut history = HashMap::new();
        history.insert(main, entries);
        history.insert(number(100_000_456), Vec::new());
        history.insert(number(100_000_789), Vec::new());
        let profile = UserProfile {
            id: 7,
            email: email.clone(),
            name: "Diana".into(),
            surname: Some("Julis".into()),
            age: 34,
            country: "USA".into(),
            city: Some("San Juan".into()),
            phones: vec!["+17875550100".into(), "+17875550199".into()],
            role: Role::Customer,
            locked_until: None,
            created_at: created,
            updated_at: created,
        };
        let payee = |name: &str, currency| crate::services::Payee {
            name: name.into(),
            currency,
        };
        let mut names = HashMap::new();
        names.insert(other, payee("M. Rossi", Currency::USD));
        // A euro account elsewhere: a transfer there goes at a quote.
        names.insert(number(300_000_017), payee("L. Dubois", Currency::EUR));
        for a in &accounts {
            names.insert(a.number.to_string(), payee("D. Julis", a.currency));
        }
        let staff_user =
            |id: i64, email: &str, role: Role, name: &str, surname: &str| SessionUser {
                id,
                email: Email::parse(email).unwrap_or_else(|_| unreachable!()),
                role,
                name: name.into(),
                surname: Some(surname.into()),
            };
        let staff = vec![
            (
                staff_user(2, TELLER_EMAIL, Role::Teller, "Tom", "Teller"),
                TELLER_PASSWORD.to_string(),
            ),
            (
                staff_user(1, ADMIN_EMAIL, Role::Admin, "Ada", "Admin"),
                ADMIN_PASSWORD.to_string(),
            ),
        ];
        let marco = UserProfile {
            id: 8,
            email: Email::parse(OTHER_EMAIL).unwrap_or_else(|_| unreachable!()),
            name: "Marco".into(),
            surname: Some("Rossi".into()),
            age: 41,
            country: "Italy".into(),
            city: Some("Torino".into()),
            phones: vec!["+390115550123".into()],
            role: Role::Customer,
            locked_until: Some(fixed_wall() + chrono::Duration::minutes(12)),
            created_at: created,
            updated_at: created,
        };
        let marco_accounts = vec![AccountView {
            owner: Some(OTHER_EMAIL.into()),
            ..account(200_000_042, Currency::USD, "310.00", AccountStatus::Open)
        }];
        Self {
            user,
            password: PASSWORD.into(),
            accounts,
            history,
            profile,
            names,
            applied: HashMap::new(),
            staff,
            others: vec![(marco, marco_accounts)],
            drawer: None,
            other_drawers: Vec::new(),
            drawer_over_limit: false,
            drawer_flows: (Decimal::ZERO, Decimal::ZERO),
            approval_limit: money("10000.00"),
            vault: None,
            approval_requests: Vec::new(),
            wall: fixed_wall(),
            rates: Vec::new(),
            quotes: Vec::new(),
            exchanges: Vec::new(),
            exchange_requests: Vec::new(),
            refusals: Vec::new(),
            approvals: Vec::new(),
            decision_passwords: Vec::new(),
            next_id: 9_001,
        }
    }

    /// The bank refuses the next job named `job` (`Job::name`: "withdraw", "reverse", ...)
    /// with `error`.
    pub fn refuse_next(&mut self, job: &'static str, error: Refusal) -> &mut Self {
        self.refusals.push((job, error));
        self
    }

    /// The supervisor and password of every approval the screens sent, in order (a sent
    /// request shows as "request N").
    pub fn approvals_sent(&self) -> Vec<(String, String)> {
        self.approvals
            .iter()
            .map(|approval| match approval {
                crate::services::Approval::Typed {
                    supervisor,
                    password,
                } => (supervisor.to_string(), password.expose().to_string()),
                crate::services::Approval::Request(id) => (format!("request {id}"), String::new()),
            })
            .collect()
    }

    /// Keeps the approval a job carries, and the password a supervisor decides with (before
    /// anything is decided: a refused one too).
    fn note_approval(&mut self, job: &Job) {
        if let Job::DecideApproval { password, .. } = job {
            self.decision_passwords.push(password.expose().to_string());
        }
        let approval = match job {
            Job::SetAccountStatus { approval, .. }
            | Job::OpenDrawer { approval, .. }
            | Job::Cash { approval, .. }
            | Job::CounterTransfer { approval, .. }
            | Job::Reverse { approval, .. }
            | Job::BulkPost { approval, .. }
            | Job::ExchangeCash { approval, .. } => approval.as_ref(),
            Job::DrawerCash { approval, .. } => Some(approval),
            _ => None,
        };
        self.approvals.extend(approval.cloned());
    }

    /// The scripted refusal of this job, if a test asked for one.
    fn scripted_refusal(&mut self, job: &Job) -> Option<ReplyBody> {
        let at = self
            .refusals
            .iter()
            .position(|(name, _)| *name == job.name())?;
        let (name, error) = self.refusals.remove(at);
        let refused = job.refused(error()).unwrap_or_else(|| {
            panic!("a {name} job's answer cannot carry a refusal: the test asks the impossible")
        });
        Some(refused)
    }

    /// An open drawer session with a float of 2,000.00, 500.00 in and 120.00 out.
    pub fn with_open_drawer(mut self) -> Self {
        self.drawer = Some(DrawerView {
            session_id: 41,
            currency: Currency::USD,
            opening_float: money("2000.00"),
            opening_count: "100x15 50x10".into(),
            cash_in: None,
            cash_out: None,
            top_ups: Decimal::ZERO,
            drops: Decimal::ZERO,
            expected: None,
            opened_at: fixed_wall() - chrono::Duration::hours(1),
            closed_at: None,
            counted: None,
            over_short: None,
        });
        self.drawer_flows = (money("500.00"), money("120.00"));
        self
    }

    fn profile_of(&self, email: &str) -> Option<&UserProfile> {
        if email == self.profile.email.as_str() {
            return Some(&self.profile);
        }
        self.others
            .iter()
            .map(|(p, _)| p)
            .find(|p| p.email.as_str() == email)
    }

    fn accounts_of(&self, email: &str) -> Option<Vec<AccountView>> {
        if email == self.profile.email.as_str() {
            return Some(self.accounts.clone());
        }
        self.others
            .iter()
            .find(|(p, _)| p.email.as_str() == email)
            .map(|(_, a)| a.clone())
    }

    fn account_mut(&mut self, number: &str) -> Option<&mut AccountView> {
        self.accounts
            .iter_mut()
            .chain(self.others.iter_mut().flat_map(|(_, a)| a.iter_mut()))
            .find(|a| a.number.as_str() == number)
    }

    fn search(&self, query: &str) -> Vec<CustomerHit> {
        let q = query.trim().to_lowercase();
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let mut all = vec![(&self.profile, &self.accounts)];
        all.extend(self.others.iter().map(|(p, a)| (p, a)));
        all.into_iter()
            .filter(|(p, accounts)| {
                p.name.to_lowercase().contains(&q)
                    || p.surname
                        .as_deref()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains(&q)
                    || p.email.as_str().contains(&q)
                    || (digits.len() >= 3
                        && (p.phones.iter().any(|n| n.contains(&digits))
                            || accounts.iter().any(|a| a.number.as_str() == digits)))
            })
            .map(|(p, accounts)| CustomerHit {
                email: p.email.clone(),
                name: p.name.clone(),
                surname: p.surname.clone(),
                phones: p.phones.clone(),
                accounts: accounts.iter().map(|a| a.number.clone()).collect(),
                locked: p.locked_until.is_some_and(|u| u > fixed_wall()),
            })
            .collect()
    }
}

/// A refusal a test scripted and no job used is a mistake in the test (a misspelt job name, a
/// screen that never asked): it fails the test instead of passing unnoticed.
impl Drop for FakeBank {
    fn drop(&mut self) {
        if !self.refusals.is_empty() && !std::thread::panicking() {
            let names: Vec<&str> = self.refusals.iter().map(|(name, _)| *name).collect();
            panic!("scripted refusals no job used: {names:?}");
        }
    }
}
