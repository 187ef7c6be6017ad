#!/usr/bin/env bash
# bench/worklist.sh: read-path benchmark (issue 4). telerad with WL_STUDIES studies in its
# index (default 1,000,000, bulk-loaded with COPY by telerad-bench-load), `wrk` with 4
# connections against the worklist's first page, a page deep into it (a real next_cursor,
# reached by following the pages) and one study; then Orthanc 1.10.1 (SQLite index, and the
# PostgreSQL index plugin) loaded with as many small studies as fit the time budget, asked
# the same questions through /tools/find and /studies/{id}, with telerad measured again at
# that same study count. Prints one table (copy in $BENCH_DIR/worklist-results.txt).
# See bench/README.md, "Worklist".
#
# Environment (all optional):
#   BENCH_ONLY      targets, default "telerad telerad-default orthanc-sqlite orthanc-pg"
#                   (telerad-default: the server's default settings, at WL_STUDIES only)
#   WL_STUDIES      studies in telerad's index, default 1000000
#   WL_SEED         data set of the loader, default 1
#   WL_DURATION     seconds per wrk run, default 20
#   WL_DEEP         how deep the deep page starts, rows, default 20000 (at most 80 % of
#                   the list of ready CT studies)
#   WL_HTTP_THREADS, WL_SESSION_CACHE   telerad's settings for the "telerad" rows,
#                   default 4 and 10 (the "telerad-default" rows use the defaults, 4 and 0)
#   ORTHANC_LOAD_SECONDS  time allowed per run to load more studies into Orthanc, default
#                   600; loaded studies are kept in $BENCH_DIR, so each run adds more
#   ORTHANC_MAX_STUDIES   stop loading Orthanc there, default WL_STUDIES
#   WL_ORTHANC_MAX_SECONDS  longest wrk run against Orthanc's /tools/find, default 180 (the
#                   runs last about four answers per connection, at least WL_DURATION)
#   BENCH_DIR       work folder, default var/bench
#   BUILD_DIR       where to build (Release), default build
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/bench_common.sh"
source "$(dirname "$0")/orthanc_common.sh"
cd "$TELERAD_ROOT"

BENCH_ONLY="${BENCH_ONLY:-telerad telerad-default orthanc-sqlite orthanc-pg}"
WL_STUDIES="${WL_STUDIES:-1000000}"
WL_SEED="${WL_SEED:-1}"
WL_DURATION="${WL_DURATION:-20}"
WL_DEEP="${WL_DEEP:-20000}"
WL_HTTP_THREADS="${WL_HTTP_THREADS:-4}"
WL_SESSION_CACHE="${WL_SESSION_CACHE:-10}"
ORTHANC_LOAD_SECONDS="${ORTHANC_LOAD_SECONDS:-600}"
ORTHANC_MAX_STUDIES="${ORTHANC_MAX_STUDIES:-$WL_STUDIES}"
WL_ORTHANC_MAX_SECONDS="${WL_ORTHANC_MAX_SECONDS:-180}"
BENCH_DIR="${BENCH_DIR:-$TELERAD_ROOT/var/bench}"
BUILD_DIR="${BUILD_DIR:-$TELERAD_ROOT/build}"

ORTHANC_BIN=/usr/sbin/Orthanc
PG_PORT=55492
TELERAD_HTTP=18048
TELERAD_DICOM=11308
declare -A ORTHANC_HTTP=([orthanc-sqlite]=18049 [orthanc-pg]=18050)
declare -A ORTHANC_DICOM=([orthanc-sqlite]=11309 [orthanc-pg]=11310)
WRK_CONNECTIONS=4
WRK_THREADS=2

for t in $BENCH_ONLY; do
  case "$t" in telerad | telerad-default | orthanc-sqlite | orthanc-pg) ;; *) die "unknown target '$t'" ;; esac
done
for v in WL_STUDIES WL_SEED WL_DURATION WL_DEEP WL_HTTP_THREADS WL_SESSION_CACHE \
  ORTHANC_LOAD_SECONDS ORTHANC_MAX_STUDIES WL_ORTHANC_MAX_SECONDS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer"
done
wants() { [[ " $BENCH_ONLY " == *" $1 "* ]]; }
wants_orthanc() { wants orthanc-sqlite || wants orthanc-pg; }
export PGOPTIONS="-c client_min_messages=warning"

mkdir -p "$BENCH_DIR"
BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
PG_DIR="$BENCH_DIR/worklist-pg"
RUNS="$BENCH_DIR/worklist-runs"
mkdir -p "$RUNS"

# ---------------------------------------------------------------- cleanup ----
SERVER_PIDS=()
PG_RUNNING=0
bench_cleanup_on_exit

# ------------------------------------------------------ packages and build ---
extra=(wrk jq)
wants_orthanc && extra+=(orthanc)
wants orthanc-pg && extra+=(orthanc-postgresql)
install_packages "${extra[@]}"
if wants_orthanc; then
  stop_orthanc_service
fi
ORTHANC_PG_PLUGIN=""
if wants orthanc-pg; then ORTHANC_PG_PLUGIN="$(orthanc_pg_plugin)"; fi
log "building (Release) in $BUILD_DIR"
build_telerad "$BUILD_DIR" Release
for b in telerad telerad-bench-load telerad-gen-dicom; do
  [ -x "$BUILD_DIR/$b" ] || die "$BUILD_DIR/$b was not built"
done
TELERAD_BIN="$BUILD_DIR/telerad"

for p in $TELERAD_HTTP $TELERAD_DICOM "${ORTHANC_HTTP[@]}" "${ORTHANC_DICOM[@]}"; do
  ! port_busy "$p" || die "port $p is already in use"
done

# ----------------------------------------------------------- PostgreSQL ------
pg_start "$PG_DIR" "$PG_PORT"
PG_RUNNING=1
PSQL=(psql -h "$PG_DIR/sock" -p "$PG_PORT" -U telerad -qAt)
db_url() { pg_url "$PG_DIR" "$PG_PORT" "$1"; }
recreate_db() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null
}

# telerad_db NAME N: a migrated, seeded database holding exactly N loader studies.
telerad_db() {
  local name="$1" n="$2" url have
  pg_ensure_db "$PG_DIR" "$PG_PORT" "$name"
  url="$(db_url "$name")"
  have="$("${PSQL[@]}" -d "$name" -c "SELECT count(*) FROM study" 2>/dev/null || echo 0)"
  if [ "$have" -gt "$n" ]; then
    log "$name holds $have studies, more than $n: starting it again"
    recreate_db "$name"
  fi
  TELERAD_DB_URL="$url" TELERAD_LOG_LEVEL=warn "$TELERAD_BIN" seed-demo >/dev/null 2>&1 ||
    die "telerad seed-demo on $name failed"
  # Studies already there count: a second run with the same N loads nothing.
  "$BUILD_DIR/telerad-bench-load" --db "$url" --studies "$n" --seed "$WL_SEED" \
    >"$RUNS/load-$name.log" 2>&1 || die "telerad-bench-load failed: $(tail -n 3 "$RUNS/load-$name.log")"
  log "$name: $(tail -n 1 "$RUNS/load-$name.log")"
}
log "telerad index: $WL_STUDIES studies (loads only what is missing)"
telerad_db telerad_bench "$WL_STUDIES"

# ------------------------------------------------------------- Orthanc -------
orthanc_dir() { echo "$BENCH_DIR/worklist-$1"; }
start_orthanc() {  # TARGET: start it on its kept storage; echoes nothing, sets LAST_PID
  local t="$1" dir plugins="[]" pg=""
  dir="$(orthanc_dir "$t")"
  mkdir -p "$dir/storage" "$dir/index"
  if [ "$t" = orthanc-pg ]; then
    pg_ensure_db "$PG_DIR" "$PG_PORT" orthanc_bench
    plugins="[ \"$ORTHANC_PG_PLUGIN\" ]"
    pg=", \"PostgreSQL\" : { \"EnableIndex\" : true, \"EnableStorage\" : false,
      \"Host\" : \"$PG_DIR/sock\", \"Port\" : $PG_PORT, \"Database\" : \"orthanc_bench\",
      \"Username\" : \"telerad\", \"Password\" : \"\", \"EnableSsl\" : false }"
  fi
  # Orthanc's defaults, but for ports and folders, and no fsync of each stored file: that
  # only speeds up loading, it does not change how /tools/find answers.
  cat >"$dir/orthanc.json" <<JSON
{
  "Name" : "worklist-$t", "StorageDirectory" : "$dir/storage", "IndexDirectory" : "$dir/index",
  "DicomAet" : "ORTHANC", "DicomPort" : ${ORTHANC_DICOM[$t]}, "HttpPort" : ${ORTHANC_HTTP[$t]},
  "RemoteAccessAllowed" : false, "AuthenticationEnabled" : false,
  "DicomAlwaysAllowStore" : true, "DicomCheckCalledAet" : false, "SyncStorageArea" : false,
  "Plugins" : $plugins $pg
}
JSON
  TCP_NODELAY=1 "$ORTHANC_BIN" "$dir/orthanc.json" >>"$dir/server.log" 2>&1 &
  LAST_PID=$!
  SERVER_PIDS+=("$LAST_PID")
  local i
  for ((i = 0; i < 600; i++)); do
    curl -fs "http://127.0.0.1:${ORTHANC_HTTP[$t]}/system" >/dev/null 2>&1 && return 0
    kill -0 "$LAST_PID" 2>/dev/null || die "$t exited during start-up (see $dir/server.log)"
    sleep 0.2
  done
  die "$t not ready after 120 s"
}
orthanc_studies() {
  curl -fs "http://127.0.0.1:${ORTHANC_HTTP[$1]}/statistics" | jq -r .CountStudies
}

ORTHANC_TARGETS=()
for t in orthanc-sqlite orthanc-pg; do wants "$t" && ORTHANC_TARGETS+=("$t"); done
N_ORTHANC=0
if [ ${#ORTHANC_TARGETS[@]} -gt 0 ]; then
  declare -A OPID=()
  for t in "${ORTHANC_TARGETS[@]}"; do
    start_orthanc "$t"
    OPID[$t]=$LAST_PID
  done
  min_count() {
    local m="" c t
    for t in "${ORTHANC_TARGETS[@]}"; do
      c="$(orthanc_studies "$t")"
      if [ -z "$m" ] || [ "$c" -lt "$m" ]; then m="$c"; fi
    done
    echo "$m"
  }
  # Blocks of 20 patients x 100 studies (85 CT, 15 CR; one 8x8 image each, Mongolian
  # names in ISO_IR 192), each block sent to every Orthanc, two associations each, until
  # the time budget is spent. UIDs follow the generator's seed, so a block sent again
  # after an interruption is a repeat Orthanc ignores.
  GEN_DIR="$BENCH_DIR/worklist-gen"
  start_s=$SECONDS
  count="$(min_count)"
  log "Orthanc holds $count studies; loading up to $ORTHANC_MAX_STUDIES for at most ${ORTHANC_LOAD_SECONDS}s"
  while [ "$count" -lt "$ORTHANC_MAX_STUDIES" ] && [ $((SECONDS - start_s)) -lt "$ORTHANC_LOAD_SECONDS" ]; do
    rm -rf "$GEN_DIR"
    first_chunk=$((count / 100))
    for ((k = first_chunk; k < first_chunk + 20; k++)); do
      seed=$((100000 + k))
      "$BUILD_DIR/telerad-gen-dicom" --out "$GEN_DIR/$k/ct" --modality CT --studies 85 --instances 1 \
        --rows 8 --cols 8 --seed "$seed" --charset ISO_IR_192 --patient-name "Батболд^Өлзийбаяр" \
        --sex M >/dev/null
      "$BUILD_DIR/telerad-gen-dicom" --out "$GEN_DIR/$k/cr" --modality CR --studies 15 --instances 1 \
        --rows 8 --cols 8 --seed "$seed" --charset ISO_IR_192 --patient-name "Батболд^Өлзийбаяр" \
        --sex M >/dev/null
    done
    find "$GEN_DIR" -name '*.dcm' | sort >"$GEN_DIR/all.txt"
    split -n l/2 "$GEN_DIR/all.txt" "$GEN_DIR/part."
    pids=()
    for t in "${ORTHANC_TARGETS[@]}"; do
      for part in "$GEN_DIR"/part.*; do
        xargs -a "$part" env TCP_NODELAY=1 storescu -aet DEMO_SCU -aec ORTHANC 127.0.0.1 \
          "${ORTHANC_DICOM[$t]}" >>"$RUNS/orthanc-load-$t.log" 2>&1 &
        pids+=($!)
      done
    done
    for p in "${pids[@]}"; do wait "$p" || die "storescu failed (see $RUNS/orthanc-load-*.log)"; done
    count="$(min_count)"
    printf '\r[telerad] Orthanc: %d studies (%d s)' "$count" $((SECONDS - start_s)) >&2
  done
  echo >&2
  rm -rf "$GEN_DIR"
  N_ORTHANC="$(min_count)"
  for t in "${ORTHANC_TARGETS[@]}"; do
    log "$t: $(orthanc_studies "$t") studies"
    stop_pid "${OPID[$t]}"
    forget_pid "${OPID[$t]}"
  done
  [ "$N_ORTHANC" -gt 0 ] || die "Orthanc holds no study"
  if [ "$N_ORTHANC" -lt "$WL_STUDIES" ] && wants telerad; then
    log "telerad index for the comparison: $N_ORTHANC studies"
    telerad_db telerad_bench_cmp "$N_ORTHANC"
  fi
fi

# ------------------------------------------------------------------ runs -----
RESULTS=()  # "target|studies|label|url|rps|p50_ms|p99_ms|errors|load|seconds|requests"
RUN_DURATION="$WL_DURATION"
# wrk_run TARGET STUDIES LABEL URL [wrk args...]: one measured run, appended to RESULTS.
wrk_run() {
  local t="$1" n="$2" label="$3" url="$4" out load
  shift 4
  out="$RUNS/wrk-$t-$n-$label.txt"
  # Two unmeasured seconds first: the server opens its database connections and prepares
  # its statements on first use, which is start-up, not steady state. (Not for slow
  # Orthanc questions: wrk would leave requests running in Orthanc when it stops.)
  if [ "$RUN_DURATION" = "$WL_DURATION" ]; then
    wrk -c"$WRK_CONNECTIONS" -t"$WRK_THREADS" -d2s --timeout 60s "$@" "$url" >/dev/null 2>&1 || true
  fi
  load="$(cut -d' ' -f1 /proc/loadavg)"
  # --timeout: Orthanc answers slowly with many studies; a slow answer is a measurement,
  # not an error.
  wrk -c"$WRK_CONNECTIONS" -t"$WRK_THREADS" -d"${RUN_DURATION}s" --latency --timeout 120s "$@" \
    "$url" >"$out" 2>&1 || true
  wrk_parse "$out"
  RESULTS+=("$t|$n|$label|$url|$WRK_RPS|$WRK_P50_MS|$WRK_P99_MS|$WRK_ERRORS|$load|$RUN_DURATION|$WRK_REQUESTS")
  log "$t @$n $label: $WRK_RPS req/s, p50 ${WRK_P50_MS} ms, p99 ${WRK_P99_MS} ms, errors $WRK_ERRORS, load $load"
}

declare -A DEEP_AT=()  # per study count: the deep page's depth, shared by telerad and Orthanc

# bench_telerad TARGET DB STUDIES THREADS CACHE
bench_telerad() {
  local t="$1" db="$2" n="$3" threads="$4" cache="$5" dir base token path cursor depth=0 want uid
  dir="$RUNS/$t-$n"
  mkdir -p "$dir/storage"
  env TELERAD_DB_URL="$(pg_app_url "$PG_DIR" "$PG_PORT" "$db")" TELERAD_STORAGE="$dir/storage" \
    TELERAD_DICOM_PORT=$TELERAD_DICOM TELERAD_HTTP_PORT=$TELERAD_HTTP TELERAD_HTTP_BIND=127.0.0.1 \
    TELERAD_LOG_LEVEL=warn TELERAD_HTTP_THREADS="$threads" TELERAD_SESSION_CACHE="$cache" \
    "$TELERAD_BIN" serve >"$dir/server.log" 2>&1 &
  local pid=$!
  SERVER_PIDS+=("$pid")
  local i
  for ((i = 0; i < 300; i++)); do
    curl -fs "http://127.0.0.1:$TELERAD_HTTP/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || die "telerad exited during start-up (see $dir/server.log)"
    sleep 0.2
  done
  base="http://127.0.0.1:$TELERAD_HTTP/api/v1"
  token="$(curl -fs -X POST "$base/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"rad1","password":"telerad-demo"}' | jq -r .token)"
  [ -n "$token" ] && [ "$token" != null ] || die "login as rad1 failed"
  local auth=(-H "Authorization: Bearer $token")
  # The deep page: follow next_cursor 50 rows at a time, WL_DEEP rows deep or 80 % of the
  # list of ready CT studies, whichever comes first.
  local total
  total="$("${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM study WHERE status = 'ready' AND modality_class = 'CT'")"
  want=$((WL_DEEP < total * 8 / 10 ? WL_DEEP : total * 8 / 10))
  want=$((want / 50 * 50))
  path="/worklist?status=ready&modality=CT&limit=50"
  cursor=""
  while [ "$depth" -lt "$want" ]; do
    cursor="$(curl -fs "${auth[@]}" "$base$path" | jq -r .next_cursor)"
    [ "$cursor" != null ] || break
    depth=$((depth + 50))
    path="/worklist?status=ready&modality=CT&limit=50&cursor=$cursor"
  done
  DEEP_AT[$n]=$depth
  local deep_url="$base/worklist?status=ready&modality=CT&limit=50"
  [ -n "$cursor" ] && [ "$cursor" != null ] && deep_url+="&cursor=$cursor"
  uid="$(curl -fs "${auth[@]}" "$deep_url" | jq -r '.items[0].study_uid')"
  [ -n "$uid" ] && [ "$uid" != null ] || die "no study on the deep page"
  echo "ready CT studies: $total; deep page starts $depth rows in; study: $uid" >"$dir/setup.txt"
  wrk_run "$t" "$n" first-page "$base/worklist?status=ready&modality=CT&limit=50" "${auth[@]}"
  wrk_run "$t" "$n" "deep-page@$depth" "$deep_url" "${auth[@]}"
  wrk_run "$t" "$n" study "$base/studies/$uid" "${auth[@]}"
  stop_pid "$pid"
  forget_pid "$pid"
}

# orthanc_run TARGET STUDIES LABEL URL LUA: one /tools/find run. A find can take seconds
# with many studies, so the run lasts long enough for about four answers per connection
# (at least WL_DURATION, at most WL_ORTHANC_MAX_SECONDS), and afterwards waits for the
# answers still being computed, so they do not slow the next run down.
orthanc_run() {
  local t="$1" n="$2" label="$3" url="$4" lua="$RUNS/$5.lua" one body
  body="$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$lua")"
  one="$(curl -fs -o /dev/null -w '%{time_total}' -X POST "$url" -H 'Content-Type: application/json' \
    -d "$body" || echo 0)"
  RUN_DURATION=$(awk -v l="$one" -v min="$WL_DURATION" -v max="$WL_ORTHANC_MAX_SECONDS" \
    'BEGIN { d = int(l * 4 * 4) + 1; if (d < min) d = min; if (d > max) d = max; print d }')
  wrk_run "$t" "$n" "$label" "$url" -s "$lua"
  RUN_DURATION="$WL_DURATION"
  sleep "$(awk -v l="$one" 'BEGIN { print int(l * 4) + 1 }')"
}

# bench_orthanc TARGET STUDIES: /tools/find for the first 50 CT studies, the same from
# the telerad deep page's depth ("Since"), one study by its StudyInstanceUID, and
# GET /studies/{id} of that study.
bench_orthanc() {
  local t="$1" n="$2" base lua since id uid
  start_orthanc "$t"
  local pid=$LAST_PID
  base="http://127.0.0.1:${ORTHANC_HTTP[$t]}"
  since="${DEEP_AT[$n]:-$((n / 2 * 85 / 100 / 50 * 50))}"
  for what in first deep; do
    lua="$RUNS/find-$what.lua"
    local body='{"Level":"Study","Query":{"ModalitiesInStudy":"CT"},"Limit":50,"Expand":true}'
    # Orthanc 1.10 applies "Limit" before "Since" when a constraint (ModalitiesInStudy) is
    # checked after its database lookup: {"Since": 3150, "Limit": 50} answers nothing
    # (measured). Rows D..D+49 need "Limit": D + 50.
    [ "$what" = deep ] && body="{\"Level\":\"Study\",\"Query\":{\"ModalitiesInStudy\":\"CT\"},\"Limit\":$((since + 50)),\"Since\":$since,\"Expand\":true}"
    printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
      "'$body'" >"$lua"
  done
  id="$(curl -fs -X POST "$base/tools/find" -d "{\"Level\":\"Study\",\"Query\":{\"ModalitiesInStudy\":\"CT\"},\"Limit\":$((since + 1)),\"Since\":$since}" | jq -r '.[0]')"
  [ -n "$id" ] && [ "$id" != null ] || die "$t: no study found at depth $since"
  uid="$(curl -fs "$base/studies/$id" | jq -r .MainDicomTags.StudyInstanceUID)"
  printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
    "'{\"Level\":\"Study\",\"Query\":{\"StudyInstanceUID\":\"$uid\"},\"Expand\":true}'" \
    >"$RUNS/find-study.lua"
  orthanc_run "$t" "$n" first-page "$base/tools/find" find-first
  orthanc_run "$t" "$n" "deep-page@$since" "$base/tools/find" find-deep
  orthanc_run "$t" "$n" study "$base/tools/find" find-study
  # Not the same question (the client must already know Orthanc's own id), for reference.
  wrk_run "$t" "$n" study-by-orthanc-id "$base/studies/$id"
  stop_pid "$pid"
  forget_pid "$pid"
}

LOAD_BEFORE="$(uptime)"
if wants telerad; then
  bench_telerad telerad telerad_bench "$WL_STUDIES" "$WL_HTTP_THREADS" "$WL_SESSION_CACHE"
fi
if wants telerad-default; then
  bench_telerad telerad-default telerad_bench "$WL_STUDIES" 4 0
fi
if [ "$N_ORTHANC" -gt 0 ]; then
  if wants telerad && [ "$N_ORTHANC" -lt "$WL_STUDIES" ]; then
    bench_telerad telerad telerad_bench_cmp "$N_ORTHANC" "$WL_HTTP_THREADS" "$WL_SESSION_CACHE"
  fi
  for t in "${ORTHANC_TARGETS[@]}"; do bench_orthanc "$t" "$N_ORTHANC"; done
fi
LOAD_AFTER="$(uptime)"

# ----------------------------------------------------------------- table -----
# Targets: p99 < 20 ms and >= 2,000 req/s for each telerad row; >= 5x the req/s of each
# Orthanc row with the same study count and question.
kind() { echo "${1%%@*}"; }
{
  echo "worklist benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; wrk -c$WRK_CONNECTIONS -t$WRK_THREADS -d${WL_DURATION}s --latency"
  echo "telerad rows: http_threads=$WL_HTTP_THREADS session_cache=$WL_SESSION_CACHE; telerad-default rows: http_threads=4 session_cache=0 (the defaults)"
  echo "load before: $LOAD_BEFORE"
  echo "load after:  $LOAD_AFTER"
  [ "$N_ORTHANC" -gt 0 ] && [ "$N_ORTHANC" -lt "$WL_STUDIES" ] &&
    echo "Orthanc held $N_ORTHANC studies (all it could be loaded with in this and earlier runs' time budgets); telerad is measured again at that count"
  printf '%-16s %8s  %-22s %9s %8s %8s %6s %5s %5s  %s\n' target studies question req/s p50_ms p99_ms answers secs load "targets"
  for r in "${RESULTS[@]}"; do
    IFS='|' read -r t n label url rps p50 p99 errors load secs requests <<<"$r"
    verdict=""
    if [[ "$t" == telerad* ]]; then
      ok_p99=$(awk -v a="$p99" 'BEGIN { print (a != "?" && a < 20) ? "met" : "MISSED" }')
      ok_rps=$(awk -v a="$rps" 'BEGIN { print (a >= 2000) ? "met" : "MISSED" }')
      verdict="p99<20ms $ok_p99; >=2000/s $ok_rps"
      for o in "${RESULTS[@]}"; do
        IFS='|' read -r ot on olabel _ orps _ _ oerrors _ osecs _ <<<"$o"
        if [[ "$ot" == orthanc* ]] && [ "$on" = "$n" ] && [ "$(kind "$olabel")" = "$(kind "$label")" ] &&
          [ "$t" = telerad ] && [ "$oerrors" != 0 ]; then
          verdict+="; $ot gave no answer in ${osecs}s (no ratio)"
        elif [[ "$ot" == orthanc* ]] && [ "$on" = "$n" ] && [ "$(kind "$olabel")" = "$(kind "$label")" ] &&
          [ "$t" = telerad ]; then
          ratio=$(awk -v a="$rps" -v b="$orps" 'BEGIN { if (b > 0) printf "%.0f", a / b; else print "inf" }')
          ok=$(awk -v a="$rps" -v b="$orps" 'BEGIN { print (a >= 5 * b) ? "met" : "MISSED" }')
          verdict+="; ${ratio}x $ot ($ok)"
        fi
      done
    fi
    [ "$errors" = 0 ] || verdict="INVALID (errors: $errors) $verdict"
    printf '%-16s %8s  %-22s %9s %8s %8s %6s %5s %5s  %s\n' "$t" "$n" "$label" "$rps" "$p50" "$p99" "$requests" "$secs" "$load" "$verdict"
  done
  echo "questions: first-page = GET /api/v1/worklist?status=ready&modality=CT&limit=50 (telerad) and"
  echo "  POST /tools/find {Level Study, ModalitiesInStudy CT, Limit 50, Expand} (Orthanc: it has no"
  echo "  reading status, so it answers the closest question); deep-page@D = the same D rows into the"
  echo "  list (telerad: a next_cursor reached by following the pages; Orthanc: \"Since\": D with"
  echo "  \"Limit\": D + 50, which Orthanc 1.10 needs to answer those rows);"
  echo "  study = GET /api/v1/studies/{uid} (with its series) and /tools/find by StudyInstanceUID"
  echo "  (Expand); study-by-orthanc-id = Orthanc's GET /studies/{id}, no telerad equivalent."
} | tee "$BENCH_DIR/worklist-results.txt"
