#!/usr/bin/env bash
# The layering check (cmake/check_layers.cmake) passes on this tree and fails, naming
# the file, on each kind of wall a change could cross. Each case is a tiny tree of its
# own, so the check is shown to fail, not only to pass.
set -u
script="$1/cmake/check_layers.cmake"
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() {  # check NAME EXPECT(pass|fail) NEEDLE FILE CONTENT [FILE CONTENT ...]
  local name=$1 expect=$2 needle=$3
  shift 3
  local tree="$work/$name"
  mkdir -p "$tree"
  while [ $# -gt 0 ]; do
    mkdir -p "$tree/$(dirname "$1")"
    printf '%b' "$2" >"$tree/$1"
    shift 2
  done
  local out rc
  out=$(cmake -DROOT="$tree" -P "$script" 2>&1)
  rc=$?
  if [ "$expect" = pass ] && [ $rc -ne 0 ]; then
    echo "FAIL $name: expected to pass, got: $out"; failures=$((failures + 1))
  elif [ "$expect" = fail ] && { [ $rc -eq 0 ] || ! grep -qF "$needle" <<<"$out"; }; then
    echo "FAIL $name: expected a violation naming '$needle', got rc=$rc: $out"; failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

out=$(cmake -DROOT="$1" -P "$script" 2>&1) || { echo "FAIL the source tree: $out"; failures=$((failures + 1)); }

check allowed pass "" \
  src/pg/pg_pool.h '#include <pqxx/pqxx>\n' \
  src/pg/pg_study_repository.cpp '#include "src/pg/pg_pool.h"\n#include "src/index/study_repository.h"\n' \
  src/app/server.cpp '#include "src/pg/pg_database.h"\n#include "api/http_server.h"\n#include "dicom/dicom_server.h"\n' \
  api/study_routes.cpp '#include <pistache/router.h>\n#include "src/reading/study_service.h"\n'
check pqxx_in_a_door fail "api/x.cpp: includes <pqxx/pqxx>" api/x.cpp '#include <pqxx/pqxx>\n'
check pqxx_in_a_service fail "src/reading/x.cpp: includes <pqxx/pqxx>" src/reading/x.cpp '#include <pqxx/pqxx>\n'
check door_includes_pg fail "dicom/x.cpp: includes src/pg/pg_study_repository.h" \
  dicom/x.cpp '#include "src/pg/pg_study_repository.h"\n'
check pqxx_header_outside_pg fail "src/app/x.cpp: includes src/pg/pg_pool.h, which exposes libpqxx" \
  src/pg/pg_pool.h '#include <pqxx/pqxx>\n' src/app/x.cpp '#include "src/pg/pg_pool.h"\n'
check pistache_in_core fail "src/kpi/x.cpp: includes <pistache/http.h>" src/kpi/x.cpp '#include <pistache/http.h>\n'
check dcmtk_in_core fail "src/ingest/x.cpp: includes <dcmtk/dcmdata/dctk.h>" \
  src/ingest/x.cpp '#include <dcmtk/dcmdata/dctk.h>\n'
check base_reaches_up fail "base may not use reading" src/base/x.h '#include "src/reading/report_service.h"\n'
check door_reaches_other_door fail "api may not use dicom" api/x.cpp '#include "dicom/storage_scp.h"\n'
check service_reaches_a_door fail "reading may not use api" src/reading/x.cpp '#include "api/reply.h"\n'
check unknown_room fail "src/misc/x.cpp: not in a room" src/misc/x.cpp '#include <string>\n'
check flat_src_file fail "src/x.cpp: not in a room" src/x.cpp '#include <string>\n'
check odd_spacing fail "api/x.cpp: includes <pqxx/pqxx>" api/x.cpp '  #  include\t<pqxx/pqxx>\n'
check relative_path fail "api/x.cpp: includes ../src/pg/pg_pool.h: api may not use pg" \
  src/pg/pg_pool.h '#include <pqxx/pqxx>\n' api/x.cpp '#include "../src/pg/pg_pool.h"\n'
check dotdot_inside fail "includes src/base/../pg/pg_database.h: dicom may not use pg" \
  src/pg/pg_database.h '#include <string>\n' dicom/x.cpp '#include "src/base/../pg/pg_database.h"\n'
check angle_brackets fail "includes src/pg/pg_database.h: api may not use pg" \
  src/pg/pg_database.h '#include <string>\n' api/x.cpp '#include <src/pg/pg_database.h>\n'
check pqxx_through_another_header fail "src/app/x.cpp: includes src/pg/pg_study_row.h, which exposes libpqxx" \
  src/pg/pg_row.h '#include <pqxx/pqxx>\n' src/pg/pg_study_row.h '#include "src/pg/pg_row.h"\n' \
  src/app/x.cpp '#include "src/pg/pg_study_row.h"\n'
check door_library_through_a_header fail "src/app/x.cpp: includes api/server.h, which exposes Pistache or DCMTK" \
  api/server.h '#include <pistache/endpoint.h>\n' src/app/x.cpp '#include "api/server.h"\n'
check dcmtk_two_headers_deep fail "src/app/x.cpp: includes dicom/door.h, which exposes Pistache or DCMTK" \
  dicom/inner.h '#include <dcmtk/dcmnet/assoc.h>\n' dicom/door.h '#include "dicom/inner.h"\n' \
  src/app/x.cpp '#include "dicom/door.h"\n'
check door_library_named fail "src/app/x.cpp: includes dicom/dcmtk_codec.h, whose name says" \
  dicom/dcmtk_codec.h '#include <string>\n' src/app/x.cpp '#include "dicom/dcmtk_codec.h"\n'
check facade_allowed pass "" \
  dicom/dcmtk_door.h '#include <dcmtk/dcmnet/assoc.h>\n' dicom/door.cpp '#include "dicom/door.h"\n#include "dicom/dcmtk_door.h"\n' \
  dicom/door.h '#include <memory>\n' src/app/x.cpp '#include "dicom/door.h"\n'
check libpq_directly fail "src/reading/x.cpp: includes <libpq-fe.h>" src/reading/x.cpp '#include <libpq-fe.h>\n'
check unusual_extension fail "api/x.frag: not a C++ source" api/x.frag '#include <pqxx/pqxx>\n'
check hpp_is_read fail "api/x.hpp: includes <pqxx/pqxx>" api/x.hpp '#include <pqxx/pqxx>\n'
check door_includes_tests fail "api/x.cpp: includes tests/unit/fakes.h: api may not use tests" \
  api/x.cpp '#include "tests/unit/fakes.h"\n'

if [ $failures -ne 0 ]; then echo "$failures layering case(s) failed"; exit 1; fi
