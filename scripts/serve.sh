#!/usr/bin/env bash
# Start the branch server (`teller serve`) on this checkout's private database, with the demo
# bank and a demo workstation key, and print the ssh line to connect with.
#   scripts/serve.sh                 listen on 127.0.0.1:2222 (TELLER_SERVE_PORT changes the port)
# The demo device key lives in .data/devices/ (mode 0600); the host key in .data/ (0600).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TELLER_ROOT"

ensure_packages
port="${TELLER_SERVE_PORT:-2222}"
[[ "$port" =~ ^[0-9]+$ ]] || die "TELLER_SERVE_PORT must be a port number, not '$port'"

keys=.data/devices
mkdir -p "$keys"
chmod 700 "$keys"
key="$keys/demo-till"
if [ ! -f "$key" ]; then
	log "creating the demo workstation's key ($key)"
	ssh-keygen -q -t ed25519 -N '' -C demo-till -f "$key"
fi

# The demo admin registers the demo device once (it acts alone: the demo has one admin).
# The password travels in the environment, never on a command line.
export TELLER_USER=admin@bank.local
export TELLER_PASSWORD="${TELLER_DEMO_PASSWORD:-admin-demo-2026!}"
if ! bash scripts/run.sh device list --json | grep -q '"name":"demo-till"'; then
	log "registering the demo device (demo-till)"
	bash scripts/run.sh device add demo-till --key "$key.pub" >/dev/null
fi
unset TELLER_USER TELLER_PASSWORD

cat >&2 <<EOT
==> connect from a workstation (the app; log in as in the README's demo logins):
      ssh -p $port -i $key -t till@127.0.0.1
    one command (asks for the email and password; scripts send TELLER_USER and
    TELLER_PASSWORD with ssh -o SendEnv, never on a command line):
      ssh -p $port -i $key -t till@127.0.0.1 teller whoami
EOT
exec bash scripts/run.sh serve --listen "127.0.0.1:$port" --host-key .data/ssh_host_ed25519_key
