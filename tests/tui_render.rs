//! Every screen of the full-screen app drawn into a `TestBackend` at 80x24 and snapshotted, plus
//! focus, masking and error styling checked cell by cell. No database: a fake bank answers the
//! worker's jobs, the clock is fixed, so every snapshot is the same on every run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use rust_decimal::Decimal;
use teller::services::{BankError, HistoryEntry};
use teller::tui::app::{Overlay, Route};
use teller::tui::screens::transfer::Stage;
use teller::tui::testing::{number, Driver, FakeBank, EMAIL, PASSWORD};
use teller::tui::worker::{Job, ReplyBody, WorkerMessage};

fn logged_in() -> Driver {
    let d = Driver::customer();
    assert_eq!(d.app.route(), Route::Accounts);
    d
}

/// The transfer form filled in for 250.00 to M. Rossi.
fn filled_transfer() -> Driver {
    let mut d = logged_in();
    d.press(KeyCode::F(3))
        .type_text(&number(200_000_042))
        .settle()
        .press(KeyCode::Tab)
        .type_text("250.00")
        .press(KeyCode::Tab)
        .type_text("rent March");
    d
}

// ---------------------------------------------------------------- login

#[test]
fn login_empty() {
    let mut d = Driver::new();
    assert_snapshot!(d.screen());
}

#[test]
fn login_field_errors() {
    let mut d = Driver::new();
    d.type_text("di.julis@")
        .press(KeyCode::Tab)
        .press(KeyCode::Enter);
    assert_snapshot!(d.screen());
    assert!(
        d.app.queued_requests().is_empty(),
        "nothing is sent with a bad email"
    );
}

#[test]
fn login_waiting_shows_a_spinner_and_esc_still_works() {
    let mut d = Driver::new();
    d.type_text(EMAIL)
        .press(KeyCode::Tab)
        .type_text(PASSWORD)
        .press(KeyCode::Enter)
        .hold()
        .tick()
        .tick();
    assert_snapshot!(d.screen());
    d.press(KeyCode::Esc).settle();
    assert_eq!(d.app.route(), Route::Login, "Esc gave up on the answer");
}

#[test]
fn login_wrong_password() {
    let mut d = Driver::new();
    d.type_text(EMAIL)
        .press(KeyCode::Tab)
        .type_text("not-the-password")
        .press(KeyCode::Enter)
        .settle();
    assert_eq!(d.app.route(), Route::Login);
    assert_snapshot!(d.screen());
}

#[test]
fn login_locked_out() {
    let mut d = Driver::new();
    d.type_text(EMAIL)
        .press(KeyCode::Tab)
        .type_text("guess")
        .press(KeyCode::Enter)
        .hold();
    let id = d.held.pop().expect("a login request").id;
    let until = teller::tui::testing::fixed_wall() + chrono::Duration::minutes(15);
    d.reply(id, ReplyBody::Session(Err(BankError::UserLocked { until })));
    assert_snapshot!(d.screen());
}

#[test]
fn login_with_a_password_set_by_someone_else_asks_for_a_new_one() {
    let mut d = Driver::new();
    d.type_text(EMAIL)
        .press(KeyCode::Tab)
        .type_text("set-by-the-teller")
        .press(KeyCode::Enter)
        .hold();
    let id = d.held.pop().expect("a login request").id;
    d.reply(
        id,
        ReplyBody::Session(Err(BankError::PasswordChangeRequired)),
    );
    assert_eq!(d.app.route(), Route::Login);
    assert_snapshot!("login_forced_change", d.screen());
    // Two different new passwords: the form says so and sends nothing.
    d.type_text("my-own-passphrase-1")
        .press(KeyCode::Tab)
        .type_text("my-own-passphrase-2")
        .press(KeyCode::Enter)
        .hold();
    assert!(d.held.is_empty(), "nothing is sent while the two differ");
    assert!(d.screen().contains("differ"), "{}", d.screen());
    // The same twice: the change goes to the bank with the current password typed at login.
    for _ in 0.."my-own-passphrase-2".len() {
        d.press(KeyCode::Backspace);
    }
    d.type_text("my-own-passphrase-1")
        .press(KeyCode::Enter)
        .hold();
    let request = d.held.pop().expect("a change request");
    match request.job {
        Job::ChangePasswordAtLogin { current, new, .. } => {
            assert_eq!(current.expose(), "set-by-the-teller");
            assert_eq!(new.expose(), "my-own-passphrase-1");
        }
        other => panic!("expected a forced change, got {other:?}"),
    }
    // Esc leaves the change for an empty login form.
    d.press(KeyCode::Esc).press(KeyCode::Esc);
    assert!(d.screen().contains("Log in to teller"), "{}", d.screen());
}

#[test]
fn nothing_but_login_is_reachable_before_login() {
    let mut d = Driver::new();
    for key in [KeyCode::F(2), KeyCode::F(3), KeyCode::F(4), KeyCode::F(5)] {
        d.press(key);
        assert_eq!(d.app.route(), Route::Login);
    }
}

// ---------------------------------------------------------------- home

#[test]
fn home_accounts_and_last_movements() {
    let mut d = logged_in();
    assert_snapshot!(d.screen());
}

#[test]
fn home_selecting_another_account_loads_its_movements() {
    let mut d = logged_in();
    d.press(KeyCode::Down).settle();
    assert_eq!(d.app.data().selected, 1);
    assert_snapshot!(d.screen());
}

#[test]
fn home_sparkline_per_account_from_one_request() {
    let mut d = Driver::new();
    // The second account's balance climbs by 10.00 a movement, up to its 120.00 today.
    let climbing: Vec<HistoryEntry> = d.bank.history[&number(100_000_123)]
        .iter()
        .take(12)
        .enumerate()
        .map(|(i, e)| HistoryEntry {
            balance_after: Decimal::new(12_000 - 1_000 * i as i64, 2),
            ..e.clone()
        })
        .collect();
    d.bank.history.insert(number(100_000_456), climbing);
    d.login();
    assert_snapshot!(d.screen());
    let screen = d.screen();
    assert!(screen.contains("120.00      ▁▂▂▃▄▄▅▅▆▇▇█ │"), "{screen}");

    // A refresh asks for the trends of all three accounts at once.
    d.press(KeyCode::Char('r')).hold();
    for request in std::mem::take(&mut d.held) {
        let body = d.bank.answer(request.job);
        d.reply(request.id, body);
    }
    d.hold();
    let trends: Vec<&Job> = d
        .held
        .iter()
        .map(|r| &r.job)
        .filter(|job| matches!(job, Job::Trends { .. }))
        .collect();
    assert_eq!(trends.len(), 1, "one request for every account");
    let Job::Trends { accounts, .. } = trends[0] else {
        unreachable!()
    };
    assert_eq!(accounts.len(), 3);
    // The sparklines carry no fixed colour.
    d.settle();
    let buffer = d.draw();
    assert!(buffer
        .content()
        .iter()
        .filter(|c| "▁▂▃▄▅▆▇█".contains(c.symbol()))
        .all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
}

// ---------------------------------------------------------------- transfer

#[test]
fn transfer_form_empty() {
    let mut d = logged_in();
    d.press(KeyCode::F(3));
    assert_snapshot!(d.screen());
}

#[test]
fn transfer_form_errors_come_from_the_domain() {
    let mut d = logged_in();
    // One digit wrong: the check digit catches it as it is typed.
    let mut wrong = number(200_000_042);
    let last = wrong.pop().expect("digit");
    wrong.push(if last == '9' { '0' } else { '9' });
    d.press(KeyCode::F(3))
        .type_text(&wrong)
        .press(KeyCode::Tab)
        .type_text("12.345")
        .press(KeyCode::Enter);
    assert_snapshot!(d.screen());
}

#[test]
fn transfer_recipient_is_shown_once_the_number_is_valid() {
    let mut d = logged_in();
    d.press(KeyCode::F(3)).type_text("20000");
    assert!(d.screen().contains("5 of 10 digits"));
    d.type_text(&number(200_000_042)[5..]).settle();
    assert_snapshot!(d.screen());
}

#[test]
fn transfer_confirm_dialog() {
    let mut d = filled_transfer();
    d.press(KeyCode::Enter);
    assert!(matches!(d.app.screens().transfer.stage, Stage::Confirm(_)));
    assert_snapshot!(d.screen());
}

#[test]
fn transfer_confirm_esc_goes_back_with_the_form_intact() {
    let mut d = filled_transfer();
    d.press(KeyCode::Enter).press(KeyCode::Esc);
    let t = &d.app.screens().transfer;
    assert!(matches!(t.stage, Stage::Form));
    assert_eq!(t.amount.value(), "250.00");
    assert_eq!(t.memo.value(), "rent March");
    assert!(d.app.queued_requests().is_empty(), "nothing was sent");
}

#[test]
fn transfer_sending() {
    let mut d = filled_transfer();
    d.press(KeyCode::Enter).press(KeyCode::Enter).hold().tick();
    assert_snapshot!(d.screen());
}

#[test]
fn transfer_done() {
    let mut d = filled_transfer();
    d.press(KeyCode::Enter).press(KeyCode::Enter).settle();
    assert_snapshot!(d.screen());
    // The new balance is on the home screen too.
    d.press(KeyCode::Esc).settle();
    assert!(d.screen().contains("2,200.75"), "{}", d.screen());
}

#[test]
fn transfer_insufficient_funds() {
    let mut d = logged_in();
    d.press(KeyCode::F(3))
        .type_text(&number(200_000_042))
        .press(KeyCode::Tab)
        .type_text("5000")
        .settle()
        .press(KeyCode::Enter);
    assert_snapshot!("transfer_insufficient_confirm", d.screen());
    d.press(KeyCode::Enter).settle();
    assert_snapshot!(d.screen());
}

#[test]
fn transfer_keeps_its_key_until_success_or_edit() {
    let mut d = filled_transfer();
    d.press(KeyCode::Enter).press(KeyCode::Enter).hold();
    let first = d.held.pop().expect("transfer request");
    let Job::Transfer { request, .. } = &first.job else {
        panic!("not a transfer: {first:?}")
    };
    let key = request.key.clone();
    // The connection drops: no answer but "unavailable".
    d.worker(WorkerMessage::DatabaseDown("gone".into())).reply(
        first.id,
        ReplyBody::Transfer(Err(BankError::Unavailable("server has gone away".into()))),
    );
    assert_snapshot!("transfer_connection_lost", d.screen());
    // Sending the same form again reuses the key.
    d.press(KeyCode::Enter).press(KeyCode::Enter).hold();
    let second = d.held.pop().expect("transfer request");
    let Job::Transfer { request, .. } = &second.job else {
        panic!("not a transfer")
    };
    assert_eq!(request.key, key, "the resubmission reuses the key");
    d.reply(
        second.id,
        ReplyBody::Transfer(Err(BankError::Unavailable("still gone".into()))),
    );
    // An edit makes it another transfer, with another key.
    d.press(KeyCode::Char('!')).press(KeyCode::Backspace);
    assert_eq!(d.app.screens().transfer.key(), None);
    d.press(KeyCode::Enter);
    let Stage::Confirm(pending) = &d.app.screens().transfer.stage else {
        panic!("not confirming")
    };
    assert_ne!(pending.request.key, key);
    // Success forgets the key.
    d.press(KeyCode::Enter).settle();
    assert!(matches!(d.app.screens().transfer.stage, Stage::Done { .. }));
    assert_eq!(d.app.screens().transfer.key(), None);
}

// ---------------------------------------------------------------- history

#[test]
fn history_first_page() {
    let mut d = logged_in();
    d.press(KeyCode::F(4)).settle();
    assert_snapshot!(d.screen());
}

#[test]
fn history_pages_as_the_selection_moves() {
    let mut d = logged_in();
    d.press(KeyCode::F(4)).settle();
    assert_eq!(d.app.screens().history.entries.len(), 50);
    for _ in 0..5 {
        d.press(KeyCode::PageDown).settle();
    }
    let history = &d.app.screens().history;
    assert_eq!(history.selected, 50);
    assert_eq!(
        history.entries.len(),
        100,
        "the second page came in, not the whole history"
    );
    d.press(KeyCode::End).settle().press(KeyCode::End).settle();
    let history = &d.app.screens().history;
    assert_eq!(history.entries.len(), 120);
    assert!(!history.more);
    assert_snapshot!(d.screen());
}

#[test]
fn history_export_shows_the_path() {
    let mut d = logged_in();
    d.press(KeyCode::F(4))
        .settle()
        .press(KeyCode::Char('e'))
        .settle();
    assert_snapshot!(d.screen());
}

#[test]
fn history_balance_chart_marks_the_selected_movement() {
    let mut d = logged_in();
    d.press(KeyCode::F(4)).settle();
    for _ in 0..24 {
        d.press(KeyCode::Down);
    }
    d.settle();
    let screen = d.screen();
    assert_snapshot!(screen);
    // The axis is labelled with the lowest and highest balance loaded, as money.
    let history = &d.app.screens().history;
    let balances = history.entries.iter().map(|e| e.balance_after);
    let (low, high) = (balances.clone().min().unwrap(), balances.max().unwrap());
    for label in [low, high].map(teller::domain::format_money_grouped) {
        assert!(screen.contains(&format!("│{label}│")), "{label}: {screen}");
    }
    assert!(screen.contains("Balance from 2026-03-01 to 2026-03-14"));
    // One dot for the selected movement; the line carries no fixed colour.
    let chart_rows: Vec<&str> = screen.lines().skip(14).take(6).collect();
    assert_eq!(chart_rows.concat().matches('•').count(), 1, "{screen}");
    let buffer = d.draw();
    assert!(buffer
        .content()
        .iter()
        .filter(|c| c
            .symbol()
            .chars()
            .all(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch)))
        .all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
}

#[test]
fn history_without_two_movements_has_no_chart() {
    let mut d = logged_in();
    d.press(KeyCode::F(4))
        .settle()
        .press(KeyCode::Right)
        .settle();
    let screen = d.screen();
    assert!(screen.contains("1000 0045 64"), "{screen}");
    assert!(!screen.contains("Balance from"), "{screen}");
}

// ---------------------------------------------------------------- profile

#[test]
fn profile_view() {
    let mut d = logged_in();
    d.press(KeyCode::F(5)).settle();
    assert_snapshot!(d.screen());
}

#[test]
fn profile_edit_with_phone_changes() {
    let mut d = logged_in();
    d.press(KeyCode::F(5)).settle().press(KeyCode::Char('e'));
    // Tab to New phone and add a number, then to the list: mark the second for removal.
    for _ in 0..6 {
        d.press(KeyCode::Tab);
    }
    d.type_text("+1 787 555 0123").press(KeyCode::Enter);
    d.press(KeyCode::Tab)
        .press(KeyCode::Down)
        .press(KeyCode::Delete);
    assert_snapshot!(d.screen());
    d.press(KeyCode::Enter).settle();
    let phones = &d
        .app
        .screens()
        .profile
        .profile
        .as_ref()
        .expect("profile")
        .phones;
    assert_eq!(phones.len(), 2);
    assert!(phones.iter().any(|p| p.contains("0123")));
    assert!(d.screen().contains("Profile saved."));
}

#[test]
fn profile_edit_errors() {
    let mut d = logged_in();
    d.press(KeyCode::F(5)).settle().press(KeyCode::Char('e'));
    d.press(KeyCode::Tab).press(KeyCode::Tab); // Age
    d.ctrl('u').type_text("abc").press(KeyCode::Tab);
    d.ctrl('u').type_text("R2D2").press(KeyCode::Enter);
    assert_snapshot!(d.screen());
    assert!(d.app.queued_requests().is_empty());
}

#[test]
fn change_password_errors() {
    let mut d = logged_in();
    d.press(KeyCode::F(5)).settle().press(KeyCode::Char('c'));
    d.type_text("wrong-current")
        .press(KeyCode::Tab)
        .type_text("a-much-longer-secret")
        .press(KeyCode::Tab)
        .type_text("a-much-longer-secreT")
        .press(KeyCode::Enter);
    assert_snapshot!("change_password_differ", d.screen());
    d.ctrl('u')
        .type_text("a-much-longer-secret")
        .press(KeyCode::Enter)
        .settle();
    assert_snapshot!("change_password_wrong_current", d.screen());
    d.type_text(PASSWORD).press(KeyCode::Enter).settle();
    assert!(d.screen().contains("Password changed."));
    assert_eq!(d.bank.password, "a-much-longer-secret");
}

// ---------------------------------------------------------------- overlays and frame

#[test]
fn help_overlay_on_home() {
    let mut d = logged_in();
    d.press(KeyCode::Char('?'));
    assert!(matches!(d.app.overlay(), Some(Overlay::Help(_))));
    assert_snapshot!(d.screen());
    d.press(KeyCode::Esc);
    assert!(d.app.overlay().is_none());
}

#[test]
fn help_overlay_on_the_transfer_form() {
    let mut d = logged_in();
    d.press(KeyCode::F(3)).press(KeyCode::F(1));
    assert_snapshot!(d.screen());
}

#[test]
fn question_mark_is_typed_in_a_text_field() {
    let mut d = logged_in();
    d.press(KeyCode::F(3))
        .press(KeyCode::Tab)
        .press(KeyCode::Tab)
        .type_text("q?");
    assert!(d.app.overlay().is_none());
    assert!(!d.app.should_quit());
    assert_eq!(d.app.screens().transfer.memo.value(), "q?");
}

#[test]
fn idle_lock_hides_everything_and_keeps_the_form() {
    let mut d = logged_in();
    d.press(KeyCode::F(3))
        .press(KeyCode::Tab)
        .type_text("99.99");
    d.wait(std::time::Duration::from_secs(299));
    assert!(!d.app.is_locked());
    d.wait(std::time::Duration::from_secs(2));
    assert!(d.app.is_locked());
    let screen = d.screen();
    assert!(!screen.contains("2,450.75") && !screen.contains("99.99") && !screen.contains("Diana"));
    assert_snapshot!("idle_lock", screen);
    d.type_text("wrong").press(KeyCode::Enter).settle();
    assert!(d.app.is_locked());
    assert_snapshot!("idle_lock_wrong_password", d.screen());
    d.type_text(PASSWORD).press(KeyCode::Enter).settle();
    assert!(!d.app.is_locked());
    assert_eq!(d.app.route(), Route::Transfer);
    assert_eq!(d.app.screens().transfer.amount.value(), "99.99");
}

#[test]
fn quit_asks_first_when_a_form_has_input() {
    let mut d = logged_in();
    d.press(KeyCode::F(3)).press(KeyCode::Tab).type_text("10");
    d.ctrl('c');
    assert!(!d.app.should_quit());
    assert_snapshot!(d.screen());
    d.press(KeyCode::Esc);
    assert!(d.app.overlay().is_none());
    d.ctrl('c').press(KeyCode::Char('y'));
    assert!(d.app.should_quit());
}

#[test]
fn quitting_the_login_form_with_input_asks_first() {
    let mut d = Driver::new();
    d.ctrl('c');
    assert!(d.app.should_quit(), "an empty login form quits at once");
    let mut d = Driver::new();
    d.type_text("di.julis@icloud.com").ctrl('c');
    assert!(!d.app.should_quit());
    assert!(d.app.overlay().is_some(), "the quit question is open");
    d.press(KeyCode::Char('y'));
    assert!(d.app.should_quit());
}

#[test]
fn q_quits_at_once_without_unsaved_input() {
    let mut d = logged_in();
    d.press(KeyCode::Char('q'));
    assert!(d.app.should_quit());
}

#[test]
fn too_small_and_resizing_back() {
    let mut d = logged_in();
    d.resize(60, 20);
    assert_snapshot!(d.screen());
    d.resize(80, 24);
    assert!(d.screen().contains("My accounts"));
}

#[test]
fn database_down_and_back_in_the_status_line() {
    let mut d = logged_in();
    d.worker(WorkerMessage::DatabaseDown("Can't connect".into()));
    assert_snapshot!(d.screen());
    d.worker(WorkerMessage::DatabaseUp);
    let screen = d.screen();
    assert!(screen.contains("The database is back."), "{screen}");
    assert!(!d.app.database_down());
    assert!(
        !d.app.queued_requests().is_empty(),
        "it reloads the accounts by itself"
    );
}

// ---------------------------------------------------------------- styles on the buffer

#[test]
fn focus_is_marked_and_styled() {
    let mut d = Driver::new();
    let (x, y) = d.find("▶ Email");
    let buffer = d.draw().clone();
    assert_eq!(buffer[(x, y)].symbol(), "▶");
    assert!(
        buffer[(x + 2, y)].modifier.contains(Modifier::BOLD),
        "focused label is bold"
    );
    // The input box of the focused field: focused style (colour and underline).
    let (bx, by) = d.find("[");
    assert_eq!(by, y);
    let cell = &buffer[(bx + 1, by)];
    assert_eq!(cell.fg, Color::Cyan);
    assert!(cell.modifier.contains(Modifier::UNDERLINED));
    // The password field is not focused: no marker, plain label.
    let (px, py) = d.find("Password  ");
    assert_eq!(buffer[(px - 2, py)].symbol(), " ");
    assert!(!buffer[(px, py)].modifier.contains(Modifier::BOLD));
    // Tab moves both.
    d.press(KeyCode::Tab);
    let buffer = d.draw().clone();
    assert_eq!(buffer[(px - 2, py)].symbol(), "▶");
    assert_eq!(buffer[(x, y)].symbol(), " ");
}

#[test]
fn password_is_masked_one_character_per_char() {
    let mut d = Driver::new();
    d.press(KeyCode::Tab).type_text("pässwörd€"); // 9 chars, 13 bytes
    let (x, y) = d.find("Password");
    let line = d.screen().lines().nth(y as usize).expect("row").to_string();
    assert!(!line.contains("pä"), "the password itself is never drawn");
    let masks = line.chars().filter(|c| *c == '•').count();
    assert_eq!(masks, 9);
    // The cursor sits right after the 9th mask.
    let box_x = x - 2 + 16 + 1;
    d.terminal
        .backend_mut()
        .assert_cursor_position((box_x + 9, y));
}

#[test]
fn errors_are_marked_and_coloured() {
    let mut d = Driver::new();
    d.type_text("nobody").press(KeyCode::Enter);
    let (x, y) = d.find("✗");
    let buffer = d.draw().clone();
    let cell = &buffer[(x, y)];
    assert_eq!(cell.fg, Color::Red);
    assert!(cell.modifier.contains(Modifier::BOLD));
    assert_eq!(
        y,
        d.find("▶ Email").1 + 1,
        "the error is right under its field"
    );
}

#[test]
fn selected_row_is_marked_and_reversed() {
    let mut d = logged_in();
    let (x, y) = d.find("▶ 1000 0012");
    let buffer = d.draw().clone();
    assert!(buffer[(x + 3, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn a_panic_on_the_worker_stops_the_app_and_says_why() {
    // The guard catches the panic and tells the app, instead of leaving it waiting forever.
    let (actions, inbox) = std::sync::mpsc::channel();
    teller::tui::worker::run_guarded(&actions, || panic!("the disk is on fire"));
    let action = inbox.try_recv().expect("the app is told");
    let mut d = Driver::new();
    d.app.update(action);
    assert!(d.app.should_quit());
    assert_eq!(d.app.fatal(), Some("the disk is on fire"));
    // Work that ends normally says nothing.
    teller::tui::worker::run_guarded(&actions, || {});
    assert!(inbox.try_recv().is_err());
}

/// A refusal scripted for a job no screen sends fails the test that scripted it.
#[test]
#[should_panic(expected = "scripted refusals no job used: [\"withdraw\"]")]
fn a_scripted_refusal_nobody_used_fails_the_test() {
    let mut bank = FakeBank::demo();
    bank.refuse_next("withdraw", || BankError::Busy);
}
