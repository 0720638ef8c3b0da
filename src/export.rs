//! Exports shared by the CLI and the full-screen app.

use crate::domain::format_money_in;
use crate::services::HistoryEntry;

/// An account's history as CSV (RFC 4180), times in UTC RFC 3339.
pub fn history_csv(entries: &[HistoryEntry]) -> String {
    let mut out =
        String::from("reference,at,kind,amount,currency,counterparty,balance_after,key,memo\n");
    for e in entries {
        let fields = [
            e.id.to_string(),
            e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            e.kind.as_str().to_string(),
            format_money_in(e.amount, e.currency),
            e.currency.to_string(),
            e.counterparty.to_string(),
            format_money_in(e.balance_after, e.currency),
            e.key.clone(),
            e.memo.as_deref().map(defuse_formula).unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// Spreadsheets run cells that start with = + - @ as formulas; a memo is typed by people.
fn defuse_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_defuses() {
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(defuse_formula("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(defuse_formula("rent"), "rent");
    }
}
