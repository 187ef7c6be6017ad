#!/usr/bin/env bash
# bench/kpi.sh: KPI read path at national scale (issue 5). telerad with KPI_STUDIES studies
# (default 1,000,000, with a signed report for each reported one) and KPI_CONSULTATIONS
# e-examinations (default 1,100,000: with the ~945,000 reports, 2 million reports and
# consultations), bulk-loaded by telerad-bench-load through COPY, so that the schema's
# triggers keep the daily aggregates as they do for every event. Then `wrk --latency`
# against the ministry's questions, one connection (how long one user waits) and four
# (throughput), twice: as the server runs by default (answers remembered while their
# window is unchanged: kpi_cache_answers), and with kpi_cache_answers = 0 (every answer
# computed from the aggregates); thirdly ("live") the current year's and half-year's
# questions, remembered while an event is noted in the current month every
# KPI_LIVE_INTERVAL seconds, as they are asked while studies arrive; and, for comparison, the month x aimag figures computed
# from the base tables without the aggregates (psql, the same database). Prints one table
# (copy in $BENCH_DIR/kpi-results.txt). See bench/README.md, "KPI".
#
# Environment (all optional):
#   KPI_STUDIES        studies, default 1000000
#   KPI_CONSULTATIONS  e-examinations, default 1100000
#   KPI_DURATION       seconds per wrk run, default 20
#   KPI_PERIOD_HALF, KPI_PERIOD_YEAR  periods asked for, default 2025H1 and 2025 (the
#                      loader spreads finished work over the two years before the load)
#   KPI_MODES          which passes: "remembered computed live" (default), or some of them
#   KPI_LIVE_INTERVAL  seconds between two events in the live pass, default 1
#   KPI_HTTP_PORT, KPI_DICOM_PORT, KPI_PG_PORT  default 18051, 11311, 55493
#   BENCH_DIR          work folder, default var/bench
#   BUILD_DIR          where to build (Release), default build
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/bench_common.sh"
cd "$TELERAD_ROOT"

KPI_STUDIES="${KPI_STUDIES:-1000000}"
KPI_CONSULTATIONS="${KPI_CONSULTATIONS:-1100000}"
KPI_DURATION="${KPI_DURATION:-20}"
KPI_PERIOD_HALF="${KPI_PERIOD_HALF:-2025H1}"
KPI_PERIOD_YEAR="${KPI_PERIOD_YEAR:-2025}"
BENCH_DIR="${BENCH_DIR:-$TELERAD_ROOT/var/bench}"
BUILD_DIR="${BUILD_DIR:-$TELERAD_ROOT/build}"
KPI_LIVE_INTERVAL="${KPI_LIVE_INTERVAL:-1}"
for v in KPI_STUDIES KPI_CONSULTATIONS KPI_DURATION KPI_HTTP_PORT KPI_DICOM_PORT KPI_PG_PORT; do
  [ -n "${!v:-}" ] || continue
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer"
done
[[ "$KPI_PERIOD_HALF" =~ ^[0-9]{4}H[12]$ ]] || die "KPI_PERIOD_HALF must look like 2025H1"
[[ "$KPI_PERIOD_YEAR" =~ ^[0-9]{4}$ ]] || die "KPI_PERIOD_YEAR must look like 2025"
[[ "$KPI_LIVE_INTERVAL" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "KPI_LIVE_INTERVAL must be a number of seconds"
for m in ${KPI_MODES:-remembered computed live}; do
  [[ "$m" =~ ^(remembered|computed|live)$ ]] || die "KPI_MODES takes remembered, computed and live"
done

KPI_MODES="${KPI_MODES:-remembered computed live}"
PG_PORT="${KPI_PG_PORT:-55493}"
TELERAD_HTTP="${KPI_HTTP_PORT:-18051}"
TELERAD_DICOM="${KPI_DICOM_PORT:-11311}"
TARGET_MS=200
METRICS_TARGET_MS=50
export PGOPTIONS="-c client_min_messages=warning"

mkdir -p "$BENCH_DIR"
BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
PG_DIR="$BENCH_DIR/kpi-pg"
RUNS="$BENCH_DIR/kpi-runs"
mkdir -p "$RUNS"

SERVER_PIDS=()
PG_RUNNING=0
bench_cleanup_on_exit

install_packages wrk jq
log "building (Release) in $BUILD_DIR"
build_telerad "$BUILD_DIR" Release
for b in telerad telerad-bench-load; do
  [ -x "$BUILD_DIR/$b" ] || die "$BUILD_DIR/$b was not built"
done
for p in $TELERAD_HTTP $TELERAD_DICOM; do ! port_busy "$p" || die "port $p is already in use"; done

# ------------------------------------------------------------------ data -----
pg_start "$PG_DIR" "$PG_PORT"
PG_RUNNING=1
PSQL=(psql -h "$PG_DIR/sock" -p "$PG_PORT" -U telerad -d kpi_bench -qAtX)
pg_ensure_db "$PG_DIR" "$PG_PORT" kpi_bench
DB_URL="$(pg_url "$PG_DIR" "$PG_PORT" kpi_bench)"
TELERAD_DB_URL="$DB_URL" TELERAD_LOG_LEVEL=warn "$BUILD_DIR/telerad" seed-demo >/dev/null 2>&1 ||
  die "telerad seed-demo failed"
log "loading up to $KPI_STUDIES studies and $KPI_CONSULTATIONS e-examinations (only what is missing)"
"$BUILD_DIR/telerad-bench-load" --db "$DB_URL" --studies "$KPI_STUDIES" \
  --consultations "$KPI_CONSULTATIONS" >"$RUNS/load.log" 2>&1 ||
  die "telerad-bench-load failed: $(tail -n 3 "$RUNS/load.log")"
grep -v '^loaded\|^consultations:' "$RUNS/load.log" | tr '\r' '\n' | grep = | while read -r l; do log "$l"; done
SIZES="$("${PSQL[@]}" -c "SELECT concat_ws(' ',
  'studies=' || (SELECT count(*) FROM study),
  'reported=' || (SELECT count(*) FROM study WHERE status = 'reported'),
  'reports=' || (SELECT count(*) FROM report),
  'consultations=' || (SELECT count(*) FROM consultation),
  'kpi_study_daily_rows=' || (SELECT count(*) FROM kpi_study_daily),
  'kpi_consultation_daily_rows=' || (SELECT count(*) FROM kpi_consultation_daily),
  'database=' || pg_size_pretty(pg_database_size(current_database())))")"
log "$SIZES"
# A database in service has been vacuumed by autovacuum; one just loaded may not have
# been yet (its visibility map unset, the backlog's index-only count fetched 6,142 heap
# pages and took 72 ms instead of 20 ms here): vacuum it as autovacuum would, so that
# every run measures the same steady state.
"${PSQL[@]}" -c "VACUUM (ANALYZE)"

# ------------------------------------------------------------- server -------
mkdir -p "$RUNS/storage"
BASE="http://127.0.0.1:$TELERAD_HTTP"
# The questions of half-year HALF and year YEAR, into QUESTIONS: label|path|extra header
set_questions() {
  local half="$1" year="$2"
  QUESTIONS=(
    "report-$half|/api/v1/kpi/report?period=$half|"
    "report-$half-csv|/api/v1/kpi/report?period=$half|Accept: text/csv"
    "report-$year|/api/v1/kpi/report?period=$year|"
    "month-x-aimag-$year|/api/v1/kpi?period=$year&group_by=month,aimag|"
    "facility-x-class-$half|/api/v1/kpi?period=$half&group_by=facility,modality|"
    "day-$year|/api/v1/kpi?period=$year&group_by=day|"
    "metrics-scrape|/metrics|"
  )
}
set_questions "$KPI_PERIOD_HALF" "$KPI_PERIOD_YEAR"
RESULTS=()  # "label|connections|mode|rps|p50|p99|requests|errors"

# The live pass's events: kpi_note_change (schema 0016) is what every trigger calls when an
# event changes a month's aggregates, so the next request finds that month's count moved
# and computes it again (the figures themselves stay the same: the cost is what is
# measured).
# Events fall in the current local month (the database's clock, as its triggers date
# them), so the live pass asks the current year's and half-year's questions (the loader
# spreads the data over the two years before the load, up to now).
LIVE_MONTH="$("${PSQL[@]}" -c "SELECT to_char(now() AT TIME ZONE 'Asia/Ulaanbaatar', 'YYYY-MM-01')")"
LIVE_YEAR="${LIVE_MONTH:0:4}"
LIVE_HALF="${LIVE_YEAR}H$((10#${LIVE_MONTH:5:2} <= 6 ? 1 : 2))"
LIVE_PID=""
live_events() {
  while :; do
    "${PSQL[@]}" -c "SELECT kpi_note_change('$LIVE_MONTH'::date, (SELECT min(id) FROM facility), 'CT')" >/dev/null
    sleep "$KPI_LIVE_INTERVAL"
  done
}

# measure MODE: one server with kpi_cache_answers as MODE says, every question with one
# and four connections, then the server stops.
measure() {
  local mode="$1" cache_answers=64 label path header code h c out
  [ "$mode" = computed ] && cache_answers=0
  if [ "$mode" = live ]; then
    set_questions "$LIVE_HALF" "$LIVE_YEAR"
  else
    set_questions "$KPI_PERIOD_HALF" "$KPI_PERIOD_YEAR"
  fi
  env TELERAD_DB_URL="$(pg_app_url "$PG_DIR" "$PG_PORT" kpi_bench)" TELERAD_STORAGE="$RUNS/storage" TELERAD_DICOM_PORT=$TELERAD_DICOM \
    TELERAD_HTTP_PORT=$TELERAD_HTTP TELERAD_HTTP_BIND=127.0.0.1 TELERAD_LOG_LEVEL=warn \
    TELERAD_KPI_CACHE_ANSWERS=$cache_answers "$BUILD_DIR/telerad" serve >"$RUNS/server-$mode.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
  for ((i = 0; i < 600; i++)); do
    curl -fs "$BASE/readyz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "telerad exited during start-up (see $RUNS/server-$mode.log)"
    sleep 0.2
  done
  TOKEN="$(curl -fs -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"ministry1","password":"telerad-demo"}' | jq -r .token)"
  [ -n "$TOKEN" ] && [ "$TOKEN" != null ] || die "login as ministry1 failed"
  AUTH=(-H "Authorization: Bearer $TOKEN")
  # Each answer is saved once, for the record (and to see it is a real one); both passes
  # must give the same figures.
  for q in "${QUESTIONS[@]}"; do
    IFS='|' read -r label path header <<<"$q"
    h=("${AUTH[@]}")
    [ -n "$header" ] && h+=(-H "$header")
    code="$(curl -s -o "$RUNS/answer-$label-$mode.txt" -w '%{http_code}' "${h[@]}" "$BASE$path")"
    [ "$code" = 200 ] || die "$label answered $code: $(head -c 300 "$RUNS/answer-$label-$mode.txt")"
    cp "$RUNS/answer-$label-$mode.txt" "$RUNS/answer-$label.txt"
  done
  local half="${QUESTIONS[0]%%|*}"
  log "${half/-/ }: $(jq -c '[.rows[] | {(.indicator): .achieved}] | add' "$RUNS/answer-$half.txt")"
  if [ "$mode" = live ]; then
    live_events &
    LIVE_PID=$!
    SERVER_PIDS+=("$LIVE_PID")  # stopped on any exit too
  fi
  for q in "${QUESTIONS[@]}"; do
    IFS='|' read -r label path header <<<"$q"
    h=("${AUTH[@]}")
    [ -n "$header" ] && h+=(-H "$header")
    for c in 1 4; do
      out="$RUNS/wrk-$label-c$c-$mode.txt"
      wrk -c"$c" -t"$c" -d2s --timeout 30s "${h[@]}" "$BASE$path" >/dev/null 2>&1 || true
      wrk -c"$c" -t"$c" -d"${KPI_DURATION}s" --latency --timeout 30s "${h[@]}" "$BASE$path" \
        >"$out" 2>&1 || true
      wrk_parse "$out"
      RESULTS+=("$label|$c|$mode|$WRK_RPS|$WRK_P50_MS|$WRK_P99_MS|$WRK_REQUESTS|$WRK_ERRORS")
      log "$label -c$c ($mode): $WRK_RPS req/s, p50 $WRK_P50_MS ms, p99 $WRK_P99_MS ms, errors $WRK_ERRORS"
    done
  done
  if [ -n "$LIVE_PID" ]; then
    kill "$LIVE_PID" 2>/dev/null || true
    wait "$LIVE_PID" 2>/dev/null || true
    forget_pid "$LIVE_PID"
    LIVE_PID=""
  fi
  stop_pid "$SERVER_PID"
  forget_pid "$SERVER_PID"
}
for mode in $KPI_MODES; do measure "$mode"; done
set_questions "$KPI_PERIOD_HALF" "$KPI_PERIOD_YEAR"
if [[ "$KPI_MODES" == *remembered*computed* ]]; then
  for q in "${QUESTIONS[@]}"; do
    IFS='|' read -r label path header <<<"$q"
    [ "$label" = metrics-scrape ] && continue  # per-process counters differ
    # The figures, not the moment: backlog ages are "now".
    if [ -z "$header" ]; then
      cmp -s <(jq -S 'del(.backlog)' "$RUNS/answer-$label-remembered.txt") \
        <(jq -S 'del(.backlog)' "$RUNS/answer-$label-computed.txt") ||
        die "$label: remembered and computed answers differ (see $RUNS/answer-$label-*.txt)"
    fi
  done
  log "every question: the same figures remembered and computed"
fi

# ------------------------------------------------- without the aggregates ---
# The month x aimag question answered from the base tables, as a server without the
# aggregates of schemas 0006 and 0007 would have to: every study received or reported in
# the year, every e-examination completed in it, and exact turnaround percentiles.
# Median of five runs after one that warms the cache.
YEAR_START="$KPI_PERIOD_YEAR-01-01"
YEAR_END="$((KPI_PERIOD_YEAR + 1))-01-01"
IN_YEAR() {  # IN_YEAR COLUMN: the column's instant lies in the local year
  echo "$1 >= '$YEAR_START'::timestamp AT TIME ZONE 'Asia/Ulaanbaatar' AND $1 < '$YEAR_END'::timestamp AT TIME ZONE 'Asia/Ulaanbaatar'"
}
cat >"$RUNS/scan.sql" <<SQL
\\timing on
SELECT m, aimag, sum(received), sum(diagnosed), sum(completed)
FROM (
  SELECT date_trunc('month', s.received_at AT TIME ZONE 'Asia/Ulaanbaatar') m, f.aimag,
         1 received, 0 diagnosed, 0 completed
  FROM study s JOIN facility f ON f.id = s.facility_id WHERE $(IN_YEAR s.received_at)
  UNION ALL
  SELECT date_trunc('month', s.reported_at AT TIME ZONE 'Asia/Ulaanbaatar'), f.aimag, 0, 1, 0
  FROM study s JOIN facility f ON f.id = s.facility_id
  WHERE s.status = 'reported' AND $(IN_YEAR s.reported_at)
  UNION ALL
  SELECT date_trunc('month', c.completed_at AT TIME ZONE 'Asia/Ulaanbaatar'), f.aimag, 0, 0, 1
  FROM consultation c JOIN facility f ON f.id = c.facility_id
  WHERE c.status = 'completed' AND $(IN_YEAR c.completed_at)
) x GROUP BY 1, 2;
SELECT date_trunc('month', s.reported_at AT TIME ZONE 'Asia/Ulaanbaatar'), f.aimag, s.priority,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.reported_at - s.ready_at),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY s.reported_at - s.ready_at),
       count(*) FILTER (WHERE s.reported_at > s.sla_due_at)
FROM study s JOIN facility f ON f.id = s.facility_id
WHERE s.status = 'reported' AND $(IN_YEAR s.reported_at) GROUP BY 1, 2, 3;
SQL
SCAN_MS=()
for r in 1 2 3 4 5 6; do
  ms="$("${PSQL[@]}" -f "$RUNS/scan.sql" | awk '/^Time:/ { t += $2 } END { printf "%.0f", t }')"
  [ "$r" = 1 ] || SCAN_MS+=("$ms")  # the first run warms the cache
done
SCAN_MEDIAN="$(printf '%s\n' "${SCAN_MS[@]}" | sort -n | sed -n 3p)"

# How close the histogram's percentiles come to exact ones: the half-year's turnaround
# per priority as the API answered it, against percentile_cont over the signed studies.
HALF_FIRST="$(jq -r .from "$RUNS/answer-facility-x-class-$KPI_PERIOD_HALF.txt")"
HALF_LAST="$(jq -r .to "$RUNS/answer-facility-x-class-$KPI_PERIOD_HALF.txt")"
ACCURACY=()
while IFS='|' read -r prio exact_median exact_p90; do
  name="$(echo stat urgent routine | cut -d' ' -f$((prio + 1)))"
  api_median="$(jq -r ".totals.turnaround.$name.median_hours" "$RUNS/answer-facility-x-class-$KPI_PERIOD_HALF.txt")"
  api_p90="$(jq -r ".totals.turnaround.$name.p90_hours" "$RUNS/answer-facility-x-class-$KPI_PERIOD_HALF.txt")"
  ACCURACY+=("$name: median $api_median h (exact $exact_median h), p90 $api_p90 h (exact $exact_p90 h)")
done < <("${PSQL[@]}" -F'|' -c "SELECT priority,
    round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM reported_at - ready_at)) / 3600)::numeric, 2),
    round((percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM reported_at - ready_at)) / 3600)::numeric, 2)
  FROM study WHERE status = 'reported' AND ready_at IS NOT NULL
    AND reported_at >= '$HALF_FIRST'::timestamp AT TIME ZONE 'Asia/Ulaanbaatar'
    AND reported_at < ('$HALF_LAST'::date + 1)::timestamp AT TIME ZONE 'Asia/Ulaanbaatar'
  GROUP BY 1 ORDER BY 1")
pg_stop "$PG_DIR"
PG_RUNNING=0

# ------------------------------------------------------------------ table ---
{
  echo "KPI benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; wrk -d${KPI_DURATION}s --latency, -c1 -t1 and -c4 -t4; server defaults"
  echo "data: $SIZES"
  printf '%-26s %5s %-10s %9s %8s %8s %8s %6s  %s\n' question conns answers req/s p50_ms p99_ms requests errors "target p99 < ${TARGET_MS} ms"
  for r in "${RESULTS[@]}"; do
    IFS='|' read -r label c mode rps p50 p99 requests errors <<<"$r"
    target=$TARGET_MS
    [ "$label" = metrics-scrape ] && target=$METRICS_TARGET_MS
    verdict="$(awk -v a="$p99" -v t="$target" 'BEGIN { print (a != "?" && a < t) ? "met" : "MISSED" }')"
    [ "$label" = metrics-scrape ] && verdict="$verdict (< $target ms)"
    [ "$errors" = 0 ] || verdict="INVALID (errors: $errors)"
    printf '%-26s %5s %-10s %9s %8s %8s %8s %6s  %s\n' "$label" "$c" "$mode" "$rps" "$p50" "$p99" "$requests" "$errors" "$verdict"
  done
  echo "without the aggregates: month x aimag of $KPI_PERIOD_YEAR (received, diagnoses, e-examinations, exact"
  echo "  turnaround percentiles) from the base tables with psql: median ${SCAN_MEDIAN} ms of 5 runs (${SCAN_MS[*]})"
  echo "turnaround of $KPI_PERIOD_HALF from the histogram (API) against exact percentile_cont:"
  for a in "${ACCURACY[@]}"; do echo "  $a"; done
  echo "questions: report-P = GET /api/v1/kpi/report?period=P (JSON; -csv: Accept: text/csv);"
  echo "  month-x-aimag-Y = GET /api/v1/kpi?period=Y&group_by=month,aimag; facility-x-class-P ="
  echo "  group_by=facility,modality; day-Y = group_by=day; metrics-scrape = GET /metrics (all"
  echo "  server and KPI families), all as ministry1. answers: remembered = the server as it"
  echo "  runs by default (kpi_cache_answers = 64), computed = kpi_cache_answers = 0, live ="
  echo "  remembered while an event is noted in the current month ($LIVE_MONTH) every ${KPI_LIVE_INTERVAL} s,"
  echo "  asked of the current year and half-year ($LIVE_YEAR, $LIVE_HALF)."
} | tee "$BENCH_DIR/kpi-results.txt"
