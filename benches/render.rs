//! Time to draw each screen of the full-screen app at 80x24 (render + diff into a TestBackend).
//! `cargo bench --bench render`; prints the mean microseconds per frame of each screen.
//! The target is well under a millisecond per frame.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::hint::black_box;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;
use teller::tui::testing::{number, Driver, FakeBank};

const ITERATIONS: u32 = 2_000;

fn screens() -> Vec<(&'static str, Driver)> {
    let login = Driver::new();
    let mut login_error = Driver::new();
    login_error
        .type_text("di.julis@icloud.com")
        .press(KeyCode::Tab)
        .type_text("wrong")
        .press(KeyCode::Enter)
        .settle();
    let home = logged_in();
    let mut transfer = logged_in();
    transfer
        .press(KeyCode::F(3))
        .type_text(&number(200_000_042))
        .settle()
        .press(KeyCode::Tab)
        .type_text("250.00");
    let mut confirm = logged_in();
    confirm
        .press(KeyCode::F(3))
        .type_text(&number(200_000_042))
        .settle()
        .press(KeyCode::Tab)
        .type_text("250.00")
        .press(KeyCode::Enter);
    let mut done = logged_in();
    done.press(KeyCode::F(3))
        .type_text(&number(200_000_042))
        .settle()
        .press(KeyCode::Tab)
        .type_text("250.00")
        .press(KeyCode::Enter)
        .press(KeyCode::Enter)
        .settle();
    let mut history = logged_in();
    history.press(KeyCode::F(4)).settle();
    let mut profile = logged_in();
    profile.press(KeyCode::F(5)).settle();
    let mut profile_edit = logged_in();
    profile_edit
        .press(KeyCode::F(5))
        .settle()
        .press(KeyCode::Char('e'));
    let mut password = logged_in();
    password
        .press(KeyCode::F(5))
        .settle()
        .press(KeyCode::Char('c'))
        .type_text("something");
    let mut help = logged_in();
    help.press(KeyCode::Char('?'));
    let mut lock = logged_in();
    lock.wait(Duration::from_secs(301));
    let mut too_small = logged_in();
    too_small.resize(60, 20);
    let mut palette = logged_in();
    palette.ctrl('p').type_text("hist");
    vec![
        ("login", login),
        ("login (error)", login_error),
        ("accounts (home)", home),
        ("transfer form", transfer),
        ("transfer confirm", confirm),
        ("transfer result", done),
        ("history", history),
        ("profile", profile),
        ("profile edit", profile_edit),
        ("change password", password),
        ("help overlay", help),
        ("idle lock", lock),
        ("too small", too_small),
        ("command palette", palette),
    ]
    .into_iter()
    .chain(teller_screens())
    .collect()
}

/// The teller's workstation.
fn teller_screens() -> Vec<(&'static str, Driver)> {
    let teller = || {
        let mut d = Driver::new();
        d.bank = FakeBank::demo().with_open_drawer();
        d.login_teller();
        d
    };
    let card = || {
        let mut d = teller();
        d.type_text("julis").pause().press(KeyCode::Enter).settle();
        d
    };
    let mut lookup = teller();
    lookup.type_text("ju").pause();
    let mut counter = card();
    counter
        .press(KeyCode::Char('d'))
        .settle()
        .type_text("250")
        .press(KeyCode::Enter);
    let mut approval = card();
    approval.press(KeyCode::Char('x')).press(KeyCode::Char('x'));
    let mut drawer = teller();
    drawer.press(KeyCode::F(5)).settle();
    let mut closing = teller();
    closing
        .press(KeyCode::F(5))
        .settle()
        .press(KeyCode::Char('c'))
        .type_text("20");
    let mut register = teller();
    register.press(KeyCode::F(6)).type_text("Nina");
    let mut staff_palette = teller();
    staff_palette.ctrl('p').type_text("julis").pause();
    vec![
        ("teller lookup", lookup),
        ("customer card", card()),
        ("counter confirm", counter),
        ("reversal approval", approval),
        ("drawer", drawer),
        ("drawer closing count", closing),
        ("register", register),
        ("palette, customer found", staff_palette),
    ]
}

fn logged_in() -> Driver {
    let mut d = Driver::new();
    d.login();
    d
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let iterations = if quick { 10 } else { ITERATIONS };
    println!("render time per frame at 80x24, mean of {iterations} frames");
    let mut worst = Duration::ZERO;
    for (name, mut driver) in screens() {
        for _ in 0..iterations.min(100) {
            black_box(driver.draw());
        }
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(driver.draw());
        }
        let mean = started.elapsed() / iterations;
        worst = worst.max(mean);
        println!("{name:<20} {:>8.1} µs", mean.as_secs_f64() * 1e6);
    }
    println!("{:<20} {:>8.1} µs", "slowest", worst.as_secs_f64() * 1e6);
}
