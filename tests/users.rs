//! Service tests for people: registering, profiles, passwords, logging in and lock-outs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::time::{Duration, Instant};

use common::*;
use teller::domain::{Age, City, Country, Name, Password, Phone, Role, Surname};
use teller::services::{Actor, Bank, BankConfig, ProfileChanges};

fn password(text: &str, address: &str) -> Password {
    Password::parse(text.to_string(), &email(address)).expect("valid password")
}

fn phone(raw: &str) -> Phone {
    Phone::parse(raw).expect("phone")
}

/// Asserts that a login with the right password is refused as a locked one: the same answer
/// as a wrong password, while the audit log records the true reason.
fn assert_locked_out(bank: &mut Bank, address: &str) {
    assert_eq!(code(login(bank, address, PASSWORD)), "invalid_credentials");
    assert_eq!(last_outcome(bank, "login", address), "user_locked");
}

/// The outcome of the newest audit line of `action` about `address`.
fn last_outcome(bank: &mut Bank, action: &str, address: &str) -> String {
    bank.ledger()
        .audit_log(&operator(), 50)
        .unwrap()
        .into_iter()
        .find(|e| e.action == action && e.subject.as_deref() == Some(address))
        .map(|e| e.outcome)
        .unwrap_or_default()
}

/// Fails to log in `times` times with a wrong password, returning the codes.
fn fail_logins(bank: &mut Bank, address: &str, times: usize) -> Vec<&'static str> {
    (0..times)
        .map(|_| code(login(bank, address, "not-the-password")))
        .collect()
}

#[test]
fn register_stores_every_field_normalised() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let mut input = new_user("Mixed.Case@Example.COM", Role::Customer);
    input.name = Name::parse("  José ").unwrap();
    input.surname = Some(Surname::parse("O'Neil-Smith").unwrap());
    input.age = Age::new(16).unwrap();
    input.country = Country::parse("Puerto Rico").unwrap();
    input.city = Some(City::parse("San Juan").unwrap());
    input.phones = vec![phone("+1 787 55 41"), phone(" +44 20  7946 0958 ")];

    let created = bank
        .people()
        .register_user(&operator(), input, None)
        .expect("register");
    assert_eq!(created.email.as_str(), "mixed.case@example.com");
    assert_eq!(created.name, "José");
    assert_eq!(created.surname.as_deref(), Some("O'Neil-Smith"));
    assert_eq!(created.age, 16);
    assert_eq!(created.country, "Puerto Rico");
    assert_eq!(created.city.as_deref(), Some("San Juan"));
    assert_eq!(created.phones, vec!["+17875541", "+442079460958"]);
    assert_eq!(created.role, Role::Customer);
    assert_eq!(created.locked_until, None);
    assert_eq!(created.created_at, created.updated_at);

    // Read back, looked up with a differently cased address.
    let shown = bank
        .people()
        .profile(&operator(), &email("MIXED.case@example.com"))
        .expect("profile");
    assert_eq!(shown, created);
    assert_eq!(shown.full_name(), "José O'Neil-Smith");

    // The new customer can log in with any casing of the address.
    let session = login(&mut bank, "MIXED.CASE@example.com", PASSWORD).expect("login");
    assert_eq!(session.id, created.id);
    assert_eq!(session.role, Role::Customer);
}

#[test]
fn register_without_optional_fields() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let mut input = new_user("irina@example.com", Role::Teller);
    input.surname = None;
    input.city = None;
    let created = bank
        .people()
        .register_user(&operator(), input, None)
        .expect("register");
    assert_eq!(created.surname, None);
    assert_eq!(created.city, None);
    assert!(created.phones.is_empty());
    assert_eq!(created.role, Role::Teller);
    assert_eq!(created.full_name(), "Diana");
}

#[test]
fn duplicate_email_is_refused_case_insensitively() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "dup@example.com", Role::Customer);
    let mut again = new_user("DUP@Example.Com", Role::Customer);
    again.name = Name::parse("Other").unwrap();
    let err = bank
        .people()
        .register_user(&operator(), again, None)
        .expect_err("duplicate");
    assert_eq!(err.code(), "duplicate_email");
    assert!(err.to_string().contains("dup@example.com"), "{err}");

    // The first registration is untouched and the refusal is in the audit log.
    let profile = bank
        .people()
        .profile(&operator(), &email("dup@example.com"))
        .unwrap();
    assert_eq!(profile.name, "Diana");
    let log = bank.ledger().audit_log(&operator(), 100).unwrap();
    assert!(log.iter().any(|e| e.action == "user.create"
        && e.outcome == "duplicate_email"
        && e.subject.as_deref() == Some("dup@example.com")));
}

#[test]
fn profile_of_unknown_user_is_not_found() {
    let db = TestDb::new();
    let mut bank = db.bank();
    assert_eq!(
        code(
            bank.people()
                .profile(&operator(), &email("nobody@example.com"))
        ),
        "not_found"
    );
    let changes = ProfileChanges {
        name: Some(Name::parse("X").unwrap()),
        ..ProfileChanges::default()
    };
    assert_eq!(
        code(
            bank.people()
                .update_profile(&operator(), &email("nobody@example.com"), &changes)
        ),
        "not_found"
    );
}

#[test]
fn update_profile_changes_each_field() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let mut input = new_user("edit@example.com", Role::Customer);
    input.phones = vec![phone("+1 555 0100 01"), phone("+1 555 0100 02")];
    let before = bank
        .people()
        .register_user(&operator(), input, None)
        .unwrap();
    let who = email("edit@example.com");

    let steps: Vec<(&str, ProfileChanges)> = vec![
        (
            "name",
            ProfileChanges {
                name: Some(Name::parse("Dmitry").unwrap()),
                ..Default::default()
            },
        ),
        (
            "surname",
            ProfileChanges {
                surname: Some(Some(Surname::parse("Иванов").unwrap())),
                ..Default::default()
            },
        ),
        (
            "age",
            ProfileChanges {
                age: Some(Age::new(120).unwrap()),
                ..Default::default()
            },
        ),
        (
            "country",
            ProfileChanges {
                country: Some(Country::parse("Canada").unwrap()),
                ..Default::default()
            },
        ),
        (
            "city",
            ProfileChanges {
                city: Some(Some(City::parse("Québec").unwrap())),
                ..Default::default()
            },
        ),
    ];
    for (field, change) in &steps {
        bank.people()
            .update_profile(&operator(), &who, change)
            .unwrap_or_else(|e| panic!("update {field}: {e}"));
    }
    let after = bank.people().profile(&operator(), &who).unwrap();
    assert_eq!(after.name, "Dmitry");
    assert_eq!(after.surname.as_deref(), Some("Иванов"));
    assert_eq!(after.age, 120);
    assert_eq!(after.country, "Canada");
    assert_eq!(after.city.as_deref(), Some("Québec"));
    // Untouched fields stay as they were.
    assert_eq!(after.email, before.email);
    assert_eq!(after.phones, before.phones);
    assert_eq!(after.role, Role::Customer);
    assert_eq!(after.created_at, before.created_at);
    assert!(after.updated_at > before.updated_at);

    // Each update is in the audit log, naming the field but not its value.
    let log = bank.ledger().audit_log(&operator(), 100).unwrap();
    for (field, _) in &steps {
        assert!(
            log.iter().any(|e| e.action == "user.update"
                && e.outcome == "ok"
                && e.detail.as_deref() == Some(field)),
            "no audit entry for {field}"
        );
    }
    assert!(!log
        .iter()
        .any(|e| e.detail.as_deref().unwrap_or("").contains("Иванов")));
}

#[test]
fn update_profile_clears_surname_and_city() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let mut input = new_user("clear@example.com", Role::Customer);
    input.city = Some(City::parse("Lyon").unwrap());
    bank.people()
        .register_user(&operator(), input, None)
        .unwrap();
    let changes = ProfileChanges {
        surname: Some(None),
        city: Some(None),
        ..Default::default()
    };
    let after = bank
        .people()
        .update_profile(&operator(), &email("clear@example.com"), &changes)
        .unwrap();
    assert_eq!(after.surname, None);
    assert_eq!(after.city, None);
    assert_eq!(after.name, "Diana");
    let shown = bank
        .people()
        .profile(&operator(), &email("clear@example.com"))
        .unwrap();
    assert_eq!(shown, after);
}

#[test]
fn update_profile_adds_and_removes_phones() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let mut input = new_user("phones@example.com", Role::Customer);
    input.phones = vec![phone("+1 787 55 41")];
    bank.people()
        .register_user(&operator(), input, None)
        .unwrap();
    let who = email("phones@example.com");

    let add = ProfileChanges {
        add_phones: vec![phone("+44 20 7946 0958"), phone("+33 1 23 45 67 89")],
        ..Default::default()
    };
    let after = bank
        .people()
        .update_profile(&operator(), &who, &add)
        .unwrap();
    assert_eq!(
        after.phones,
        vec!["+17875541", "+442079460958", "+33123456789"]
    );

    // Adding a number the person already has changes nothing.
    let again = ProfileChanges {
        add_phones: vec![phone("+1 787 5541")],
        ..Default::default()
    };
    let after = bank
        .people()
        .update_profile(&operator(), &who, &again)
        .unwrap();
    assert_eq!(after.phones.len(), 3);

    // Removing matches the normalised form, whatever spacing was typed.
    let remove = ProfileChanges {
        remove_phones: vec![phone("+1 78 75 541"), phone("+33 123456789")],
        ..Default::default()
    };
    let after = bank
        .people()
        .update_profile(&operator(), &who, &remove)
        .unwrap();
    assert_eq!(after.phones, vec!["+442079460958"]);

    // Replace in one go: remove one, add another.
    let swap = ProfileChanges {
        remove_phones: vec![phone("+442079460958")],
        add_phones: vec![phone("+49 30 123456")],
        ..Default::default()
    };
    let after = bank
        .people()
        .update_profile(&operator(), &who, &swap)
        .unwrap();
    assert_eq!(after.phones, vec!["+4930123456"]);
}

#[test]
fn update_profile_changes_the_login_email() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "old@example.com", Role::Customer);
    let changes = ProfileChanges {
        email: Some(email("New.Address@Example.com")),
        ..Default::default()
    };
    let after = bank
        .people()
        .update_profile(&operator(), &email("old@example.com"), &changes)
        .unwrap();
    assert_eq!(after.email.as_str(), "new.address@example.com");
    assert_eq!(
        code(
            bank.people()
                .profile(&operator(), &email("old@example.com"))
        ),
        "not_found"
    );
    assert_eq!(
        code(login(&mut bank, "old@example.com", PASSWORD)),
        "invalid_credentials"
    );
    let session = login(&mut bank, "new.address@example.com", PASSWORD).expect("login");
    assert_eq!(session.id, after.id);
}

#[test]
fn update_profile_refuses_a_taken_email_and_changes_nothing() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "first@example.com", Role::Customer);
    user(&mut bank, "second@example.com", Role::Customer);
    let changes = ProfileChanges {
        email: Some(email("FIRST@example.com")),
        name: Some(Name::parse("Changed").unwrap()),
        ..Default::default()
    };
    let err = bank
        .people()
        .update_profile(&operator(), &email("second@example.com"), &changes)
        .expect_err("taken");
    assert_eq!(err.code(), "duplicate_email");
    assert!(err.to_string().contains("first@example.com"), "{err}");
    // The whole change was rolled back, the name included.
    let second = bank
        .people()
        .profile(&operator(), &email("second@example.com"))
        .unwrap();
    assert_eq!(second.name, "Diana");
    let log = bank.ledger().audit_log(&operator(), 100).unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "user.update" && e.outcome == "duplicate_email"));
}

#[test]
fn change_password_needs_the_current_one() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let me = user(&mut bank, "pw@example.com", Role::Customer);
    let new_password = password("a-brand-new-passphrase", "pw@example.com");

    let err = bank
        .people()
        .change_password(&me, &secret("wrong-current-password"), &new_password)
        .expect_err("wrong current password");
    assert_eq!(err.code(), "invalid_credentials");
    // Nothing changed: the old password still works, the new one does not.
    login(&mut bank, "pw@example.com", PASSWORD).expect("old password still valid");
    assert_eq!(
        code(login(&mut bank, "pw@example.com", "a-brand-new-passphrase")),
        "invalid_credentials"
    );

    bank.people()
        .change_password(&me, &secret(PASSWORD), &new_password)
        .expect("change password");
    login(&mut bank, "pw@example.com", "a-brand-new-passphrase").expect("new password works");
    assert_eq!(
        code(login(&mut bank, "pw@example.com", PASSWORD)),
        "invalid_credentials"
    );

    let log = bank.ledger().audit_log(&operator(), 100).unwrap();
    assert!(log.iter().any(|e| e.action == "user.password_change"
        && e.outcome == "invalid_credentials"
        && e.actor == "pw@example.com"));
    assert!(log
        .iter()
        .any(|e| e.action == "user.password_change" && e.outcome == "ok"));
}

#[test]
fn the_operator_resets_rather_than_changes_passwords() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "op@example.com", Role::Customer);
    let new_password = password("a-brand-new-passphrase", "op@example.com");
    assert_eq!(
        code(
            bank.people()
                .change_password(&operator(), &secret(PASSWORD), &new_password)
        ),
        "forbidden"
    );
}

#[test]
fn reset_password_by_staff_sets_it_and_lifts_the_lock_out() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "locked@example.com", Role::Customer);
    let teller = user(&mut bank, "teller@example.com", Role::Teller);
    fail_logins(&mut bank, "locked@example.com", 5);
    assert_locked_out(&mut bank, "locked@example.com");

    let fresh = password("reset-by-the-teller", "locked@example.com");
    bank.people()
        .reset_password(&teller, &email("locked@example.com"), &fresh, None)
        .expect("reset");
    let profile = bank
        .people()
        .profile(&operator(), &email("locked@example.com"))
        .unwrap();
    assert_eq!(profile.locked_until, None);
    // Someone else chose it: its owner must change it before anything else.
    assert_eq!(
        code(login(
            &mut bank,
            "locked@example.com",
            "reset-by-the-teller"
        )),
        "password_change_required"
    );
    let own = password("chosen-by-myself-now", "locked@example.com");
    bank.people()
        .change_password_at_login(
            &email("locked@example.com"),
            &secret("reset-by-the-teller"),
            &own,
        )
        .expect("the owner changes it");
    login(&mut bank, "locked@example.com", "chosen-by-myself-now").expect("own password works");
    assert_eq!(
        code(login(&mut bank, "locked@example.com", PASSWORD)),
        "invalid_credentials"
    );
    assert_eq!(
        code(
            bank.people()
                .reset_password(&operator(), &email("ghost@example.com"), &fresh, None)
        ),
        "not_found"
    );
    let log = bank.ledger().audit_log(&operator(), 100).unwrap();
    assert!(log.iter().any(|e| e.action == "user.password_reset"
        && e.outcome == "ok"
        && e.actor == "teller@example.com"
        && e.subject.as_deref() == Some("locked@example.com")));
}

#[test]
fn login_succeeds_with_the_right_password() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let registered = bank
        .people()
        .register_user(&operator(), new_user("ok@example.com", Role::Admin), None)
        .unwrap();
    let session = login(&mut bank, "ok@example.com", PASSWORD).expect("login");
    assert_eq!(session.id, registered.id);
    assert_eq!(session.email, email("ok@example.com"));
    assert_eq!(session.role, Role::Admin);
    assert_eq!(session.name, "Diana");
    assert_eq!(session.surname.as_deref(), Some("Julis"));
    let log = bank.ledger().audit_log(&operator(), 10).unwrap();
    assert!(log.iter().any(|e| e.action == "login"
        && e.outcome == "ok"
        && e.subject.as_deref() == Some("ok@example.com")));
    // Passwords are compared exactly: no trimming, no case folding.
    for near_miss in [
        format!("{PASSWORD} "),
        PASSWORD.to_uppercase(),
        PASSWORD[..PASSWORD.len() - 1].to_string(),
    ] {
        assert_eq!(
            code(login(&mut bank, "ok@example.com", &near_miss)),
            "invalid_credentials"
        );
    }
}

#[test]
fn wrong_password_and_unknown_email_get_the_same_answer() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "known@example.com", Role::Customer);
    let wrong = login(&mut bank, "known@example.com", "not-the-password").unwrap_err();
    let unknown = login(&mut bank, "unknown@example.com", "not-the-password").unwrap_err();
    assert_eq!(wrong.code(), "invalid_credentials");
    assert_eq!(unknown.code(), "invalid_credentials");
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert_eq!(wrong.class(), unknown.class());
    // Both failures are in the audit log, each with its true reason.
    let log = bank.ledger().audit_log(&operator(), 100).unwrap();
    for (address, outcome) in [
        ("known@example.com", "invalid_credentials"),
        ("unknown@example.com", "unknown_email"),
    ] {
        assert!(
            log.iter().any(|e| e.action == "login"
                && e.outcome == outcome
                && e.subject.as_deref() == Some(address)),
            "no {outcome} login recorded for {address}: {log:?}"
        );
    }
    // An unknown email never locks anything: it answers the same forever.
    for _ in 0..6 {
        assert_eq!(
            code(login(&mut bank, "unknown@example.com", "x")),
            "invalid_credentials"
        );
    }
}

/// The unknown-email path runs a real bcrypt verification at the configured cost. Timing is
/// measured as the fastest of several interleaved runs, compared with a wide margin, so a busy
/// machine can only make the unknown-email login look slower, never faster.
#[test]
fn unknown_email_costs_bcrypt_work() {
    const COST: u32 = 10;
    let db = TestDb::new();
    let config = BankConfig {
        bcrypt_cost: COST,
        ..test_config()
    };
    let mut bank = Bank::connect(&db.url, config).unwrap();
    let reference_hash = bcrypt::hash("something else entirely", COST).unwrap();
    let mut checker = db.bank();
    user(&mut checker, "timing@example.com", Role::Customer);
    // Warm up (the first unknown login also prepares its dummy hash).
    let _ = login(&mut bank, "nobody@example.com", "not-the-password");

    let mut fastest_verify = Duration::MAX;
    let mut fastest_unknown = Duration::MAX;
    let mut fastest_cheap_unknown = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        assert!(!bcrypt::verify("not-the-password", &reference_hash).unwrap());
        fastest_verify = fastest_verify.min(start.elapsed());

        let start = Instant::now();
        let err = login(&mut bank, "nobody@example.com", "not-the-password").unwrap_err();
        fastest_unknown = fastest_unknown.min(start.elapsed());
        assert_eq!(err.code(), "invalid_credentials");

        let start = Instant::now();
        let _ = login(&mut checker, "nobody@example.com", "not-the-password");
        fastest_cheap_unknown = fastest_cheap_unknown.min(start.elapsed());
    }
    assert!(
        fastest_unknown * 2 >= fastest_verify,
        "an unknown-email login took {fastest_unknown:?}, a bcrypt verify at cost {COST} \
         takes {fastest_verify:?}: the unknown-email path skips the bcrypt work"
    );
    // The cost comes from the configuration: at cost 4 the same path is far cheaper.
    assert!(
        fastest_cheap_unknown < fastest_unknown,
        "cost 4: {fastest_cheap_unknown:?}, cost {COST}: {fastest_unknown:?}"
    );
}

#[test]
fn five_failures_in_a_row_lock_the_user() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "victim@example.com", Role::Customer);
    let codes = fail_logins(&mut bank, "victim@example.com", 4);
    assert_eq!(codes, vec!["invalid_credentials"; 4]);
    // The fifth wrong password locks, with the same answer as the four before.
    let fifth = login(&mut bank, "victim@example.com", "not-the-password").unwrap_err();
    assert_eq!(fifth.code(), "invalid_credentials");

    // Now even the right password is refused, and refusing it does not lift the lock.
    for _ in 0..3 {
        let err = login(&mut bank, "victim@example.com", PASSWORD).unwrap_err();
        assert_eq!(err.code(), "invalid_credentials");
        // The message may say how lock-out works, never whether this login is locked.
        assert_eq!(err.to_string(), fifth.to_string());
        assert_eq!(
            last_outcome(&mut bank, "login", "victim@example.com"),
            "user_locked"
        );
    }
    let profile = bank
        .people()
        .profile(&operator(), &email("victim@example.com"))
        .unwrap();
    let until = profile.locked_until.expect("locked");
    let seconds = (until - chrono::Utc::now()).num_seconds();
    assert!(
        (14 * 60..=15 * 60).contains(&seconds),
        "locked for {seconds} s, not 15 min"
    );
    let log = bank.ledger().audit_log(&operator(), 100).unwrap();
    let locked = log
        .iter()
        .filter(|e| e.action == "login" && e.outcome == "user_locked")
        .count();
    assert!(locked >= 3, "{log:?}");

    // Other users are not affected.
    user(&mut bank, "bystander@example.com", Role::Customer);
    login(&mut bank, "bystander@example.com", PASSWORD).expect("bystander logs in");
}

#[test]
fn a_success_before_the_fifth_failure_resets_the_count() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "clumsy@example.com", Role::Customer);
    for _ in 0..3 {
        assert_eq!(
            fail_logins(&mut bank, "clumsy@example.com", 4),
            vec!["invalid_credentials"; 4]
        );
        login(&mut bank, "clumsy@example.com", PASSWORD).expect("login resets the count");
    }
    // A fresh run of five still locks.
    fail_logins(&mut bank, "clumsy@example.com", 5);
    assert_locked_out(&mut bank, "clumsy@example.com");
}

#[test]
fn unlock_lifts_the_lock_out() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "unlock@example.com", Role::Customer);
    let teller = user(&mut bank, "teller@example.com", Role::Teller);
    fail_logins(&mut bank, "unlock@example.com", 5);
    assert_locked_out(&mut bank, "unlock@example.com");
    bank.people()
        .unlock_user(&teller, &email("unlock@example.com"))
        .expect("unlock");
    let profile = bank
        .people()
        .profile(&operator(), &email("unlock@example.com"))
        .unwrap();
    assert_eq!(profile.locked_until, None);
    login(&mut bank, "unlock@example.com", PASSWORD).expect("login after unlock");
    // The failure count restarted: four more failures do not lock.
    assert_eq!(
        fail_logins(&mut bank, "unlock@example.com", 4),
        vec!["invalid_credentials"; 4]
    );
    login(&mut bank, "unlock@example.com", PASSWORD).expect("still not locked");
    assert_eq!(
        code(
            bank.people()
                .unlock_user(&teller, &email("ghost@example.com"))
        ),
        "not_found"
    );
    let log = bank.ledger().audit_log(&operator(), 100).unwrap();
    assert!(log.iter().any(|e| e.action == "user.unlock"
        && e.outcome == "ok"
        && e.subject.as_deref() == Some("unlock@example.com")));
}

#[test]
fn a_lock_out_expires() {
    let db = TestDb::new();
    let config = BankConfig {
        lockout: chrono::Duration::minutes(15),
        ..test_config()
    };
    let mut bank = Bank::connect(&db.url, config).unwrap();
    user(&mut bank, "expiry@example.com", Role::Customer);
    fail_logins(&mut bank, "expiry@example.com", 5);
    // This thread's bank clock is moved, not slept past: no real-time window to miss.
    teller::db::clock::advance_this_thread(chrono::Duration::minutes(14));
    assert_locked_out(&mut bank, "expiry@example.com");
    teller::db::clock::advance_this_thread(chrono::Duration::minutes(2));
    // After the lock, a wrong password counts as the first failure of a new run…
    assert_eq!(
        code(login(&mut bank, "expiry@example.com", "not-the-password")),
        "invalid_credentials"
    );
    // …and the right one gets in.
    login(&mut bank, "expiry@example.com", PASSWORD).expect("login after expiry");

    // Expired locks are not shown on the profile.
    fail_logins(&mut bank, "expiry@example.com", 5);
    let locked = bank
        .people()
        .profile(&operator(), &email("expiry@example.com"))
        .unwrap();
    assert!(locked.locked_until.is_some());
    teller::db::clock::advance_this_thread(chrono::Duration::minutes(16));
    let expired = bank
        .people()
        .profile(&operator(), &email("expiry@example.com"))
        .unwrap();
    assert_eq!(expired.locked_until, None);
}

#[test]
fn the_audit_log_never_holds_a_password_or_a_hash() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let typo = "correct-horse-battery-typo";
    let changed = "changed-passphrase-123";
    let reset = "reset-passphrase-456";

    user(&mut bank, "secret@example.com", Role::Customer);
    // The session comes from a real login.
    let me = Actor::User(login(&mut bank, "secret@example.com", PASSWORD).unwrap());
    let _ = login(&mut bank, "secret@example.com", typo);
    let _ = login(&mut bank, "nobody@example.com", typo);
    let _ =
        bank.people()
            .change_password(&me, &secret(typo), &password(changed, "secret@example.com"));
    bank.people()
        .change_password(
            &me,
            &secret(PASSWORD),
            &password(changed, "secret@example.com"),
        )
        .unwrap();
    bank.people()
        .reset_password(
            &operator(),
            &email("secret@example.com"),
            &password(reset, "secret@example.com"),
            None,
        )
        .unwrap();
    fail_logins(&mut bank, "secret@example.com", 6);
    bank.people()
        .unlock_user(&operator(), &email("secret@example.com"))
        .unwrap();
    login(&mut bank, "secret@example.com", reset).unwrap();
    // A refused registration (duplicate) with its password.
    let _ = bank.people().register_user(
        &operator(),
        new_user("secret@example.com", Role::Customer),
        None,
    );

    let log = bank.ledger().audit_log(&operator(), 1000).unwrap();
    assert!(log.len() >= 12, "too few audit entries: {log:?}");
    for entry in &log {
        let fields = [
            Some(entry.actor.as_str()),
            Some(entry.action.as_str()),
            entry.subject.as_deref(),
            Some(entry.outcome.as_str()),
            entry.detail.as_deref(),
            entry.approved_by.as_deref(),
        ];
        for text in fields.into_iter().flatten() {
            for forbidden in [PASSWORD, typo, changed, reset, "$2b$", "$2y$", "$2a$"] {
                assert!(
                    !text.contains(forbidden),
                    "audit entry {entry:?} contains {forbidden:?}"
                );
            }
        }
    }
}

#[test]
fn guessing_the_current_password_counts_towards_the_lock_out() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let me = user(&mut bank, "guess@example.com", Role::Customer);
    let new_password = password("a-brand-new-passphrase", "guess@example.com");
    let codes: Vec<&str> = (0..5)
        .map(|_| {
            code(
                bank.people()
                    .change_password(&me, &secret("not-my-password"), &new_password),
            )
        })
        .collect();
    assert_eq!(codes, ["invalid_credentials"; 5]);
    // Locked: not even the right current password changes it, and login is refused too.
    assert_eq!(
        code(
            bank.people()
                .change_password(&me, &secret(PASSWORD), &new_password)
        ),
        "invalid_credentials"
    );
    assert_eq!(
        last_outcome(&mut bank, "user.password_change", "guess@example.com"),
        "user_locked"
    );
    assert_locked_out(&mut bank, "guess@example.com");
}
