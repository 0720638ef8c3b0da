//! Large cash (CTR): cash in or cash out for one customer above 10,000.00 in one business day
//! (UTC), summed over all tellers, each direction on its own, needs the customer's
//! identification recorded at the counter before the operation is done. The day's report lists
//! the reportable customers with their totals and IDs, and flags possible structuring: several
//! cash deposits, each under the line, that add up over it.

use crate::domain::AuditOutcome;
use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::authz::require;
use super::bank::now;
use super::fx::value_at_mid;
use super::Desk;
use super::{Actor, BankError, BankResult, MovementKind};
use crate::db::accounts::AccountRow;
use crate::db::{cash_ids, users, Connection};
use crate::domain::AuditAction;
use crate::domain::{format_money_grouped, mask_id_number, Amount, IdDocument};

/// Cash above this in one day, one direction, needs an ID (and is reported).
pub fn ctr_line() -> Decimal {
    Decimal::new(1_000_000, 2)
}

/// A cash exchange at the counter worth more than this (in the base currency) records the
/// customer's ID: a walk-in has no account that would name them, and the day's exchanges are
/// summed by document for the large-cash report.
pub fn exchange_id_line() -> Decimal {
    Decimal::new(100_000, 2)
}

pub(super) fn day_bounds(day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = day
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or(start);
    (start, end)
}

/// Would this cash operation take the customer above the line today? (The customer's row is
/// locked, so two tellers cannot both slip under it.)
pub(super) fn id_needed(
    conn: &mut Connection,
    customer: &AccountRow,
    kind: MovementKind,
    amount: Amount,
) -> BankResult<bool> {
    let Some(owner) = customer.owner_id else {
        return Ok(false);
    };
    let (start, end) = day_bounds(now().date());
    // The line is in the base currency: each amount at its value there. An amount that cannot
    // be valued (no rate) asks for the ID: never a guess in the customer's favour.
    let mut today = Decimal::ZERO;
    let day = cash_ids::cash_between(conn, start, end, Some(owner))?;
    let this = std::iter::once((kind, amount.value(), customer.currency));
    for (k, amount, currency) in day
        .into_iter()
        .map(|(_, k, amount, currency, _)| (k, amount, currency))
        .chain(this)
    {
        if k != kind {
            continue;
        }
        match value_at_mid(conn, currency, amount)? {
            Some(value) => today += value,
            None => return Ok(true),
        }
    }
    Ok(today > ctr_line())
}

pub(super) fn id_required(kind: MovementKind) -> BankError {
    let direction = if kind == MovementKind::Withdrawal {
        "Cash out"
    } else {
        "Cash in"
    };
    BankError::IdRequired(format!(
        "{direction} above {} today for this customer",
        format_money_grouped(ctr_line())
    ))
}

pub(super) fn record_id(
    conn: &mut Connection,
    movement: i64,
    customer: Option<i64>,
    id: &IdDocument,
    recorded_by: &str,
) -> BankResult<()> {
    cash_ids::insert(
        conn,
        &cash_ids::NewCashId {
            movement_id: movement,
            customer_id: customer,
            id_type: id.kind.as_str(),
            id_number: &id.number,
            id_country: &id.country,
            id_expiry: id.expiry,
            recorded_by,
            recorded_at: now(),
        },
    )?;
    Ok(())
}

/// "passport X1234567 (US, expires 2030-01-31)", the number masked for a teller.
fn id_text(row: &cash_ids::CashIdRow, whole: bool) -> String {
    let number = if whole {
        row.id_number.clone()
    } else {
        mask_id_number(&row.id_number)
    };
    format!(
        "{} {number} ({}, expires {})",
        row.id_type, row.id_country, row.id_expiry
    )
}

/// One reportable customer of the day.
#[derive(Debug, Clone, PartialEq)]
pub struct CtrCustomer {
    pub email: String,
    pub name: String,
    pub cash_in: Decimal,
    pub cash_out: Decimal,
    pub deposits: u32,
    pub withdrawals: u32,
    /// Several cash deposits, each under the line, adding up over it.
    pub possible_structuring: bool,
    /// "passport X1234567 (US, expires 2030-01-31)" for each ID recorded that day; for a
    /// teller "passport ****4567 (US, expires 2030-01-31)".
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CtrReport {
    pub date: NaiveDate,
    pub line: Decimal,
    pub customers: Vec<CtrCustomer>,
}

#[derive(Default)]
struct DayCash {
    cash_in: Decimal,
    cash_out: Decimal,
    deposits: Vec<Decimal>,
    withdrawals: u32,
}

impl DayCash {
    /// The report's line for a customer (or a walk-in's document) with this day.
    fn reported(self, email: String, name: String, ids: Vec<String>) -> CtrCustomer {
        let line = ctr_line();
        CtrCustomer {
            email,
            name,
            cash_in: self.cash_in,
            cash_out: self.cash_out,
            deposits: u32::try_from(self.deposits.len()).unwrap_or(u32::MAX),
            withdrawals: self.withdrawals,
            possible_structuring: self.deposits.len() >= 2
                && self.deposits.iter().all(|d| *d < line)
                && self.cash_in > line,
            ids,
        }
    }
}

impl Desk<'_> {
    /// The large-cash report of a day (staff only).
    pub fn ctr_report(&mut self, actor: &Actor, date: NaiveDate) -> BankResult<CtrReport> {
        let allowed = require(actor.is_staff(), "read the large-cash report");
        self.bank
            .audited(actor, AuditAction::ReportCtr, &date.to_string(), allowed)?;
        let (start, end) = day_bounds(date);
        let mut by_customer: BTreeMap<i64, DayCash> = BTreeMap::new();
        for (_, kind, raw, currency, owner) in
            cash_ids::cash_between(&mut self.bank.conn, start, end, None)?
        {
            // In the base currency; an amount without a rate counts as it is (reported rather
            // than missed).
            let amount = value_at_mid(&mut self.bank.conn, currency, raw)?.unwrap_or(raw);
            let day = by_customer.entry(owner).or_default();
            if kind == MovementKind::Deposit {
                day.cash_in += amount;
                day.deposits.push(amount);
            } else {
                day.cash_out += amount;
                day.withdrawals += 1;
            }
        }
        // Tellers see the last 4 characters of a number; supervisors (admins) see it whole.
        let whole = actor.is_admin();
        let mut ids: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for row in cash_ids::recorded_between(&mut self.bank.conn, start, end)? {
            if let Some(customer) = row.customer_id {
                ids.entry(customer).or_default().push(id_text(&row, whole));
            }
        }
        let line = ctr_line();
        let mut customers = Vec::new();
        for (owner, day) in by_customer {
            if day.cash_in <= line && day.cash_out <= line {
                continue;
            }
            let user = users::find_by_id(&mut self.bank.conn, owner)?;
            let (email, name) = user.map_or_else(
                || (format!("#{owner}"), String::new()),
                |u| {
                    let name = u
                        .surname
                        .map_or(u.name.clone(), |s| format!("{} {s}", u.name));
                    (u.email, name)
                },
            );
            let recorded = ids.remove(&owner).unwrap_or_default();
            customers.push(day.reported(email, name, recorded));
        }
        customers.extend(self.walk_ins(start, end, whole)?);
        self.bank.record(
            &actor.audit_name(),
            AuditAction::ReportCtr,
            Some(&date.to_string()),
            AuditOutcome::Ok,
            Some(&format!("{} customer(s)", customers.len())),
        )?;
        Ok(CtrReport {
            date,
            line,
            customers,
        })
    }

    /// The walk-in customers of a period whose cash exchanges, summed by the ID recorded with
    /// them (type, number, country), went above the line in one direction: reported as
    /// `walk-in` with the document as their name. Several exchanges, each under the line,
    /// adding up over it are flagged as possible structuring.
    fn walk_ins(
        &mut self,
        start: NaiveDateTime,
        end: NaiveDateTime,
        whole: bool,
    ) -> BankResult<Vec<CtrCustomer>> {
        let line = ctr_line();
        let conn = &mut self.bank.conn;
        let mut by_document: BTreeMap<(String, String, String), (DayCash, String)> =
            BTreeMap::new();
        for (row, (paid, pay), received) in cash_ids::walk_in_exchanges_between(conn, start, end)? {
            // Valued as the customers' cash is: an amount without a rate counts as it is.
            let cash_in = value_at_mid(conn, pay, paid)?.unwrap_or(paid);
            let cash_out = match received {
                Some((amount, currency)) => value_at_mid(conn, currency, amount)?.unwrap_or(amount),
                None => Decimal::ZERO,
            };
            let document = (
                row.id_type.clone(),
                row.id_number.clone(),
                row.id_country.clone(),
            );
            let (day, _) = by_document
                .entry(document)
                .or_insert_with(|| (DayCash::default(), id_text(&row, whole)));
            day.cash_in += cash_in;
            day.deposits.push(cash_in);
            day.cash_out += cash_out;
            day.withdrawals += 1;
        }
        Ok(by_document
            .into_values()
            .filter(|(day, _)| day.cash_in > line || day.cash_out > line)
            .map(|(day, document)| day.reported(WALK_IN.into(), document.clone(), vec![document]))
            .collect())
    }
}

/// How the large-cash report names a walk-in customer of a cash exchange (no account, no
/// email): their document is their name.
pub const WALK_IN: &str = "walk-in";
