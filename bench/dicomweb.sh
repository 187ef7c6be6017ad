#!/usr/bin/env bash
# bench/dicomweb.sh: DICOMweb benchmark (issue 13). QIDO-RS part: telerad with DW_STUDIES
# studies in its index (default 1,000,000, bulk-loaded with COPY by telerad-bench-load, as
# bench/worklist.sh does), asked DW_QUERIES patient-name searches with varied prefixes
# (`/dicomweb/studies?PatientName=<prefix>*&limit=DW_LIMIT`, lower-case Cyrillic, as rad1)
# one after the other over one kept-alive connection; p50/p99 of the answer times. Then
# Orthanc with Debian's DICOMweb plugin (`orthanc-dicomweb`), loaded with as many small
# studies as fit ORTHANC_LOAD_SECONDS, asked the same searches at /dicom-web/studies, and
# telerad again at that same study count. Prints one table (copy in
# $BENCH_DIR/dicomweb-results.txt). See bench/README.md, "DICOMweb".
# Images part, in the same run, telerad and Orthanc given the same generated CT (DW_CT_SLICES
# slices of 512x512) by C-STORE: (a) series metadata, median of 20 over one connection
# (gzip accepted, as a browser); (b) frames of the CT over 4 kept-alive connections (curl
# --parallel), frames/s; (c) `rendered` JPEG of a slice, median of 50; (d) time from opening the study's viewer URL to the first CT
# slice drawn in headless chromium (bench/viewer_first_slice.mjs), telerad against Orthanc
# behind the same OHIF build (bench/ohif_orthanc_proxy.mjs); (e) telerad's peak RSS.
#
# Usage: bench/dicomweb.sh [--studies N] [--parts "qido images"]   (flags override the
# environment below)
#
# Environment (all optional):
#   DW_STUDIES      studies in telerad's index, default 1000000
#   DW_SEED         data set of the loader, default 1
#   DW_QUERIES      searches per run, default 500
#   DW_LIMIT        limit of each search, default 100 (a viewer's study list page)
#   DW_PARTS        parts, default "qido images"
#   DW_CT_SLICES    slices of the images part's CT, default 500
#   DW_FRAME_ROUNDS times each frame of the CT is fetched in (b), default 4
#   BENCH_ONLY      targets, default "telerad orthanc"
#   ORTHANC_LOAD_SECONDS  time allowed to load more studies into Orthanc, default 300;
#                   loaded studies are kept in $BENCH_DIR, so each run adds more
#   ORTHANC_MAX_STUDIES   stop loading Orthanc there, default DW_STUDIES
#   DW_PORT_OFFSET  added to every port the script uses (PostgreSQL 55494, telerad 18058
#                   and 11318, Orthanc 18059 and 11319, the OHIF proxy 18060), default 0
#   BENCH_DIR       work folder, default var/bench
#   BUILD_DIR       where to build (Release), default build
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/bench_common.sh"
source "$(dirname "$0")/orthanc_common.sh"
cd "$TELERAD_ROOT"
# Character-wise substrings and case folding of the Cyrillic names below.
export LC_ALL=C.UTF-8

while [ $# -gt 0 ]; do
  case "$1" in
  --studies) DW_STUDIES="$2" ;;
  --parts) DW_PARTS="$2" ;;
  *) die "unknown argument '$1' (--studies N, --parts \"qido images\")" ;;
  esac
  shift 2 || die "$1 needs a value"
done
DW_STUDIES="${DW_STUDIES:-1000000}"
DW_PARTS="${DW_PARTS:-qido images}"
DW_CT_SLICES="${DW_CT_SLICES:-500}"
DW_FRAME_ROUNDS="${DW_FRAME_ROUNDS:-4}"
DW_SEED="${DW_SEED:-1}"
DW_QUERIES="${DW_QUERIES:-500}"
DW_LIMIT="${DW_LIMIT:-100}"
BENCH_ONLY="${BENCH_ONLY:-telerad orthanc}"
ORTHANC_LOAD_SECONDS="${ORTHANC_LOAD_SECONDS:-300}"
ORTHANC_MAX_STUDIES="${ORTHANC_MAX_STUDIES:-$DW_STUDIES}"
BENCH_DIR="${BENCH_DIR:-$TELERAD_ROOT/var/bench}"
BUILD_DIR="${BUILD_DIR:-$TELERAD_ROOT/build}"

ORTHANC_BIN=/usr/sbin/Orthanc
# DW_PORT_OFFSET (default 0) moves every port below, so two checkouts can run it at once.
DW_PORT_OFFSET="${DW_PORT_OFFSET:-0}"
[[ "$DW_PORT_OFFSET" =~ ^[0-9]+$ ]] || die "DW_PORT_OFFSET must be a non-negative integer"
PG_PORT=$((55494 + DW_PORT_OFFSET))
TELERAD_HTTP=$((18058 + DW_PORT_OFFSET))
TELERAD_DICOM=$((11318 + DW_PORT_OFFSET))
ORTHANC_HTTP=$((18059 + DW_PORT_OFFSET))
ORTHANC_DICOM=$((11319 + DW_PORT_OFFSET))
OHIF_PROXY_HTTP=$((18060 + DW_PORT_OFFSET))

for v in DW_STUDIES DW_SEED DW_QUERIES DW_LIMIT ORTHANC_LOAD_SECONDS ORTHANC_MAX_STUDIES \
  DW_CT_SLICES DW_FRAME_ROUNDS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer"
done
for t in $BENCH_ONLY; do
  case "$t" in telerad | orthanc) ;; *) die "unknown target '$t'" ;; esac
done
for p in $DW_PARTS; do
  case "$p" in qido | images) ;; *) die "unknown part '$p'" ;; esac
done
wants() { [[ " $BENCH_ONLY " == *" $1 "* ]]; }
wants_part() { [[ " $DW_PARTS " == *" $1 "* ]]; }
export PGOPTIONS="-c client_min_messages=warning"

mkdir -p "$BENCH_DIR"
BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
PG_DIR="$BENCH_DIR/dicomweb-pg"
RUNS="$BENCH_DIR/dicomweb-runs"
mkdir -p "$RUNS"

SERVER_PIDS=()
PG_RUNNING=0
bench_cleanup_on_exit

# ------------------------------------------------------ packages and build ---
extra=(jq curl)
wants orthanc && extra+=(orthanc orthanc-dicomweb)
install_packages "${extra[@]}"
wants orthanc && stop_orthanc_service
log "building (Release) in $BUILD_DIR"
build_telerad "$BUILD_DIR" Release
for b in telerad telerad-bench-load telerad-gen-dicom; do
  [ -x "$BUILD_DIR/$b" ] || die "$BUILD_DIR/$b was not built"
done
TELERAD_BIN="$BUILD_DIR/telerad"
if wants_part images; then
  command -v node >/dev/null || die "the images part needs node (scripts/run installs it)"
  [ -x /usr/bin/chromium ] || install_packages chromium
  install_viewer
fi
for p in $TELERAD_HTTP $TELERAD_DICOM $ORTHANC_HTTP $ORTHANC_DICOM $OHIF_PROXY_HTTP; do
  ! port_busy "$p" || die "port $p is already in use"
done

# The searches: prefixes of 1 to 4 letters of the loader's family names (and of the names
# Orthanc is loaded with, the same list), lower case, so every search folds case.
FAMILY=(Батболд Ганбаатар Эрдэнэбат Мөнхбаяр Цэрэндорж Болд Отгонбаяр Сүхбаатар Дашдорж
  Төмөрбаатар Лхагвасүрэн Наранбаатар Пүрэвдорж Ганзориг Баяр Өлзийбат Энхтайван Дамдин
  Жаргалсайхан Нямдорж Үүрцайх Хүрэлбаатар Оюунбилэг Түвшинбаяр Шинэбаяр Бямбасүрэн Мягмар
  Ариунболд Чинбат Алтангэрэл Хишигт Содном Серик Нурлан)
# The same names in Latin letters, for Orthanc: Debian's Orthanc 1.10.1 answered the
# generator's ISO_IR 192 Cyrillic names as "^" and found none of them by prefix.
LATIN=(Batbold Ganbaatar Erdenebat Monkhbayar Tserendorj Bold Otgonbayar Sukhbaatar Dashdorj
  Tomorbaatar Lkhagvasuren Naranbaatar Purevdorj Ganzorig Bayar Olziibat Enkhtaivan Damdin
  Jargalsaikhan Nyamdorj Uurtsaikh Khurelbaatar Oyunbileg Tuvshinbayar Shinebayar Byambasuren
  Myagmar Ariunbold Chinbat Altangerel Khishigt Sodnom Serik Nurlan)
[ ${#LATIN[@]} -eq ${#FAMILY[@]} ] || die "LATIN and FAMILY differ in length"
urlencode() { jq -rn --arg v "$1" '$v|@uri'; }
# Orthanc gets the same searches on the Latin names (lower case too).
QUERY_FILE="$RUNS/queries.txt"
QUERY_FILE_LATIN="$RUNS/queries-latin.txt"
: >"$QUERY_FILE"
: >"$QUERY_FILE_LATIN"
for ((q = 0; q < DW_QUERIES; q++)); do
  name="${FAMILY[$((q % ${#FAMILY[@]}))]}"
  len=$((1 + (q / ${#FAMILY[@]}) % 4))
  prefix="$(printf '%s' "${name:0:$len}" | sed 's/.*/\L&/')"
  urlencode "$prefix*" >>"$QUERY_FILE"
  latin="${LATIN[$((q % ${#LATIN[@]}))]}"
  urlencode "$(printf '%s' "${latin:0:$len}" | tr '[:upper:]' '[:lower:]')*" >>"$QUERY_FILE_LATIN"
done

# search_run LABEL BASE_URL QUERIES [curl args...]: the searches of the file QUERIES over
# one connection; echoes "p50 p99 mean" in milliseconds.
search_run() {
  local label="$1" base="$2" queries="$3" cfg="$RUNS/curl-$1.cfg" out="$RUNS/times-$1.txt"
  shift 3
  : >"$cfg"
  while read -r p; do
    printf 'url = "%s/studies?PatientName=%s&limit=%s"\noutput = /dev/null\n' "$base" "$p" "$DW_LIMIT" >>"$cfg"
  done <"$queries"
  # One warm-up pass of the first 20 (connections, prepared plans, the OS cache).
  head -n 40 "$cfg" | curl -fsS --config - "$@" -w '' >/dev/null || die "$label: warm-up failed"
  curl -fsS --config "$cfg" "$@" -w '%{http_code} %{time_total}\n' >"$out" ||
    die "$label: a search failed (see $out)"
  awk '$1 != 200 { bad++ } END { if (bad) exit 1 }' "$out" || die "$label: non-200 answers"
  awk '{ print $2 * 1000 }' "$out" | sort -n | awk '
    { t[NR] = $1; s += $1 }
    END { p50 = t[int((NR + 1) * 0.50)]; p99 = t[int(NR * 0.99 + 0.5)]; if (p99 == "") p99 = t[NR]
          printf "%.2f %.2f %.2f\n", p50, p99, s / NR }'
}

# matches_summary DIR TOKEN: how many studies the first searches answered (min-max of 20),
# to show the searches are not empty.
matches_summary() {
  local min="" max=0 c p
  while read -r p; do
    c="$(curl -fs "http://127.0.0.1:$TELERAD_HTTP/dicomweb/studies?PatientName=$p&limit=$DW_LIMIT" \
      -H "Authorization: Bearer $2" | jq length)"
    if [ -z "$min" ] || [ "$c" -lt "$min" ]; then min="$c"; fi
    if [ "$c" -gt "$max" ]; then max="$c"; fi
  done < <(head -n 20 "$QUERY_FILE")
  echo "$min-$max"
}

# ----------------------------------------------------------- PostgreSQL ------
pg_start "$PG_DIR" "$PG_PORT"
PG_RUNNING=1
PSQL=(psql -h "$PG_DIR/sock" -p "$PG_PORT" -U telerad -qAt)

# telerad_db NAME N: a migrated, seeded database holding exactly N loader studies.
telerad_db() {
  local name="$1" n="$2" url have
  pg_ensure_db "$PG_DIR" "$PG_PORT" "$name"
  url="$(pg_url "$PG_DIR" "$PG_PORT" "$name")"
  have="$("${PSQL[@]}" -d "$name" -c "SELECT count(*) FROM study" 2>/dev/null || echo 0)"
  if [ "$have" -gt "$n" ]; then
    log "$name holds $have studies, more than $n: starting it again"
    "${PSQL[@]}" -d postgres -c "DROP DATABASE \"$name\" WITH (FORCE)" >/dev/null
    pg_ensure_db "$PG_DIR" "$PG_PORT" "$name"
  fi
  TELERAD_DB_URL="$url" TELERAD_LOG_LEVEL=warn "$TELERAD_BIN" seed-demo >/dev/null 2>&1 ||
    die "telerad seed-demo on $name failed"
  local start=$SECONDS
  "$BUILD_DIR/telerad-bench-load" --db "$url" --studies "$n" --seed "$DW_SEED" \
    >"$RUNS/load-$name.log" 2>&1 || die "telerad-bench-load failed: $(tail -n 3 "$RUNS/load-$name.log")"
  log "$name: $(tail -n 1 "$RUNS/load-$name.log") ($((SECONDS - start)) s)"
}

# bench_telerad DB STUDIES: one run against a fresh server on DB; appends to RESULTS.
RESULTS=()
bench_telerad() {
  local db="$1" n="$2" dir="$RUNS/telerad-$2" pid token i figures rss
  mkdir -p "$dir/storage"
  env TELERAD_DB_URL="$(pg_app_url "$PG_DIR" "$PG_PORT" "$db")" TELERAD_STORAGE="$dir/storage" \
    TELERAD_DICOM_PORT=$TELERAD_DICOM TELERAD_HTTP_PORT=$TELERAD_HTTP TELERAD_HTTP_BIND=127.0.0.1 \
    TELERAD_LOG_LEVEL=warn "$TELERAD_BIN" serve >"$dir/server.log" 2>&1 &
  pid=$!
  SERVER_PIDS+=("$pid")
  for ((i = 0; i < 300; i++)); do
    curl -fs "http://127.0.0.1:$TELERAD_HTTP/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || die "telerad exited during start-up (see $dir/server.log)"
    sleep 0.2
  done
  token="$(curl -fs -X POST "http://127.0.0.1:$TELERAD_HTTP/api/v1/auth/login" \
    -H 'Content-Type: application/json' -d '{"username":"rad1","password":"telerad-demo"}' | jq -r .token)"
  [ -n "$token" ] && [ "$token" != null ] || die "login as rad1 failed"
  curl -fs "http://127.0.0.1:$TELERAD_HTTP/dicomweb/studies?PatientName=$(sed -n 1p "$QUERY_FILE")&limit=$DW_LIMIT" \
    -H "Authorization: Bearer $token" >"$dir/answer-first.json"
  figures="$(search_run "telerad-$n" "http://127.0.0.1:$TELERAD_HTTP/dicomweb" "$QUERY_FILE" \
    -H "Authorization: Bearer $token")"
  log "telerad @$n: matches of each search: $(matches_summary "$dir" "$token")"
  rss="$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")"
  RESULTS+=("telerad|$n|$figures|$((rss / 1024))")
  log "telerad @$n: p50/p99/mean ms $figures, peak RSS $((rss / 1024)) MiB"
  stop_pid "$pid"
  forget_pid "$pid"
}

if wants_part qido && wants telerad; then
  log "telerad index: $DW_STUDIES studies (loads only what is missing)"
  telerad_db telerad_dicomweb "$DW_STUDIES"
  bench_telerad telerad_dicomweb "$DW_STUDIES"
fi

# ------------------------------------------------------------- Orthanc -------
if wants_part qido && wants orthanc; then
  dir="$BENCH_DIR/dicomweb-orthanc"
  mkdir -p "$dir/storage" "$dir/index"
  plugin_dir="$(dpkg -L orthanc-dicomweb | grep -E '/libOrthancDicomWeb\.so' | head -1)"
  [ -n "$plugin_dir" ] || die "libOrthancDicomWeb.so not found in orthanc-dicomweb"
  # Orthanc's defaults but for ports, folders and no fsync per stored file (load speed
  # only); PN matching case-insensitive is its default (CaseSensitivePN false).
  cat >"$dir/orthanc.json" <<JSON
{
  "Name" : "dicomweb-bench", "StorageDirectory" : "$dir/storage", "IndexDirectory" : "$dir/index",
  "DicomAet" : "ORTHANC", "DicomPort" : $ORTHANC_DICOM, "HttpPort" : $ORTHANC_HTTP,
  "RemoteAccessAllowed" : false, "AuthenticationEnabled" : false,
  "DicomAlwaysAllowStore" : true, "DicomCheckCalledAet" : false, "SyncStorageArea" : false,
  "Plugins" : [ "$plugin_dir" ],
  "DicomWeb" : { "Enable" : true, "Root" : "/dicom-web/" }
}
JSON
  TCP_NODELAY=1 "$ORTHANC_BIN" "$dir/orthanc.json" >>"$dir/server.log" 2>&1 &
  opid=$!
  SERVER_PIDS+=("$opid")
  for ((i = 0; i < 600; i++)); do
    curl -fs "http://127.0.0.1:$ORTHANC_HTTP/system" >/dev/null 2>&1 && break
    kill -0 "$opid" 2>/dev/null || die "Orthanc exited during start-up (see $dir/server.log)"
    sleep 0.2
  done
  ocount() { curl -fs "http://127.0.0.1:$ORTHANC_HTTP/statistics" | jq -r .CountStudies; }
  # Blocks of 34 patients (one per family name, in Latin letters) x 10 studies, one 8x8
  # CT image each, sent over two associations, until the time budget is spent.
  # UIDs follow the generator's seed, so a block sent again is a repeat Orthanc ignores.
  GEN_DIR="$BENCH_DIR/dicomweb-gen"
  start_s=$SECONDS
  count="$(ocount)"
  log "Orthanc holds $count studies; loading up to $ORTHANC_MAX_STUDIES for at most ${ORTHANC_LOAD_SECONDS}s"
  while [ "$count" -lt "$ORTHANC_MAX_STUDIES" ] && [ $((SECONDS - start_s)) -lt "$ORTHANC_LOAD_SECONDS" ]; do
    rm -rf "$GEN_DIR"
    block=$((count / 340))
    for ((k = 0; k < ${#FAMILY[@]}; k++)); do
      "$BUILD_DIR/telerad-gen-dicom" --out "$GEN_DIR/$k" --modality CT --studies 10 --instances 1 \
        --rows 8 --cols 8 --seed "$((200000 + block * 100 + k))" \
        --patient-name "${LATIN[$k]}^Olziibayar" --patient-id "B$block-$k" >/dev/null
    done
    find "$GEN_DIR" -name '*.dcm' | sort >"$GEN_DIR/all.txt"
    split -n l/2 "$GEN_DIR/all.txt" "$GEN_DIR/part."
    pids=()
    for part in "$GEN_DIR"/part.*; do
      xargs -a "$part" env TCP_NODELAY=1 storescu -aet DEMO_SCU -aec ORTHANC 127.0.0.1 \
        "$ORTHANC_DICOM" >>"$RUNS/orthanc-load.log" 2>&1 &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || die "storescu failed (see $RUNS/orthanc-load.log)"; done
    count="$(ocount)"
    printf '\r[telerad] Orthanc: %d studies (%d s)' "$count" $((SECONDS - start_s)) >&2
  done
  echo >&2
  rm -rf "$GEN_DIR"
  N_ORTHANC="$(ocount)"
  log "Orthanc: $N_ORTHANC studies (loaded for ${ORTHANC_LOAD_SECONDS}s at most in this run)"
  curl -fs "http://127.0.0.1:$ORTHANC_HTTP/dicom-web/studies?PatientName=$(sed -n 1p "$QUERY_FILE_LATIN")&limit=$DW_LIMIT" \
    >"$RUNS/orthanc-answer-first.json" || die "Orthanc's QIDO-RS does not answer"
  [ "$(jq length "$RUNS/orthanc-answer-first.json")" -gt 0 ] || die "Orthanc found nothing"
  figures="$(search_run "orthanc-$N_ORTHANC" "http://127.0.0.1:$ORTHANC_HTTP/dicom-web" \
    "$QUERY_FILE_LATIN")"
  rss="$(awk '/VmHWM/ { print $2 }' "/proc/$opid/status")"
  RESULTS+=("orthanc|$N_ORTHANC|$figures|$((rss / 1024))")
  log "Orthanc @$N_ORTHANC: p50/p99/mean ms $figures"
  stop_pid "$opid"
  forget_pid "$opid"
  if wants telerad && [ "$N_ORTHANC" -lt "$DW_STUDIES" ]; then
    log "telerad index for the comparison: $N_ORTHANC studies"
    telerad_db telerad_dicomweb_cmp "$N_ORTHANC"
    bench_telerad telerad_dicomweb_cmp "$N_ORTHANC"
  fi
fi

# ----------------------------------------------------------------- images ------
IMAGE_RESULTS=()
if wants_part images; then
  source "$TELERAD_ROOT/bench/dicomweb_images.sh"
fi

# --------------------------------------------------------------- report ------
{
  if wants_part qido; then
  echo "QIDO-RS patient-name search: $DW_QUERIES searches (PatientName=<1-4 lower-case letters>*,"
  echo "limit=$DW_LIMIT), one after the other over one connection; times from curl, ms."
  echo "Orthanc (Debian 1.10.1, DICOMweb plugin, SQLite index) holds the studies it could be"
  echo "loaded with in ORTHANC_LOAD_SECONDS=$ORTHANC_LOAD_SECONDS s of this run (more from earlier"
  echo "runs), with the same family names in Latin letters, asked the same prefixes in Latin."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-8s %10s %8s %8s %8s %14s\n' server studies p50 p99 mean peak_RSS_MiB
  for r in "${RESULTS[@]}"; do
    IFS='|' read -r who n figures rss <<<"$r"
    read -r p50 p99 mean <<<"$figures"
    printf '%-8s %10s %8s %8s %8s %14s\n' "$who" "$n" "$p50" "$p99" "$mean" "$rss"
  done
  fi
  if [ ${#IMAGE_RESULTS[@]} -gt 0 ]; then
    echo
    echo "Images: one CT of $DW_CT_SLICES slices 512x512 (16-bit, explicit VR little endian) in both."
    printf '%-44s %14s %14s\n' measure telerad orthanc
    for r in "${IMAGE_RESULTS[@]}"; do
      IFS='|' read -r what t o <<<"$r"
      printf '%-44s %14s %14s\n' "$what" "$t" "$o"
    done
  fi
} | tee "$BENCH_DIR/dicomweb-results.txt"
