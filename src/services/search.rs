//! Finding a customer at the counter by name, surname, email, phone or account number.

use super::accounts::stored_number;
use super::authz::require;
use super::views::stored_email;
use super::People;
use super::{Actor, BankResult};
use crate::db::{accounts, phones, users};
use crate::domain::AuditAction;
use crate::domain::{AccountNumber, Email, Role};

/// The most customers one search returns.
const LIMIT: i64 = 20;

/// One customer found by a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerHit {
    pub email: Email,
    pub name: String,
    pub surname: Option<String>,
    pub phones: Vec<String>,
    pub accounts: Vec<AccountNumber>,
    pub locked: bool,
}

impl People<'_> {
    /// Customers matching `query` (staff only): a whole account number finds its owner, digits
    /// find phone numbers, anything else matches names, surnames and emails.
    pub fn search_customers(&mut self, actor: &Actor, query: &str) -> BankResult<Vec<CustomerHit>> {
        let allowed = require(actor.is_staff(), "search customers");
        self.bank
            .audited(actor, AuditAction::CustomerSearch, "customers", allowed)?;
        let query = query.trim();
        if query.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let conn = &mut self.bank.conn;
        let mut ids: Vec<i64> = Vec::new();
        if let Ok(number) = AccountNumber::parse(query) {
            if let Some((owner, _, _)) = accounts::owner_names(conn, i64::from(number.serial()))? {
                ids.push(owner);
            }
        }
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        let phone_like = query
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if phone_like && digits.len() >= 3 {
            ids.extend(phones::users_with_number_like(conn, &digits)?);
        }
        let mut rows = users::search(conn, query, LIMIT)?;
        for id in ids.iter().rev() {
            if !rows.iter().any(|row| row.id == *id) {
                if let Some(row) = users::find_by_id(conn, *id)? {
                    rows.insert(0, row);
                }
            }
        }
        let now = super::bank::now();
        let mut hits = Vec::new();
        for row in rows.into_iter().filter(|row| row.role == Role::Customer) {
            hits.push(CustomerHit {
                phones: phones::list_for_user(conn, row.id)?,
                accounts: accounts::list_for_owner(conn, row.id)?
                    .iter()
                    .map(stored_number)
                    .collect::<BankResult<_>>()?,
                locked: row.locked_until.is_some_and(|until| until > now),
                email: stored_email(&row.email)?,
                name: row.name,
                surname: row.surname,
            });
            if hits.len() as i64 >= LIMIT {
                break;
            }
        }
        Ok(hits)
    }
}
