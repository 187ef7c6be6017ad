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
  postgresql-15 postgresql-client-15 curl procps openssl
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

# pg_start DIR PORT: initialise the cluster in DIR on first use, then start it on a
# Unix socket in DIR/sock only (no TCP listener). Idempotent.
pg_start() {
  local dir port="$2"
  dir="$(realpath -m "$1")"  # postgres resolves relative paths against its data folder
  mkdir -p "$dir/sock"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster in $dir/data"
    pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -A trust -U telerad -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then return 0; fi
  rm -f "$dir/sock/.s.PGSQL.$port.lock"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-k $dir/sock -p $port -c listen_addresses='' -c max_connections=200" start >/dev/null
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

pg_url() { printf 'host=%s port=%s user=telerad dbname=%s' "$(realpath -m "$1")/sock" "$2" "$3"; }
