//! The fake bank's exchange rates: kept as the screens set them (the bank's checks, such as
//! who may set one, are the real bank's; a test scripts a refusal).

use rust_decimal::Decimal;

use crate::domain::{
    convert, default_denominations, parse_denominations, Currency, MovementKind, QuoteId, Side,
};
use crate::services::{BankError, BankResult};
use crate::services::{CurrencyView, ExchangeResult, MoneyResult, Party, QuoteView, RateView};
use crate::tui::testing::fixtures::fixed_wall;
use crate::tui::worker::{Job, ReplyBody};

use super::FakeBank;

impl FakeBank {
    /// The answer to a rates job; any other job comes back.
    pub(super) fn fx_answer(&mut self, job: Job) -> Result<ReplyBody, Box<Job>> {
        Ok(match job {
            Job::Rates { .. } => ReplyBody::Rates(Ok(self.rates.clone())),
            Job::SetRate { actor, pair } => {
                for old in self
                    .rates
                    .iter_mut()
                    .filter(|r| (r.base, r.quote) == (pair.base, pair.quote))
                {
                    old.in_force = false;
                }
                let view = RateView {
                    id: 1 + i64::try_from(self.rates.len()).unwrap_or(0),
                    base: pair.base,
                    quote: pair.quote,
                    buy: pair.buy.value(),
                    sell: pair.sell.value(),
                    valid_from: fixed_wall(),
                    valid_until: None,
                    set_by: actor.audit_name(),
                    set_at: fixed_wall(),
                    in_force: true,
                };
                self.rates.insert(0, view.clone());
                ReplyBody::RateSet(Ok(view))
            }
            Job::Currencies { .. } => {
                ReplyBody::Currencies(Ok([Currency::USD, Currency::EUR, Currency::JPY]
                    .into_iter()
                    .map(|code| CurrencyView {
                        code,
                        name: code.name(),
                        decimals: code.decimals(),
                        denominations: parse_denominations(default_denominations(code), code)
                            .unwrap_or_default(),
                        added_by: "migration".into(),
                        added_at: fixed_wall(),
                    })
                    .collect()))
            }
            Job::CashQuote { pay, get, pays, .. } => {
                ReplyBody::Quote(self.quote(pay, get, pays.value()))
            }
            Job::TransferQuote { pay, get, pays, .. } => {
                ReplyBody::Quote(self.quote(pay, get, pays.value()))
            }
            Job::ExchangeCash {
                request, approval, ..
            } => {
                if let Some(Err(e)) = approval.as_ref().map(|a| self.approve(a)) {
                    return Ok(ReplyBody::Exchanged(Err(e)));
                }
                let Some(quote) = self.use_quote(request.quote) else {
                    return Ok(ReplyBody::Exchanged(Err(BankError::NotFound(
                        "Quote".into(),
                    ))));
                };
                self.exchange_requests.push(request.clone());
                let done = ExchangeResult {
                    paid: leg(501, request.key.to_string(), &quote, true),
                    received: leg(502, request.key.second_leg().to_string(), &quote, false),
                    quote,
                    replayed: false,
                    drawer_over_limit: false,
                };
                self.exchanges.push(done.clone());
                ReplyBody::Exchanged(Ok(done))
            }
            Job::ExchangeTransfer { request, .. } => {
                let t = &request.transfer;
                let Some(quote) = self.use_quote(Some(request.quote)) else {
                    return Ok(ReplyBody::Exchanged(Err(BankError::NotFound(
                        "Quote".into(),
                    ))));
                };
                let mut paid = leg(601, t.key.to_string(), &quote, true);
                paid.from = Party::Account(t.from.clone());
                if let Some(account) = self.accounts.iter_mut().find(|a| a.number == t.from) {
                    account.balance -= quote.pays;
                    paid.balances = vec![(t.from.clone(), account.balance)];
                }
                let mut received = leg(602, t.key.second_leg().to_string(), &quote, false);
                received.to = Party::Account(t.to.clone());
                let done = ExchangeResult {
                    paid,
                    received,
                    quote,
                    replayed: false,
                    drawer_over_limit: false,
                };
                self.exchanges.push(done.clone());
                ReplyBody::Exchanged(Ok(done))
            }
            other => return Err(Box::new(other)),
        })
    }

    /// The quote given under `id`, now used.
    fn use_quote(&mut self, id: Option<QuoteId>) -> Option<QuoteView> {
        let quote = self.quotes.iter_mut().find(|q| Some(q.id) == id)?;
        quote.used = true;
        Some(quote.clone())
    }

    /// A quote at the rate kept for the pair (either order); the bank's arithmetic is the
    /// domain's, so the fake uses it too.
    fn quote(&mut self, pay: Currency, get: Currency, pays: Decimal) -> BankResult<QuoteView> {
        let rate = self
            .rates
            .iter()
            .find(|r| {
                r.in_force && ((r.base, r.quote) == (pay, get) || (r.base, r.quote) == (get, pay))
            })
            .cloned()
            .ok_or(BankError::NoRate { pay, get })?;
        let (side, used) = if rate.base == pay {
            (Side::Buy, rate.buy)
        } else {
            (Side::Sell, rate.sell)
        };
        let view = QuoteView {
            id: QuoteId::from_stored(70 + i64::try_from(self.quotes.len()).unwrap_or(0)),
            pay,
            get,
            pays,
            gets: convert(pays, side, used, get),
            rate: used,
            side,
            base: rate.base,
            quote: rate.quote,
            rate_id: rate.id,
            margin: Decimal::ZERO,
            expires_at: self.wall + chrono::Duration::seconds(60),
            used: false,
        };
        self.quotes.push(view.clone());
        Ok(view)
    }
}

/// One leg of an exchange at `quote`: the amount paid in (cash to the position) or the amount
/// paid out (the position to cash); a transfer names its accounts instead.
fn leg(id: i64, key: String, quote: &QuoteView, paid_in: bool) -> MoneyResult {
    let (amount, currency, from, to) = if paid_in {
        (quote.pays, quote.pay, Party::Cash, Party::Exchange)
    } else {
        (quote.gets, quote.get, Party::Exchange, Party::Cash)
    };
    MoneyResult {
        id,
        key,
        kind: MovementKind::Exchange,
        amount,
        currency,
        from,
        to,
        balances: Vec::new(),
        memo: None,
        at: fixed_wall(),
        replayed: false,
        device: "till-1".into(),
        drawer_over_limit: false,
    }
}
