//! Foreign currency through the services: currencies the bank trades, rates, quotes, and
//! transfers between two currencies as two linked legs through the positions.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use diesel::RunQueryDsl;
use teller::domain::{AccountNumber, Amount, Currency, QuoteId, Rate, RatePair, Role};
use teller::services::{Actor, Bank, ExchangeTransfer, MovementKind, QuoteView};

const ADMIN: &str = "fx-admin@example.com";

/// A bank trading JPY and KWD besides the defaults, with rates from USD to EUR, JPY and KWD.
fn fx_bank(bank: &mut Bank) -> Actor {
    let admin = user(bank, ADMIN, Role::Admin);
    for currency in [Currency::JPY, Currency::KWD] {
        bank.fx().add_currency(&admin, currency, None).expect("add");
    }
    for (quote, buy, sell) in [
        (Currency::EUR, "0.90", "0.94"),
        (Currency::JPY, "149.5", "151.5"),
        (Currency::KWD, "0.30712", "0.30901"),
    ] {
        set_rate(bank, &admin, Currency::USD, quote, buy, sell);
    }
    admin
}

fn quote(bank: &mut Bank, actor: &Actor, pay: Currency, get: Currency, raw: &str) -> QuoteView {
    let pays = Amount::parse_any(raw).unwrap();
    bank.fx()
        .quote(actor, pay, get, pays, false)
        .expect("quote")
}

fn exchange(
    from: &AccountNumber,
    to: &AccountNumber,
    raw: &str,
    quote: QuoteId,
) -> ExchangeTransfer {
    ExchangeTransfer {
        transfer: teller::services::TransferRequest {
            amount: Amount::parse_any(raw).unwrap(),
            ..transfer_request(from, to, "1")
        },
        quote,
    }
}

fn exchange_movements(bank: &mut Bank) -> i64 {
    use diesel::dsl::count_star;
    use diesel::prelude::*;
    use teller::db::schema::movements;
    movements::table
        .filter(movements::kind.eq("exchange"))
        .select(count_star())
        .first(bank.connection())
        .unwrap()
}

#[test]
fn yen_and_dinars_end_to_end_in_their_own_minor_units() {
    let db = TestDb::new();
    let mut bank = db.bank();
    fx_bank(&mut bank);
    let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "500.00");
    let jpy = open_account(&mut bank, "alex@example.com", Currency::JPY);
    let kwd = open_account(&mut bank, "alex@example.com", Currency::KWD);

    // 10.01 dollars at 149.5 yen: 1496.495, rounded down to 1496 yen (yen have no decimals).
    let q = quote(&mut bank, &alex, Currency::USD, Currency::JPY, "10.01");
    assert_eq!((q.pays, q.gets), (money("10.01"), money("1496")));
    let done = bank
        .fx()
        .transfer(&alex, &exchange(&usd, &jpy, "10.01", q.id), None)
        .expect("USD to JPY");
    assert_eq!(done.paid.kind, MovementKind::Exchange);
    assert_eq!(
        (done.paid.currency, done.received.currency),
        (Currency::USD, Currency::JPY)
    );
    assert_eq!(balance(&mut bank, &usd), money("489.99"));
    assert_eq!(balance(&mut bank, &jpy), money("1496"));

    // 100 dollars at 0.30712: 30.712 dinars, three decimals kept exactly.
    let q = quote(&mut bank, &alex, Currency::USD, Currency::KWD, "100");
    assert_eq!(q.gets, money("30.712"));
    bank.fx()
        .transfer(&alex, &exchange(&usd, &kwd, "100", q.id), None)
        .expect("USD to KWD");
    assert_eq!(balance(&mut bank, &kwd), money("30.712"));
    assert_eq!(balance(&mut bank, &kwd).to_string(), "30.712");

    // And back: dinars to dollars at 1 / 0.30901, rounded down to the cent.
    let q = quote(&mut bank, &alex, Currency::KWD, Currency::USD, "10.005");
    assert_eq!(q.gets, money("32.37"));
    bank.fx()
        .transfer(&alex, &exchange(&kwd, &usd, "10.005", q.id), None)
        .expect("KWD to USD");
    assert_eq!(balance(&mut bank, &kwd), money("20.707"));

    // More decimals than the currency has is invalid input, never rounded.
    let yen_cents = Amount::parse_any("1.5").unwrap();
    let err = bank
        .fx()
        .quote(&alex, Currency::JPY, Currency::USD, yen_cents, false)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_amount");
    let mut too_fine = cash(&jpy, "1");
    too_fine.amount = Amount::parse_any("0.5").unwrap();
    let err = bank
        .money()
        .deposit(&operator(), &too_fine, None)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_amount");
    assert_eq!(
        err.to_string(),
        "Amount: no decimals: JPY has no minor unit, like 1500"
    );
    assert_eq!(balance(&mut bank, &jpy), money("1496"));

    assert_eq!(exchange_movements(&mut bank), 6);

    // A statement shows the rate each exchange went at, in the pair's own order: the dinars
    // came at the bank's buy rate for dollars and went at its sell rate.
    let month = teller::domain::Month::of(done.paid.at.date_naive());
    let statement = bank.money().statement(&alex, &kwd, month).unwrap();
    let rates: Vec<String> = statement
        .lines
        .iter()
        .map(|l| {
            statement
                .rate_of(l.id)
                .map(|r| r.describe())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(rates.len(), 2);
    assert!(
        rates[0].starts_with("1 USD = 0.30712 KWD (quote "),
        "{rates:?}"
    );
    assert!(
        rates[1].starts_with("1 USD = 0.30901 KWD (quote "),
        "{rates:?}"
    );
    let statement = bank.money().statement(&alex, &usd, month).unwrap();
    let exchanged = statement
        .lines
        .iter()
        .filter(|l| l.kind == MovementKind::Exchange);
    assert_eq!(exchanged.clone().count(), 3);
    assert!(exchanged.clone().all(|l| statement.rate_of(l.id).is_some()));
    assert_eq!(
        statement
            .rate_of(statement.lines[1].id)
            .map(|r| r.describe()),
        Some(format!("1 USD = 149.5 JPY (quote {})", done.quote.id))
    );
    assert_audit_ok(&mut bank);
}

#[test]
fn a_quote_expires_between_review_and_confirm() {
    let db = TestDb::new();
    let mut bank = db.bank();
    fx_bank(&mut bank);
    let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "100.00");
    let eur = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let q = quote(&mut bank, &alex, Currency::USD, Currency::EUR, "100");
    assert_eq!(q.gets, money("90.00"));
    assert_eq!(q.margin, money("2.00"));

    // The customer reads the quote for a minute and a second before confirming.
    teller::db::clock::set_this_thread_shift(chrono::Duration::seconds(61));
    let err = bank
        .fx()
        .transfer(&alex, &exchange(&usd, &eur, "100", q.id), None)
        .unwrap_err();
    teller::db::clock::set_this_thread_shift(chrono::Duration::zero());
    assert_eq!(err.code(), "quote_expired");
    assert_eq!(balance(&mut bank, &usd), money("100.00"));
    assert_eq!(balance(&mut bank, &eur), money("0"));

    // A new quote, confirmed in time, goes through; the old one stays unusable.
    let fresh = quote(&mut bank, &alex, Currency::USD, Currency::EUR, "100");
    bank.fx()
        .transfer(&alex, &exchange(&usd, &eur, "100", fresh.id), None)
        .expect("in time");
    assert_eq!(balance(&mut bank, &eur), money("90.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn two_tellers_using_one_quote_move_money_once() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let admin = fx_bank(&mut bank);
    let (_, usd) = customer_with_account(&mut bank, "alex@example.com", "1000.00");
    let eur = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let tellers: Vec<Actor> = ["t1@example.com", "t2@example.com"]
        .iter()
        .map(|address| user(&mut bank, address, Role::Teller))
        .collect();
    let q = quote(&mut bank, &admin, Currency::USD, Currency::EUR, "100");

    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = tellers
        .into_iter()
        .map(|teller| {
            let mut bank = db.bank();
            let barrier = barrier.clone();
            // Each with a key of their own: two operations, one quote.
            let request = exchange(&usd, &eur, "100", q.id);
            std::thread::spawn(move || {
                barrier.wait();
                bank.fx()
                    .transfer(&teller, &request, None)
                    .map(|done| done.paid.id)
                    .map_err(|e| e.code())
            })
        })
        .collect();
    let outcomes: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let done = outcomes.iter().filter(|o| o.is_ok()).count();
    let used: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    assert_eq!((done, used), (1, vec![&"quote_used"]), "{outcomes:?}");
    assert_eq!(balance(&mut bank, &usd), money("900.00"));
    assert_eq!(balance(&mut bank, &eur), money("90.00"));
    assert_eq!(exchange_movements(&mut bank), 2);
    assert_audit_ok(&mut bank);
}

#[test]
fn a_failing_leg_leaves_neither_and_the_quote_unused() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let admin = fx_bank(&mut bank);
    let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "100.00");
    let frozen = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let open = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let usd_too = open_account(&mut bank, "alex@example.com", Currency::USD);
    bank.money()
        .set_account_status(
            &admin,
            &frozen,
            teller::services::AccountStatus::Frozen,
            None,
        )
        .expect("freeze");
    let q = quote(&mut bank, &alex, Currency::USD, Currency::EUR, "50");

    // The euro leg's account is frozen: the dollar leg is not written either.
    let err = bank
        .fx()
        .transfer(&alex, &exchange(&usd, &frozen, "50", q.id), None)
        .unwrap_err();
    assert_eq!(err.code(), "account_frozen");
    assert_eq!(balance(&mut bank, &usd), money("100.00"));
    assert_eq!(exchange_movements(&mut bank), 0);

    // The quote was not used up by the refusal; nor does it fit another amount or currency.
    let wrong_amount = bank
        .fx()
        .transfer(&alex, &exchange(&usd, &open, "49", q.id), None)
        .unwrap_err();
    assert_eq!(wrong_amount.code(), "quote_mismatch");
    let same_currency = bank
        .fx()
        .transfer(&alex, &exchange(&usd, &usd_too, "50", q.id), None)
        .unwrap_err();
    assert_eq!(same_currency.code(), "quote_mismatch");
    let request = exchange(&usd, &open, "50", q.id);
    let done = bank
        .fx()
        .transfer(&alex, &request, None)
        .expect("both legs");
    assert_eq!(balance(&mut bank, &open), money("45.00"));
    // A customer is told their own balance only.
    assert_eq!(done.received.balances, vec![]);

    // The same key again is a replay, with both legs; another operation under it a conflict.
    let again = bank.fx().transfer(&alex, &request, None).expect("replay");
    assert!(again.replayed);
    // Also when the resend names a newer quote (an app renews one that ran out after a lost
    // answer): the exchange done at the first is the answer.
    let newer = quote(&mut bank, &alex, Currency::USD, Currency::EUR, "50");
    let resent = ExchangeTransfer {
        quote: newer.id,
        ..request.clone()
    };
    let again = bank.fx().transfer(&alex, &resent, None).expect("replay");
    assert!(again.replayed);
    assert_eq!(again.quote.id, done.quote.id);
    assert_eq!(
        (again.paid.id, again.received.id),
        (done.paid.id, done.received.id)
    );
    assert_eq!(balance(&mut bank, &usd), money("50.00"));
    let mut other = request.clone();
    other.transfer.amount = amount("1");
    assert_eq!(
        bank.fx().transfer(&alex, &other, None).unwrap_err().code(),
        "idempotency_conflict"
    );
    // Someone else's account is "not found", whatever the quote.
    let (mallory, _) = customer_with_account(&mut bank, "mallory@example.com", "0");
    let q2 = quote(&mut bank, &mallory, Currency::USD, Currency::EUR, "10");
    let err = bank
        .fx()
        .transfer(&mallory, &exchange(&usd, &open, "10", q2.id), None)
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_audit_ok_as(&mut bank, &admin);
}

#[test]
fn currencies_and_rates_are_the_supervisors_and_kept_as_history() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = user(&mut bank, "teller@example.com", Role::Teller);
    user(&mut bank, "c@example.com", Role::Customer);
    assert_eq!(
        bank.money()
            .open_account(&operator(), &email("c@example.com"), Currency::JPY)
            .unwrap_err()
            .code(),
        "currency_not_traded"
    );
    assert_eq!(
        bank.fx()
            .add_currency(&teller, Currency::JPY, None)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let admin = fx_bank(&mut bank);
    let yen = bank.fx().currencies(&teller).unwrap();
    let yen = yen.iter().find(|c| c.code == Currency::JPY).unwrap();
    assert_eq!((yen.decimals, yen.denominations[0]), (0, money("10000")));
    assert_eq!(
        bank.fx()
            .add_currency(&admin, Currency::JPY, None)
            .unwrap_err()
            .code(),
        "already_traded"
    );
    assert_eq!(
        bank.fx()
            .add_currency(
                &admin,
                Currency::parse("SEK").unwrap(),
                Some("100 50 0.555")
            )
            .unwrap_err()
            .code(),
        "invalid_cash_count"
    );
    open_account(&mut bank, "c@example.com", Currency::JPY);

    let pair = RatePair::new(
        Currency::USD,
        Currency::EUR,
        Rate::parse("0.91").unwrap(),
        Rate::parse("0.95").unwrap(),
    )
    .unwrap();
    assert_eq!(
        bank.fx()
            .set_rate(&teller, &pair, None, None)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    // A rate set for tomorrow is listed but not in force: today's quotes keep today's rate.
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let later = bank
        .fx()
        .set_rate(&admin, &pair, Some(tomorrow), None)
        .expect("future rate");
    assert!(!later.in_force);
    let q = quote(&mut bank, &teller, Currency::USD, Currency::EUR, "100");
    assert_eq!(q.rate, money("0.9"));
    let rates = bank.fx().rates(&teller).unwrap();
    let usd_eur: Vec<_> = rates
        .iter()
        .filter(|r| (r.base, r.quote) == (Currency::USD, Currency::EUR))
        .map(|r| (r.buy, r.in_force))
        .collect();
    assert_eq!(usd_eur, vec![(money("0.91"), false), (money("0.9"), true)]);
    // No rate between two currencies nobody priced.
    let err = bank
        .fx()
        .quote(&teller, Currency::EUR, Currency::JPY, amount("10"), false)
        .unwrap_err();
    assert_eq!(err.code(), "no_rate");
    // Rates are history: the database refuses to change one.
    let mut conn = teller::db::connect(&db.url).unwrap();
    let changed = diesel::sql_query("UPDATE fx_rates SET buy = 0.5").execute(&mut conn);
    assert!(changed.is_err());
    assert_audit_ok_as(&mut bank, &admin);
}

#[test]
fn the_audit_catches_an_unlinked_exchange_and_a_rate_not_kept() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let admin = fx_bank(&mut bank);
    let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "100.00");
    let eur = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let q = quote(&mut bank, &alex, Currency::USD, Currency::EUR, "10");
    bank.fx()
        .transfer(&alex, &exchange(&usd, &eur, "10", q.id), None)
        .expect("exchange");
    assert_audit_ok_as(&mut bank, &admin);

    // Someone with the owner's password pays dollars into the dollar position as an
    // "exchange" no quote names, through the same procedure the app uses (balances, journal
    // and audit line all agree: only the link is missing).
    as_owner(
        &db,
        &format!(
            "SET @position = (SELECT id FROM accounts WHERE label = 'position:USD'); \
             CALL post_movement('forged-1', 'exchange', {}, @position, 5, 'USD', NULL, NULL, \
             'alex@example.com', NULL, NOW(6), NULL, 'local', '{}', 'forged, reference ', FALSE, \
             @id, @d, @c)",
            usd.serial(),
            usd.as_str()
        ),
    );
    let report = audit(&mut bank);
    assert!(
        failed_checks(&report).contains(&"exchanges_linked"),
        "{report:?}"
    );
    assert_eq!(balance(&mut bank, &usd), money("85.00"));

    // A quote whose amount received is not the rate's.
    let db2 = TestDb::new();
    let mut bank2 = db2.bank();
    fx_bank(&mut bank2);
    let (alex2, usd2) = customer_with_account(&mut bank2, "alex@example.com", "100.00");
    let eur2 = open_account(&mut bank2, "alex@example.com", Currency::EUR);
    let q2 = quote(&mut bank2, &alex2, Currency::USD, Currency::EUR, "10");
    as_owner(
        &db2,
        &format!("UPDATE fx_quotes SET to_amount = 9.50 WHERE id = {}", q2.id),
    );
    bank2
        .fx()
        .transfer(&alex2, &exchange(&usd2, &eur2, "10", q2.id), None)
        .expect("exchange at the forged quote");
    let report = audit(&mut bank2);
    assert_eq!(
        failed_checks(&report),
        vec!["exchanges_at_their_rate"],
        "{report:?}"
    );
}

#[test]
fn the_audit_names_a_lone_second_leg_and_a_quote_used_by_nothing() {
    for forgery in ["a second leg alone", "a quote used by nothing"] {
        let db = TestDb::new();
        let mut bank = db.bank();
        fx_bank(&mut bank);
        let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "100.00");
        let eur = open_account(&mut bank, "alex@example.com", Currency::EUR);
        let first = quote(&mut bank, &alex, Currency::USD, Currency::EUR, "10");
        bank.fx()
            .transfer(&alex, &exchange(&usd, &eur, "10", first.id), None)
            .expect("an exchange, which makes both positions");
        let q = quote(&mut bank, &alex, Currency::USD, Currency::EUR, "10");
        match forgery {
            "a second leg alone" => as_owner(
                &db,
                &format!(
                    "SET @position = (SELECT id FROM accounts WHERE label = 'position:EUR'); \
                     CALL post_movement('lone/2', 'exchange', @position, {}, 5, 'EUR', NULL, \
                     NULL, 'alex@example.com', NULL, NOW(6), NULL, 'local', '{}', 'forged, reference ', \
                     FALSE, @id, @d, @c)",
                    eur.serial(),
                    eur.as_str()
                ),
            ),
            _ => as_owner(
                &db,
                &format!(
                    "UPDATE fx_quotes SET used_key = 'ghost', used_by = 'x', used_at = NOW(6) \
                     WHERE id = {}",
                    q.id
                ),
            ),
        }
        let report = audit(&mut bank);
        assert_eq!(
            failed_checks(&report),
            vec!["exchanges_linked"],
            "{forgery}: {report:?}"
        );
        // A used quote is used once: not even the owner's UPDATE clears it.
        let mut conn = teller::db::connect(&db.url).unwrap();
        let cleared = diesel::sql_query(
            "UPDATE fx_quotes SET used_key = NULL, used_by = NULL, used_at = NULL",
        )
        .execute(&mut conn);
        assert!(
            forgery != "a quote used by nothing" || cleared.is_err(),
            "{forgery}"
        );
        let _ = usd;
    }
}

#[test]
fn a_second_leg_refused_by_the_database_leaves_no_first_leg() {
    let db = TestDb::new();
    let mut bank = db.bank();
    fx_bank(&mut bank);
    let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "100.00");
    let eur = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let q = quote(&mut bank, &alex, Currency::USD, Currency::EUR, "10");
    // The database refuses every second leg: the first was written in the same transaction.
    as_owner(
        &db,
        "CREATE TRIGGER test_no_second_leg BEFORE INSERT ON movements FOR EACH ROW \
         BEGIN IF NEW.idempotency_key LIKE '%/2' THEN \
         SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no second leg'; END IF; END",
    );
    let err = bank
        .fx()
        .transfer(&alex, &exchange(&usd, &eur, "10", q.id), None)
        .unwrap_err();
    assert_eq!(err.code(), "internal_error", "{err}");
    assert_eq!(balance(&mut bank, &usd), money("100.00"));
    assert_eq!(exchange_movements(&mut bank), 0);
    as_owner(&db, "DROP TRIGGER test_no_second_leg");
    // Nothing was used up: the same quote goes through now.
    bank.fx()
        .transfer(&alex, &exchange(&usd, &eur, "10", q.id), None)
        .expect("the quote is still unused");
    assert_eq!(balance(&mut bank, &eur), money("9.00"));
    assert_audit_ok(&mut bank);
}

#[test]
fn one_order_per_pair_own_quotes_and_cash_valued_in_dollars() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let admin = fx_bank(&mut bank);
    // EUR/USD would be a second price for the same pair.
    let reverse = RatePair::new(
        Currency::EUR,
        Currency::USD,
        Rate::parse("1.05").unwrap(),
        Rate::parse("1.10").unwrap(),
    )
    .unwrap();
    assert_eq!(
        bank.fx()
            .set_rate(&admin, &reverse, None, None)
            .unwrap_err()
            .code(),
        "invalid_rate"
    );
    // A customer uses their own quotes only.
    let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "100.00");
    let eur = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let (mallory, _) = customer_with_account(&mut bank, "mallory@example.com", "0");
    let theirs = quote(&mut bank, &mallory, Currency::USD, Currency::EUR, "10");
    let err = bank
        .fx()
        .transfer(&alex, &exchange(&usd, &eur, "10", theirs.id), None)
        .unwrap_err();
    assert_eq!(err.code(), "not_found");

    // 4,000 dinars of cash are 13,000 dollars: above the large-cash line, the ID is asked for.
    let kwd = open_account(&mut bank, "alex@example.com", Currency::KWD);
    let mut dinars = cash(&kwd, "1");
    dinars.amount = Amount::parse_any("4000").unwrap();
    let err = bank
        .money()
        .deposit(&operator(), &dinars, None)
        .unwrap_err();
    assert_eq!(err.code(), "id_required");
    dinars.id = Some(fixture_passport());
    bank.money()
        .deposit(&operator(), &dinars, None)
        .expect("with the ID");
    // Without a rate to the dollar the value is unknown: the ID is asked for.
    let gbp = open_account(&mut bank, "alex@example.com", Currency::GBP);
    let err = bank
        .money()
        .deposit(&operator(), &cash(&gbp, "20"), None)
        .unwrap_err();
    assert_eq!(err.code(), "id_required");
    assert_audit_ok_as(&mut bank, &admin);
}

#[test]
fn the_approval_limit_weighs_every_currency_in_dollars_and_the_day_s_payments_together() {
    let db = TestDb::new();
    let mut bank = db.bank();
    fx_bank(&mut bank);
    let (_, usd) = customer_with_account(&mut bank, "alex@example.com", "1000.00");
    let kwd = open_account(&mut bank, "alex@example.com", Currency::KWD);
    deposit(&mut bank, &kwd, "5000");
    let (_, their_usd) = customer_with_account(&mut bank, "bob@example.com", "0");
    let their_kwd = open_account(&mut bank, "bob@example.com", Currency::KWD);
    let teller = user(&mut bank, "kwd-teller@example.com", Role::Teller);
    let pay = |from: &AccountNumber, to: &AccountNumber, raw: &str| {
        let mut request = transfer_request(from, to, "1");
        request.amount = Amount::parse_any(raw).unwrap();
        request
    };

    // 4,000 dinars are about 12,984 dollars at the mid rate (0.308065): above the limit,
    // though the figure 4000 is below 10,000.
    let err = bank
        .money()
        .transfer(&teller, &pay(&kwd, &their_kwd, "4000"), None)
        .unwrap_err();
    assert_eq!(err.code(), "approval_required", "{err}");
    // 3,000 dinars (9,738.20 dollars) are within it ...
    bank.money()
        .transfer(&teller, &pay(&kwd, &their_kwd, "3000"), None)
        .expect("within the limit");
    // ... and count with the day's dollars and exchanges: 300 dollars into a euro account at a
    // quote is 10,038.20 ...
    let their_eur = open_account(&mut bank, "bob@example.com", Currency::EUR);
    let q = quote(&mut bank, &teller, Currency::USD, Currency::EUR, "300");
    let err = bank
        .fx()
        .transfer(&teller, &exchange(&usd, &their_eur, "300", q.id), None)
        .unwrap_err();
    assert_eq!(err.code(), "approval_required", "{err}");
    // ... and so is a transfer of 300 in dollars.
    let err = bank
        .money()
        .transfer(&teller, &pay(&usd, &their_usd, "300.00"), None)
        .unwrap_err();
    assert_eq!(err.code(), "approval_required", "{err}");
    assert!(err.to_string().contains("9,738.20"), "{err}");
    bank.money()
        .transfer(&teller, &pay(&usd, &their_usd, "200.00"), None)
        .expect("9,938.20 in all");
    assert_eq!(balance(&mut bank, &their_kwd), money("3000"));
    assert_audit_ok(&mut bank);
}

#[test]
fn a_customer_holds_at_most_five_open_quotes_and_staff_are_not_bounded() {
    let db = TestDb::new();
    let mut bank = db.bank();
    fx_bank(&mut bank);
    let (alex, usd) = customer_with_account(&mut bank, "alex@example.com", "100.00");
    let eur = open_account(&mut bank, "alex@example.com", Currency::EUR);
    let pays = || Amount::parse_any("10").unwrap();
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(quote(&mut bank, &alex, Currency::USD, Currency::EUR, "10"));
    }
    let err = bank
        .fx()
        .quote(&alex, Currency::USD, Currency::EUR, pays(), false)
        .unwrap_err();
    assert_eq!(err.code(), "too_many_quotes", "{err}");
    // Using one frees its place.
    bank.fx()
        .transfer(&alex, &exchange(&usd, &eur, "10", held[0].id), None)
        .expect("at a held quote");
    quote(&mut bank, &alex, Currency::USD, Currency::EUR, "10");
    // Expired ones do not count: a minute later the customer may ask again.
    teller::db::clock::set_this_thread_shift(chrono::Duration::seconds(61));
    for _ in 0..5 {
        quote(&mut bank, &alex, Currency::USD, Currency::EUR, "10");
    }
    teller::db::clock::set_this_thread_shift(chrono::Duration::zero());
    // A teller quotes for the customers in front of them, as often as they come.
    let teller = user(&mut bank, "quoting-teller@example.com", Role::Teller);
    for _ in 0..7 {
        quote(&mut bank, &teller, Currency::USD, Currency::EUR, "10");
    }
}
