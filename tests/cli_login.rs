//! The CLI's trust boundary: every command acts as a logged-in person (exit 4 otherwise),
//! sessions of `teller login`, forced password changes, drawers and approvals from the CLI,
//! and the set-up commands on the owner account.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;
use common::{server_url, PASSWORD};

/// `teller ARGS` as nobody in particular, with the session file `file`.
fn session_command(
    teller: &Teller,
    file: &std::path::Path,
    args: &[&str],
) -> std::process::Command {
    let mut command = teller.anonymous(args);
    command.env("TELLER_SESSION_FILE", file);
    command
}

fn session_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "teller-session-test-{}-{name}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("session")
}

#[test]
fn without_a_login_every_command_exits_4() {
    let teller = Teller::new();
    let account = teller.funded_account("c@example.com", "10");
    for args in [
        vec!["balance", account.as_str(), "--json"],
        vec!["deposit", account.as_str(), "5", "--json"],
        vec!["audit", "--json"],
        vec!["whoami", "--json"],
    ] {
        let out = run(teller.anonymous(&args), None);
        let error = check_failure(&out, &args, 4, "login_required");
        assert!(
            error["message"].as_str().unwrap().contains("teller login"),
            "{error}"
        );
    }
    assert_eq!(teller.balance(&account), "10.00");
}

#[test]
fn unknown_email_wrong_and_locked_passwords_look_the_same() {
    let teller = Teller::new();
    teller.customer("someone@example.com");
    let args = ["audit", "--json"];
    let unknown = teller.run_as("nobody@example.com", "a-guess-at-it", &args);
    let wrong = teller.run_as(ADMIN, "a-guess-at-it", &args);
    for out in [&unknown, &wrong] {
        check_failure(out, &args, 4, "invalid_credentials");
    }
    assert_eq!(unknown.stderr, wrong.stderr);
    for _ in 0..5 {
        teller.run_as(BOSS, "a-guess-at-it", &args);
    }
    let locked = teller.run_as(BOSS, PASSWORD, &args);
    check_failure(&locked, &args, 4, "invalid_credentials");
    assert_eq!(locked.stderr, wrong.stderr);
}

#[test]
fn login_whoami_and_logout_with_a_private_session_file() {
    let teller = Teller::new();
    let account = teller.funded_account("c@example.com", "10");
    let file = session_file("login");
    let with_session = |args: &[&str]| session_command(&teller, &file, args);
    let mut login = with_session(&["login", "--json"]);
    login
        .env("TELLER_USER", ADMIN)
        .env("TELLER_PASSWORD", PASSWORD);
    let out = run(login, None);
    assert_eq!(out.code, 0, "{out:?}");
    let session = out.json();
    assert_eq!(session["email"], ADMIN);
    assert!(is_rfc3339_utc(str_of(&session, "expires_at")), "{session}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the session file is readable by others");
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains(PASSWORD),
        "the password is in the session file"
    );

    // Later commands act as the person, without a password.
    let who = run(with_session(&["whoami", "--json"]), None);
    assert_eq!(who.code, 0, "{who:?}");
    assert_eq!(who.json()["email"], ADMIN);
    assert_eq!(who.json()["role"], "admin");
    let out = run(with_session(&["deposit", &account, "2.50", "--json"]), None);
    assert_eq!(out.code, 0, "{out:?}");

    // A session file others can read is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = run(with_session(&["whoami"]), None);
        assert_eq!(out.code, 3, "{out:?}");
        assert!(out.stderr.contains("read by others"), "{out:?}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    let out = run(with_session(&["logout"]), None);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!file.exists());
    let args = ["whoami", "--json"];
    check_failure(&run(with_session(&args), None), &args, 4, "login_required");
    // Another copy of the token is worthless now: the server ended the session.
    assert_eq!(teller.balance(&account), "12.50");
}

#[test]
fn a_password_set_by_staff_must_be_changed_before_anything_else() {
    let teller = Teller::new();
    let account = teller.funded_account("new@example.com", "10");
    let args = ["balance", account.as_str(), "--json"];
    let out = teller.run_as("new@example.com", CUSTOMER_PASSWORD, &args);
    check_failure(&out, &args, 4, "password_change_required");

    // The owner changes it with the current one (TELLER_PASSWORD) and a new one on stdin.
    let mut change = teller.command_as(
        "new@example.com",
        CUSTOMER_PASSWORD,
        &["user", "password", "new@example.com"],
    );
    change.env_remove("TELLER_APPROVER_PASSWORD");
    let out = run(change, Some("my-very-own-passphrase\n"));
    assert_eq!(out.code, 0, "{out:?}");
    let out = teller.run_as("new@example.com", "my-very-own-passphrase", &args);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["balance"], "10.00");
    let out = teller.run_as("new@example.com", CUSTOMER_PASSWORD, &args);
    check_failure(&out, &args, 4, "invalid_credentials");
}

#[test]
fn a_teller_works_the_drawer_from_the_cli_and_the_close_is_blind() {
    let teller = Teller::new();
    let account = teller.funded_account("c@example.com", "100");
    let boss = |args: &[&str]| teller.run_as(BOSS, PASSWORD, args);
    // BOSS has no drawer open yet: cash needs one.
    let deposit = ["deposit", account.as_str(), "40", "--json"];
    check_failure(&boss(&deposit), &deposit, 1, "drawer_closed");
    // The float comes from the vault: a supervisor approves it.
    let open = ["drawer", "open", "--count", "100x5,20x5", "--json"];
    check_failure(&boss(&open), &open, 1, "approval_required");
    let mut approved = teller.command_as(BOSS, PASSWORD, &open);
    approved
        .args(["--approver", ADMIN])
        .env("TELLER_APPROVER_PASSWORD", PASSWORD);
    let open = run(approved, None);
    assert_eq!(open.code, 0, "{open:?}");
    let open = open.json();
    assert_eq!(open["opening_float"], "600.00");
    let session = open["session"].as_i64().expect("session id");
    assert_eq!(boss(&deposit).code, 0);
    let shown = boss(&["drawer", "show", "--json"]).json();
    assert_eq!(shown["session"], session);
    // While open, the teller is not told what the count should come to.
    assert_eq!(shown["expected"], serde_json::Value::Null);
    assert_eq!(shown["cash_in"], serde_json::Value::Null);
    // A count for another session closes nothing.
    let wrong = [
        "drawer",
        "close",
        "--count",
        "100x6",
        "--session",
        "999",
        "--json",
    ];
    check_failure(&boss(&wrong), &wrong, 1, "not_found");
    let closed = boss(&["drawer", "close", "--count", "100x6", "--json"]);
    assert_eq!(closed.code, 0, "{closed:?}");
    let closed = closed.json();
    assert_eq!(closed["expected"], "640.00");
    assert_eq!(closed["counted"], "600.00");
    assert_eq!(closed["over_short"], "-40.00");
    let audit = teller.run(&["audit"]);
    assert_eq!(audit.code, 0, "{audit:?}");
}

#[test]
fn a_large_withdrawal_needs_an_approver_from_the_cli() {
    let teller = Teller::new();
    let account = teller.funded_account("rich@example.com", "50000");
    let args = ["withdraw", account.as_str(), "15000", "--json"];
    teller.fails(&args, 1, "approval_required");
    let mut wrong = teller.command(&args);
    wrong
        .args(["--approver", BOSS])
        .env("TELLER_APPROVER_PASSWORD", "not-the-bosses-password");
    check_failure(&run(wrong, None), &args, 1, "approval_refused");
    // Approved, it is large cash too: the customer's ID is recorded with it.
    let out = teller.approved(&args);
    check_failure(&out, &args, 1, "id_required");
    let mut with_id = args.to_vec();
    with_id.extend([
        "--id-type",
        "passport",
        "--id-number",
        "X1234567",
        "--id-country",
        "US",
        "--id-expiry",
        "2099-01-31",
    ]);
    let out = teller.approved(&with_id);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(teller.balance(&account), "35000.00");
    // --approver where nothing needs one is a usage error.
    let out = teller.approved(&["balance", &account, "--json"]);
    assert_eq!(out.code, 2, "{out:?}");
    let log = teller.json(&["log", "--json"]);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "withdrawal" && e["approved_by"] == BOSS),
        "{log}"
    );
}

#[test]
fn migrate_sets_up_the_app_account_and_bootstrap_admin_runs_once() {
    let name = format!(
        "teller_test_{}_cliowner_{}",
        std::process::id(),
        rand::random::<u32>()
    );
    let owner_url = teller::db::with_database(&server_url(), &name);
    let app_url = {
        let host = owner_url
            .split_once('@')
            .map(|(_, h)| h)
            .unwrap_or_default();
        format!("mysql://{name}:s3cret%40pw@{host}")
    };
    let _guard = Scratch {
        name: name.clone(),
        app_url: Some(app_url.clone()),
    };
    let setup = |args: &[&str], stdin: Option<&str>| {
        let mut command = bare_command();
        command
            .env("DATABASE_URL", &app_url)
            .env("TELLER_OWNER_URL", &owner_url)
            .args(args);
        run(command, stdin)
    };
    // The database administrator creates the app account (no rights); migrate grants them.
    common::create_account(&app_url);
    let first = setup(&["migrate"], None);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stdout.contains("exactly the rights"), "{first:?}");
    assert!(!first.stdout.contains("s3cret"), "{first:?}");
    let again = setup(&["migrate"], None);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(again.stdout.starts_with("0 "), "{again:?}");

    let admin = setup(
        &["bootstrap-admin", "--email", "first@example.com", "--json"],
        Some("the-first-admins-passphrase\n"),
    );
    assert_eq!(admin.code, 0, "{admin:?}");
    assert_eq!(admin.json()["role"], "admin");
    let twice = setup(
        &["bootstrap-admin", "--email", "second@example.com", "--json"],
        Some("another-admins-passphrase\n"),
    );
    check_failure(&twice, &["bootstrap-admin"], 1, "admin_exists");

    // The app account serves the admin; the owner account is refused as DATABASE_URL.
    let as_admin = |url: &str, allow: bool| {
        let mut command = bare_command();
        command
            .env("DATABASE_URL", url)
            .env("TELLER_USER", "first@example.com")
            .env("TELLER_PASSWORD", "the-first-admins-passphrase")
            .args(["whoami", "--json"]);
        if allow {
            command.env("TELLER_ALLOW_OWNER_ACCOUNT", "1");
        }
        run(command, None)
    };
    let out = as_admin(&app_url, false);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["email"], "first@example.com");
    let out = as_admin(&owner_url, false);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("TELLER_ALLOW_OWNER_ACCOUNT"), "{out:?}");
    assert_eq!(as_admin(&owner_url, true).code, 0);
}

#[test]
fn a_schema_behind_is_refused_with_exit_3_naming_migrate() {
    let teller = Teller::new();
    let mut owner = teller::db::connect(&teller.db.url).unwrap();
    diesel::connection::SimpleConnection::batch_execute(
        &mut owner,
        "DELETE FROM __diesel_schema_migrations ORDER BY version DESC LIMIT 1",
    )
    .unwrap();
    let args = ["audit", "--json"];
    let error = check_failure(&teller.run(&args), &args, 3, "database_unavailable");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("teller migrate"),
        "{error}"
    );
}

#[test]
fn the_policy_comes_from_the_database_not_the_environment() {
    let teller = Teller::new();
    let account = teller.funded_account("rich@example.com", "50000");
    // A teller's own environment cannot lift four eyes.
    let big = ["withdraw", account.as_str(), "15000", "--json"];
    let mut loose = teller.command(&big);
    loose.env("TELLER_APPROVAL_LIMIT", "100000000");
    check_failure(&run(loose, None), &big, 1, "approval_required");

    // The owner sets the bank's limit with `teller migrate`; every workstation follows it.
    let mut migrate = bare_command();
    migrate
        .env("DATABASE_URL", &teller.db.app_url)
        .env("TELLER_OWNER_URL", &teller.db.url)
        .env("TELLER_APPROVAL_LIMIT", "100.00")
        .arg("migrate");
    let out = run(migrate, None);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("approval_limit is now 100.00"),
        "{out:?}"
    );
    let over = ["withdraw", account.as_str(), "150", "--json"];
    check_failure(&teller.run(&over), &over, 1, "approval_required");
    assert_eq!(teller.run(&["withdraw", &account, "50"]).code, 0);
    let log = teller.json(&["log", "--json"]);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "policy.set" && e["actor"] == "setup:migrate"),
        "{log}"
    );
}

#[test]
fn a_workstation_clock_set_ahead_does_not_end_a_lock_out() {
    let teller = Teller::new();
    teller.customer("locked@example.com");
    let args = ["whoami", "--json"];
    for _ in 0..5 {
        teller.run_as("locked@example.com", "a-wrong-guess-here", &args);
    }
    // The login locks for 15 minutes: an hour later on the workstation's own clock it is
    // still locked, because the bank keeps the database server's time.
    let mut later = std::process::Command::new("faketime");
    later
        .args(["-f", "+1h", BIN])
        .args(args)
        .env("DATABASE_URL", &teller.db.app_url)
        .env("TELLER_BCRYPT_COST", "4")
        .env("TELLER_USER", "locked@example.com")
        .env("TELLER_PASSWORD", CUSTOMER_PASSWORD);
    let out = run(later, None);
    check_failure(&out, &args, 4, "invalid_credentials");
    let log = teller.json(&["log", "--json"]);
    let newest_login = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "login" && e["subject"] == "locked@example.com")
        .cloned()
        .unwrap_or_default();
    assert_eq!(newest_login["outcome"], "user_locked", "{log}");
}

#[test]
fn the_bcrypt_cost_is_the_banks_policy_and_a_workstation_cannot_lower_it() {
    let teller = Teller::new();
    // The bank's policy (the owner's to set) is 5; every command here runs with
    // TELLER_BCRYPT_COST=4 in its environment, as a workstation trying to lower it.
    teller
        .db
        .owner_bank()
        .set_policy(teller::services::BCRYPT_COST, "5")
        .unwrap();
    teller.customer("hashed@example.com");
    let mut bank = teller.bank();
    let row = teller::db::users::find_by_email(bank.connection(), "hashed@example.com")
        .unwrap()
        .unwrap();
    assert!(
        row.password_hash.starts_with("$2b$05$"),
        "hashed at the workstation's cost, not the bank's: {}",
        &row.password_hash[..7]
    );
    // The workstation's variable does not even need to be valid any more: it is not read.
    let mut command = teller.command(&["whoami", "--json"]);
    command.env("TELLER_BCRYPT_COST", "3");
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn a_session_file_works_only_for_the_os_user_and_host_that_logged_in() {
    let teller = Teller::new();
    let file = session_file("bound");
    let with_session = |args: &[&str]| session_command(&teller, &file, args);
    let mut login = with_session(&["login", "--json"]);
    login
        .env("TELLER_USER", ADMIN)
        .env("TELLER_PASSWORD", PASSWORD);
    assert_eq!(run(login, None).code, 0);
    let who = run(with_session(&["whoami", "--json"]), None);
    assert_eq!(who.code, 0, "{who:?}");
    let original = std::fs::read_to_string(&file).unwrap();
    let stored: serde_json::Value = serde_json::from_str(&original).unwrap();
    assert!(stored["uid"].is_u64(), "{stored}");
    assert!(!str_of(&stored, "host").is_empty(), "{stored}");

    // The file as another user's copy (another uid) or another machine's (another host).
    let edit = |field: &str, value: serde_json::Value| {
        let mut copy = stored.clone();
        copy[field] = value;
        std::fs::write(&file, copy.to_string()).unwrap();
    };
    let uid = stored["uid"].as_u64().unwrap();
    for (field, value) in [
        ("uid", serde_json::json!(uid + 1)),
        ("host", serde_json::json!("another-machine")),
    ] {
        edit(field, value);
        let out = run(with_session(&["whoami", "--json"]), None);
        assert_eq!(out.code, 4, "{field}: {out:?}");
        assert!(out.stderr.contains("login_required"), "{field}: {out:?}");
        assert!(out.stderr.contains("another OS user"), "{field}: {out:?}");
    }
    // The token in the file is not the one the bank issued: a copy edited to name its new
    // owner's uid and host unmasks to a token nobody issued (see the unit tests).
    assert!(!original.contains("\"token\":\"\""), "{original}");

    // Back as it was, it works again for its owner; logout removes even a copied file.
    std::fs::write(&file, &original).unwrap();
    assert_eq!(run(with_session(&["whoami", "--json"]), None).code, 0);
    edit("host", serde_json::json!("another-machine"));
    assert_eq!(run(with_session(&["logout"]), None).code, 0);
    assert!(!file.exists());
}
