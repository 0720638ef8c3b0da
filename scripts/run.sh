#!/usr/bin/env bash
# Build and start teller. Installs what is missing; when no DATABASE_URL is set
# (environment or .env), starts a private MariaDB (data in the git-ignored
# .data/, kept across restarts; root has a random password in
# .data/mariadb.root.cnf), creates an owner account and the app account (as
# root) and writes .env (mode 0600) with both, migrates (the owner grants the
# app account exactly the app's rights), loads the demo on first run (only
# into this private server, and only into a bank without users of its own)
# and starts `teller` with the given arguments (none: the full-screen app) on
# the app account. Safe to run again.
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
		app_user="${DATABASE_URL#mysql://}"
		app_user="${app_user%%[:@]*}"
		if [ "$app_user" != "$TELLER_OWNER_USER" ]; then
			ensure_app_account "$DATABASE_URL"
		fi
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

# `teller demo` is idempotent but chatty: run it once per database, and only on this
# checkout's private server (never into a bank someone pointed DATABASE_URL at). The marker
# lists host:port/database of the databases it ran for, no account and no password (mode
# 0600); a new private data dir clears it. A marker from before held whole DATABASE_URLs,
# passwords included: it is rewritten without them.
marker="$TELLER_ROOT/.data/demo-loaded"
demo_key() {
	local rest="${1#mysql://}"
	rest="${rest##*@}"
	printf '%s\n' "${rest%%\?*}"
}
if [ -f "$marker" ] && grep -q '://' "$marker"; then
	log "rewriting $marker without the passwords an older version kept in it"
	(
		umask 077
		while IFS= read -r line; do
			[ -n "$line" ] && demo_key "$line"
		done <"$marker" >"$marker.tmp"
	)
	mv -f "$marker.tmp" "$marker"
fi
[ -f "$marker" ] && chmod 600 "$marker"
if ! on_private_server "$DATABASE_URL"; then
	log "not loading the demo: DATABASE_URL is not this checkout's private server"
elif ! grep -qxF -- "$(demo_key "$DATABASE_URL")" "$marker" 2>/dev/null; then
	log "loading the demo data"
	demo_status=0
	"$bin" demo || demo_status=$?
	if [ "$demo_status" -eq 0 ]; then
		mkdir -p "$(dirname "$marker")"
		(
			umask 077
			demo_key "$DATABASE_URL" >>"$marker"
		)
		chmod 600 "$marker"
	elif [ "$demo_status" -eq 1 ]; then
		# refused: the bank holds users of its own (teller demo said which)
		warn "the demo was not loaded; teller starts on the bank as it is"
	else
		exit "$demo_status"
	fi
fi

exec "$bin" "$@"
