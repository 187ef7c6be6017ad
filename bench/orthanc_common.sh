# Orthanc set-up shared by bench/ingest.sh and bench/worklist.sh. Sourced after
# scripts/lib/common.sh; needs die() and ORTHANC_BIN from the calling script.

# The Debian package starts and enables a system service; the benchmarks run their own
# Orthanc processes only, so the service is stopped and kept from starting again.
stop_orthanc_service() {
  if command -v systemctl >/dev/null && systemctl is-active --quiet orthanc 2>/dev/null; then
    log "stopping and disabling the orthanc system service"
    as_root systemctl stop orthanc || true
    as_root systemctl disable orthanc >/dev/null 2>&1 || true
  elif as_root service orthanc status >/dev/null 2>&1; then
    log "stopping the orthanc system service"
    as_root service orthanc stop >/dev/null 2>&1 || true
  fi
  [ -x "$ORTHANC_BIN" ] || die "$ORTHANC_BIN not found"
}

# Path of Orthanc's PostgreSQL index plugin (package orthanc-postgresql).
orthanc_pg_plugin() {
  local plugin
  plugin="$(dpkg -L orthanc-postgresql | grep -E '/libOrthancPostgreSQLIndex\.so$' | head -1)"
  [ -n "$plugin" ] || die "libOrthancPostgreSQLIndex.so not found in orthanc-postgresql"
  echo "$plugin"
}
