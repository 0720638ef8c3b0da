//! The demo bank: the lesson's customers, loaded any number of times with the same result.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::*;
use teller::domain::{Email, Role, Secret};

#[test]
fn loading_the_demo_twice_gives_the_same_bank() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let first = bank.load_demo(&operator()).expect("first load");
    assert_eq!(first.users_created, 32);
    assert_eq!(
        (first.users, first.phones, first.customer_accounts),
        (32, 35, 30)
    );
    let audit_before = bank.ledger().audit(&operator()).expect("audit");
    assert!(audit_before.ok);

    let second = bank.load_demo(&operator()).expect("second load");
    assert_eq!(second.users_created, 0);
    assert_eq!(
        (second.users, second.phones, second.customer_accounts),
        (32, 35, 30)
    );
    let audit_after = bank.ledger().audit(&operator()).expect("audit");
    assert_eq!(
        audit_after.movements, audit_before.movements,
        "no second opening deposit"
    );
    assert!(audit_after.ok);
}

#[test]
fn demo_customers_keep_the_lessons_data_and_can_log_in() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let report = bank.load_demo(&operator()).expect("demo");
    let diana = Email::parse("di.julis@icloud.com").expect("email");
    let profile = bank.people().profile(&operator(), &diana).expect("profile");
    assert_eq!(profile.full_name(), "Diana Julis");
    assert_eq!(profile.age, 18);
    assert_eq!(profile.city.as_deref(), Some("New York"));
    assert_eq!(profile.phones, ["+17875541", "+18485441"]);
    let irina = bank
        .people()
        .profile(
            &operator(),
            &Email::parse("irina97@gmail.com").expect("email"),
        )
        .expect("irina");
    assert_eq!(irina.surname, None);

    let customer_password = &report
        .logins
        .iter()
        .find(|l| l.role == Role::Customer)
        .expect("login")
        .password;
    let session = bank
        .people()
        .authenticate(&diana, &Secret::new(customer_password.clone()))
        .expect("login");
    assert_eq!(session.role, Role::Customer);
    let accounts = bank
        .money()
        .accounts(&teller::services::Actor::User(session), &diana)
        .expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].balance, money("1137.25"));

    for login in report.logins.iter().filter(|l| l.role != Role::Customer) {
        let email = Email::parse(&login.email).expect("staff email");
        let session = bank
            .people()
            .authenticate(&email, &Secret::new(login.password.clone()))
            .expect("staff login");
        assert_eq!(session.role, login.role);
    }
}

#[test]
fn the_demo_is_refused_by_a_bank_with_users_of_its_own() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "real.teller@example.com", Role::Teller);
    let error = bank
        .load_demo(&operator())
        .expect_err("the demo went into a bank in use");
    assert_eq!(error.code(), "not_a_demo_bank");
    assert!(
        error.to_string().contains("real.teller@example.com"),
        "{error}"
    );
    // Nothing was loaded: the demo's logins do not exist.
    let admin = Email::parse("admin@bank.local").expect("email");
    assert_eq!(
        bank.people()
            .authenticate(&admin, &Secret::new("admin-demo-2026!".into()))
            .expect_err("the demo admin exists")
            .code(),
        "invalid_credentials"
    );
    assert_eq!(
        bank.ledger().audit(&operator()).expect("audit").movements,
        0
    );
}
