//! The checker: the history against the final state of every node. Anomalies are collected,
//! not asserted one by one, so the report lists them all:
//! - every acknowledged (ok) key is in the journal exactly once, on every node, and teller's
//!   own `acknowledged_keys` audit check agrees;
//! - no key that failed for certain was applied, no key applied twice, none applied that no
//!   client sent;
//! - every account's cached balance equals its journal, its balance-after chain is unbroken
//!   (each movement's balance after is the previous one's plus or minus its amount), and it
//!   names its newest movement as its last;
//! - no customer balance below zero; every currency sums to zero; the campaign's accounts
//!   hold what they held at the start;
//! - the three nodes hold the same journal and balances, and teller's audit passes on each.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use rust_decimal::Decimal;
use teller::db;
use teller::db::schema::{accounts as a, movements as m};
use teller::domain::IdempotencyKey;
use teller::services::Bank;

use super::history::{KeyRecord, Outcome};
use crate::common::{operator, test_config};

/// A journal row as the checker reads it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
struct Row {
    id: i64,
    key: String,
    debit: i64,
    credit: i64,
    amount: Decimal,
    currency: String,
    debit_after: Decimal,
    credit_after: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
struct Account {
    id: i64,
    number: String,
    kind: String,
    currency: String,
    balance: Decimal,
    last_movement_id: Option<i64>,
}

/// What one node holds.
struct NodeState {
    node: String,
    rows: Vec<Row>,
    accounts: Vec<Account>,
}

fn read_node(node: &str) -> Result<NodeState, String> {
    let mut conn = db::connect(node).map_err(|e| format!("{node}: {e}"))?;
    let rows = m::table
        .order(m::id)
        .select((
            m::id,
            m::idempotency_key,
            m::debit_account_id,
            m::credit_account_id,
            m::amount,
            m::currency,
            m::debit_balance_after,
            m::credit_balance_after,
        ))
        .load::<Row>(&mut conn)
        .map_err(|e| format!("{node}: {e}"))?;
    let accounts = a::table
        .order(a::id)
        .select((
            a::id,
            a::number,
            a::kind,
            a::currency,
            a::balance,
            a::last_movement_id,
        ))
        .load::<Account>(&mut conn)
        .map_err(|e| format!("{node}: {e}"))?;
    Ok(NodeState {
        node: db::nodes::node_label(node),
        rows,
        accounts,
    })
}

/// Every anomaly found on the nodes of `owner_url` (the test database, owner account) against
/// `history`; `opening` is what the campaign's accounts (`campaign`) held at the start.
pub fn check(
    owner_url: &str,
    history: &BTreeMap<String, KeyRecord>,
    prefix: &str,
    campaign: &[String],
    opening: Decimal,
) -> Vec<String> {
    let mut anomalies = Vec::new();
    let mut states = Vec::new();
    for node in db::nodes::node_urls(owner_url) {
        match read_node(&node) {
            Ok(state) => states.push((node, state)),
            Err(e) => anomalies.push(format!("cannot read {e}")),
        }
    }
    for (url, state) in &states {
        anomalies.extend(check_history(state, history, prefix));
        anomalies.extend(check_books(state, campaign, opening));
        anomalies.extend(teller_audit(url, &state.node, history));
    }
    if let Some(((_, first), rest)) = states.split_first() {
        for (_, other) in rest {
            if other.rows != first.rows {
                anomalies.push(format!(
                    "{} and {} hold different journals ({} and {} rows)",
                    first.node,
                    other.node,
                    first.rows.len(),
                    other.rows.len()
                ));
            }
            if other.accounts != first.accounts {
                anomalies.push(format!(
                    "{} and {} hold different balances",
                    first.node, other.node
                ));
            }
        }
    }
    anomalies
}

fn check_history(
    state: &NodeState,
    history: &BTreeMap<String, KeyRecord>,
    prefix: &str,
) -> Vec<String> {
    let node = &state.node;
    let mut found = Vec::new();
    let mut applied: HashMap<String, usize> = HashMap::new();
    for row in &state.rows {
        *applied.entry(row.key.to_lowercase()).or_default() += 1;
    }
    for (key, record) in history {
        let times = applied.get(&key.to_lowercase()).copied().unwrap_or(0);
        match (&record.outcome, times) {
            (Outcome::Ok, 1) | (Outcome::Fail(_), 0) | (Outcome::Unknown(_), 0 | 1) => {}
            (Outcome::Ok, 0) => found.push(format!("{node}: acknowledged key {key} is missing")),
            (Outcome::Fail(code), _) => found.push(format!(
                "{node}: key {key} failed for certain ({code}) yet was applied {times} time(s)"
            )),
            (_, n) => found.push(format!("{node}: key {key} applied {n} times")),
        }
    }
    let prefix = prefix.to_lowercase();
    let sent: std::collections::HashSet<String> =
        history.keys().map(|k| k.to_lowercase()).collect();
    for (key, _) in applied.iter().filter(|(key, _)| key.starts_with(&prefix)) {
        if !sent.contains(key) {
            found.push(format!(
                "{node}: key {key} was applied, but no client sent it"
            ));
        }
    }
    found
}

fn check_books(state: &NodeState, campaign: &[String], opening: Decimal) -> Vec<String> {
    let node = &state.node;
    let mut found = Vec::new();
    // Each account's chain in journal order, and its journal sum.
    let mut chains: HashMap<i64, Decimal> = HashMap::new();
    for row in &state.rows {
        for (account, delta, after) in [
            (row.debit, -row.amount, row.debit_after),
            (row.credit, row.amount, row.credit_after),
        ] {
            let before = chains.entry(account).or_insert(Decimal::ZERO);
            if *before + delta != after {
                found.push(format!(
                    "{node}: movement {} breaks account #{account}'s chain: {before} {delta:+} is not {after}",
                    row.id
                ));
            }
            *before = after;
        }
    }
    let mut journal: HashMap<i64, Decimal> = HashMap::new();
    let mut newest: HashMap<i64, i64> = HashMap::new();
    for row in &state.rows {
        *journal.entry(row.debit).or_default() -= row.amount;
        *journal.entry(row.credit).or_default() += row.amount;
        newest.insert(row.debit, row.id);
        newest.insert(row.credit, row.id);
    }
    let mut by_currency: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut campaign_total = Decimal::ZERO;
    for account in &state.accounts {
        let sum = journal.get(&account.id).copied().unwrap_or_default();
        if account.balance != sum {
            found.push(format!(
                "{node}: account {} holds {} but its journal sums to {sum}",
                account.number, account.balance
            ));
        }
        if account.last_movement_id != newest.get(&account.id).copied() {
            found.push(format!(
                "{node}: account {} names movement {:?} as its last, the journal {:?}",
                account.number,
                account.last_movement_id,
                newest.get(&account.id)
            ));
        }
        if account.kind == "customer" && account.balance < Decimal::ZERO {
            found.push(format!(
                "{node}: customer account {} is below zero: {}",
                account.number, account.balance
            ));
        }
        *by_currency.entry(&account.currency).or_default() += account.balance;
        if campaign.contains(&account.number) {
            campaign_total += account.balance;
        }
    }
    for (currency, total) in by_currency {
        if !total.is_zero() {
            found.push(format!("{node}: {currency} balances sum to {total}, not 0"));
        }
    }
    if campaign_total != opening {
        found.push(format!(
            "{node}: the campaign's accounts hold {campaign_total}, they began with {opening}"
        ));
    }
    found
}

/// teller's own audit on the node, and its check of the acknowledged keys.
fn teller_audit(url: &str, node: &str, history: &BTreeMap<String, KeyRecord>) -> Vec<String> {
    let conn = match db::connect(url) {
        Ok(conn) => conn,
        Err(e) => return vec![format!("{node}: {e}")],
    };
    let mut bank = Bank::new(conn, url, test_config());
    let mut found = Vec::new();
    match bank.ledger().audit(&operator()) {
        Ok(report) => found.extend(
            report
                .checks
                .iter()
                .filter(|c| !c.ok)
                .map(|c| format!("{node}: teller audit: {}: {}", c.name, c.detail)),
        ),
        Err(e) => found.push(format!("{node}: teller audit failed to run: {e}")),
    }
    let acknowledged: Vec<IdempotencyKey> = history
        .iter()
        .filter(|(_, r)| r.outcome == Outcome::Ok)
        .filter_map(|(key, _)| IdempotencyKey::parse(key).ok())
        .collect();
    match bank.ledger().acknowledged_keys(&operator(), &acknowledged) {
        Ok(check) if check.ok => {}
        Ok(check) => found.push(format!("{node}: teller audit: {}", check.detail)),
        Err(e) => found.push(format!("{node}: the acknowledged keys check failed: {e}")),
    }
    found
}
