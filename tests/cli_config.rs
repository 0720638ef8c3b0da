//! The configuration file (`$XDG_CONFIG_HOME/teller/config.toml`) through the real binary: its
//! values are used, the environment wins over them, and a mistake stops every command with the
//! file, the line and the key named (exit 3), never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use common::cli::*;
use common::PASSWORD;

/// A configuration home of this test's own holding `text` as teller's file (mode 0600).
fn config_home(text: &str) -> PathBuf {
    let home = std::env::temp_dir().join(format!(
        "teller-config-test-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let dir = home.join("teller");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.toml");
    std::fs::write(&file, text).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    home
}

#[test]
fn a_mistake_names_the_file_the_line_and_the_key() {
    let home = config_home("theme = \"high-contrast\"\nmouze = false\n");
    let mut command = bare_command();
    command
        .env("XDG_CONFIG_HOME", &home)
        .args(["whoami", "--json"]);
    let out = run(command, None);
    assert_eq!(out.code, 3, "{out:?}");
    let error: serde_json::Value = serde_json::from_str(out.stderr.trim()).unwrap();
    assert_eq!(error["error"], "misconfigured");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("config.toml"), "{message}");
    assert!(message.contains("line 2"), "{message}");
    assert!(message.contains("mouze"), "{message}");
    assert!(!out.stderr.contains("panicked"), "{out:?}");

    let money_as_float = config_home("approval_limit = 5000.0\n");
    let mut command = bare_command();
    command
        .env("XDG_CONFIG_HOME", &money_as_float)
        .arg("whoami");
    let out = run(command, None);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("approval_limit"), "{out:?}");
    for dir in [home, money_as_float] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn the_file_gives_the_database_and_the_policy_and_the_environment_wins() {
    let teller = Teller::new();
    let account = teller.funded_account("payee@example.com", "5000");
    let home = config_home(&format!(
        "database_url = \"{}\"\nowner_url = \"{}\"\napproval_limit = \"100.00\"\n",
        teller.db.app_url, teller.db.url
    ));
    // No --database-url and no DATABASE_URL: the file's is used.
    let mut migrate = bare_command();
    migrate.env("XDG_CONFIG_HOME", &home).arg("migrate");
    let out = run(migrate, None);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("approval_limit is now 100.00"),
        "{out:?}"
    );

    let over = ["withdraw", account.as_str(), "150", "--json"];
    let mut command = bare_command();
    command
        .env("XDG_CONFIG_HOME", &home)
        .env("TELLER_USER", ADMIN)
        .env("TELLER_PASSWORD", PASSWORD)
        .args(over);
    check_failure(&run(command, None), &over, 1, "approval_required");

    // The environment wins over the file.
    let mut migrate = bare_command();
    migrate
        .env("XDG_CONFIG_HOME", &home)
        .env("TELLER_APPROVAL_LIMIT", "1000.00")
        .arg("migrate");
    let out = run(migrate, None);
    assert!(
        out.stdout.contains("approval_limit is now 1000.00"),
        "{out:?}"
    );
    assert_eq!(teller.run(&["withdraw", &account, "150"]).code, 0);
    std::fs::remove_dir_all(home).unwrap();
}

#[test]
fn a_password_in_a_file_others_can_read_is_refused() {
    let home = config_home("database_url = \"mysql://app:hunter2-secret@127.0.0.1:3307/teller\"\n");
    let file = home.join("teller").join("config.toml");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut command = bare_command();
    command.env("XDG_CONFIG_HOME", &home).arg("whoami");
    let out = run(command, None);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("chmod 600"), "{out:?}");
    assert!(!out.stderr.contains("hunter2"), "{out:?}");
    std::fs::remove_dir_all(home).unwrap();
}
