//! Set-up commands, run with the owner account: migrate (and set up the app account), demo,
//! bootstrap-admin; and opening the bank on the app account for every other command.

use super::{output, CliError};
use crate::config::FileConfig;
use crate::db::{self, DatabaseUrl};
use crate::services::{Actor, Bank, BankConfig, NewUserInput};

/// `TELLER_ALLOW_OWNER_ACCOUNT=1`: a developer's private server may run the app as its owner.
fn owner_account_allowed() -> bool {
    std::env::var("TELLER_ALLOW_OWNER_ACCOUNT").is_ok_and(|v| v.trim() == "1")
}

/// The bank on the app account: migrated already, with no right to change the schema or the
/// journal (checked at connect).
pub fn app_bank(url: &str, config: BankConfig) -> Result<Bank, CliError> {
    let conn = db::connect_app(url, owner_account_allowed())?;
    let mut bank = Bank::new(conn, url, config);
    bank.load_policy()?;
    Ok(bank)
}

/// The owner's bank, after applying what is pending (set-up commands may change the schema).
fn owner_bank(owner_url: &str, config: BankConfig) -> Result<Bank, CliError> {
    let mut conn = db::connect_creating_database(owner_url)?;
    db::run_migrations(&mut conn)?;
    let mut bank = Bank::new(conn, owner_url, config);
    // The demo's and the first admin's passwords are hashed at the bank's cost too.
    bank.load_policy()?;
    Ok(bank)
}

/// Applies the migrations and gives the app account named in `app_url` exactly the rights the
/// app needs on the bank's database (when it is another account than the owner; it must exist).
pub fn migrate(owner_url: &str, app_url: Option<&str>, file: &FileConfig) -> Result<(), CliError> {
    let mut conn = db::connect_creating_database(owner_url)?;
    let applied = db::run_migrations(&mut conn)?;
    println!("{applied} migration(s) applied; the schema is up to date.");
    let mut bank = Bank::new(conn, owner_url, BankConfig::default());
    store_policy(&mut bank, file)?;
    let owner = DatabaseUrl::parse(owner_url)?;
    let Some(app_url) = app_url else {
        return Ok(());
    };
    let app = DatabaseUrl::parse(app_url)?;
    if app.user == owner.user {
        println!(
            "DATABASE_URL uses the owner account {}: no separate app account was set up \
             (commands refuse such an account unless TELLER_ALLOW_OWNER_ACCOUNT=1).",
            app.user
        );
        return Ok(());
    }
    if app.database != owner.database {
        return Err(CliError::Config(format!(
            "DATABASE_URL names the database {:?} but the owner URL names {:?}: they must be the same",
            app.database.unwrap_or_default(),
            owner.database.unwrap_or_default()
        )));
    }
    let database = app.database.clone().unwrap_or_default();
    set_up_app_account(bank.connection(), app_url, &app, (&owner.user, &database))?;
    println!(
        "The app account {} has exactly the rights the app needs on {database}.",
        app.user
    );
    Ok(())
}

/// Gives the app account of `app_url` exactly the app's rights on `database`. The owner may
/// not create or alter accounts: the account must exist (made by the database administrator,
/// or by scripts/run.sh on its private server) and log in with the URL's password, and it
/// must be one teller may change: not root, and holding nothing but rights on this database
/// (an account with rights elsewhere is someone else's, and keeps them).
fn set_up_app_account(
    owner: &mut db::Connection,
    app_url: &str,
    app: &DatabaseUrl,
    (owner_user, database): (&str, &str),
) -> Result<(), CliError> {
    if app.user.eq_ignore_ascii_case("root") {
        return Err(foreign(app, "it is the server's superuser"));
    }
    // The account's own view of itself: `SHOW GRANTS` of another account needs rights on the
    // server's `mysql` database, which the owner does not have.
    let mut conn = db::connect(&db::server_url(app_url)).map_err(|e| {
        CliError::Config(format!(
            "the app account {} cannot log in with the password in DATABASE_URL ({e}). \
             `teller migrate` creates no accounts: the database administrator creates it first, \
             with no rights (scripts/run.sh does on its private server): \
             CREATE USER '{}'@'HOST' IDENTIFIED BY '…'",
            app.user, app.user
        ))
    })?;
    let lines = db::grants::current_grants(&mut conn).map_err(db::ConnectError::from)?;
    let problems = db::grants::foreign_account_rights(&lines, database);
    if !problems.is_empty() {
        return Err(foreign(app, &problems.join("; ")));
    }
    // The account the login reached (an anonymous or wildcard account may answer for a name).
    let (user, host) = db::grants::current_account(&mut conn).map_err(db::ConnectError::from)?;
    if user.is_empty() || user.eq_ignore_ascii_case("root") || user == owner_user {
        return Err(foreign(
            app,
            &format!("its login reaches the account '{user}'@'{host}'"),
        ));
    }
    db::grants::set_app_rights(owner, (&user, &host), database, &lines).map_err(|e| {
        CliError::Config(format!(
            "the app account {} could not be given its rights (may the owner account grant on {database}?): {e}",
            app.user
        ))
    })?;
    // The app connects with TLS; whether the account insists on it is the administrator's
    // choice (migrate alters no account), worth a word when it does not.
    if app.requires_tls()
        && !db::grants::login_requires_tls(&mut conn).map_err(db::ConnectError::from)?
    {
        println!(
            "Note: the app account {user} may also log in without TLS; the database \
             administrator can insist on it: ALTER USER '{user}'@'{host}' REQUIRE SSL."
        );
    }
    Ok(())
}

/// `teller migrate` refuses an account it did not set up, naming what it holds.
fn foreign(app: &DatabaseUrl, why: &str) -> CliError {
    CliError::Config(format!(
        "DATABASE_URL names {}, an account teller migrate did not set up and will not change \
         ({why}). Name an account for the app alone: one the database administrator created \
         with no rights (teller_app, say).",
        app.user
    ))
}

/// The bank's policy from the owner's environment (or configuration file), stored for every
/// workstation to read: `TELLER_APPROVAL_LIMIT` and `TELLER_IDLE_SECONDS` (`approval_limit`
/// and `idle_lock_seconds`; unset: left as stored, or the default).
fn store_policy(bank: &mut Bank, file: &FileConfig) -> Result<(), CliError> {
    for (variable, name, from_file) in [
        (
            "TELLER_APPROVAL_LIMIT",
            crate::services::APPROVAL_LIMIT,
            file.approval_limit.clone(),
        ),
        (
            "TELLER_IDLE_SECONDS",
            crate::services::IDLE_SECONDS,
            file.idle_lock_seconds.map(|s| s.to_string()),
        ),
        (
            "TELLER_BANK_NAME",
            crate::services::BANK_NAME,
            file.bank_name.clone(),
        ),
        (
            "TELLER_DRAWER_LIMIT",
            crate::services::DRAWER_LIMIT,
            file.drawer_limit.clone(),
        ),
        // The owner's environment only: a workstation's is ignored (BankConfig::from_env).
        ("TELLER_BCRYPT_COST", crate::services::BCRYPT_COST, None),
    ] {
        if let Some(raw) = FileConfig::env_or(variable, from_file) {
            bank.set_policy(name, &raw)
                .map_err(|why| CliError::Usage(format!("{variable}: {why}")))?;
            println!("The bank's {name} is now {}.", raw.trim());
        }
    }
    Ok(())
}

pub fn demo(owner_url: &str, config: BankConfig) -> Result<(), CliError> {
    let mut bank = owner_bank(owner_url, config)?;
    let report = bank.load_demo(&Actor::setup("demo"))?;
    output::demo(&report);
    Ok(())
}

pub fn bootstrap_admin(
    owner_url: &str,
    config: BankConfig,
    input: NewUserInput,
    json: bool,
) -> Result<(), CliError> {
    let mut bank = owner_bank(owner_url, config)?;
    output::profile(&bank.people().bootstrap_admin(input)?, json);
    Ok(())
}

/// No command: the full-screen app, on the app account (checked before the screen opens).
pub fn run_app(url: &str, config: BankConfig, file: &FileConfig) -> Result<(), CliError> {
    crate::tui::require_terminal().map_err(|e| CliError::Usage(e.to_string()))?;
    drop(db::connect_app(url, owner_account_allowed())?);
    crate::tui::run(url, config, file).map_err(|e| match e {
        crate::tui::TuiError::NoTerminal(m) => CliError::Usage(m),
        crate::tui::TuiError::Config(m) => CliError::Config(m),
        crate::tui::TuiError::Io(e) => CliError::Io(e),
        crashed @ crate::tui::TuiError::WorkerCrashed(..) => CliError::Config(crashed.to_string()),
    })
}
