#!/usr/bin/env bash
# bench/fuzz.sh: runs every libFuzzer target of tests/fuzz (issue 12) one after the other
# and prints one table: target, executions, exec/s, crashes, corpus size.
#
#   bench/fuzz.sh [--seconds N | --runs N] [--build-dir DIR] [--work-dir DIR] [--no-build]
#                 [TARGET...]
#
#   --seconds N   time per target, default 600
#   --runs N      executions per target instead (e.g. 10000000, the issue's bar)
#   --build-dir   default build-fuzz: clang++, -DTELERAD_FUZZ=ON, ASan and UBSan on
#   --work-dir    default var/fuzz: <target>/corpus grows there and is kept, so each run
#                 starts where the last stopped; a crash leaves its input in <target>/
#                 (crash-*, leak-*, timeout-*, oom-*) and libFuzzer's log in <target>.log
#   --no-build    the build folder is ready (scripts/test builds it with the unit tests)
#   TARGET...     e.g. query_params_fuzz; default every tests/fuzz/*_fuzz.cpp
#
# A corpus starts from tests/fuzz/<target>.seeds (one input a line) and from seeds the
# build generates (build folder, tests/fuzz/seeds/<target>/). Exit status 1 if any target
# crashed (or found a leak, a timeout of 10 s, or an allocation over 2 GB).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$TELERAD_ROOT"

SECONDS_PER_TARGET=600
RUNS=""
BUILD_DIR="$TELERAD_ROOT/build-fuzz"
WORK_DIR="$TELERAD_ROOT/var/fuzz"
BUILD=1
TARGETS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_TARGET="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --build-dir) BUILD_DIR="$(realpath -m "$2")"; shift 2 ;;
    --work-dir) WORK_DIR="$(realpath -m "$2")"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) log "unknown option $1"; exit 2 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
if [ ${#TARGETS[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cpp; do TARGETS+=("$(basename "$f" .cpp)"); done
fi

if [ "$BUILD" = 1 ]; then
  install_packages clang libclang-rt-14-dev libfuzzer-14-dev
  log "building the fuzz targets in $BUILD_DIR (clang, ASan, UBSan)"
  CC=clang CXX=clang++ cmake -S "$TELERAD_ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTELERAD_FUZZ=ON -DTELERAD_SANITIZE=address,undefined -DTELERAD_BUILD_TESTS=OFF \
    -DTELERAD_WERROR=OFF >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target telerad_fuzzers 2>&1 |
    grep -Ev '^\[ *[0-9]+%\]|^-- ' || true
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
if [ -n "$RUNS" ]; then LIMIT=(-runs="$RUNS"); else LIMIT=(-max_total_time="$SECONDS_PER_TARGET"); fi

failed=0
rows=()
for t in "${TARGETS[@]}"; do
  bin="$BUILD_DIR/tests/fuzz/$t"
  [ -x "$bin" ] || { log "no fuzz target $bin"; exit 1; }
  dir="$WORK_DIR/$t"
  mkdir -p "$dir/corpus"
  # Seeds: each line of the .seeds file is one input, named by its hash (no duplicates).
  if [ -f "tests/fuzz/$t.seeds" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      printf '%s' "$line" >"$dir/corpus/seed-$(printf '%s' "$line" | sha1sum | cut -c1-16)"
    done <"tests/fuzz/$t.seeds"
  fi
  if [ -d "$BUILD_DIR/tests/fuzz/seeds/$t" ]; then
    find "$BUILD_DIR/tests/fuzz/seeds/$t" -type f ! -name '.*' -print0 |
      while IFS= read -r -d '' f; do
        cp "$f" "$dir/corpus/seed-$(sha1sum <"$f" | cut -c1-16)"
      done
  fi
  before=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  if [ -n "$RUNS" ]; then log "fuzzing $t ($RUNS runs)"; else log "fuzzing $t ($SECONDS_PER_TARGET s)"; fi
  status=0
  "$bin" "${LIMIT[@]}" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/" "$dir/corpus" >"$dir.log" 2>&1 || status=$?
  after=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  crashes=$((after - before))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi  # died without an artifact
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir.log" | tail -1 | grep -o '[0-9]*$' || true)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$dir.log" | tail -1 | tr -d '#' || true)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$dir.log" | tail -1 | grep -o '[0-9]*$' || true)
  corpus=$(find "$dir/corpus" -type f | wc -l)
  rows+=("$(printf '%-22s %12s %8s %8s %8s' "$t" "${execs:-?}" "${rate:-?}" "$crashes" "$corpus")")
  if [ "$crashes" -ne 0 ]; then
    failed=1
    log "$t: crashed (exit $status); see $dir.log and the artifacts in $dir/"
    grep -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|Test unit written' "$dir.log" | head -5 >&2 || true
  fi
done

printf '%-22s %12s %8s %8s %8s\n' target executions exec/s crashes corpus
printf '%s\n' "${rows[@]}"
exit "$failed"
