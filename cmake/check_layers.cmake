# Checks that every #include in the server's code crosses only the walls the layout
# allows (README, "Layout"). Run by the build (target check_layers, before the binary
# links) and by ctest; fails with one line per violation.
#
#   cmake -DROOT=<source tree> -P cmake/check_layers.cmake
#
# Rooms are src/<room>/ (src/pg/demo/ is a room of its own), api/, dicom/ and bench/.
# A room may include its own files and those of the rooms listed for it below. On top
# of that, a library's headers may appear only in the rooms that may link it:
#   libpqxx      src/pg/, src/pg/demo/, bench/ (and any header that includes it: those
#                are included only there too)
#   Pistache     api/          DCMTK     dicom/        nlohmann-json  api/
#   libsodium    src/base/, src/accounts/              prometheus-cpp src/kpi/, src/monitoring/, api/
cmake_minimum_required(VERSION 3.25)
if(NOT DEFINED ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<source tree> -P check_layers.cmake")
endif()

set(allowed_base base)
set(allowed_config base config)
set(allowed_storage base storage)
set(allowed_index base index)
set(allowed_audit base audit)
set(allowed_ingest base index storage ingest)
set(allowed_reading base index audit reading)
set(allowed_accounts base index accounts)
set(allowed_online base online)
set(allowed_kpi base kpi)
set(allowed_monitoring base index storage monitoring)
set(allowed_pg base index audit reading accounts online kpi pg)
set(allowed_pg/demo base demo pg pg/demo)
set(allowed_demo base index accounts demo)
set(allowed_dicom base config storage index ingest reading monitoring dicom)
set(allowed_api base config index audit reading accounts online kpi monitoring api)
set(allowed_app base config storage index audit ingest reading accounts online kpi monitoring pg
                demo pg/demo dicom api app)
set(allowed_bench base index accounts demo pg bench)

set(lib_pqxx pg pg/demo bench)
set(lib_pistache api)
set(lib_dcmtk dicom)
set(lib_nlohmann api)
set(lib_sodium base accounts)
set(lib_prometheus kpi monitoring api)

# The room a repository-relative path belongs to, or "" for code outside the rules.
function(room_of path out)
  set(room "")
  if(path MATCHES "^src/pg/demo/")
    set(room "pg/demo")
  elseif(path MATCHES "^src/([a-z_]+)/")
    set(room "${CMAKE_MATCH_1}")
  elseif(path MATCHES "^(api|dicom|bench)/")
    set(room "${CMAKE_MATCH_1}")
  elseif(path MATCHES "^tests/")
    set(room "tests")
  endif()
  set(${out} "${room}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE sources RELATIVE "${ROOT}" "${ROOT}/src/*.h" "${ROOT}/src/*.cpp"
     "${ROOT}/api/*.h" "${ROOT}/api/*.cpp" "${ROOT}/dicom/*.h" "${ROOT}/dicom/*.cpp"
     "${ROOT}/bench/*.h" "${ROOT}/bench/*.cpp")

# Headers that include libpqxx: they carry it to whoever includes them.
set(pqxx_headers "")
foreach(file IN LISTS sources)
  if(file MATCHES "\\.h$")
    file(STRINGS "${ROOT}/${file}" hits REGEX "^#include <pqxx/")
    if(hits)
      list(APPEND pqxx_headers "${file}")
    endif()
  endif()
endforeach()

set(violations "")
foreach(file IN LISTS sources)
  room_of("${file}" room)
  if(room STREQUAL "" OR room STREQUAL "tests")
    continue()
  endif()
  if(NOT DEFINED allowed_${room})
    list(APPEND violations "${file}: src/${room}/ is not a room of the layout (cmake/check_layers.cmake)")
    continue()
  endif()
  file(STRINGS "${ROOT}/${file}" includes REGEX "^#include [<\"]")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include [<\"]([^>\"]+)[>\"].*" "\\1" target "${line}")
    set(library "")
    if(target MATCHES "^pqxx/")
      set(library pqxx)
    elseif(target MATCHES "^pistache/")
      set(library pistache)
    elseif(target MATCHES "^dcmtk/")
      set(library dcmtk)
    elseif(target MATCHES "^nlohmann/")
      set(library nlohmann)
    elseif(target STREQUAL "sodium.h")
      set(library sodium)
    elseif(target MATCHES "^prometheus/")
      set(library prometheus)
    endif()
    if(library AND NOT room IN_LIST lib_${library})
      string(REPLACE ";" ", " users "${lib_${library}}")
      list(APPEND violations "${file}: includes <${target}>, which only ${users} may use")
    endif()
    if(target MATCHES "^(src|api|dicom|bench|tests)/")
      room_of("${target}" target_room)
      if(NOT target_room IN_LIST allowed_${room})
        list(APPEND violations "${file}: includes ${target}: ${room} may not use ${target_room}")
      elseif(target IN_LIST pqxx_headers AND NOT room IN_LIST lib_pqxx)
        list(APPEND violations "${file}: includes ${target}, which exposes libpqxx")
      endif()
    endif()
  endforeach()
endforeach()

if(violations)
  list(LENGTH violations count)
  string(REPLACE ";" "\n  " lines "${violations}")
  message(FATAL_ERROR "layering: ${count} include(s) cross a wall:\n  ${lines}")
endif()
