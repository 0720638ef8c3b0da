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

/// Applies the migrations and creates or updates the app account named in `app_url` with
/// exactly the rights the app needs (when it is another account than the owner).
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
    refuse_a_powerful_account(app_url, &app)?;
    if app.database != owner.database {
        return Err(CliError::Config(format!(
            "DATABASE_URL names the database {:?} but the owner URL names {:?}: they must be the same",
            app.database.unwrap_or_default(),
            owner.database.unwrap_or_default()
        )));
    }
    db::grant_app_account(bank.connection(), &app).map_err(|e| {
        CliError::Config(format!(
            "the app account {} could not be set up (does the owner account may create users and grant?): {e}",
            app.user
        ))
    })?;
    println!(
        "The app account {} has exactly the rights the app needs on {}.",
        app.user,
        app.database.as_deref().unwrap_or_default()
    );
    Ok(())
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

/// `teller migrate` revokes every right of the account it sets up: make sure DATABASE_URL does
/// not name root or a DBA by mistake (an account with rights on every database).
fn refuse_a_powerful_account(app_url: &str, app: &DatabaseUrl) -> Result<(), CliError> {
    let refuse = || {
        CliError::Config(format!(
            "DATABASE_URL names {}, an account with rights on every database: teller migrate \
             would take them away. Name a new account for the app (teller_app, say).",
            app.user
        ))
    };
    if app.user.eq_ignore_ascii_case("root") {
        return Err(refuse());
    }
    // An account that does not exist yet (or not with this password) cannot be checked, and
    // needs no protection.
    let Ok(mut conn) = db::connect(app_url) else {
        return Ok(());
    };
    let lines = db::grants::current_grants(&mut conn).map_err(db::ConnectError::from)?;
    let global = lines.iter().any(|line| match line {
        db::grants::GrantLine::Object(grant) => {
            grant.database == "*" && grant.names().iter().any(|n| *n != "USAGE")
        }
        db::grants::GrantLine::Other(_) => false,
    });
    if global {
        return Err(refuse());
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
    output::profile(&bank.bootstrap_admin(input)?, json);
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
