#!/usr/bin/env bash
# A local 3-node MariaDB Galera cluster on 127.0.0.1 only, for trying teller on a cluster and
# for the fault suite. It never touches any other server on the machine.
#
#   scripts/cluster.sh up          install what is missing, create or start the three nodes
#   scripts/cluster.sh down        stop every node cleanly (the first one last)
#   scripts/cluster.sh status      each node: running, wsrep ready, state, cluster size
#   scripts/cluster.sh kill N      SIGKILL node N (1-3)
#   scripts/cluster.sh start N     start node N again; it catches up incrementally when it can
#   scripts/cluster.sh url         the root URL listing all three nodes
#
# Settings: TELLER_CLUSTER_DIR (default .data/cluster), TELLER_CLUSTER_PORT (node 1's SQL
# port, default 4306; nodes 2 and 3 use the next two). Galera's own ports are 4400+10N
# (group), +1 (incremental transfer), +2 (full transfer).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TELLER_ROOT"

DIR="${TELLER_CLUSTER_DIR:-$TELLER_ROOT/.data/cluster}"
BASE_PORT="${TELLER_CLUSTER_PORT:-4306}"
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES=(1 2 3)

sql_port() { echo $((BASE_PORT + $1 - 1)); }
group_port() { echo $((4400 + 10 * $1)); }
node_dir() { echo "$DIR/node$1"; }

cluster_address() {
	local n list=()
	for n in "${NODES[@]}"; do list+=("127.0.0.1:$(group_port "$n")"); done
	local IFS=,
	echo "gcomm://${list[*]}"
}

# As root, the nodes run as the `mysql` user: a joiner's rsync (state transfer) drops root's
# rights and could not write into a root-owned data dir. Their folder is therefore mysql's.
run_as_mysql() {
	[ "$(id -u)" -eq 0 ] || return 1
	mkdir -p "$DIR"
	chown -R mysql:mysql "$DIR"
}

# The mysql user must reach the data: a checkout in a private home (mode 0700) keeps the
# cluster's data under /var/lib/teller-cluster instead, one folder per checkout.
choose_dir() {
	[ "$(id -u)" -eq 0 ] || return 0
	[ -z "${TELLER_CLUSTER_DIR:-}" ] || return 0
	mkdir -p "$DIR"
	if ! runuser -u mysql -- test -x "$DIR" 2>/dev/null; then
		DIR="/var/lib/teller-cluster/$(printf '%s' "$TELLER_ROOT" | cksum | cut -d' ' -f1)"
		mkdir -p "$DIR"
	fi
}

ensure_cluster_packages() {
	ensure_packages
	# galera-4: the provider; mariadb-server: the state transfer scripts and the mysql user.
	if [ -e "$PROVIDER" ] && find_tool wsrep_sst_rsync >/dev/null && command -v rsync >/dev/null &&
		id mysql >/dev/null 2>&1; then
		return 0
	fi
	_apt_install galera-4 mariadb-server rsync
	[ -e "$PROVIDER" ] || die "the Galera provider $PROVIDER is still missing after installing galera-4"
	choose_dir
}

# The pid of node N's mariadbd (found by its data dir while it has no pid file yet).
node_pid() {
	_DB_DATA="$(node_dir "$1")"
	_DB_PIDFILE="$_DB_DATA.pid"
	_db_our_pid
}

install_node() {
	local d out
	d="$(node_dir "$1")"
	mkdir -p "$d"
	out="$(mktemp "${TMPDIR:-/tmp}/teller-install-db.XXXXXX")"
	local args=(--no-defaults --datadir="$d" --auth-root-authentication-method=normal
		--skip-test-db --skip-name-resolve)
	[ "$(id -u)" -eq 0 ] && args+=(--user=mysql)
	if ! "$_INSTALL_DB" "${args[@]}" >"$out" 2>&1 </dev/null; then
		cat "$out" >&2
		rm -f "$out"
		rm -rf "$d"
		die "mariadb-install-db failed for $d"
	fi
	rm -f "$out"
}

sql() {
	local n="$1"
	shift
	"$_CLIENT" --no-defaults --protocol=tcp -h127.0.0.1 -P"$(sql_port "$n")" -uroot \
		--connect-timeout=2 -N -B "$@"
}

# What a node says about itself: "ready state size", or nothing when it does not answer.
node_state() {
	sql "$1" -e "SELECT MAX(IF(VARIABLE_NAME='WSREP_READY', VARIABLE_VALUE, NULL)),
		MAX(IF(VARIABLE_NAME='WSREP_LOCAL_STATE_COMMENT', VARIABLE_VALUE, NULL)),
		MAX(IF(VARIABLE_NAME='WSREP_CLUSTER_SIZE', VARIABLE_VALUE, NULL))
		FROM information_schema.GLOBAL_STATUS" 2>/dev/null | tr '\t' ' '
}

wait_synced() {
	local n="$1" i state
	for ((i = 0; i < 120; i++)); do # 60 s
		state="$(node_state "$n" || true)"
		case "$state" in "ON Synced"*) return 0 ;; esac
		if ! node_pid "$n" >/dev/null; then
			tail -n 30 "$(node_dir "$n").err" >&2 || true
			die "node $n stopped while starting (log: $(node_dir "$n").err)"
		fi
		sleep 0.5
	done
	tail -n 30 "$(node_dir "$n").err" >&2 || true
	die "node $n did not become Synced within 60 s"
}

# Starts node N's mariadbd detached; extra arguments go to mariadbd.
launch() {
	local n="$1"
	shift
	local d
	d="$(node_dir "$n")"
	local gport
	gport="$(group_port "$n")"
	local args=(--no-defaults --datadir="$d"
		--port="$(sql_port "$n")" --bind-address=127.0.0.1 --socket="$d.sock"
		--pid-file="$d.pid" --log-error="$d.err"
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
		--skip-name-resolve --innodb-buffer-pool-size=128M --max-connections=300
		--binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2
		--wsrep-on=ON --wsrep-provider="$PROVIDER" --wsrep-cluster-name=teller
		--wsrep-cluster-address="$(cluster_address)" --wsrep-node-name="node$n"
		--wsrep-node-address=127.0.0.1
		--wsrep-sst-receive-address="127.0.0.1:$((gport + 2))"
		"--wsrep-provider-options=base_port=$gport;gmcast.listen_addr=tcp://127.0.0.1:$gport;ist.recv_addr=127.0.0.1:$((gport + 1));gcache.size=256M;evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S"
		"$@")
	run_as_mysql && args+=(--user=mysql)
	rm -f "$d.pid"
	(
		exec setsid nohup "$_MARIADBD" "${args[@]}" </dev/null >>"$d.err" 2>&1
	) &
}

# The position a killed node had, so it can ask for the missing writesets only.
recovered_position() {
	local n="$1" d out
	d="$(node_dir "$n")"
	out="$d.recover.err"
	rm -f "$out"
	local args=(--no-defaults --datadir="$d" --wsrep-recover --log-error="$out"
		--wsrep-on=ON --wsrep-provider="$PROVIDER" --wsrep-cluster-address="$(cluster_address)"
		--binlog-format=ROW --innodb-autoinc-lock-mode=2 --innodb-buffer-pool-size=128M
		--socket="$d.recover.sock" --port=0 --bind-address=127.0.0.1)
	run_as_mysql && args+=(--user=mysql)
	"$_MARIADBD" "${args[@]}" </dev/null >/dev/null 2>&1 || true
	sed -n 's/.*WSREP: Recovered position: \([^ ]*\).*/\1/p' "$out" | tail -n 1
	rm -f "$out"
}

# First time: node 1 is made and bootstraps the cluster once, then stops cleanly; its data
# seeds nodes 2 and 3, which therefore join without a full state transfer.
create() {
	local n d
	log "creating a 3-node Galera cluster in $DIR"
	mkdir -p "$DIR"
	install_node 1
	launch 1 --wsrep-new-cluster
	wait_synced 1
	sql 1 -e "DELETE FROM mysql.user WHERE User=''; FLUSH PRIVILEGES" || true
	stop_node 1
	for n in 2 3; do
		d="$(node_dir "$n")"
		rm -rf "$d"
		cp -a "$(node_dir 1)" "$d"
	done
}

stop_node() {
	local n="$1" pid i
	pid="$(node_pid "$n")" || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 120; i++)); do
		_pid_alive "$pid" || return 0
		sleep 0.25
	done
	kill -KILL "$pid" 2>/dev/null || true
}

safe_to_bootstrap() {
	grep -q '^safe_to_bootstrap: 1' "$(node_dir "$1")/grastate.dat" 2>/dev/null
}

up() {
	ensure_cluster_packages
	_db_tools
	[ -d "$(node_dir 1)" ] || create
	local n running=0 first=""
	for n in "${NODES[@]}"; do
		node_pid "$n" >/dev/null && running=$((running + 1))
	done
	if [ "$running" -eq 0 ]; then
		# The node that stopped last may bootstrap; after a crash of all three, none may,
		# and starting them all normally lets them find each other.
		for n in "${NODES[@]}"; do
			if safe_to_bootstrap "$n"; then first="$n" && break; fi
		done
		if [ -n "$first" ]; then
			log "node $first bootstraps the cluster"
			launch "$first" --wsrep-new-cluster
			wait_synced "$first"
		else
			# All three crashed: started together they find each other and form a primary
			# component from the most advanced one.
			for n in "${NODES[@]}"; do launch_from_last "$n"; done
			for n in "${NODES[@]}"; do wait_synced "$n"; done
		fi
	fi
	# One at a time: two nodes asking for a state transfer at once may find no donor.
	for n in "${NODES[@]}"; do
		node_pid "$n" >/dev/null || start_node "$n"
	done
	log "cluster ready: $(url)"
}

# After a majority was lost, the survivors keep their data but take no writes: before a node
# rejoins, the most advanced survivor forms a new primary component (what an operator does
# when the lost nodes are known to be down, as they are here).
restore_primary() {
	local n state best="" best_seqno=-1 seqno any=0
	for n in "${NODES[@]}"; do
		node_pid "$n" >/dev/null || continue
		any=1
		state="$(sql "$n" -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_CLUSTER_STATUS'" 2>/dev/null || true)"
		[ "$state" = "Primary" ] && return 0
		seqno="$(sql "$n" -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LAST_COMMITTED'" 2>/dev/null || echo -1)"
		if [ "${seqno:--1}" -gt "$best_seqno" ]; then
			best="$n"
			best_seqno="$seqno"
		fi
	done
	[ "$any" -eq 1 ] && [ -n "$best" ] || return 0
	log "no primary component: node $best (seqno $best_seqno) forms a new one"
	sql "$best" -e "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'"
	wait_synced "$best"
}

# Launches node N from where it stopped (a killed node's position is recovered first).
launch_from_last() {
	local n="$1" pos=""
	if [ -f "$(node_dir "$n")/grastate.dat" ] && grep -q '^seqno: *-1' "$(node_dir "$n")/grastate.dat"; then
		pos="$(recovered_position "$n")"
	fi
	log "starting node $n on 127.0.0.1:$(sql_port "$n")${pos:+ from $pos}"
	if [ -n "$pos" ]; then
		launch "$n" --wsrep-start-position="$pos"
	else
		launch "$n"
	fi
}

start_node() {
	local n="$1"
	_db_tools
	node_pid "$n" >/dev/null && return 0
	restore_primary
	launch_from_last "$n"
	wait_synced "$n"
}

down() {
	local n
	for n in 3 2 1; do
		if node_pid "$n" >/dev/null; then
			log "stopping node $n"
			stop_node "$n"
		fi
	done
}

status() {
	local n pid state any=3
	_db_tools
	for n in "${NODES[@]}"; do
		if pid="$(node_pid "$n")"; then
			state="$(node_state "$n" || true)"
			printf 'node %s  127.0.0.1:%s  pid %s  %s\n' "$n" "$(sql_port "$n")" "$pid" "${state:-not answering}"
			any=0
		else
			printf 'node %s  127.0.0.1:%s  stopped\n' "$n" "$(sql_port "$n")"
		fi
	done
	return "$any"
}

url() {
	echo "mysql://root@127.0.0.1:$(sql_port 1),127.0.0.1:$(sql_port 2),127.0.0.1:$(sql_port 3)"
}

node_arg() {
	case "${1:-}" in
	1 | 2 | 3) echo "$1" ;;
	*) die "name a node: 1, 2 or 3" ;;
	esac
}

id mysql >/dev/null 2>&1 && choose_dir

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
kill)
	n="$(node_arg "${2:-}")"
	if pid="$(node_pid "$n")"; then
		kill -KILL "$pid"
		log "node $n killed (pid $pid)"
	else
		log "node $n is not running"
	fi
	;;
start)
	ensure_cluster_packages
	start_node "$(node_arg "${2:-}")"
	;;
url) url ;;
*)
	sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
