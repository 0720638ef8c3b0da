#!/usr/bin/env bash
# The private MariaDB of this checkout (data in .data/mariadb, port 3307).
#   scripts/db.sh start    start it (no-op when already running)
#   scripts/db.sh stop     stop it (data stays)
#   scripts/db.sh status   running or not (exit 3 when stopped)
#   scripts/db.sh url      print the server URL (mysql://root@127.0.0.1:PORT, no password)
#   scripts/db.sh sql ...  open the mariadb client on it as root (args passed through)
# Root's random password lives in .data/mariadb.root.cnf (mode 0600); `sql` passes that file
# with --defaults-file, so the password is never on a command line.
# Settings: TELLER_DB_PORT (default 3307), TELLER_DATA_DIR (default .data/mariadb).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-}"
[ "$#" -gt 0 ] && shift
case "$cmd" in
start)
	ensure_packages
	ensure_private_db
	if [ "$TELLER_DB_STARTED" -eq 1 ]; then
		log "started: $TELLER_SERVER_URL"
	else
		log "already running: $TELLER_SERVER_URL"
	fi
	;;
stop) stop_private_db ;;
status) private_db_status ;;
url) private_db_url ;;
sql)
	ensure_private_db
	if [ -n "$_DB_ROOT_CNF" ]; then
		exec "$_CLIENT" --defaults-file="$_DB_ROOT_CNF" --protocol=tcp -h127.0.0.1 -P"$TELLER_DB_PORT" "$@"
	fi
	exec "$_CLIENT" --no-defaults --protocol=tcp -h127.0.0.1 -P"$TELLER_DB_PORT" -uroot "$@"
	;;
*)
	echo "usage: $0 start|stop|status|url|sql [mariadb args]" >&2
	exit 2
	;;
esac
