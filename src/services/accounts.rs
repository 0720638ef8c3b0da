//! Accounts: opening, listing, balances, freezing and closing.

use crate::services::ApprovalNeed;
use std::ops::RangeInclusive;

use rand::Rng;

use super::authz::{may_administer_user, may_use_account, require};
use super::bank::now;
use super::users::{audit, audit_approved, user_not_found};
use super::views::utc;
use super::Approval;
use super::Money;
use super::{AccountStatus, AccountView, Actor, BankError, BankResult};
use crate::db::{accounts, users, Connection, DuplicateKey};
use crate::domain::AuditAction;
use crate::domain::{AccountNumber, Currency, Email, Role};

/// Serials of customers' account numbers; internal accounts use the rest, so their ids sort
/// after every customer's and "lock in ascending id order" puts the cash drawer last.
pub(super) const CUSTOMER_SERIALS: RangeInclusive<u32> = 100_000_000..=899_999_999;
const INTERNAL_SERIALS: RangeInclusive<u32> = 900_000_000..=999_999_999;

/// The primary key of the account with this number (its serial).
pub(super) fn account_id(number: &AccountNumber) -> i64 {
    i64::from(number.serial())
}

/// The number of the account with this primary key (its serial).
pub(super) fn account_number(id: i64) -> Option<AccountNumber> {
    u32::try_from(id).ok().and_then(AccountNumber::from_serial)
}

/// The same as text for a message: "#id" for a key outside the numbers' range.
pub(super) fn number_of(id: i64) -> String {
    account_number(id).map_or_else(|| format!("#{id}"), |n| n.as_str().to_string())
}

pub(super) fn is_internal(id: i64) -> bool {
    u32::try_from(id).is_ok_and(|serial| INTERNAL_SERIALS.contains(&serial))
}

/// A random account number in `serials`.
fn random_number(serials: RangeInclusive<u32>) -> AccountNumber {
    loop {
        if let Some(number) = AccountNumber::from_serial(rand::rng().random_range(serials.clone()))
        {
            return number;
        }
    }
}

/// Who a transfer goes to, as the payer may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    /// "D. Julis".
    pub name: String,
    pub currency: Currency,
}

/// Whose an account is: a customer's, or one of the bank's internal accounts (by label).
#[derive(Debug, Clone, Copy)]
pub(super) enum Holder<'a> {
    Customer(i64),
    Drawer(&'a str),
    OverShort(&'a str),
    Vault(&'a str),
    Position(&'a str),
}

/// Locks an internal account by its label, creating it on first use. Internal ids sort after
/// every customer's, so this lock comes after the customer rows as ascending order wants.
pub(super) fn lock_internal_account(
    conn: &mut Connection,
    holder: Holder<'_>,
    currency: &str,
) -> BankResult<accounts::AccountRow> {
    let (Holder::Drawer(label)
    | Holder::OverShort(label)
    | Holder::Vault(label)
    | Holder::Position(label)) = holder
    else {
        return Err(BankError::Database(
            "a customer account has no label".into(),
        ));
    };
    if let Some(row) = accounts::lock_by_label(conn, label)? {
        return Ok(row);
    }
    match insert_account(conn, holder, currency) {
        // Created by a parallel transaction: run again and lock that one.
        Err(BankError::Duplicate(Some(DuplicateKey::AccountLabel))) => Err(BankError::Busy),
        Err(e) => Err(e),
        Ok(number) => accounts::lock(conn, &[account_id(&number)])?
            .pop()
            .ok_or(BankError::Busy),
    }
}

/// Refuses a currency the bank does not trade (`teller currency add`).
pub(super) fn traded(
    conn: &mut Connection,
    currency: Currency,
) -> BankResult<crate::db::fx::CurrencyRow> {
    crate::db::fx::currency(conn, currency)?.ok_or(BankError::CurrencyNotTraded(currency))
}

/// The banknotes and coins of `currency` in cents (the bank's list, `teller currency add
/// --denominations`), largest first; refuses a currency the bank does not trade.
pub(super) fn denominations_cents(
    conn: &mut Connection,
    currency: Currency,
) -> BankResult<Vec<i64>> {
    let row = traded(conn, currency)?;
    if row.denominations.trim().is_empty() {
        return Ok(Vec::new());
    }
    let values = crate::domain::parse_denominations(&row.denominations, currency)
        .map_err(|e| BankError::Database(format!("currency {currency}: {e}")))?;
    // Whole cents, as the list's parser checked.
    Ok(crate::domain::denominations_in_cents(&values))
}

/// Refuses a count holding a banknote or coin `currency` does not have, or a currency the bank
/// does not trade.
pub(super) fn count_in(
    conn: &mut Connection,
    currency: Currency,
    count: &crate::domain::CashCount,
) -> BankResult<()> {
    let allowed = denominations_cents(conn, currency)?;
    count.only(&allowed, currency.as_str())?;
    Ok(())
}

/// The smallest amount of `currency` a drawer can pay out: its smallest banknote or coin, or
/// its minor unit when the bank lists no cash for it.
pub(super) fn cash_unit(
    conn: &mut Connection,
    currency: Currency,
) -> BankResult<rust_decimal::Decimal> {
    let smallest = denominations_cents(conn, currency)?.into_iter().min();
    Ok(smallest.map_or_else(
        || rust_decimal::Decimal::new(1, currency.decimals()),
        |cents| rust_decimal::Decimal::new(cents, 2),
    ))
}

/// Inserts an account under a fresh random number, drawing again on the rare collision.
pub(super) fn insert_account(
    conn: &mut Connection,
    holder: Holder<'_>,
    currency: &str,
) -> BankResult<AccountNumber> {
    let (kind, serials, owner_id, label) = match holder {
        Holder::Customer(id) => ("customer", CUSTOMER_SERIALS, Some(id), None),
        Holder::Drawer(label) => ("drawer", INTERNAL_SERIALS, None, Some(label)),
        Holder::OverShort(label) => ("over_short", INTERNAL_SERIALS, None, Some(label)),
        Holder::Vault(label) => ("vault", INTERNAL_SERIALS, None, Some(label)),
        Holder::Position(label) => ("position", INTERNAL_SERIALS, None, Some(label)),
    };
    for _ in 0..8 {
        let number = random_number(serials.clone());
        let at = now();
        let row = accounts::NewAccount {
            id: account_id(&number),
            number: number.as_str(),
            owner_id,
            kind,
            label,
            currency,
            created_at: at,
            updated_at: at,
        };
        match accounts::insert(conn, &row) {
            Err(e) => match BankError::from(e) {
                BankError::Duplicate(Some(DuplicateKey::AccountPrimary)) => continue,
                other => return Err(other),
            },
            Ok(()) => return Ok(number),
        }
    }
    Err(BankError::Busy)
}

/// An account row's stored number as the type it was written from: one that does not parse is
/// a database fault, not something to show.
pub(super) fn stored_number(row: &accounts::AccountRow) -> BankResult<AccountNumber> {
    AccountNumber::parse(&row.number).map_err(|e| {
        BankError::Database(format!("account {} has an invalid number: {e}", row.number))
    })
}

/// An account as services hand it out, its stored number parsed (`stored_number`).
pub(super) fn view(row: accounts::AccountRow, owner: Option<String>) -> BankResult<AccountView> {
    Ok(AccountView {
        number: stored_number(&row)?,
        owner,
        currency: row.currency,
        balance: row.currency.in_minor_units(row.balance),
        status: row.status,
        created_at: utc(row.created_at),
    })
}

impl Money<'_> {
    /// Opens an account for a customer (staff only).
    pub fn open_account(
        &mut self,
        actor: &Actor,
        owner: &Email,
        currency: Currency,
    ) -> BankResult<AccountView> {
        // Refused before the lookup: a customer learns nothing about who exists.
        if let Err(e) = require(actor.is_staff(), "open accounts") {
            return self
                .bank
                .refused(actor, AuditAction::AccountOpen, Some(owner.as_str()), e);
        }
        let stamp = self.bank.stamp(actor);
        let result = self.bank.in_transaction(|conn| {
            let user =
                users::find_by_email(conn, owner.as_str())?.ok_or_else(|| user_not_found(owner))?;
            let role = user.role;
            require(
                actor.is_staff() && may_administer_user(actor, role),
                "open accounts",
            )?;
            if role != Role::Customer {
                return Err(BankError::Forbidden(
                    "open an account for a member of staff",
                ));
            }
            traded(conn, currency)?;
            let number = insert_account(conn, Holder::Customer(user.id), currency.as_str())?;
            let detail = format!("{} for {owner}", currency.as_str());
            audit(
                conn,
                &stamp,
                AuditAction::AccountOpen,
                number.as_str(),
                Some(&detail),
            )?;
            let row = accounts::find(conn, account_id(&number))?.ok_or(BankError::Busy)?;
            view(row, Some(owner.as_str().to_string()))
        });
        self.bank
            .audited(actor, AuditAction::AccountOpen, owner.as_str(), result)
    }

    /// A person's accounts, oldest first.
    pub fn accounts(&mut self, actor: &Actor, owner: &Email) -> BankResult<Vec<AccountView>> {
        let result = self.accounts_of(actor, owner);
        self.bank
            .audited(actor, AuditAction::AccountList, owner.as_str(), result)
    }

    fn accounts_of(&mut self, actor: &Actor, owner: &Email) -> BankResult<Vec<AccountView>> {
        let user = users::find_by_email(&mut self.bank.conn, owner.as_str())?;
        let user = match user {
            Some(user) if may_use_account(actor, Some(user.id)) => user,
            None if actor.is_staff() => return Err(user_not_found(owner)),
            // Customers asking about someone else learn nothing, not even that they exist.
            _ => return Err(BankError::Forbidden("see another person's accounts")),
        };
        let rows = accounts::list_for_owner(&mut self.bank.conn, user.id)?;
        rows.into_iter()
            .map(|row| view(row, Some(user.email.clone())))
            .collect()
    }

    /// One account with its balance.
    pub fn account(&mut self, actor: &Actor, number: &AccountNumber) -> BankResult<AccountView> {
        let result = visible_account(&mut self.bank.conn, actor, number).and_then(|row| {
            let owner = match row.owner_id {
                Some(_) => accounts::owner_emails(&mut self.bank.conn, &[row.id])?
                    .pop()
                    .map(|(_, e)| e),
                None => row.label.clone(),
            };
            view(row, owner)
        });
        self.bank
            .audited(actor, AuditAction::AccountShow, number.as_str(), result)
    }

    /// The recipient of a transfer as a customer may see it: "D. Julis", and the currency the
    /// account keeps (a transfer into another currency goes at a quote).
    pub fn recipient(&mut self, number: &AccountNumber) -> BankResult<Payee> {
        let id = account_id(number);
        let (_, name, surname) = accounts::owner_names(&mut self.bank.conn, id)?
            .ok_or_else(|| account_not_found(number))?;
        let currency = accounts::find(&mut self.bank.conn, id)?
            .ok_or_else(|| account_not_found(number))?
            .currency;
        let initial: String = name.chars().take(1).collect();
        let name = match surname {
            Some(surname) => format!("{initial}. {surname}"),
            None => name,
        };
        Ok(Payee { name, currency })
    }

    /// Freezes, unfreezes or closes a customer account (staff only). A closed account stays
    /// closed; only an empty account can be closed. Unfreezing by a teller or admin needs a
    /// supervisor's `approval` (four eyes); freezing and closing need none.
    pub fn set_account_status(
        &mut self,
        actor: &Actor,
        number: &AccountNumber,
        target: AccountStatus,
        approval: Option<&Approval>,
    ) -> BankResult<AccountView> {
        match approval {
            Some(approval) if target == AccountStatus::Open => {
                self.unfreeze_approved(actor, number, approval)
            }
            None if target == AccountStatus::Open
                && matches!(actor, Actor::User(_))
                && actor.is_staff() =>
            {
                let e = BankError::ApprovalRequired(ApprovalNeed::Unfreeze);
                self.bank.refused(
                    actor,
                    AuditAction::AccountUnfreeze,
                    Some(number.as_str()),
                    e,
                )
            }
            _ => self.change_status(actor, number, target, None),
        }
    }

    /// Unfreezes an account with a supervisor's approval.
    fn unfreeze_approved(
        &mut self,
        actor: &Actor,
        number: &AccountNumber,
        approval: &Approval,
    ) -> BankResult<AccountView> {
        if let Err(e) = require(actor.is_staff(), "change an account's status") {
            return self.bank.refused(
                actor,
                AuditAction::AccountUnfreeze,
                Some(number.as_str()),
                e,
            );
        }
        let supervisor = self.bank.verify_approval(
            actor,
            AuditAction::AccountUnfreeze,
            number.as_str(),
            approval,
        )?;
        self.change_status(actor, number, AccountStatus::Open, Some(supervisor))
    }

    fn change_status(
        &mut self,
        actor: &Actor,
        number: &AccountNumber,
        target: AccountStatus,
        approved_by: Option<String>,
    ) -> BankResult<AccountView> {
        let action = match target {
            AccountStatus::Open => AuditAction::AccountUnfreeze,
            AccountStatus::Frozen => AuditAction::AccountFreeze,
            AccountStatus::Closed => AuditAction::AccountClose,
        };
        if let Err(e) = require(actor.is_staff(), "change an account's status") {
            return self.bank.refused(actor, action, Some(number.as_str()), e);
        }
        let stamp = self.bank.stamp(actor);
        let result = self.bank.in_transaction(|conn| {
            let row = accounts::lock(conn, &[account_id(number)])?
                .pop()
                .filter(|row| row.owner_id.is_some())
                .ok_or_else(|| account_not_found(number))?;
            let current = row.status;
            if current == AccountStatus::Closed {
                return Err(BankError::AccountClosed(row.number));
            }
            if current == target {
                return Err(BankError::AlreadyInState(target.as_str()));
            }
            if target == AccountStatus::Closed && !row.balance.is_zero() {
                return Err(BankError::BalanceNotZero {
                    account: row.number,
                    balance: row.balance,
                });
            }
            accounts::set_status(conn, row.id, target.as_str(), now())?;
            audit_approved(
                conn,
                &stamp,
                action,
                number.as_str(),
                None,
                approved_by.as_deref(),
            )?;
            let owner = accounts::owner_emails(conn, &[row.id])?
                .pop()
                .map(|(_, e)| e);
            let row = accounts::find(conn, row.id)?.ok_or_else(|| account_not_found(number))?;
            view(row, owner)
        });
        self.bank.audited(actor, action, number.as_str(), result)
    }
}

/// An account as `actor` may see it. A customer asking about someone else's account gets the
/// same answer as for a number that does not exist: they learn nothing about other customers.
pub(super) fn visible_account(
    conn: &mut Connection,
    actor: &Actor,
    number: &AccountNumber,
) -> BankResult<accounts::AccountRow> {
    // Internal accounts (drawers, over/short) are the admins' to read: a teller reading their
    // own drawer's balance would learn the expected cash before a blind close.
    accounts::find(conn, account_id(number))?
        .filter(|row| row.owner_id.is_some() || actor.is_admin())
        .filter(|row| may_use_account(actor, row.owner_id))
        .ok_or_else(|| account_not_found(number))
}

pub(super) fn account_not_found(number: &AccountNumber) -> BankError {
    BankError::NotFound(format!("Account {number}"))
}
