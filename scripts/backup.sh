#!/usr/bin/env bash
# Backups with the standard tools: a consistent dump of a running server or cluster node
# (mariadb-dump --single-transaction: one snapshot, no lock on the tables, triggers included),
# and its restore into an empty database.
#
#   scripts/backup.sh dump [URL] [FILE]     URL (mysql://…): the owner account's, with the database name
#                                           (default: TELLER_OWNER_URL from the environment or
#                                           .env); a URL listing several nodes dumps from the
#                                           first Synced one.
#                                           FILE default: .data/backups/<db>-<UTC time>.sql.gz
#   scripts/backup.sh restore FILE [URL]    into URL's database (default: TELLER_RESTORE_URL
#                                           from the environment), which must be empty or absent
# A URL given as an argument must hold no password: every user of the machine reads command
# lines (ps). Put a URL with a password in TELLER_OWNER_URL / TELLER_RESTORE_URL instead.
#
# The dump holds the bank's tables only, not the database accounts: after a restore, the app
# account must exist (the DBA creates it; scripts/run.sh does on its private server) and
# `teller migrate` (with DATABASE_URL) grants it its rights again.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TELLER_ROOT"

CNF=""
NODE=""
cleanup() {
	if [ -n "$CNF" ]; then rm -f "$CNF"; fi
	CNF=""
}
trap cleanup EXIT

# A value for an options file: quoted, with backslashes and quotes escaped ('#' is no comment).
cnf_value() {
	local v="${1//\\/\\\\}"
	printf '"%s"' "${v//\"/\\\"}"
}

# Refuses a URL argument ($1) that holds a password; $2 names the variable to use instead.
refuse_password_argument() {
	local auth="${1#mysql://}"
	auth="${auth%%@*}"
	if [[ "$1" == *@* ]] && [[ "$auth" == *:* ]]; then
		die "the URL on the command line holds a password, which every user of this machine can read (ps): put it in $2 instead"
	fi
}

# Sets U_USER U_PASS U_DB and U_HOSTS (host:port, ...) from a mysql:// URL.
parse_url() {
	local url="$1" rest auth hostpart
	[[ "$url" == mysql://* ]] || die "not a mysql:// URL"
	rest="${url#mysql://}"
	hostpart="${rest%%/*}"
	U_DB="${rest#*/}"
	[ "$U_DB" != "$rest" ] || U_DB=""
	U_DB="${U_DB%%\?*}"
	auth=""
	if [[ "$hostpart" == *@* ]]; then
		auth="${hostpart%@*}"
		hostpart="${hostpart##*@}"
	fi
	U_USER="$(urldecode "${auth%%:*}")"
	U_PASS=""
	if [[ "$auth" == *:* ]]; then U_PASS="$(urldecode "${auth#*:}")"; fi
	IFS=',' read -r -a U_HOSTS <<<"$hostpart"
	[ -n "$U_DB" ] || die "the URL names no database (mysql://user@host:port/NAME)"
}

# A client options file (mode 0600) so that the password is never on a command line.
write_cnf() {
	local host="$1"
	CNF="$(mktemp "${TMPDIR:-/tmp}/teller-backup.XXXXXX")"
	chmod 600 "$CNF"
	{
		printf '[client]\nuser=%s\nhost=%s\nport=%s\nprotocol=tcp\n' \
			"$(cnf_value "$U_USER")" "${host%%:*}" "${host##*:}"
		if [ -n "$U_PASS" ]; then printf 'password=%s\n' "$(cnf_value "$U_PASS")"; fi
	} >"$CNF"
}

# The first node that answers and, on a cluster, is Synced: sets NODE and leaves its
# options file in CNF (removed on exit).
pick_node() {
	local host state
	for host in "${U_HOSTS[@]}"; do
		cleanup
		write_cnf "$host"
		state="$("$CLIENT" --defaults-extra-file="$CNF" --connect-timeout=3 -N -B -e \
			"SELECT COALESCE((SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
			  WHERE VARIABLE_NAME='WSREP_LOCAL_STATE_COMMENT'), 'Synced')" 2>/dev/null)" || state=""
		if [ "$state" = "Synced" ]; then
			NODE="$host"
			return 0
		fi
	done
	return 1
}

dump() {
	local url="${1:-}" file="${2:-}" host
	# `dump FILE`: the URL from the environment
	if [ -n "$url" ] && [[ "$url" != mysql://* ]] && [ -z "$file" ]; then
		file="$url"
		url=""
	fi
	if [ -n "$url" ]; then refuse_password_argument "$url" TELLER_OWNER_URL; fi
	url="${url:-${TELLER_OWNER_URL:-}}"
	[ -n "$url" ] || die "set TELLER_OWNER_URL (the owner account's URL, with the database name)"
	parse_url "$url"
	pick_node || die "no node answers (or none is Synced)"
	host="$NODE"
	if [ -z "$file" ]; then
		mkdir -p .data/backups
		file=".data/backups/$U_DB-$(date -u +%Y%m%dT%H%M%SZ).sql.gz"
	fi
	log "dumping $U_DB from $host to $file"
	umask 077
	"$DUMP" --defaults-extra-file="$CNF" --single-transaction --quick --triggers --routines \
		--hex-blob --default-character-set=utf8mb4 "$U_DB" |
		gzip -c >"$file.partial"
	mv "$file.partial" "$file"
	echo "$file"
}

restore() {
	local file="${1:-}" url="${2:-}" host tables
	if [ -n "$url" ]; then refuse_password_argument "$url" TELLER_RESTORE_URL; fi
	url="${url:-${TELLER_RESTORE_URL:-}}"
	[ -f "$file" ] || die "no backup file ${file:-given}"
	[ -n "$url" ] || die "set TELLER_RESTORE_URL (the URL of the database to restore into)"
	parse_url "$url"
	host="${U_HOSTS[0]}"
	write_cnf "$host"
	"$CLIENT" --defaults-extra-file="$CNF" -e \
		"CREATE DATABASE IF NOT EXISTS \`$U_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	tables="$("$CLIENT" --defaults-extra-file="$CNF" -N -B -e \
		"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$U_DB'")"
	[ "$tables" = 0 ] || die "the database $U_DB is not empty: restore into a new one"
	log "restoring $file into $U_DB on $host"
	# The triggers' and procedures' DEFINER named whoever took the dump; they are created by
	# whoever restores (the procedures run with their caller's rights anyway).
	gzip -dc "$file" | sed -e 's#/\*!50017 DEFINER=[^*]*\*/ ##' -e 's#^CREATE DEFINER=[^ ]* PROCEDURE #CREATE PROCEDURE #' |
		"$CLIENT" --defaults-extra-file="$CNF" --default-character-set=utf8mb4 "$U_DB"
	log "restored; create the app account if it is new, run \`teller migrate\` to grant it its rights, then \`teller audit\`"
}

CLIENT="$(find_tool mariadb)" || die "the mariadb client is missing (apt-get install mariadb-client)"
DUMP="$(find_tool mariadb-dump)" || die "mariadb-dump is missing (apt-get install mariadb-client)"
load_dotenv "$TELLER_ROOT/.env"

case "${1:-}" in
dump) dump "${2:-}" "${3:-}" ;;
restore) restore "${2:-}" "${3:-}" ;;
*)
	sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
