//! A monthly statement of one account: what a customer takes home. Opening balance, every
//! movement of the month with the balance after it, closing balance, money in and out, the
//! bank's name and the period. Months are calendar months in UTC, as the journal keeps time.

use crate::domain::AuditOutcome;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::accounts::{account_id, visible_account};
use super::history::entry_of;
use super::Money;
use super::{Actor, BankError, BankResult, HistoryEntry};
use crate::db::{accounts, fx, movements};
use crate::domain::AuditAction;
use crate::domain::{AccountNumber, Currency, Month, MovementKind, Side};

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub bank: String,
    pub account: String,
    /// "Diana Julis" for a customer's account.
    pub owner: Option<String>,
    pub currency: Currency,
    pub month: Month,
    /// The first and the last day of the period.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: Decimal,
    /// Oldest first; each line's `balance_after` is the running balance.
    pub lines: Vec<HistoryEntry>,
    pub closing: Decimal,
    pub money_in: Decimal,
    pub money_out: Decimal,
    /// The rate each exchange line went at, by movement id.
    pub rates: Vec<LineRate>,
}

/// The rate an exchange in a statement went at: "1 USD = 0.9 EUR", and its quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRate {
    pub movement: i64,
    pub base: Currency,
    pub quote: Currency,
    pub rate: Decimal,
    pub quote_id: i64,
}

impl LineRate {
    /// "1 USD = 0.9 EUR (quote 12)".
    pub fn describe(&self) -> String {
        format!(
            "1 {} = {} {} (quote {})",
            self.base, self.rate, self.quote, self.quote_id
        )
    }
}

impl Statement {
    pub fn rate_of(&self, movement: i64) -> Option<&LineRate> {
        self.rates.iter().find(|r| r.movement == movement)
    }
}

/// The rate of each exchange among `lines`, from the quote its key used (a second leg's key is
/// the first's with "/2").
fn rates_of(conn: &mut crate::db::Connection, lines: &[HistoryEntry]) -> BankResult<Vec<LineRate>> {
    let first_key = |key: &str| key.strip_suffix("/2").unwrap_or(key).to_string();
    let exchanges: Vec<(i64, String)> = lines
        .iter()
        .filter(|l| l.kind == MovementKind::Exchange)
        .map(|l| (l.id, first_key(&l.key)))
        .collect();
    let keys: Vec<&str> = exchanges.iter().map(|(_, k)| k.as_str()).collect();
    let quotes = fx::quotes_used_by(conn, &keys)?;
    Ok(exchanges
        .iter()
        .filter_map(|(movement, key)| {
            let q = quotes
                .iter()
                .find(|q| q.used_key.as_deref() == Some(key.as_str()))?;
            // The bank buys the base when the customer pays it, sells it when they get it.
            let (base, quote) = match q.side {
                Side::Buy => (q.from_currency, q.to_currency),
                Side::Sell => (q.to_currency, q.from_currency),
            };
            Some(LineRate {
                movement: *movement,
                base,
                quote,
                rate: q.rate.normalize(),
                quote_id: q.id,
            })
        })
        .collect())
}

impl Money<'_> {
    /// The statement of `number` for `month`. A customer gets only their own accounts'
    /// (someone else's answers like a missing one); staff any customer's.
    pub fn statement(
        &mut self,
        actor: &Actor,
        number: &AccountNumber,
        month: Month,
    ) -> BankResult<Statement> {
        let visible = visible_account(&mut self.bank.conn, actor, number);
        let row = self.bank.audited(
            actor,
            AuditAction::AccountStatement,
            number.as_str(),
            visible,
        )?;
        let id = account_id(number);
        let start = month.first_day().and_hms_opt(0, 0, 0).unwrap_or_default();
        let end = month
            .next_first_day()
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default();
        let opening = movements::last_before(&mut self.bank.conn, id, start)?
            .map(|m| entry_of(id, m).balance_after)
            .unwrap_or(Decimal::ZERO);
        let lines: Vec<HistoryEntry> = movements::between(&mut self.bank.conn, id, start, end)?
            .into_iter()
            .map(|m| entry_of(id, m))
            .collect();
        let money_in: Decimal = lines.iter().map(|l| l.amount.max(Decimal::ZERO)).sum();
        let money_out: Decimal = lines.iter().map(|l| (-l.amount).max(Decimal::ZERO)).sum();
        let closing = lines.last().map_or(opening, |l| l.balance_after);
        let rates = rates_of(&mut self.bank.conn, &lines)?;
        // The journal's balances after each movement must add up; a statement never papers
        // over a gap.
        if opening + money_in - money_out != closing {
            return Err(BankError::Database(format!(
                "statement of {number} for {month} does not add up"
            )));
        }
        let owner = match row.owner_id {
            Some(_) => accounts::owner_names(&mut self.bank.conn, id)?.map(|(_, name, surname)| {
                surname.map_or_else(|| name.clone(), |s| format!("{name} {s}"))
            }),
            None => None,
        };
        self.bank.record(
            &actor.audit_name(),
            AuditAction::AccountStatement,
            Some(number.as_str()),
            AuditOutcome::Ok,
            Some(&format!("{month}")),
        )?;
        Ok(Statement {
            bank: self.bank.config.bank_name.clone(),
            account: number.as_str().to_string(),
            owner,
            currency: row.currency,
            month,
            from: month.first_day(),
            to: month.next_first_day().pred_opt().unwrap_or_default(),
            opening,
            lines,
            closing,
            money_in,
            money_out,
            rates,
        })
    }
}
