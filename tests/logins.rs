//! Logins that hold under attack: lock-out counted before bcrypt, one answer for every failure,
//! passwords set by someone else changed first, four eyes on staff accounts, sessions.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::sync::{Arc, Barrier};

use common::*;
use teller::domain::{Password, Role};
use teller::services::{Actor, Approval, Bank, BankConfig};

fn outcomes(bank: &mut Bank, action: &str, address: &str) -> Vec<String> {
    bank.ledger()
        .audit_log(&operator(), 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action && e.subject.as_deref() == Some(address))
        .map(|e| e.outcome)
        .collect()
}

#[test]
fn fifty_wrong_passwords_at_once_get_at_most_five_checks() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "target@example.com", Role::Customer);
    let start = Arc::new(Barrier::new(50));
    let threads: Vec<_> = (0..50)
        .map(|i| {
            let url = db.url.clone();
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                let mut bank = Bank::connect(&url, test_config()).expect("connect");
                start.wait();
                code(login(
                    &mut bank,
                    "target@example.com",
                    &format!("guess-{i}"),
                ))
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().expect("thread"), "invalid_credentials");
    }
    // Only the attempts counted before the lock reached bcrypt; the rest were refused as locked.
    let seen = outcomes(&mut bank, "login", "target@example.com");
    let checked = seen.iter().filter(|o| *o == "invalid_credentials").count();
    let locked = seen.iter().filter(|o| *o == "user_locked").count();
    assert_eq!(checked + locked, 50, "{seen:?}");
    assert!(checked <= 5, "{checked} passwords were checked: {seen:?}");
    // And the right password is refused during the lock, with the same answer.
    assert_eq!(
        code(login(&mut bank, "target@example.com", PASSWORD)),
        "invalid_credentials"
    );
}

#[test]
fn unknown_wrong_and_locked_get_one_answer_with_the_true_reason_audited() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "known@example.com", Role::Customer);
    user(&mut bank, "locked@example.com", Role::Customer);
    for _ in 0..5 {
        let _ = login(&mut bank, "locked@example.com", "nope-nope-nope");
    }
    let answers = [
        login(&mut bank, "nobody@example.com", "whatever-it-is").unwrap_err(),
        login(&mut bank, "known@example.com", "not-the-password").unwrap_err(),
        login(&mut bank, "locked@example.com", PASSWORD).unwrap_err(),
    ];
    for answer in &answers {
        assert_eq!(answer.code(), answers[0].code());
        assert_eq!(answer.to_string(), answers[0].to_string());
        assert_eq!(answer.class(), answers[0].class());
    }
    assert_eq!(
        outcomes(&mut bank, "login", "nobody@example.com"),
        ["unknown_email"]
    );
    assert_eq!(
        outcomes(&mut bank, "login", "known@example.com"),
        ["invalid_credentials"]
    );
    assert_eq!(
        outcomes(&mut bank, "login", "locked@example.com")[0],
        "user_locked"
    );
}

#[test]
fn a_password_set_by_someone_else_is_changed_before_anything_else() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let teller = user(&mut bank, "teller@example.com", Role::Teller);
    bank.people()
        .register_user(&teller, new_user("fresh@example.com", Role::Customer), None)
        .expect("a teller registers a customer");
    // The right password, but not theirs to keep: nothing is possible yet.
    assert_eq!(
        code(login(&mut bank, "fresh@example.com", PASSWORD)),
        "password_change_required"
    );
    let session = bank
        .people()
        .open_session(&email("fresh@example.com"), &secret(PASSWORD));
    assert_eq!(code(session), "password_change_required");
    // The same password again is no change.
    let same = Password::parse(PASSWORD.into(), &email("fresh@example.com")).unwrap();
    assert_eq!(
        code(bank.people().change_password_at_login(
            &email("fresh@example.com"),
            &secret(PASSWORD),
            &same
        )),
        "invalid_password"
    );
    // A wrong current password counts like a wrong login.
    let mine = Password::parse("chosen-by-me-alone".into(), &email("fresh@example.com")).unwrap();
    assert_eq!(
        code(bank.people().change_password_at_login(
            &email("fresh@example.com"),
            &secret("not-it-at-all"),
            &mine
        )),
        "invalid_credentials"
    );
    let me = bank
        .people()
        .change_password_at_login(&email("fresh@example.com"), &secret(PASSWORD), &mine)
        .expect("the owner changes it");
    assert_eq!(me.email, email("fresh@example.com"));
    login(&mut bank, "fresh@example.com", "chosen-by-me-alone").expect("logs in");

    // A reset by staff sets the flag again; a supervisor in that state cannot approve.
    let admin = user(&mut bank, "admin@example.com", Role::Admin);
    user(&mut bank, "boss@example.com", Role::Admin);
    let fresh = Password::parse("temporary-passphrase".into(), &email("boss@example.com")).unwrap();
    bank.people()
        .reset_password(
            &admin,
            &email("boss@example.com"),
            &fresh,
            Some(&Approval::Typed {
                supervisor: email("boss@example.com"),
                password: secret(PASSWORD),
            }),
        )
        .expect("reset with the other admin's approval");
    let (_, account) = customer_with_account(&mut bank, "rich@example.com", "20000");
    let approval = Approval::Typed {
        supervisor: email("boss@example.com"),
        password: secret("temporary-passphrase"),
    };
    let err = bank
        .money()
        .withdraw(&teller, &cash(&account, "15000"), Some(&approval))
        .unwrap_err();
    assert_eq!(err.code(), "approval_refused");
    assert!(err.to_string().contains("change"), "{err}");
}

#[test]
fn staff_accounts_need_a_second_admin_who_is_not_the_requester() {
    let db = TestDb::new();
    let mut bank = db.bank();
    let first = bank
        .people()
        .bootstrap_admin(new_user("first@example.com", Role::Admin))
        .expect("bootstrap");
    assert_eq!(first.role, Role::Admin);
    assert_eq!(
        code(
            bank.people()
                .bootstrap_admin(new_user("again@example.com", Role::Admin))
        ),
        "admin_exists"
    );
    let first = Actor::User(login(&mut bank, "first@example.com", PASSWORD).unwrap());
    // The only admin has no second pair of eyes yet: creating the second admin is allowed.
    bank.people()
        .register_user(&first, new_user("second@example.com", Role::Admin), None)
        .expect("the second admin");
    let mine = Password::parse("second-admins-own".into(), &email("second@example.com")).unwrap();
    bank.people()
        .change_password_at_login(&email("second@example.com"), &secret(PASSWORD), &mine)
        .unwrap();
    // From now on staff need the other admin.
    assert_eq!(
        code(
            bank.people()
                .register_user(&first, new_user("t1@example.com", Role::Teller), None)
        ),
        "approval_required"
    );
    let own = Approval::Typed {
        supervisor: email("first@example.com"),
        password: secret(PASSWORD),
    };
    assert_eq!(
        code(bank.people().register_user(
            &first,
            new_user("t1@example.com", Role::Teller),
            Some(&own)
        )),
        "approval_refused"
    );
    let other = Approval::Typed {
        supervisor: email("second@example.com"),
        password: secret("second-admins-own"),
    };
    let teller = bank
        .people()
        .register_user(
            &first,
            new_user("t1@example.com", Role::Teller),
            Some(&other),
        )
        .expect("approved by the second admin");
    assert_eq!(teller.role, Role::Teller);
    let log = bank.ledger().audit_log(&operator(), 50).unwrap();
    assert!(log.iter().any(|e| e.action == "user.create"
        && e.subject.as_deref() == Some("t1@example.com")
        && e.approved_by.as_deref() == Some("second@example.com")));
    // Customers need no approval.
    bank.people()
        .register_user(&first, new_user("c1@example.com", Role::Customer), None)
        .expect("a customer");
}

#[test]
fn a_session_lives_until_logout_idle_or_its_end() {
    let db = TestDb::new();
    let mut bank = db.bank();
    user(&mut bank, "s@example.com", Role::Customer);
    let session = bank
        .people()
        .open_session(&email("s@example.com"), &secret(PASSWORD))
        .expect("open");
    let hours = (session.expires_at - chrono::Utc::now()).num_minutes();
    assert!((11 * 60..=12 * 60).contains(&hours), "{hours} minutes");
    let me = bank
        .people()
        .resume_session(&session.token)
        .expect("resume");
    assert_eq!(me.email, email("s@example.com"));
    assert_eq!(
        code(bank.people().resume_session(&secret("forged-token"))),
        "login_required"
    );
    bank.people().end_session(&session.token).expect("logout");
    assert_eq!(
        code(bank.people().resume_session(&session.token)),
        "login_required"
    );

    // Idle past the lock: the session ends. This thread's bank clock is moved, not slept
    // past: no real-time window a loaded machine could miss.
    let config = BankConfig {
        session_idle: Some(chrono::Duration::minutes(10)),
        ..test_config()
    };
    let mut idle_bank = Bank::connect(&db.url, config).unwrap();
    let session = idle_bank
        .people()
        .open_session(&email("s@example.com"), &secret(PASSWORD))
        .unwrap();
    teller::db::clock::advance_this_thread(chrono::Duration::minutes(9));
    idle_bank
        .people()
        .resume_session(&session.token)
        .expect("still fresh: 9 of 10 idle minutes");
    teller::db::clock::advance_this_thread(chrono::Duration::minutes(11));
    let err = idle_bank
        .people()
        .resume_session(&session.token)
        .unwrap_err();
    assert_eq!(err.code(), "login_required");
    assert!(err.to_string().contains("idle"), "{err}");

    // Past its absolute end, however busy.
    let config = BankConfig {
        session_lifetime: chrono::Duration::minutes(30),
        session_idle: Some(chrono::Duration::minutes(20)),
        ..test_config()
    };
    let mut short = Bank::connect(&db.url, config).unwrap();
    let session = short
        .people()
        .open_session(&email("s@example.com"), &secret(PASSWORD))
        .unwrap();
    for _ in 0..2 {
        teller::db::clock::advance_this_thread(chrono::Duration::minutes(14));
        short
            .people()
            .resume_session(&session.token)
            .expect("busy, within its lifetime");
    }
    teller::db::clock::advance_this_thread(chrono::Duration::minutes(14));
    assert_eq!(
        code(short.people().resume_session(&session.token)),
        "login_required"
    );
}

#[test]
fn an_unknown_email_is_checked_at_the_cost_of_every_new_password_hash() {
    let db = TestDb::new();
    // The owner sets the bank's cost; the app reads it, whatever its own configuration says.
    db.owner_bank()
        .set_policy(teller::services::BCRYPT_COST, "6")
        .unwrap();
    let mut bank = db.app_bank();
    bank.load_policy().unwrap();
    assert_eq!(bank.people().password_cost(), 6);
    user(&mut bank, "costly@example.com", Role::Customer);
    let row = teller::db::users::find_by_email(bank.connection(), "costly@example.com")
        .unwrap()
        .unwrap();
    let stored = teller::services::hash_cost(&row.password_hash);
    assert_eq!(stored, 6);
    // The dummy hash an unknown email is checked against has exactly that cost.
    assert_eq!(bank.people().unknown_email_cost(), stored);
    // A cost without a dummy hash is not a policy the bank may choose.
    assert!(db
        .owner_bank()
        .set_policy(teller::services::BCRYPT_COST, "15")
        .is_err());
    assert!(db
        .owner_bank()
        .set_policy(teller::services::BCRYPT_COST, "3")
        .is_err());
}
