//! The branch's vault: one per currency, its cash held by denomination. A supervisor opens the
//! vault's day with a blind count and counts it again, blind, once the drawers are back; cash
//! moves between the vault and the drawers only under dual control (see `drawer.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::accounts::{lock_internal_account, Holder};
use super::actor::Stamp;
use super::authz::require_supervisor;
use super::bank::now;
use super::over_short::post_over_short;
use super::posting::Posting;
use super::users::audit;
use super::views::utc;
use super::Desk;
use super::{Actor, BankError, BankResult, MovementKind};
use crate::db::vault::{self, VaultDayRow, VaultMoveLine, VaultMoveRow};
use crate::db::{accounts, drawer_sessions, Connection};
use crate::domain::AuditAction;
use crate::domain::{format_money, CashCount, Currency, IdempotencyKey};

/// A vault's day as a supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultView {
    pub currency: Currency,
    pub business_date: NaiveDate,
    pub opened_by: String,
    pub opened_at: DateTime<Utc>,
    pub opening_count: String,
    pub opening_total: Decimal,
    /// The opening count minus what the book said: posted as over/short.
    pub opening_difference: Decimal,
    /// What the vault holds by the book: the opening count and every movement since.
    pub holdings: String,
    pub holdings_total: Decimal,
    pub moves: Vec<VaultMoveView>,
    pub closing: Option<VaultCountView>,
    /// The business day is closed (end of day ran).
    pub day_closed: bool,
}

/// One movement into or out of the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultMoveView {
    pub reference: i64,
    pub kind: MovementKind,
    pub into_vault: bool,
    pub amount: Decimal,
    pub pieces: String,
    pub teller: String,
    pub approved_by: Option<String>,
    pub at: DateTime<Utc>,
}

/// The vault's closing count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultCountView {
    pub counted_by: String,
    pub counted_at: DateTime<Utc>,
    pub count: String,
    pub counted: Decimal,
    pub expected: Decimal,
    /// Counted minus expected: positive over, negative short.
    pub difference: Decimal,
}

impl Desk<'_> {
    /// Opens the vault's day with the supervisor's blind count: a difference from the book is
    /// posted to the over/short account (on the very first day, the whole count is).
    pub fn open_vault(
        &mut self,
        actor: &Actor,
        currency: Currency,
        count: &CashCount,
    ) -> BankResult<VaultView> {
        let blind = Blind {
            action: AuditAction::VaultOpen,
            refusal: "open the vault (supervisors only)",
            currency,
            count,
        };
        self.count_vault_blind(actor, blind, |conn, counting| {
            refuse_closed_day(conn, counting.today)?;
            if vault::day_of(conn, currency.as_str(), counting.today)?.is_some() {
                return Err(BankError::VaultAlreadyOpen(currency.to_string()));
            }
            // A day's vault is counted before the next day's opens: its book goes on.
            if let Some(earlier) = vault::uncounted(conn, currency.as_str())? {
                return Err(BankError::DayNotReady(format!(
                    "the {currency} vault of {} is not counted yet: count it first",
                    earlier.business_date
                )));
            }
            let (book, _) = counting.settle(conn)?;
            let id = vault::insert_day(
                conn,
                &vault::NewVaultDay {
                    currency: currency.as_str(),
                    business_date: counting.today,
                    vault_account_id: counting.account.id,
                    opened_by: counting.stamp.actor.as_str(),
                    opened_at: now(),
                    opening_count: &count.to_string(),
                    opening_total: count.total(),
                    opening_book: book,
                },
            )?;
            let detail = format!(
                "counted {} {currency} ({count}), book {}",
                format_money(count.total()),
                format_money(book)
            );
            Ok((id, detail))
        })
    }

    /// The vault's closing count (blind, once): taken when every drawer that drew its float
    /// from the vault today is closed; the difference from the book is posted as over/short,
    /// and no more cash moves in or out of the vault that day.
    pub fn count_vault(
        &mut self,
        actor: &Actor,
        currency: Currency,
        count: &CashCount,
    ) -> BankResult<VaultView> {
        let blind = Blind {
            action: AuditAction::VaultCount,
            refusal: "count the vault (supervisors only)",
            currency,
            count,
        };
        self.count_vault_blind(actor, blind, |conn, counting| {
            // The vault day still open: today's, or an earlier one whose drawers stayed open
            // past midnight.
            let day = match vault::uncounted(conn, currency.as_str())? {
                Some(day) => day,
                None if vault::day_of(conn, currency.as_str(), counting.today)?.is_some() => {
                    return Err(BankError::VaultCounted(currency.to_string()))
                }
                None => return Err(BankError::VaultNotOpen(currency.to_string())),
            };
            refuse_closed_day(conn, day.business_date)?;
            let open: Vec<String> = drawer_sessions::of_vault_day(conn, day.id)?
                .into_iter()
                .filter(|(session, _)| session.closed_at.is_none())
                .map(|(_, teller)| teller)
                .collect();
            if !open.is_empty() {
                return Err(BankError::DayNotReady(format!(
                    "the drawers of {} are still open; count the vault once they are closed",
                    open.join(", ")
                )));
            }
            let (book, difference) = counting.settle(conn)?;
            vault::record_count(
                conn,
                day.id,
                &vault::ClosingCount {
                    counted_by: counting.stamp.actor.as_str(),
                    counted_at: now(),
                    closing_count: &count.to_string(),
                    closing_total: count.total(),
                    closing_book: book,
                },
            )?;
            let detail = format!(
                "counted {} expected {} over/short {} {currency}",
                format_money(count.total()),
                format_money(book),
                format_money(difference)
            );
            Ok((day.id, detail))
        })
    }

    /// A supervisor's blind count of a vault, in one transaction with the vault's account
    /// locked: `record` checks the day, settles the count and records it, returning the vault
    /// day's id and the audit line's detail.
    fn count_vault_blind(
        &mut self,
        actor: &Actor,
        blind: Blind<'_>,
        record: impl Fn(&mut Connection, &Counting<'_>) -> BankResult<(i64, String)>,
    ) -> BankResult<VaultView> {
        if let Err(e) = require_supervisor(actor, blind.refusal) {
            return self.bank.refused(actor, blind.action, None, e);
        }
        let stamp = self.bank.stamp(actor);
        let key = IdempotencyKey::generate();
        let result = self.bank.in_transaction(|conn| {
            super::accounts::count_in(conn, blind.currency, blind.count)?;
            let counting = Counting {
                stamp: &stamp,
                key: &key,
                today: now().date(),
                account: lock_vault(conn, blind.currency.as_str())?,
                count: blind.count,
            };
            let (id, detail) = record(conn, &counting)?;
            audit(
                conn,
                &stamp,
                blind.action,
                &counting.account.number,
                Some(&detail),
            )?;
            vault_view(conn, id)
        });
        self.bank.audited(actor, blind.action, "vault", result)
    }

    /// Today's vault of a currency, or the earlier one not counted yet (supervisors only).
    pub fn vault(&mut self, actor: &Actor, currency: Currency) -> BankResult<Option<VaultView>> {
        if let Err(e) = require_supervisor(actor, "see the vault (supervisors only)") {
            return self.bank.refused(actor, AuditAction::VaultShow, None, e);
        }
        let conn = &mut self.bank.conn;
        let day = match vault::day_of(conn, currency.as_str(), now().date())? {
            Some(today) => Some(today),
            None => vault::uncounted(conn, currency.as_str())?,
        };
        day.map(|day| vault_view(conn, day.id)).transpose()
    }
}

/// Which blind count of the vault: its audit action, the words of a refusal, what was counted.
struct Blind<'a> {
    action: AuditAction,
    refusal: &'static str,
    currency: Currency,
    count: &'a CashCount,
}

/// A blind count under way: who counts, the vault's account (locked) and the day.
struct Counting<'a> {
    stamp: &'a Stamp,
    key: &'a IdempotencyKey,
    today: NaiveDate,
    account: accounts::AccountRow,
    count: &'a CashCount,
}

impl Counting<'_> {
    /// Compares the count with the book and posts the difference as over/short.
    fn settle(&self, conn: &mut Connection) -> BankResult<(Decimal, Decimal)> {
        settle_count(conn, self.stamp, self.key, &self.account, self.count)
    }
}

/// Compares a count of the vault with its book and posts the difference as over/short.
/// Returns (book, counted minus book).
fn settle_count(
    conn: &mut Connection,
    stamp: &Stamp,
    key: &IdempotencyKey,
    vault: &accounts::AccountRow,
    count: &CashCount,
) -> BankResult<(Decimal, Decimal)> {
    let book = held(vault);
    let difference = count.total() - book;
    if !difference.is_zero() {
        post_over_short(conn, stamp, key, None, vault, difference, "vault")?;
    }
    Ok((book, difference))
}

/// Cash the book says an account holds: cash accounts are assets, so their balance (credits
/// minus debits) is the negative of it.
pub(super) fn held(account: &accounts::AccountRow) -> Decimal {
    -account.balance
}

/// The vault account of a currency, locked (created on first use). Lock order: a drawer, then
/// the vault, then the over/short account.
pub(super) fn lock_vault(
    conn: &mut Connection,
    currency: &str,
) -> BankResult<accounts::AccountRow> {
    let label = format!("vault:{currency}");
    lock_internal_account(conn, Holder::Vault(&label), currency)
}

/// No cash step is dated into a closed day. The caller holds the vault's lock, which end of
/// day takes too, and the day's row is read with a shared lock, so the day cannot close
/// between this check and the commit.
pub(super) fn refuse_closed_day(conn: &mut Connection, date: NaiveDate) -> BankResult<()> {
    match vault::closed_day_locked(conn, date)? {
        Some(_) => Err(BankError::DayClosed(date)),
        None => Ok(()),
    }
}

/// What the vault holds by denomination: the opening count plus every movement of the day.
pub(super) fn holdings(conn: &mut Connection, day: &VaultDayRow) -> BankResult<CashCount> {
    holdings_after(day, &vault::moves_of(conn, day.id)?)
}

/// `holdings`, from the day's movements already read.
pub(super) fn holdings_after(day: &VaultDayRow, moves: &[VaultMoveLine]) -> BankResult<CashCount> {
    let mut held = stored_count(&day.opening_count)?;
    for line in moves {
        let pieces = stored_count(&line.movement.pieces)?;
        held = if line.movement.direction > 0 {
            held.plus(&pieces)
        } else {
            held.minus(&pieces).map_err(|short| {
                BankError::Database(format!("vault day {} goes below zero: {short}", day.id))
            })?
        };
    }
    Ok(held)
}

pub(super) fn stored_count(text: &str) -> BankResult<CashCount> {
    CashCount::parse(text).map_err(|e| BankError::Database(format!("a stored count: {e}")))
}

/// Cash between a vault and a drawer, with the pieces that moved. The vault and the drawer
/// are locked by the caller.
pub(super) struct VaultStep<'a> {
    pub day: &'a VaultDayRow,
    pub vault: &'a accounts::AccountRow,
    pub drawer: &'a accounts::AccountRow,
    pub pieces: &'a CashCount,
    pub into_vault: bool,
    pub posting: Posting<'a>,
}

impl VaultStep<'_> {
    pub(super) fn post(&self, conn: &mut Connection) -> BankResult<i64> {
        if self.day.counted_at.is_some() {
            return Err(BankError::VaultCounted(self.day.currency.to_string()));
        }
        if !self.into_vault {
            holdings(conn, self.day)?
                .minus(self.pieces)
                .map_err(|short| BankError::VaultShort(short.to_string()))?;
        }
        // Cash held is a debit balance: what receives the cash is debited.
        let done = if self.into_vault {
            self.posting.post(conn, self.vault, self.drawer)?
        } else {
            self.posting.post(conn, self.drawer, self.vault)?
        };
        vault::insert_move(
            conn,
            &VaultMoveRow {
                movement_id: done.id,
                vault_day_id: self.day.id,
                drawer_session_id: self.posting.session_id,
                direction: if self.into_vault { 1 } else { -1 },
                pieces: self.pieces.to_string(),
            },
        )?;
        Ok(done.id)
    }
}

pub(super) fn vault_view(conn: &mut Connection, id: i64) -> BankResult<VaultView> {
    let day =
        vault::find_day(conn, id)?.ok_or_else(|| BankError::NotFound(format!("Vault day {id}")))?;
    let lines = vault::moves_of(conn, day.id)?;
    let held = holdings_after(&day, &lines)?;
    let moves = lines
        .into_iter()
        .map(|line| {
            Ok(VaultMoveView {
                reference: line.movement.movement_id,
                kind: MovementKind::from_stored(&line.kind)
                    .map_err(|e| BankError::Database(e.to_string()))?,
                into_vault: line.movement.direction > 0,
                amount: line.amount,
                pieces: line.movement.pieces,
                teller: line.actor,
                approved_by: line.approved_by,
                at: utc(line.created_at),
            })
        })
        .collect::<BankResult<Vec<_>>>()?;
    let closing = match (
        day.counted_by.clone(),
        day.counted_at,
        day.closing_count.clone(),
        day.closing_total,
        day.closing_book,
    ) {
        (Some(counted_by), Some(at), Some(count), Some(counted), Some(expected)) => {
            Some(VaultCountView {
                counted_by,
                counted_at: utc(at),
                count,
                counted,
                expected,
                difference: counted - expected,
            })
        }
        _ => None,
    };
    Ok(VaultView {
        day_closed: vault::closed_day(conn, day.business_date)?.is_some(),
        currency: day.currency,
        business_date: day.business_date,
        opened_by: day.opened_by,
        opened_at: utc(day.opened_at),
        opening_difference: day.opening_total - day.opening_book,
        opening_count: day.opening_count,
        opening_total: day.opening_total,
        holdings_total: held.total(),
        holdings: held.to_string(),
        moves,
        closing,
    })
}
