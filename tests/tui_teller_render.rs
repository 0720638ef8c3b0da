//! The teller's workstation drawn into a `TestBackend` at 80x24 and snapshotted: the lookup,
//! the card and its dialogs, the counter (form, confirmation, approval, receipt), the drawer
//! (opening count, figures, blind closing count, result) and the registration; plus the
//! behaviour behind them (debounced search, what is sent to the worker, masking). A fake bank
//! answers the worker's jobs and the clock is fixed, so every snapshot is the same every run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::time::Duration;

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use rust_decimal::Decimal;
use teller::services::{ApprovalNeed, BankError};
use teller::tui::app::{Overlay, Route};
use teller::tui::screens::counter::Stage;
use teller::tui::testing::{
    number, Driver, FakeBank, ADMIN_EMAIL, ADMIN_PASSWORD, EMAIL, NINA, OTHER_EMAIL,
};
use teller::tui::worker::Job;

/// `(ADMIN_EMAIL, password)` as `approvals_sent` lists it.
fn admin_with(password: &str) -> (String, String) {
    (ADMIN_EMAIL.to_string(), password.to_string())
}

/// The bank's refusal of a supervisor's wrong email or password.
fn wrong_supervisor_password() -> BankError {
    BankError::ApprovalRefused("the supervisor's email or password is incorrect")
}

/// The bank's refusal of large cash without the customer's ID.
fn large_cash_without_id() -> BankError {
    BankError::IdRequired("Cash above 10,000.00 today for this customer".into())
}

/// A teller logged in, with an open drawer unless told otherwise.
fn teller_with(bank: FakeBank) -> Driver {
    let d = Driver::teller_on(bank);
    assert_eq!(d.app.route(), Route::Customers);
    d
}

fn teller() -> Driver {
    teller_with(FakeBank::demo().with_open_drawer())
}

/// The teller serving Diana Julis: her card.
fn card() -> Driver {
    let mut d = teller();
    d.type_text("julis").pause().press(KeyCode::Enter).settle();
    assert_eq!(d.app.route(), Route::Card);
    d
}

/// Diana with 20,000.00 on her first account, so large amounts are possible.
fn rich_card() -> Driver {
    let mut bank = FakeBank::demo().with_open_drawer();
    bank.accounts[0].balance = Decimal::new(2_000_000, 2);
    let mut d = teller_with(bank);
    d.type_text("julis").pause().press(KeyCode::Enter).settle();
    d
}

fn money(raw: &str) -> Decimal {
    raw.parse().expect("decimal")
}

// ---------------------------------------------------------------- lookup

#[test]
fn teller_lookup_empty() {
    let mut d = teller();
    assert_snapshot!(d.screen());
}

#[test]
fn teller_lookup_results() {
    let mut d = teller();
    d.type_text("ross").pause();
    assert_snapshot!(d.screen());
}

#[test]
fn teller_lookup_no_match() {
    let mut d = teller();
    d.type_text("zzyzx").pause();
    assert_snapshot!(d.screen());
}

#[test]
fn lookup_waits_for_a_pause_in_typing_and_shows_only_the_newest_answer() {
    let mut d = teller();
    d.type_text("di");
    d.wait(Duration::from_millis(100));
    assert!(d.app.queued_requests().is_empty(), "no search while typing");
    d.type_text(".j");
    d.wait(Duration::from_millis(200));
    assert!(
        d.app.queued_requests().is_empty(),
        "each key restarts the pause"
    );
    d.wait(Duration::from_millis(200));
    let searches: Vec<String> = d
        .app
        .queued_requests()
        .iter()
        .filter_map(|r| match &r.job {
            Job::SearchCustomers { query, .. } => Some(query.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(searches, vec!["di.j".to_string()]);
    // An older search answering after a newer one is ignored.
    d.hold();
    d.type_text("ulis").wait(Duration::from_millis(400)).hold();
    let mut held = std::mem::take(&mut d.held);
    assert_eq!(held.len(), 2);
    let newer = held.pop().expect("the newer search");
    let stale = held.pop().expect("the older search");
    for request in [newer, stale] {
        let body = d.bank.answer(request.job);
        d.reply(request.id, body);
    }
    assert_eq!(
        d.app.screens().customers.shown_for.as_deref(),
        Some("di.julis")
    );
    assert!(!d.app.busy());
}

#[test]
fn enter_on_a_result_opens_the_card_and_esc_comes_back() {
    let mut d = teller();
    d.type_text("ross").pause().press(KeyCode::Enter).settle();
    assert_eq!(d.app.route(), Route::Card);
    assert_eq!(d.app.data().desk.customer.as_deref(), Some(OTHER_EMAIL));
    d.press(KeyCode::Esc);
    assert_eq!(d.app.route(), Route::Customers);
}

#[test]
fn each_role_stays_on_its_own_screens() {
    let mut d = teller();
    for key in [KeyCode::F(3), KeyCode::F(4), KeyCode::F(5), KeyCode::F(6)] {
        d.press(key).settle();
        assert!(d.app.route().is_staff());
    }
    d.app.navigate(Route::Transfer);
    assert_eq!(
        d.app.route(),
        Route::Customers,
        "a teller has no customer screens"
    );
    // Their own profile they do have (F7); Esc there leads back to the lookup.
    d.press(KeyCode::F(7)).settle();
    assert_eq!(d.app.route(), Route::Profile);
    d.press(KeyCode::Esc);
    assert_eq!(d.app.route(), Route::Customers);

    let mut c = Driver::new();
    c.login();
    c.app.navigate(Route::Drawer);
    assert_eq!(
        c.app.route(),
        Route::Accounts,
        "a customer has no workstation"
    );
}

// ---------------------------------------------------------------- card

#[test]
fn teller_card() {
    let mut d = card();
    assert_snapshot!(d.screen());
}

#[test]
fn teller_card_locked_customer() {
    let mut d = teller();
    d.type_text("ross").pause().press(KeyCode::Enter).settle();
    assert_snapshot!(d.screen());
    d.press(KeyCode::Char('u')).settle();
    assert!(d.screen().contains("can log in"));
}

#[test]
fn teller_card_movements_pane() {
    let mut d = card();
    d.press(KeyCode::Tab)
        .press(KeyCode::Down)
        .press(KeyCode::Down);
    assert_snapshot!(d.screen());
}

#[test]
fn teller_card_open_account_dialog() {
    let mut d = card();
    d.press(KeyCode::Char('o')).press(KeyCode::Right);
    assert_snapshot!(d.screen());
    d.press(KeyCode::Enter).settle();
    assert!(d.screen().contains("is open."));
    assert_eq!(d.app.data().desk.accounts.len(), 4);
    assert_eq!(
        d.app
            .data()
            .desk
            .selected_account()
            .map(|a| a.currency.as_str()),
        Some("EUR")
    );
}

#[test]
fn teller_card_freeze_confirm() {
    let mut d = card();
    d.press(KeyCode::Down).settle().press(KeyCode::Char('f'));
    assert_snapshot!(d.screen());
    d.press(KeyCode::Enter).settle();
    assert!(d.screen().contains("is frozen."));
}

#[test]
fn teller_card_unfreeze_needs_a_supervisor() {
    let mut d = card();
    d.press(KeyCode::Down)
        .press(KeyCode::Down)
        .settle()
        .press(KeyCode::Char('f'));
    assert_snapshot!("teller_card_unfreeze_dialog", d.screen());
    d.bank
        .refuse_next("set_account_status", wrong_supervisor_password);
    d.type_text(ADMIN_EMAIL)
        .press(KeyCode::Tab)
        .type_text("not-the-password")
        .press(KeyCode::Enter)
        .settle();
    assert_snapshot!("teller_card_unfreeze_refused", d.screen());
    d.type_text(ADMIN_PASSWORD).press(KeyCode::Enter).settle();
    assert!(d.screen().contains("is open again."));
    // What the bank was sent: the typed supervisor, the refused password, then the right one.
    assert_eq!(
        d.bank.approvals_sent(),
        [admin_with("not-the-password"), admin_with(ADMIN_PASSWORD)]
    );
}

#[test]
fn teller_card_reset_password() {
    let mut d = card();
    d.press(KeyCode::Char('p'))
        .type_text("a-new-secret-for-diana")
        .press(KeyCode::Tab)
        .type_text("a-new-secret-for-dianX")
        .press(KeyCode::Enter);
    assert_snapshot!(d.screen());
    // One mask character per character typed, never the password.
    let screen = d.screen();
    assert!(!screen.contains("a-new-secret"));
    assert!(screen.contains(&"•".repeat(22)));
    d.press(KeyCode::Backspace)
        .type_text("a")
        .press(KeyCode::Enter);
    let sent = d
        .app
        .queued_requests()
        .iter()
        .any(|r| matches!(r.job, Job::ResetPassword { .. }));
    assert!(sent);
    d.settle();
    assert!(d.screen().contains("password was reset"));
    assert!(
        d.app.screens().card.dialog.is_none(),
        "nothing of it is kept"
    );
}

#[test]
fn teller_card_edit_profile() {
    let mut d = card();
    d.press(KeyCode::Char('e'));
    for _ in 0..4 {
        d.press(KeyCode::Tab);
    }
    d.press(KeyCode::End);
    for _ in 0.."San Juan".len() {
        d.press(KeyCode::Backspace);
    }
    d.type_text("Ponce");
    assert_snapshot!(d.screen());
}

#[test]
fn teller_card_reversal() {
    let mut d = card();
    d.press(KeyCode::Char('x'));
    assert!(d.screen().contains("Choose the movement to reverse"));
    d.press(KeyCode::Char('x')).press(KeyCode::Enter);
    assert_snapshot!("teller_card_reversal_dialog", d.screen());
    d.type_text("keyed twice")
        .press(KeyCode::Tab)
        .type_text(ADMIN_EMAIL)
        .press(KeyCode::Tab)
        .type_text(ADMIN_PASSWORD)
        .press(KeyCode::Enter)
        .settle();
    assert_snapshot!("teller_card_reversal_done", d.screen());
}

// ---------------------------------------------------------------- counter

#[test]
fn teller_counter_deposit_form() {
    let mut d = card();
    d.press(KeyCode::Char('d')).settle().type_text("250");
    assert_snapshot!(d.screen());
}

#[test]
fn teller_counter_transfer_form() {
    let mut d = card();
    d.press(KeyCode::Char('t'))
        .settle()
        .type_text(&number(200_000_042))
        .settle()
        .press(KeyCode::Tab)
        .type_text("100")
        .press(KeyCode::Tab)
        .type_text("rent");
    assert_snapshot!(d.screen());
}

#[test]
fn teller_counter_deposit_confirm_and_receipt() {
    let mut d = card();
    d.press(KeyCode::Char('d'))
        .settle()
        .type_text("250")
        .press(KeyCode::Enter);
    assert_snapshot!("teller_counter_deposit_confirm", d.screen());
    d.press(KeyCode::Enter).settle();
    assert_snapshot!("teller_counter_deposit_receipt", d.screen());
    d.press(KeyCode::Char('p')).settle();
    assert_snapshot!("teller_counter_receipt_written", d.screen());
    assert_eq!(d.bank.accounts[0].balance, money("2700.75"));
    // The fake's drawer took the cash in (kept aside while the drawer is open).
    assert_eq!(d.bank.drawer_flows.0, money("750.00"));
}

/// The bank says the drawer crossed its limit with the second 9,000.00: done, and the receipt
/// says to drop cash to the vault; the bank refuses the third without a supervisor, and the
/// screen asks for one.
#[test]
fn a_deposit_that_takes_the_drawer_above_its_limit_is_warned() {
    let mut d = card();
    let deposit = |d: &mut Driver| {
        d.press(KeyCode::Char('d'))
            .settle()
            .type_text("9000")
            .press(KeyCode::Enter)
            .press(KeyCode::Enter)
            .settle();
        d.screen()
    };
    let first = deposit(&mut d);
    assert!(
        first.contains("Done") && !first.contains("above its limit"),
        "{first}"
    );
    d.press(KeyCode::Esc).settle();
    // The bank decides the drawer's limit: after this cash-in it says the drawer is above it,
    // and the next cash-in needs a supervisor.
    d.bank.drawer_over_limit = true;
    let second = deposit(&mut d);
    assert!(
        second.contains("Your drawer is above its limit"),
        "{second}"
    );
    assert_snapshot!("teller_counter_receipt_drawer_over_limit", second);
    d.press(KeyCode::Esc).settle();
    d.bank.refuse_next("deposit", || {
        BankError::ApprovalRequired(ApprovalNeed::DrawerAboveLimit {
            limit: money("20000.00"),
        })
    });
    let third = deposit(&mut d);
    assert!(third.contains("above its limit of 20,000.00"), "{third}");
    assert_eq!(d.bank.drawer_flows.0, money("18500.00"));
}

#[test]
fn teller_counter_large_withdrawal_needs_a_supervisor() {
    let mut d = rich_card();
    d.press(KeyCode::Char('w'))
        .settle()
        .type_text("12000")
        .press(KeyCode::Enter);
    assert_snapshot!("teller_counter_withdrawal_confirm_above_limit", d.screen());
    d.press(KeyCode::Enter);
    assert!(
        d.app.queued_requests().is_empty(),
        "nothing is sent before the supervisor"
    );
    d.bank
        .refuse_next("withdraw", wrong_supervisor_password)
        .refuse_next("withdraw", large_cash_without_id);
    d.type_text(ADMIN_EMAIL)
        .press(KeyCode::Tab)
        .type_text("wrong-password")
        .press(KeyCode::Enter)
        .settle();
    assert_snapshot!("teller_counter_approval_refused", d.screen());
    d.type_text(ADMIN_PASSWORD);
    assert_snapshot!("teller_counter_approval_dialog", d.screen());
    d.press(KeyCode::Enter).settle();
    // Approved, and large cash out: the customer's ID, then the same withdrawal again.
    assert!(matches!(d.app.screens().counter.stage, Stage::Identify(..)));
    d.type_text("X1234567")
        .press(KeyCode::Tab)
        .type_text("PR")
        .press(KeyCode::Tab)
        .type_text("2031-01-31")
        .press(KeyCode::Enter)
        .settle();
    assert_snapshot!("teller_counter_withdrawal_receipt", d.screen());
    assert_eq!(d.bank.accounts[0].balance, money("8000.00"));
    // Refused with the wrong password, then sent with the right one (again with the ID).
    let sent = d.bank.approvals_sent();
    assert_eq!(sent[0], admin_with("wrong-password"));
    assert!(
        sent.len() >= 2 && sent[1..].iter().all(|a| *a == admin_with(ADMIN_PASSWORD)),
        "{sent:?}"
    );
}

#[test]
fn an_approval_required_answer_opens_the_supervisor_dialog() {
    // The limit is not known yet (its answer is held): the bank's refusal asks instead.
    let mut bank = FakeBank::demo().with_open_drawer();
    bank.accounts[0].balance = money("20000.00");
    bank.refuse_next("counter_transfer", || {
        BankError::ApprovalRequired(ApprovalNeed::AboveLimit {
            limit: money("10000.00"),
        })
    });
    let mut d = teller_with(bank);
    d.type_text("julis").pause().press(KeyCode::Enter).settle();
    d.press(KeyCode::Char('t')).hold();
    d.held.retain(|r| !matches!(r.job, Job::Limits {}));
    d.settle();
    d.type_text(&number(200_000_042))
        .settle()
        .press(KeyCode::Tab)
        .type_text("15000")
        .press(KeyCode::Enter)
        .press(KeyCode::Enter)
        .settle();
    assert!(matches!(d.app.screens().counter.stage, Stage::Approve(..)));
    assert!(d.screen().contains("needs a supervisor's approval"));
}

#[test]
fn teller_counter_drawer_closed() {
    let mut d = teller_with(FakeBank::demo());
    d.type_text("julis").pause().press(KeyCode::Enter).settle();
    d.press(KeyCode::Char('d'))
        .settle()
        .type_text("40")
        .press(KeyCode::Enter)
        .press(KeyCode::Enter)
        .settle();
    assert_snapshot!(d.screen());
}

#[test]
fn the_counter_keeps_its_key_until_success() {
    let mut d = card();
    d.press(KeyCode::Char('d'))
        .settle()
        .type_text("10")
        .press(KeyCode::Enter);
    let key = d.app.screens().counter.key().cloned().expect("a key");
    d.press(KeyCode::Esc).press(KeyCode::Enter);
    assert_eq!(
        d.app.screens().counter.key(),
        Some(&key),
        "same form, same key"
    );
    d.press(KeyCode::Esc).type_text("0").press(KeyCode::Enter);
    assert_ne!(
        d.app.screens().counter.key(),
        Some(&key),
        "edited: a new key"
    );
}

// ---------------------------------------------------------------- drawer

#[test]
fn teller_drawer_open_figures() {
    let mut d = teller();
    d.press(KeyCode::F(5)).settle();
    assert_snapshot!(d.screen());
}

#[test]
fn teller_drawer_opening_count() {
    let mut d = teller_with(FakeBank::demo());
    d.press(KeyCode::F(5)).settle();
    d.press(KeyCode::Tab)
        .type_text("15")
        .press(KeyCode::Tab)
        .type_text("10")
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("x7");
    assert_snapshot!(d.screen());
    // The float comes from the vault: a supervisor approves it on the teller's screen.
    d.press(KeyCode::Enter).settle();
    assert_snapshot!("teller_drawer_float_approval", d.screen());
    d.bank.refuse_next("open_drawer", wrong_supervisor_password);
    d.type_text(ADMIN_EMAIL)
        .press(KeyCode::Tab)
        .type_text("wrong password")
        .press(KeyCode::Enter)
        .settle();
    assert!(
        d.screen().contains("The approval was refused"),
        "{}",
        d.screen()
    );
    assert!(
        d.bank.drawer.is_none(),
        "nothing opened without the approval"
    );
    d.type_text(ADMIN_PASSWORD).press(KeyCode::Enter).settle();
    assert!(d
        .screen()
        .contains("Drawer open with a float of USD 2,070.00."));
    assert_eq!(
        d.bank.drawer.as_ref().map(|dr| dr.opening_count.as_str()),
        Some("100x15 50x10 10x7"),
        "letters are not typed into a count"
    );
    assert_eq!(
        d.bank.approvals_sent(),
        [admin_with("wrong password"), admin_with(ADMIN_PASSWORD)]
    );
}

#[test]
fn teller_drawer_blind_closing_count() {
    let mut d = teller();
    d.press(KeyCode::F(5)).settle().press(KeyCode::Char('c'));
    d.type_text("20").press(KeyCode::Tab).type_text("7");
    let screen = d.screen();
    assert_snapshot!("teller_drawer_closing_count", screen);
    // Blind: neither the expected cash nor the cash in and out are on the screen.
    for hidden in [
        "2,380.00", "Expected", "500.00", "120.00", "Cash in", "Cash out",
    ] {
        assert!(!screen.contains(hidden), "{hidden} shows: {screen}");
    }
    d.press(KeyCode::Enter);
    let confirm = d.screen();
    assert!(!confirm.contains("2,380.00"), "{confirm}");
    assert_snapshot!("teller_drawer_close_confirm", confirm);
    d.press(KeyCode::Enter).settle();
    assert_snapshot!("teller_drawer_closed_short", d.screen());
    assert_eq!(
        d.bank.drawer.as_ref().and_then(|dr| dr.over_short),
        Some(money("-30.00"))
    );
}

/// Cells on the screen showing `symbol`.
fn cells_with(d: &mut Driver, symbol: &str) -> Vec<ratatui::buffer::Cell> {
    let buffer = d.draw();
    buffer
        .content()
        .iter()
        .filter(|c| c.symbol() == symbol)
        .cloned()
        .collect()
}

#[test]
fn teller_drawer_bars_by_denomination_in_columns() {
    let mut d = teller_with(FakeBank::demo());
    d.press(KeyCode::F(5)).settle();
    // Seven denominations counted: three rows under the grid hold them in three columns.
    for pieces in ["15", "10", "5", "3", "4", "2", "20"] {
        d.press(KeyCode::Tab).type_text(pieces);
    }
    let screen = d.screen();
    assert_snapshot!(screen);
    for denomination in ["100.00 ███", "20.00 ▋", "1.00 ▏"] {
        assert!(screen.contains(denomination), "{denomination}: {screen}");
    }
    // The bars carry their meaning in their length, not in a colour.
    let bars = cells_with(&mut d, "█");
    assert!(!bars.is_empty());
    assert!(
        bars.iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "a fixed colour on a bar"
    );
}

#[test]
fn teller_drawer_bars_leave_out_what_is_expected() {
    let mut d = teller();
    d.press(KeyCode::F(5)).settle().press(KeyCode::Char('c'));
    // Nothing counted yet: no bars, and nothing of the expected cash.
    let screen = d.screen();
    assert!(!screen.contains('█'), "{screen}");
    assert!(!screen.contains('%'), "{screen}");
    d.type_text("20");
    let screen = d.screen();
    assert!(screen.contains("100.00 ████"), "{screen}");
    assert!(
        screen.contains("100%"),
        "a share of what was counted: {screen}"
    );
}

// ---------------------------------------------------------------- register

#[test]
fn teller_register_empty() {
    let mut d = teller();
    d.press(KeyCode::F(6));
    assert_snapshot!(d.screen());
}

#[test]
fn teller_register_inline_errors() {
    let mut d = teller();
    d.press(KeyCode::F(6))
        .type_text("Nina")
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("two hundred")
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("nina@")
        .press(KeyCode::Tab);
    assert_snapshot!("teller_register_inline_errors", d.screen());
    d.press(KeyCode::Enter);
    assert!(
        d.app.queued_requests().is_empty(),
        "nothing sent with errors"
    );
    assert_snapshot!("teller_register_submit_errors", d.screen());
}

fn registered() -> Driver {
    let mut d = teller();
    d.press(KeyCode::F(6))
        .fill(&[&NINA[..], &["a-long-enough-secret", "a-long-enough-secret"]].concat())
        .press(KeyCode::Enter)
        .settle();
    d
}

#[test]
fn teller_register_first_account() {
    let mut d = registered();
    d.press(KeyCode::Tab).type_text("500");
    assert_snapshot!(d.screen());
}

#[test]
fn registering_goes_on_to_the_account_and_the_opening_deposit() {
    let mut d = registered();
    d.press(KeyCode::Tab)
        .type_text("500")
        .press(KeyCode::Enter)
        .settle();
    assert_eq!(d.app.route(), Route::Counter);
    assert_snapshot!("teller_register_opening_deposit_confirm", d.screen());
    d.press(KeyCode::Enter)
        .settle()
        .press(KeyCode::Esc)
        .settle();
    assert_eq!(d.app.route(), Route::Card);
    let screen = d.screen();
    assert!(screen.contains("Nina Novak"), "{screen}");
    assert!(screen.contains("500.00"), "{screen}");
}

#[test]
fn skipping_the_first_account_goes_to_the_card() {
    let mut d = registered();
    d.press(KeyCode::Esc).settle();
    assert_eq!(d.app.route(), Route::Card);
    assert!(d.screen().contains("No accounts yet"));
}

#[test]
fn a_taken_email_is_shown_under_the_field() {
    let mut d = teller();
    d.press(KeyCode::F(6))
        .type_text("Di")
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("30")
        .press(KeyCode::Tab)
        .type_text("USA")
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text(EMAIL)
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("a-long-enough-secret")
        .press(KeyCode::Tab)
        .type_text("a-long-enough-secret")
        .press(KeyCode::Enter)
        .settle();
    assert!(d.screen().contains("another user already has this email"));
    assert_eq!(d.app.screens().register.focus, 5);
}

// ---------------------------------------------------------------- help, quitting

#[test]
fn teller_help_on_the_card_scrolls() {
    let mut d = card();
    d.press(KeyCode::Char('?'));
    assert!(matches!(d.app.overlay(), Some(Overlay::Help(_))));
    assert_snapshot!("teller_help_on_the_card", d.screen());
    for _ in 0..30 {
        d.press(KeyCode::Down);
    }
    assert_snapshot!("teller_help_on_the_card_scrolled", d.screen());
}

#[test]
fn quitting_asks_when_the_counter_holds_an_amount() {
    let mut d = card();
    d.press(KeyCode::Char('d')).settle().type_text("40");
    d.ctrl('c');
    assert!(matches!(d.app.overlay(), Some(Overlay::QuitConfirm(_))));
}

// ---------------------------------------------------------------- styles

#[test]
fn the_supervisor_dialog_masks_the_password_and_marks_focus_and_errors() {
    let mut d = rich_card();
    d.bank.refuse_next("withdraw", wrong_supervisor_password);
    d.press(KeyCode::Char('w'))
        .settle()
        .type_text("12000")
        .press(KeyCode::Enter)
        .press(KeyCode::Enter)
        .type_text(ADMIN_EMAIL)
        .press(KeyCode::Tab)
        .type_text("wrong")
        .press(KeyCode::Enter)
        .settle();
    // The refusal: marked and coloured.
    assert_eq!(d.bank.approvals_sent(), [admin_with("wrong")]);
    let (ex, ey) = d.find("✗ The approval was refused");
    let buffer = d.draw().clone();
    assert_eq!(buffer[(ex, ey)].fg, Color::Red);
    assert!(buffer[(ex + 2, ey)].modifier.contains(Modifier::BOLD));
    // The focus moved to the (cleared) password: marker and bold label.
    let (px, py) = d.find("▶ Password");
    assert!(buffer[(px + 2, py)].modifier.contains(Modifier::BOLD));
    let (sx, sy) = d.find("Supervisor  ");
    assert_eq!(buffer[(sx - 2, sy)].symbol(), " ");
    // One mask per character typed, whatever its size in bytes.
    d.type_text("pässwörd€");
    let screen = d.screen();
    assert!(screen.contains("[•••••••••  "), "nine masks: {screen}");
    assert!(!screen.contains("pässwörd"));
}

#[test]
fn the_selected_account_and_movement_are_marked_and_reversed() {
    let mut d = card();
    let (x, y) = d.find("▶ 1000 0012");
    let buffer = d.draw().clone();
    assert!(buffer[(x + 3, y)].modifier.contains(Modifier::REVERSED));
    // In the movements pane the account keeps its marker, the movement gets the highlight.
    d.press(KeyCode::Tab);
    let (mx, my) = d.find("▶ #5000");
    let buffer = d.draw().clone();
    assert!(buffer[(mx + 3, my)].modifier.contains(Modifier::REVERSED));
    assert!(!buffer[(x + 3, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn teller_counter_large_cash_asks_for_the_customers_id() {
    let mut d = card();
    d.bank.refuse_next("deposit", large_cash_without_id);
    d.press(KeyCode::Char('d'))
        .settle()
        .type_text("12000")
        .press(KeyCode::Enter)
        .press(KeyCode::Enter)
        .settle();
    assert!(matches!(d.app.screens().counter.stage, Stage::Identify(..)));
    assert_snapshot!("teller_counter_id_required", d.screen());
    // An expired document is refused in the form; nothing is sent.
    d.type_text("x1234567")
        .press(KeyCode::Tab)
        .type_text("pr")
        .press(KeyCode::Tab)
        .type_text("2020-01-31")
        .press(KeyCode::Enter);
    assert!(d.app.queued_requests().is_empty());
    assert!(d.screen().contains("expired"), "{}", d.screen());
    for _ in 0..10 {
        d.press(KeyCode::Backspace);
    }
    d.type_text("2031-01-31").press(KeyCode::Enter);
    let sent = d
        .app
        .queued_requests()
        .iter()
        .find_map(|r| match &r.job {
            Job::Cash { request, .. } => request.id.clone(),
            _ => None,
        })
        .expect("sent with the ID");
    assert_eq!(sent.number, "X1234567");
    assert_eq!(sent.country, "PR");
    d.settle();
    assert!(matches!(d.app.screens().counter.stage, Stage::Done(_)));
}
