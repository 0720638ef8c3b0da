//! Whole flows of the full-screen app driven by key events against the real MariaDB, through the
//! real worker thread: log in, transfer, see the new balance and the movement in history; wrong
//! password; insufficient funds; idle lock and unlock (with a manual clock); a resubmission
//! after a lost answer; the database going away and coming back; profile, password and export.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::live::Live;
use common::{balance, customer_with_account, email, money, TestDb, PASSWORD};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use teller::domain::Secret;
use teller::services::BankError;
use teller::tui::app::{Action, Route};
use teller::tui::worker::{Reply, ReplyBody, Request, WorkerMessage};

const PATIENCE: Duration = Duration::from_secs(20);

/// Flows of the customer's app.
impl Live {
    /// Logs in and waits for the home screen with its movements.
    fn login_home(&mut self, address: &str) -> &mut Self {
        self.login(address, PASSWORD)
            .wait_for("My accounts")
            .settle()
    }

    /// Opens the transfer form and fills it in (waiting for the recipient's name).
    fn fill_transfer(&mut self, to: &str, amount: &str, memo: &str) -> &mut Self {
        self.press(KeyCode::F(3))
            .type_text(to)
            .wait_for("Recipient: D. Julis")
            .press(KeyCode::Tab)
            .type_text(amount)
            .press(KeyCode::Tab)
            .type_text(memo)
    }
}

fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "[time]          "),
        // A date alone (the balance chart's period), after the times.
        (r"\d{4}-\d{2}-\d{2}", "[date]    "),
        (r"\d{4} \d{4} \d{2}", "[account]   "),
        (r"#\d+", "#[ref]"),
    ]
}

#[test]
fn log_in_transfer_then_see_the_balance_and_the_movement() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, from) = customer_with_account(&mut bank, "alice@example.com", "1000.00");
    let (_, to) = customer_with_account(&mut bank, "bob@example.com", "50.00");

    let mut live = Live::new(&db.app_url);
    live.login_home("alice@example.com");
    assert!(live.screen().contains("1,000.00"));

    live.fill_transfer(to.as_str(), "250.00", "rent March")
        .press(KeyCode::Enter)
        .wait_for("Confirm the transfer");
    let confirm = live.screen();
    assert!(confirm.contains("two hundred fifty dollars"), "{confirm}");
    assert!(confirm.contains("750.00"), "balance after: {confirm}");
    live.press(KeyCode::Enter).wait_for("The transfer is done.");
    assert_eq!(balance(&mut bank, &from), money("750.00"));
    assert_eq!(balance(&mut bank, &to), money("300.00"));

    live.press(KeyCode::Esc).wait_for("750.00");
    assert_eq!(live.app.route(), Route::Accounts);
    live.press(KeyCode::F(4)).wait_for("-250.00").settle();
    let history = live.screen();
    assert!(history.contains("transfer out"), "{history}");
    assert!(history.contains("rent March"), "{history}");
    insta::with_settings!({ filters => filters() }, {
        insta::assert_snapshot!("flow_history_after_transfer", history);
    });
    common::assert_audit_ok(&mut bank);
}

#[test]
fn wrong_password_keeps_you_at_the_login() {
    let db = TestDb::new();
    let mut bank = db.bank();
    customer_with_account(&mut bank, "alice@example.com", "10.00");
    let mut live = Live::new(&db.app_url);
    live.login("alice@example.com", "not-my-password")
        .wait_for("Email or password is incorrect.");
    assert_eq!(live.app.route(), Route::Login);
    assert!(live.app.session().is_none());
    // An unknown email gets exactly the same answer.
    live.press(KeyCode::BackTab).press(KeyCode::End);
    for _ in 0.."alice@example.com".len() {
        live.press(KeyCode::Backspace);
    }
    live.type_text("nobody@example.com")
        .press(KeyCode::Tab)
        .type_text("whatever-it-is")
        .press(KeyCode::Enter)
        .settle();
    assert!(live.screen().contains("Email or password is incorrect."));
}

#[test]
fn insufficient_funds_is_refused_and_moves_nothing() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, from) = customer_with_account(&mut bank, "alice@example.com", "100.00");
    let (_, to) = customer_with_account(&mut bank, "bob@example.com", "0");
    let mut live = Live::new(&db.app_url);
    live.login_home("alice@example.com")
        .fill_transfer(to.as_str(), "5000", "")
        .press(KeyCode::Enter)
        .wait_for("Your balance does not cover this amount.")
        .press(KeyCode::Enter)
        .wait_for("Not enough money in account");
    assert_eq!(balance(&mut bank, &from), money("100.00"));
    assert_eq!(balance(&mut bank, &to), money("0"));
    // The form is intact for a correction.
    assert_eq!(live.app.screens().transfer.amount.value(), "5000");
}

#[test]
fn idle_lock_hides_everything_and_unlocks_with_the_password() {
    let db = TestDb::new();
    let mut bank = db.bank();
    customer_with_account(&mut bank, "alice@example.com", "1234.56");
    let mut live = Live::new(&db.app_url);
    live.login_home("alice@example.com");
    live.press(KeyCode::F(3))
        .press(KeyCode::Tab)
        .type_text("12.34");

    live.clock.advance(Duration::from_secs(301));
    live.act(Action::Tick);
    assert!(live.app.is_locked());
    let locked = live.screen();
    assert!(
        !locked.contains("1,234.56") && !locked.contains("12.34"),
        "{locked}"
    );
    assert!(
        locked.contains("Type the password of alice@example.com"),
        "{locked}"
    );

    live.type_text("wrong-password-here")
        .press(KeyCode::Enter)
        .wait_for("That password is not correct.");
    assert!(live.app.is_locked());
    live.type_text(PASSWORD)
        .press(KeyCode::Enter)
        .wait_until("the unlock", |l| !l.app.is_locked());
    assert_eq!(live.app.route(), Route::Transfer);
    assert_eq!(live.app.screens().transfer.amount.value(), "12.34");
    assert!(live.screen().contains("12.34"));
}

#[test]
fn a_resubmission_after_a_lost_answer_moves_money_once() {
    answer_replaced_then_sent_again(
        BankError::Unavailable("Lost connection".into()),
        "The connection to the database was lost",
    );
}

#[test]
fn a_commit_no_second_node_confirmed_is_sent_again_with_its_key() {
    answer_replaced_then_sent_again(
        BankError::NotAcknowledged("127.0.0.1:4307: not Synced".into()),
        "No second database node confirmed the transfer",
    );
}

/// The bank makes the transfer, but the app is told `error` instead and says `told`; the same
/// form sent again carries the same key, so the bank replays instead of paying twice.
fn answer_replaced_then_sent_again(error: BankError, told: &str) {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, from) = customer_with_account(&mut bank, "alice@example.com", "1000.00");
    let (_, to) = customer_with_account(&mut bank, "bob@example.com", "0");
    let mut live = Live::new(&db.app_url);
    live.login_home("alice@example.com")
        .fill_transfer(to.as_str(), "100.00", "")
        .press(KeyCode::Enter)
        .wait_for("Confirm the transfer");

    // Confirm, but the answer is lost on the way back: the bank did it, the app never hears.
    live.app.update(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    let requests: Vec<Request> = live.app.take_requests();
    assert_eq!(requests.len(), 1);
    let lost = requests.into_iter().next().expect("request");
    let lost_id = lost.id;
    assert!(live.worker.send(lost));
    let deadline = Instant::now() + PATIENCE;
    loop {
        assert!(Instant::now() < deadline, "the worker never answered");
        if let Ok(Action::Worker(message)) = live.inbox.recv_timeout(Duration::from_millis(50)) {
            if matches!(*message, WorkerMessage::Reply(Reply { id, .. }) if id == lost_id) {
                break;
            }
        }
    }
    assert_eq!(balance(&mut bank, &from), money("900.00"));
    live.act(Action::Worker(Box::new(WorkerMessage::Reply(Reply {
        id: lost_id,
        body: ReplyBody::Transfer(Err(error)),
    }))));
    live.wait_for(told);

    // Sending the same form again: same key, so the bank replays instead of paying twice.
    live.press(KeyCode::Enter)
        .wait_for("Confirm the transfer")
        .press(KeyCode::Enter)
        .wait_for("nothing moved a second time");
    assert_eq!(balance(&mut bank, &from), money("900.00"));
    assert_eq!(balance(&mut bank, &to), money("100.00"));
    common::assert_audit_ok(&mut bank);
}

/// A TCP relay to the test server that can drop every connection and refuse new ones, so the
/// database can "go away" and "come back" without touching the server.
struct Relay {
    port: u16,
    down: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let down = Arc::new(AtomicBool::new(false));
        let streams: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (flag, list) = (down.clone(), streams.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { break };
                if flag.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                for s in [&client, &server] {
                    if let Ok(clone) = s.try_clone() {
                        list.lock().expect("lock").push(clone);
                    }
                }
                pipe(&client, &server);
                pipe(&server, &client);
            }
        });
        Self {
            port,
            down,
            streams,
        }
    }

    fn go_down(&self) {
        self.down.store(true, Ordering::SeqCst);
        for s in self.streams.lock().expect("lock").drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    fn come_back(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

fn pipe(from: &TcpStream, to: &TcpStream) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}

#[test]
fn the_database_goes_away_and_the_app_recovers_by_itself() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, from) = customer_with_account(&mut bank, "alice@example.com", "500.00");
    let (_, to) = customer_with_account(&mut bank, "bob@example.com", "0");
    let server = common::server_url();
    let host = server
        .split_once("://")
        .and_then(|(_, rest)| rest.rsplit_once('@').map(|(_, h)| h).or(Some(rest)))
        .map(|h| h.trim_end_matches('/').to_string())
        .expect("host:port");
    let relay = Relay::start(host.clone());
    let via_relay = db
        .app_url
        .replace(&host, &format!("127.0.0.1:{}", relay.port));
    assert_ne!(via_relay, db.app_url);

    let mut live = Live::new(&via_relay);
    live.login_home("alice@example.com")
        .fill_transfer(to.as_str(), "75.00", "while it wobbles")
        .press(KeyCode::Enter)
        .wait_for("Confirm the transfer");

    relay.go_down();
    live.press(KeyCode::Enter)
        .wait_for("database unavailable, reconnecting")
        .settle();
    let screen = live.screen();
    assert!(
        screen.contains("The connection to the database was lost"),
        "{screen}"
    );
    assert_eq!(balance(&mut bank, &from), money("500.00"));
    // What was typed is kept.
    assert_eq!(live.app.screens().transfer.memo.value(), "while it wobbles");

    relay.come_back();
    live.wait_until("the reconnection", |l| !l.app.database_down())
        .wait_for("The database is back.");
    live.press(KeyCode::Enter)
        .wait_for("Confirm the transfer")
        .press(KeyCode::Enter)
        .wait_for("The transfer is done.");
    assert_eq!(balance(&mut bank, &from), money("425.00"));
    common::assert_audit_ok(&mut bank);
}

#[test]
fn profile_edit_and_password_change() {
    let db = TestDb::new();
    let mut bank = db.bank();
    customer_with_account(&mut bank, "alice@example.com", "1.00");
    let mut live = Live::new(&db.app_url);
    live.login_home("alice@example.com")
        .press(KeyCode::F(5))
        .wait_for("Customer since")
        .press(KeyCode::Char('e'));
    for _ in 0..4 {
        live.press(KeyCode::Tab); // to City
    }
    live.type_text("Boston");
    for _ in 0..2 {
        live.press(KeyCode::Tab); // past Email, to New phone
    }
    live.type_text("+1 617 555 0100")
        .press(KeyCode::Enter)
        .wait_for("+ +16175550100")
        .press(KeyCode::Enter)
        .wait_for("Profile saved.");
    let profile = bank
        .people()
        .profile(&common::operator(), &email("alice@example.com"))
        .expect("profile");
    assert_eq!(profile.city.as_deref(), Some("Boston"));
    assert_eq!(profile.phones.len(), 1);
    assert!(live.screen().contains("Boston"));

    let new_password = "a-new-and-long-passphrase";
    live.press(KeyCode::Char('c'))
        .fill(&["not-the-current-one", new_password, new_password])
        .press(KeyCode::Enter)
        .wait_for("this is not your current password")
        .type_text(PASSWORD)
        .press(KeyCode::Enter)
        .wait_for("Password changed.");
    bank.people()
        .authenticate(
            &email("alice@example.com"),
            &Secret::new(new_password.into()),
        )
        .expect("the new password works");
}

#[test]
fn history_export_writes_the_csv_file_it_names() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "alice@example.com", "20.00");
    common::deposit(&mut bank, &account, "5.00");
    let mut live = Live::new(&db.app_url);
    live.login_home("alice@example.com")
        .press(KeyCode::F(4))
        .wait_for("2 movements, all shown")
        .press(KeyCode::Char('e'))
        .wait_for("movements exported to");
    let dir = live.export_dir.clone();
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("export dir")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    let csv = std::fs::read_to_string(files[0].path()).expect("csv");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.starts_with("reference,at,kind,amount"));
    assert!(live
        .screen()
        .replace('\n', "")
        .contains(&dir.display().to_string()[..20]));
}

#[test]
fn a_login_at_bcrypt_cost_12_never_freezes_the_screen() {
    let db = TestDb::new();
    let config = teller::services::BankConfig {
        bcrypt_cost: 12,
        ..common::test_config()
    };
    let mut slow_bank = teller::services::Bank::connect(&db.url, config).expect("bank at cost 12");
    common::user(
        &mut slow_bank,
        "alice@example.com",
        teller::domain::Role::Customer,
    );

    let mut live = Live::new(&db.app_url);
    live.type_text("alice@example.com")
        .press(KeyCode::Tab)
        .type_text(PASSWORD);
    // Enter returns at once: the frame drawn right after it already shows the check running
    // (bcrypt at cost 12 takes a few hundred milliseconds, on the worker).
    live.press(KeyCode::Enter);
    let screen = live.screen();
    assert!(screen.contains("Checking…"), "{screen}");
    // Keys and frames go on while bcrypt runs on the worker.
    let before = live.screen();
    live.act(Action::Tick).act(Action::Tick);
    assert!(live.app.busy());
    assert_ne!(before, live.screen(), "the spinner turns");
    live.wait_for("My accounts");
}

#[test]
fn a_password_set_by_a_teller_is_replaced_at_the_first_login() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = common::user(&mut bank, "tess@example.com", teller::domain::Role::Teller);
    bank.people()
        .register_user(
            &teller,
            common::new_user("newbie@example.com", teller::domain::Role::Customer),
            None,
        )
        .expect("the teller registers a customer");

    let mut live = Live::new(&db.app_url);
    live.login("newbie@example.com", PASSWORD)
        .wait_for("Choose your own password");
    assert_eq!(live.app.route(), Route::Login);
    live.type_text("newbie-chose-this-one")
        .tab()
        .type_text("newbie-chose-this-one")
        .press(KeyCode::Enter)
        .wait_for("My accounts")
        .settle();
    // The old password is gone; the new one is the newbie's own.
    assert_eq!(
        bank.people()
            .authenticate(&email("newbie@example.com"), &Secret::new(PASSWORD.into()))
            .unwrap_err()
            .code(),
        "invalid_credentials"
    );
    bank.people()
        .authenticate(
            &email("newbie@example.com"),
            &Secret::new("newbie-chose-this-one".into()),
        )
        .expect("logs in with their own password");
}

#[test]
fn s_on_home_writes_this_months_statement_as_a_pdf() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let (_, account) = customer_with_account(&mut bank, "alice@example.com", "123.45");
    let mut live = Live::new(&db.app_url);
    live.login_home("alice@example.com")
        .char('s')
        .wait_for("Statement written to");
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let path = live
        .export_dir
        .join(format!("statement-{}-{month}.pdf", account.as_str()));
    let bytes = std::fs::read(&path).expect("the statement file");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("123.45"), "the closing balance is in it");
}

#[test]
fn a_customer_pays_an_account_in_another_currency_at_the_quote_shown() {
    use teller::domain::{Currency, Role};
    let db = TestDb::new();
    let mut bank = db.bank();
    let admin = common::user(&mut bank, "fx-admin@example.com", Role::Admin);
    common::set_rate(
        &mut bank,
        &admin,
        Currency::USD,
        Currency::EUR,
        "0.90",
        "0.94",
    );
    let (_, from) = customer_with_account(&mut bank, "alice@example.com", "1000.00");
    customer_with_account(&mut bank, "bob@example.com", "0");
    let euros = common::open_account(&mut bank, "bob@example.com", Currency::EUR);

    let mut live = Live::new(&db.app_url);
    live.login_home("alice@example.com");
    live.press(KeyCode::F(3))
        .type_text(euros.as_str())
        .wait_for("Recipient: ")
        .press(KeyCode::Tab)
        .type_text("100")
        .press(KeyCode::Enter)
        .wait_for("They get");
    let confirm = live.screen();
    assert!(confirm.contains("EUR 90.00"), "{confirm}");
    assert!(confirm.contains("1 USD = 0.9 EUR  holds"), "{confirm}");
    assert!(confirm.contains("one hundred dollars"), "{confirm}");
    live.press(KeyCode::Enter).wait_for("The transfer is done.");
    assert!(live.screen().contains("They got"), "{}", live.screen());
    assert_eq!(balance(&mut bank, &from), money("900.00"));
    assert_eq!(balance(&mut bank, &euros), money("90.00"));
    common::assert_audit_ok(&mut bank);
}
