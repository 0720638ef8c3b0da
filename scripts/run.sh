#!/usr/bin/env bash
# Build and start teller. Installs what is missing; when no DATABASE_URL is set
# (environment or .env), starts a private MariaDB (data in the git-ignored
# .data/, kept across restarts), creates an owner account and writes .env
# (mode 0600) with it and the app account, migrates (which creates the app
# account with least privilege), loads the demo on first run and starts
# `teller` with the given arguments (none: the full-screen app) on the app
# account. Safe to run again.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TELLER_ROOT"

ensure_packages
command -v cargo >/dev/null 2>&1 ||
	die "cargo not found: install Rust with rustup (https://rustup.rs), then open a new shell or run: source \"\$HOME/.cargo/env\""

# An old .env naming root (from before the two accounts) is replaced.
if [ -f .env ] && grep -q '^DATABASE_URL=mysql://root@127.0.0.1' .env && ! grep -q '^TELLER_OWNER_URL=' .env; then
	log "replacing the old .env (root) with the app and owner accounts"
	rm -f .env
fi
load_dotenv .env

if [ -z "${DATABASE_URL:-}" ] || on_private_server "$DATABASE_URL"; then
	ensure_private_db
	db=teller
	if [ -n "${DATABASE_URL:-}" ]; then
		db="${DATABASE_URL##*/}"
		db="${db%%\?*}"
	fi
	[[ "$db" =~ ^[A-Za-z0-9_]+$ ]] || die "unexpected database name '$db' in DATABASE_URL"
	if [ ! -e .env ] || [ -z "${TELLER_OWNER_URL:-}" ] || points_at_private_db "${DATABASE_URL:-}"; then
		write_private_dotenv "$db" .env
		unset DATABASE_URL TELLER_OWNER_URL
		load_dotenv .env
	else
		# A new data dir knows no accounts: make the owner match .env again.
		owner_pw="${TELLER_OWNER_URL#*://*:}"
		owner_pw="${owner_pw%%@*}"
		ensure_owner_account "$db" "$owner_pw"
	fi
fi
export DATABASE_URL
if [ -n "${TELLER_OWNER_URL:-}" ]; then
	export TELLER_OWNER_URL
fi

locked=()
[ -f Cargo.lock ] && locked=(--locked)
bin="${CARGO_TARGET_DIR:-target}/release/teller"
if [ -x "$bin" ]; then
	log "building teller (release)"
else
	log "building teller (release; the first build takes a few minutes)"
fi
cargo build --release --quiet "${locked[@]}"

log "migrating (owner account) and setting up the app account"
"$bin" migrate

# `teller demo` is idempotent but chatty: run it once per database (the marker
# lists the DATABASE_URLs it ran for; a new private data dir clears it).
marker="$TELLER_ROOT/.data/demo-loaded"
if ! grep -qxF -- "$DATABASE_URL" "$marker" 2>/dev/null; then
	log "loading the demo data"
	"$bin" demo
	mkdir -p "$(dirname "$marker")"
	printf '%s\n' "$DATABASE_URL" >>"$marker"
fi

exec "$bin" "$@"
