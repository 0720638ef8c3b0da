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
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use rust_decimal::Decimal;

use super::app::{Action, App};
use super::clock::ManualClock;
use super::worker::{Exported, Job, Reply, ReplyBody, Request, WorkerMessage};
use super::{ui, TuiConfig};
use crate::domain::{AccountNumber, Email, Role};
use crate::services::{
    AccountStatus, AccountView, BankError, HistoryEntry, MoneyResult, MovementKind, Party,
    SessionUser, UserProfile,
};

pub const WIDTH: u16 = 80;
pub const HEIGHT: u16 = 24;
pub const EMAIL: &str = "di.julis@icloud.com";
pub const PASSWORD: &str = "lesson-demo-2026";

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
        Self {
            user,
            password: PASSWORD.into(),
            accounts,
            history,
            profile,
            names,
            applied: HashMap::new(),
            next_id: 9_001,
        }
    }

    /// What the real bank would answer, more or less.
    pub fn answer(&mut self, job: Job) -> ReplyBody {
        match job {
            Job::Login { email, password } | Job::Reauthenticate { email, password } => {
                ReplyBody::Session(
                    if email == self.user.email && password.expose() == self.password {
                        Ok(self.user.clone())
                    } else {
                        Err(BankError::InvalidCredentials)
                    },
                )
            }
            Job::Accounts { .. } => ReplyBody::Accounts(Ok(self.accounts.clone())),
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
            Job::Recipient { number } => ReplyBody::Recipient {
                number: number.as_str().to_string(),
                result: self
                    .names
                    .get(number.as_str())
                    .cloned()
                    .ok_or_else(|| BankError::NotFound(format!("Account {number}"))),
            },
            Job::Transfer { request, .. } => ReplyBody::Transfer(self.transfer(&request)),
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
            .update(Action::Worker(WorkerMessage::Reply(Reply { id, body })));
        self
    }

    pub fn worker(&mut self, message: WorkerMessage) -> &mut Self {
        self.app.update(Action::Worker(message));
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
