//! `teller serve`'s arguments, as clap reads them.

use clap::Args;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on; any address but loopback must be named here.
    #[arg(long, default_value = "127.0.0.1:2222")]
    pub listen: std::net::SocketAddr,
    /// The server's SSH host key (OpenSSH format), created with mode 0600 on first start.
    /// Default: ssh_host_ed25519_key in teller's state folder.
    #[arg(long)]
    pub host_key: Option<std::path::PathBuf>,
}
