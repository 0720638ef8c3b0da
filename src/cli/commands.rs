//! One function per command: parse raw text into domain types, call the service, print.

use super::args::{
    AccountCommand, BatchCommand, BenchArgs, CashArgs, Cli, Command, DeviceCommand, DrawerCommand,
    IdArgs, MoneyOptions, ReportCommand, UserCommand,
};
use super::day::{run_eod, run_vault};
use super::desk::{run_account, run_drawer, run_user};
use super::input::{parse_date, read_password};
use super::{approvals, bench, credentials, output, session_file, setup, CliError};
use crate::config::FileConfig;
use crate::domain::{
    Age, Amount, Country, Currency, Email, IdDocument, IdempotencyKey, Memo, Name, Password, Role,
    Surname,
};
use crate::services::{
    Actor, Approval, ApprovalOperation, Bank, BankConfig, BankError, CashExchange, CashRequest,
    ExchangeTransfer, MoneyResult, NewUserInput, TransferRequest,
};

/// Commands that take a supervisor's `--approver`.
fn takes_approval(command: &Command) -> bool {
    matches!(
        command,
        Command::Deposit(_)
            | Command::Withdraw(_)
            | Command::Transfer { .. }
            | Command::Exchange { .. }
            | Command::Reverse { .. }
            | Command::Account(AccountCommand::Unfreeze { .. })
            | Command::User(UserCommand::Create { .. } | UserCommand::Password { .. })
            | Command::Batch(BatchCommand::Post { .. })
            | Command::Device(DeviceCommand::Add { .. })
            | Command::Drawer(
                DrawerCommand::Open { .. } | DrawerCommand::Drop(_) | DrawerCommand::Topup(_)
            )
    )
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let mut config = BankConfig::from_env().map_err(CliError::Config)?;
    if let Some(device) = super::served::device() {
        config.device = device;
    }
    let file = FileConfig::load().map_err(|e| CliError::Config(e.to_string()))?;
    let Cli {
        database_url,
        owner_url,
        user,
        approver,
        json,
        command,
    } = cli;
    // The flag or the environment first, then the configuration file.
    let database_url = database_url.or_else(|| file.database_url.clone());
    let owner_url = owner_url.or_else(|| file.owner_url.clone());
    let app_url = || {
        database_url.clone().ok_or_else(|| {
            CliError::Config(
                "no database configured: set DATABASE_URL (in the environment or a .env file) or pass --database-url".into(),
            )
        })
    };
    let Some(command) = command else {
        return setup::run_app(&app_url()?, config, &file);
    };
    if approver.is_some() && !takes_approval(&command) {
        return Err(CliError::Usage(
            "--approver is for deposit, withdraw, transfer, exchange, reverse, account unfreeze, user create, user password, batch post, device add and drawer open, drop and topup".into(),
        ));
    }
    // Set-up commands hold the owner account; everything else is a person on the app account.
    let owner_url = || owner_url.clone().map_or_else(app_url, Ok);
    match command {
        Command::Migrate => return setup::migrate(&owner_url()?, database_url.as_deref(), &file),
        Command::Demo => return setup::demo(&owner_url()?, config),
        Command::Bench(args) => {
            let args = BenchArgs { json, ..args };
            return bench::run(&owner_url()?, config, &args);
        }
        Command::BootstrapAdmin {
            email,
            name,
            surname,
            age,
            country,
        } => {
            let input = NewUserInput {
                password: Password::parse(read_password()?, &email)?,
                email,
                name: Name::parse(&name)?,
                surname: surname.as_deref().map(Surname::parse).transpose()?,
                age: Age::parse(&age)?,
                country: Country::parse(&country)?,
                city: None,
                phones: Vec::new(),
                role: Role::Admin,
            };
            return setup::bootstrap_admin(&owner_url()?, config, input, json);
        }
        Command::Logout => return logout(&app_url()?, config),
        Command::Serve(args) => {
            return crate::serve::run(&app_url()?, config, &file, &args, super::app_bank_for_serve)
                .map_err(CliError::Serve)
        }
        _ => {}
    }
    let url = app_url()?;
    let mut bank = setup::app_bank(&url, config)?;
    match command {
        Command::Login => login(&mut bank, user.as_deref(), &url, json),
        Command::User(UserCommand::Password { email }) => password_command(
            &mut bank,
            user.as_deref(),
            approver.as_deref(),
            &url,
            &email,
        ),
        command => {
            let actor = credentials::actor(&mut bank, user.as_deref(), &url)?;
            let approval = credentials::approval(approver.as_deref())?;
            run_as(&mut bank, &actor, approval.as_ref(), command, json)
        }
    }
}

/// A command run by a logged-in person.
fn run_as(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    command: Command,
    json: bool,
) -> Result<(), CliError> {
    match command {
        Command::Whoami => {
            output::whoami(actor, json);
            Ok(())
        }
        Command::Drawer(drawer) => run_drawer(bank, actor, approval, drawer, json),
        Command::Vault(vault) => run_vault(bank, actor, vault, json),
        Command::Eod { date } => run_eod(bank, actor, date.as_deref(), json),
        Command::Device(device) => super::devices::run(bank, actor, approval, device, json),
        Command::Approvals(command) => approvals::run(bank, actor, command, json),
        Command::Batch(BatchCommand::Post {
            file,
            from,
            dry_run,
            skip_invalid,
            batch_size,
            wait_approval,
            timeout,
            expect_digest,
        }) => {
            // The file is read once, into a private copy (`-`: from standard input, over SSH
            // from the workstation): the preview's digest, the approval and the posting all
            // see those bytes.
            let from_stdin = file.as_os_str() == "-";
            let snapshot = if from_stdin {
                crate::bulk::Snapshot::read(std::io::stdin().lock(), &file)?
            } else {
                crate::bulk::Snapshot::take(&file)?
            };
            let expect_digest = expect_digest
                .as_deref()
                .map(|hex_digits| {
                    crate::bulk::parse_digest(hex_digits).ok_or_else(|| {
                        CliError::Usage(
                            "--expect-digest takes the 64 hex digits of the preview's digest"
                                .into(),
                        )
                    })
                })
                .transpose()?;
            let prepared = crate::bulk::Prepared::of(snapshot, from)?;
            let options = crate::bulk::PostOptions {
                dry_run,
                skip_invalid,
                batch_size,
                expect_digest,
            };
            let waiting = approvals::Waiting {
                wait: wait_approval.then(|| std::time::Duration::from_secs(timeout)),
                json,
            };
            super::batch::run(
                bank, actor, approval, &prepared, &options, waiting, from_stdin,
            )
        }
        Command::User(user) => run_user(bank, actor, approval, user, json),
        Command::Exchange {
            pay,
            get,
            quote,
            key,
            memo,
            id,
        } => {
            let (currency, amount) = match pay.as_slice() {
                [currency, amount] => (Currency::parse(currency)?, Amount::parse_any(amount)?),
                _ => {
                    return Err(CliError::Usage(
                        "--pay takes a currency and an amount: --pay EUR 500".into(),
                    ))
                }
            };
            let request = CashExchange {
                pay: currency,
                pays: amount,
                get,
                quote,
                key: key.unwrap_or_else(IdempotencyKey::generate),
                memo: match memo {
                    Some(raw) => Memo::parse_optional(&raw)?,
                    None => None,
                },
                id: id_document(&id)?,
            };
            super::fx::run_cash_exchange(bank, actor, approval, &request, json)
        }
        Command::Currency(command) => super::fx::run_currency(bank, actor, command, json),
        Command::Fx(command) => super::fx::run_fx(bank, actor, command, json),
        Command::Account(account) => run_account(bank, actor, approval, account, json),
        Command::Balance { account } => {
            let view = bank.money().account(actor, &account)?;
            output::account(&view, json);
            Ok(())
        }
        Command::Deposit(cash) => {
            let (request, options) = cash_request(cash, json)?;
            let operation = ApprovalOperation::Deposit(request);
            money_command(bank, actor, approval, &operation, &options)
        }
        Command::Withdraw(cash) => {
            let (request, options) = cash_request(cash, json)?;
            let operation = ApprovalOperation::Withdrawal(request);
            money_command(bank, actor, approval, &operation, &options)
        }
        Command::Transfer {
            from,
            to,
            amount,
            quote,
            common,
        } => {
            let options = money_options(common, json)?;
            let request = TransferRequest {
                from,
                to,
                amount,
                key: options.key.clone(),
                memo: options.memo.clone(),
            };
            if let Some(quote) = quote {
                if options.wait.is_some() {
                    return Err(CliError::Usage(
                        "a transfer between currencies is approved with --approver; --wait-approval is for transfers in one currency".into(),
                    ));
                }
                let request = ExchangeTransfer {
                    transfer: request,
                    quote,
                };
                return super::fx::run_exchange_transfer(bank, actor, approval, &request, json);
            }
            let operation = ApprovalOperation::Transfer(request);
            money_command(bank, actor, approval, &operation, &options)
        }
        Command::Reverse { reference, reason } => {
            let result = bank.money().reverse(actor, reference, &reason, approval)?;
            output::money(&result, json);
            Ok(())
        }
        Command::Search { query } => {
            output::customers(&bank.people().search_customers(actor, &query)?, json);
            Ok(())
        }
        Command::History {
            account,
            limit,
            before,
            csv,
        } => {
            let entries = bank.money().history(actor, &account, before, limit)?;
            if csv {
                print!("{}", crate::export::history_csv(&entries));
            } else {
                output::history(&entries, json);
            }
            Ok(())
        }
        Command::Report(ReportCommand::Ctr { date, csv }) => {
            let day = parse_date(&date)?;
            let report = bank.desk().ctr_report(actor, day)?;
            if csv {
                print!("{}", output::ctr_csv(&report));
            } else {
                output::ctr(&report, json);
            }
            Ok(())
        }
        Command::Statement {
            account,
            month,
            pdf,
            csv,
        } => {
            let statement = bank.money().statement(actor, &account, month)?;
            match pdf {
                Some(path) if path.as_os_str() == "-" => {
                    use std::io::Write;
                    let mut out = std::io::stdout().lock();
                    out.write_all(&crate::pdf::statement_pdf(&statement))?;
                    out.flush()?;
                }
                Some(path) => {
                    crate::files::write(&path, crate::pdf::statement_pdf(&statement))?;
                    println!("Statement written to {}", path.display());
                }
                None if csv => print!("{}", crate::export::history_csv(&statement.lines)),
                None => output::statement(&statement, json),
            }
            Ok(())
        }
        Command::Audit { full, acknowledged } => {
            let keys = acknowledged
                .map(|path| super::input::acknowledged_keys(&path))
                .transpose()?;
            let started = std::time::Instant::now();
            let mut report = if full {
                super::audit_progress::full_audit(bank, actor, json)?
            } else {
                bank.ledger().audit(actor)?
            };
            if let Some(keys) = keys {
                let check = bank.ledger().acknowledged_keys(actor, &keys)?;
                report.ok &= check.ok;
                report.checks.push(check);
            }
            output::audit(&report, started.elapsed().as_secs_f64(), json);
            if report.ok {
                Ok(())
            } else {
                Err(CliError::AuditFailed)
            }
        }
        Command::Seal => {
            output::seal(&bank.ledger().seal(actor)?, json);
            Ok(())
        }
        Command::Log { limit } => {
            output::audit_log(&bank.ledger().audit_log(actor, limit)?, json);
            Ok(())
        }
        Command::Migrate
        | Command::Demo
        | Command::Bench(_)
        | Command::BootstrapAdmin { .. }
        | Command::Login
        | Command::Serve(_)
        | Command::Logout => Ok(()),
    }
}

/// A money command's answer. When the connection broke at commit, nobody knows whether it
/// happened: say so, with the key that makes a resubmission safe.
fn money_done(
    result: Result<MoneyResult, BankError>,
    key: &IdempotencyKey,
    json: bool,
) -> Result<(), CliError> {
    match result {
        Ok(done) => {
            output::money(&done, json);
            Ok(())
        }
        // A lost connection is the one failure that leaves the outcome open.
        Err(error) if error.leaves_outcome_unknown() => Err(CliError::Uncertain {
            key: key.to_string(),
            source: error,
        }),
        Err(error) => Err(error.into()),
    }
}

fn login(bank: &mut Bank, user: Option<&str>, url: &str, json: bool) -> Result<(), CliError> {
    let email = match credentials::user_email(user)? {
        Some(email) => email,
        None => {
            return Err(BankError::LoginRequired(
                "say who logs in: --user EMAIL or TELLER_USER".into(),
            )
            .into())
        }
    };
    let password = credentials::password("TELLER_PASSWORD", &format!("Password for {email}: "))?;
    let session = bank.people().open_session(&email, &password)?;
    let path = session_file::save(&credentials::database_identity(url), &session.token)?;
    output::logged_in(&session, &path, json);
    Ok(())
}

fn logout(url: &str, config: BankConfig) -> Result<(), CliError> {
    let identity = credentials::database_identity(url);
    let token = match session_file::load(&identity) {
        Ok(token) => token,
        // Another user's or machine's file: no session of ours to end; the file goes.
        Err(CliError::Bank(BankError::LoginRequired(_))) => None,
        Err(e) => return Err(e),
    };
    if let Some(token) = token {
        // The server-side end matters most; the file goes in any case.
        let mut bank = setup::app_bank(url, config)?;
        bank.people().end_session(&token)?;
    }
    session_file::remove()?;
    println!("Logged out.");
    Ok(())
}

/// `user password EMAIL`: your own password (with the current one), or a reset by staff.
fn password_command(
    bank: &mut Bank,
    user: Option<&str>,
    approver: Option<&str>,
    url: &str,
    email: &Email,
) -> Result<(), CliError> {
    // Someone whose password must be changed cannot log in otherwise: name yourself and give
    // the current password.
    let named_self = credentials::user_email(user)?.is_some_and(|user| user == *email);
    let actor = if named_self {
        None
    } else {
        Some(credentials::actor(bank, user, url)?)
    };
    // Someone else's password: a reset by staff. One's own (however logged in): a change.
    let other = actor.filter(|a| a.user().is_none_or(|u| u.email != *email));
    let new_password = Password::parse(read_password()?, email)?;
    match other {
        Some(actor) => {
            let approval = credentials::approval(approver)?;
            bank.people()
                .reset_password(&actor, email, &new_password, approval.as_ref())?;
            println!(
                "The password of {email} was reset; its owner must change it at the next login."
            );
        }
        _ => {
            let current = credentials::password(
                "TELLER_PASSWORD",
                &format!("Current password for {email}: "),
            )?;
            bank.people()
                .change_password_at_login(email, &current, &new_password)?;
            println!("Your password was changed.");
        }
    }
    Ok(())
}

/// A deposit, withdrawal or transfer: done (after the supervisors' answer with
/// `--wait-approval`) and its answer printed.
fn money_command(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    operation: &ApprovalOperation,
    options: &MoneyFlags,
) -> Result<(), CliError> {
    let result = approvals::run_money(bank, actor, operation, approval, options.wait, options.json);
    money_done(result, &options.key, options.json)
}

/// What every money command takes.
struct MoneyFlags {
    key: IdempotencyKey,
    memo: Option<Memo>,
    json: bool,
    /// `--wait-approval`: how long to wait for the supervisors.
    wait: Option<std::time::Duration>,
}

/// `--id-number -`: the number typed at a prompt without echo (on a terminal) or read as the
/// first line of standard input, so that it is in neither `ps` nor the shell's history.
fn id_number(given: &str) -> Result<String, CliError> {
    use std::io::{BufRead, IsTerminal};
    if given != "-" {
        return Ok(given.to_string());
    }
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password("Customer's ID number: ")?);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The customer's identification, when the flags give one.
fn id_document(id: &IdArgs) -> Result<Option<IdDocument>, CliError> {
    Ok(
        match (&id.id_type, &id.id_number, &id.id_country, &id.id_expiry) {
            (Some(kind), Some(number), Some(country), Some(expiry)) => Some(IdDocument::parse(
                kind,
                &id_number(number)?,
                country,
                expiry,
                chrono::Utc::now().date_naive(),
            )?),
            _ => None,
        },
    )
}

fn cash_request(cash: CashArgs, json: bool) -> Result<(CashRequest, MoneyFlags), CliError> {
    let id = id_document(&cash.id)?;
    let options = money_options(cash.common, json)?;
    let request = CashRequest {
        account: cash.account,
        amount: cash.amount,
        key: options.key.clone(),
        memo: options.memo.clone(),
        id,
    };
    Ok((request, options))
}

fn money_options(options: MoneyOptions, json: bool) -> Result<MoneyFlags, CliError> {
    let key = options.key.unwrap_or_else(IdempotencyKey::generate);
    let memo = match options.memo {
        Some(raw) => Memo::parse_optional(&raw)?,
        None => None,
    };
    Ok(MoneyFlags {
        key,
        memo,
        json,
        wait: options
            .wait_approval
            .then(|| std::time::Duration::from_secs(options.timeout)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_answer_says_to_resubmit_with_the_key() {
        let key = IdempotencyKey::parse("till-7-0001").expect("key");
        let lost = BankError::Unavailable("Lost connection to server during query".into());
        let error = money_done(Err(lost), &key, true).expect_err("unknown outcome");
        assert_eq!(error.code(), "outcome_unknown");
        assert_eq!(error.exit_code(), 3);
        let text = error.to_string();
        assert!(text.contains("--key till-7-0001"), "{text}");
        assert!(text.contains("at most once"), "{text}");
        // A commit no second node confirmed is as uncertain.
        let unconfirmed = BankError::NotAcknowledged("127.0.0.1:4307: not Synced".into());
        let error = money_done(Err(unconfirmed), &key, true).expect_err("unknown outcome");
        assert_eq!((error.code(), error.exit_code()), ("outcome_unknown", 3));
        assert!(error.to_string().contains("--key till-7-0001"), "{error}");
        // A refusal is a refusal: nothing is uncertain about it.
        let refused = money_done(Err(BankError::SameAccount), &key, true).expect_err("refused");
        assert_eq!(refused.code(), "same_account");
    }
}
