# The images part of bench/dicomweb.sh (sourced by it, after the QIDO part): series
# metadata, frames over 4 connections, `rendered`, the viewer's first drawn slice and
# telerad's peak RSS, telerad and Orthanc given the same CT. Appends "what|telerad|orthanc"
# rows to IMAGE_RESULTS. Uses the caller's PSQL, PG_*, ports, BUILD_DIR, RUNS and helpers.

CT_DIR="$BENCH_DIR/dicomweb-ct-$DW_CT_SLICES"
FRAME_ACCEPT='Accept: multipart/related; type="application/octet-stream"'
if [ ! -s "$CT_DIR/uids.txt" ]; then
  rm -rf "$CT_DIR"
  mkdir -p "$CT_DIR"
  log "generating a CT of $DW_CT_SLICES slices 512x512"
  "$BUILD_DIR/telerad-gen-dicom" --out "$CT_DIR/files" --modality CT --studies 1 \
    --instances "$DW_CT_SLICES" --rows 512 --cols 512 --seed 9500 --patient-id CTBENCH \
    >"$CT_DIR/uids.tmp" || die "telerad-gen-dicom failed"
  mv "$CT_DIR/uids.tmp" "$CT_DIR/uids.txt"
fi
CT_STUDY="$(awk '{ print $1; exit }' "$CT_DIR/uids.txt")"
find "$CT_DIR/files" -name '*.dcm' | sort >"$RUNS/ct-files.txt"

# timed_get LABEL COUNT URL [curl args...]: COUNT GETs of URL over one connection after
# one warm-up; echoes "first_ms median_ms" (first: the warm-up, a cold answer).
timed_get() {
  local label="$1" count="$2" url="$3" cfg="$RUNS/curl-$1.cfg" out="$RUNS/times-$1.txt" first
  shift 3
  first="$(curl -fsS -o /dev/null -w '%{time_total}' "$@" "$url")" || die "$label: $url failed"
  : >"$cfg"
  for ((i = 0; i < count; i++)); do printf 'url = "%s"\noutput = /dev/null\n' "$url" >>"$cfg"; done
  curl -fsS --config "$cfg" "$@" -w '%{http_code} %{time_total}\n' >"$out" || die "$label failed"
  awk '$1 != 200 { bad++ } END { if (bad) exit 1 }' "$out" || die "$label: non-200 answers"
  awk '{ print $2 * 1000 }' "$out" | sort -n |
    awk -v first="$first" '{ t[NR] = $1 } END { printf "%.1f %.2f\n", first * 1000, t[int((NR + 1) / 2)] }'
}

# frames_run LABEL BASE: every frame of the CT DW_FRAME_ROUNDS times, 4 transfers at a time
# over kept-alive connections (curl --parallel); echoes "frames_per_s connections".
frames_run() {
  local label="$1" base="$2" cfg="$RUNS/curl-$1.cfg" out="$RUNS/frames-$1.txt" start end sop
  shift 2
  : >"$cfg"
  for ((r = 0; r < DW_FRAME_ROUNDS; r++)); do
    while read -r sop; do
      printf 'url = "%s/studies/%s/series/%s/instances/%s/frames/1"\noutput = /dev/null\n' \
        "$base" "$CT_STUDY" "$CT_SERIES" "$sop" >>"$cfg"
    done <"$RUNS/ct-sops.txt"
  done
  start="$(date +%s.%N)"
  curl -sS --no-progress-meter --parallel --parallel-max 4 --config "$cfg" -H "$FRAME_ACCEPT" "$@" \
    -w '%{http_code} %{size_download} %{num_connects}\n' >"$out" || die "$label: curl failed"
  end="$(date +%s.%N)"
  awk '$1 != 200 || $2 < 512 * 512 * 2 { bad++ } END { if (bad) exit 1 }' "$out" ||
    die "$label: some frames were not answered in full (see $out)"
  awk -v s="$start" -v e="$end" '{ n++; c += $3 } END { printf "%.0f %d\n", n / (e - s), c }' "$out"
}

# ct_ready_in_telerad DB: waits until telerad's index says the CT is ready.
ct_ready_in_telerad() {
  for ((i = 0; i < 600; i++)); do
    [ "$("${PSQL[@]}" -d "$1" -c "SELECT status FROM study WHERE study_uid = '$CT_STUDY'")" = ready ] &&
      return 0
    sleep 0.5
  done
  die "the CT did not become ready in telerad"
}

store_ct() {  # store_ct PORT CALLED_AE: the CT by C-STORE over two associations
  split -n l/2 "$RUNS/ct-files.txt" "$RUNS/ct-part."
  local pids=() part
  for part in "$RUNS"/ct-part.*; do
    xargs -a "$part" env TCP_NODELAY=1 storescu -aet DEMO_SCU -aec "$2" 127.0.0.1 "$1" \
      >>"$RUNS/ct-store.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || die "storescu failed (see $RUNS/ct-store.log)"; done
  rm -f "$RUNS"/ct-part.*
}

T_META="-" T_META_FIRST="-" T_FRAMES="-" T_RENDER="-" T_VIEWER="-" T_VIEWER_WARM="-" T_RSS="-"
O_META="-" O_META_FIRST="-" O_FRAMES="-" O_RENDER="-" O_VIEWER="-" O_VIEWER_WARM="-"
RENDER_NOTE=""
VIEWER_DIST="$TELERAD_ROOT/web/node_modules/@ohif/app/dist"

# --- telerad ---
db=telerad_dicomweb_images
pg_ensure_db "$PG_DIR" "$PG_PORT" "$db"
TELERAD_DB_URL="$(pg_url "$PG_DIR" "$PG_PORT" "$db")" TELERAD_LOG_LEVEL=warn "$TELERAD_BIN" seed-demo \
  >/dev/null 2>&1 || die "telerad seed-demo on $db failed"
tdir="$RUNS/telerad-images"
mkdir -p "$tdir/storage"
env TELERAD_DB_URL="$(pg_app_url "$PG_DIR" "$PG_PORT" "$db")" TELERAD_STORAGE="$tdir/storage" \
  TELERAD_DICOM_PORT=$TELERAD_DICOM TELERAD_HTTP_PORT=$TELERAD_HTTP TELERAD_HTTP_BIND=127.0.0.1 \
  TELERAD_VIEWER_DIR="$VIEWER_DIST" TELERAD_LOG_LEVEL=warn "$TELERAD_BIN" serve >"$tdir/server.log" 2>&1 &
tpid=$!
SERVER_PIDS+=("$tpid")
for ((i = 0; i < 300; i++)); do
  curl -fs "http://127.0.0.1:$TELERAD_HTTP/readyz" >/dev/null 2>&1 && break
  kill -0 "$tpid" 2>/dev/null || die "telerad exited during start-up (see $tdir/server.log)"
  sleep 0.2
done
if [ "$("${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM study WHERE study_uid = '$CT_STUDY'")" = 0 ]; then
  log "storing the CT in telerad"
  store_ct "$TELERAD_DICOM" TELERAD
fi
ct_ready_in_telerad "$db"
token="$(curl -fs -X POST "http://127.0.0.1:$TELERAD_HTTP/api/v1/auth/login" \
  -H 'Content-Type: application/json' -d '{"username":"rad1","password":"telerad-demo"}' | jq -r .token)"
[ -n "$token" ] && [ "$token" != null ] || die "login as rad1 failed"
TBASE="http://127.0.0.1:$TELERAD_HTTP/dicomweb"
AUTH="Authorization: Bearer $token"
CT_SERIES="$(curl -fs -H "$AUTH" "$TBASE/studies/$CT_STUDY/series" | jq -r '.[0]["0020000E"].Value[0]')"
curl -fs -H "$AUTH" "$TBASE/studies/$CT_STUDY/series/$CT_SERIES/metadata" |
  jq -r '.[]["00080018"].Value[0]' >"$RUNS/ct-sops.txt"
[ "$(wc -l <"$RUNS/ct-sops.txt")" -eq "$DW_CT_SLICES" ] || die "telerad's metadata lacks instances"
SLICE="$(sed -n "$(((DW_CT_SLICES + 1) / 2))p" "$RUNS/ct-sops.txt")"
read -r T_META_FIRST T_META < <(timed_get telerad-metadata 20 \
  "$TBASE/studies/$CT_STUDY/series/$CT_SERIES/metadata" --compressed -H "$AUTH")
read -r T_FRAMES t_conns < <(frames_run telerad-frames "$TBASE" -H "$AUTH")
[ -n "$T_META" ] && [ -n "$T_FRAMES" ] || die "telerad's metadata or frames run failed"
log "telerad: metadata first/median $T_META_FIRST/$T_META ms, $T_FRAMES frames/s ($t_conns connections)"
rendered="$TBASE/studies/$CT_STUDY/series/$CT_SERIES/instances/$SLICE/rendered"
read -r _ T_RENDER < <(timed_get telerad-rendered 50 "$rendered" -H "$AUTH" -H 'Accept: image/jpeg')
viewer_path="/viewer?StudyInstanceUIDs=$CT_STUDY"
node "$TELERAD_ROOT/bench/viewer_first_slice.mjs" --base "http://127.0.0.1:$TELERAD_HTTP" \
  --path "$viewer_path" --user rad1 --runs 5 --shot "$RUNS/viewer-telerad.png" >"$RUNS/viewer-telerad.json" ||
  die "the viewer did not draw the CT from telerad"
T_VIEWER="$(jq -r .median_ms "$RUNS/viewer-telerad.json")"
T_VIEWER_WARM="$(jq -r .warm_median_ms "$RUNS/viewer-telerad.json")"
T_RSS="$(($(awk '/VmHWM/ { print $2 }' "/proc/$tpid/status") / 1024))"
log "telerad: rendered median ${T_RENDER} ms, first slice ${T_VIEWER} ms (warm ${T_VIEWER_WARM} ms), peak RSS $T_RSS MiB"

# --- Orthanc, behind the same OHIF build ---
if wants orthanc; then
  odir="$BENCH_DIR/dicomweb-orthanc-ct"
  mkdir -p "$odir/storage" "$odir/index"
  plugin="$(dpkg -L orthanc-dicomweb | grep -E '/libOrthancDicomWeb\.so' | head -1)"
  cat >"$odir/orthanc.json" <<JSON
{
  "Name" : "dicomweb-bench-ct", "StorageDirectory" : "$odir/storage", "IndexDirectory" : "$odir/index",
  "DicomAet" : "ORTHANC", "DicomPort" : $ORTHANC_DICOM, "HttpPort" : $ORTHANC_HTTP,
  "RemoteAccessAllowed" : false, "AuthenticationEnabled" : false,
  "DicomAlwaysAllowStore" : true, "DicomCheckCalledAet" : false,
  "Plugins" : [ "$plugin" ],
  "DicomWeb" : { "Enable" : true, "Root" : "/dicom-web/" }
}
JSON
  TCP_NODELAY=1 "$ORTHANC_BIN" "$odir/orthanc.json" >>"$odir/server.log" 2>&1 &
  opid=$!
  SERVER_PIDS+=("$opid")
  for ((i = 0; i < 600; i++)); do
    curl -fs "http://127.0.0.1:$ORTHANC_HTTP/system" >/dev/null 2>&1 && break
    kill -0 "$opid" 2>/dev/null || die "Orthanc exited during start-up (see $odir/server.log)"
    sleep 0.2
  done
  if [ "$(curl -fs "http://127.0.0.1:$ORTHANC_HTTP/statistics" | jq -r .CountInstances)" -lt "$DW_CT_SLICES" ]; then
    log "storing the CT in Orthanc"
    store_ct "$ORTHANC_DICOM" ORTHANC
  fi
  OBASE="http://127.0.0.1:$ORTHANC_HTTP/dicom-web"
  read -r O_META_FIRST O_META < <(timed_get orthanc-metadata 20 \
    "$OBASE/studies/$CT_STUDY/series/$CT_SERIES/metadata" --compressed)
  read -r O_FRAMES o_conns < <(frames_run orthanc-frames "$OBASE")
  [ -n "$O_META" ] && [ -n "$O_FRAMES" ] || die "Orthanc's metadata or frames run failed"
  log "Orthanc: metadata first/median $O_META_FIRST/$O_META ms, $O_FRAMES frames/s ($o_conns connections)"
  orendered="$OBASE/studies/$CT_STUDY/series/$CT_SERIES/instances/$SLICE/rendered"
  code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: image/jpeg' "$orendered")"
  if [ "$code" = 200 ]; then
    read -r _ O_RENDER < <(timed_get orthanc-rendered 50 "$orendered" -H 'Accept: image/jpeg')
  else
    RENDER_NOTE="Orthanc's DICOMweb plugin answered $code to rendered: no Orthanc figure"
    log "$RENDER_NOTE"
  fi
  node "$TELERAD_ROOT/bench/ohif_orthanc_proxy.mjs" --port "$OHIF_PROXY_HTTP" --dist "$VIEWER_DIST" \
    --orthanc "http://127.0.0.1:$ORTHANC_HTTP" \
    --config-from "http://127.0.0.1:$TELERAD_HTTP/app-config.js" >"$RUNS/ohif-proxy.log" 2>&1 &
  ppid=$!
  SERVER_PIDS+=("$ppid")
  for ((i = 0; i < 100; i++)); do port_busy "$OHIF_PROXY_HTTP" && break; sleep 0.1; done
  if node "$TELERAD_ROOT/bench/viewer_first_slice.mjs" --base "http://127.0.0.1:$OHIF_PROXY_HTTP" \
    --path "$viewer_path" --runs 5 --shot "$RUNS/viewer-orthanc.png" >"$RUNS/viewer-orthanc.json"; then
    O_VIEWER="$(jq -r .median_ms "$RUNS/viewer-orthanc.json")"
    O_VIEWER_WARM="$(jq -r .warm_median_ms "$RUNS/viewer-orthanc.json")"
  else
    O_VIEWER="failed (see $RUNS/ohif-proxy.log)"
  fi
  log "Orthanc: rendered median ${O_RENDER} ms, first slice ${O_VIEWER} ms (warm ${O_VIEWER_WARM} ms)"
  stop_pid "$ppid"
  forget_pid "$ppid"
  stop_pid "$opid"
  forget_pid "$opid"
fi
stop_pid "$tpid"
forget_pid "$tpid"

IMAGE_RESULTS+=("series metadata, first (cold) ms|$T_META_FIRST|$O_META_FIRST")
IMAGE_RESULTS+=("series metadata, median of 20 ms|$T_META|$O_META")
IMAGE_RESULTS+=("frames/s, 4 connections ($DW_FRAME_ROUNDS x $DW_CT_SLICES)|$T_FRAMES|$O_FRAMES")
IMAGE_RESULTS+=("rendered JPEG, median of 50 ms|$T_RENDER|$O_RENDER")
IMAGE_RESULTS+=("viewer click to first slice, cold (new context), median of 5 ms|$T_VIEWER|$O_VIEWER")
IMAGE_RESULTS+=("viewer click to first slice, warm (same context, next page), median of 5 ms|$T_VIEWER_WARM|$O_VIEWER_WARM")
IMAGE_RESULTS+=("peak RSS MiB (telerad, whole images part)|$T_RSS|-")
[ -z "$RENDER_NOTE" ] || IMAGE_RESULTS+=("note: $RENDER_NOTE||")
IMAGE_RESULTS+=("note: viewer, same OHIF dist and app-config; Orthanc's behind a node proxy (same gzip, same caching), telerad's with its cookie session check||")
