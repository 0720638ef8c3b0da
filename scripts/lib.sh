# shellcheck shell=bash
# Shared helpers for scripts/*.sh. Source it; callers use `set -euo pipefail`.
#
#   ensure_packages     install what is missing (apt-get; sudo when not root)
#   ensure_private_db   start (or reuse) this checkout's private MariaDB and
#                       export TELLER_SERVER_URL=mysql://root@127.0.0.1:PORT (no
#                       password in it: root's is in TELLER_DB_ROOT_CNF, see below)
#   stop_private_db     stop the private MariaDB started by ensure_private_db
#   private_db_status   print whether it runs (exit 0 running, 3 stopped)
#
# Settings (environment):
#   TELLER_DATA_DIR   data dir of the private server (default: .data/mariadb);
#                     pid file, error log, socket and port file live next to
#                     it as <dir>.pid, <dir>.err, <dir>.sock, <dir>.port
#   TELLER_DB_PORT    TCP port on 127.0.0.1 (default: 3307)
#
# Root of the private server has a random password, kept in the client option file
# <dir>.root.cnf (mode 0600, readable by the scripts' user only). Clients get it with
# --defaults-file, never on a command line (ps shows those to every user). A data dir from
# before, whose root had no password, gets one on its next start.

TELLER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TELLER_ROOT

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

is_ci() { [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; }

# Run a command as root: directly when root, else through sudo (non-interactive
# when there is no terminal, so CI fails fast instead of waiting for a password).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		if [ -t 0 ]; then sudo "$@"; else sudo -n "$@"; fi
	else
		die "need root to run: $* (install sudo or run as root)"
	fi
}

# Print the path of the first of the given programs found on PATH or in the
# usual sbin/bin dirs (mariadbd lives in /usr/sbin, often not on a user's PATH).
find_tool() {
	local name dir
	for name in "$@"; do
		if command -v "$name" >/dev/null 2>&1; then
			command -v "$name"
			return 0
		fi
		for dir in /usr/sbin /usr/local/sbin /usr/local/bin /usr/bin /sbin; do
			if [ -x "$dir/$name" ]; then
				printf '%s\n' "$dir/$name"
				return 0
			fi
		done
	done
	return 1
}

# ---------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------

# (no `cmd | grep -q`: with pipefail an early-exiting grep can fail the pipe)
_pkg_installed() {
	local status
	status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" || return 1
	[[ "$status" == *"install ok installed"* ]]
}

_apt_has_candidate() {
	local policy
	policy="$(LC_ALL=C apt-cache policy "$1" 2>/dev/null)" || return 1
	[[ "$policy" =~ Candidate:\ [^\(] ]]
}

_POLICY_RC_D=/usr/sbin/policy-rc.d
_POLICY_MARK='# teller scripts/lib.sh: temporary, keeps apt from starting services'

# apt-get install with no service started by the packages' maintainer scripts:
# a temporary policy-rc.d (exit 101 = "action forbidden"), removed afterwards
# only when we created it. So an install never fails because e.g. port 3306 is
# already taken by another MariaDB/MySQL.
_apt_install() {
	local created=0 rc=0 aptlog
	if [ ! -e "$_POLICY_RC_D" ]; then
		printf '#!/bin/sh\n%s\nexit 101\n' "$_POLICY_MARK" | as_root tee "$_POLICY_RC_D" >/dev/null
		as_root chmod 0755 "$_POLICY_RC_D"
		created=1
	elif grep -qF "$_POLICY_MARK" "$_POLICY_RC_D" 2>/dev/null; then
		created=1 # left over by an interrupted earlier run of ours
	fi
	aptlog="$(mktemp "${TMPDIR:-/tmp}/teller-apt.XXXXXX")"
	log "apt-get install $*"
	{
		as_root env DEBIAN_FRONTEND=noninteractive apt-get -y -q \
			-o DPkg::Lock::Timeout=300 \
			-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
			install --no-install-recommends "$@" </dev/null >"$aptlog" 2>&1
	} || rc=$?
	if [ "$created" -eq 1 ]; then
		as_root rm -f "$_POLICY_RC_D" || true
	fi
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$aptlog" >&2 || true
		rm -f "$aptlog"
		die "apt-get install $* failed (exit $rc)"
	fi
	rm -f "$aptlog"
}

# Install what the project needs and is missing. Quiet when all is present.
ensure_packages() {
	local missing=() need_server=0 need_client=0 want=()
	command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
	if ! _pkg_installed libmariadb-dev &&
		! { command -v pkg-config >/dev/null 2>&1 &&
			{ pkg-config --exists libmariadb || pkg-config --exists mysqlclient; }; }; then
		missing+=(libmariadb-dev)
	fi
	if ! find_tool mariadbd >/dev/null || ! find_tool mariadb-install-db >/dev/null; then
		need_server=1
	fi
	if ! find_tool mariadb >/dev/null || ! find_tool mariadb-admin >/dev/null; then
		need_client=1
	fi
	command -v tmux >/dev/null 2>&1 || missing+=(tmux)
	command -v openssl >/dev/null 2>&1 || missing+=(openssl)
	# the branch server's tests and scripts/serve.sh: ssh and ssh-keygen, as a workstation has
	{ command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; } || missing+=(openssh-client)
	# the tests set a workstation's clock wrong on purpose
	command -v faketime >/dev/null 2>&1 || missing+=(faketime)
	if [ "${#missing[@]}" -eq 0 ] && [ "$need_server" -eq 0 ] && [ "$need_client" -eq 0 ]; then
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		[ "$need_server" -eq 1 ] && missing+=("MariaDB server (mariadbd, mariadb-install-db)")
		[ "$need_client" -eq 1 ] && missing+=("MariaDB client (mariadb, mariadb-admin)")
		die "missing: ${missing[*]}; no apt-get on this machine, install them by hand"
	fi
	log "installing missing packages (apt-get update first)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update </dev/null >/dev/null ||
		die "apt-get update failed"
	want=("${missing[@]}")
	if [ "$need_server" -eq 1 ]; then
		# mariadb-server-core holds mariadbd + mariadb-install-db without the
		# system service (Debian 12+, Ubuntu 24.04+); older releases only have
		# the full mariadb-server (its service start is blocked by policy-rc.d).
		if _apt_has_candidate mariadb-server-core; then
			want+=(mariadb-server-core)
		else
			want+=(mariadb-server)
		fi
	fi
	# mariadb-client: mariadb-admin (+ mariadb-client-core: mariadb,
	# my_print_defaults, which mariadb-install-db needs).
	if [ "$need_server" -eq 1 ] || [ "$need_client" -eq 1 ]; then
		want+=(mariadb-client)
	fi
	_apt_install "${want[@]}"
	find_tool mariadbd >/dev/null || die "mariadbd still not found after installing packages"
	find_tool mariadb-install-db >/dev/null || die "mariadb-install-db still not found after installing packages"
	find_tool mariadb-admin >/dev/null || die "mariadb-admin still not found after installing packages"
}

# ---------------------------------------------------------------------------
# Private MariaDB server
# ---------------------------------------------------------------------------

# Resolve paths and tools; sets _DB_* variables.
_db_init() {
	local base
	TELLER_DB_PORT="${TELLER_DB_PORT:-3307}"
	case "$TELLER_DB_PORT" in
	'' | *[!0-9]*) die "TELLER_DB_PORT must be a number, got '$TELLER_DB_PORT'" ;;
	esac
	_DB_DATA="${TELLER_DATA_DIR:-$TELLER_ROOT/.data/mariadb}"
	_DB_DATA="${_DB_DATA%/}"
	case "$_DB_DATA" in
	/*) ;;
	*) _DB_DATA="$PWD/$_DB_DATA" ;;
	esac
	base="$_DB_DATA"
	_DB_PIDFILE="$base.pid"
	_DB_LOG="$base.err"
	_DB_PORTFILE="$base.port"
	_DB_LOCK="$base.lock"
	_DB_SOCK="$base.sock"
	# A unix socket path must fit in 108 bytes; fall back to /tmp for deep checkouts.
	if [ "${#_DB_SOCK}" -gt 100 ]; then
		_DB_SOCK="/tmp/teller-mariadb-$(printf '%s' "$_DB_DATA" | cksum | cut -d' ' -f1).sock"
	fi
	_DB_DEMO_MARKER="$TELLER_ROOT/.data/demo-loaded"
	_DB_ROOT_CNF="$base.root.cnf"
}

_db_tools() {
	_MARIADBD="$(find_tool mariadbd)" || die "mariadbd not found (run ensure_packages / apt-get install mariadb-server-core)"
	_INSTALL_DB="$(find_tool mariadb-install-db)" || die "mariadb-install-db not found"
	_CLIENT="$(find_tool mariadb)" || die "mariadb client not found (apt-get install mariadb-client)"
	_ADMIN="$(find_tool mariadb-admin)" || die "mariadb-admin not found (apt-get install mariadb-client)"
}

# mariadb client over TCP as root, with root's option file (--defaults-file: the password
# stays off the command line, and ~/.my.cnf or /etc/mysql change nothing of what we connect
# to). Without that file (a server that is not ours) as root without a password.
_sql_tcp() {
	local port="$1"
	shift
	if [ -n "${_DB_ROOT_CNF:-}" ] && [ -f "$_DB_ROOT_CNF" ]; then
		"$_CLIENT" --defaults-file="$_DB_ROOT_CNF" --protocol=tcp -h127.0.0.1 -P"$port" --connect-timeout=5 "$@"
	else
		_sql_tcp_nopw "$port" "$@"
	fi
}

# As root without a password: a fresh data dir, one from before root had a password, or a
# server that is not ours.
_sql_tcp_nopw() {
	local port="$1"
	shift
	"$_CLIENT" --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot --connect-timeout=5 "$@"
}

_sql_sock_nopw() {
	"$_CLIENT" --no-defaults --protocol=socket -S"$_DB_SOCK" -uroot --connect-timeout=5 "$@"
}

# True while process $1 exists and is not a zombie (whatever it runs now).
_proc_running() {
	local pid="$1" stat rest
	[ -n "$pid" ] || return 1
	if [ -r "/proc/$pid/stat" ]; then
		stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
		rest="${stat##*) }" # state follows the "(comm) " field
		case "${rest:0:1}" in Z | X | x | '') return 1 ;; esac
		return 0
	fi
	kill -0 "$pid" 2>/dev/null
}

# True when $1 is a live mariadbd/mysqld.
_pid_alive() {
	local pid="$1" comm
	_proc_running "$pid" || return 1
	if [ -r "/proc/$pid/comm" ]; then
		comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
		case "$comm" in mariadbd | mysqld) return 0 ;; *) return 1 ;; esac
	fi
	return 0
}

# True when $1 is a live mariadbd serving our data dir.
_pid_is_ours() {
	local pid="$1" args
	_pid_alive "$pid" || return 1
	[ -r "/proc/$pid/cmdline" ] || return 0 # cannot tell: trust the pid file
	args="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
	[[ $'\n'"$args"$'\n' == *$'\n'"--datadir=$_DB_DATA"$'\n'* ]]
}

# Print the pid of our running server, or fail: from our pid file, else (a
# server still starting has no pid file yet) by scanning /proc for a mariadbd
# with our --datadir.
_db_our_pid() {
	local pid f
	if [ -f "$_DB_PIDFILE" ]; then
		pid="$(tr -dc '0-9' <"$_DB_PIDFILE" 2>/dev/null || true)"
		if _pid_is_ours "$pid"; then
			printf '%s\n' "$pid"
			return 0
		fi
	fi
	for f in /proc/[0-9]*/comm; do
		[ -r "$f" ] || continue
		case "$(cat "$f" 2>/dev/null)" in mariadbd | mysqld) ;; *) continue ;; esac
		pid="${f#/proc/}"
		pid="${pid%/comm}"
		if _pid_is_ours "$pid"; then
			printf '%s\n' "$pid"
			return 0
		fi
	done 2>/dev/null
	return 1
}

_port_open() {
	(: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_db_log_tail() {
	if [ -f "$_DB_LOG" ]; then
		printf -- '--- last lines of %s ---\n' "$_DB_LOG" >&2
		tail -n 30 "$_DB_LOG" >&2 || true
		printf -- '---\n' >&2
	fi
}

# Wait (bounded) until the server on $1 answers a ping; $2 = pid to watch.
_db_wait_ready() {
	local port="$1" pid="${2:-}" i
	for ((i = 0; i < 120; i++)); do # 120 x 0.5 s = 60 s
		# ping answers 0 once the server runs, even when it refuses the login
		if "$_ADMIN" --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot \
			--connect-timeout=2 ping >/dev/null 2>&1; then
			return 0
		fi
		if [ -n "$pid" ] && ! _proc_running "$pid"; then
			# the process we watch is gone; carry on only if a server of
			# ours is alive (e.g. a wrapper forked it)
			pid="$(_db_our_pid)" || return 1
		fi
		sleep 0.5
	done
	return 1
}

# Quote $1 as an SQL string literal.
_sql_quote() {
	local v="${1//\\/\\\\}"
	printf "'%s'" "${v//\'/\'\'}"
}

# True when root logs in over TCP with its option file.
_db_root_ok() {
	[ -f "$_DB_ROOT_CNF" ] && _sql_tcp "$1" -e 'SELECT 1' >/dev/null 2>&1
}

# Make sure root of our server has a random password, kept in $_DB_ROOT_CNF (0600), and can
# log in over TCP 127.0.0.1 with it (with --skip-name-resolve a TCP login never matches
# root@localhost). Root without a password (a fresh data dir, or one from before) gets one:
# every root account, so neither TCP nor the socket lets anyone in without it. The new file is
# written as <file>.new first and moved into place once the server took the password, so an
# interruption between the two leaves a file the next start finishes with.
_db_secure_root() {
	local port="$1" via password hosts host sql
	_db_root_ok "$port" && return 0
	if [ -f "$_DB_ROOT_CNF.new" ]; then
		mv -f "$_DB_ROOT_CNF.new" "$_DB_ROOT_CNF"
		_db_root_ok "$port" && return 0
	fi
	if _sql_tcp_nopw "$port" -e 'SELECT 1' >/dev/null 2>&1; then
		via=_sql_tcp_nopw
	elif _sql_sock_nopw -e 'SELECT 1' >/dev/null 2>&1; then
		via=_sql_sock_nopw
	else
		die "root cannot log in to our MariaDB on 127.0.0.1:$port, neither with $_DB_ROOT_CNF nor without a password (its password was lost? stop it with scripts/db.sh stop, move $_DB_DATA away and start again: a new, empty data dir)"
	fi
	log "giving root of the private MariaDB a random password (kept in $_DB_ROOT_CNF, mode 0600)"
	password="$(random_password)"
	(
		umask 077
		printf '# root of the private MariaDB (scripts/lib.sh); keep it secret\n[client]\nuser=root\npassword=%s\n' \
			"$password" >"$_DB_ROOT_CNF.new"
	)
	chmod 600 "$_DB_ROOT_CNF.new"
	if [ "$via" = _sql_tcp_nopw ]; then
		hosts="$($via "$port" -N -B -e "SELECT Host FROM mysql.user WHERE User = 'root'")"
	else
		hosts="$($via -N -B -e "SELECT Host FROM mysql.user WHERE User = 'root'")"
	fi
	sql="CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '$password';"
	sql+="GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
	while IFS= read -r host; do
		case "$host" in
		'') ;;
		localhost | *[!0-9a-fA-F:.%_]*)
			# with --skip-name-resolve an account for a host name (root@<machine>, made
			# by the installer) never matches a login, and ALTER USER refuses it
			if [ "$host" = localhost ]; then
				sql+="ALTER USER 'root'@'localhost' IDENTIFIED BY '$password';"
			else
				sql+="DELETE FROM mysql.global_priv WHERE User = 'root' AND Host = $(_sql_quote "$host");"
			fi
			;;
		*) sql+="ALTER USER 'root'@$(_sql_quote "$host") IDENTIFIED BY '$password';" ;;
		esac
	done <<<"$hosts"
	# anonymous accounts (older installers made them) let anyone in under any name
	sql+="DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;"
	# On standard input, not in the arguments: other users can read those in ps.
	if [ "$via" = _sql_tcp_nopw ]; then
		printf '%s\n' "$sql" | $via "$port" >/dev/null
	else
		printf '%s\n' "$sql" | $via >/dev/null
	fi || die "could not give root of the private MariaDB a password"
	mv -f "$_DB_ROOT_CNF.new" "$_DB_ROOT_CNF"
	_db_root_ok "$port" || die "root cannot log in with the new password in $_DB_ROOT_CNF"
	if _sql_tcp_nopw "$port" -e 'SELECT 1' >/dev/null 2>&1; then
		die "root still logs in to 127.0.0.1:$port without a password"
	fi
}

_db_export() {
	TELLER_DB_PORT="$1"
	TELLER_SERVER_URL="mysql://root@127.0.0.1:$1"
	TELLER_DB_ROOT_CNF="$_DB_ROOT_CNF"
	export TELLER_DB_PORT TELLER_SERVER_URL TELLER_DB_ROOT_CNF
}

# First run: create the system tables in the data dir.
_db_install() {
	local args=(--no-defaults --datadir="$_DB_DATA" --auth-root-authentication-method=normal
		--skip-test-db --skip-name-resolve)
	local out created=0
	[ "$(id -u)" -eq 0 ] && args+=(--user=root)
	log "initialising MariaDB data dir $_DB_DATA"
	[ -d "$_DB_DATA" ] || created=1
	mkdir -p "$_DB_DATA"
	out="$(mktemp "${TMPDIR:-/tmp}/teller-install-db.XXXXXX")"
	if ! "$_INSTALL_DB" "${args[@]}" >"$out" 2>&1 </dev/null; then
		cat "$out" >&2
		rm -f "$out"
		# half-initialised: let the next run start clean (only a dir we made)
		[ "$created" -eq 1 ] && rm -rf "$_DB_DATA"
		die "mariadb-install-db failed for $_DB_DATA"
	fi
	rm -f "$out"
	# a fresh server has no demo data, whatever an old marker says, and a root without a
	# password until _db_secure_root gives it one (an old option file names another's)
	rm -f "$_DB_DEMO_MARKER" "$_DB_ROOT_CNF" "$_DB_ROOT_CNF.new"
}

# A private CA and a server certificate for 127.0.0.1 (made once, in <data dir>.tls/), so
# clients can connect with ssl_mode=verify_identity&ssl_ca=<data dir>.tls/ca.pem.
_db_tls() {
	local dir="$_DB_DATA.tls"
	TELLER_DB_TLS_DIR="$dir"
	export TELLER_DB_TLS_DIR
	[ -s "$dir/server-cert.pem" ] && [ -s "$dir/ca.pem" ] && return 0
	command -v openssl >/dev/null 2>&1 || die "openssl not found (apt-get install openssl)"
	mkdir -p "$dir"
	chmod 700 "$dir"
	log "making a private CA and a TLS certificate for 127.0.0.1 in $dir"
	(
		cd "$dir"
		openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=teller private CA" \
			-keyout ca-key.pem -out ca.pem >/dev/null 2>&1
		openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
			-keyout server-key.pem -out server.csr >/dev/null 2>&1
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
			-days 3650 -extfile san.ext -out server-cert.pem >/dev/null 2>&1
		rm -f server.csr san.ext
	) || die "could not make the TLS certificates in $dir"
}

# Closes every open descriptor above 2 of the current (sub)shell.
_close_inherited_fds() {
	local fd n
	for fd in /proc/"$BASHPID"/fd/*; do
		n="${fd##*/}"
		case "$n" in '' | *[!0-9]*) continue ;; esac
		if [ "$n" -gt 2 ]; then eval "exec $n>&-" 2>/dev/null || true; fi
	done
}

_db_start() {
	local port="$1" lockfd="${2:-}"
	_db_tls
	local args=(--no-defaults
		--datadir="$_DB_DATA"
		--port="$port" --bind-address=127.0.0.1 --socket="$_DB_SOCK"
		--ssl-ca="$TELLER_DB_TLS_DIR/ca.pem" --ssl-cert="$TELLER_DB_TLS_DIR/server-cert.pem"
		--ssl-key="$TELLER_DB_TLS_DIR/server-key.pem"
		--pid-file="$_DB_PIDFILE" --log-error="$_DB_LOG"
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
		--skip-name-resolve
		--innodb-buffer-pool-size=1G --innodb-log-file-size=512M --max-connections=500)
	[ "$(id -u)" -eq 0 ] && args+=(--user=root)
	rm -f "$_DB_PIDFILE"
	printf '%s\n' "$port" >"$_DB_PORTFILE"
	log "starting private MariaDB on 127.0.0.1:$port (data: $_DB_DATA, log: $_DB_LOG)"
	# Detached: own session, no terminal, output to the log, so it outlives
	# this script and a CI step. No descriptor of ours may leak into the server:
	# it would hold our lock, or a caller's (`flock LOCK scripts/test.sh` left a
	# build lock held for as long as the server ran), for its whole life.
	(
		if [ -n "$lockfd" ]; then exec {lockfd}>&-; fi
		_close_inherited_fds
		if command -v setsid >/dev/null 2>&1; then
			exec setsid nohup "$_MARIADBD" "${args[@]}" </dev/null >>"$_DB_LOG" 2>&1
		else
			exec nohup "$_MARIADBD" "${args[@]}" </dev/null >>"$_DB_LOG" 2>&1
		fi
	) &
	_DB_STARTED_PID=$!
}

_db_lock() {
	_DB_LOCKFD=""
	command -v flock >/dev/null 2>&1 || return 0
	exec {_DB_LOCKFD}>"$_DB_LOCK"
	flock -w 180 "$_DB_LOCKFD" || die "timed out waiting for $_DB_LOCK (another script starting the server?)"
}

_db_unlock() {
	if [ -n "${_DB_LOCKFD:-}" ]; then
		exec {_DB_LOCKFD}>&-
		_DB_LOCKFD=""
	fi
}

# Start this checkout's private MariaDB unless ours already runs; export
# TELLER_SERVER_URL (and TELLER_DB_PORT). Sets TELLER_DB_STARTED=1 when this
# call started the server, 0 when it reused one.
ensure_private_db() {
	local pid port
	_db_init
	_db_tools
	mkdir -p "$(dirname "$_DB_DATA")"
	# shellcheck disable=SC2034 # read by the scripts that source this file
	TELLER_DB_STARTED=0
	_db_lock

	if pid="$(_db_our_pid)"; then
		port="$(cat "$_DB_PORTFILE" 2>/dev/null || true)"
		port="${port:-$TELLER_DB_PORT}"
		if [ "$port" != "$TELLER_DB_PORT" ]; then
			warn "our MariaDB already runs on port $port (not $TELLER_DB_PORT); using it. Stop it with scripts/db.sh stop to change ports."
		fi
		if ! _db_wait_ready "$port" "$pid"; then
			_db_log_tail
			_db_unlock
			die "our MariaDB (pid $pid) does not answer on 127.0.0.1:$port"
		fi
		_db_secure_root "$port"
		if [ "$(_sql_tcp "$port" -N -B -e 'SELECT @@have_ssl' 2>/dev/null)" != YES ]; then
			warn "our MariaDB runs without TLS (started by an older script): run scripts/db.sh stop, then this again"
		fi
		_db_unlock
		_db_export "$port"
		return 0
	fi

	port="$TELLER_DB_PORT"
	if _port_open "$port"; then
		_db_unlock
		if _sql_tcp_nopw "$port" -e 'SELECT 1' >/dev/null 2>&1; then
			warn "using the MariaDB/MySQL already listening on 127.0.0.1:$port (root, no password; not started by us, so left as it is)"
			_DB_ROOT_CNF=""
			_db_export "$port"
			return 0
		fi
		die "port $port on 127.0.0.1 is taken by something that is not our private MariaDB (and does not let root in without a password). Choose a free port for ours, e.g.: export TELLER_DB_PORT=$((port + 10))"
	fi

	if [ ! -f "$_DB_DATA/mysql/db.frm" ]; then
		_db_install
	fi
	_db_start "$port" "$_DB_LOCKFD"
	if ! _db_wait_ready "$port" "$_DB_STARTED_PID"; then
		_db_log_tail
		_db_unlock
		if _proc_running "$_DB_STARTED_PID"; then
			die "private MariaDB did not answer on 127.0.0.1:$port within 60 s (still starting? see $_DB_LOG)"
		fi
		die "private MariaDB exited during start-up (see $_DB_LOG above)"
	fi
	_db_secure_root "$port"
	_db_unlock
	# shellcheck disable=SC2034
	TELLER_DB_STARTED=1
	_db_export "$port"
}

# Stop the private server started by ensure_private_db (only ours, by pid file).
stop_private_db() {
	local pid i
	_db_init
	if ! pid="$(_db_our_pid)"; then
		log "private MariaDB is not running"
		rm -f "$_DB_PIDFILE"
		return 0
	fi
	log "stopping private MariaDB (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 240; i++)); do # up to 120 s for a clean InnoDB shutdown
		_proc_running "$pid" || break
		sleep 0.5
	done
	if _proc_running "$pid"; then
		die "MariaDB (pid $pid) did not stop within 120 s"
	fi
	rm -f "$_DB_PIDFILE"
}

# Print the private server's state. Exit status 0 = running, 3 = not running.
private_db_status() {
	local pid port version
	_db_init
	if pid="$(_db_our_pid)"; then
		port="$(cat "$_DB_PORTFILE" 2>/dev/null || echo "$TELLER_DB_PORT")"
		_CLIENT="$(find_tool mariadb)" || _CLIENT=mariadb
		version="$(_sql_tcp "$port" -N -B -e 'SELECT VERSION()' 2>/dev/null || echo '?')"
		printf 'running  pid %s, MariaDB %s\n' "$pid" "$version"
		printf 'url      mysql://root@127.0.0.1:%s\n' "$port"
		printf 'root     password in %s (mode 0600)\n' "$_DB_ROOT_CNF"
		printf 'socket   %s\n' "$_DB_SOCK"
		printf 'data     %s\n' "$_DB_DATA"
		printf 'log      %s\n' "$_DB_LOG"
		return 0
	fi
	printf 'stopped  (data: %s%s)\n' "$_DB_DATA" "$([ -f "$_DB_DATA/mysql/db.frm" ] || echo ', not initialised yet')"
	return 3
}

# URL of our private server (whether running or not).
private_db_url() {
	local port
	_db_init
	port="$TELLER_DB_PORT"
	if _db_our_pid >/dev/null; then
		port="$(cat "$_DB_PORTFILE" 2>/dev/null || echo "$port")"
	fi
	printf 'mysql://root@127.0.0.1:%s\n' "$port"
}

# True when URL ($1) points at the private server's address (so it must be
# started even though the URL was given, e.g. by a .env written earlier).
points_at_private_db() {
	local port="${TELLER_DB_PORT:-3307}"
	case "$1" in
	"mysql://root@127.0.0.1:$port" | "mysql://root@127.0.0.1:$port/"*) return 0 ;;
	*) return 1 ;;
	esac
}

# True when URL $1 names an account on this checkout's private server.
on_private_server() {
	local port="${TELLER_DB_PORT:-3307}"
	case "$1" in
	"mysql://"*"@127.0.0.1:$port/"* | "mysql://"*"@127.0.0.1:$port") return 0 ;;
	*) return 1 ;;
	esac
}

# Load KEY=VALUE lines from a .env file without overriding the environment.
load_dotenv() {
	local file="$1" line key value
	[ -f "$file" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		line="${line#"${line%%[![:space:]]*}"}"
		case "$line" in '' | '#'*) continue ;; esac
		line="${line#export }"
		case "$line" in *=*) ;; *) continue ;; esac
		key="${line%%=*}"
		key="${key%"${key##*[![:space:]]}"}"
		value="${line#*=}"
		value="${value#"${value%%[![:space:]]*}"}"
		value="${value%"${value##*[![:space:]]}"}"
		case "$value" in
		\"*\") value="${value:1:${#value}-2}" ;;
		\'*\') value="${value:1:${#value}-2}" ;;
		esac
		[[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
		if [ -z "${!key+x}" ]; then
			export "$key=$value"
		fi
	done <"$file"
}

# ---------------------------------------------------------------------------
# Database accounts (least privilege)
# ---------------------------------------------------------------------------

# A random password of 32 hex characters (URL-safe, SQL-safe).
random_password() {
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# Create or update a MariaDB account on the private server (as root, over TCP).
#   _db_account USER PASSWORD GRANT-STATEMENTS...   ('{}' in a statement = the account)
_db_account() {
	local user="$1" password="$2" sql="" grant
	shift 2
	local account="'$user'@'127.0.0.1'"
	sql="CREATE USER IF NOT EXISTS $account IDENTIFIED BY '$password';"
	sql+="ALTER USER $account IDENTIFIED BY '$password';"
	sql+="REVOKE ALL PRIVILEGES, GRANT OPTION FROM $account;"
	for grant in "$@"; do
		sql+="${grant//\{\}/$account};"
	done
	# On standard input, not in the arguments: other users can read those in ps.
	printf '%s\n' "$sql" | _sql_tcp "$TELLER_DB_PORT" || die "could not set up the MariaDB account $user"
}

# The owner account of database $1 on the private server: the schema and the app's grants
# on that database are its business (teller migrate, demo, bench, bootstrap-admin); creating
# or altering accounts (no global CREATE USER) stays with root and the scripts. Prints
# nothing; sets TELLER_OWNER_USER.
ensure_owner_account() {
	local db="$1" password="$2"
	TELLER_OWNER_USER="teller_owner"
	_db_account "$TELLER_OWNER_USER" "$password" \
		"GRANT ALL PRIVILEGES ON \`$db\`.* TO {} WITH GRANT OPTION" \
		"GRANT ALL PRIVILEGES ON \`teller\\_bench\\_%\`.* TO {}"
}

# Percent-decoding only (a '+' or a backslash stays what it is).
urldecode() {
	local s="$1" out="" hex
	while [ -n "$s" ]; do
		if [[ "$s" =~ ^%([0-9A-Fa-f]{2}) ]]; then
			hex="${BASH_REMATCH[1]}"
			out+="$(printf "\\x$hex")"
			s="${s:3}"
		else
			out+="${s:0:1}"
			s="${s:1}"
		fi
	done
	printf '%s' "$out"
}

# The app account of DATABASE_URL $1 (an account on our private server): created here, as
# root, with the URL's password and no rights at all; `teller migrate` (the owner, who may
# not create or alter accounts) then grants it exactly the app's rights on the bank's
# database. Rights it holds already are left as they are.
ensure_app_account() {
	local url="$1" auth user password account
	auth="${url#mysql://}"
	auth="${auth%%@*}"
	user="$(urldecode "${auth%%:*}")"
	password=""
	if [[ "$auth" == *:* ]]; then password="$(urldecode "${auth#*:}")"; fi
	[[ "$user" =~ ^[A-Za-z0-9_]+$ ]] || die "unexpected user name '$user' in DATABASE_URL"
	[ -n "$password" ] || die "DATABASE_URL names no password for $user"
	account="'$user'@'127.0.0.1'"
	# On standard input, not in the arguments: other users can read those in ps.
	printf '%s\n' "CREATE USER IF NOT EXISTS $account IDENTIFIED BY $(_sql_quote "$password");
		ALTER USER $account IDENTIFIED BY $(_sql_quote "$password");" |
		_sql_tcp "$TELLER_DB_PORT" || die "could not set up the app account $user"
}

# The account the tests use as their server: creates its own teller_test_* databases and
# their app accounts, nothing else. Exports TEST_DATABASE_URL.
ensure_test_account() {
	local password
	password="$(random_password)"
	_db_account teller_tester "$password" \
		"GRANT ALL PRIVILEGES ON \`teller\\_test\\_%\`.* TO {} WITH GRANT OPTION" \
		"GRANT ALL PRIVILEGES ON \`teller\\_bench\\_%\`.* TO {}" \
		"GRANT CREATE USER ON *.* TO {}" \
		"GRANT SELECT ON mysql.user TO {}"
	TEST_DATABASE_URL="mysql://teller_tester:$password@127.0.0.1:$TELLER_DB_PORT"
	export TEST_DATABASE_URL
}

# Write .env for the private server: the app account (DATABASE_URL) and the owner account
# (TELLER_OWNER_URL) of database $1, with fresh random passwords, readable by its owner only.
# The app account is created here too (with no rights; `teller migrate` grants them).
write_private_dotenv() {
	local db="$1" file="$2" owner_pw app_pw
	owner_pw="$(random_password)"
	app_pw="$(random_password)"
	ensure_owner_account "$db" "$owner_pw"
	(
		umask 077
		{
			printf '# Written by scripts/run.sh for the private MariaDB; keep it secret (mode 0600).\n'
			printf 'DATABASE_URL=mysql://teller_app:%s@127.0.0.1:%s/%s\n' "$app_pw" "$TELLER_DB_PORT" "$db"
			printf 'TELLER_OWNER_URL=mysql://%s:%s@127.0.0.1:%s/%s\n' "$TELLER_OWNER_USER" "$owner_pw" "$TELLER_DB_PORT" "$db"
		} >"$file.tmp"
	)
	chmod 600 "$file.tmp"
	ensure_app_account "mysql://teller_app:$app_pw@127.0.0.1:$TELLER_DB_PORT/$db"
	mv "$file.tmp" "$file"
	log "wrote $file (app and owner accounts, mode 0600)"
}
