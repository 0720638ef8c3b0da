//! Test harness: every test gets its own fresh, migrated database on the test server
//! (`TEST_DATABASE_URL`, set by scripts/test.sh), dropped when the test ends. Databases left
//! by crashed runs are dropped on first use.
#![allow(dead_code)]
// Test helpers panic on purpose: a fixture that cannot be built fails the test that needs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod cli;
pub mod cluster;
pub mod live;
pub mod ssh;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;

use rust_decimal::Decimal;
use teller::db;
use teller::domain::{
    AccountNumber, Age, Amount, Country, Currency, Email, IdempotencyKey, Name, Password, Role,
    Secret,
};
use teller::services::{
    Actor, Bank, BankConfig, BankResult, CashRequest, NewUserInput, SessionUser,
};

const PREFIX: &str = "teller_test_";
static COUNTER: AtomicU32 = AtomicU32::new(0);
static CLEANUP: Once = Once::new();

/// The test server, without a database name.
pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!("TEST_DATABASE_URL is not set: run the tests with scripts/test.sh, which starts MariaDB")
    })
}

/// A database of one test's own, with its own app account (created by the same code as
/// `teller migrate`): `url` is the owner (the test server's root), `app_url` the app account.
pub struct TestDb {
    pub url: String,
    pub name: String,
    pub app_url: String,
    /// The server (or cluster) URL without a database.
    pub server: String,
}

impl TestDb {
    pub fn new() -> Self {
        Self::on_server(&server_url())
    }

    /// A test database on another server, such as the test cluster.
    pub fn on_server(server: &str) -> Self {
        let server = server.to_string();
        let mut admin = db::connect(&server).expect("connect to the test server");
        CLEANUP.call_once(|| drop_leftovers(&mut admin, &server));
        let name = format!(
            "{PREFIX}{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            rand::random::<u32>()
        );
        db::create_database(&mut admin, &name).expect("create the test database");
        let url = db::with_database(&server, &name);
        let mut conn = db::connect(&url).expect("connect to the test database");
        db::run_migrations(&mut conn).expect("migrate the test database");
        // A test bank: its fixtures are set-up tasks (`operator()`), as the demo's are.
        db::settings::allow_setup_rows(&mut conn, chrono::Utc::now().naive_utc())
            .expect("mark the test bank");
        // The cheapest bcrypt cost, as the bank's policy (the owner's to set), for speed.
        db::settings::put(
            &mut conn,
            "bcrypt_cost",
            "4",
            chrono::Utc::now().naive_utc(),
        )
        .expect("the test bank's bcrypt cost");
        let app_url = app_url_for(&server, &name);
        let app = db::DatabaseUrl::parse(&app_url).expect("app URL");
        db::grant_app_account(&mut conn, &app).expect("create the app account");
        Self {
            url,
            name,
            app_url,
            server,
        }
    }

    /// A bank on this database through its app account, as every command uses it.
    pub fn app_bank(&self) -> Bank {
        let conn = db::connect_app(&self.app_url, false).expect("connect as the app account");
        Bank::new(conn, &self.app_url, test_config())
    }

    /// A bank on this database through its app account (as the app and every command run it),
    /// with the cheapest bcrypt cost.
    pub fn bank(&self) -> Bank {
        self.app_bank()
    }

    /// A bank on the owner's connection, for tests that rewrite history on purpose.
    pub fn owner_bank(&self) -> Bank {
        Bank::connect(&self.url, test_config()).expect("connect a bank")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = db::connect(&self.server) {
            let _ = db::drop_database(&mut admin, &self.name);
            if let Ok(app) = db::DatabaseUrl::parse(&self.app_url) {
                let _ = db::drop_app_account(&mut admin, &app);
            }
        }
    }
}

/// Creates the account of `url` (its user, at every host its client may come from, with its
/// password) and no rights, as the database administrator does before `teller migrate`; the
/// test server's account may create accounts, the owner may not.
pub fn create_account(url: &str) {
    use diesel::connection::SimpleConnection;
    let account = db::DatabaseUrl::parse(url).expect("an account URL");
    let mut admin = db::connect(&server_url()).expect("connect to the test server");
    let quote = |raw: &str| format!("'{}'", raw.replace('\\', "\\\\").replace('\'', "''"));
    let password = account.password.as_deref().unwrap_or_default();
    for host in account.account_hosts() {
        admin
            .batch_execute(&format!(
                "CREATE USER {}@{} IDENTIFIED BY {}",
                quote(&account.user),
                quote(&host),
                quote(password)
            ))
            .expect("create the account");
    }
}

/// The app account of test database `name`: a user of the same name with a random password
/// (a `%` and an `@` in it, so URL decoding is exercised too).
fn app_url_for(server: &str, name: &str) -> String {
    let password = format!("app%40{:016x}", rand::random::<u64>());
    let (scheme, rest) = server.split_once("://").expect("a URL");
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let host = host.trim_end_matches('/');
    format!("{scheme}://{name}:{password}@{host}/{name}")
}

pub fn test_config() -> BankConfig {
    BankConfig {
        bcrypt_cost: 4,
        ..BankConfig::default()
    }
}

/// Drops test databases (and their app accounts) whose process is gone (names carry the
/// creating pid).
fn drop_leftovers(admin: &mut db::Connection, server: &str) {
    let Ok(mut names) = db::databases_with_prefix(admin, PREFIX) else {
        return;
    };
    names.extend(leftover_accounts(admin));
    for name in names {
        let pid = name[PREFIX.len()..]
            .split('_')
            .next()
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                let _ = db::drop_database(admin, &name);
                let url = app_url_for(server, &name);
                if let Ok(app) = db::DatabaseUrl::parse(&url) {
                    let _ = db::drop_app_account(admin, &app);
                }
            }
        }
    }
}

fn leftover_accounts(admin: &mut db::Connection) -> Vec<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct User {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    diesel::sql_query(format!(
        "SELECT DISTINCT User AS name FROM mysql.user WHERE User LIKE '{PREFIX}%'"
    ))
    .load::<User>(admin)
    .map(|users| users.into_iter().map(|u| u.name).collect())
    .unwrap_or_default()
}

/// The set-up actor fixtures use (the owner's side: no approvals, a drawer without sessions).
pub fn operator() -> Actor {
    Actor::setup("tests")
}

pub const PASSWORD: &str = "correct-horse-battery";

pub fn email(raw: &str) -> Email {
    Email::parse(raw).expect("valid email")
}

pub fn secret(text: &str) -> Secret {
    Secret::new(text.to_string())
}

/// Logs in through the service, as the login screen does.
pub fn login(bank: &mut Bank, address: &str, text: &str) -> BankResult<SessionUser> {
    bank.people().authenticate(&email(address), &secret(text))
}

/// The stable code of a refusal (panics when the call succeeded).
pub fn code<T: std::fmt::Debug>(result: BankResult<T>) -> &'static str {
    result.expect_err("expected a refusal").code()
}

pub fn amount(raw: &str) -> Amount {
    Amount::parse(raw).expect("valid amount")
}

pub fn money(raw: &str) -> Decimal {
    raw.parse().expect("decimal")
}

pub fn key() -> IdempotencyKey {
    IdempotencyKey::generate()
}

pub fn new_user(address: &str, role: Role) -> NewUserInput {
    let email = email(address);
    NewUserInput {
        password: Password::parse(PASSWORD.into(), &email).expect("valid password"),
        email,
        name: Name::parse("Diana").expect("name"),
        surname: Some(teller::domain::Surname::parse("Julis").expect("surname")),
        age: Age::new(30).expect("age"),
        country: Country::parse("USA").expect("country"),
        city: None,
        phones: Vec::new(),
        role,
    }
}

/// Registers a user (as the operator) and returns them as a logged-in actor.
pub fn user(bank: &mut Bank, address: &str, role: Role) -> Actor {
    let profile = bank
        .people()
        .register_user(&operator(), new_user(address, role), None)
        .expect("register");
    Actor::User(SessionUser {
        id: profile.id,
        email: email(address),
        role,
        name: profile.name,
        surname: profile.surname,
    })
}

/// A customer with one USD account holding `balance` (deposited as cash by the operator).
pub fn customer_with_account(
    bank: &mut Bank,
    address: &str,
    balance: &str,
) -> (Actor, AccountNumber) {
    let actor = user(bank, address, Role::Customer);
    let account = open_account(bank, address, Currency::USD);
    if money(balance) > Decimal::ZERO {
        deposit(bank, &account, balance);
    }
    (actor, account)
}

pub fn open_account(bank: &mut Bank, address: &str, currency: Currency) -> AccountNumber {
    let view = bank
        .money()
        .open_account(&operator(), &email(address), currency)
        .expect("open account");
    view.number.clone()
}

/// A cash deposit by the operator; above the large-cash line it carries the fixture
/// customer's passport, as the bank asks.
pub fn deposit(bank: &mut Bank, account: &AccountNumber, raw: &str) {
    let mut request = cash(account, raw);
    request.id = Some(fixture_passport());
    bank.money()
        .deposit(&operator(), &request, None)
        .expect("deposit");
}

/// Cash at the counter with the customer's ID shown (a customer who already moved large cash
/// today needs it for every further cash operation of the day).
pub fn cash_with_id(account: &AccountNumber, raw: &str) -> CashRequest {
    CashRequest {
        id: Some(fixture_passport()),
        ..cash(account, raw)
    }
}

/// A valid identification for fixtures' large cash.
pub fn fixture_passport() -> teller::domain::IdDocument {
    teller::domain::IdDocument::parse(
        "passport",
        "FIXTURE1",
        "US",
        "2099-12-31",
        chrono::Utc::now().date_naive(),
    )
    .expect("a valid passport")
}

/// A transfer of `raw` with a fresh key and no memo.
pub fn transfer_request(
    from: &AccountNumber,
    to: &AccountNumber,
    raw: &str,
) -> teller::services::TransferRequest {
    teller::services::TransferRequest {
        from: from.clone(),
        to: to.clone(),
        amount: amount(raw),
        key: key(),
        memo: None,
    }
}

pub fn cash(account: &AccountNumber, raw: &str) -> CashRequest {
    CashRequest {
        account: account.clone(),
        amount: amount(raw),
        key: key(),
        memo: None,
        id: None,
    }
}

pub fn balance(bank: &mut Bank, account: &AccountNumber) -> Decimal {
    bank.money()
        .account(&operator(), account)
        .expect("account")
        .balance
}

/// The names of an audit's failed checks.
pub fn failed_checks(report: &teller::services::AuditReport) -> Vec<&'static str> {
    report
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.name)
        .collect()
}

/// A bank with an admin (the seals' signer) and two funded customers, `a` (500.00) and `b`
/// (100.00): the ledger tests' book.
pub struct Book {
    pub bank: Bank,
    pub admin: Actor,
    pub a: AccountNumber,
    pub b: AccountNumber,
}

pub fn book_on(mut bank: Bank) -> Book {
    let admin = user(&mut bank, "root-of-trust@bank.local", Role::Admin);
    let (_, a) = customer_with_account(&mut bank, "ann@example.com", "500.00");
    let (_, b) = customer_with_account(&mut bank, "bob@example.com", "100.00");
    Book { bank, admin, a, b }
}

/// Diana (an account of 100.00) and Marco (an empty one), after she sent him 30.00: Diana,
/// her account and his.
pub fn diana_paid_marco(bank: &mut Bank) -> (Actor, AccountNumber, AccountNumber) {
    let (diana, mine) = customer_with_account(bank, "diana@example.com", "100.00");
    let (_, theirs) = customer_with_account(bank, "marco@example.com", "0");
    bank.money()
        .transfer(&diana, &transfer_request(&mine, &theirs, "30.00"), None)
        .expect("transfer");
    (diana, mine, theirs)
}

/// The daily audit, run by the CLI operator.
pub fn audit(bank: &mut Bank) -> teller::services::AuditReport {
    bank.ledger().audit(&operator()).expect("audit")
}

/// Asserts the ledger's invariants hold.
pub fn assert_audit_ok(bank: &mut Bank) {
    assert_audit_ok_as(bank, &operator());
}

/// Asserts the ledger's invariants hold, in an audit run by `actor`.
pub fn assert_audit_ok_as(bank: &mut Bank, actor: &Actor) {
    let report = bank.ledger().audit(actor).expect("audit");
    assert!(report.ok, "audit failed: {:#?}", report.checks);
}

/// A count of notes and coins, "100x4 20x5".
pub fn cash_count(raw: &str) -> teller::domain::CashCount {
    teller::domain::CashCount::parse(raw).expect("count")
}

/// Runs SQL as the owner account (the tests' root URL), as an attacker with it would.
pub fn as_owner(db: &TestDb, sql: &str) {
    let mut conn = teller::db::connect(&db.url).expect("owner connection");
    diesel::connection::SimpleConnection::batch_execute(&mut conn, sql).expect(sql);
}

/// Drops a table's append-only trigger, runs `sql`, and puts the trigger back as it was.
pub fn behind_the_trigger(db: &TestDb, trigger: &str, table: &str, event: &str, sql: &str) {
    as_owner(
        db,
        &format!(
            "DROP TRIGGER {trigger}; {sql}; \
             CREATE TRIGGER {trigger} BEFORE {event} ON {table} FOR EACH ROW \
             SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append-only';"
        ),
    );
}

/// The supervisor fixtures use to open the vault and approve drawers' floats.
pub const SUPERVISOR: &str = "vault-supervisor@example.com";

/// Every denomination, 10,000 pieces each: a vault that can give any test's float.
pub const FULL_VAULT: &str =
    "100x10000 50x10000 20x10000 10x10000 5x10000 2x10000 1x10000 0.5x10000 0.25x10000 0.1x10000 0.05x10000 0.01x10000";

/// The fixture supervisor's approval.
pub fn supervisor_approval() -> teller::services::Approval {
    teller::services::Approval::Typed {
        supervisor: email(SUPERVISOR),
        password: secret(PASSWORD),
    }
}

/// Today's USD vault, opened by the fixture supervisor (registered on first use) when it is
/// not open yet. Returns the supervisor.
pub fn ensure_vault(bank: &mut Bank) -> Actor {
    let supervisor = match login(bank, SUPERVISOR, PASSWORD) {
        Ok(user) => Actor::User(user),
        Err(_) => user(bank, SUPERVISOR, Role::Admin),
    };
    if bank
        .desk()
        .vault(&supervisor, Currency::USD)
        .expect("vault")
        .is_none()
    {
        let count = teller::domain::CashCount::parse(FULL_VAULT).expect("count");
        bank.desk()
            .open_vault(&supervisor, Currency::USD, &count)
            .expect("open the vault");
    }
    supervisor
}

/// Opens `teller`'s USD drawer with the float `raw` from today's vault, approved by the
/// fixture supervisor.
pub fn open_drawer(
    bank: &mut Bank,
    teller: &Actor,
    raw: &str,
) -> BankResult<teller::services::DrawerView> {
    ensure_vault(bank);
    let count = teller::domain::CashCount::parse(raw).expect("count");
    bank.desk()
        .open_drawer(teller, Currency::USD, &count, Some(&supervisor_approval()))
}

/// A pair's rates set by `admin` (a supervisor): `buy` and `sell` as typed.
pub fn set_rate(
    bank: &mut Bank,
    admin: &Actor,
    base: Currency,
    quote: Currency,
    buy: &str,
    sell: &str,
) {
    use teller::domain::{Rate, RatePair};
    let pair = RatePair::new(
        base,
        quote,
        Rate::parse(buy).expect("a rate"),
        Rate::parse(sell).expect("a rate"),
    )
    .expect("a pair");
    bank.fx().set_rate(admin, &pair, None, None).expect("rate");
}
