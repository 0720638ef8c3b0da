#!/usr/bin/env bash
# Build and start teller. Installs what is missing; when no DATABASE_URL is set
# (environment or .env), starts a private MariaDB (data in the git-ignored
# .data/, kept across restarts), creates the `teller` database, writes .env,
# migrates, loads the demo on first run and starts `teller` with the given
# arguments (none: the full-screen app). Safe to run again.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TELLER_ROOT"

ensure_packages
command -v cargo >/dev/null 2>&1 ||
	die "cargo not found: install Rust with rustup (https://rustup.rs), then open a new shell or run: source \"\$HOME/.cargo/env\""

load_dotenv .env

if [ -z "${DATABASE_URL:-}" ] || points_at_private_db "$DATABASE_URL"; then
	ensure_private_db
	DATABASE_URL="${DATABASE_URL:-$TELLER_SERVER_URL/teller}"
	db="${DATABASE_URL##*/}"
	db="${db%%\?*}"
	[[ "$db" =~ ^[A-Za-z0-9_]+$ ]] || die "unexpected database name '$db' in DATABASE_URL"
	_sql_tcp "$TELLER_DB_PORT" -e \
		"CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	if [ ! -e .env ]; then
		printf 'DATABASE_URL=%s\n' "$DATABASE_URL" >.env
		log "wrote .env (DATABASE_URL=$DATABASE_URL)"
	fi
fi
export DATABASE_URL

locked=()
[ -f Cargo.lock ] && locked=(--locked)
bin="${CARGO_TARGET_DIR:-target}/release/teller"
if [ -x "$bin" ]; then
	log "building teller (release)"
else
	log "building teller (release; the first build takes a few minutes)"
fi
cargo build --release --quiet "${locked[@]}"

log "migrating $DATABASE_URL"
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
