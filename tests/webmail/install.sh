#!/usr/bin/env bash
# Installs the Debian packages the webmail end-to-end tests need: Roundcube (SQLite back end),
# Dovecot IMAP and PHP's CLI (its built-in web server serves Roundcube; no apache, no nginx).
#
#   tests/webmail/install.sh          # as root, or as a user with sudo
#   tests/webmail/install.sh --sogo   # and SOGo with what it needs (start-sogo.sh)
#
# Idempotent and silent when everything is present (one dpkg-query call, a few ms);
# `apt-get update` runs only when a package is missing. Nothing under /etc is configured for
# the tests: start.sh runs Roundcube and Dovecot from a scratch folder.
set -euo pipefail

# php8.2-cgi is named on purpose: without it apt satisfies roundcube-core's "php" dependency
# with libapache2-mod-php, which pulls in apache2.
PACKAGES=(roundcube-core roundcube-sqlite3 php8.2-cgi php-cli php-sqlite3 php-intl php-mbstring
          dovecot-core dovecot-imapd sqlite3)
# The commands start.sh runs; checked too, in case a package is half-removed.
COMMANDS=(php dovecot doveadm sqlite3 setsid)
if [ "${1:-}" = --sogo ]; then
  # SOGo 5 (sogod, no web server: start-sogo.sh fronts it itself), the PostgreSQL it keeps its
  # profile and session tables in, and memcached. Their postinsts may start system services
  # (where systemd runs); start-sogo.sh uses none of them, only the programs.
  PACKAGES+=(sogo postgresql memcached)
  COMMANDS+=(sogod memcached setpriv)
elif [ $# -gt 0 ]; then
  printf 'usage: tests/webmail/install.sh [--sogo]\n' >&2; exit 2
fi

installed="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)"
missing=()
for p in "${PACKAGES[@]}"; do
  grep -qx "$p installed" <<<"$installed" || missing+=("$p")
done
for c in "${COMMANDS[@]}"; do
  command -v "$c" >/dev/null || { missing=("${PACKAGES[@]}"); break; }
done
[ "${#missing[@]}" -eq 0 ] && exit 0

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else printf 'tests/webmail/install.sh: need root to install: %s\n' "${missing[*]}" >&2; exit 1; fi
}

say "installing the webmail test packages (about a minute): ${missing[*]}"
# Preseed dbconfig-common so roundcube-core's postinst asks nothing and touches no web server.
# (It still creates its own SQLite DB under /var/lib/dbconfig-common; start.sh does not use it.)
as_root debconf-set-selections <<'PRESEED'
roundcube-core roundcube/dbconfig-install boolean true
roundcube-core roundcube/database-type select sqlite3
roundcube-core roundcube/restart-webserver multiselect
roundcube-core roundcube/reconfigure-webserver multiselect
PRESEED
apt() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=900 "$@"; }
apt update >/dev/null
# Install the whole list, not only the missing names, so one apt call resolves them together.
apt install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null
for c in "${COMMANDS[@]}"; do
  command -v "$c" >/dev/null || { printf 'tests/webmail/install.sh: %s still missing after apt\n' "$c" >&2; exit 1; }
done
say "webmail test packages installed"
