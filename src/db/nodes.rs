//! A database URL may list the nodes of a Galera cluster:
//! `mysql://user:pw@127.0.0.1:4306,127.0.0.1:4307,127.0.0.1:4308/teller`. Teller writes
//! through one node at a time, the same for every process: of the healthy nodes (ready and
//! Synced: a node without quorum still answers `SELECT 1`), the first in the cluster's view
//! (the lowest `wsrep_local_index`, which every member numbers alike), whatever the order of
//! the URL.

use diesel::sql_types::Text;
use diesel::RunQueryDsl;

use super::{Connection, QueryResult};

/// One URL per node, in the order given (a URL naming one host gives itself).
pub fn node_urls(url: &str) -> Vec<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return vec![url.to_string()];
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hosts) = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => (Some(userinfo), hosts),
        None => (None, authority),
    };
    if !hosts.contains(',') {
        return vec![url.to_string()];
    }
    hosts
        .split(',')
        .map(str::trim)
        .filter(|host| !host.is_empty())
        .map(|host| match userinfo {
            Some(userinfo) => format!("{scheme}://{userinfo}@{host}{tail}"),
            None => format!("{scheme}://{host}{tail}"),
        })
        .collect()
}

/// "127.0.0.1:4307": the node a URL names, for messages and the status line.
pub fn node_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
        .to_string()
}

/// What a node says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Not a cluster node: a plain server.
    Plain,
    /// A cluster node that takes writes (ready and Synced).
    Ready,
    /// A cluster node that must not be used now, with its state ("OFF Initialized").
    NotReady(String),
}

/// Where a node stands in the cluster's current view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Its index in the view (`wsrep_local_index`): 0 first; `i64::MAX` when not a cluster node.
    pub index: i64,
    /// The view's number (`wsrep_cluster_conf_id`): one more at every change of members.
    pub view: i64,
}

/// The node's place in the view it is in.
pub fn place(conn: &mut Connection) -> QueryResult<Place> {
    let rows: Vec<Status> = diesel::sql_query(
        "SELECT VARIABLE_NAME AS name, VARIABLE_VALUE AS value FROM information_schema.GLOBAL_STATUS \
         WHERE VARIABLE_NAME IN ('WSREP_LOCAL_INDEX', 'WSREP_CLUSTER_CONF_ID')",
    )
    .load(conn)?;
    let number = |name: &str| {
        rows.iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
            .and_then(|r| r.value.trim().parse::<i64>().ok())
            .unwrap_or(i64::MAX)
    };
    Ok(Place {
        index: number("WSREP_LOCAL_INDEX"),
        view: number("WSREP_CLUSTER_CONF_ID"),
    })
}

#[derive(diesel::QueryableByName)]
struct Status {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    value: String,
}

pub fn health(conn: &mut Connection) -> QueryResult<Health> {
    // A server built with Galera but not running it (wsrep_on=OFF) is a plain server.
    let rows: Vec<Status> = diesel::sql_query(
        "SELECT VARIABLE_NAME AS name, VARIABLE_VALUE AS value FROM information_schema.GLOBAL_VARIABLES \
         WHERE VARIABLE_NAME = 'WSREP_ON' \
         UNION ALL SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS \
         WHERE VARIABLE_NAME IN ('WSREP_READY', 'WSREP_LOCAL_STATE_COMMENT', 'WSREP_CLUSTER_STATUS')",
    )
    .load(conn)?;
    let value = |name: &str| {
        rows.iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
            .map(|r| r.value.clone())
    };
    let on = value("WSREP_ON").is_some_and(|v| v.eq_ignore_ascii_case("ON"));
    let Some(ready) = value("WSREP_READY").filter(|_| on) else {
        return Ok(Health::Plain);
    };
    let state = value("WSREP_LOCAL_STATE_COMMENT").unwrap_or_default();
    let cluster = value("WSREP_CLUSTER_STATUS").unwrap_or_default();
    if ready.eq_ignore_ascii_case("ON") && state == "Synced" && cluster == "Primary" {
        Ok(Health::Ready)
    } else {
        Ok(Health::NotReady(format!(
            "ready {ready}, {state}, {cluster}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_with_several_hosts_gives_one_url_per_node() {
        let nodes =
            node_urls("mysql://app:p%40ss@127.0.0.1:4306,127.0.0.1:4307/teller?ssl_mode=disabled");
        assert_eq!(
            nodes,
            [
                "mysql://app:p%40ss@127.0.0.1:4306/teller?ssl_mode=disabled",
                "mysql://app:p%40ss@127.0.0.1:4307/teller?ssl_mode=disabled"
            ]
        );
        assert_eq!(node_label(&nodes[1]), "127.0.0.1:4307");
        assert_eq!(
            node_urls("mysql://root@127.0.0.1:3307"),
            ["mysql://root@127.0.0.1:3307"]
        );
        assert_eq!(
            node_urls("mysql://root@a:1,b:2"),
            ["mysql://root@a:1", "mysql://root@b:2"]
        );
    }
}
