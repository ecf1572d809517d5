#!/usr/bin/env bash
# Stops what tests/webmail/start.sh started in SCRATCH_DIR, and nothing else: the process group
# of `php -S` (parent + workers) and the Dovecot master (which ends its children), each by the
# id start.sh recorded, after checking that the id still names that program.
#
#   tests/webmail/stop.sh SCRATCH_DIR
#
# Also stops what start-sogo.sh started there (the process groups of sogod, its front and
# memcached, and the PostgreSQL cluster in SCRATCH/sogo/pg); `--sogo-only` stops only those.
#
# Safe to run twice, or when start.sh failed half-way. Leaves the scratch folder (logs) in place.
set -uo pipefail
SOGO_ONLY=0
[ "${1:-}" = --sogo-only ] && { SOGO_ONLY=1; shift; }
[ $# -eq 1 ] || { echo "usage: stop.sh [--sogo-only] SCRATCH_DIR" >&2; exit 2; }
D="$1"

# is_running PID NAME: the process exists and its command name starts with NAME
is_running() { [[ "$(ps -o comm= -p "$1" 2>/dev/null)" == "$2"* ]]; }
# gone PID...: none of them runs any more. A zombie counts as gone: the killed processes were
# re-parented to PID 1, which reaps them when it likes (slowly in some containers).
gone() {
  local st
  for p in "$@"; do st="$(ps -o stat= -p "$p" 2>/dev/null)" && [[ "$st" != Z* ]] && return 1; done
  return 0
}
wait_gone() { for _ in $(seq 1 50); do gone "$@" && return 0; sleep 0.1; done; return 1; }

pids=()
# stop_group PIDFILE NAME [SIGNAL]: ends the process group whose leader's id PIDFILE holds
# (setsid made pid = pgid), if that process still runs NAME; with TERM unless SIGNAL says else
stop_group() {
  local f="$1" pg
  [ -f "$f" ] || return 0
  pg="$(cat "$f")"
  if is_running "$pg" "$2"; then
    # the workers are in the same group; remember them to wait for them
    mapfile -t members < <(ps -e -o pid=,pgid= | awk -v g="$pg" '$2 == g { print $1 }')
    kill "-${3:-TERM}" -- "-$pg" 2>/dev/null
    wait_gone "${members[@]}" || kill -KILL -- "-$pg" 2>/dev/null
    pids+=("${members[@]}")
  fi
  rm -f "$f"
}
# SOGo (start-sogo.sh), the database last. sogod's watchdog takes 5-8 s to end its workers on
# TERM; it has nothing to save (the database is thrown away), so it gets KILL.
stop_group "$D/run/sogo-front.pid" node
stop_group "$D/run/sogod.pid" sogod KILL
stop_group "$D/run/memcached.pid" memcached
if [ -f "$D/sogo/pg/postmaster.pid" ]; then
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/sogo/pg" -m immediate -w stop >/dev/null 2>&1
fi
[ "$SOGO_ONLY" = 1 ] && { [ "${#pids[@]}" -eq 0 ] || wait_gone "${pids[@]}"; exit; }
stop_group "$D/run/php-server.pid" php
f="$D/run/dovecot/master.pid"
if [ -f "$f" ]; then
  mp="$(cat "$f")"
  if is_running "$mp" dovecot; then
    kill -TERM "$mp" 2>/dev/null
    wait_gone "$mp" || kill -KILL "$mp" 2>/dev/null
    pids+=("$mp")
  fi
  rm -f "$f"
fi
[ "${#pids[@]}" -eq 0 ] || wait_gone "${pids[@]}" || { echo "stop.sh: still running: ${pids[*]}" >&2; exit 1; }
exit 0
