//! Fixtures and a key-driven driver for the app's tests and the render benchmark: a fixed clock,
//! fixed data, and a fake bank that answers the worker's jobs at once. Not used by the app.
#![allow(clippy::missing_panics_doc)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::Terminal;
use rust_decimal::Decimal;

use super::app::{Action, App};
use super::clock::ManualClock;
use super::worker::{CashKind, Exported, Job, Reply, ReplyBody, Request, Trend, WorkerMessage};
use super::{ui, TuiConfig};
use crate::domain::{AccountNumber, Email, Role};
use crate::services::{
    AccountStatus, AccountView, Actor, Approval, BankError, CustomerHit, DrawerView, HistoryEntry,
    MoneyResult, MovementKind, Party, SessionUser, UserProfile,
};

pub const WIDTH: u16 = 80;
pub const HEIGHT: u16 = 24;
pub const EMAIL: &str = "di.julis@icloud.com";
pub const PASSWORD: &str = "lesson-demo-2026";
pub const TELLER_EMAIL: &str = "teller@bank.local";
pub const TELLER_PASSWORD: &str = "teller-demo-2026";
pub const ADMIN_EMAIL: &str = "admin@bank.local";
pub const ADMIN_PASSWORD: &str = "admin-demo-2026!";
/// Marco Rossi, the fake bank's second customer.
pub const OTHER_EMAIL: &str = "marco.rossi@example.com";

/// 2026-03-14 09:30 UTC, the fixtures' "now".
pub fn fixed_wall() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

pub fn config() -> TuiConfig {
    TuiConfig {
        idle_timeout: Some(Duration::from_secs(300)),
        export_dir: PathBuf::from("/tmp/teller-exports"),
        database_label: "teller_demo on 127.0.0.1:3307".into(),
        tick: Duration::from_millis(200),
        ..TuiConfig::new("mysql://root@127.0.0.1:3307/teller_demo")
    }
}

/// A valid account number from a 9-digit serial.
pub fn number(serial: u32) -> String {
    AccountNumber::from_serial(serial)
        .map(|n| n.as_str().to_string())
        .unwrap_or_default()
}

fn money(raw: &str) -> Decimal {
    raw.parse().unwrap_or_default()
}

/// A bank in memory with one customer, Diana Julis, and a recipient, Marco Rossi.
#[derive(Debug, Clone)]
pub struct FakeBank {
    pub user: SessionUser,
    pub password: String,
    pub accounts: Vec<AccountView>,
    pub history: HashMap<String, Vec<HistoryEntry>>,
    pub profile: UserProfile,
    /// Account number -> "M. Rossi".
    pub names: HashMap<String, String>,
    /// Idempotency keys already applied, with their result.
    pub applied: HashMap<String, MoneyResult>,
    /// Tellers and admins with their passwords.
    pub staff: Vec<(SessionUser, String)>,
    /// Customers other than Diana, with their accounts.
    pub others: Vec<(UserProfile, Vec<AccountView>)>,
    /// The teller's drawer session (open or just closed).
    pub drawer: Option<DrawerView>,
    /// Cash in and out of the open drawer, kept aside: like the bank, the fake tells the
    /// teller only after the blind close.
    pub drawer_flows: (Decimal, Decimal),
    pub approval_limit: Decimal,
    next_id: i64,
}

impl FakeBank {
    pub fn demo() -> Self {
        let email = Email::parse(EMAIL).unwrap_or_else(|_| unreachable!());
        let user = SessionUser {
            id: 7,
            email,
            role: Role::Customer,
            name: "Diana".into(),
            surname: Some("Julis".into()),
        };
        let created = fixed_wall() - chrono::Duration::days(400);
        let account = |serial: u32, currency: &str, balance: &str, status| AccountView {
            number: number(serial),
            owner: Some(EMAIL.into()),
            currency: currency.into(),
            balance: money(balance),
            status,
            created_at: created,
        };
        let accounts = vec![
            account(100_000_123, "USD", "2450.75", AccountStatus::Open),
            account(100_000_456, "USD", "120.00", AccountStatus::Open),
            account(100_000_789, "EUR", "0.00", AccountStatus::Frozen),
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
                    Party::Account(other.clone()),
                ),
                2 => (
                    MovementKind::Transfer,
                    money("40.25"),
                    Party::Account(number(100_000_456)),
                ),
                _ => (MovementKind::Withdrawal, money("-60.00"), Party::Cash),
            };
            entries.push(HistoryEntry {
                id,
                at: fixed_wall() - chrono::Duration::hours(6 * (i + 1)),
                kind,
                amount,
                currency: "USD".into(),
                counterparty: party,
                balance_after: balance,
                key: format!("fixture-{id}"),
                memo: (i % 3 == 0).then(|| format!("memo {id}")),
            });
            balance -= amount;
        }
        let mut history = HashMap::new();
        history.insert(main, entries);
        history.insert(number(100_000_456), Vec::new());
        history.insert(number(100_000_789), Vec::new());
        let profile = UserProfile {
            id: 7,
            email: EMAIL.into(),
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
        let mut names = HashMap::new();
        names.insert(other, "M. Rossi".to_string());
        for a in &accounts {
            names.insert(a.number.clone(), "D. Julis".to_string());
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
            email: OTHER_EMAIL.into(),
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
            ..account(200_000_042, "USD", "310.00", AccountStatus::Open)
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
            drawer_flows: (Decimal::ZERO, Decimal::ZERO),
            approval_limit: money("10000.00"),
            next_id: 9_001,
        }
    }

    /// An open drawer session with a float of 2,000.00, 500.00 in and 120.00 out.
    pub fn with_open_drawer(mut self) -> Self {
        self.drawer = Some(DrawerView {
            session_id: 41,
            currency: "USD".into(),
            opening_float: money("2000.00"),
            opening_count: "100x15 50x10".into(),
            cash_in: None,
            cash_out: None,
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
        if email == self.profile.email {
            return Some(&self.profile);
        }
        self.others
            .iter()
            .map(|(p, _)| p)
            .find(|p| p.email == email)
    }

    fn accounts_of(&self, email: &str) -> Option<Vec<AccountView>> {
        if email == self.profile.email {
            return Some(self.accounts.clone());
        }
        self.others
            .iter()
            .find(|(p, _)| p.email == email)
            .map(|(_, a)| a.clone())
    }

    fn account_mut(&mut self, number: &str) -> Option<&mut AccountView> {
        self.accounts
            .iter_mut()
            .chain(self.others.iter_mut().flat_map(|(_, a)| a.iter_mut()))
            .find(|a| a.number == number)
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
                    || p.email.contains(&q)
                    || (digits.len() >= 3
                        && (p.phones.iter().any(|n| n.contains(&digits))
                            || accounts.iter().any(|a| a.number == digits)))
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

    /// The supervisor check, as the bank does it.
    fn approve(&self, actor: &Actor, approval: &Approval) -> Result<(), BankError> {
        let admin = self
            .staff
            .iter()
            .find(|(u, _)| u.email == approval.supervisor);
        match admin {
            Some((u, _)) if actor.user_id() == Some(u.id) => Err(BankError::ApprovalRefused(
                "nobody can approve their own operation",
            )),
            Some((u, _)) if u.role != Role::Admin => Err(BankError::ApprovalRefused(
                "only a supervisor (admin) can approve",
            )),
            Some((_, pw)) if pw == approval.password.expose() => Ok(()),
            _ => Err(BankError::ApprovalRefused(
                "the supervisor's email or password is incorrect",
            )),
        }
    }

    /// Checks the approval a limited operation needs.
    fn limit(
        &self,
        actor: &Actor,
        amount: Decimal,
        approval: Option<&Approval>,
    ) -> Result<(), BankError> {
        match approval {
            Some(approval) => self.approve(actor, approval),
            None if amount > self.approval_limit => Err(BankError::ApprovalRequired(format!(
                "An amount above {}",
                crate::domain::format_money_grouped(self.approval_limit)
            ))),
            None => Ok(()),
        }
    }

    /// Gives a result its reference.
    fn numbered(&mut self, result: MoneyResult) -> MoneyResult {
        let id = self.next_id;
        self.next_id += 1;
        MoneyResult { id, ..result }
    }

    fn cash(
        &mut self,
        actor: &Actor,
        kind: CashKind,
        request: &crate::services::CashRequest,
        approval: Option<&Approval>,
    ) -> Result<MoneyResult, BankError> {
        let amount = request.amount.value();
        if kind == CashKind::Withdrawal {
            self.limit(actor, amount, approval)?;
        }
        let open = self.drawer.as_ref().is_some_and(|d| d.closed_at.is_none());
        let number = request.account.as_str().to_string();
        let account = self
            .account_mut(&number)
            .ok_or_else(|| BankError::NotFound(format!("Account {number}")))?;
        if !open {
            return Err(BankError::DrawerClosed(account.currency.clone()));
        }
        if kind == CashKind::Withdrawal && account.balance < amount {
            return Err(BankError::InsufficientFunds {
                account: number,
                balance: crate::domain::format_money(account.balance),
                needed: crate::domain::format_money(amount),
            });
        }
        if kind == CashKind::Deposit {
            account.balance += amount;
        } else {
            account.balance -= amount;
        }
        let (balance, currency) = (account.balance, account.currency.clone());
        if self.drawer.is_some() {
            if kind == CashKind::Deposit {
                self.drawer_flows.0 += amount;
            } else {
                self.drawer_flows.1 += amount;
            }
        }
        let (movement, sides) = match kind {
            CashKind::Deposit => (
                MovementKind::Deposit,
                (Party::Cash, Party::Account(number.clone())),
            ),
            CashKind::Withdrawal => (
                MovementKind::Withdrawal,
                (Party::Account(number.clone()), Party::Cash),
            ),
        };
        Ok(self.numbered(MoneyResult {
            id: 0,
            key: request.key.as_str().to_string(),
            kind: movement,
            amount,
            currency,
            from: sides.0,
            to: sides.1,
            balances: vec![(number, balance)],
            memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
            at: fixed_wall(),
            replayed: false,
        }))
    }

    /// Answers the workstation's jobs.
    fn answer_desk(&mut self, job: Job) -> ReplyBody {
        match job {
            Job::SearchCustomers { query, .. } => ReplyBody::Customers {
                result: Ok(self.search(&query)),
                query,
            },
            Job::Limits => ReplyBody::Limits {
                approval_limit: self.approval_limit,
            },
            Job::RegisterUser { input, .. } => {
                let profile = UserProfile {
                    id: 50,
                    email: input.email.as_str().to_string(),
                    name: input.name.as_str().to_string(),
                    surname: input.surname.map(|s| s.as_str().to_string()),
                    age: input.age.value(),
                    country: input.country.as_str().to_string(),
                    city: input.city.map(|c| c.as_str().to_string()),
                    phones: input
                        .phones
                        .iter()
                        .map(|p| p.as_str().to_string())
                        .collect(),
                    role: Role::Customer,
                    locked_until: None,
                    created_at: fixed_wall(),
                    updated_at: fixed_wall(),
                };
                if self.profile_of(&profile.email).is_some() {
                    return ReplyBody::Profile(Err(BankError::DuplicateEmail(profile.email)));
                }
                self.others.push((profile.clone(), Vec::new()));
                ReplyBody::Profile(Ok(profile))
            }
            Job::OpenAccount {
                owner, currency, ..
            } => {
                let serial = 100_000_900 + u32::try_from(self.next_id % 100).unwrap_or(0);
                self.next_id += 1;
                let account = AccountView {
                    number: number(serial),
                    owner: Some(owner.as_str().to_string()),
                    currency: currency.as_str().into(),
                    balance: Decimal::ZERO,
                    status: AccountStatus::Open,
                    created_at: fixed_wall(),
                };
                if owner.as_str() == self.profile.email {
                    self.accounts.push(account.clone());
                } else if let Some((_, list)) = self
                    .others
                    .iter_mut()
                    .find(|(p, _)| p.email == owner.as_str())
                {
                    list.push(account.clone());
                }
                ReplyBody::Account(Ok(account))
            }
            Job::SetAccountStatus {
                actor,
                account,
                status,
                approval,
            } => {
                if status == AccountStatus::Open {
                    let approved = match &approval {
                        Some(approval) => self.approve(&actor, approval),
                        None => Err(BankError::ApprovalRequired("Unfreezing an account".into())),
                    };
                    if let Err(e) = approved {
                        return ReplyBody::Account(Err(e));
                    }
                }
                ReplyBody::Account(match self.account_mut(account.as_str()) {
                    Some(a) => {
                        a.status = status;
                        Ok(a.clone())
                    }
                    None => Err(BankError::NotFound(format!("Account {account}"))),
                })
            }
            Job::UnlockUser { email, .. } => {
                if email.as_str() == self.profile.email {
                    self.profile.locked_until = None;
                }
                for (p, _) in &mut self.others {
                    if p.email == email.as_str() {
                        p.locked_until = None;
                    }
                }
                ReplyBody::Done(Ok(()))
            }
            Job::ResetPassword { .. } => ReplyBody::Done(Ok(())),
            Job::Drawer { .. } => {
                ReplyBody::Drawer(Ok(self.drawer.clone().filter(|d| d.closed_at.is_none())))
            }
            Job::OpenDrawer {
                currency, count, ..
            } => {
                if self.drawer.as_ref().is_some_and(|d| d.closed_at.is_none()) {
                    return ReplyBody::DrawerSession(Err(BankError::DrawerAlreadyOpen));
                }
                let view = DrawerView {
                    session_id: 42,
                    currency: currency.as_str().into(),
                    opening_float: count.total(),
                    opening_count: count.to_string(),
                    cash_in: None,
                    cash_out: None,
                    expected: None,
                    opened_at: fixed_wall(),
                    closed_at: None,
                    counted: None,
                    over_short: None,
                };
                self.drawer = Some(view.clone());
                self.drawer_flows = (Decimal::ZERO, Decimal::ZERO);
                ReplyBody::DrawerSession(Ok(view))
            }
            Job::CloseDrawer { count, .. } => {
                let Some(mut view) = self.drawer.take().filter(|d| d.closed_at.is_none()) else {
                    return ReplyBody::DrawerSession(Err(BankError::DrawerClosed(
                        "any currency".into(),
                    )));
                };
                let (cash_in, cash_out) = self.drawer_flows;
                let expected = view.opening_float + cash_in - cash_out;
                view.closed_at = Some(fixed_wall());
                view.cash_in = Some(cash_in);
                view.cash_out = Some(cash_out);
                view.expected = Some(expected);
                view.counted = Some(count.total());
                view.over_short = Some(count.total() - expected);
                self.drawer = Some(view.clone());
                ReplyBody::DrawerSession(Ok(view))
            }
            Job::Cash {
                actor,
                kind,
                request,
                approval,
            } => ReplyBody::Money(self.cash(&actor, kind, &request, approval.as_ref())),
            Job::CounterTransfer {
                actor,
                request,
                approval,
            } => ReplyBody::Money(
                self.limit(&actor, request.amount.value(), approval.as_ref())
                    .and_then(|()| self.transfer(&request)),
            ),
            Job::Reverse {
                actor,
                reference,
                reason,
                approval,
            } => {
                let approved = match &approval {
                    Some(approval) => self.approve(&actor, approval),
                    None => Err(BankError::ApprovalRequired("A reversal".into())),
                };
                if let Err(e) = approved {
                    return ReplyBody::Money(Err(e));
                }
                let original = self
                    .history
                    .values()
                    .flatten()
                    .find(|e| e.id == reference)
                    .cloned();
                let Some(original) = original else {
                    return ReplyBody::Money(Err(BankError::NotFound(format!(
                        "Movement {reference}"
                    ))));
                };
                let result = self.numbered(MoneyResult {
                    id: 0,
                    key: format!("reversal-{reference}"),
                    kind: MovementKind::Reversal,
                    amount: original.amount.abs(),
                    currency: original.currency.clone(),
                    from: original.counterparty.clone(),
                    to: Party::Cash,
                    balances: Vec::new(),
                    memo: Some(reason.as_str().to_string()),
                    at: fixed_wall(),
                    replayed: false,
                });
                ReplyBody::Money(Ok(result))
            }
            Job::WriteReceipt { path, .. } => ReplyBody::Receipt(Ok(path)),
            _ => ReplyBody::Done(Ok(())),
        }
    }

    /// What the real bank would answer, more or less.
    pub fn answer(&mut self, job: Job) -> ReplyBody {
        match job {
            Job::Login { email, password } | Job::Reauthenticate { email, password } => {
                let staff = self
                    .staff
                    .iter()
                    .find(|(u, pw)| u.email == email && pw == password.expose())
                    .map(|(u, _)| u.clone());
                ReplyBody::Session(
                    if email == self.user.email && password.expose() == self.password {
                        Ok(self.user.clone())
                    } else if let Some(user) = staff {
                        Ok(user)
                    } else {
                        Err(BankError::InvalidCredentials)
                    },
                )
            }
            Job::Accounts { owner, .. } => ReplyBody::Accounts(
                self.accounts_of(owner.as_str())
                    .or_else(|| {
                        // A staff member's own (empty) list.
                        self.staff
                            .iter()
                            .any(|(u, _)| u.email == owner)
                            .then(Vec::new)
                    })
                    .ok_or_else(|| BankError::NotFound(format!("User {owner}"))),
            ),
            Job::History {
                account,
                before,
                limit,
                ..
            } => {
                let all = self
                    .history
                    .get(account.as_str())
                    .cloned()
                    .unwrap_or_default();
                let page = all
                    .into_iter()
                    .filter(|e| before.is_none_or(|b| e.id < b))
                    .take(limit as usize)
                    .collect();
                ReplyBody::History {
                    account: account.as_str().to_string(),
                    before,
                    result: Ok(page),
                }
            }
            Job::Trends {
                accounts, points, ..
            } => ReplyBody::Trends(Ok(accounts
                .iter()
                .map(|account| {
                    let all = self.history.get(account.as_str());
                    let page: Vec<HistoryEntry> = all
                        .into_iter()
                        .flatten()
                        .take(points as usize)
                        .cloned()
                        .collect();
                    Trend::from_history(account, &page)
                })
                .collect())),
            Job::Recipient { number } => ReplyBody::Recipient {
                number: number.as_str().to_string(),
                result: self
                    .names
                    .get(number.as_str())
                    .cloned()
                    .ok_or_else(|| BankError::NotFound(format!("Account {number}"))),
            },
            Job::Transfer { request, .. } => ReplyBody::Transfer(self.transfer(&request)),
            Job::Profile { ref email, .. } | Job::UpdateProfile { ref email, .. }
                if email.as_str() != self.profile.email =>
            {
                let (email, changes) = match job {
                    Job::UpdateProfile { email, changes, .. } => (email, Some(changes)),
                    Job::Profile { email, .. } => (email, None),
                    _ => return ReplyBody::Done(Ok(())),
                };
                if let Some((user, _)) = self.staff.iter().find(|(u, _)| u.email == email) {
                    return ReplyBody::Profile(Ok(UserProfile {
                        id: user.id,
                        email: user.email.as_str().to_string(),
                        name: user.name.clone(),
                        surname: user.surname.clone(),
                        age: 45,
                        country: "USA".into(),
                        city: None,
                        phones: Vec::new(),
                        role: user.role,
                        locked_until: None,
                        created_at: fixed_wall() - chrono::Duration::days(900),
                        updated_at: fixed_wall(),
                    }));
                }
                let Some((profile, _)) = self
                    .others
                    .iter_mut()
                    .find(|(p, _)| p.email == email.as_str())
                else {
                    return ReplyBody::Profile(Err(BankError::NotFound(format!("User {email}"))));
                };
                if let Some(changes) = changes {
                    if let Some(city) = changes.city {
                        profile.city = city.map(|c| c.as_str().to_string());
                    }
                    if let Some(name) = changes.name {
                        profile.name = name.as_str().to_string();
                    }
                }
                ReplyBody::Profile(Ok(profile.clone()))
            }
            Job::Profile { .. } | Job::UpdateProfile { .. } => {
                if let Job::UpdateProfile { changes, .. } = job {
                    if let Some(name) = changes.name {
                        self.profile.name = name.as_str().to_string();
                    }
                    if let Some(city) = changes.city {
                        self.profile.city = city.map(|c| c.as_str().to_string());
                    }
                    for phone in changes.add_phones {
                        self.profile.phones.push(phone.as_str().to_string());
                    }
                    self.profile
                        .phones
                        .retain(|p| !changes.remove_phones.iter().any(|r| r.as_str() == p));
                }
                ReplyBody::Profile(Ok(self.profile.clone()))
            }
            Job::ChangePassword { current, new, .. } => {
                ReplyBody::PasswordChanged(if current.expose() == self.password {
                    self.password = new.expose().to_string();
                    Ok(())
                } else {
                    Err(BankError::InvalidCredentials)
                })
            }
            Job::ExportHistory { account, path, .. } => ReplyBody::Exported(Ok(Exported {
                path,
                movements: self.history.get(account.as_str()).map_or(0, Vec::len),
            })),
            other => self.answer_desk(other),
        }
    }

    fn transfer(
        &mut self,
        request: &crate::services::TransferRequest,
    ) -> Result<MoneyResult, BankError> {
        if let Some(done) = self.applied.get(request.key.as_str()) {
            return Ok(MoneyResult {
                replayed: true,
                ..done.clone()
            });
        }
        let amount = request.amount.value();
        let from = self
            .accounts
            .iter_mut()
            .find(|a| a.number == request.from.as_str())
            .ok_or_else(|| BankError::NotFound(format!("Account {}", request.from)))?;
        if from.balance < amount {
            return Err(BankError::InsufficientFunds {
                account: from.number.clone(),
                balance: crate::domain::format_money(from.balance),
                needed: crate::domain::format_money(amount),
            });
        }
        from.balance -= amount;
        let balance = from.balance;
        let result = MoneyResult {
            id: self.next_id,
            key: request.key.as_str().to_string(),
            kind: MovementKind::Transfer,
            amount,
            currency: from.currency.clone(),
            from: Party::Account(request.from.as_str().to_string()),
            to: Party::Account(request.to.as_str().to_string()),
            balances: vec![(request.from.as_str().to_string(), balance)],
            memo: request.memo.as_ref().map(|m| m.as_str().to_string()),
            at: fixed_wall(),
            replayed: false,
        };
        self.next_id += 1;
        self.applied
            .insert(request.key.as_str().to_string(), result.clone());
        Ok(result)
    }
}

/// The app on a `TestBackend`, a manual clock and the fake bank; keys in, screen text out.
pub struct Driver {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    pub bank: FakeBank,
    pub clock: ManualClock,
    /// Requests taken from the app and not answered yet (see [`Driver::hold`]).
    pub held: Vec<Request>,
}

impl Default for Driver {
    fn default() -> Self {
        Self::new()
    }
}

impl Driver {
    pub fn new() -> Self {
        Self::with_size(WIDTH, HEIGHT)
    }

    pub fn with_size(width: u16, height: u16) -> Self {
        let clock = ManualClock::new(fixed_wall());
        let app = App::new(config(), Arc::new(clock.clone()));
        let terminal =
            Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {});
        Self {
            app,
            terminal,
            bank: FakeBank::demo(),
            clock,
            held: Vec::new(),
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> &mut Self {
        self.app.update(Action::Key(key));
        self
    }

    pub fn press(&mut self, code: KeyCode) -> &mut Self {
        self.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    pub fn ctrl(&mut self, c: char) -> &mut Self {
        self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    pub fn type_text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
        self
    }

    /// Answers every request (and those the answers cause) from the fake bank.
    pub fn settle(&mut self) -> &mut Self {
        for _ in 0..100 {
            let mut requests = std::mem::take(&mut self.held);
            requests.extend(self.app.take_requests());
            if requests.is_empty() {
                break;
            }
            for request in requests {
                let body = self.bank.answer(request.job);
                self.reply(request.id, body);
            }
        }
        self
    }

    /// Takes the requests made so far without answering them (a slow or lost answer).
    pub fn hold(&mut self) -> &mut Self {
        let requests = self.app.take_requests();
        self.held.extend(requests);
        self
    }

    pub fn reply(&mut self, id: u64, body: ReplyBody) -> &mut Self {
        self.app
            .update(Action::Worker(Box::new(WorkerMessage::Reply(Reply {
                id,
                body,
            }))));
        self
    }

    pub fn worker(&mut self, message: WorkerMessage) -> &mut Self {
        self.app.update(Action::Worker(Box::new(message)));
        self
    }

    pub fn tick(&mut self) -> &mut Self {
        self.app.update(Action::Tick);
        self
    }

    /// Lets time pass on the manual clock, then ticks.
    pub fn wait(&mut self, by: Duration) -> &mut Self {
        self.clock.advance(by);
        self.tick()
    }

    /// Logs in as the fixture teller: the customer lookup.
    pub fn login_teller(&mut self) -> &mut Self {
        self.type_text(TELLER_EMAIL)
            .press(KeyCode::Tab)
            .type_text(TELLER_PASSWORD)
            .press(KeyCode::Enter)
            .settle()
    }

    /// Lets the search's pause in typing pass, and answers.
    pub fn pause(&mut self) -> &mut Self {
        self.wait(Duration::from_millis(400)).settle()
    }

    /// Logs in as the fixture customer and loads the home screen.
    pub fn login(&mut self) -> &mut Self {
        self.type_text(EMAIL)
            .press(KeyCode::Tab)
            .type_text(PASSWORD)
            .press(KeyCode::Enter)
            .settle()
    }

    pub fn draw(&mut self) -> &Buffer {
        let app = &self.app;
        self.terminal
            .draw(|frame| ui::render(app, frame))
            .unwrap_or_else(|e| match e {});
        self.terminal.backend().buffer()
    }

    /// The screen as text, one line per row, trailing spaces trimmed.
    pub fn screen(&mut self) -> String {
        buffer_text(self.draw())
    }

    pub fn resize(&mut self, width: u16, height: u16) -> &mut Self {
        self.terminal.backend_mut().resize(width, height);
        self.app.update(Action::Resize(width, height));
        self
    }

    /// The first cell holding `text` on the screen, as (column, row); panics when it is not
    /// there (a test fails by panicking).
    #[allow(clippy::panic)]
    pub fn find(&mut self, text: &str) -> (u16, u16) {
        let screen = self.screen();
        for (y, line) in screen.lines().enumerate() {
            if let Some(byte) = line.find(text) {
                let x = line[..byte].chars().count();
                return (
                    u16::try_from(x).unwrap_or(u16::MAX),
                    u16::try_from(y).unwrap_or(u16::MAX),
                );
            }
        }
        panic!("{text:?} not on the screen:\n{screen}");
    }

    /// A left click at this cell (the screen is drawn first, as a person sees it).
    pub fn click(&mut self, column: u16, row: u16) -> &mut Self {
        self.draw();
        self.mouse(MouseEventKind::Down(MouseButton::Left), column, row)
    }

    /// A left click on the first place `text` is shown.
    pub fn click_on(&mut self, text: &str) -> &mut Self {
        let (column, row) = self.find(text);
        self.click(column, row)
    }

    /// One notch of the wheel, down or up.
    pub fn scroll(&mut self, down: bool) -> &mut Self {
        self.draw();
        let kind = if down {
            MouseEventKind::ScrollDown
        } else {
            MouseEventKind::ScrollUp
        };
        self.mouse(kind, 10, 10)
    }

    fn mouse(&mut self, kind: MouseEventKind, column: u16, row: u16) -> &mut Self {
        self.app.update(Action::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
        self
    }
}

/// A buffer's text, one line per row, trailing spaces trimmed.
pub fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        for x in area.left()..area.right() {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
