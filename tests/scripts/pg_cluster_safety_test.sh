#!/usr/bin/env bash
# The private PostgreSQL cluster of scripts/run and scripts/test (scripts/lib/common.sh):
# its folder and socket folder are 0700, its passwords file 0600, every pg_hba.conf line
# asks for a scram-sha-256 password (no trust), the roles' passwords are stored as SCRAM,
# and a connection without the password is refused. An older cluster made with `-A trust`
# is upgraded by pg_start to the same state. Usage: pg_cluster_safety_test.sh SOURCE_DIR
# (with the environment of scripts/test: TELERAD_TEST_PG_DIR or TELERAD_TEST_PG).
set -u
source "$1/scripts/lib/common.sh"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

check_cluster() {  # check_cluster DIR PORT
  local dir="$1" port="$2" mode line
  for d in "$dir" "$dir/sock"; do
    mode=$(stat -c %a "$d")
    [ "$mode" = 700 ] || fail "$d has mode $mode, not 700"
  done
  mode=$(stat -c %a "$dir/pgpass")
  [ "$mode" = 600 ] || fail "$dir/pgpass has mode $mode, not 600"
  # The server's own file names its own role only: no superuser password in its reach.
  mode=$(stat -c %a "$dir/app.pgpass")
  [ "$mode" = 600 ] || fail "$dir/app.pgpass has mode $mode, not 600"
  [ "$(cut -d: -f4 "$dir/app.pgpass" | sort -u)" = telerad_app ] ||
    fail "$dir/app.pgpass holds another role than telerad_app"
  [ "$(env PGPASSFILE="$dir/app.pgpass" psql -h "$dir/sock" -p "$port" -U telerad_app \
        -d postgres -tAc 'SELECT current_user')" = telerad_app ] ||
    fail "$dir: telerad_app cannot sign in with app.pgpass"
  while read -r line; do
    case "$line" in '' | '#'*) continue ;; esac
    [ "${line##* }" = scram-sha-256 ] || fail "$dir: pg_hba.conf line without scram-sha-256: $line"
  done <"$dir/data/pg_hba.conf"
  grep -qw trust "$dir/data/pg_hba.conf" && fail "$dir: pg_hba.conf mentions trust"
  local sql=(env PGPASSFILE="$dir/pgpass" psql -h "$dir/sock" -p "$port" -U telerad -d postgres -tAc)
  [ "$("${sql[@]}" 'SHOW password_encryption')" = scram-sha-256 ] ||
    fail "$dir: password_encryption is not scram-sha-256"
  [ "$("${sql[@]}" "SELECT count(*) FROM pg_authid WHERE rolname IN ('telerad', 'telerad_app')
       AND rolpassword LIKE 'SCRAM-SHA-256\$%'")" = 2 ] ||
    fail "$dir: telerad and telerad_app do not both have SCRAM passwords"
  [ "$("${sql[@]}" "SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles
       WHERE rolname = 'telerad_app'")" = f ] || fail "$dir: telerad_app has more than LOGIN"
  for role in telerad telerad_app; do
    if PGPASSFILE=/dev/null psql -w -h "$dir/sock" -p "$port" -U "$role" -d postgres -tAc 'SELECT 1' \
        >/dev/null 2>&1; then
      fail "$dir: $role connected without a password"
    fi
  done
}

# The cluster the tests run against.
dir="${TELERAD_TEST_PG_DIR:-}"
if [ -z "$dir" ]; then
  dir="$(sed -n 's/.*host=\([^ ]*\)\/sock.*/\1/p' <<<"${TELERAD_TEST_PG:-}")"
fi
port="$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"${TELERAD_TEST_PG:-}")"
if [ -z "$dir" ] || [ -z "$port" ]; then
  echo "TELERAD_TEST_PG is not set: run ./scripts/test"
  exit 1
fi
check_cluster "$dir" "$port"

# An older cluster, initialised with trust as before: pg_start upgrades it.
work="$(mktemp -d)"
chmod 755 "$work"  # the postgres user (when run as root) must reach the cluster inside
old="$work/pg"
old_port=$((56000 + RANDOM % 2000))
trap 'pg_stop "$old"; rm -rf "$work"' EXIT
mkdir -p "$old/sock"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$old"; fi
pg_as_owner "$PG_BIN/initdb" -D "$old/data" -A trust -U telerad -E UTF8 --locale=C.UTF-8 >/dev/null
(pg_start "$old" "$old_port") || fail "pg_start did not upgrade a trust cluster"
check_cluster "$old" "$old_port"

[ "$failures" -eq 0 ] && echo "PASS" && exit 0
exit 1
