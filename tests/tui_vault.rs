//! Key-driven tests of the branch's day in the app: the supervisor's vault screen, the
//! teller's float, drop and top-up approved on the teller's screen.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use teller::services::BankError;
use teller::tui::app::Route;
use teller::tui::testing::{Driver, FakeBank};

#[test]
fn a_supervisor_opens_the_vault_counts_it_and_closes_the_day() {
    let mut d = Driver::supervisor_on(FakeBank::demo());
    d.press(KeyCode::F(8)).settle();
    assert_eq!(d.app.route(), Route::Vault);
    assert!(
        d.screen().contains("The vault is not open today"),
        "{}",
        d.screen()
    );
    // The blind opening count: 100 x 100.00 and 200 x 20.00.
    d.press(KeyCode::Char('o'))
        .press(KeyCode::Tab)
        .type_text("100")
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("200");
    assert_snapshot!("vault_opening_count", d.screen());
    d.press(KeyCode::Enter).settle();
    let shown = d.screen();
    assert!(
        shown.contains("The vault's day is open: USD 14,000.00."),
        "{shown}"
    );
    assert_snapshot!("vault_open", shown);
    // Not counted yet: the bank does not close the day, and the screen says why.
    d.bank.refuse_next("end_of_day", || {
        BankError::DayNotReady("the USD vault is not counted".into())
    });
    d.press(KeyCode::Char('e')).settle();
    assert!(d.screen().contains("Close the day?"), "{}", d.screen());
    d.press(KeyCode::Enter).settle();
    assert!(
        d.screen().contains("the USD vault is not counted"),
        "{}",
        d.screen()
    );
    // The closing count, then the day closes and its report is written.
    d.press(KeyCode::Char('c'))
        .press(KeyCode::Tab)
        .type_text("100")
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("199")
        .press(KeyCode::Enter)
        .settle();
    assert!(
        d.screen()
            .contains("The vault is counted; over/short -20.00."),
        "{}",
        d.screen()
    );
    d.press(KeyCode::Char('e')).press(KeyCode::Enter).settle();
    let closed = d.screen();
    assert!(closed.contains("Day closed. Report:"), "{closed}");
    assert!(closed.contains("The day is closed."), "{closed}");
}

#[test]
fn tellers_have_no_vault_tab() {
    let mut d = Driver::teller();
    assert!(!d.screen().contains("Vault"), "{}", d.screen());
    d.press(KeyCode::F(8)).settle();
    assert_eq!(d.app.route(), Route::Customers);
}

#[test]
fn a_cash_drop_is_counted_and_approved_on_the_tellers_screen() {
    let mut d = Driver::teller();
    d.press(KeyCode::F(5)).settle().press(KeyCode::Char('d'));
    d.type_text("5");
    assert_snapshot!("drawer_cash_drop_count", d.screen());
    d.press(KeyCode::Enter).settle();
    assert!(
        d.screen().contains("Cash drop to the vault: USD 500.00"),
        "{}",
        d.screen()
    );
    d.approve_as_supervisor();
    assert!(
        d.screen()
            .contains("Cash drop to the vault done: USD 500.00."),
        "{}",
        d.screen()
    );
    assert_eq!(
        d.bank.drawer.as_ref().map(|dr| dr.drops.to_string()),
        Some("500.00".to_string())
    );
    // A top-up the same way; Esc on the approval goes back to the count, nothing moves.
    d.press(KeyCode::Char('u'))
        .type_text("2")
        .press(KeyCode::Enter)
        .settle();
    d.press(KeyCode::Esc).settle();
    assert!(
        d.screen()
            .contains("Top-up: count what comes from the vault"),
        "{}",
        d.screen()
    );
    assert!(d
        .bank
        .drawer
        .as_ref()
        .is_some_and(|dr| dr.top_ups.is_zero()));
}

#[test]
fn a_move_to_another_database_node_is_told_in_plain_words() {
    use teller::tui::worker::WorkerMessage;
    let mut d = Driver::teller();
    d.worker(WorkerMessage::Node("127.0.0.1:4306".into()));
    assert!(
        !d.screen().contains("Now working through"),
        "the first node is no news"
    );
    d.worker(WorkerMessage::Node("127.0.0.1:4307".into()));
    let screen = d.screen();
    assert!(
        screen.contains("Now working through database node 127.0.0.1:4307"),
        "{screen}"
    );
}

#[test]
fn a_teller_keeps_a_drawer_per_currency_each_counted_by_its_own_banknotes() {
    let mut d = Driver::teller();
    d.press(KeyCode::F(5)).settle();
    assert!(d.screen().contains("USD"), "{}", d.screen());
    // → shows the next currency's drawer: none open, so its opening count, by euro banknotes
    // and coins (500 down to 0.01: fifteen boxes, in two longer columns).
    d.press(KeyCode::Right).settle();
    let euros = d.screen();
    assert!(euros.contains("◀ EUR ▶  Euro"), "{euros}");
    assert!(
        euros.contains("500.00 × [") && euros.contains("0.02 × ["),
        "{euros}"
    );
    assert_snapshot!("drawer_opening_count_in_euros", euros);
    d.press(KeyCode::Tab)
        .type_text("2")
        .press(KeyCode::Enter)
        .settle();
    assert!(
        d.screen().contains("EUR 1,000.00"),
        "the approval names the currency: {}",
        d.screen()
    );
    d.approve_as_supervisor();
    assert!(
        d.screen()
            .contains("Drawer open with a float of EUR 1,000.00."),
        "{}",
        d.screen()
    );
    let open: Vec<String> = d
        .bank
        .drawer
        .iter()
        .chain(&d.bank.other_drawers)
        .map(|dr| format!("{} {}", dr.currency, dr.opening_float))
        .collect();
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(open.contains(&"EUR 1000.00".to_string()), "{open:?}");

    // ← back to the dollars: that drawer is still open; yen count by whole yen.
    d.press(KeyCode::Left).settle();
    assert!(d.screen().contains("The drawer is open"), "{}", d.screen());
    assert!(d.screen().contains("USD"), "{}", d.screen());
    d.press(KeyCode::Left).settle();
    let yen = d.screen();
    assert!(yen.contains("◀ JPY ▶"), "{yen}");
    assert!(
        yen.contains("10000 × [") && !yen.contains("0.01 × ["),
        "{yen}"
    );
}

#[test]
fn the_blind_close_counts_the_drawer_shown_though_the_counter_read_another() {
    let mut d = Driver::teller();
    d.press(KeyCode::F(5))
        .settle()
        .press(KeyCode::Right)
        .settle();
    d.press(KeyCode::Tab)
        .type_text("2")
        .press(KeyCode::Enter)
        .settle();
    d.approve_as_supervisor();
    assert!(d.screen().contains("EUR"), "{}", d.screen());
    // The counter reads the oldest open drawer (the dollars') for its own line ...
    d.press(KeyCode::F(4)).settle();
    // ... and back on F5 the euro drawer is still the one shown: `c` pressed before its
    // figures are back does not count the dollars.
    d.press(KeyCode::F(5)).press(KeyCode::Char('c')).settle();
    assert!(!d.screen().contains("0.25 × ["), "{}", d.screen());
    d.press(KeyCode::Char('c')).settle();
    let closing = d.screen();
    assert!(
        closing.contains("EUR") && closing.contains("500.00 × ["),
        "{closing}"
    );
    assert!(!closing.contains("0.25 × ["), "a euro grid: {closing}");
}
