//! The local test cluster (`scripts/cluster.sh`, 127.0.0.1 only) as the cluster suites use it:
//! its URL, the script, and URLs listing the nodes in other orders.

use std::io::Write;
use std::process::Command;

use teller::db;

pub const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/cluster.sh");

/// CI is any value but empty, `0` or `false` (CI systems spell it `true`, `1`, `yes`).
pub fn under_ci() -> bool {
    std::env::var("CI")
        .is_ok_and(|v| !matches!(v.trim(), "" | "0") && !v.eq_ignore_ascii_case("false"))
}

/// The test cluster's URL; `None` (and a visible line) when it is not set outside CI.
/// `test` is the test's path, as `suite::name`.
pub fn cluster_url(test: &str) -> Option<String> {
    match std::env::var("TEST_CLUSTER_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                !under_ci(),
                "TEST_CLUSTER_URL is not set: scripts/test.sh starts the cluster for CI"
            );
            // Straight to the terminal (libtest captures only the print macros), on a line of
            // its own: scripts/test.sh counts these lines as skipped tests.
            let _ = writeln!(
                std::io::stderr(),
                "\nskipped: {test}: TEST_CLUSTER_URL unset (scripts/cluster.sh up, then scripts/test.sh)"
            );
            None
        }
    }
}

/// scripts/cluster.sh on the test cluster; its standard output.
pub fn cluster(args: &[&str]) -> String {
    cluster_told(args).0
}

/// scripts/cluster.sh on the test cluster; its standard output and what it logged.
pub fn cluster_told(args: &[&str]) -> (String, String) {
    let out = Command::new("bash")
        .arg(SCRIPT)
        .args(args)
        .output()
        .expect("run scripts/cluster.sh");
    let log = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "cluster.sh {args:?}: {log}");
    (String::from_utf8_lossy(&out.stdout).trim().to_string(), log)
}

/// The URL with its nodes in another order (starting at node `first`, 0-based): clients
/// spread over the nodes.
pub fn starting_at(url: &str, first: usize) -> String {
    let hosts: Vec<String> = db::nodes::node_urls(url)
        .iter()
        .map(|node| db::nodes::node_label(node))
        .collect();
    let rotated: Vec<String> = (0..hosts.len())
        .map(|i| hosts[(first + i) % hosts.len()].clone())
        .collect();
    url.replacen(&hosts.join(","), &rotated.join(","), 1)
}
