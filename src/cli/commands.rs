//! One function per command: parse raw text into domain types, call the service, print.

use std::io::BufRead;

use super::args::{AccountCommand, CashArgs, Cli, Command, MoneyOptions, RoleArg, UserCommand};
use super::{bench, output, CliError};
use crate::db;
use crate::domain::{
    AccountNumber, Age, Amount, City, Country, Currency, Email, IdempotencyKey, Memo, Name,
    Password, Phone, Reason, Role, Surname,
};
use crate::services::{
    AccountStatus, Actor, Bank, BankConfig, CashRequest, NewUserInput, ProfileChanges,
    TransferRequest,
};

/// Does this command print JSON (so errors should too)?
pub fn wants_json(command: &Command) -> bool {
    match command {
        Command::Balance { json, .. }
        | Command::History { json, .. }
        | Command::Audit { json }
        | Command::Seal { json }
        | Command::Reverse { json, .. }
        | Command::Search { json, .. }
        | Command::Log { json, .. } => *json,
        Command::Deposit(cash) | Command::Withdraw(cash) => cash.common.json,
        Command::Transfer { common, .. } => common.json,
        Command::Bench(args) => args.json,
        Command::User(
            UserCommand::Create { json, .. }
            | UserCommand::Show { json, .. }
            | UserCommand::Update { json, .. },
        ) => *json,
        Command::Account(AccountCommand::Open { json, .. } | AccountCommand::List { json, .. }) => {
            *json
        }
        _ => false,
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let url = cli.database_url.ok_or_else(|| {
        CliError::Config(
            "no database configured: set DATABASE_URL (in the environment or a .env file) or pass --database-url".into(),
        )
    })?;
    let config = BankConfig::from_env().map_err(CliError::Config)?;
    let Some(command) = cli.command else {
        return run_app(&url, config);
    };
    if let Command::Bench(args) = &command {
        return bench::run(&url, config, args);
    }
    let mut conn = db::connect_creating_database(&url)?;
    let applied = db::run_migrations(&mut conn)?;
    let mut bank = Bank::new(conn, &url, config);
    let actor = Actor::operator_from_env();
    match command {
        Command::Migrate => {
            println!("{applied} migration(s) applied; the schema is up to date.");
            Ok(())
        }
        Command::Demo => {
            let report = bank.load_demo(&actor)?;
            output::demo(&report);
            Ok(())
        }
        Command::User(user) => run_user(&mut bank, &actor, user),
        Command::Account(account) => run_account(&mut bank, &actor, account),
        Command::Balance { account, json } => {
            let view = bank.account(&actor, &AccountNumber::parse(&account)?)?;
            output::account(&view, json);
            Ok(())
        }
        Command::Deposit(cash) => {
            let (request, json) = cash_request(cash)?;
            output::money(&bank.deposit(&actor, &request)?, json);
            Ok(())
        }
        Command::Withdraw(cash) => {
            let (request, json) = cash_request(cash)?;
            output::money(&bank.withdraw(&actor, &request)?, json);
            Ok(())
        }
        Command::Transfer {
            from,
            to,
            amount,
            common,
        } => {
            let (key, memo, json) = money_options(common)?;
            let request = TransferRequest {
                from: AccountNumber::parse(&from)?,
                to: AccountNumber::parse(&to)?,
                amount: Amount::parse(&amount)?,
                key,
                memo,
            };
            output::money(&bank.transfer(&actor, &request)?, json);
            Ok(())
        }
        Command::Reverse {
            reference,
            reason,
            json,
        } => {
            let result = bank.reverse(&actor, reference, &Reason::parse(&reason)?, None)?;
            output::money(&result, json);
            Ok(())
        }
        Command::Search { query, json } => {
            output::customers(&bank.search_customers(&actor, &query)?, json);
            Ok(())
        }
        Command::History {
            account,
            limit,
            before,
            json,
            csv,
        } => {
            let entries = bank.history(&actor, &AccountNumber::parse(&account)?, before, limit)?;
            if csv {
                print!("{}", crate::export::history_csv(&entries));
            } else {
                output::history(&entries, json);
            }
            Ok(())
        }
        Command::Audit { json } => {
            let report = bank.audit(&actor)?;
            output::audit(&report, json);
            if report.ok {
                Ok(())
            } else {
                Err(CliError::AuditFailed)
            }
        }
        Command::Seal { json } => {
            output::seal(&bank.seal(&actor)?, json);
            Ok(())
        }
        Command::Log { limit, json } => {
            output::audit_log(&bank.audit_log(&actor, limit)?, json);
            Ok(())
        }
        Command::Bench(_) => Ok(()),
    }
}

/// No command: the full-screen app, after the same migration every command does.
fn run_app(url: &str, config: BankConfig) -> Result<(), CliError> {
    crate::tui::require_terminal().map_err(|e| CliError::Usage(e.to_string()))?;
    let mut conn = db::connect_creating_database(url)?;
    db::run_migrations(&mut conn)?;
    drop(conn);
    crate::tui::run(url, config).map_err(|e| match e {
        crate::tui::TuiError::NoTerminal(m) => CliError::Usage(m),
        crate::tui::TuiError::Config(m) => CliError::Config(m),
        crate::tui::TuiError::Io(e) => CliError::Io(e),
    })
}

fn run_user(bank: &mut Bank, actor: &Actor, command: UserCommand) -> Result<(), CliError> {
    match command {
        UserCommand::Create {
            email,
            name,
            surname,
            age,
            country,
            city,
            phones,
            role,
            json,
        } => {
            let email = Email::parse(&email)?;
            let input = NewUserInput {
                name: Name::parse(&name)?,
                surname: surname.as_deref().map(Surname::parse).transpose()?,
                age: Age::parse(&age)?,
                country: Country::parse(&country)?,
                city: city.as_deref().map(City::parse).transpose()?,
                phones: phones
                    .iter()
                    .map(|p| Phone::parse(p))
                    .collect::<Result<_, _>>()?,
                role: match role {
                    RoleArg::Customer => Role::Customer,
                    RoleArg::Teller => Role::Teller,
                    RoleArg::Admin => Role::Admin,
                },
                password: Password::parse(read_password()?, &email)?,
                email,
            };
            output::profile(&bank.register_user(actor, input)?, json);
        }
        UserCommand::Show { email, json } => {
            output::profile(&bank.profile(actor, &Email::parse(&email)?)?, json);
        }
        UserCommand::Update {
            email,
            name,
            surname,
            age,
            country,
            city,
            new_email,
            add_phones,
            remove_phones,
            json,
        } => {
            let changes = ProfileChanges {
                email: new_email.as_deref().map(Email::parse).transpose()?,
                name: name.as_deref().map(Name::parse).transpose()?,
                surname: surname
                    .as_deref()
                    .map(|s| optional(s, Surname::parse))
                    .transpose()?,
                age: age.as_deref().map(Age::parse).transpose()?,
                country: country.as_deref().map(Country::parse).transpose()?,
                city: city
                    .as_deref()
                    .map(|c| optional(c, City::parse))
                    .transpose()?,
                add_phones: add_phones
                    .iter()
                    .map(|p| Phone::parse(p))
                    .collect::<Result<_, _>>()?,
                remove_phones: remove_phones
                    .iter()
                    .map(|p| Phone::parse(p))
                    .collect::<Result<_, _>>()?,
            };
            let profile = bank.update_profile(actor, &Email::parse(&email)?, &changes)?;
            output::profile(&profile, json);
        }
        UserCommand::Password { email } => {
            let email = Email::parse(&email)?;
            let password = Password::parse(read_password()?, &email)?;
            bank.reset_password(actor, &email, &password)?;
            println!("The password of {email} was changed.");
        }
        UserCommand::Unlock { email } => {
            let email = Email::parse(&email)?;
            bank.unlock_user(actor, &email)?;
            println!("{email} can log in again.");
        }
    }
    Ok(())
}

fn run_account(bank: &mut Bank, actor: &Actor, command: AccountCommand) -> Result<(), CliError> {
    let set_status = |bank: &mut Bank, account: &str, status| -> Result<(), CliError> {
        let view = bank.set_account_status(actor, &AccountNumber::parse(account)?, status)?;
        println!("Account {} is now {}.", view.number, view.status.as_str());
        Ok(())
    };
    match command {
        AccountCommand::Open {
            email,
            currency,
            json,
        } => {
            let view =
                bank.open_account(actor, &Email::parse(&email)?, Currency::parse(&currency)?)?;
            output::account(&view, json);
            Ok(())
        }
        AccountCommand::List { email, json } => {
            output::accounts(&bank.accounts(actor, &Email::parse(&email)?)?, json);
            Ok(())
        }
        AccountCommand::Freeze { account } => set_status(bank, &account, AccountStatus::Frozen),
        AccountCommand::Unfreeze { account } => set_status(bank, &account, AccountStatus::Open),
        AccountCommand::Close { account } => set_status(bank, &account, AccountStatus::Closed),
    }
}

fn cash_request(cash: CashArgs) -> Result<(CashRequest, bool), CliError> {
    let (key, memo, json) = money_options(cash.common)?;
    let request = CashRequest {
        account: AccountNumber::parse(&cash.account)?,
        amount: Amount::parse(&cash.amount)?,
        key,
        memo,
    };
    Ok((request, json))
}

fn money_options(options: MoneyOptions) -> Result<(IdempotencyKey, Option<Memo>, bool), CliError> {
    let key = match options.key {
        Some(raw) => IdempotencyKey::parse(&raw)?,
        None => IdempotencyKey::generate(),
    };
    let memo = match options.memo {
        Some(raw) => Memo::parse_optional(&raw)?,
        None => None,
    };
    Ok((key, memo, options.json))
}

/// An empty value clears an optional field.
fn optional<T, E>(raw: &str, parse: impl Fn(&str) -> Result<T, E>) -> Result<Option<T>, E> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

/// The first line of standard input, without its line ending (nothing else is trimmed).
fn read_password() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        return Err(CliError::Usage(
            "the password is read from the first line of standard input, and it was empty".into(),
        ));
    }
    Ok(password.to_string())
}
