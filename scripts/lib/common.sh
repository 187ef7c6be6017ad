# Shared by scripts/run, scripts/test and bench/: install what is missing, build,
# and manage a private PostgreSQL 15 cluster under a folder of ours.
# Sourced, not executed. Every function fails loudly (set -e in the caller).

TELERAD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG_BIN=/usr/lib/postgresql/15/bin

# Debian 12 packages telerad builds, runs and tests with (README, "Stack").
TELERAD_PACKAGES=(
  build-essential cmake pkg-config git
  libdcmtk-dev dcmtk libpistache-dev libpqxx-dev libspdlog-dev nlohmann-json3-dev
  libsodium-dev prometheus-cpp-dev libhowardhinnant-date-dev tzdata libgtest-dev libssl-dev
  postgresql-15 postgresql-client-15 curl procps openssl libyaml-dev
)

log() { printf '\033[1m[telerad]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs only the packages that are missing, so a ready machine skips apt entirely.
install_packages() {
  local missing=()
  for p in "${TELERAD_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The viewer (README, "The viewer"): `npm ci` in web/ fetches the pinned @ohif/app, whose
# prebuilt dist/ telerad serves, and playwright-core for the browser tests; npm checks
# both against the integrity in web/package-lock.json. Debian's nodejs and npm are
# installed when no node is on PATH. Skipped when node_modules already matches the lock
# (npm records the installed tree in node_modules/.package-lock.json), so a set-up
# machine needs no network. Then each text or WASM file of dist/ gets a .gz sibling
# (gzip -6: -9 made the 17 MB bundle 1 % smaller in twice the time) that telerad sends
# to clients accepting gzip; ort/ and dicom-microscopy-viewer/ (optional tools, 156 MB)
# are left as they are.
install_viewer() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    install_packages nodejs npm
  fi
  local web="$TELERAD_ROOT/web" dist="$TELERAD_ROOT/web/node_modules/@ohif/app/dist"
  if [ ! -f "$web/node_modules/.package-lock.json" ] ||
    [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ] ||
    [ ! -f "$dist/index.html" ]; then
    log "installing the viewer (npm ci in web/)"
    (cd "$web" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
  find "$dist" \( -path "$dist/ort" -o -path "$dist/dicom-microscopy-viewer" \) -prune -o \
    -type f \( -name '*.js' -o -name '*.css' -o -name '*.wasm' -o -name '*.json' \
    -o -name '*.svg' -o -name '*.html' \) -size +1k -print0 |
    while IFS= read -r -d '' f; do
      [ -f "$f.gz" ] && ! [ "$f.gz" -ot "$f" ] || gzip -6 -k -f "$f"
    done
}

# The pages (README, "The pages and the viewer on one origin"): `npm ci` in pages/ fetches
# the versions and integrities pinned in pages/package-lock.json (TypeScript, esbuild,
# Preact, Pico CSS, Chart.js) into the ignored pages/node_modules/, then pages/build.mjs
# bundles pages/src/ into the ignored pages/dist/ that telerad serves (pages_dir). Each
# step is skipped when up to date: node_modules matching the lock, dist/ newer than
# every source, so a set-up machine needs no network and rebuilds only after a change.
build_pages() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    install_packages nodejs npm
  fi
  local pages="$TELERAD_ROOT/pages"
  if [ ! -f "$pages/node_modules/.package-lock.json" ] ||
    [ "$pages/package-lock.json" -nt "$pages/node_modules/.package-lock.json" ]; then
    log "installing the pages' tools (npm ci in pages/)"
    (cd "$pages" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
  if [ ! -f "$pages/dist/index.html" ] ||
    [ -n "$(find "$pages/src" "$pages/build.mjs" "$pages/package-lock.json" "$pages/tsconfig.json" \
      -newer "$pages/dist/index.html" -print -quit)" ]; then
    log "building the pages (pages/build.mjs)"
    (cd "$pages" && node build.mjs)
  fi
}

# Our C++ sources, NUL-separated: the files git tracks or would track (new files not yet
# added included), or every one outside build
# folders and var/ when this is not a git checkout (an unpacked archive).
list_sources() {
  if git -C "$TELERAD_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$TELERAD_ROOT" ls-files -z --cached --others --exclude-standard -- '*.cpp' '*.h' |
      sed -z "s|^|$TELERAD_ROOT/|"
  else
    find "$TELERAD_ROOT" \( -path "$TELERAD_ROOT/build*" -o -path "$TELERAD_ROOT/var" \
      -o -name node_modules \) -prune -o \( -name '*.cpp' -o -name '*.h' \) -print0
  fi
}

# build_telerad BUILD_DIR BUILD_TYPE [extra cmake args]
build_telerad() {
  local dir="$1" type="$2"
  shift 2
  cmake -S "$TELERAD_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^-- ' || true
  [ -x "$dir/telerad" ] || { log "build failed"; return 1; }
}

# Runs a PostgreSQL binary as an unprivileged user: initdb and postgres refuse root.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The private cluster's roles: `telerad`, the bootstrap superuser, which creates the
# databases, owns them and their tables and runs the migrations (db_owner_url); and
# `telerad_app` (db_app_role), what `telerad serve` connects as: no superuser, no owner,
# granted by `telerad migrate` only what the server needs (README, "Database roles").
PG_APP_ROLE=telerad_app

# Prints a random password: hexadecimal, so it needs no quoting in SQL or a pgpass line.
random_password() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }

# The password of ROLE from DIR/pgpass.
pg_password() { awk -F: -v r="$2" '$4 == r { print $5 }' "$1/pgpass"; }

# pg_start DIR PORT: initialise the cluster in DIR on first use, then start it on a Unix
# socket in DIR/sock only (no TCP listener). Idempotent. Every connection, local or TCP,
# authenticates with a scram-sha-256 password; the passwords are generated at the first
# start into DIR/pgpass (mode 0600), which this function exports as PGPASSFILE for libpq.
# DIR and its socket folder are 0700: only the user running PostgreSQL (and root) get in.
pg_start() {
  local dir port="$2"
  dir="$(realpath -m "$1")"  # postgres resolves relative paths against its data folder
  mkdir -p "$dir/sock"
  chmod 0700 "$dir" "$dir/sock"
  local new_passwords=0
  if [ ! -s "$dir/pgpass" ]; then
    (
      umask 077
      printf '*:*:*:telerad:%s\n*:*:*:%s:%s\n' "$(random_password)" "$PG_APP_ROLE" \
        "$(random_password)" >"$dir/pgpass.new"
    )
    mv "$dir/pgpass.new" "$dir/pgpass"
    new_passwords=1
  fi
  chmod 0600 "$dir/pgpass"
  export PGPASSFILE="$dir/pgpass"
  # The server gets a file with its own role's line only: the superuser's password in
  # the full file would undo the least privilege of its role (scripts/run).
  (umask 077 && awk -F: -v r="$PG_APP_ROLE" '$4 == r' "$dir/pgpass" >"$dir/app.pgpass")
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster in $dir/data"
    (umask 077 && pg_password "$dir" telerad >"$dir/initdb.pw")
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/initdb.pw"; fi
    pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -A scram-sha-256 --pwfile="$dir/initdb.pw" \
      -U telerad -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$dir/initdb.pw"
    new_passwords=0
  fi
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    rm -f "$dir/sock/.s.PGSQL.$port.lock"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-k $dir/sock -p $port -c listen_addresses='' -c max_connections=200 \
          -c unix_socket_permissions=0700 -c password_encryption=scram-sha-256" start >/dev/null
  fi
  pg_secure "$dir" "$port" "$new_passwords"
}

# pg_sql DIR PORT SQL: runs SQL as the superuser in database postgres; prints the rows.
pg_sql() {
  psql -h "$1/sock" -p "$2" -U telerad -d postgres -v ON_ERROR_STOP=1 -qtAc "$3"
}

# pg_secure DIR PORT NEW_PASSWORDS: what an older cluster (initialised with `trust`) lacks:
# the superuser's password (when DIR/pgpass was just written), the application role, and
# a pg_hba.conf with scram-sha-256 for every line; reloads the configuration if it changed.
pg_secure() {
  local dir="$1" port="$2" new_passwords="$3"
  if [ "$new_passwords" = 1 ]; then
    log "upgrading $dir: passwords for its roles (in $dir/pgpass) and scram-sha-256 only"
    pg_sql "$dir" "$port" "ALTER ROLE telerad PASSWORD '$(pg_password "$dir" telerad)'" >/dev/null
  fi
  if [ -z "$(pg_sql "$dir" "$port" "SELECT 1 FROM pg_roles WHERE rolname = '$PG_APP_ROLE'")" ]; then
    pg_sql "$dir" "$port" "CREATE ROLE $PG_APP_ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
         PASSWORD '$(pg_password "$dir" "$PG_APP_ROLE")'" >/dev/null
  elif [ "$new_passwords" = 1 ]; then
    pg_sql "$dir" "$port" "ALTER ROLE $PG_APP_ROLE PASSWORD '$(pg_password "$dir" "$PG_APP_ROLE")'" >/dev/null
  fi
  local hba
  hba="$(printf '%s\n' \
    '# Written by scripts/lib/common.sh: a password (scram-sha-256) for every connection.' \
    'local all all scram-sha-256' \
    'host all all 127.0.0.1/32 scram-sha-256' \
    'host all all ::1/128 scram-sha-256')"
  if [ "$(cat "$dir/data/pg_hba.conf")" != "$hba" ]; then
    printf '%s\n' "$hba" >"$dir/data/pg_hba.conf"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/data/pg_hba.conf"; fi
    pg_sql "$dir" "$port" "SELECT pg_reload_conf()" >/dev/null
  fi
}

pg_stop() {
  local dir
  dir="$(realpath -m "$1")"
  [ -f "$dir/data/PG_VERSION" ] || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_ensure_db DIR PORT NAME: create database NAME if it does not exist.
pg_ensure_db() {
  local dir port="$2" name="$3"
  dir="$(realpath -m "$1")"
  if ! psql -h "$dir/sock" -p "$port" -U telerad -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql -h "$dir/sock" -p "$port" -U telerad -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

# pg_url DIR PORT NAME: conninfo of database NAME as the owner (migrations, seeding).
pg_url() { printf 'host=%s port=%s user=telerad dbname=%s' "$(realpath -m "$1")/sock" "$2" "$3"; }
# pg_app_url DIR PORT NAME: the same as the application role (telerad serve).
pg_app_url() {
  printf 'host=%s port=%s user=%s dbname=%s' "$(realpath -m "$1")/sock" "$2" "$PG_APP_ROLE" "$3"
}

# pg_test_env DIR PORT BUILD_DIR: the environment the integration tests read (harness.h).
pg_test_env() {
  local dir
  dir="$(realpath -m "$1")"
  export TELERAD_TEST_PG="host=$dir/sock port=$2 user=telerad"
  export TELERAD_TEST_PG_APP="host=$dir/sock port=$2 user=$PG_APP_ROLE"
  export TELERAD_TEST_PG_DIR="$dir"
  export TELERAD_TEST_BIN_DIR="$3"
  export TELERAD_TEST_SCHEMA_DIR="$TELERAD_ROOT/schema"
}
