# shellcheck shell=bash
# TLS for the local Galera cluster (sourced by scripts/cluster.sh, which sets DIR, NODES,
# BASE_PORT, GROUP_BASE and the node helpers).
#
# One CA of the cluster's own signs a certificate for each node (127.0.0.1). The nodes check
# each other's certificates against it for replication and incremental transfers (Galera's
# socket.ssl_*) and for full state transfers (rsync through stunnel, [sst] ssl-mode); clients
# can check the nodes with the same CA (ssl_ca=<dir>/tls/ca.pem). Keys are mode 0600.

tls_dir() { echo "$DIR/tls"; }

# A self-signed CA: $1.pem and $1-key.pem, common name $2.
make_ca() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$2" \
		-keyout "$1-key.pem" -out "$1.pem" >/dev/null 2>&1
}

# A certificate for 127.0.0.1 signed by CA $1: $2-cert.pem and $2-key.pem, common name $3
# (also a DNS name of the certificate: the donor of a state transfer checks the joiner by it;
# no spaces, it travels in the transfer's address).
make_cert() {
	local ca="$1" name="$2"
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$3" -keyout "$name-key.pem" \
		-out "$name.csr" >/dev/null 2>&1
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:%s\n' "$3" >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca-key.pem" -CAcreateserial \
		-days 3650 -extfile "$name.ext" -out "$name-cert.pem" >/dev/null 2>&1
	rm -f "$name.csr" "$name.ext"
	chmod 600 "$name-key.pem"
	chmod 644 "$name-cert.pem"
}

# The cluster's CA and node certificates, made once.
make_tls() {
	local dir n
	dir="$(tls_dir)"
	[ -s "$dir/ca.pem" ] && [ -s "$dir/node3-cert.pem" ] && return 0
	command -v openssl >/dev/null 2>&1 || die "openssl not found (apt-get install openssl)"
	log "making the cluster's CA and node certificates in $dir"
	mkdir -p "$dir"
	chmod 755 "$dir"
	(
		cd "$dir"
		umask 077
		make_ca ca "teller cluster CA"
		chmod 644 ca.pem
		for n in "${NODES[@]}"; do make_cert ca "node$n" "teller-cluster-node$n"; done
		rm -f ca.srl
	) || die "could not make the cluster's certificates in $dir"
}

intruder_dir() { echo "$DIR/intruder"; }

# Stops the 4th node (stop_pid: cleanly, or killed after 30 s).
stop_intruder() {
	local pid
	pid="$(node_pid_of "$(intruder_dir)")" || return 0
	stop_pid "$pid"
}

cluster_size() {
	local state
	state="$(node_state 1 || true)"
	echo "${state##* }"
}

# A 4th node, on its own ports (SQL port+3, group port+40), asks to join the cluster:
#   plain       without certificates
#   other-ca    with a certificate of another CA
#   cluster-ca  with a certificate of the cluster's CA (the control: it joins, through a full
#               state transfer over TLS, then leaves)
# Prints `refused` (the cluster stayed at 3 nodes for 20 s; 60 s for the control), `joined`, or
# `joined synced` when
# it also got the data by a full state transfer (which runs over TLS or not at all).
try_join() {
	local kind="$1" d port gport p holder i n size=3 tls_opts="" joined=0 synced=0
	case "$kind" in
	plain | other-ca | cluster-ca) ;;
	*) die "try-join plain|other-ca|cluster-ca" ;;
	esac
	[ "$(node_state 1)" = "ON Synced 3" ] || die "the cluster is not up with 3 nodes: scripts/cluster.sh up"
	d="$(intruder_dir)"
	port=$((BASE_PORT + 3))
	gport=$((GROUP_BASE + 40))
	for p in "$port" "$gport" $((gport + 1)) $((gport + 2)); do
		if holder="$(port_holder "$p")"; then die "port $p is held by $holder"; fi
	done
	stop_intruder
	rm -rf "$d" "$d".{cnf,err,pid,sock} "$d-tls"
	mkdir -p "$d" "$d-tls"
	run_as_mysql || true
	local args=(--no-defaults --datadir="$d" --auth-root-authentication-method=normal
		--skip-test-db --skip-name-resolve)
	[ "$(id -u)" -eq 0 ] && args+=(--user=mysql)
	"$_INSTALL_DB" "${args[@]}" >/dev/null 2>&1 </dev/null || die "mariadb-install-db failed for $d"
	case "$kind" in
	other-ca)
		(cd "$d-tls" && umask 077 && make_ca ca "another CA") || die "could not make another CA"
		;;
	cluster-ca)
		cp "$(tls_dir)/ca.pem" "$(tls_dir)/ca-key.pem" "$d-tls/"
		;;
	esac
	if [ "$kind" != plain ]; then
		(cd "$d-tls" && umask 077 && make_cert ca node4 teller-cluster-node4 && rm -f ca-key.pem) ||
			die "could not make the 4th node's certificate"
		tls_opts=";socket.ssl=yes;socket.ssl_ca=$d-tls/ca.pem;socket.ssl_cert=$d-tls/node4-cert.pem;socket.ssl_key=$d-tls/node4-key.pem"
	fi
	{
		printf '[mysqld]\n'
		printf '%s\n' "datadir=$d" "port=$port" "bind-address=127.0.0.1" "socket=$d.sock" \
			"pid-file=$d.pid" "log-error=$d.err" "skip-name-resolve" \
			"innodb-buffer-pool-size=64M" "binlog-format=ROW" "default-storage-engine=InnoDB" \
			"innodb-autoinc-lock-mode=2" "wsrep-on=ON" "wsrep-provider=$PROVIDER" \
			"wsrep-cluster-name=teller" "wsrep-cluster-address=$(cluster_address)" \
			"wsrep-node-name=node4" "wsrep-node-address=127.0.0.1" "wsrep-sst-method=rsync" \
			"wsrep-sst-receive-address=127.0.0.1:$((gport + 2))"
		[ "$kind" = plain ] || printf '%s\n' "ssl-ca=$d-tls/ca.pem" \
			"ssl-cert=$d-tls/node4-cert.pem" "ssl-key=$d-tls/node4-key.pem"
		printf 'wsrep-provider-options="%s"\n' "base_port=$gport;gmcast.listen_addr=tcp://127.0.0.1:$gport;ist.recv_addr=127.0.0.1:$((gport + 1));gcache.size=32M;pc.wait_prim_timeout=PT20S$tls_opts"
		[ "$kind" = plain ] || printf '[sst]\nssl-mode=VERIFY_CA\n'
	} >"$d.cnf"
	(umask 077 && touch "$d.err")
	run_as_mysql || true
	local run=(--defaults-file="$d.cnf")
	[ "$(id -u)" -eq 0 ] && run+=(--user=mysql)
	log "a 4th node ($kind) asks to join"
	(
		exec setsid nohup "$_MARIADBD" "${run[@]}" </dev/null >>"$d.err" 2>&1
	) &
	disown
	# The refused kinds are watched for 20 s; the control, which must join, is given 60 s (a
	# group join on two busy cores once took longer than 20 s in CI).
	local tries=40
	[ "$kind" = cluster-ca ] && tries=120
	for ((i = 0; i < tries; i++)); do
		sleep 0.5
		size="$(cluster_size)"
		if [ "${size:-3}" -gt 3 ]; then
			joined=1
			break
		fi
	done
	if [ "$joined" -eq 1 ]; then
		# It gets the data by a full state transfer (rsync through stunnel): wait for it.
		for ((i = 0; i < 120; i++)); do # 60 s
			if grep -q 'Shifting JOINED -> SYNCED' "$d.err" 2>/dev/null; then
				synced=1
				break
			fi
			node_pid_of "$d" >/dev/null || break
			sleep 0.5
		done
		grep -h 'Using stunnel\|SST succeeded\|Shifting JOINED -> SYNCED' "$d.err" | tail -n 3 >&2 || true
	else
		log "the 4th node ($kind) was kept out; its log and node 1's say:"
		grep -h 'Failed to establish connection' "$d.err" | tail -n 1 >&2 || true
		grep -h 'Failed to establish connection' "$(node_dir 1).err" | tail -n 1 >&2 || true
	fi
	stop_intruder
	# The cluster is back to its three nodes, all Synced, before anything else runs. Once in
	# CI the 4th node's leave was seen as a partition and the three stayed together but
	# non-primary: heal_quorum gives them their primary component back.
	for ((i = 0; i < 120; i++)); do # 60 s
		[ "$(node_state 1)" = "ON Synced 3" ] && break
		sleep 0.5
	done
	heal_quorum
	rm -rf "$d" "$d".{cnf,err,pid,sock} "$d-tls"
	if [ "$joined" -eq 0 ]; then
		echo refused
	elif [ "$synced" -eq 1 ]; then
		echo "joined synced"
	else
		echo joined
	fi
}
