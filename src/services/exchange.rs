//! Money that crosses from one currency to another: between two accounts at a quote, or cash
//! for cash at the counter. Each is two movements of kind `exchange`, one in each currency,
//! through the positions, written in one transaction with the quote marked used (docs/fx.md).

use super::accounts::{account_id, account_not_found, cash_unit};
use super::approval_requests::ApprovalOperation;
use super::approvals::ApprovalCheck;
use super::authz::may_use_account;
use super::bank::now;
use super::ctr::{exchange_id_line, record_id};
use super::drawer_limit::cash_in_against_limit;
use super::fx::{
    lock_position, new_quote, quote_view, usable_quote, value_at_mid, Fx, QuoteView, BASE_CURRENCY,
};
use super::money::{ensure_open, lock_drawer, result_of, Fingerprint, TransferRequest};
use super::posting::Posting;
use super::{Actor, Approval, BankError, BankResult, MoneyResult, MovementKind};
use crate::db::{accounts, drawer_sessions, fx, movements, Connection};
use crate::domain::{
    format_money_grouped, format_money_in, Amount, AuditAction, Currency, IdDocument,
    IdempotencyKey, Memo, QuoteId, Role,
};

/// Money from an account in one currency to an account in another, at a quote.
#[derive(Debug, Clone)]
pub struct ExchangeTransfer {
    /// From, to, the amount in the payer's currency (the quote's), key and memo.
    pub transfer: TransferRequest,
    pub quote: QuoteId,
}

/// Cash for cash at the counter: the customer hands over `pays` of `pay` and gets `get`.
#[derive(Debug, Clone)]
pub struct CashExchange {
    pub pay: Currency,
    pub pays: Amount,
    pub get: Currency,
    /// The quote the customer was shown; without one, a quote at the rate in force is made
    /// and used at once.
    pub quote: Option<QuoteId>,
    pub key: IdempotencyKey,
    pub memo: Option<Memo>,
    /// The customer's identification: needed above 1,000.00 USD (`ctr::exchange_id_line`),
    /// recorded with the cash paid in, and summed by document in the large-cash report.
    pub id: Option<IdDocument>,
}

/// Both legs of an exchange, and the quote they used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeResult {
    pub quote: QuoteView,
    /// In the currency paid: the payer (an account, or the teller's drawer) to the position.
    pub paid: MoneyResult,
    /// In the currency received: the position to the payee (an account, or the drawer).
    pub received: MoneyResult,
    pub replayed: bool,
    /// The cash paid in took the drawer above its limit: the next cash-in needs a drop first.
    pub drawer_over_limit: bool,
}

/// The accounts of an exchange's two currencies (`lock` of each), locked in the order of the
/// currencies' codes: every exchange takes its drawers, and its positions, in one order, so two
/// never wait for each other. Returned as (the currency paid's, the currency received's).
fn lock_by_code(
    conn: &mut Connection,
    pay: Currency,
    get: Currency,
    mut lock: impl FnMut(&mut Connection, Currency) -> BankResult<accounts::AccountRow>,
) -> BankResult<(accounts::AccountRow, accounts::AccountRow)> {
    if pay.as_str() < get.as_str() {
        let paid = lock(conn, pay)?;
        Ok((paid, lock(conn, get)?))
    } else {
        let received = lock(conn, get)?;
        Ok((lock(conn, pay)?, received))
    }
}

/// A quote that fits an exchange of `pays` of `pay` into `get`.
fn check_fit(quote: &fx::QuoteRow, pay: Currency, pays: Amount, get: Currency) -> BankResult<()> {
    if (quote.from_currency, quote.to_currency) != (pay, get) || quote.from_amount != pays.value() {
        return Err(BankError::QuoteMismatch(format!(
            "quote {} turns {} {} into {}; this exchange pays {} {} for {}",
            quote.id,
            format_money_in(quote.from_amount, quote.from_currency),
            quote.from_currency,
            quote.to_currency,
            format_money_in(pays.value(), pay),
            pay,
            get
        )));
    }
    Ok(())
}

impl Fx<'_> {
    /// Money from an account in one currency to an account in another at a quote: the payer's
    /// account pays the quote's amount to the position of its currency, the position of the
    /// other currency pays the quote's other amount to the payee; both legs in one transaction.
    /// Above the approval limit (the value in the base currency) a member of staff needs a
    /// supervisor, as for a transfer.
    pub fn transfer(
        &mut self,
        actor: &Actor,
        request: &ExchangeTransfer,
        approval: Option<&Approval>,
    ) -> BankResult<ExchangeResult> {
        let t = &request.transfer;
        let action = AuditAction::Exchange;
        let subject = t.from.as_str();
        if t.from == t.to {
            return self
                .bank
                .refused(actor, action, Some(subject), BankError::SameAccount);
        }
        if let Some(Approval::Request(_)) = approval {
            let e = BankError::ApprovalRefused(
                "a sent request approves an operation in one currency; for an exchange the supervisor types their password",
            );
            return self.bank.refused(actor, action, Some(subject), e);
        }
        let digest = ApprovalOperation::Transfer(t.clone()).digest();
        let check = ApprovalCheck {
            action,
            subject,
            // In the paying account's currency: the check weighs it (and the day's earlier
            // payments) in the base currency at the mid rate; without a rate a supervisor decides.
            amount: t.amount,
            currency: None,
            limited: true,
            paying: Some(&t.from),
            digest: Some(&digest),
        };
        let granted = self.bank.approval(actor, &check, approval)?;
        let approved_by = granted.by;
        let stamp = self.bank.stamp(actor);
        let second_key = t.key.second_leg();
        let result = self.bank.in_transaction(|conn| {
            let quote = usable_quote(conn, request.quote, actor)?;
            let rows = accounts::lock(conn, &[account_id(&t.from), account_id(&t.to)])?;
            let find = |number| {
                rows.iter()
                    .find(|row| row.id == account_id(number) && row.owner_id.is_some())
                    .ok_or_else(|| account_not_found(number))
            };
            let (from, to) = (find(&t.from)?, find(&t.to)?);
            // Someone else's account is "not found", as for a transfer.
            if !may_use_account(actor, from.owner_id) {
                return Err(account_not_found(&t.from));
            }
            ensure_open(from)?;
            ensure_open(to)?;
            if from.currency == to.currency {
                return Err(BankError::QuoteMismatch(format!(
                    "both accounts hold {}: a transfer in one currency needs no quote",
                    from.currency
                )));
            }
            check_fit(&quote, from.currency, t.amount, to.currency)?;
            t.amount.fits(from.currency)?;
            let (pay_position, get_position) =
                lock_by_code(conn, from.currency, to.currency, lock_position)?;
            let paid = Posting {
                kind: MovementKind::Exchange,
                key: &t.key,
                amount: quote.from_amount,
                memo: t.memo.as_ref().map(|m| m.as_str()),
                stamp: &stamp,
                approved_by: approved_by.as_deref(),
                session_id: None,
                reverses: None,
            };
            let paid_result = paid.post(conn, from, &pay_position)?;
            let received = Posting {
                key: &second_key,
                amount: quote.to_amount,
                ..paid
            };
            let received_result = received.post(conn, &get_position, to)?;
            used(
                conn,
                &quote,
                &t.key,
                &stamp.actor,
                paid_result,
                received_result,
            )
        });
        let same = |paid: &movements::MovementRow, received: &movements::MovementRow| {
            paid.debit_account_id == account_id(&t.from)
                && received.credit_account_id == account_id(&t.to)
                && paid.drawer_session_id.is_none()
        };
        let replay = Replay {
            key: &t.key,
            subject,
            amount: t.amount,
            memo: t.memo.as_ref(),
        };
        let mut done = self.settle(actor, &replay, same, result)?;
        if actor.role() == Some(Role::Customer) {
            // A customer is told their own balance only, never the payee's.
            done.received
                .balances
                .retain(|(number, _)| *number == t.from);
        }
        Ok(done)
    }

    /// Cash for cash at the counter: the teller's drawer in `pay` takes the customer's cash
    /// (to the position of `pay`) and the drawer in `get` pays out the quote's amount (from the
    /// position of `get`). Both drawers must be open. The cash paid in counts against the
    /// drawer's limit (a deposit's rule); above the large-cash line (its value in the base
    /// currency) an exchange is refused: the customer's ID is recorded with a deposit to an
    /// account, which an exchange at the counter does not have yet.
    pub fn exchange_cash(
        &mut self,
        actor: &Actor,
        request: &CashExchange,
        approval: Option<&Approval>,
    ) -> BankResult<ExchangeResult> {
        let action = AuditAction::Exchange;
        let subject = format!("{}/{}", request.pay, request.get);
        let Some(user) = actor.user().filter(|_| actor.is_staff()).cloned() else {
            let e = BankError::Forbidden("exchange cash at the counter");
            return self.bank.refused(actor, action, Some(&subject), e);
        };
        // Cash is weighed in the base currency (the drawer limit, the large-cash line): without
        // a rate to it, no exchange at the counter.
        // The cash paid in at the mid rate (never the quote's payout, which is less by the
        // margin).
        let value = match value_at_mid(&mut self.bank.conn, request.pay, request.pays.value()) {
            Ok(Some(value)) => value,
            Ok(None) => {
                let e = BankError::NoRate {
                    pay: request.pay,
                    get: BASE_CURRENCY,
                };
                return self.bank.refused(actor, action, Some(&subject), e);
            }
            Err(e) => return self.bank.refused(actor, action, Some(&subject), e),
        };
        // The same exchange is this teller's, cash for cash through their drawers.
        let teller = actor.audit_name();
        let same = |paid: &movements::MovementRow, received: &movements::MovementRow| {
            paid.currency == request.pay
                && received.currency == request.get
                && paid.actor == teller
                && paid.drawer_session_id.is_some()
                && received.drawer_session_id.is_some()
        };
        let replay = Replay {
            key: &request.key,
            subject: &subject,
            amount: request.pays,
            memo: request.memo.as_ref(),
        };
        if value > exchange_id_line() && request.id.is_none() {
            let e = BankError::IdRequired(format!(
                "An exchange worth more than {} {BASE_CURRENCY} in cash records the customer's ID",
                format_money_grouped(exchange_id_line())
            ));
            // A resend of an exchange already done (with its ID) is its replay.
            return self.settle(actor, &replay, same, Err(e));
        }
        let approved_by = match approval {
            Some(approval) => Some(
                self.bank
                    .verify_approval(actor, action, &subject, approval)?,
            ),
            None => None,
        };
        let stamp = self.bank.stamp(actor);
        let drawer_limit = self.bank.config.drawer_limit;
        let second_key = request.key.second_leg();
        let result = self.bank.in_transaction(|conn| {
            // A drawer pays out in its smallest banknote or coin.
            let unit = cash_unit(conn, request.get)?;
            let quote = match request.quote {
                Some(id) => {
                    let quote = usable_quote(conn, id, actor)?;
                    check_fit(&quote, request.pay, request.pays, request.get)?;
                    if !(quote.to_amount / unit).fract().is_zero() {
                        return Err(BankError::QuoteMismatch(format!(
                            "quote {} pays {} {}, which a drawer cannot pay in {} banknotes and coins: ask for a quote for cash",
                            quote.id,
                            format_money_in(quote.to_amount, quote.to_currency),
                            quote.to_currency,
                            quote.to_currency
                        )));
                    }
                    quote
                }
                None => {
                    let (made, _rate) = new_quote(
                        conn,
                        &stamp.actor,
                        &stamp.device,
                        request.pay,
                        request.get,
                        request.pays,
                        Some(unit),
                    )?;
                    made
                }
            };
            request.pays.fits(request.pay)?;
            let (pay_drawer, get_drawer) =
                lock_by_code(conn, request.pay, request.get, |conn, currency| {
                    lock_drawer(conn, actor, currency.as_str())
                })?;
            let session =
                |conn: &mut Connection, currency: Currency, drawer: &accounts::AccountRow| {
                    drawer_sessions::lock_open_in(conn, user.id, currency.as_str())?
                        .filter(|s| s.drawer_account_id == drawer.id)
                        .ok_or_else(|| BankError::DrawerClosed(currency.to_string()))
                };
            let pay_session = session(conn, request.pay, &pay_drawer)?;
            let get_session = session(conn, request.get, &get_drawer)?;
            // The cash paid in, against the drawer's limit, as a deposit's.
            let over_limit = cash_in_against_limit(
                conn,
                &pay_session,
                pay_drawer.id,
                drawer_limit,
                quote.from_amount,
                approved_by.is_some(),
            )?;
            let (pay_position, get_position) =
                lock_by_code(conn, request.pay, request.get, lock_position)?;
            let paid = Posting {
                kind: MovementKind::Exchange,
                key: &request.key,
                amount: quote.from_amount,
                memo: request.memo.as_ref().map(|m| m.as_str()),
                stamp: &stamp,
                approved_by: approved_by.as_deref(),
                session_id: Some(pay_session.id),
                reverses: None,
            };
            let paid_result = paid.post(conn, &pay_drawer, &pay_position)?;
            if let Some(id) = &request.id {
                record_id(conn, paid_result.id, None, id, &stamp.actor)?;
            }
            let received = Posting {
                key: &second_key,
                amount: quote.to_amount,
                session_id: Some(get_session.id),
                ..paid
            };
            let received_result = received.post(conn, &get_position, &get_drawer)?;
            let mut done = used(
                conn,
                &quote,
                &request.key,
                &stamp.actor,
                paid_result,
                received_result,
            )?;
            done.drawer_over_limit = over_limit;
            Ok(done)
        });
        self.settle(actor, &replay, same, result)
    }

    /// Turns a failed exchange into its answer: the original when its key was used by the same
    /// exchange, a conflict when by another operation, else the refusal.
    fn settle(
        &mut self,
        actor: &Actor,
        replay: &Replay<'_>,
        same: impl Fn(&movements::MovementRow, &movements::MovementRow) -> bool,
        result: BankResult<ExchangeResult>,
    ) -> BankResult<ExchangeResult> {
        let action = AuditAction::Exchange;
        let subject = replay.subject;
        let error = match result {
            Ok(done) => return Ok(done),
            Err(e @ (BankError::Forbidden(_) | BankError::NotFound(_))) => {
                return self.bank.refused(actor, action, Some(subject), e)
            }
            Err(e) if !e.is_refusal() => return Err(e),
            Err(e) => e,
        };
        let conn = &mut self.bank.conn;
        let first = movements::find_by_key(conn, replay.key.as_str())?;
        let second = movements::find_by_key(conn, replay.key.second_leg().as_str())?;
        let used = fx::quote_used_by(conn, replay.key.as_str())?;
        match (first, second, used) {
            (Some(paid), Some(received), Some(quote))
                if paid.kind == MovementKind::Exchange
                    && paid.amount == replay.amount.value()
                    && Fingerprint::of_row(&paid).memo
                        == replay.memo.map(|m| m.as_str().to_string())
                    && same(&paid, &received) =>
            {
                let rate = fx::rate(conn, quote.rate_id)?;
                self.bank.confirm_held()?;
                let detail = format!("key {} replayed, reference {}", replay.key, paid.id);
                self.bank.record(
                    &actor.audit_name(),
                    action,
                    Some(subject),
                    crate::domain::AuditOutcome::Replayed,
                    Some(&detail),
                )?;
                Ok(ExchangeResult {
                    quote: quote_view(&quote, &rate),
                    paid: result_of(&paid, true),
                    received: result_of(&received, true),
                    replayed: true,
                    drawer_over_limit: false,
                })
            }
            (Some(_), _, _) => self.bank.refused(
                actor,
                action,
                Some(subject),
                BankError::IdempotencyConflict(replay.key.to_string()),
            ),
            _ => self.bank.refused(actor, action, Some(subject), error),
        }
    }
}

/// What makes a resubmitted exchange "the same exchange": its key, amount, memo and (`same`)
/// accounts. Not its quote: a resend after a lost answer may name a newer quote (an app asks
/// for one once the first ran out), and the exchange done at the first one is the answer.
struct Replay<'a> {
    key: &'a IdempotencyKey,
    subject: &'a str,
    amount: Amount,
    memo: Option<&'a Memo>,
}

/// Marks the quote used by the exchange with `key` and builds the answer.
fn used(
    conn: &mut Connection,
    quote: &fx::QuoteRow,
    key: &IdempotencyKey,
    by: &str,
    paid: MoneyResult,
    received: MoneyResult,
) -> BankResult<ExchangeResult> {
    if !fx::mark_used(conn, quote.id, key.as_str(), by, now())? {
        return Err(BankError::QuoteUsed(quote.id));
    }
    let rate = fx::rate(conn, quote.rate_id)?;
    let mut view = quote_view(quote, &rate);
    view.used = true;
    Ok(ExchangeResult {
        quote: view,
        paid,
        received,
        replayed: false,
        drawer_over_limit: false,
    })
}
