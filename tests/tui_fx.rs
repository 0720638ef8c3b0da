//! The supervisors' exchange rates (F10), key by key, against the fake bank: the list, setting
//! a pair's rates, a crossed spread refused by the domain before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use teller::domain::Currency;
use teller::services::RateView;
use teller::tui::testing::{fixed_wall, Driver, FakeBank};

fn rate(base: Currency, quote: Currency, buy: &str, sell: &str, in_force: bool) -> RateView {
    RateView {
        id: 1,
        base,
        quote,
        buy: Decimal::from_str_exact(buy).unwrap(),
        sell: Decimal::from_str_exact(sell).unwrap(),
        valid_from: fixed_wall(),
        valid_until: None,
        set_by: "admin@bank.local".into(),
        set_at: fixed_wall(),
        in_force,
    }
}

#[test]
fn a_supervisor_sets_a_pair_s_rates_on_f10() {
    let mut bank = FakeBank::demo();
    bank.rates = vec![
        rate(Currency::USD, Currency::EUR, "0.9", "0.94", true),
        rate(Currency::USD, Currency::JPY, "149.5", "151.5", true),
    ];
    let mut d = Driver::supervisor_on(bank);
    d.press(KeyCode::F(10)).settle();
    let list = d.screen();
    assert!(
        list.contains("USD/JPY") && list.contains("in force"),
        "{list}"
    );
    assert_snapshot!("rates_list", list);

    // The selected pair, new rates: a sell below the buy is refused before anything is sent.
    d.press(KeyCode::Down).press(KeyCode::Char('n')).settle();
    d.type_text("150")
        .press(KeyCode::Tab)
        .type_text("149")
        .press(KeyCode::Enter)
        .settle();
    let refused = d.screen();
    assert!(
        refused.contains("the sell rate must be above the buy rate"),
        "{refused}"
    );
    assert_snapshot!("rates_set_refused", refused);
    assert_eq!(d.bank.rates.len(), 2);

    d.press(KeyCode::Backspace)
        .press(KeyCode::Backspace)
        .press(KeyCode::Backspace)
        .type_text("152.25")
        .press(KeyCode::Enter)
        .settle();
    assert_eq!(d.bank.rates.len(), 3);
    let set = &d.bank.rates[0];
    assert_eq!((set.base, set.quote), (Currency::USD, Currency::JPY));
    assert_eq!(set.sell, Decimal::from_str_exact("152.25").unwrap());
    let after = d.screen();
    assert!(
        after.contains("Rate set: USD/JPY buy 150 sell 152.25."),
        "{after}"
    );
}

#[test]
fn a_teller_has_no_rates_screen() {
    let mut d = Driver::teller_on(FakeBank::demo());
    d.press(KeyCode::F(10)).settle();
    assert!(!d.screen().contains("Exchange rates"), "{}", d.screen());
}

#[test]
fn a_teller_exchanges_cash_at_a_quote_with_its_countdown() {
    let mut bank = FakeBank::demo().with_open_drawer();
    bank.rates = vec![rate(Currency::USD, Currency::EUR, "0.9", "0.94", true)];
    let mut d = Driver::teller_on(bank);
    d.press(KeyCode::F(11)).settle();
    // Euros in, dollars out, to start with: the amount is typed, the currencies picked.
    d.type_text("500.005").press(KeyCode::Enter).settle();
    let refused = d.screen();
    assert!(refused.contains("at most 2 decimals"), "{refused}");
    d.press(KeyCode::Backspace).press(KeyCode::Enter).settle();
    let quoted = d.screen();
    assert!(
        quoted.contains("500.00 EUR in  →  531.91 USD out"),
        "{quoted}"
    );
    assert!(quoted.contains("1 USD = 0.94 EUR (sell)"), "{quoted}");
    assert_snapshot!("exchange_quote", quoted);
    let before = d.screen();
    d.wait(std::time::Duration::from_secs(20)).settle();
    assert_ne!(d.screen(), before, "the countdown runs");

    d.press(KeyCode::Enter).settle();
    let done = d.screen();
    assert!(done.contains("references 501 and 502"), "{done}");
    assert_snapshot!("exchange_receipt", done);
    assert_eq!(d.bank.exchanges.len(), 1);
    let sent = &d.bank.exchanges[0];
    assert_eq!(sent.quote.id, d.bank.quotes[0].id);

    // A quote read for more than a minute has expired by the time the teller looks again.
    d.press(KeyCode::Enter).settle();
    d.type_text("100").press(KeyCode::Enter).settle();
    d.wait(std::time::Duration::from_secs(61)).settle();
    assert!(d.screen().contains("The quote expired"), "{}", d.screen());
}

#[test]
fn the_exchange_form_at_80x24() {
    let mut d = Driver::teller_on(FakeBank::demo().with_open_drawer());
    d.press(KeyCode::F(4)).settle();
    d.ctrl('e').settle();
    let form = d.screen();
    assert!(form.contains("Exchange cash"), "{form}");
    assert!(form.contains("◀ EUR ▶  Euro"), "{form}");
    assert_snapshot!("exchange_form", form);
}

#[test]
fn a_customer_pays_a_euro_account_at_a_quote_renewed_when_it_runs_out() {
    let mut bank = FakeBank::demo();
    bank.rates = vec![rate(Currency::USD, Currency::EUR, "0.9", "0.94", true)];
    let mut d = Driver::new();
    d.bank = bank;
    d.login();
    let euro_account = teller::tui::testing::number(300_000_017);
    d.press(KeyCode::F(3)).settle();
    d.type_text(&euro_account).settle();
    assert!(
        d.screen().contains("Recipient: L. Dubois"),
        "{}",
        d.screen()
    );
    d.press(KeyCode::Tab)
        .type_text("100")
        .press(KeyCode::Enter)
        .settle();
    let confirm = d.screen();
    assert!(confirm.contains("one hundred dollars"), "{confirm}");
    assert!(confirm.contains("They get        EUR 90.00"), "{confirm}");
    assert!(confirm.contains("1 USD = 0.9 EUR  holds 60 s"), "{confirm}");
    assert_snapshot!("transfer_at_a_quote", confirm);
    assert_eq!(d.bank.quotes.len(), 1);

    // Read for more than a minute: Enter asks for a new quote instead of sending.
    d.wait(std::time::Duration::from_secs(61)).settle();
    assert!(
        d.screen().contains("expired: Enter gets a new one"),
        "{}",
        d.screen()
    );
    d.press(KeyCode::Enter).settle();
    assert!(
        d.bank.exchanges.is_empty(),
        "an expired quote sends nothing"
    );
    assert_eq!(d.bank.quotes.len(), 2);
    assert!(d.screen().contains("holds 60 s"), "{}", d.screen());

    d.press(KeyCode::Enter).settle();
    let done = d.screen();
    assert!(done.contains("The transfer is done."), "{done}");
    assert!(done.contains("They got        EUR 90.00"), "{done}");
    assert_eq!(d.bank.exchanges.len(), 1);
    let sent = &d.bank.exchanges[0];
    assert_eq!(sent.quote.id, d.bank.quotes[1].id, "the renewed quote");
    assert_eq!(sent.paid.amount, Decimal::from(100));
}

#[test]
fn a_supervisor_approves_an_exchange_over_the_drawer_s_limit_on_the_teller_s_screen() {
    use teller::services::{ApprovalNeed, BankError};
    let mut bank = FakeBank::demo().with_open_drawer();
    bank.rates = vec![rate(Currency::USD, Currency::EUR, "0.9", "0.94", true)];
    bank.refuse_next("exchange_cash", || {
        BankError::ApprovalRequired(ApprovalNeed::DrawerAboveLimit {
            limit: Decimal::from(50_000),
        })
    });
    let mut d = Driver::teller_on(bank);
    d.press(KeyCode::F(11)).settle();
    d.type_text("500").press(KeyCode::Enter).settle();
    d.press(KeyCode::Enter).settle();
    let asked = d.screen();
    assert!(asked.contains("Supervisor approval"), "{asked}");
    assert!(
        asked.contains("A supervisor approves this exchange"),
        "{asked}"
    );
    assert_snapshot!("exchange_approval", asked);
    assert!(d.bank.exchanges.is_empty());

    d.approve_as_supervisor();
    let done = d.screen();
    assert!(done.contains("references 501 and 502"), "{done}");
    assert_eq!(d.bank.exchanges.len(), 1);
    let sent = d.bank.approvals_sent();
    assert_eq!(
        sent.last().map(|(who, _)| who.as_str()),
        Some(teller::tui::testing::ADMIN_EMAIL)
    );
}

#[test]
fn a_walk_in_s_passport_is_typed_over_the_quote_when_the_bank_asks_for_it() {
    use teller::services::BankError;
    let mut bank = FakeBank::demo().with_open_drawer();
    bank.rates = vec![rate(Currency::USD, Currency::EUR, "0.9", "0.94", true)];
    bank.refuse_next("exchange_cash", || {
        BankError::IdRequired(
            "An exchange worth more than 1,000.00 USD in cash records the customer's ID".into(),
        )
    });
    let mut d = Driver::teller_on(bank);
    d.press(KeyCode::F(11)).settle();
    d.type_text("1500").press(KeyCode::Enter).settle();
    d.press(KeyCode::Enter).settle();
    let asked = d.screen();
    assert!(asked.contains("Customer identification"), "{asked}");
    assert_snapshot!("exchange_id_form", asked);
    d.type_text("X1234567")
        .press(KeyCode::Tab)
        .type_text("FR")
        .press(KeyCode::Tab)
        .type_text("2031-05-31")
        .press(KeyCode::Enter)
        .settle();
    let done = d.screen();
    assert!(done.contains("references 501 and 502"), "{done}");
    let sent = &d.bank.exchange_requests[0];
    let id = sent
        .id
        .as_ref()
        .expect("the passport went with the exchange");
    assert_eq!(
        (id.number.as_str(), id.country.as_str()),
        ("X1234567", "FR")
    );
}
