//! A Jepsen-style campaign against the local 3-node Galera cluster (issue 22,
//! docs/cluster-safety.md): six workstations send transfers and payment batches with their own
//! keys while a seeded nemesis kills one, two or all nodes, cuts the network between nodes,
//! pauses a node and skews a node's clock; then every fault is healed and a checker compares
//! the history (ok / failed / unknown, per key) with the final state of every node.
//!
//! CI runs the short campaign (150 s). The long one is a documented command:
//! `TELLER_CAMPAIGN_SECONDS=1800 TELLER_CAMPAIGN_SEED=7 TELLER_CAMPAIGN_REPORT=campaign.txt
//! bash scripts/test.sh --test jepsen`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod campaign;
mod common;

#[test]
fn a_campaign_of_faults_loses_nothing_acknowledged_and_breaks_no_rule() {
    let Some(server) = common::cluster::cluster_url(
        "jepsen::a_campaign_of_faults_loses_nothing_acknowledged_and_breaks_no_rule",
    ) else {
        return;
    };
    let settings = campaign::Settings::from_env();
    let report = campaign::run(&server, &settings);
    eprintln!("{}", report.text);
    if let Some(path) = &settings.report {
        std::fs::write(path, &report.text).expect("write the campaign's report");
    }
    assert!(
        report.acknowledged > 100,
        "the workload ran: {} acknowledged",
        report.acknowledged
    );
    assert!(
        report.anomalies.is_empty(),
        "{} anomalies:\n{}",
        report.anomalies.len(),
        report.text
    );
}
