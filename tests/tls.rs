//! Encrypted connections: the app over TLS to a MariaDB whose certificate comes from the test
//! set-up's own CA (scripts/test.sh passes it as TEST_DATABASE_TLS_CA).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;
use common::live::Live;
use common::{customer_with_account, PASSWORD};
use diesel::RunQueryDsl;
use teller::db;

fn ca() -> String {
    std::env::var("TEST_DATABASE_TLS_CA").unwrap_or_else(|_| {
        panic!(
            "TEST_DATABASE_TLS_CA is not set: run the tests with scripts/test.sh, which starts \
             MariaDB with TLS and a CA of its own"
        )
    })
}

#[derive(diesel::QueryableByName)]
struct Status {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = Value)]
    value: String,
}

fn cipher(conn: &mut db::Connection) -> String {
    diesel::sql_query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        .get_result::<Status>(conn)
        .map(|s| s.value)
        .unwrap_or_default()
}

#[test]
fn the_app_runs_over_a_verified_tls_connection() {
    let teller = Teller::new();
    let account = teller.funded_account("tls@example.com", "42.00");
    // The app account set up from a TLS URL cannot log in without TLS.
    let tls_url = format!(
        "{}?ssl_mode=verify_identity&ssl_ca={}",
        teller.db.app_url,
        ca()
    );
    let mut owner = db::connect(&teller.db.url).expect("owner");
    let app = db::DatabaseUrl::parse(&tls_url).expect("url");
    db::grant_app_account(&mut owner, &app).expect("require TLS of the app account");

    let mut conn = db::connect_app(&tls_url, false).expect("a TLS connection");
    assert!(
        !cipher(&mut conn).is_empty(),
        "the connection is not encrypted"
    );
    let error = db::connect(&teller.db.app_url)
        .err()
        .expect("the app account logged in without TLS");
    assert!(
        error.to_string().contains("Access denied"),
        "refused for another reason than REQUIRE SSL: {error}"
    );

    // The CLI over TLS, as a person.
    let mut command = bare_command();
    command
        .env("DATABASE_URL", &tls_url)
        .env("TELLER_USER", ADMIN)
        .env("TELLER_PASSWORD", PASSWORD)
        .args(["balance", &account, "--json"]);
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["balance"], "42.00");

    // The full-screen app's worker over TLS.
    // (set-up on the owner's connection: the app account now needs TLS)
    let mut bank = teller.db.owner_bank();
    customer_with_account(&mut bank, "screen@example.com", "7.00");
    let mut live = Live::new(&tls_url);
    live.login("screen@example.com", PASSWORD)
        .wait_for("My accounts")
        .wait_for("7.00");
}

#[test]
fn a_certificate_from_another_ca_is_refused() {
    let teller = Teller::new();
    // The server's certificate does not verify against a CA that did not sign it.
    let other = std::env::temp_dir().join(format!("teller-other-ca-{}.pem", std::process::id()));
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=someone else"])
        .arg("-keyout")
        .arg(std::env::temp_dir().join(format!("teller-other-key-{}.pem", std::process::id())))
        .arg("-out")
        .arg(&other)
        .output()
        .expect("run openssl");
    assert!(made.status.success(), "{made:?}");
    let url = format!(
        "{}?ssl_mode=verify_ca&ssl_ca={}",
        teller.db.app_url,
        other.display()
    );
    let error = db::connect(&url)
        .err()
        .expect("a server no CA vouches for was trusted");
    let text = error.to_string();
    assert!(
        text.contains("certificate") || text.contains("SSL") || text.contains("TLS"),
        "refused for another reason than the certificate: {text}"
    );
}
