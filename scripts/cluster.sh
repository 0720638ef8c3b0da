#!/usr/bin/env bash
# A local 3-node MariaDB Galera cluster on 127.0.0.1 only, for trying teller on a cluster and
# for the fault suite. It never touches any other server on the machine.
#
#   scripts/cluster.sh up          install what is missing, create or start the three nodes
#   scripts/cluster.sh down        stop every node cleanly (the first one last)
#   scripts/cluster.sh status      each node: running, wsrep ready, state, cluster size
#   scripts/cluster.sh kill N      SIGKILL node N (1-3)
#   scripts/cluster.sh start N     start node N again; it catches up incrementally when it can
#   scripts/cluster.sh url         the test account's URL listing all three nodes
#   scripts/cluster.sh pause N | resume N
#                                  SIGSTOP / SIGCONT node N (a process pause)
#   scripts/cluster.sh cut N [M]   drop Galera's traffic between nodes N and M (nftables, on
#                                  their own loopback addresses), or between N and both others
#   scripts/cluster.sh heal        remove every rule `cut` added
#   scripts/cluster.sh skew N S    node N's clock S seconds off (+S ahead, -S behind; 0 puts it
#                                  right), through libfaketime; a node not started under it is
#                                  restarted first
#   scripts/cluster.sh try-join plain|other-ca|cluster-ca
#                                  a 4th node asks to join without the cluster's certificates,
#                                  with another CA's, or (the control) with the cluster's CA's;
#                                  prints refused, joined, or joined synced
#
# Settings: TELLER_CLUSTER_DIR (default .data/cluster), TELLER_CLUSTER_PORT (node 1's SQL
# port, default 4306; nodes 2 and 3 use the next two), TELLER_CLUSTER_GROUP_PORT (default
# 4400): Galera's own ports are that +10N (group), +1 (incremental transfer), +2 (full
# transfer). Root has a random password in <dir>/root.cnf and the tests' account
# teller_tester one in <dir>/tester.cnf (both mode 0600); replication, state transfers and
# clients use TLS with the CA in <dir>/tls/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/cluster_tls.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster_tls.sh"
cd "$TELLER_ROOT"

DIR="${TELLER_CLUSTER_DIR:-$TELLER_ROOT/.data/cluster}"
BASE_PORT="${TELLER_CLUSTER_PORT:-4306}"
GROUP_BASE="${TELLER_CLUSTER_GROUP_PORT:-4400}"
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES=(1 2 3)
for _setting in "$BASE_PORT" "$GROUP_BASE"; do
	case "$_setting" in '' | *[!0-9]*) die "TELLER_CLUSTER_PORT and TELLER_CLUSTER_GROUP_PORT must be numbers" ;; esac
done

sql_port() { echo $((BASE_PORT + $1 - 1)); }
group_port() { echo $((GROUP_BASE + 10 * $1)); }
# Node N's own loopback address for Galera's traffic (clients still use 127.0.0.1), so that a
# network rule can cut exactly one pair of nodes (`cut`).
node_ip() { echo "127.0.0.$1"; }
node_dir() { echo "$DIR/node$1"; }
# Root's and the test account's passwords, as MariaDB option files (mode 0600): given to the
# client with --defaults-file, so no password is ever on a command line.
root_cnf() { echo "$DIR/root.cnf"; }
tester_cnf() { echo "$DIR/tester.cnf"; }
# Written once the three nodes exist: without it, the dirs are what an interrupted first
# `up` left, and the next `up` starts again from nothing.
created_mark() { echo "$DIR/created"; }

cluster_address() {
	local n list=()
	for n in "${NODES[@]}"; do list+=("$(node_ip "$n"):$(group_port "$n")"); done
	local IFS=,
	echo "gcomm://${list[*]}"
}

# As root, the nodes run as the `mysql` user: a joiner's rsync (state transfer) drops root's
# rights and could not write into a root-owned data dir. Their folder is therefore mysql's,
# except the passwords and the CA's key, which stay root's alone.
run_as_mysql() {
	[ "$(id -u)" -eq 0 ] || return 1
	mkdir -p "$DIR"
	chown -R mysql:mysql "$DIR"
	chown root:root "$(root_cnf)" "$(tester_cnf)" "$DIR/tls/ca-key.pem" 2>/dev/null || true
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
	# nftables: the campaign's network partitions (`cut`).
	find_tool nft >/dev/null || _apt_install nftables
	# galera-4: the provider; mariadb-server: the state transfer scripts and the mysql user;
	# stunnel4: the rsync state transfer over TLS (without it the transfer is refused).
	if [ -e "$PROVIDER" ] && find_tool wsrep_sst_rsync >/dev/null && command -v rsync >/dev/null &&
		find_tool stunnel >/dev/null && id mysql >/dev/null 2>&1; then
		return 0
	fi
	_apt_install galera-4 mariadb-server rsync stunnel4
	[ -e "$PROVIDER" ] || die "the Galera provider $PROVIDER is still missing after installing galera-4"
	find_tool stunnel >/dev/null || die "stunnel is still missing after installing stunnel4"
	choose_dir
}

# True when $1 is a live mariadbd started for data dir $2 (by this script's option file, or
# by an older version of it that named the dir on the command line).
node_runs() {
	local pid="$1" d="$2" args
	_pid_alive "$pid" || return 1
	args="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
	[[ $'\n'"$args"$'\n' == *$'\n'"--defaults-file=$d.cnf"$'\n'* ]] ||
		[[ $'\n'"$args"$'\n' == *$'\n'"--datadir=$d"$'\n'* ]]
}

# The pid of the mariadbd of data dir $1: from its pid file, else (still starting) by
# scanning /proc.
node_pid_of() {
	local d="$1" pid f
	pid="$(tr -dc '0-9' 2>/dev/null <"$d.pid" || true)"
	if [ -n "$pid" ] && node_runs "$pid" "$d"; then
		echo "$pid"
		return 0
	fi
	for f in /proc/[0-9]*/comm; do
		case "$(cat "$f" 2>/dev/null)" in mariadbd | mysqld) ;; *) continue ;; esac
		pid="${f#/proc/}"
		pid="${pid%/comm}"
		if node_runs "$pid" "$d"; then
			echo "$pid"
			return 0
		fi
	done 2>/dev/null
	return 1
}

node_pid() { node_pid_of "$(node_dir "$1")"; }

# Who listens on TCP port $1, in words ("mariadbd (pid 12, data dir /x)"); fails when nobody.
port_holder() {
	local port="$1" line pid comm args where=""
	if ! command -v ss >/dev/null 2>&1; then
		_port_open "$port" || return 1
		echo "another process"
		return 0
	fi
	line="$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n 1)"
	[ -n "$line" ] || return 1
	pid="$(printf '%s\n' "$line" | sed -n 's/.*pid=\([0-9]*\).*/\1/p')"
	if [ -z "$pid" ]; then
		echo "another process (run as root to see which)"
		return 0
	fi
	comm="$(cat "/proc/$pid/comm" 2>/dev/null || echo '?')"
	args="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null || true)"
	where="$(printf '%s\n' "$args" | sed -n 's/^--datadir=/data dir /p; s/^--defaults-file=/options /p' | head -n 1)"
	echo "$comm (pid $pid${where:+, $where})"
}

# Node N's four ports must be free before it starts: another checkout's cluster (or anything
# else) on them would answer in its place.
check_ports() {
	local n="$1" port what holder g
	g="$(group_port "$n")"
	for what in "SQL:$(sql_port "$n")" "Galera group:$g" "incremental transfer:$((g + 1))" \
		"state transfer:$((g + 2))"; do
		port="${what##*:}"
		if holder="$(port_holder "$port")"; then
			die "port $port (node $n's ${what%:*} port) is held by $holder, not by this checkout's cluster in $DIR. Stop that, or give this cluster other ports: TELLER_CLUSTER_PORT=$((BASE_PORT + 1000)) TELLER_CLUSTER_GROUP_PORT=$((GROUP_BASE + 1000))"
		fi
	done
}

# The SQL that secures a fresh data dir before it ever listens: root gets its password (over
# TCP from 127.0.0.1 and on the socket), the other root and anonymous accounts go, and the
# tests' account is made. Fed to `mariadbd --bootstrap` on standard input, never an argument.
secure_sql() {
	local root_pw="$1" tester_pw="$2"
	cat <<SQL
FLUSH PRIVILEGES;
DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1'));
FLUSH PRIVILEGES;
ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_pw';
ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$root_pw';
$(tester_sql "$tester_pw")
SQL
}

# The tests' account: their own teller_test_* databases and those databases' app accounts.
tester_sql() {
	local account="'teller_tester'@'127.0.0.1'"
	cat <<SQL
CREATE USER IF NOT EXISTS $account IDENTIFIED BY '$1';
ALTER USER $account IDENTIFIED BY '$1';
GRANT ALL PRIVILEGES ON \`teller\\_test\\_%\`.* TO $account WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON \`teller\\_bench\\_%\`.* TO $account;
GRANT CREATE USER ON *.* TO $account;
GRANT SELECT ON mysql.user TO $account;
SQL
}

# An option file holding an account's password, readable by this user only.
write_cnf() {
	local file="$1" user="$2" password="$3"
	(
		umask 077
		printf '# scripts/cluster.sh: keep it secret (mode 0600)\n[client]\nuser=%s\npassword=%s\n' \
			"$user" "$password" >"$file.tmp"
	)
	chmod 600 "$file.tmp"
	mv "$file.tmp" "$file"
}

cnf_password() { sed -n 's/^password=//p' "$1"; }

install_node() {
	local d out root_pw tester_pw
	d="$(node_dir "$1")"
	mkdir -p "$d"
	run_as_mysql || true
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
	root_pw="$(random_password)"
	tester_pw="$(random_password)"
	write_cnf "$(root_cnf)" root "$root_pw"
	write_cnf "$(tester_cnf)" teller_tester "$tester_pw"
	(umask 077 && touch "$d.err")
	run_as_mysql || true
	local boot=(--no-defaults --bootstrap --datadir="$d" --log-error="$d.err")
	[ "$(id -u)" -eq 0 ] && boot+=(--user=mysql)
	if ! secure_sql "$root_pw" "$tester_pw" | "$_MARIADBD" "${boot[@]}" >/dev/null 2>&1; then
		tail -n 20 "$d.err" >&2 || true
		die "could not set root's password in $d"
	fi
}

# SQL as root on node N. A cluster made before root had a password has no root.cnf until
# ensure_passwords gives it one.
sql() {
	local n="$1" auth=(--no-defaults -uroot)
	shift
	[ -f "$(root_cnf)" ] && auth=(--defaults-file="$(root_cnf)")
	"$_CLIENT" "${auth[@]}" --protocol=tcp -h127.0.0.1 -P"$(sql_port "$n")" \
		--connect-timeout=2 -N -B "$@"
}

# What a node says about itself: "ready state size", or nothing when it does not answer.
node_state() {
	sql "$1" -e "SELECT MAX(IF(VARIABLE_NAME='WSREP_READY', VARIABLE_VALUE, NULL)),
		MAX(IF(VARIABLE_NAME='WSREP_LOCAL_STATE_COMMENT', VARIABLE_VALUE, NULL)),
		MAX(IF(VARIABLE_NAME='WSREP_CLUSTER_SIZE', VARIABLE_VALUE, NULL))
		FROM information_schema.GLOBAL_STATUS" 2>/dev/null | tr '\t' ' '
}

# Only our own mariadbd counts: a server of another checkout answering on the port is not it.
wait_synced() {
	local n="$1" i state
	for ((i = 0; i < 120; i++)); do # 60 s
		if ! node_pid "$n" >/dev/null; then
			tail -n 30 "$(node_dir "$n").err" >&2 || true
			die "node $n stopped while starting (log: $(node_dir "$n").err)"
		fi
		state="$(node_state "$n" || true)"
		case "$state" in "ON Synced"*) return 0 ;; esac
		sleep 0.5
	done
	tail -n 30 "$(node_dir "$n").err" >&2 || true
	die "node $n did not become Synced within 60 s"
}

# Node N's options, in <dir>/nodeN.cnf: mariadbd reads them with --defaults-file and so do
# its state transfer scripts (the [sst] group and the TLS files). Galera logs every write as
# binary log events, so creating triggers (teller migrate) as an account without SUPER needs
# log-bin-trust-function-creators.
write_node_cnf() {
	local n="$1" d gport tls ip
	d="$(node_dir "$n")"
	ip="$(node_ip "$n")"
	gport="$(group_port "$n")"
	tls="$(tls_dir)"
	{
		printf '# written by scripts/cluster.sh at every start\n[mysqld]\n'
		printf '%s\n' "datadir=$d" "port=$(sql_port "$n")" "bind-address=127.0.0.1" \
			"socket=$d.sock" "pid-file=$d.pid" "log-error=$d.err" \
			"character-set-server=utf8mb4" "collation-server=utf8mb4_unicode_ci" \
			"skip-name-resolve" "innodb-buffer-pool-size=128M" "max-connections=300" \
			"binlog-format=ROW" "default-storage-engine=InnoDB" "innodb-autoinc-lock-mode=2" \
			"log-bin-trust-function-creators=1" \
			"ssl-ca=$tls/ca.pem" "ssl-cert=$tls/node$n-cert.pem" "ssl-key=$tls/node$n-key.pem" \
			"wsrep-on=ON" "wsrep-provider=$PROVIDER" "wsrep-cluster-name=teller" \
			"wsrep-cluster-address=$(cluster_address)" "wsrep-node-name=node$n" \
			"wsrep-node-address=$ip" "wsrep-sst-method=rsync" \
			"wsrep-sst-receive-address=$ip:$((gport + 2))"
		# Replication and incremental transfers: TLS with the cluster's CA, both ways.
		printf 'wsrep-provider-options="%s"\n' "base_port=$gport;gmcast.listen_addr=tcp://$ip:$gport;ist.recv_addr=$ip:$((gport + 1));gcache.size=256M;repl.causal_read_timeout=PT5S;evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;socket.ssl=yes;socket.ssl_ca=$tls/ca.pem;socket.ssl_cert=$tls/node$n-cert.pem;socket.ssl_key=$tls/node$n-key.pem"
		# Full transfers: rsync through stunnel, each side checking that the other's certificate is
		# signed by the CA (VERIFY_IDENTITY would make stunnel look for the very certificate in ca.pem).
		printf '[sst]\nssl-mode=VERIFY_CA\n'
	} >"$d.cnf"
}

# Starts node N's mariadbd detached; extra arguments go to mariadbd.
launch() {
	local n="$1"
	shift
	local d
	d="$(node_dir "$n")"
	make_tls
	write_node_cnf "$n"
	local args=(--defaults-file="$d.cnf" "$@")
	(umask 077 && touch "$d.err")
	run_as_mysql && args+=(--user=mysql)
	rm -f "$d.pid"
	local clock=()
	# A node whose clock was skewed (`skew`) keeps its offset file: it runs under libfaketime,
	# which reads the offset again every second. Only the wall clock is skewed, as a wrong
	# system clock would be: faking the monotonic clock too froze Galera's timers for as long
	# as the clock had been set back (seen here: 77 s without quorum).
	if [ -f "$d.clock" ]; then
		clock=(env LD_PRELOAD="$(faketime_lib)" FAKETIME_TIMESTAMP_FILE="$d.clock"
			FAKETIME_CACHE_DURATION=1 FAKETIME_DONT_RESET=1 FAKETIME_DONT_FAKE_MONOTONIC=1)
	fi
	(
		exec setsid nohup "${clock[@]}" "$_MARIADBD" "${args[@]}" </dev/null >>"$d.err" 2>&1
	) &
	# Until the subshell has become mariadbd (through setsid and nohup) no process is the
	# node's yet: a check right away once took a starting node for one that had stopped.
	local started=$! i
	for ((i = 0; i < 200; i++)); do # 20 s
		node_pid "$n" >/dev/null && return 0
		_proc_running "$started" || return 0
		sleep 0.1
	done
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
	# The position is all we need. After a crash mid-transfer mariadbd has been seen to print it
	# and then run on, growing past 20 GB, instead of exiting: stop it once the line is there
	# (or after 120 s).
	"$_MARIADBD" "${args[@]}" </dev/null >/dev/null 2>&1 &
	local pid=$! waited=0
	while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 240 ]; do
		grep -q 'WSREP: Recovered position:' "$out" 2>/dev/null && break
		sleep 0.5
		waited=$((waited + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		sleep 1 # a moment to exit by itself
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
	sed -n 's/.*WSREP: Recovered position: \([^ ]*\).*/\1/p' "$out" | tail -n 1
	rm -f "$out"
}

# First time: node 1 is made (root's password set before it ever listens) and bootstraps the
# cluster once, then stops cleanly; its data seeds nodes 2 and 3, which therefore join without
# a full state transfer. The mark is written last.
create() {
	local n d
	log "creating a 3-node Galera cluster in $DIR"
	mkdir -p "$DIR"
	install_node 1
	launch 1 --wsrep-new-cluster
	wait_synced 1
	stop_node 1
	for n in 2 3; do
		d="$(node_dir "$n")"
		rm -rf "$d"
		cp -a "$(node_dir 1)" "$d"
	done
	: >"$(created_mark)"
}

# A cluster made before the mark existed: three data dirs, each with a cluster position.
made_before_the_mark() {
	local n
	for n in "${NODES[@]}"; do
		[ -d "$(node_dir "$n")/mysql" ] || return 1
		grep -q '^uuid: *[0-9a-f]' "$(node_dir "$n")/grastate.dat" 2>/dev/null || return 1
		grep -q '^uuid: *00000000-0000-0000-0000-000000000000' "$(node_dir "$n")/grastate.dat" && return 1
	done
	return 0
}

# What an interrupted first `up` left (a half-made node 1, an empty grastate.dat, a partial
# copy) holds no data yet: it goes, with any node of ours still running from it.
discard_unfinished() {
	local n found=0
	for n in "${NODES[@]}"; do
		[ -e "$(node_dir "$n")" ] && found=1
	done
	[ "$found" -eq 1 ] || return 0
	log "an earlier 'up' stopped before the cluster was made: starting again from nothing"
	for n in "${NODES[@]}"; do
		stop_node "$n"
		rm -rf "$(node_dir "$n")" "$(node_dir "$n")".{pid,sock,cnf}
	done
}

# Stops a node's mariadbd: cleanly (it leaves the cluster), or killed after 30 s.
stop_pid() {
	local pid="$1" i
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 120; i++)); do
		_pid_alive "$pid" || return 0
		sleep 0.25
	done
	kill -KILL "$pid" 2>/dev/null || true
}

stop_node() {
	local pid
	pid="$(node_pid "$1")" || return 0
	stop_pid "$pid"
}

safe_to_bootstrap() {
	grep -q '^safe_to_bootstrap: 1' "$(node_dir "$1")/grastate.dat" 2>/dev/null
}

up() {
	local n running=0 first=""
	ensure_cluster_packages
	_db_tools
	# What a fault left behind goes first: cut links, paused nodes, skewed clocks.
	heal_network
	resume_all
	reset_clocks
	if [ ! -f "$(created_mark)" ]; then
		if made_before_the_mark; then
			: >"$(created_mark)"
		else
			discard_unfinished
		fi
	fi
	# Every port this checkout's cluster is about to use must be free: otherwise another
	# cluster would answer for nodes never started here.
	for n in "${NODES[@]}"; do
		node_pid "$n" >/dev/null || check_ports "$n"
	done
	[ -f "$(created_mark)" ] || create
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
			bootstrap_most_advanced
		fi
	fi
	# One at a time: two nodes asking for a state transfer at once may find no donor.
	for n in "${NODES[@]}"; do
		node_pid "$n" >/dev/null || start_node "$n"
	done
	ensure_passwords
	for n in "${NODES[@]}"; do
		node_pid "$n" >/dev/null || die "node $n is not running"
	done
	heal_quorum
	log "cluster ready: $(redacted_url)"
}

# A cluster made before root had a password: root gets one now (and the tests' account is
# made); the statements replicate to every node.
ensure_passwords() {
	[ -f "$(root_cnf)" ] && [ -f "$(tester_cnf)" ] && return 0
	local root_pw tester_pw
	root_pw="$(random_password)"
	tester_pw="$(random_password)"
	log "giving root and teller_tester random passwords ($(root_cnf), $(tester_cnf))"
	{
		printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\n" "$root_pw"
		printf "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '%s';\n" "$root_pw"
		tester_sql "$tester_pw"
	} | "$_CLIENT" --no-defaults --protocol=tcp -h127.0.0.1 -P"$(sql_port 1)" -uroot \
		--connect-timeout=5 ||
		die "root on node 1 has a password this script does not know: remove $DIR to start over"
	write_cnf "$(root_cnf)" root "$root_pw"
	write_cnf "$(tester_cnf)" teller_tester "$tester_pw"
	run_as_mysql || true
}

# After a majority was lost, the survivors keep their data but take no writes: before a node
# rejoins, the most advanced survivor forms a new primary component (what an operator does
# when the lost nodes are known to be down, as they are here).
restore_primary() {
	local n state best="" best_seqno=-1 seqno any=0 try silent
	# Every running node must answer "non-Primary": one that does not answer (starting, busy)
	# may be the primary, and a second one would split the cluster. Asked again for 10 s.
	for ((try = 0; try < 10; try++)); do
		any=0 silent=0 best="" best_seqno=-1
		for n in "${NODES[@]}"; do
			node_pid "$n" >/dev/null || continue
			any=1
			state="$(sql "$n" -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_CLUSTER_STATUS'" 2>/dev/null || true)"
			[ "$state" = "Primary" ] && return 0
			if [ -z "$state" ]; then
				silent=1
				continue
			fi
			seqno="$(sql "$n" -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LAST_COMMITTED'" 2>/dev/null || echo -1)"
			if [ "${seqno:--1}" -gt "$best_seqno" ]; then
				best="$n"
				best_seqno="$seqno"
			fi
		done
		[ "$silent" -eq 0 ] && break
		sleep 1
	done
	if [ "$silent" -eq 1 ]; then
		log "a running node does not answer: no new primary component is formed"
		return 0
	fi
	[ "$any" -eq 1 ] && [ -n "$best" ] || return 0
	log "no primary component: node $best (seqno $best_seqno) forms a new one"
	sql "$best" -e "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'"
	wait_synced "$best"
}

# Every running node Synced in one primary component: after a member vanished (killed, or a
# leave seen as a partition) the others may stay together but non-primary; when every node of
# the cluster runs and none is primary, no other component can exist, so the most advanced
# forms one again (restore_primary).
heal_quorum() {
	local n
	for n in "${NODES[@]}"; do
		node_pid "$n" >/dev/null || return 0
	done
	restore_primary
	for n in "${NODES[@]}"; do
		node_pid "$n" >/dev/null && wait_synced "$n"
	done
	return 0
}

# All nodes crashed (none may bootstrap): each one's last committed position is recovered
# (`--wsrep-recover`), and the most advanced comes back first, alone, as the new cluster; the
# others then join it and take what they lack from it. Left to find each other, the nodes would
# form a component from whatever state they agree on, and Jepsen saw Galera lose acknowledged
# transactions after nodes crashed in quick succession: the one that has the most is the one
# every other must follow.
bootstrap_most_advanced() {
	local n pos seqno best="" best_pos="" best_seqno=-2
	for n in "${NODES[@]}"; do
		pos="$(recovered_position "$n")"
		seqno="${pos##*:}"
		case "$seqno" in '' | *[!0-9-]*) seqno=-1 ;; esac
		log "node $n recovered position ${pos:-none}"
		if [ "$seqno" -gt "$best_seqno" ]; then
			best="$n" best_pos="$pos" best_seqno="$seqno"
		fi
	done
	[ -n "$best_pos" ] || die "no node's position could be recovered (logs: $DIR/node*.err)"
	log "node $best is the most advanced (seqno $best_seqno): it bootstraps the cluster"
	sed -i 's/^safe_to_bootstrap: *0/safe_to_bootstrap: 1/' "$(node_dir "$best")/grastate.dat"
	launch "$best" --wsrep-new-cluster --wsrep-start-position="$best_pos"
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
	check_ports "$n"
	restore_primary
	launch_from_last "$n"
	wait_synced "$n"
}

down() {
	local n
	heal_network
	resume_all
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

hosts() { echo "127.0.0.1:$(sql_port 1),127.0.0.1:$(sql_port 2),127.0.0.1:$(sql_port 3)"; }

# The tests' account (never root): its password comes from its option file.
url() {
	[ -f "$(tester_cnf)" ] || die "no cluster in $DIR yet: run scripts/cluster.sh up"
	echo "mysql://teller_tester:$(cnf_password "$(tester_cnf)")@$(hosts)"
}

redacted_url() { echo "mysql://teller_tester:***@$(hosts) (scripts/cluster.sh url prints it)"; }


# --- Faults for the Jepsen-style campaign (tests/jepsen.rs); loopback only -----------------

# nftables' table of this cluster's rules (one per group port, so two clusters never share).
fault_table() { echo "teller_cluster_$GROUP_BASE"; }

ensure_nft() {
	find_tool nft >/dev/null || _apt_install nftables
	_NFT="$(find_tool nft)" || die "nft is still missing after installing nftables"
}

nft_() { as_root "$_NFT" "$@"; }

# Drops Galera's traffic (group, incremental and full transfer ports) between nodes $1 and $2,
# both ways. Clients reach every node on 127.0.0.1 and are never cut.
cut_pair() {
	local a="$1" b="$2" table low high
	table="$(fault_table)"
	low="$(group_port 1)"
	high=$(($(group_port 3) + 2))
	nft_ add table inet "$table"
	nft_ add chain inet "$table" out '{ type filter hook output priority 0 ; policy accept ; }'
	local x y
	for pair in "$a $b" "$b $a"; do
		read -r x y <<<"$pair"
		nft_ add rule inet "$table" out ip saddr "$(node_ip "$x")" ip daddr "$(node_ip "$y")" tcp dport "$low-$high" drop
		nft_ add rule inet "$table" out ip saddr "$(node_ip "$x")" ip daddr "$(node_ip "$y")" tcp sport "$low-$high" drop
	done
	log "cut between node $a and node $b"
}

heal_network() {
	_NFT="$(find_tool nft)" || return 0
	if nft_ list table inet "$(fault_table)" >/dev/null 2>&1; then
		nft_ delete table inet "$(fault_table)"
		log "network healed"
	fi
}

# Every paused node goes on (a campaign that failed may have left one stopped).
resume_all() {
	local n pid
	for n in "${NODES[@]}"; do
		if pid="$(node_pid "$n")"; then kill -CONT "$pid" 2>/dev/null || true; fi
	done
}

faketime_lib() {
	local lib
	for lib in /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 /usr/lib/*/faketime/libfaketimeMT.so.1; do
		[ -e "$lib" ] && echo "$lib" && return 0
	done
	return 1
}

skew() {
	local n="$1" offset="$2" d pid
	case "$offset" in [+-][0-9]* | 0) ;; *) die "skew takes seconds: +S, -S or 0" ;; esac
	d="$(node_dir "$n")"
	faketime_lib >/dev/null || _apt_install faketime
	faketime_lib >/dev/null || die "libfaketime is still missing after installing faketime"
	[ "$offset" = 0 ] && offset="+0"
	if [ "$offset" = "+0" ] && ! under_faketime "$n"; then
		rm -f "$d.clock"
		return 0
	fi
	set_clock "$n" "$offset"
	if pid="$(node_pid "$n")" && ! under_faketime "$n"; then
		log "restarting node $n under libfaketime"
		stop_node "$n"
		start_node "$n"
	fi
	log "node $n's clock is ${offset}s off"
}

# True when node N runs under libfaketime (it was skewed since it started).
under_faketime() {
	local pid
	pid="$(node_pid "$1")" || return 1
	tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -q '^FAKETIME_TIMESTAMP_FILE='
}

# Node N's offset file, which libfaketime reads again every second.
set_clock() {
	local d
	d="$(node_dir "$1")"
	printf '%s\n' "$2" >"$d.clock.new"
	chmod 0644 "$d.clock.new"
	mv -f "$d.clock.new" "$d.clock"
}

# Every skewed clock is put right (a campaign that failed may have left one off).
reset_clocks() {
	local n
	for n in "${NODES[@]}"; do
		[ -f "$(node_dir "$n").clock" ] || continue
		# A node running under libfaketime reads its file again; one that is not (stopped)
		# starts without it.
		if under_faketime "$n"; then set_clock "$n" "+0"; else rm -f "$(node_dir "$n").clock"; fi
	done
	return 0
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
pause | resume)
	n="$(node_arg "${2:-}")"
	pid="$(node_pid "$n")" || die "node $n is not running"
	if [ "$1" = pause ]; then kill -STOP "$pid"; else kill -CONT "$pid"; fi
	log "node $n ${1}d"
	;;
cut)
	ensure_nft
	a="$(node_arg "${2:-}")"
	if [ -n "${3:-}" ]; then
		cut_pair "$a" "$(node_arg "$3")"
	else
		for b in "${NODES[@]}"; do [ "$b" = "$a" ] || cut_pair "$a" "$b"; done
	fi
	;;
heal) heal_network ;;
skew)
	ensure_cluster_packages
	_db_tools
	skew "$(node_arg "${2:-}")" "${3:-}"
	;;
try-join)
	_db_tools
	try_join "${2:-}"
	;;
*)
	sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
