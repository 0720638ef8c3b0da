//! Cash for cash at the counter, and drawers and vaults in several currencies: each currency's
//! drawer opened, counted and closed blind on its own, the vault counted per currency.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use teller::domain::{Amount, CashCount, Currency, QuoteId, Rate, RatePair, Role};
use teller::services::{Actor, Bank, CashExchange, ExchangeResult, VaultTransfer};

const EUR_VAULT: &str = "500x100 200x100 100x100 50x100 20x100 10x100 5x100 2x100 1x100 0.5x100 0.2x100 0.1x100 0.05x100 0.02x100 0.01x100";

/// Today's USD and EUR vaults, the USD/EUR rates, and a teller with a drawer open in each
/// currency (floats of 1,000.00 and 500.00).
fn counter(bank: &mut Bank) -> (Actor, Actor) {
    let supervisor = ensure_vault(bank);
    bank.desk()
        .open_vault(&supervisor, Currency::EUR, &cash_count(EUR_VAULT))
        .expect("EUR vault");
    set_rate(
        bank,
        &supervisor,
        Currency::USD,
        Currency::EUR,
        "0.90",
        "0.94",
    );
    let teller = user(bank, "tess@example.com", Role::Teller);
    open_drawer(bank, &teller, "100x10").expect("USD drawer");
    bank.desk()
        .open_drawer(
            &teller,
            Currency::EUR,
            &cash_count("100x5"),
            Some(&supervisor_approval()),
        )
        .expect("EUR drawer");
    (supervisor, teller)
}

fn exchange(pay: Currency, raw: &str, get: Currency, quote: Option<QuoteId>) -> CashExchange {
    CashExchange {
        pay,
        pays: Amount::parse_any(raw).unwrap(),
        get,
        quote,
        key: key(),
        memo: None,
        id: None,
    }
}

fn drawer_in(bank: &mut Bank, teller: &Actor, currency: Currency) -> i64 {
    bank.desk()
        .drawers(teller)
        .unwrap()
        .into_iter()
        .find(|d| d.currency == currency)
        .map(|d| d.session_id)
        .expect("an open drawer in the currency")
}

#[test]
fn cash_for_cash_through_two_drawers_each_closed_and_counted_on_its_own() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (supervisor, teller) = counter(&mut bank);
    // One drawer per currency: a second EUR drawer is refused.
    let again = bank.desk().open_drawer(
        &teller,
        Currency::EUR,
        &cash_count("0"),
        Some(&supervisor_approval()),
    );
    assert_eq!(code(again), "drawer_already_open");

    // 500 euros in, 531.91 dollars out (500 / 0.94, rounded down), at the rate in force.
    let request = exchange(Currency::EUR, "500", Currency::USD, None);
    let done: ExchangeResult = bank
        .fx()
        .exchange_cash(&teller, &request, None)
        .expect("EUR to USD");
    assert_eq!(
        (done.paid.amount, done.received.amount),
        (money("500.00"), money("531.91"))
    );
    assert_eq!(done.paid.to.to_string(), "exchange");
    assert_eq!(done.received.from.to_string(), "exchange");
    // Resubmitted with its key: the same legs, nothing moved twice.
    let replay = bank
        .fx()
        .exchange_cash(&teller, &request, None)
        .expect("replay");
    assert!(replay.replayed);
    assert_eq!(replay.received.id, done.received.id);
    // 100 dollars in at a quote the customer was shown: 90 euros out.
    let q = bank
        .fx()
        .quote(&teller, Currency::USD, Currency::EUR, amount("100"), true)
        .unwrap();
    bank.fx()
        .exchange_cash(
            &teller,
            &exchange(Currency::USD, "100", Currency::EUR, Some(q.id)),
            None,
        )
        .expect("USD to EUR");

    // With two drawers open, a drop names its currency; a EUR count holds euro pieces only.
    let drop = cash_count("100x1");
    assert_eq!(
        code(bank.desk().move_drawer_cash(
            &teller,
            VaultTransfer::Drop,
            &drop,
            &supervisor_approval(),
            &key(),
            None
        )),
        "invalid_currency"
    );
    let quarter = CashCount::parse("0.25x4").unwrap();
    assert_eq!(
        code(bank.desk().move_drawer_cash(
            &teller,
            VaultTransfer::Drop,
            &quarter,
            &supervisor_approval(),
            &key(),
            Some(Currency::EUR)
        )),
        "invalid_cash_count"
    );
    bank.desk()
        .move_drawer_cash(
            &teller,
            VaultTransfer::Drop,
            &drop,
            &supervisor_approval(),
            &key(),
            Some(Currency::EUR),
        )
        .expect("EUR drop");

    // Blind closes, one per currency. USD: 1,000.00 + 100.00 - 531.91 = 568.09, counted so.
    let usd = drawer_in(&mut bank, &teller, Currency::USD);
    let closed = bank
        .desk()
        .close_drawer(
            &teller,
            usd,
            &cash_count("100x5 50x1 10x1 5x1 2x1 1x1 0.05x1 0.01x4"),
        )
        .expect("USD close");
    assert_eq!(closed.expected, Some(money("568.09")));
    assert_eq!(closed.over_short, Some(money("0")));
    // EUR: 500.00 + 500.00 - 90.00 - 100.00 (the drop) = 810.00, counted 0.20 short.
    let eur = drawer_in(&mut bank, &teller, Currency::EUR);
    let closed = bank
        .desk()
        .close_drawer(
            &teller,
            eur,
            &cash_count("500x1 200x1 100x1 5x1 2x2 0.5x1 0.2x1 0.1x1"),
        )
        .expect("EUR close");
    assert_eq!(closed.expected, Some(money("810.00")));
    assert_eq!(closed.over_short, Some(money("-0.20")));
    assert!(bank.desk().drawers(&teller).unwrap().is_empty());

    // Each vault counted on its own, blind, to what its book holds.
    for currency in [Currency::USD, Currency::EUR] {
        let vault = bank.desk().vault(&supervisor, currency).unwrap().unwrap();
        let holdings = cash_count(&vault.holdings);
        let counted = bank
            .desk()
            .count_vault(&supervisor, currency, &holdings)
            .expect("vault count");
        assert_eq!(counted.currency, currency);
    }
    assert_audit_ok_as(&mut bank, &supervisor);

    // End of day: each currency's position, its average rates against the dollar and what the
    // exchanges earned, in dollars (11.57 on the euros sold at 0.94, 2.00 euros = 2.17 dollars
    // on those bought at 0.90).
    let report = bank
        .desk()
        .end_of_day(&supervisor, None)
        .expect("end of day");
    let euro = report
        .positions
        .iter()
        .find(|p| p.currency == Currency::EUR)
        .expect("EUR position");
    assert_eq!(
        (euro.exchanges, euro.bought, euro.sold),
        (2, money("500.00"), money("90.00"))
    );
    assert_eq!(euro.average_buy_rate, Some(money("0.940009")));
    assert_eq!(euro.average_sell_rate, Some(money("0.9")));
    assert_eq!(euro.result, money("13.74"));
    let dollar = report
        .positions
        .iter()
        .find(|p| p.currency == Currency::USD)
        .expect("USD position");
    assert_eq!(
        (dollar.bought, dollar.sold, dollar.result),
        (money("100.00"), money("531.91"), money("0"))
    );
    let lines = teller::day_report::eod_lines(&report).join("\n");
    assert!(lines.contains("EXCHANGE POSITIONS"), "{lines}");
    assert!(
        lines.contains("EUR     2 exchanges  bought         500.00"),
        "{lines}"
    );
}

#[test]
fn the_drawer_limit_and_the_large_cash_line_weigh_an_exchange_in_dollars() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (supervisor, teller) = counter(&mut bank);
    bank.desk()
        .set_drawer_limit(
            &supervisor,
            &email("tess@example.com"),
            Some(amount("1000.00")),
        )
        .unwrap();
    // The USD drawer holds 1,000.00, at its limit: 100 dollars more is warned.
    let done = bank
        .fx()
        .exchange_cash(
            &teller,
            &exchange(Currency::USD, "100", Currency::EUR, None),
            None,
        )
        .expect("at the limit");
    assert!(done.drawer_over_limit);
    // Now above it: the next cash in needs a supervisor.
    let refused = bank.fx().exchange_cash(
        &teller,
        &exchange(Currency::USD, "10", Currency::EUR, None),
        None,
    );
    assert_eq!(code(refused), "approval_required");
    bank.fx()
        .exchange_cash(
            &teller,
            &exchange(Currency::USD, "10", Currency::EUR, None),
            Some(&supervisor_approval()),
        )
        .expect("approved");

    // 1,000 euros are worth more than 1,000 dollars: the customer's ID is asked for.
    let large = bank.fx().exchange_cash(
        &teller,
        &exchange(Currency::EUR, "1000", Currency::USD, None),
        None,
    );
    assert_eq!(code(large), "id_required");
    // A currency whose drawer is not open.
    let other = user(&mut bank, "otto@example.com", Role::Teller);
    open_drawer(&mut bank, &other, "100x1").unwrap();
    let closed = bank.fx().exchange_cash(
        &other,
        &exchange(Currency::USD, "10", Currency::EUR, None),
        None,
    );
    assert_eq!(code(closed), "drawer_closed");
    // Customers do not exchange cash.
    let (customer, _) = customer_with_account(&mut bank, "c@example.com", "0");
    let forbidden = bank.fx().exchange_cash(
        &customer,
        &exchange(Currency::USD, "10", Currency::EUR, None),
        None,
    );
    assert_eq!(code(forbidden), "forbidden");
    assert_audit_ok_as(&mut bank, &supervisor);
}

#[test]
fn cash_is_paid_out_in_the_smallest_coin_the_drawer_has() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (supervisor, teller) = counter(&mut bank);
    bank.fx()
        .add_currency(
            &supervisor,
            Currency::parse("NZD").unwrap(),
            Some("100 50 20 10 5 2 1 0.50 0.20 0.10"),
        )
        .expect("NZD, whose smallest coin is 0.10");
    bank.desk()
        .open_vault(
            &supervisor,
            Currency::parse("NZD").unwrap(),
            &cash_count("100x100 0.1x100"),
        )
        .expect("NZD vault");
    let nzd = Currency::parse("NZD").unwrap();
    let pair = RatePair::new(
        Currency::USD,
        nzd,
        Rate::parse("1.6666").unwrap(),
        Rate::parse("1.7").unwrap(),
    )
    .unwrap();
    bank.fx().set_rate(&supervisor, &pair, None, None).unwrap();
    bank.desk()
        .open_drawer(
            &teller,
            nzd,
            &cash_count("100x5"),
            Some(&supervisor_approval()),
        )
        .expect("NZD drawer");
    // 10.01 dollars at 1.6666: 16.682666 NZD; a drawer pays 16.60, not 16.68.
    let done = bank
        .fx()
        .exchange_cash(&teller, &exchange(Currency::USD, "10.01", nzd, None), None)
        .expect("USD to NZD cash");
    assert_eq!(done.received.amount, money("16.60"));
    // A quote for an account (16.68) cannot be paid from a drawer.
    let for_account = bank
        .fx()
        .quote(&teller, Currency::USD, nzd, amount("10.01"), false)
        .unwrap();
    assert_eq!(for_account.gets, money("16.68"));
    let refused = bank.fx().exchange_cash(
        &teller,
        &exchange(Currency::USD, "10.01", nzd, Some(for_account.id)),
        None,
    );
    assert_eq!(code(refused), "quote_mismatch");
    // Cash in cents only: a currency listed with a smaller coin is refused at adding.
    assert_eq!(
        code(
            bank.fx()
                .add_currency(&supervisor, Currency::KWD, Some("1 0.005"))
        ),
        "invalid_cash_count"
    );
    assert_audit_ok_as(&mut bank, &supervisor);
}

#[test]
fn a_cash_exchange_never_replays_another_s_exchange() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, teller) = counter(&mut bank);
    let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "100.00");
    let eur = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let q = bank
        .fx()
        .quote(&alex, Currency::USD, Currency::EUR, amount("10"), false)
        .unwrap();
    let mut transfer = transfer_request(&usd, &eur, "10");
    transfer.key = teller::domain::IdempotencyKey::parse("shared-key").unwrap();
    bank.fx()
        .transfer(
            &alex,
            &teller::services::ExchangeTransfer {
                transfer,
                quote: q.id,
            },
            None,
        )
        .expect("the customer's exchange");
    // The same key, amount and currencies at the counter: not a replay of the customer's.
    let mut at_counter = exchange(Currency::USD, "10", Currency::EUR, None);
    at_counter.key = teller::domain::IdempotencyKey::parse("shared-key").unwrap();
    let answer = bank.fx().exchange_cash(&teller, &at_counter, None);
    assert_eq!(code(answer), "idempotency_conflict");
}

#[test]
fn a_walk_in_s_id_is_recorded_above_a_thousand_dollars_and_their_day_summed_for_the_report() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (supervisor, _) = counter(&mut bank);
    // A second teller with room for large exchanges: 10,000.00 in each drawer.
    let teller = user(&mut bank, "walt@example.com", Role::Teller);
    open_drawer(&mut bank, &teller, "100x100").expect("USD drawer");
    bank.desk()
        .open_drawer(
            &teller,
            Currency::EUR,
            &cash_count("500x20"),
            Some(&supervisor_approval()),
        )
        .expect("EUR drawer");
    let passport = fixture_passport();
    let with_id = |raw: &str| CashExchange {
        id: Some(passport.clone()),
        ..exchange(Currency::USD, raw, Currency::EUR, None)
    };

    // 1,000.00 dollars need no ID; 1,000.01 do.
    bank.fx()
        .exchange_cash(
            &teller,
            &exchange(Currency::USD, "1000", Currency::EUR, None),
            None,
        )
        .expect("at the line");
    let asked = bank.fx().exchange_cash(
        &teller,
        &exchange(Currency::USD, "1000.01", Currency::EUR, None),
        None,
    );
    assert_eq!(code(asked), "id_required");
    // Three exchanges of 4,000 dollars with the same passport: each under the large-cash
    // line, 12,000 in the day.
    let mut firsts = Vec::new();
    let mut sent = Vec::new();
    for _ in 0..3 {
        let request = with_id("4000");
        let done = bank
            .fx()
            .exchange_cash(&teller, &request, Some(&supervisor_approval()))
            .expect("with the ID");
        firsts.push(done.paid.id);
        sent.push(request);
    }
    // A resend of one of them without the ID (a script's retry) is its replay, not a refusal.
    let retry = CashExchange {
        id: None,
        ..sent[0].clone()
    };
    let replayed = bank
        .fx()
        .exchange_cash(&teller, &retry, None)
        .expect("the replay");
    assert!(replayed.replayed);
    assert_eq!(replayed.paid.id, firsts[0]);
    use diesel::prelude::*;
    use teller::db::schema::cash_ids;
    let recorded: Vec<(i64, Option<i64>, String)> = cash_ids::table
        .filter(cash_ids::movement_id.eq_any(&firsts))
        .select((
            cash_ids::movement_id,
            cash_ids::customer_id,
            cash_ids::id_number,
        ))
        .load(bank.connection())
        .unwrap();
    assert_eq!(recorded.len(), 3, "the ID with each first leg");
    assert!(recorded
        .iter()
        .all(|(_, customer, number)| customer.is_none() && number == "FIXTURE1"));

    let today = chrono::Utc::now().date_naive();
    let report = bank.desk().ctr_report(&supervisor, today).unwrap();
    let walk_in = report
        .customers
        .iter()
        .find(|c| c.email == "walk-in")
        .expect("the walk-in is reportable");
    assert_eq!(walk_in.cash_in, money("12000.00"));
    assert_eq!(walk_in.deposits, 3);
    assert!(walk_in.possible_structuring, "{walk_in:?}");
    assert!(
        walk_in.name.contains("passport FIXTURE1 (US"),
        "{walk_in:?}"
    );
    // A teller sees the number masked.
    let masked = bank.desk().ctr_report(&teller, today).unwrap();
    let walk_in = masked
        .customers
        .iter()
        .find(|c| c.email == "walk-in")
        .unwrap();
    assert!(!walk_in.name.contains("FIXTURE1"), "{walk_in:?}");
    assert_audit_ok_as(&mut bank, &supervisor);
}
