//! The command palette, key by key on the fake bank: what it offers to whom, fuzzy matching,
//! running an action on another screen (also one that must wait for its screen to load), the
//! staff's customer lookup through the worker, and how it closes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::time::Duration;

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use teller::tui::app::{Overlay, Route};
use teller::tui::screens::palette::PaletteAction;
use teller::tui::testing::{number, Driver, EMAIL};
use teller::tui::worker::Job;

fn labels(d: &Driver) -> Vec<String> {
    d.app
        .palette()
        .expect("the palette is open")
        .visible()
        .iter()
        .map(|e| e.label.clone())
        .collect()
}

#[test]
fn ctrl_p_opens_it_and_a_fuzzy_query_runs_the_best_match() {
    let mut d = Driver::customer();
    d.ctrl('p');
    assert!(matches!(d.app.overlay(), Some(Overlay::Palette(_))));
    assert_snapshot!("palette_open_on_home", d.screen());
    d.type_text("hstry");
    assert!(
        labels(&d)[0].starts_with("Go to History"),
        "{:?}",
        labels(&d)
    );
    d.press(KeyCode::Enter).settle();
    assert!(d.app.overlay().is_none());
    assert_eq!(d.app.route(), Route::History);
}

#[test]
fn a_customer_is_offered_only_what_a_customer_may_do() {
    let mut d = Driver::customer();
    d.ctrl('p');
    let all = labels(&d);
    assert!(
        all.iter().any(|l| l.starts_with("Go to Transfer")),
        "{all:?}"
    );
    assert!(all.iter().any(|l| l.contains("Export")), "{all:?}");
    for staff_only in ["Counter", "Drawer", "Card", "Deposit", "Freeze"] {
        assert!(
            !all.iter().any(|l| l.contains(staff_only)),
            "{staff_only} in {all:?}"
        );
    }
    // Typing a name searches nothing for a customer: no request leaves.
    d.type_text("rossi");
    d.wait(Duration::from_millis(400));
    assert!(d.app.queued_requests().is_empty());
}

#[test]
fn colon_opens_it_only_when_nothing_is_being_typed() {
    let mut d = Driver::customer();
    d.press(KeyCode::Char(':'));
    assert!(matches!(d.app.overlay(), Some(Overlay::Palette(_))));
    d.press(KeyCode::Esc);
    assert!(d.app.overlay().is_none());
    // In the transfer form's memo, ':' is text.
    d.press(KeyCode::F(3))
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("rent: March");
    assert!(d.app.overlay().is_none());
    assert_eq!(d.app.screens().transfer.memo.value(), "rent: March");
    // Ctrl-P works while typing.
    d.ctrl('p');
    assert!(matches!(d.app.overlay(), Some(Overlay::Palette(_))));
}

#[test]
fn an_action_of_another_screen_waits_for_that_screen_to_load() {
    let mut d = Driver::teller();
    d.ctrl('p').type_text("close drawer");
    let chosen = d.app.palette().unwrap().chosen();
    assert!(
        matches!(chosen, Some(PaletteAction::Run(Route::Drawer, _))),
        "{chosen:?} in {:?}",
        labels(&d)
    );
    // The drawer loads on the worker first; the closing count opens once it has answered.
    d.press(KeyCode::Enter);
    assert_eq!(d.app.route(), Route::Drawer);
    assert!(d
        .app
        .queued_requests()
        .iter()
        .any(|r| matches!(r.job, Job::Drawer { .. })));
    d.settle();
    let screen = d.screen();
    assert!(
        screen.contains("Close my drawer") || screen.contains("closing"),
        "{screen}"
    );
}

#[test]
fn staff_find_a_customer_and_an_account_number_as_they_type() {
    let mut d = Driver::teller();
    let account = d.bank.accounts[0].number.clone();
    d.ctrl('p').type_text("julis");
    // The search waits for a pause in typing, like the lookup screen.
    assert!(d.app.queued_requests().is_empty());
    d.pause();
    let all = labels(&d);
    assert!(
        all.iter().any(|l| l.contains("Customer Diana Julis")),
        "{all:?}"
    );
    d.press(KeyCode::Enter).settle();
    assert_eq!(d.app.route(), Route::Card);
    assert!(d.screen().contains(EMAIL));

    // A whole account number finds its owner, and the account gets a line of its own.
    d.ctrl('p').type_text(account.as_str()).pause();
    let all = labels(&d);
    assert!(all.iter().any(|l| l.starts_with("Account ")), "{all:?}");
    let other = number(200_000_042);
    d.press(KeyCode::Esc).ctrl('p').type_text(&other).pause();
    assert!(
        labels(&d).iter().any(|l| l.contains("Rossi")),
        "{:?}",
        labels(&d)
    );
}

#[test]
fn nothing_matches_says_so_and_enter_does_nothing() {
    let mut d = Driver::customer();
    d.ctrl('p').type_text("zzzzqqq");
    assert!(labels(&d).is_empty());
    assert!(d.screen().contains("Nothing matches."));
    d.press(KeyCode::Enter);
    assert!(matches!(d.app.overlay(), Some(Overlay::Palette(_))));
    assert_eq!(d.app.route(), Route::Accounts);
}

#[test]
fn ctrl_c_in_the_palette_quits_as_anywhere() {
    let mut d = Driver::customer();
    d.ctrl('p').ctrl('c');
    assert!(d.app.should_quit());
}

#[test]
fn s_writes_this_months_statement_from_home_and_from_the_card() {
    let mut d = Driver::customer();
    d.press(KeyCode::Char('s'));
    let asked = d
        .app
        .queued_requests()
        .iter()
        .find_map(|r| match &r.job {
            Job::Statement { month, path, .. } => Some((month.to_string(), path.clone())),
            _ => None,
        })
        .expect("a statement request");
    assert_eq!(asked.0, "2026-03", "the fixture clock's month");
    assert!(asked.1.starts_with("/tmp/teller-exports"));
    d.settle();
    assert!(
        d.screen().contains("Statement written to"),
        "{}",
        d.screen()
    );

    // The palette offers it too.
    let mut d = Driver::teller();
    d.type_text("julis").pause().press(KeyCode::Enter).settle();
    d.ctrl('p')
        .type_text("statement")
        .press(KeyCode::Enter)
        .settle();
    assert!(
        d.screen().contains("Statement written to"),
        "{}",
        d.screen()
    );
}
