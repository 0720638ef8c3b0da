//! The commands of the desk: drawers, people and accounts.

use super::args::{AccountCommand, DrawerCommand, DrawerMove, RoleArg, UserCommand};
use super::input::read_password;
use super::{output, CliError};
use crate::domain::optional;
use crate::domain::{
    AccountNumber, Age, City, Country, Email, IdempotencyKey, Name, Password, Phone, Role, Surname,
};
use crate::services::{
    AccountStatus, Actor, Approval, Bank, BankError, NewUserInput, ProfileChanges, VaultTransfer,
};

pub(super) fn run_drawer(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    command: DrawerCommand,
    json: bool,
) -> Result<(), CliError> {
    let direction = match &command {
        DrawerCommand::Drop(_) => VaultTransfer::Drop,
        _ => VaultTransfer::TopUp,
    };
    match command {
        DrawerCommand::Open { count, currency } => {
            let view = bank.desk().open_drawer(actor, currency, &count, approval)?;
            output::drawer(&view, json);
        }
        DrawerCommand::Drop(DrawerMove {
            count,
            key,
            currency,
        })
        | DrawerCommand::Topup(DrawerMove {
            count,
            key,
            currency,
        }) => {
            let key = key.unwrap_or_else(IdempotencyKey::generate);
            let approval = approval.ok_or(BankError::ApprovalRequired(
                crate::services::ApprovalNeed::DrawerAndVault,
            ))?;
            let view = bank
                .desk()
                .move_drawer_cash(actor, direction, &count, approval, &key, currency)?;
            output::drawer(&view, json);
        }
        DrawerCommand::Show { currency } => {
            let open = bank.desk().drawers(actor)?;
            match open
                .iter()
                .find(|d| currency.is_none_or(|c| d.currency == c))
            {
                Some(view) => output::drawer(view, json),
                None if json => println!("null"),
                None => println!("No drawer of yours is open."),
            }
        }
        DrawerCommand::Close {
            count,
            session,
            currency,
        } => {
            let session = match session {
                Some(id) => id,
                None => {
                    let open = bank.desk().drawers(actor)?;
                    let mut matching = open
                        .iter()
                        .filter(|d| currency.is_none_or(|c| d.currency == c));
                    match (matching.next(), matching.next()) {
                        (Some(one), None) => one.session_id,
                        (None, _) => {
                            return Err(BankError::DrawerClosed(currency.map_or_else(
                                || "any currency".into(),
                                |c| c.to_string(),
                            ))
                            .into())
                        }
                        (Some(_), Some(_)) => {
                            return Err(CliError::Usage(
                                "drawers of several currencies are open: name one with --currency (or --session)".into(),
                            ))
                        }
                    }
                }
            };
            output::drawer(&bank.desk().close_drawer(actor, session, &count)?, json);
        }
    }
    Ok(())
}

pub(super) fn run_user(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    command: UserCommand,
    json: bool,
) -> Result<(), CliError> {
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
        } => {
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
            output::profile(&bank.people().register_user(actor, input, approval)?, json);
        }
        UserCommand::Show { email } => {
            output::profile(&bank.people().profile(actor, &email)?, json);
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
            let profile = bank.people().update_profile(actor, &email, &changes)?;
            output::profile(&profile, json);
        }
        // Handled before anyone is logged in (see `password_command`).
        UserCommand::Password { .. } => {}
        UserCommand::Unlock { email } => {
            bank.people().unlock_user(actor, &email)?;
            println!("{email} can log in again.");
        }
        UserCommand::DrawerLimit { email, amount } => {
            let set = bank.desk().set_drawer_limit(actor, &email, amount)?;
            if json {
                output::print_json(&serde_json::json!({
                    "email": set.email,
                    "drawer_limit": crate::domain::format_money(set.limit),
                    "own": set.own,
                }));
            } else {
                let whose = if set.own { "own" } else { "the bank's" };
                println!(
                    "{}'s drawer limit: {} ({whose}).",
                    set.email,
                    crate::domain::format_money_grouped(set.limit)
                );
            }
        }
    }
    Ok(())
}

pub(super) fn run_account(
    bank: &mut Bank,
    actor: &Actor,
    approval: Option<&Approval>,
    command: AccountCommand,
    json: bool,
) -> Result<(), CliError> {
    let set_status = |bank: &mut Bank, account: &AccountNumber, status| -> Result<(), CliError> {
        let view = bank
            .money()
            .set_account_status(actor, account, status, approval)?;
        println!("Account {} is now {}.", view.number, view.status.as_str());
        Ok(())
    };
    match command {
        AccountCommand::Open { email, currency } => {
            let view = bank.money().open_account(actor, &email, currency)?;
            output::account(&view, json);
            Ok(())
        }
        AccountCommand::List { email } => {
            output::accounts(&bank.money().accounts(actor, &email)?, json);
            Ok(())
        }
        AccountCommand::Freeze { account } => set_status(bank, &account, AccountStatus::Frozen),
        AccountCommand::Unfreeze { account } => set_status(bank, &account, AccountStatus::Open),
        AccountCommand::Close { account } => set_status(bank, &account, AccountStatus::Closed),
    }
}
