//! `mysql://user:password@host:port/database?ssl_mode=…` taken apart the way Diesel reads it
//! (the `url` crate, percent-decoded user and password), for grants and for refusing plaintext
//! connections to other machines.

use std::collections::HashMap;
use std::net::IpAddr;

/// A parsed database URL. `Debug` leaves the password out.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    pub user: String,
    pub password: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    pub database: Option<String>,
    pub params: HashMap<String, String>,
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("user", &self.user)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the database URL {0} is not of the form mysql://user:password@host:port/database")]
pub struct BadUrl(pub String);

impl DatabaseUrl {
    /// Parses a URL; one listing several nodes is parsed as its first node (they share the
    /// account, the database and the settings).
    pub fn parse(raw: &str) -> Result<Self, BadUrl> {
        let nodes = super::nodes::node_urls(raw);
        match nodes.first() {
            Some(first) if nodes.len() > 1 => Self::parse_one(first),
            _ => Self::parse_one(raw),
        }
    }

    fn parse_one(raw: &str) -> Result<Self, BadUrl> {
        let bad = || BadUrl(super::redact_password(raw));
        let url = url::Url::parse(raw).map_err(|_| bad())?;
        if url.scheme() != "mysql" {
            return Err(bad());
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
        };
        let user = decode(url.username()).map_err(|_| bad())?;
        let password = url.password().map(decode).transpose().map_err(|_| bad())?;
        let host = match url.host() {
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            Some(host) => host.to_string(),
            None => "localhost".to_string(),
        };
        let database = url
            .path_segments()
            .and_then(|mut s| s.next())
            .filter(|s| !s.is_empty())
            .map(decode)
            .transpose()
            .map_err(|_| bad())?;
        Ok(Self {
            user,
            password,
            host,
            port: url.port(),
            database,
            params: url.query_pairs().into_owned().collect(),
        })
    }

    /// A server on this machine: a loopback address, `localhost` or a unix socket.
    pub fn is_local(&self) -> bool {
        self.params.contains_key("unix_socket")
            || self.host.eq_ignore_ascii_case("localhost")
            || self.host.parse::<IpAddr>().is_ok_and(|ip| match ip {
                IpAddr::V6(v6) => {
                    v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
                }
                IpAddr::V4(v4) => v4.is_loopback(),
            })
    }

    /// Does the client insist on TLS (a CA, or an `ssl_mode` of required or stricter)?
    pub fn requires_tls(&self) -> bool {
        let mode = self.params.get("ssl_mode").map(|m| m.to_ascii_lowercase());
        match mode.as_deref() {
            Some("required" | "verify_ca" | "verify_identity") => true,
            Some(_) => false,
            None => self.params.contains_key("ssl_ca"),
        }
    }

    /// Does the client check the server's certificate against a CA (so that TLS keeps a man in
    /// the middle out, not only eavesdroppers)?
    pub fn verifies_server(&self) -> bool {
        let mode = self.params.get("ssl_mode").map(|m| m.to_ascii_lowercase());
        matches!(mode.as_deref(), Some("verify_ca" | "verify_identity"))
            && self.params.contains_key("ssl_ca")
    }

    /// The hosts a MariaDB account needs so that this URL's client can log in: the loopback
    /// names for a local server (with skip-name-resolve TCP arrives as 127.0.0.1, a socket as
    /// localhost), any host otherwise. `TELLER_APP_ACCOUNT_HOST` overrides it.
    pub fn account_hosts(&self) -> Vec<String> {
        if let Ok(host) = std::env::var("TELLER_APP_ACCOUNT_HOST") {
            if !host.trim().is_empty() {
                return vec![host.trim().to_string()];
            }
        }
        if self.is_local() {
            vec!["localhost".into(), "127.0.0.1".into(), "::1".into()]
        } else {
            vec!["%".into()]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_decoded_like_diesel_does() {
        let url =
            DatabaseUrl::parse("mysql://app:p%40ss%2Fw@127.0.0.1:3307/teller?ssl_mode=required")
                .expect("valid");
        assert_eq!(url.user, "app");
        assert_eq!(url.password.as_deref(), Some("p@ss/w"));
        assert_eq!(url.host, "127.0.0.1");
        assert_eq!(url.port, Some(3307));
        assert_eq!(url.database.as_deref(), Some("teller"));
        assert!(url.is_local());
        assert!(url.requires_tls());
        assert!(!format!("{url:?}").contains("p@ss"));
    }

    #[test]
    fn local_and_tls_are_told_apart() {
        let remote = DatabaseUrl::parse("mysql://a:b@db.bank.example:3306/t").expect("valid");
        assert!(!remote.is_local());
        assert!(!remote.requires_tls());
        assert_eq!(remote.account_hosts(), ["%"]);
        let ca = DatabaseUrl::parse("mysql://a@10.0.0.5/t?ssl_ca=/etc/ca.pem").expect("valid");
        assert!(ca.requires_tls());
        let off = DatabaseUrl::parse("mysql://a@10.0.0.5/t?ssl_mode=disabled").expect("valid");
        assert!(!off.requires_tls());
        assert!(DatabaseUrl::parse("mysql://a@[::1]:3307/t")
            .expect("valid")
            .is_local());
        assert!(DatabaseUrl::parse("postgres://a@h/t").is_err());
    }
}
