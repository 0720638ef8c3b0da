//! The demo bank: the lesson's 30 customers with their phones, an account each with an
//! opening deposit, one teller and one admin. Loading it twice changes nothing.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::money::CashRequest;
use super::users::NewUserInput;
use super::{Actor, Bank, BankError, BankResult};
use crate::db::{accounts, phones, users};
use crate::domain::{
    Age, City, Country, Currency, Email, IdempotencyKey, Name, Password, Phone, Role, Surname,
};

/// The lesson's customers (copied from the team's shared demo data).
const LESSON_USERS: &str = include_str!("../../data/lesson-users.json");

/// Demo passwords, for demo data only; `TELLER_DEMO_PASSWORD` replaces all three.
const CUSTOMER_PASSWORD: &str = "lesson-demo-2026";
const TELLER_PASSWORD: &str = "teller-demo-2026";
const ADMIN_PASSWORD: &str = "admin-demo-2026!";

/// The demo's staff: email, name, surname, role, default password.
const DEMO_STAFF: [(&str, &str, &str, Role, &str); 2] = [
    (
        "teller@bank.local",
        "Tess",
        "Teller",
        Role::Teller,
        TELLER_PASSWORD,
    ),
    (
        "admin@bank.local",
        "Adam",
        "Admin",
        Role::Admin,
        ADMIN_PASSWORD,
    ),
];

#[derive(Deserialize)]
struct LessonFile {
    users: Vec<LessonUser>,
}

#[derive(Deserialize)]
struct LessonUser {
    name: String,
    surname: Option<String>,
    age: i64,
    email: String,
    country: String,
    city: Option<String>,
    phones: Vec<String>,
}

/// One login the demo prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub email: String,
    pub role: Role,
    pub password: String,
}

/// What the demo bank holds after loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    /// Today's USD vault, opened by the demo supervisor (None: it was open already, or the day
    /// is closed).
    pub vault_opened: Option<rust_decimal::Decimal>,
    pub users_created: usize,
    pub users: i64,
    pub phones: i64,
    pub customer_accounts: i64,
    pub logins: Vec<DemoLogin>,
}

impl Bank {
    /// Loads the demo bank; safe to run any number of times. A bank holding anyone the demo
    /// does not know (a real bank, or one a person set up) is refused before anything changes:
    /// the demo's well-known passwords must never reach it.
    pub fn load_demo(&mut self, actor: &Actor) -> BankResult<DemoReport> {
        let file: LessonFile = serde_json::from_str(LESSON_USERS)
            .map_err(|e| BankError::Database(format!("the demo data is unreadable: {e}")))?;
        let mut demo_emails = file
            .users
            .iter()
            .map(|u| Email::parse(&u.email).map(|e| e.as_str().to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        demo_emails.extend(DEMO_STAFF.iter().map(|s| s.0.to_string()));
        let known: Vec<&str> = demo_emails.iter().map(String::as_str).collect();
        if let Some(other) = users::first_other_than(&mut self.conn, &known)? {
            return Err(BankError::NotADemoBank(other));
        }
        let override_password = std::env::var("TELLER_DEMO_PASSWORD").ok();
        let password_for = |default: &'static str| {
            override_password
                .clone()
                .unwrap_or_else(|| default.to_string())
        };
        // A demo bank: its set-up task makes staff and cash without drawer sessions or a
        // second admin (the owner account only may say so; the app account cannot).
        if !crate::db::settings::setup_rows_allowed(&mut self.conn)? {
            crate::db::settings::allow_setup_rows(&mut self.conn, super::bank::now())?;
        }
        let mut created = 0;
        let customer_password = password_for(CUSTOMER_PASSWORD);
        let mut customer_hash = None;
        for (index, lesson) in file.users.iter().enumerate() {
            let input = lesson_input(lesson, &customer_password)?;
            let existing = users::find_by_email(&mut self.conn, input.email.as_str())?;
            let user_id = match existing {
                Some(row) => row.id,
                None => {
                    let hash = match &customer_hash {
                        Some(hash) => hash,
                        None => customer_hash.insert(self.hash(&customer_password)?),
                    }
                    .clone();
                    created += 1;
                    self.register_with_hash(actor, &input, &hash, false, None)?
                        .id
                }
            };
            if accounts::list_for_owner(&mut self.conn, user_id)?.is_empty() {
                let account = self
                    .money()
                    .open_account(actor, &input.email, Currency::USD)?;
                let number = account.number.clone();
                self.money().deposit(
                    actor,
                    &CashRequest {
                        account: number,
                        amount: opening_deposit(index)?,
                        key: IdempotencyKey::parse(&format!("demo:opening:{}", input.email))
                            .or_else(|_| IdempotencyKey::parse(&format!("demo:opening:{index}")))?,
                        memo: None,
                        id: None,
                    },
                    None,
                )?;
            }
        }
        let mut logins = vec![DemoLogin {
            email: "every demo customer".into(),
            role: Role::Customer,
            password: customer_password.clone(),
        }];
        for (email, name, surname, role, default_password) in DEMO_STAFF {
            let password = password_for(default_password);
            let email = Email::parse(email)?;
            if users::find_by_email(&mut self.conn, email.as_str())?.is_none() {
                let input = NewUserInput {
                    password: Password::parse(password.clone(), &email)?,
                    email: email.clone(),
                    name: Name::parse(name)?,
                    surname: Some(Surname::parse(surname)?),
                    age: Age::new(35)?,
                    country: Country::parse("USA")?,
                    city: Some(City::parse("New York")?),
                    phones: Vec::new(),
                    role,
                };
                self.people().register_user(actor, input, None)?;
                created += 1;
            }
            logins.push(DemoLogin {
                email: email.to_string(),
                role,
                password,
            });
        }
        let vault_opened = self.open_demo_vault()?;
        Ok(DemoReport {
            vault_opened,
            users_created: created,
            users: users::count(&mut self.conn)?,
            phones: phones::count(&mut self.conn)?,
            customer_accounts: accounts::count_customer_accounts(&mut self.conn)?,
            logins,
        })
    }
}

/// What the demo vault holds: 50,000.00 in every denomination.
const DEMO_VAULT: &str =
    "100x250 50x200 20x500 10x300 5x200 1x700 0.25x800 0.1x500 0.05x600 0.01x2000";

impl Bank {
    /// Opens today's USD vault as the demo supervisor, so the branch can start its day.
    fn open_demo_vault(&mut self) -> BankResult<Option<rust_decimal::Decimal>> {
        let Some(admin) = users::find_by_email(&mut self.conn, "admin@bank.local")? else {
            return Ok(None);
        };
        let supervisor = Actor::User(super::SessionUser {
            id: admin.id,
            email: Email::parse(&admin.email)?,
            role: admin.role,
            name: admin.name.clone(),
            surname: admin.surname.clone(),
        });
        let count = crate::domain::CashCount::parse(DEMO_VAULT)?;
        match self.desk().open_vault(&supervisor, Currency::USD, &count) {
            Ok(vault) => Ok(Some(vault.opening_total)),
            Err(BankError::VaultAlreadyOpen(_) | BankError::DayClosed(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn lesson_input(lesson: &LessonUser, password: &str) -> BankResult<NewUserInput> {
    let email = Email::parse(&lesson.email)?;
    Ok(NewUserInput {
        password: Password::parse(password.to_string(), &email)?,
        email,
        name: Name::parse(&lesson.name)?,
        surname: lesson.surname.as_deref().map(Surname::parse).transpose()?,
        age: Age::new(lesson.age)?,
        country: Country::parse(&lesson.country)?,
        city: lesson.city.as_deref().map(City::parse).transpose()?,
        phones: lesson
            .phones
            .iter()
            .map(|p| Phone::parse(p))
            .collect::<Result<_, _>>()?,
        role: Role::Customer,
    })
}

/// A different, fixed opening balance per customer: 1,000.00, 1,137.25, 1,274.50…
fn opening_deposit(index: usize) -> BankResult<crate::domain::Amount> {
    let cents = 100_000 + 13_725 * i64::try_from(index).unwrap_or(0);
    Ok(crate::domain::Amount::from_decimal(Decimal::new(cents, 2))?)
}
