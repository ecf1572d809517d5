#!/usr/bin/env bash
# Starts a real Roundcube 1.6 webmail on 127.0.0.1 for ImpaleMail's end-to-end tests, with a
# Dovecot 2.3 IMAP server behind it, everything under one scratch folder:
#
#   tests/webmail/start.sh SCRATCH_DIR MAILDIR_SOURCE_DIR
#
# - Login testuser / testpass. INBOX holds every *.eml of MAILDIR_SOURCE_DIR, in `LC_ALL=C` sorted
#   order (UID 1, 2, ...), byte for byte as in the files.
# - Ports: $WEBMAIL_HTTP_PORT / $WEBMAIL_IMAP_PORT, or free ones. Written to SCRATCH/ports.env
#   (WEBMAIL_HTTP_PORT, WEBMAIL_IMAP_PORT, WEBMAIL_ORIGIN); SCRATCH/messages.tsv lists
#   "uid<TAB>mailbox<TAB>file" per message, as Dovecot numbered them.
# - Needs root (a system user vmail is created if missing; Dovecot's master binds as root and
#   runs mail processes as vmail) and the packages of tests/webmail/install.sh.
# - Nothing under /etc is edited: Roundcube reads SCRATCH/roundcube/config through
#   ROUNDCUBE_CONFIG_DIR, Dovecot runs with -c SCRATCH/dovecot/dovecot.conf.
# - Every start resets the scratch folder's DB, Maildir, config and logs. Stop with stop.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STARTED=0   # once set, a failure stops what was started
die() {
  printf 'tests/webmail/start.sh: %s\n' "$*" >&2
  [ "$STARTED" = 0 ] || "$HERE/stop.sh" "$D" || true
  exit 1
}

[ $# -eq 2 ] || die "usage: start.sh SCRATCH_DIR MAILDIR_SOURCE_DIR"
[ "$(id -u)" = 0 ] || die "must run as root (Dovecot switches to the mail user vmail)"
for c in php dovecot doveadm sqlite3 setsid; do
  command -v "$c" >/dev/null || die "$c is missing: run tests/webmail/install.sh"
done
ROUNDCUBE_DOCROOT=/var/lib/roundcube/public_html
[ -f "$ROUNDCUBE_DOCROOT/index.php" ] && [ -f /usr/share/roundcube/SQL/sqlite.initial.sql ] \
  || die "Roundcube is not installed: run tests/webmail/install.sh"

mkdir -p "$1"
D="$(cd "$1" && pwd -P)"
SRC="$(cd "$2" && pwd -P)" || die "no such folder: $2"
case "$D" in *[!A-Za-z0-9._/-]*) die "scratch path may only hold [A-Za-z0-9._/-]: $D";; esac
# Dovecot's UNIX sockets live in $D/run/dovecot; sun_path holds 108 bytes.
[ "${#D}" -le 70 ] || die "scratch path too long for Dovecot's sockets (${#D} > 70 chars): $D"
for f in "$D/run/php-server.pid" "$D/run/dovecot/master.pid"; do
  if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then die "already running in $D (run stop.sh $D first)"; fi
done

# ---- ports: from the environment, or free ones on 127.0.0.1
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    [ "$p" != "${1:-}" ] && ! port_busy "$p" && { echo "$p"; return; }
  done
  die "no free port found"
}
HTTP_PORT="${WEBMAIL_HTTP_PORT:-$(free_port)}"
IMAP_PORT="${WEBMAIL_IMAP_PORT:-$(free_port "$HTTP_PORT")}"
for p in "$HTTP_PORT" "$IMAP_PORT"; do
  ! port_busy "$p" || die "port $p on 127.0.0.1 is in use"
done

# ---- mail user, folders (the mail processes, as vmail, must reach $D/mail)
getent passwd vmail >/dev/null \
  || useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin vmail
rm -rf "$D/run" "$D/logs" "$D/roundcube" "$D/dovecot" "$D/mail"
mkdir -p "$D"/{run,logs/roundcube,roundcube/db,roundcube/temp,roundcube/config,dovecot,mail}
chmod 755 "$D"

# ---- Roundcube: own SQLite DB, config from the template
sqlite3 "$D/roundcube/db/roundcube.sqlite" < /usr/share/roundcube/SQL/sqlite.initial.sql
ln -s /etc/roundcube/defaults.inc.php "$D/roundcube/config/defaults.inc.php"
ln -s /etc/roundcube/mimetypes.php "$D/roundcube/config/mimetypes.php"
DES_KEY="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"   # 24 characters
fill() { sed -e "s|@DIR@|$D|g" -e "s|@IMAP_PORT@|$IMAP_PORT|g" -e "s|@DES_KEY@|$DES_KEY|g" "$1" > "$2"; }
fill "$HERE/config.inc.php.in" "$D/roundcube/config/config.inc.php"
chmod 600 "$D/roundcube/config/config.inc.php"

# ---- Dovecot config, user, Maildir
fill "$HERE/dovecot.conf.in" "$D/dovecot/dovecot.conf"
echo 'testuser:{PLAIN}testpass::::::' > "$D/dovecot/users"
chmod 640 "$D/dovecot/users"
chgrp dovecot "$D/dovecot/users"
M="$D/mail/testuser/Maildir"
mkdir -p "$M"/{cur,new,tmp}
# Dovecot numbers new mail by the time stamp at the start of the file name: a rising stamp
# gives UIDs in the sorted order of the sources. cp keeps the bytes (CRLF, trailing blanks).
i=0
: > "$D/run/sources.tsv"
while IFS= read -r -d '' f; do
  i=$((i + 1))
  name="$((1700000000 + i)).M${i}P$$.impalemail-e2e,S=$(stat -c %s "$f")"
  cp "$f" "$M/new/$name"
  printf '%s\t%s\n' "$name" "$f" >> "$D/run/sources.tsv"
done < <(find "$SRC" -maxdepth 1 -xtype f -name '*.eml' -print0 | LC_ALL=C sort -z)
[ "$i" -gt 0 ] || echo "tests/webmail/start.sh: warning: no *.eml in $SRC, INBOX is empty" >&2
chown -R vmail:vmail "$D/mail"
if command -v setpriv >/dev/null && ! setpriv --reuid=vmail --regid=vmail --clear-groups test -w "$M/new"; then
  die "the mail user vmail cannot write $M: every parent folder of $D must be world-searchable (chmod o+x)"
fi

# ---- Dovecot (daemonizes; its master PID lands in base_dir/master.pid)
wait_for() { # what, tries of 0.1 s, command...
  local what="$1" n="$2"; shift 2
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done
  return 1
}
STARTED=1
dovecot -c "$D/dovecot/dovecot.conf" </dev/null >>"$D/logs/dovecot.log" 2>&1 \
  || { tail -20 "$D/logs/dovecot.log" >&2; die "dovecot did not start"; }
wait_for dovecot 100 port_busy "$IMAP_PORT" \
  || { tail -20 "$D/logs/dovecot.log" >&2; die "dovecot does not answer on 127.0.0.1:$IMAP_PORT"; }

# UIDs as Dovecot assigned them. For Maildir the GUID is the file name up to the ":2," flags.
doveadm -c "$D/dovecot/dovecot.conf" -f tab fetch -u testuser 'uid guid' mailbox INBOX > "$D/run/fetch.tsv" \
  || die "doveadm fetch failed (see $D/logs/dovecot.log)"
awk -F'\t' 'NR == FNR { src[$1] = $2; next }
            FNR > 1 { if (!($2 in src)) { print "unknown guid " $2 > "/dev/stderr"; exit 1 }
                      print $1 "\tINBOX\t" src[$2] }' \
  "$D/run/sources.tsv" "$D/run/fetch.tsv" > "$D/messages.tsv"
[ "$(wc -l < "$D/messages.tsv")" = "$i" ] || die "Dovecot lists $(wc -l < "$D/messages.tsv") messages, expected $i"

# ---- Roundcube on PHP's built-in server: 4 workers (a browser fires parallel requests), in
# its own session and process group (pid = pgid), so stop.sh ends parent and workers at once.
ROUNDCUBE_CONFIG_DIR="$D/roundcube/config" PHP_CLI_SERVER_WORKERS=4 \
  setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$D/run/php-server.pid" \
  php -S "127.0.0.1:$HTTP_PORT" -t "$ROUNDCUBE_DOCROOT" </dev/null >"$D/logs/php-server.log" 2>&1 &
http_ok() { # the login page answers 200
  local status
  status="$( { exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT" && printf 'GET /?_task=login HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
              && timeout 5 head -1 <&3; } 2>/dev/null )" || return 1
  [[ "$status" == *" 200 "* ]]
}
wait_for php 150 http_ok || {
  tail -20 "$D/logs/php-server.log" >&2
  die "Roundcube does not answer on http://127.0.0.1:$HTTP_PORT/"
}

cat > "$D/ports.env" <<ENV
WEBMAIL_HTTP_PORT=$HTTP_PORT
WEBMAIL_IMAP_PORT=$IMAP_PORT
WEBMAIL_ORIGIN=http://127.0.0.1:$HTTP_PORT
ENV
echo "Roundcube http://127.0.0.1:$HTTP_PORT/ (testuser/testpass), Dovecot 127.0.0.1:$IMAP_PORT, $i messages; stop: tests/webmail/stop.sh $D"
