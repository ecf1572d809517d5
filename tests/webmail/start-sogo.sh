#!/usr/bin/env bash
# Starts a real SOGo 5 webmail on 127.0.0.1 beside the Roundcube of tests/webmail/start.sh, on
# the same Dovecot (same login testuser / testpass, same INBOX), for ImpaleMail's e2e tests:
#
#   tests/webmail/start.sh SCRATCH_DIR MAILDIR_SOURCE_DIR     # first: Dovecot (+ Roundcube)
#   tests/webmail/start-sogo.sh SCRATCH_DIR                   # then:  SOGo on that Dovecot
#
# - Its own PostgreSQL cluster in SCRATCH/sogo/pg (initdb, fsync off; SOGo keeps its profile,
#   folder and session tables there; the user source is the SQL table sogo_users), its own
#   memcached, sogod (SOPE's HTTP server, WOPort) and sogo-front.mjs, which serves SOGo's static
#   files and hands the rest to sogod, as Apache does in Debian's example configuration.
# - Ports: $SOGO_HTTP_PORT (the front, the one a browser opens) or a free one; the others are
#   free ones. Appended to SCRATCH/ports.env: SOGO_HTTP_PORT, SOGO_ORIGIN (and the inner ones).
# - Needs root (PostgreSQL runs as postgres, memcached as memcache, sogod and the front as sogo)
#   and the packages of `tests/webmail/install.sh --sogo`. Nothing under /etc is edited: sogod
#   gets its settings as command-line defaults, which override /etc/sogo/sogo.conf.
# - tests/webmail/stop.sh SCRATCH_DIR stops these too.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STARTED=0
die() {
  printf 'tests/webmail/start-sogo.sh: %s\n' "$*" >&2
  [ "$STARTED" = 0 ] || "$HERE/stop.sh" --sogo-only "$D" || true
  exit 1
}

[ $# -eq 1 ] || die "usage: start-sogo.sh SCRATCH_DIR (after start.sh SCRATCH_DIR ...)"
[ "$(id -u)" = 0 ] || die "must run as root (PostgreSQL, memcached and sogod run as their own users)"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
for c in /usr/sbin/sogod memcached node runuser setpriv setsid "$PGBIN/initdb" "$PGBIN/pg_ctl" "$PGBIN/psql"; do
  command -v "$c" >/dev/null || die "$c is missing: run tests/webmail/install.sh --sogo"
done
D="$(cd "$1" && pwd -P)" || die "no such folder: $1"
[ -f "$D/ports.env" ] || die "$D/ports.env is missing: run start.sh $D MAILDIR first (it starts Dovecot)"
# shellcheck disable=SC1091
. "$D/ports.env"
for f in "$D/run/sogod.pid" "$D/run/sogo-front.pid" "$D/run/memcached.pid"; do
  if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then die "SOGo already runs in $D (run stop.sh $D first)"; fi
done

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
TAKEN=" $WEBMAIL_HTTP_PORT $WEBMAIL_IMAP_PORT "
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if [[ "$TAKEN" != *" $p "* ]] && ! port_busy "$p"; then TAKEN+="$p "; echo "$p"; return; fi
  done
  die "no free port found"
}
HTTP_PORT="${SOGO_HTTP_PORT:-$(free_port)}"; TAKEN+="$HTTP_PORT "
SOGOD_PORT="$(free_port)"; TAKEN+="$SOGOD_PORT "
PG_PORT="$(free_port)"; TAKEN+="$PG_PORT "
MC_PORT="$(free_port)"
for p in "$HTTP_PORT" "$SOGOD_PORT" "$PG_PORT" "$MC_PORT"; do ! port_busy "$p" || die "port $p on 127.0.0.1 is in use"; done

wait_for() { # tries of 0.1 s, command...
  local n="$1"; shift
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done
  return 1
}
rm -rf "$D/sogo" "$D/logs/sogo" "$D/run/pg"
mkdir -p "$D/sogo/pg" "$D/run/pg" "$D/logs/sogo"
chown postgres: "$D/sogo/pg" "$D/run/pg"
chown sogo: "$D/logs/sogo"
touch "$D/logs/sogo/postgresql.log" && chown postgres: "$D/logs/sogo/postgresql.log"

# ---- PostgreSQL: a throw-away cluster, trust auth on 127.0.0.1 and its socket folder only
STARTED=1
runuser -u postgres -- "$PGBIN/initdb" -D "$D/sogo/pg" -U postgres --auth=trust -N -E UTF8 --locale=C \
  >"$D/logs/sogo/initdb.log" 2>&1 || { tail -20 "$D/logs/sogo/initdb.log" >&2; die "initdb failed"; }
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/sogo/pg" -l "$D/logs/sogo/postgresql.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $PG_PORT -k $D/run/pg -F -c full_page_writes=off -c synchronous_commit=off" start >/dev/null \
  || { tail -20 "$D/logs/sogo/postgresql.log" >&2; die "PostgreSQL did not start"; }
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" "$@"; }
psql -U postgres -d postgres -c "CREATE ROLE sogo LOGIN" >/dev/null
psql -U postgres -d postgres -c "CREATE DATABASE sogo OWNER sogo" >/dev/null
# The user source: SOGo logs in to IMAP with the same name and password (Dovecot's testuser).
psql -U sogo -d sogo >/dev/null <<'SQL'
CREATE TABLE sogo_users (c_uid varchar(128) PRIMARY KEY, c_name varchar(128) NOT NULL,
  c_password varchar(128) NOT NULL, c_cn varchar(128), mail varchar(128));
INSERT INTO sogo_users VALUES ('testuser', 'testuser', 'testpass', 'Test User', 'testuser@example.test');
SQL

# ---- memcached (SOGo caches sessions and user data there)
setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$D/run/memcached.pid" \
  setpriv --reuid=memcache --regid=memcache --init-groups memcached -l 127.0.0.1 -p "$MC_PORT" -U 0 -m 32 </dev/null >"$D/logs/sogo/memcached.log" 2>&1 &
wait_for 50 port_busy "$MC_PORT" || die "memcached does not answer on 127.0.0.1:$MC_PORT"

# ---- sogod: settings as command-line defaults (NSArgumentDomain beats /etc/sogo/sogo.conf)
DB="postgresql://sogo:sogo@127.0.0.1:$PG_PORT/sogo"
cd /
setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$D/run/sogod.pid" \
  setpriv --reuid=sogo --regid=sogo --init-groups /usr/sbin/sogod -WONoDetach YES -WOPort "127.0.0.1:$SOGOD_PORT" -WOWorkersCount 3 \
    -WOLogFile - -WOPidFile "$D/logs/sogo/sogod.pid" \
    -SOGoProfileURL "$DB/sogo_user_profile" -OCSFolderInfoURL "$DB/sogo_folder_info" \
    -OCSSessionsFolderURL "$DB/sogo_sessions_folder" -OCSEMailAlarmsFolderURL "$DB/sogo_alarms_folder" \
    -SOGoIMAPServer "imap://127.0.0.1:$WEBMAIL_IMAP_PORT" -SOGoMemcachedHost "127.0.0.1:$MC_PORT" \
    -SOGoMailDomain example.test -SOGoTimeZone UTC -SOGoLanguage English \
    -SOGoUserSources "({ type = sql; id = users; viewURL = \"$DB/sogo_users\"; canAuthenticate = YES; isAddressBook = NO; userPasswordAlgorithm = plain; })" \
  </dev/null >"$D/logs/sogo/sogod.log" 2>&1 &

# ---- the front (static files + proxy), as the user sogo (from a copy: the checkout may be private)
cp "$HERE/sogo-front.mjs" "$D/sogo/front.mjs"
setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$D/run/sogo-front.pid" \
  setpriv --reuid=sogo --regid=sogo --init-groups "$(command -v node)" "$D/sogo/front.mjs" "$HTTP_PORT" "$SOGOD_PORT" \
  </dev/null >"$D/logs/sogo/front.log" 2>&1 &
http_ok() { # the login page answers 200 through the front
  local status
  status="$( { exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT" && printf 'GET /SOGo/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
              && timeout 10 head -1 <&3; } 2>/dev/null )" || return 1
  [[ "$status" == *" 200 "* ]]
}
wait_for 300 http_ok || { tail -20 "$D/logs/sogo/sogod.log" "$D/logs/sogo/front.log" >&2; die "SOGo does not answer on http://127.0.0.1:$HTTP_PORT/SOGo/"; }

cat >> "$D/ports.env" <<ENV
SOGO_HTTP_PORT=$HTTP_PORT
SOGO_ORIGIN=http://127.0.0.1:$HTTP_PORT
SOGOD_PORT=$SOGOD_PORT
SOGO_PG_PORT=$PG_PORT
SOGO_MEMCACHED_PORT=$MC_PORT
ENV
echo "SOGo http://127.0.0.1:$HTTP_PORT/SOGo/ (testuser/testpass) on Dovecot 127.0.0.1:$WEBMAIL_IMAP_PORT; stop: tests/webmail/stop.sh $D"
