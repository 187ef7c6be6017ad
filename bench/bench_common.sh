# Process and wrk helpers shared by the benchmarks (bench/ingest.sh, bench/worklist.sh,
# bench/kpi.sh). Sourced after scripts/lib/common.sh.

die() { log "error: $*"; exit 1; }

# stop_pid PID: SIGTERM, wait up to 60 s, then SIGKILL.
stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 600; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIGTERM for 60 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# forget_pid PID: drop PID from the caller's SERVER_PIDS (the ones cleanup stops).
forget_pid() {
  local keep=() p
  for p in "${SERVER_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  SERVER_PIDS=("${keep[@]}")
}

# bench_cleanup_on_exit: on exit (or Ctrl-C) stop every pid in SERVER_PIDS and, when
# PG_RUNNING is 1, the cluster in PG_DIR; the exit status is kept. Call it once, after
# SERVER_PIDS, PG_RUNNING and PG_DIR are set.
bench_cleanup_on_exit() {
  bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    for p in "${SERVER_PIDS[@]}"; do stop_pid "$p"; done
    [ "$PG_RUNNING" = 1 ] && pg_stop "$PG_DIR"
    exit "$rc"
  }
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

to_ms() {  # wrk's "812.00us" / "1.20ms" / "2.01s" -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v == "") { print "?"; exit }
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000;
    else if (v ~ /s$/) n *= 1000
    printf "%.2f", n }'
}

# wrk_parse FILE: reads `wrk --latency` output into WRK_RPS, WRK_P50_MS, WRK_P99_MS,
# WRK_REQUESTS and WRK_ERRORS (non-2xx answers plus socket errors, or "none-completed"
# when no request was answered).
wrk_parse() {
  local out="$1" p50 p99
  WRK_RPS="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  WRK_RPS="${WRK_RPS:-0}"
  p50="$(awk '$1 == "50%" { print $2 }' "$out")"
  p99="$(awk '$1 == "99%" { print $2 }' "$out")"
  WRK_P50_MS="$(to_ms "${p50:-}")"
  WRK_P99_MS="$(to_ms "${p99:-}")"
  WRK_ERRORS="$(awk '/Non-2xx/ { e += $NF } /Socket errors/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' "$out")"
  if ! grep -q ' requests in ' "$out" || ! awk '/ requests in / { exit !($1 > 0) }' "$out"; then
    WRK_ERRORS="none-completed"
  fi
  WRK_REQUESTS="$(awk '/ requests in / { print $1 }' "$out")"
  WRK_REQUESTS="${WRK_REQUESTS:-0}"
}
