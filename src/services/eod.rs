//! Closing the branch's day: refused while a drawer is open or a vault is not counted, or
//! while the audit fails; otherwise the day's proof is built, the chain sealed and the day
//! closed, so that no cash operation is dated into it afterwards.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::authz::require_supervisor;
use super::bank::now;
use super::ctr::day_bounds;
use super::drawer::session_view;
use super::vault::vault_view;
use super::views::utc;
use super::Desk;
use super::{Actor, AuditReport, BankError, BankResult, DrawerView, MovementKind, VaultView};
use crate::db::{accounts, drawer_sessions, movements, vault, Connection};
use crate::domain::AuditAction;

/// The branch's proof for one business day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EodReport {
    pub business_date: NaiveDate,
    pub bank_name: String,
    pub closed_by: String,
    pub closed_at: DateTime<Utc>,
    /// The day had been closed before this call: the same proof, built again.
    pub already_closed: bool,
    /// The ledger chain's head sealed when the day closed.
    pub chain_head: String,
    pub drawers: Vec<EodDrawer>,
    pub vaults: Vec<VaultView>,
    pub cash: Vec<CashTotal>,
    /// Customers above the large-cash line that day, and how many look like structuring.
    pub ctr_customers: usize,
    pub possible_structuring: usize,
    pub movements: Vec<KindTotal>,
    /// The day's movements by the device they came from (`local` without the server).
    pub devices: Vec<DeviceTotal>,
    /// Each exchanged currency's position of the day (docs/fx.md).
    pub positions: Vec<super::CurrencyPosition>,
    pub audit: AuditReport,
}

/// The day's movements from one device in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceTotal {
    pub device: String,
    pub currency: String,
    pub count: i64,
    pub total: Decimal,
}

/// One drawer session of the day, closed, with all its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EodDrawer {
    pub teller: String,
    pub session: DrawerView,
}

/// Cash paid in and out at the counters in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashTotal {
    pub currency: String,
    pub cash_in: Decimal,
    pub cash_out: Decimal,
}

/// The day's movements of one kind and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindTotal {
    pub kind: MovementKind,
    pub currency: String,
    pub count: i64,
    pub total: Decimal,
}

impl Desk<'_> {
    /// Closes business day `date` (today when None) and returns its proof (supervisors only).
    /// A day closed already gets its proof again.
    pub fn end_of_day(&mut self, actor: &Actor, date: Option<NaiveDate>) -> BankResult<EodReport> {
        let allowed = require_supervisor(actor, "close the day (supervisors only)");
        self.bank
            .audited(actor, AuditAction::EndOfDay, "day", allowed)?;
        let today = now().date();
        let date = date.unwrap_or(today);
        if date > today {
            let e = BankError::DayNotReady(format!("{date} has not begun"));
            return self
                .bank
                .refused(actor, AuditAction::EndOfDay, Some(&date.to_string()), e);
        }
        let already_closed = vault::closed_day(&mut self.bank.conn, date)?.is_some();
        if !already_closed {
            self.close_day(actor, date)?;
        }
        self.eod_report(actor, date, already_closed)
    }

    fn close_day(&mut self, actor: &Actor, date: NaiveDate) -> BankResult<()> {
        let subject = date.to_string();
        let problems = day_problems(&mut self.bank.conn, date)?;
        if !problems.is_empty() {
            let e = BankError::DayNotReady(problems.join("; "));
            return self
                .bank
                .refused(actor, AuditAction::EndOfDay, Some(&subject), e);
        }
        let audit = self.bank.ledger().audit(actor)?;
        if !audit.ok {
            let failed: Vec<&str> = audit
                .checks
                .iter()
                .filter(|c| !c.ok)
                .map(|c| c.name)
                .collect();
            let e = BankError::DayNotReady(format!("the audit fails ({})", failed.join(", ")));
            return self
                .bank
                .refused(actor, AuditAction::EndOfDay, Some(&subject), e);
        }
        let seal = self.bank.ledger().seal(actor)?;
        let stamp = self.bank.stamp(actor);
        let name = stamp.actor.as_str();
        let (start, end) = day_bounds(date);
        let result = self.bank.in_transaction(|conn| {
            // Every vault's lock keeps drawers from opening and vaults from moving meanwhile;
            // a vault opened for the first time waits on the closed day's row (a shared read).
            let ids = accounts::vault_ids(conn)?;
            accounts::lock(conn, &ids)?;
            let problems = day_problems(conn, date)?;
            if !problems.is_empty() {
                return Err(BankError::DayNotReady(problems.join("; ")));
            }
            let movement_count = movements::totals_between(conn, start, end)?
                .iter()
                .map(|(_, _, count, _)| count)
                .sum();
            vault::close_day(
                conn,
                &vault::BusinessDayRow {
                    business_date: date,
                    closed_by: name.to_string(),
                    closed_at: now(),
                    chain_head: seal.head.clone(),
                    movement_count,
                },
            )?;
            let detail = format!("{movement_count} movements, chain head {}", seal.head);
            super::users::audit(conn, &stamp, AuditAction::EndOfDay, &subject, Some(&detail))
        });
        match result {
            // Another supervisor closed it a moment ago: the proof is the same.
            Err(BankError::Duplicate(_)) => Ok(()),
            other => self
                .bank
                .audited(actor, AuditAction::EndOfDay, &subject, other),
        }
    }

    fn eod_report(
        &mut self,
        actor: &Actor,
        date: NaiveDate,
        already_closed: bool,
    ) -> BankResult<EodReport> {
        let audit = self.bank.ledger().audit(actor)?;
        let ctr = self.ctr_report(actor, date)?;
        let conn = &mut self.bank.conn;
        let closed = vault::closed_day(conn, date)?
            .ok_or_else(|| BankError::NotFound(format!("The closed day {date}")))?;
        let mut drawers = Vec::new();
        let mut vaults = Vec::new();
        for day in vault::days_on(conn, date)? {
            for (session, teller) in drawer_sessions::of_vault_day(conn, day.id)? {
                drawers.push(EodDrawer {
                    teller,
                    session: session_view(conn, session.id)?,
                });
            }
            vaults.push(vault_view(conn, day.id)?);
        }
        let (movements, cash) = day_movements(conn, date)?;
        let positions = super::fx_positions::day_positions(conn, date)?;
        let (start, end) = day_bounds(date);
        let devices = movements::device_totals_between(conn, start, end)?
            .into_iter()
            .map(|(device, currency, count, total)| DeviceTotal {
                device,
                currency,
                count,
                total: total.unwrap_or_default(),
            })
            .collect();
        Ok(EodReport {
            business_date: date,
            bank_name: self.bank.config.bank_name.clone(),
            closed_by: closed.closed_by,
            closed_at: utc(closed.closed_at),
            already_closed,
            chain_head: closed.chain_head,
            drawers,
            vaults,
            cash,
            possible_structuring: ctr
                .customers
                .iter()
                .filter(|c| c.possible_structuring)
                .count(),
            ctr_customers: ctr.customers.len(),
            movements,
            devices,
            positions,
            audit,
        })
    }
}

/// What keeps a day from closing, in words: open drawers (of any day) and the day's vaults
/// that were never opened or are not counted.
fn day_problems(conn: &mut Connection, date: NaiveDate) -> BankResult<Vec<String>> {
    let mut problems: Vec<String> = drawer_sessions::all_open(conn)?
        .into_iter()
        .map(|(session, teller)| {
            format!(
                "the {} drawer of {teller} is open (session {})",
                session.currency, session.id
            )
        })
        .collect();
    let days = vault::days_on(conn, date)?;
    if days.is_empty() {
        problems.push(format!("no vault was opened on {date}"));
    }
    problems.extend(
        days.iter()
            .filter(|day| day.counted_at.is_none())
            .map(|day| format!("the {} vault is not counted", day.currency)),
    );
    Ok(problems)
}

/// The day's movements by kind and currency, and the cash paid in and out at the counters.
fn day_movements(
    conn: &mut Connection,
    date: NaiveDate,
) -> BankResult<(Vec<KindTotal>, Vec<CashTotal>)> {
    let (start, end) = day_bounds(date);
    let mut kinds = Vec::new();
    let mut cash: Vec<CashTotal> = Vec::new();
    for (kind, currency, count, total) in movements::totals_between(conn, start, end)? {
        let kind =
            MovementKind::from_stored(&kind).map_err(|e| BankError::Database(e.to_string()))?;
        let total = total.unwrap_or_default();
        if matches!(kind, MovementKind::Deposit | MovementKind::Withdrawal) {
            let index = match cash.iter().position(|c| c.currency == currency) {
                Some(index) => index,
                None => {
                    cash.push(CashTotal {
                        currency: currency.clone(),
                        cash_in: Decimal::ZERO,
                        cash_out: Decimal::ZERO,
                    });
                    cash.len() - 1
                }
            };
            if kind == MovementKind::Deposit {
                cash[index].cash_in += total;
            } else {
                cash[index].cash_out += total;
            }
        }
        kinds.push(KindTotal {
            kind,
            currency,
            count,
            total,
        });
    }
    Ok((kinds, cash))
}
