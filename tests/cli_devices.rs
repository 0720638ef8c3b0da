//! `teller device add|list|revoke` through the real binary: supervisors only, a second
//! supervisor approves an addition (four eyes, as for staff), names and keys are never reused,
//! a private key is refused, and every change is audited.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::cli::*;

fn key_file(name: &str) -> PathBuf {
    let dir = empty_dir().join(format!("keys-{}", rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    common::ssh::key_pair(&dir, name)
}

fn pub_of(path: &std::path::Path) -> String {
    format!("{}.pub", path.display())
}

#[test]
fn adding_a_device_takes_a_second_supervisor_and_is_audited() {
    let teller = Teller::new();
    let key = key_file("till-7");
    let pub_key = pub_of(&key);
    // Two admins in this bank: one alone cannot add a device.
    teller.fails(
        &["device", "add", "till-7", "--key", &pub_key, "--json"],
        1,
        "approval_required",
    );
    let added = teller.approved(&["device", "add", "Till-7", "--key", &pub_key, "--json"]);
    assert_eq!(added.code, 0, "{added:?}");
    let added = added.json();
    assert_eq!(added["name"], "till-7");
    assert_eq!(added["added_by"], ADMIN);
    assert_eq!(added["approved_by"], BOSS);
    assert_eq!(added["active"], true);
    assert!(str_of(&added, "fingerprint").starts_with("SHA256:"));
    let printed = Command::new("ssh-keygen")
        .args(["-l", "-f", &pub_key])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&printed.stdout).contains(str_of(&added, "fingerprint")),
        "the fingerprint is the one ssh-keygen prints"
    );

    // A name and a key name one device for good.
    let other = pub_of(&key_file("till-8"));
    let again = teller.approved(&["device", "add", "till-7", "--key", &other, "--json"]);
    check_failure(&again, &["device", "add"], 1, "device_exists");
    let same_key = teller.approved(&["device", "add", "till-9", "--key", &pub_key, "--json"]);
    check_failure(&same_key, &["device", "add"], 1, "device_exists");
    // A private key never goes to the bank; `local` is reserved.
    let private = key.display().to_string();
    let refused = teller.approved(&["device", "add", "till-9", "--key", &private, "--json"]);
    check_failure(&refused, &["device", "add"], 2, "invalid_device_key");
    let local = teller.approved(&["device", "add", "local", "--key", &other, "--json"]);
    check_failure(&local, &["device", "add"], 2, "invalid_device");

    let list = teller.json(&["device", "list", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    for field in [
        "name",
        "fingerprint",
        "added_by",
        "approved_by",
        "added_at",
        "active",
    ] {
        assert!(list[0].get(field).is_some(), "{field} in {list:?}");
    }

    let revoked = teller.json(&["device", "revoke", "till-7", "--json"]);
    assert_eq!(revoked["active"], false);
    assert_eq!(revoked["revoked_by"], ADMIN);
    // Revoking again changes nothing.
    let twice = teller.json(&["device", "revoke", "till-7", "--json"]);
    assert_eq!(twice["revoked_at"], revoked["revoked_at"]);

    let log = teller.json(&["log", "--limit", "30", "--json"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["outcome"] == "ok")
        .map(|l| str_of(l, "action"))
        .collect();
    assert!(actions.contains(&"device.add"), "{actions:?}");
    assert!(actions.contains(&"device.revoke"), "{actions:?}");
}

#[test]
fn only_supervisors_manage_devices() {
    let teller = Teller::new();
    teller.customer("carol@example.com");
    let own = "carol@example.com";
    let change = teller.command_as(own, CUSTOMER_PASSWORD, &["user", "password", own]);
    assert_eq!(run(change, Some("a-new-passphrase-7\n")).code, 0);
    let pub_key = pub_of(&key_file("till-1"));
    for args in [
        vec!["device", "list", "--json"],
        vec!["device", "add", "till-1", "--key", &pub_key, "--json"],
        vec!["device", "revoke", "till-1", "--json"],
    ] {
        let out = teller.run_as(own, "a-new-passphrase-7", &args);
        check_failure(&out, &args, 1, "forbidden");
    }
}
