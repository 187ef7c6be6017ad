#!/usr/bin/env bash
# bench/ingest.sh: C-STORE ingest benchmark. telerad against DCMTK's dcmrecv and
# storescp, and against Orthanc (SQLite index, PostgreSQL index). Everything runs on
# 127.0.0.1. Each run starts the target fresh and sends the whole data set with storescu
# (1 association, or 4 in parallel), checks the instance count and stops the target.
# The script prints one table, and a copy goes to $BENCH_DIR/results.txt.
# See bench/README.md.
#
# Environment (all optional):
#   BENCH_ONLY     targets, default "dcmrecv storescp orthanc-sqlite orthanc-pg telerad"
#   BENCH_MODES    associations per run, default "1 4"
#   REPS           repetitions per target and mode, default 3; the table shows the median
#   BENCH_DIR      work folder, default var/bench (data set, runs, PG clusters, logs)
#   BENCH_CT       CT studies x slices (512x512), default 10x100
#   BENCH_XR       CR and DX studies x images (2000x2500 each), default 5x5
#   BENCH_MAX_PDU  max receive PDU for every target (default: each target's own default)
#   BENCH_TIMEOUT  seconds allowed per storescu, default 900
#   BENCH_SCP_NODELAY  1 (default): TCP_NODELAY=1 in every target's environment too (DCMTK
#                  reads it on accept; dcmrecv, storescp and Orthanc use DCMTK's acceptor).
#                  0: unset for the targets (each one's out-of-the-box behaviour).
#   GEN            generator binary, default build/telerad-gen-dicom (built here if unusable)
#   TELERAD_BIN    default build/telerad
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/bench_common.sh"
source "$(dirname "$0")/orthanc_common.sh"
cd "$TELERAD_ROOT"

BENCH_ONLY="${BENCH_ONLY:-dcmrecv storescp orthanc-sqlite orthanc-pg telerad}"
BENCH_MODES="${BENCH_MODES:-1 4}"
REPS="${REPS:-3}"
BENCH_DIR="${BENCH_DIR:-$TELERAD_ROOT/var/bench}"
BENCH_CT="${BENCH_CT:-10x100}"
BENCH_XR="${BENCH_XR:-5x5}"
BENCH_MAX_PDU="${BENCH_MAX_PDU:-}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-900}"
BENCH_SCP_NODELAY="${BENCH_SCP_NODELAY:-1}"
GEN="${GEN:-$TELERAD_ROOT/build/telerad-gen-dicom}"
TELERAD_BIN="${TELERAD_BIN:-$TELERAD_ROOT/build/telerad}"

CALLING_AE=DEMO_SCU
ORTHANC_BIN=/usr/sbin/Orthanc
# Ports: DICOM / HTTP per target; PostgreSQL clusters (Unix socket only).
declare -A DICOM_PORT=([dcmrecv]=11301 [storescp]=11302 [orthanc-sqlite]=11303 [orthanc-pg]=11304 [telerad]=11305)
declare -A HTTP_PORT=([orthanc-sqlite]=18043 [orthanc-pg]=18044 [telerad]=18045)
declare -A CALLED_AE=([dcmrecv]=DCMRECV [storescp]=STORESCP [orthanc-sqlite]=ORTHANC [orthanc-pg]=ORTHANC [telerad]=TELERAD)
PG_TELERAD_PORT=55490
PG_ORTHANC_PORT=55491

[[ "$BENCH_SCP_NODELAY" =~ ^[01]$ ]] || die "BENCH_SCP_NODELAY must be 0 or 1"
# The senders always get TCP_NODELAY=1 (set per command); the targets per BENCH_SCP_NODELAY,
# through this environment, which every target inherits.
if [ "$BENCH_SCP_NODELAY" = 1 ]; then export TCP_NODELAY=1; else unset TCP_NODELAY; fi
export PGOPTIONS="-c client_min_messages=warning"
for t in $BENCH_ONLY; do
  [ -n "${DICOM_PORT[$t]:-}" ] || die "unknown target '$t' in BENCH_ONLY"
done
for m in $BENCH_MODES; do [[ "$m" =~ ^[1-9][0-9]?$ ]] || die "bad BENCH_MODES entry '$m'"; done
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer"
[[ "$BENCH_CT" =~ ^[0-9]+x[0-9]+$ && "$BENCH_XR" =~ ^[0-9]+x[0-9]+$ ]] || die "BENCH_CT/BENCH_XR: NxM"
wants() { [[ " $BENCH_ONLY " == *" $1 "* ]]; }

mkdir -p "$BENCH_DIR"
BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
DATA="$BENCH_DIR/data"
RUNS="$BENCH_DIR/runs"
PG_ROOT="$BENCH_DIR/pg"

# ---------------------------------------------------------------- cleanup ----
SERVER_PID=""
SENDER_PIDS=()
PG_STARTED=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for p in "${SENDER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$SERVER_PID" ] && stop_pid "$SERVER_PID"
  for d in "${PG_STARTED[@]}"; do pg_stop "$d"; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- packages ---
need=(dcmtk curl)
if wants orthanc-sqlite || wants orthanc-pg; then need+=(orthanc); fi
if wants orthanc-pg; then need+=(orthanc-postgresql); fi
if wants orthanc-pg || wants telerad; then need+=(postgresql-15 postgresql-client-15); fi
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
# The orthanc package installs a system service; we run our own processes only.
if [[ " ${need[*]} " == *" orthanc "* ]]; then
  stop_orthanc_service
fi
ORTHANC_PG_PLUGIN=""
if wants orthanc-pg; then ORTHANC_PG_PLUGIN="$(orthanc_pg_plugin)"; fi
if wants telerad; then
  [ -x "$TELERAD_BIN" ] || die "$TELERAD_BIN not found (build it, or set TELERAD_BIN, or leave telerad out of BENCH_ONLY)"
fi

# dcmrecv accepts only Verification without a profile; the dcmtk package ships this one.
DCMRECV_CFG=/etc/dcmtk/storescp.cfg
if wants dcmrecv; then [ -f "$DCMRECV_CFG" ] || die "$DCMRECV_CFG missing (package dcmtk)"; fi

# ------------------------------------------------------------- port checks ---
for t in $BENCH_ONLY; do
  for p in "${DICOM_PORT[$t]}" "${HTTP_PORT[$t]:-}"; do
    [ -z "$p" ] || ! port_busy "$p" || die "port $p (for $t) is already in use"
  done
done

# ---------------------------------------------------------------- data set ---
if ! "$GEN" --help >/dev/null 2>&1; then
  GEN="$BENCH_DIR/telerad-gen-dicom"
  if [ ! -x "$GEN" ] || [ "$GEN" -ot "$TELERAD_ROOT/tests/tools/gen_dicom.cpp" ]; then
    log "building the generator into $GEN"
    command -v g++ >/dev/null || die "g++ missing (apt-get install g++ libdcmtk-dev), or set GEN"
    g++ -std=c++17 -O2 "$TELERAD_ROOT/tests/tools/gen_dicom.cpp" -o "$GEN" \
      -ldcmdata -loflog -lofstd -lpthread
  fi
fi
SPEC="v1 ct=$BENCH_CT xr=$BENCH_XR"
if [ "$(cat "$BENCH_DIR/data.spec" 2>/dev/null)" != "$SPEC" ]; then
  log "generating the data set into $DATA ($SPEC)"
  rm -rf "$DATA" "$BENCH_DIR/data.spec"
  "$GEN" --out "$DATA/ct" --modality CT --studies "${BENCH_CT%x*}" --instances "${BENCH_CT#*x}" \
    --seed 1 >/dev/null
  if [ "${BENCH_XR%x*}" -gt 0 ] && [ "${BENCH_XR#*x}" -gt 0 ]; then
    for m in CR DX; do
      "$GEN" --out "$DATA/${m,,}" --modality "$m" --studies "${BENCH_XR%x*}" \
        --instances "${BENCH_XR#*x}" --rows 2500 --cols 2000 --seed 2 >/dev/null
    done
  fi
  echo "$SPEC" >"$BENCH_DIR/data.spec"
fi
N_FILES=$(find "$DATA" -name '*.dcm' -type f | wc -l)
N_BYTES=$(find "$DATA" -name '*.dcm' -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
[ "$N_FILES" -gt 0 ] || die "no files in $DATA"
# Read it once so every run starts with the source files in the page cache.
find "$DATA" -name '*.dcm' -type f -exec cat {} + >/dev/null
# Parallel mode: split into equal subsets, largest files dealt round-robin (equal bytes).
PARTS="$BENCH_DIR/parts"
rm -rf "$PARTS" && mkdir -p "$PARTS"
for m in $BENCH_MODES; do
  find "$DATA" -name '*.dcm' -type f -printf '%s %p\n' | sort -k1,1nr -k2,2 |
    awk -v n="$m" -v d="$PARTS" '{ print $2 > (d "/m" n "_p" ((NR - 1) % n) ".txt") }'
done

# ------------------------------------------------------------ fsync cost -----
# 1 MiB write + fsync + rename + directory fsync, 20 times, in $BENCH_DIR (perl-base only).
fsync_cost() {
  local d="$BENCH_DIR/fsync-probe"
  mkdir -p "$d"
  perl -MTime::HiRes=time -MIO::Handle -MFcntl -e '
    my $d = shift; my $buf = "x" x 1048576; my @t;
    for my $i (1 .. 20) {
      my $t0 = time;
      sysopen(my $f, "$d/tmp", O_WRONLY | O_CREAT | O_TRUNC) or die "open: $!";
      syswrite($f, $buf) == 1048576 or die "write: $!";
      $f->sync or die "fsync: $!";
      close $f;
      rename("$d/tmp", "$d/final") or die "rename: $!";
      opendir(my $dh, $d) or die "opendir: $!";
      sysopen(my $dfh, $d, O_RDONLY) or die "open dir: $!";
      $dfh->sync or die "dir fsync: $!";
      close $dfh; closedir $dh;
      push @t, (time - $t0) * 1000;
    }
    @t = sort { $a <=> $b } @t;
    printf "%.2f ms median, %.2f ms max (20 x 1 MiB write+fsync+rename+dir fsync)", $t[10], $t[-1];
  ' "$d" 2>/dev/null || echo "skipped (probe failed)"
  rm -rf "$d"
}

# --------------------------------------------------------------- targets -----
# start_<target> RUN_DIR: starts the server in the background, sets SERVER_PID, returns
# once it accepts associations. count_<target> RUN_DIR prints the stored instance count.
wait_ready() {  # wait_ready NAME CMD...: polls CMD for up to 60 s while the server lives
  local name="$1" i
  shift
  for ((i = 0; i < 300; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || die "$name exited during start-up (see its log in $RUN_DIR)"
    sleep 0.2
  done
  die "$name not ready after 60 s (see its log in $RUN_DIR)"
}
echo_ok() { echoscu -aet "$CALLING_AE" -aec "$2" -to 2 127.0.0.1 "$1"; }
pdu_args() { [ -z "$BENCH_MAX_PDU" ] || echo "-pdu $BENCH_MAX_PDU"; }

start_dcmrecv() {
  mkdir -p "$1/files"
  # shellcheck disable=SC2046
  dcmrecv -aet DCMRECV $(pdu_args) --config-file "$DCMRECV_CFG" Default --output-directory "$1/files" --bit-preserving \
    --filename-extension .dcm "${DICOM_PORT[dcmrecv]}" >"$1/server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready dcmrecv echo_ok "${DICOM_PORT[dcmrecv]}" DCMRECV
}
count_dcmrecv() { find "$1/files" -type f | wc -l; }

start_storescp() {
  mkdir -p "$1/files"
  # shellcheck disable=SC2046
  storescp --fork -aet STORESCP $(pdu_args) --output-directory "$1/files" --bit-preserving \
    "${DICOM_PORT[storescp]}" >"$1/server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready storescp echo_ok "${DICOM_PORT[storescp]}" STORESCP
}
count_storescp() { find "$1/files" -type f | wc -l; }

# orthanc_config RUN_DIR TARGET: a config with Orthanc's defaults except ports, folders,
# the plugin and (optionally) the PDU size.
orthanc_config() {
  local dir="$1" t="$2" plugins="[]" pg="" pdu=""
  [ -z "$BENCH_MAX_PDU" ] || pdu="\"MaximumPduLength\" : $BENCH_MAX_PDU,"
  if [ "$t" = orthanc-pg ]; then
    plugins="[ \"$ORTHANC_PG_PLUGIN\" ]"
    pg=",
  \"PostgreSQL\" : {
    \"EnableIndex\" : true,
    \"EnableStorage\" : false,
    \"Host\" : \"$PG_ROOT/orthanc/sock\",
    \"Port\" : $PG_ORTHANC_PORT,
    \"Database\" : \"orthanc_bench\",
    \"Username\" : \"telerad\",
    \"Password\" : \"\",
    \"EnableSsl\" : false
  }"
  fi
  cat >"$dir/orthanc.json" <<JSON
{
  "Name" : "bench-$t",
  "StorageDirectory" : "$dir/storage",
  "IndexDirectory" : "$dir/index",
  "DicomAet" : "ORTHANC",
  "DicomPort" : ${DICOM_PORT[$t]},
  "HttpPort" : ${HTTP_PORT[$t]},
  "RemoteAccessAllowed" : false,
  "AuthenticationEnabled" : false,
  "DicomAlwaysAllowStore" : true,
  "DicomCheckCalledAet" : false,
  $pdu
  "Plugins" : $plugins$pg
}
JSON
}
start_orthanc() {  # start_orthanc RUN_DIR TARGET
  local dir="$1" t="$2"
  mkdir -p "$dir/storage" "$dir/index"
  orthanc_config "$dir" "$t"
  "$ORTHANC_BIN" "$dir/orthanc.json" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready "$t" curl -fs "http://127.0.0.1:${HTTP_PORT[$t]}/system"
  wait_ready "$t" echo_ok "${DICOM_PORT[$t]}" ORTHANC
}
count_orthanc() {  # count_orthanc TARGET
  curl -fs "http://127.0.0.1:${HTTP_PORT[$1]}/statistics" |
    sed -n 's/.*"CountInstances"[[:space:]]*:[[:space:]]*\([0-9]*\).*/\1/p' | head -1
}
start_orthanc-sqlite() { start_orthanc "$1" orthanc-sqlite; }
count_orthanc-sqlite() { count_orthanc orthanc-sqlite; }
start_orthanc-pg() {
  pg_recreate_db "$PG_ROOT/orthanc" "$PG_ORTHANC_PORT" orthanc_bench
  start_orthanc "$1" orthanc-pg
}
count_orthanc-pg() { count_orthanc orthanc-pg; }

TELERAD_URL=""
start_telerad() {
  local dir="$1"
  mkdir -p "$dir/storage"
  pg_recreate_db "$PG_ROOT/telerad" "$PG_TELERAD_PORT" telerad_bench
  TELERAD_URL="$(pg_url "$PG_ROOT/telerad" "$PG_TELERAD_PORT" telerad_bench)"
  local tenv=(TELERAD_DB_URL="$TELERAD_URL" TELERAD_STORAGE="$dir/storage"
    TELERAD_DICOM_PORT="${DICOM_PORT[telerad]}" TELERAD_HTTP_PORT="${HTTP_PORT[telerad]}"
    TELERAD_HTTP_BIND=127.0.0.1 TELERAD_LOG_LEVEL=warn TELERAD_METRICS_TOKEN="$SCRAPE_TOKEN")
  [ -z "$BENCH_MAX_PDU" ] || tenv+=(TELERAD_DICOM_MAX_PDU="$BENCH_MAX_PDU")
  env "${tenv[@]}" "$TELERAD_BIN" migrate >"$dir/migrate.log" 2>&1 ||
    die "telerad migrate failed: $(tail -n 5 "$dir/migrate.log")"
  env "${tenv[@]}" "$TELERAD_BIN" seed-demo >"$dir/seed.log" 2>&1 ||
    die "telerad seed-demo failed: $(tail -n 5 "$dir/seed.log")"
  # A simple command, so $! is telerad itself (env execs it): VmHWM and SIGTERM hit it.
  # The server runs as the application role (README, "Database roles").
  env "${tenv[@]}" TELERAD_DB_URL="$(pg_app_url "$PG_ROOT/telerad" "$PG_TELERAD_PORT" telerad_bench)" \
    "$TELERAD_BIN" serve >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready telerad curl -fs "http://127.0.0.1:${HTTP_PORT[telerad]}/readyz"
}
count_telerad() { psql "$TELERAD_URL" -tAc 'SELECT count(*) FROM instance'; }
# After a telerad run: where each new instance's time went (telerad's own stage counters,
# README "Metrics"), as "stage=mean_ms ..." in $RUN_DIR/stages.txt.
SCRAPE_TOKEN="bench-scrape-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
after_telerad() {
  curl -fs -H "Authorization: Bearer $SCRAPE_TOKEN" "http://127.0.0.1:${HTTP_PORT[telerad]}/metrics" |
    awk '/^telerad_dicom_store_timed_total / { n = $2 }
      /^telerad_dicom_store_stage_seconds_total\{/ {
        match($0, /stage="[a-z_]+"/); st = substr($0, RSTART + 7, RLENGTH - 8); sec[st] = $2 }
      END { if (n > 0) for (s in sec) printf "%s=%.3f\n", s, sec[s] * 1000 / n }' \
      >"$RUN_DIR/stages.txt" || true
}

pg_recreate_db() {  # DIR PORT NAME: a fresh, empty database
  psql -h "$1/sock" -p "$2" -U telerad -d postgres -qc "DROP DATABASE IF EXISTS \"$3\" WITH (FORCE)" >/dev/null
  psql -h "$1/sock" -p "$2" -U telerad -d postgres -qc "CREATE DATABASE \"$3\"" >/dev/null
}

# ------------------------------------------------------------------- runs ----
# send MODE LOGDIR: storescu; 1 association on the folder, or MODE in parallel on equal
# file subsets. Returns non-zero if any storescu failed.
send() {
  local mode="$1" logdir="$2" t="$3" rc=0 k p
  local common=(-aet "$CALLING_AE" -aec "${CALLED_AE[$t]}" -ta 300)
  SENDER_PIDS=()
  if [ "$mode" = 1 ]; then
    TCP_NODELAY=1 timeout "$BENCH_TIMEOUT" storescu "${common[@]}" +sd +r +sp '*.dcm' \
      127.0.0.1 "${DICOM_PORT[$t]}" "$DATA" >"$logdir/storescu.log" 2>&1 || rc=1
    return $rc
  fi
  for ((k = 0; k < mode; k++)); do
    (
      mapfile -t files <"$PARTS/m${mode}_p$k.txt"
      exec env TCP_NODELAY=1 timeout "$BENCH_TIMEOUT" storescu "${common[@]}" \
        127.0.0.1 "${DICOM_PORT[$t]}" "${files[@]}"
    ) >"$logdir/storescu.$k.log" 2>&1 &
    SENDER_PIDS+=($!)
  done
  for p in "${SENDER_PIDS[@]}"; do wait "$p" || rc=1; done
  SENDER_PIDS=()
  return $rc
}

vmhwm_mib() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

now() { date +%s.%N; }

# run_one TARGET MODE REP: sets R_SECS R_COUNT R_RSS R_VALID.
run_one() {
  local t="$1" mode="$2" rep="$3" t0 t1 send_ok=1
  RUN_DIR="$RUNS/$t.m$mode.r$rep"
  rm -rf "$RUN_DIR" && mkdir -p "$RUN_DIR"
  sync
  "start_$t" "$RUN_DIR"
  t0=$(now)
  send "$mode" "$RUN_DIR" "$t" || send_ok=0
  t1=$(now)
  R_COUNT="$("count_$t" "$RUN_DIR" 2>/dev/null || true)"
  if declare -F "after_$t" >/dev/null; then "after_$t"; fi
  R_RSS="$(vmhwm_mib "$SERVER_PID")"
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  R_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  R_VALID=1
  if [ "$send_ok" != 1 ] || [ "${R_COUNT:-x}" != "$N_FILES" ]; then R_VALID=0; fi
  sync
  # Keep the logs, drop the stored data (1 GB per run).
  rm -rf "$RUN_DIR/files" "$RUN_DIR/storage" "$RUN_DIR/index"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ------------------------------------------------------------------- main ----
mkdir -p "$RUNS"
TSV="$BENCH_DIR/runs.tsv"
printf 'target\tassociations\trep\tseconds\tinstances\tpeak_rss_mib\tvalid\n' >"$TSV"
FSYNC="$(fsync_cost)"
MB_TOTAL=$(awk -v b="$N_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
log "data set: $N_FILES instances, $MB_TOTAL MB; targets: $BENCH_ONLY; modes: $BENCH_MODES; REPS=$REPS"

ROWS=()
for t in $BENCH_ONLY; do
  case "$t" in
    orthanc-pg) pg_start "$PG_ROOT/orthanc" "$PG_ORTHANC_PORT"; PG_STARTED+=("$PG_ROOT/orthanc") ;;
    telerad) pg_start "$PG_ROOT/telerad" "$PG_TELERAD_PORT"; PG_STARTED+=("$PG_ROOT/telerad") ;;
  esac
  for mode in $BENCH_MODES; do
    secs=() rss=() valid=0
    for ((rep = 1; rep <= REPS; rep++)); do
      run_one "$t" "$mode" "$rep"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$mode" "$rep" "$R_SECS" "${R_COUNT:-?}" \
        "$R_RSS" "$R_VALID" >>"$TSV"
      if [ "$R_VALID" = 1 ]; then
        valid=$((valid + 1))
        secs+=("$R_SECS")
        rss+=("$R_RSS")
        log "$t, $mode assoc, rep $rep: ${R_SECS} s, $R_COUNT instances, peak RSS ${R_RSS} MiB"
      else
        log "$t, $mode assoc, rep $rep: INVALID (stored ${R_COUNT:-?} of $N_FILES, storescu logs in $RUN_DIR)"
      fi
    done
    if [ "$valid" -gt 0 ]; then
      s=$(printf '%s\n' "${secs[@]}" | median)
      r=$(printf '%s\n' "${rss[@]}" | median)
      ips=$(awk -v n="$N_FILES" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
      mbs=$(awk -v b="$N_BYTES" -v s="$s" 'BEGIN { printf "%.0f", b / 1e6 / s }')
      note=""
      [ "$t" != storescp ] || note="  RSS: parent only (a child is forked per association)"
      ROWS+=("$(printf '%-15s %-8s %11s %8s %13s %8s%s' "$t" "$mode" "$ips" "$mbs" "$r" \
        "$valid/$REPS" "$note")")
    else
      ROWS+=("$(printf '%-15s %-8s %11s %8s %13s %8s' "$t" "$mode" INVALID - - "0/$REPS")")
    fi
  done
  case "$t" in
    orthanc-pg) pg_stop "$PG_ROOT/orthanc" ;;
    telerad) pg_stop "$PG_ROOT/telerad" ;;
  esac
done

STAGES="receive check lookup land index index_waited respond"
PDU_DEFAULTS="each target's default (DCMTK tools and Orthanc 16384, telerad its own)"
{
  echo "telerad ingest benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), $(uname -r)"
  echo "data: $N_FILES instances ($BENCH_CT CT 512x512 + CR/DX $BENCH_XR each 2000x2500, 16-bit), $MB_TOTAL MB; storescu from 127.0.0.1, TCP_NODELAY=1; median of $REPS"
  echo "max receive PDU: ${BENCH_MAX_PDU:-$PDU_DEFAULTS}; targets' TCP_NODELAY env: $([ "$BENCH_SCP_NODELAY" = 1 ] && echo 1 || echo unset)"
  echo "fsync cost ($BENCH_DIR): $FSYNC"
  echo
  printf '%-15s %-8s %11s %8s %13s %8s\n' target assocs instances/s MB/s "peak RSS MiB" valid
  printf '%s\n' "${ROWS[@]}"
  if wants telerad; then
    echo
    echo "telerad, mean ms per new instance by stage (median over the runs; land runs on its own"
    echo "thread beside index, index_waited is the part of index spent waiting for it):"
    printf '%-8s' assocs
    for st in $STAGES; do printf ' %12s' "$st"; done
    printf '\n'
    for mode in $BENCH_MODES; do
      printf '%-8s' "$mode"
      for st in $STAGES; do
        v=$(cat "$RUNS"/telerad.m"$mode".r*/stages.txt 2>/dev/null | awk -F= -v s="$st" '$1 == s { print $2 }' | median)
        printf ' %12s' "${v:--}"
      done
      printf '\n'
    done
  fi
} | tee "$BENCH_DIR/results.txt"
