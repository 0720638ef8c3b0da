//! The real `teller` binary and foreign currency: `currency add`, `fx rate set`, `fx rates`,
//! `fx quote` and `transfer --quote`, their JSON fields and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod common;

use common::cli::*;

#[test]
fn currencies_rates_and_quotes_as_scripts_see_them() {
    let teller = Teller::new();
    let yen = teller.json(&["currency", "add", "jpy", "--json"]);
    assert_eq!(yen["code"], "JPY");
    assert_eq!(yen["decimals"], 0);
    assert_eq!(yen["denominations"][0], "10000");
    assert!(is_rfc3339_utc(str_of(&yen, "added_at")), "{yen}");
    teller.fails(&["currency", "add", "JPY", "--json"], 1, "already_traded");
    teller.fails(&["currency", "add", "XAU", "--json"], 2, "invalid_currency");
    let list = teller.json(&["currency", "list", "--json"]);
    assert!(list.as_array().unwrap().iter().any(|c| c["code"] == "JPY"));

    let rate = teller.json(&[
        "fx", "rate", "set", "USD", "EUR", "--buy", "0.90", "--sell", "0.94", "--json",
    ]);
    assert_eq!(
        (&rate["buy"], &rate["sell"]),
        (&"0.9".into(), &"0.94".into())
    );
    assert_eq!(rate["in_force"], true);
    assert!(rate["valid_until"].is_null());
    // The spread the wrong way round, or a rate that is not a decimal: invalid input.
    teller.fails(
        &[
            "fx", "rate", "set", "USD", "EUR", "--buy", "0.94", "--sell", "0.90", "--json",
        ],
        2,
        "invalid_rate",
    );
    teller.fails(
        &[
            "fx", "rate", "set", "USD", "EUR", "--buy", "1e-1", "--sell", "2", "--json",
        ],
        2,
        "invalid_rate",
    );
    teller.ok(&[
        "fx", "rate", "set", "USD", "JPY", "--buy", "149.5", "--sell", "151.5",
    ]);
    let rates = teller.json(&["fx", "rates", "--json"]);
    assert_eq!(rates.as_array().unwrap().len(), 2, "{rates}");

    let quote = teller.json(&["fx", "quote", "USD", "EUR", "100", "--json"]);
    for (field, want) in [
        ("from", "USD"),
        ("to", "EUR"),
        ("from_amount", "100.00"),
        ("to_amount", "90.00"),
        ("rate", "0.9"),
        ("side", "buy"),
        ("pair", "USD/EUR"),
        ("margin", "2.00"),
    ] {
        assert_eq!(quote[field], want, "{field} in {quote}");
    }
    assert!(quote["id"].is_i64() && quote["used"] == false, "{quote}");
    let yen_quote = teller.json(&["fx", "quote", "USD", "JPY", "10.01", "--json"]);
    assert_eq!(yen_quote["to_amount"], "1496");
    teller.fails(
        &["fx", "quote", "USD", "EUR", "1.001", "--json"],
        2,
        "invalid_amount",
    );
    teller.fails(&["fx", "quote", "EUR", "JPY", "10", "--json"], 1, "no_rate");
}

#[test]
fn a_transfer_between_currencies_at_a_quote() {
    let teller = Teller::new();
    let usd = teller.funded_account("alex@example.com", "500.00");
    let eur = teller.open_account("alex@example.com", "EUR");
    teller.ok(&[
        "fx", "rate", "set", "USD", "EUR", "--buy", "0.90", "--sell", "0.94",
    ]);
    let quote = teller.json(&["fx", "quote", "USD", "EUR", "100", "--json"]);
    let id = quote["id"].to_string();

    // Without the quote, two currencies are refused as before.
    teller.fails(
        &["transfer", &usd, &eur, "100", "--json"],
        1,
        "currency_mismatch",
    );
    let args = [
        "transfer", &usd, &eur, "100", "--quote", &id, "--key", "fx-cli-1", "--json",
    ];
    let done = teller.json(&args);
    assert_eq!(done["key"], "fx-cli-1");
    assert_eq!(done["replayed"], false);
    assert_eq!(done["quote"]["used"], true);
    let legs = done["legs"].as_array().unwrap();
    assert_eq!(legs[0]["currency"], "USD");
    assert_eq!(legs[0]["amount"], "100.00");
    assert_eq!(legs[0]["kind"], "exchange");
    assert_eq!(legs[0]["balances"][&usd], "400.00");
    assert_eq!(legs[1]["currency"], "EUR");
    assert_eq!(legs[1]["amount"], "90.00");
    assert_eq!(legs[1]["key"], "fx-cli-1/2");
    assert_eq!(legs[1]["balances"][&eur], "90.00");
    assert_eq!(teller.balance(&eur), "90.00");

    // Resubmitted with its key: the same answer, nothing moved twice.
    let again = teller.json(&args);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["legs"][1]["reference"], legs[1]["reference"]);
    assert_eq!(teller.balance(&usd), "400.00");
    // Another operation on the used quote.
    teller.fails(
        &["transfer", &usd, &eur, "100", "--quote", &id, "--json"],
        1,
        "quote_used",
    );
    teller.fails(
        &["transfer", &usd, &eur, "100", "--quote", "999999", "--json"],
        1,
        "not_found",
    );
    teller.fails(
        &["transfer", &usd, &eur, "100", "--quote", "x", "--json"],
        2,
        "invalid_quote",
    );
    teller.ok(&["audit"]);
}

#[test]
fn amounts_keep_their_currency_s_minor_units() {
    let teller = Teller::new();
    teller.ok(&["currency", "add", "KWD"]);
    teller.customer("k@example.com");
    let kwd = teller.open_account("k@example.com", "KWD");
    let usd = teller.open_account("k@example.com", "USD");
    teller.ok(&[
        "fx", "rate", "set", "USD", "KWD", "--buy", "0.30712", "--sell", "0.30901",
    ]);
    teller.ok(&["deposit", &usd, "200.00"]);
    let quote = teller.json(&["fx", "quote", "USD", "KWD", "100", "--json"]);
    assert_eq!(quote["to_amount"], "30.712");
    let id = quote["id"].to_string();
    teller.ok(&["transfer", &usd, &kwd, "100", "--quote", &id]);
    assert_eq!(teller.balance(&kwd), "30.712");
    // History, statement and CSV keep the dinar's three decimals; the leg's other side is the
    // exchange.
    let history = teller.json(&["history", &kwd, "--json"]);
    assert_eq!(history[0]["amount"], "30.712");
    assert_eq!(history[0]["counterparty"], "exchange");
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let statement = teller.json(&["statement", &kwd, "--month", &month, "--json"]);
    assert_eq!(statement["closing"], "30.712");
    // Each exchange line names the rate it went at and its quote.
    let rate = &statement["lines"][0]["rate"];
    assert_eq!(
        (&rate["base"], &rate["quote"], &rate["rate"]),
        (&"USD".into(), &"KWD".into(), &"0.30712".into()),
        "{statement}"
    );
    assert_eq!(rate["quote_id"].to_string(), id);
    let text = teller.ok(&["statement", &usd, "--month", &month]).stdout;
    assert!(
        text.contains(&format!("at 1 USD = 0.30712 KWD (quote {id})")),
        "{text}"
    );
    let pdf = std::env::temp_dir().join(format!("teller-fx-{}.pdf", std::process::id()));
    let pdf_arg = pdf.to_string_lossy().to_string();
    teller.ok(&["statement", &kwd, "--month", &month, "--pdf", &pdf_arg]);
    let bytes = std::fs::read(&pdf).unwrap();
    let _ = std::fs::remove_file(&pdf);
    let shown = String::from_utf8_lossy(&bytes);
    assert!(
        shown.contains("1 USD = 0.30712 KWD"),
        "the PDF names the rate"
    );
    let csv = teller.ok(&["history", &kwd, "--csv"]).stdout;
    assert!(csv.contains(",30.712,KWD,exchange,30.712,"), "{csv}");
    // Three decimals for dinars, two for dollars: more is invalid, never rounded.
    teller.fails(&["withdraw", &kwd, "1.0005", "--json"], 2, "invalid_amount");
    teller.fails(&["withdraw", &usd, "1.005", "--json"], 2, "invalid_amount");
    assert_eq!(teller.balance(&usd), "100.00");
}

#[test]
fn cash_for_cash_at_the_counter_from_the_command_line() {
    let teller = Teller::new();
    teller.ok(&[
        "fx", "rate", "set", "USD", "EUR", "--buy", "0.90", "--sell", "0.94",
    ]);
    teller.ok(&[
        "vault",
        "open",
        "--currency",
        "EUR",
        "--count",
        "500x20,100x50,50x40,10x50",
    ]);
    let eur = teller.approved(&[
        "drawer",
        "open",
        "--currency",
        "EUR",
        "--count",
        "100x5",
        "--json",
    ]);
    assert_eq!(eur.code, 0, "{eur:?}");
    let args = [
        "exchange",
        "--pay",
        "EUR",
        "500",
        "--get",
        "USD",
        "--key",
        "till-fx-1",
        "--json",
    ];
    let done = teller.json(&args);
    assert_eq!(done["legs"][0]["currency"], "EUR");
    assert_eq!(done["legs"][0]["from"], "cash");
    assert_eq!(done["legs"][0]["to"], "exchange");
    assert_eq!(done["legs"][1]["amount"], "531.91");
    assert_eq!(done["legs"][1]["from"], "exchange");
    assert_eq!(done["quote"]["side"], "sell");
    assert_eq!(teller.json(&args)["replayed"], true);

    // Two drawers open: `drawer show` and `close` name the currency.
    let shown = teller.json(&["drawer", "show", "--currency", "EUR", "--json"]);
    assert_eq!(shown["currency"], "EUR");
    let close = teller.run(&["drawer", "close", "--count", "100x10", "--json"]);
    check_failure(&close, &["drawer", "close"], 2, "usage");
    teller.fails(
        &["exchange", "--pay", "EUR", "--get", "USD", "--json"],
        2,
        "usage",
    );
    teller.fails(
        &[
            "exchange", "--pay", "EUR", "0.001", "--get", "USD", "--json",
        ],
        2,
        "invalid_amount",
    );
    teller.fails(
        &[
            "exchange", "--pay", "EUR", "20000", "--get", "USD", "--json",
        ],
        1,
        "id_required",
    );
    // With the customer's passport (its number on standard input, out of `ps`): recorded with
    // the exchange, and the walk-in is in the day's large-cash report.
    let with_id = [
        "exchange",
        "--pay",
        "EUR",
        "9900",
        "--get",
        "USD",
        "--id-type",
        "passport",
        "--id-number",
        "-",
        "--id-country",
        "FR",
        "--id-expiry",
        "2031-05-31",
        "--json",
    ];
    let done = teller.run_with_stdin(&with_id, "WALKIN77\n");
    assert_eq!(done.code, 0, "{done:?}");
    assert_eq!(done.json()["legs"][1]["amount"], "10531.91");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let ctr = teller.json(&["report", "ctr", "--date", &today, "--json"]);
    let walk_in = ctr["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["email"] == "walk-in")
        .unwrap_or_else(|| panic!("{ctr}"));
    assert!(
        walk_in["name"].as_str().unwrap().contains("passport"),
        "{walk_in}"
    );
    teller.ok(&["audit"]);
}
