#!/usr/bin/env bash
# Run the whole test suite: rustfmt check, clippy, cargo test.
#   scripts/test.sh            everything
#   scripts/test.sh transfer   cargo test filtered by "transfer" (args go to cargo test)
# Tests get TEST_DATABASE_URL = a server URL without database (they create and
# drop their own teller_test_* databases, each with its own app account). Unless
# TEST_DATABASE_URL is already set, this checkout's private MariaDB is started
# (and kept running, except under CI=true when this script started it) and the
# tests get the account teller_tester (a fresh random password each run), never
# root. TELLER_SKIP_LINT=1 skips fmt+clippy. The fault suite gets a local 3-node
# Galera cluster (scripts/cluster.sh; TELLER_SKIP_CLUSTER=1 leaves it out).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TELLER_ROOT"

ensure_packages
command -v cargo >/dev/null 2>&1 ||
	die "cargo not found: install Rust with rustup (https://rustup.rs)"

started_db=0
if [ -z "${TEST_DATABASE_URL:-}" ] || points_at_private_db "$TEST_DATABASE_URL"; then
	ensure_private_db
	started_db="$TELLER_DB_STARTED"
	# The tests get an account of their own (their teller_test_* databases and app
	# accounts), not root.
	ensure_test_account
	# The private server speaks TLS with its own CA: the TLS test connects through it.
	TEST_DATABASE_TLS_CA="$_DB_DATA.tls/ca.pem"
	export TEST_DATABASE_TLS_CA
fi
export TEST_DATABASE_URL
log "TEST_DATABASE_URL=$(printf '%s' "$TEST_DATABASE_URL" | sed 's#://\([^:@]*\):[^@]*@#://\1:***@#')"

# The fault suite (tests/cluster.rs) runs on a local 3-node Galera cluster. It is started
# here unless TEST_CLUSTER_URL is set already or TELLER_SKIP_CLUSTER=1; under CI it is
# stopped again at the end.
started_cluster=0
# Under CI what this run started is stopped at its end, also when a step before the tests (the
# cluster's start) fails: a server left running would hold its port for the next run.
if is_ci; then
	export CARGO_TERM_COLOR=never
	trap '[ "$started_cluster" -eq 1 ] && bash scripts/cluster.sh down; [ "$started_db" -eq 1 ] && stop_private_db; true' EXIT
fi
if [ -z "${TEST_CLUSTER_URL:-}" ] && [ "${TELLER_SKIP_CLUSTER:-0}" != 1 ]; then
	bash scripts/cluster.sh status >/dev/null 2>&1 || started_cluster=1
	bash scripts/cluster.sh up
	TEST_CLUSTER_URL="$(bash scripts/cluster.sh url)"
	export TEST_CLUSTER_URL
fi

locked=()
[ -f Cargo.lock ] && locked=(--locked)

if [ "${TELLER_SKIP_LINT:-0}" != 1 ]; then
	log "cargo fmt --check"
	cargo fmt --all -- --check
	log "cargo clippy"
	cargo clippy --all-targets "${locked[@]}" -- -D warnings
fi
log "cargo test"
results="$(mktemp "${TMPDIR:-/tmp}/teller-test.XXXXXX")"
status=0
cargo test "${locked[@]}" "$@" 2>&1 | tee "$results" || status=$?
# The money, drawer, vault, batch and migration tests once more, each in a fresh database on
# the cluster: teller runs there as it runs on one server.
if [ -n "${TEST_CLUSTER_URL:-}" ] && [ "$#" -eq 0 ]; then
	log "the money tests again, through the Galera cluster"
	# On all three nodes again, whatever a failed fault test left behind.
	bash scripts/cluster.sh up || status=$?
	TEST_DATABASE_URL="$TEST_CLUSTER_URL" cargo test "${locked[@]}" \
		--test money --test vault --test teller --test batch --test ctr --test concurrency \
		--test cli_money --test cli_day --test migrations 2>&1 | tee -a "$results" || status=$?
fi
# One closing line for the whole run (cargo prints one per test binary). A test that could not
# run here (the cluster suite without TEST_CLUSTER_URL) prints a line "skipped: NAME: why";
# cargo counts it as passed, this line as skipped.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
	/^skipped: / { s++ }
	END { printf "tests: %d passed, %d failed, %d skipped\n", p - s, f, s }' "$results"
rm -f "$results"
exit "$status"
