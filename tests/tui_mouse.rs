//! The mouse, fed as events to the real `App` on the fake bank: a click on a tab, on a footer
//! key (the dialogs' buttons), on a field, on a row and on a palette line; the wheel; and the
//! switch that turns it all off.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::sync::Arc;

use ratatui::crossterm::event::KeyCode;
use teller::tui::app::{App, Overlay, Route};
use teller::tui::screens::login::Stop;
use teller::tui::testing::{config, Driver};

/// A click on a word of the footer (the last row).
fn click_footer(d: &mut Driver, word: &str) {
    let screen = d.screen();
    let (row, line) = screen.lines().enumerate().last().unwrap();
    let byte = line
        .find(word)
        .unwrap_or_else(|| panic!("{word:?} not in {line:?}"));
    let column = line[..byte].chars().count();
    d.click(column as u16, row as u16);
}

#[test]
fn a_click_on_a_tab_opens_it() {
    let mut d = Driver::customer();
    d.click_on("F4 History").settle();
    assert_eq!(d.app.route(), Route::History);
    d.click_on("F2 Accounts").settle();
    assert_eq!(d.app.route(), Route::Accounts);
}

/// An admin has seven tabs: at 80 columns they close up, and every one is there to click.
#[test]
fn an_admins_seven_tabs_fit_80_columns_and_each_opens_with_a_click() {
    let mut d = Driver::supervisor_on(teller::tui::testing::FakeBank::demo());
    let tabs = d.screen().lines().nth(1).unwrap().to_string();
    assert!(
        tabs.contains("F7 Profile") && tabs.contains("F8 Vault"),
        "{tabs}"
    );
    d.click_on("F7 Profile").settle();
    assert_eq!(d.app.route(), Route::Profile);
    d.click_on("F8 Vault").settle();
    assert_eq!(d.app.route(), Route::Vault);
    d.click_on("F4 Counter").settle();
    assert_eq!(d.app.route(), Route::Counter);
}

#[test]
fn a_click_on_a_footer_key_presses_it_so_dialog_keys_are_buttons() {
    let mut d = Driver::customer();
    click_footer(&mut d, "transfer");
    d.settle();
    assert_eq!(d.app.route(), Route::Transfer);
    // A form with input: quitting asks, and "stay" in the footer answers the question.
    d.type_text("12");
    d.ctrl('c');
    assert!(matches!(d.app.overlay(), Some(Overlay::QuitConfirm(_))));
    click_footer(&mut d, "stay");
    assert!(d.app.overlay().is_none());
    assert!(!d.app.should_quit());
    d.ctrl('c');
    click_footer(&mut d, "quit");
    assert!(d.app.should_quit());
}

#[test]
fn a_click_on_a_field_gives_it_the_focus() {
    let mut d = Driver::new();
    assert!(d.app.screens().login.focus.is(Stop::Email));
    d.click_on("Password");
    assert!(d.app.screens().login.focus.is(Stop::Password));
    d.type_text("x");
    assert_eq!(d.app.screens().login.password.value(), "x");
    d.click_on("Email");
    assert!(d.app.screens().login.focus.is(Stop::Email));
}

#[test]
fn a_click_chooses_a_row_and_a_second_click_opens_it() {
    let mut d = Driver::teller();
    d.type_text(".com").pause();
    assert!(d.app.screens().customers.hits.len() >= 2);
    let second = d.app.screens().customers.hits[1].email.to_string();
    d.click_on(&second);
    assert_eq!(d.app.screens().customers.selected, 1);
    assert_eq!(d.app.route(), Route::Customers);
    d.click_on(&second).settle();
    assert_eq!(d.app.route(), Route::Card);
    assert!(d.screen().contains(&second));
}

#[test]
fn the_wheel_moves_through_a_list() {
    let mut d = Driver::customer();
    assert!(d.app.data().accounts.len() >= 2);
    assert_eq!(d.app.data().selected, 0);
    d.scroll(true).settle();
    assert_eq!(d.app.data().selected, 1);
    d.scroll(false).settle();
    assert_eq!(d.app.data().selected, 0);
}

#[test]
fn a_click_on_a_palette_line_runs_it() {
    let mut d = Driver::customer();
    d.ctrl('p');
    d.click_on("Go to Profile").settle();
    assert!(d.app.overlay().is_none());
    assert_eq!(d.app.route(), Route::Profile);
}

#[test]
fn with_the_mouse_off_clicks_do_nothing() {
    let mut d = Driver::customer();
    let mut off = config();
    off.mouse = false;
    let clock = d.clock.clone();
    d.app = App::new(off, Arc::new(clock));
    d.login();
    d.click_on("F4 History").settle();
    assert_eq!(d.app.route(), Route::Accounts);
    d.scroll(true);
    assert_eq!(d.app.data().selected, 0);
}

#[test]
fn clicks_do_not_reach_a_locked_screen() {
    let mut d = Driver::customer();
    d.app.lock_now();
    d.click(20, 1).scroll(true);
    assert!(d.app.is_locked());
    d.press(KeyCode::Esc);
    assert!(d.app.is_locked());
}
