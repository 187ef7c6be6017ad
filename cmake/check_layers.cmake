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
#                (and src/ includes no door header that includes Pistache or DCMTK,
#                directly or not, nor one named for them: the doors give src/app/ facades)
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
set(allowed_imaging base index storage imaging)
set(allowed_reading base index audit reading)
set(allowed_vocabulary base vocabulary)
set(allowed_accounts base index accounts)
set(allowed_online base online)
set(allowed_kpi base kpi)
set(allowed_monitoring base index storage monitoring)
set(allowed_pg base index audit reading accounts online kpi imaging vocabulary pg)
set(allowed_pg/demo base demo pg pg/demo)
set(allowed_demo base index accounts demo)
set(allowed_dicom base config storage index audit ingest imaging reading monitoring dicom)
set(allowed_api base config index audit ingest reading accounts online kpi monitoring imaging vocabulary
                api)
set(allowed_app base config storage index audit ingest imaging reading vocabulary accounts online kpi
                monitoring pg
                demo pg/demo dicom api app)
set(allowed_bench base index accounts demo pg bench)

set(lib_pqxx pg pg/demo bench)
set(lib_pistache api)
set(lib_dcmtk dicom)
set(lib_nlohmann api)
set(lib_sodium base accounts)
set(lib_prometheus kpi monitoring api)

# The room a repository-relative path belongs to: "" for code outside the rules
# (tests/, tools), "?" for a path under src/ that is no room of the table.
function(room_of path out)
  set(room "")
  if(path MATCHES "^src/pg/demo/")
    set(room "pg/demo")
  elseif(path MATCHES "^src/([^/]+)/")
    set(room "${CMAKE_MATCH_1}")
    if(NOT DEFINED allowed_${room})
      set(room "?${room}")
    endif()
  elseif(path MATCHES "^src/")
    set(room "?")
  elseif(path MATCHES "^(api|dicom|bench)/")
    set(room "${CMAKE_MATCH_1}")
  endif()
  set(${out} "${room}" PARENT_SCOPE)
endfunction()

# The library a system include belongs to, or "".
function(library_of target out)
  set(library "")
  if(target MATCHES "^(pqxx|libpq-fe\\.h|libpq/|postgres)")
    set(library pqxx)
  elseif(target MATCHES "^pistache")
    set(library pistache)
  elseif(target MATCHES "^dcmtk")
    set(library dcmtk)
  elseif(target MATCHES "^nlohmann")
    set(library nlohmann)
  elseif(target MATCHES "^sodium")
    set(library sodium)
  elseif(target MATCHES "^prometheus")
    set(library prometheus)
  endif()
  set(${out} "${library}" PARENT_SCOPE)
endfunction()

# Every directive that includes, however it is spaced ("#  include", a tab, indented).
set(include_regex "^[ \t]*#[ \t]*include[ \t]*[<\"]")

# The repository-relative path an include names, or "" when it names no file of ours.
# A quoted include is looked up as the compiler does: beside the including file first,
# then from the root (the only include folder the build adds); `..` is resolved.
function(resolve_include file target out)
  set(result "")
  get_filename_component(dir "${file}" DIRECTORY)
  foreach(candidate "${dir}/${target}" "${target}")
    cmake_path(NORMAL_PATH candidate)
    if(candidate MATCHES "^\\.\\./|^/")
      continue()
    endif()
    if(EXISTS "${ROOT}/${candidate}" AND NOT IS_DIRECTORY "${ROOT}/${candidate}")
      set(result "${candidate}")
      break()
    endif()
  endforeach()
  if(result STREQUAL "" AND target MATCHES "^(src|api|dicom|bench|tests)/")
    set(result "${target}")  # a file of ours that does not exist (yet): judge its path
    cmake_path(NORMAL_PATH result)
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# The targets of a file's includes, in order ("pqxx/pqxx", "src/base/status.h", ...).
function(include_targets file out)
  file(STRINGS "${ROOT}/${file}" lines REGEX "${include_regex}")
  set(targets "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "${include_regex}([^>\"]+)[>\"].*" "\\1" target "${line}")
    list(APPEND targets "${target}")
  endforeach()
  set(${out} "${targets}" PARENT_SCOPE)
endfunction()

# Every file under the checked trees. C and C++ sources are read; under src/, api/ and
# dicom/ anything else but build files and documents is refused, so no included file
# hides behind an unusual extension.
set(cxx_regex "\\.(h|hh|hpp|hxx|c|cc|cpp|cxx|inc|inl|ipp|tcc)$")
file(GLOB_RECURSE all_files RELATIVE "${ROOT}" "${ROOT}/src/*" "${ROOT}/api/*" "${ROOT}/dicom/*"
     "${ROOT}/bench/*")
set(sources "")
set(violations "")
foreach(file IN LISTS all_files)
  if(file MATCHES "${cxx_regex}")
    list(APPEND sources "${file}")
  elseif(NOT file MATCHES "^bench/" AND NOT file MATCHES "(/CMakeLists\\.txt|\\.md|\\.yaml)$")
    list(APPEND violations "${file}: not a C++ source, build file or document; the layering check cannot read it")
  endif()
endforeach()

# The files that bring `library` in, directly or through another file that does: they
# carry it to whoever includes them. Repeated until nothing new is found.
function(files_exposing library out)
  set(found "")
  set(grown TRUE)
  while(grown)
    set(grown FALSE)
    foreach(file IN LISTS sources)
      if(file IN_LIST found)
        continue()
      endif()
      include_targets("${file}" targets)
      foreach(target IN LISTS targets)
        library_of("${target}" target_library)
        resolve_include("${file}" "${target}" resolved)
        if(target_library STREQUAL library OR (resolved AND resolved IN_LIST found))
          list(APPEND found "${file}")
          set(grown TRUE)
          break()
        endif()
      endforeach()
    endforeach()
  endwhile()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

files_exposing(pqxx pqxx_files)
# src/ is the core both doors call, so it sees no door library either: a door header
# that src/ includes (the app wires the doors) is a facade without Pistache or DCMTK.
files_exposing(pistache pistache_files)
files_exposing(dcmtk dcmtk_files)

foreach(file IN LISTS sources)
  room_of("${file}" room)
  if(room STREQUAL "")
    continue()
  endif()
  if(room MATCHES "^\\?")
    list(APPEND violations "${file}: not in a room of the layout (src/<room>/, cmake/check_layers.cmake)")
    continue()
  endif()
  include_targets("${file}" targets)
  foreach(target IN LISTS targets)
    library_of("${target}" library)
    if(library AND NOT room IN_LIST lib_${library})
      string(REPLACE ";" ", " users "${lib_${library}}")
      list(APPEND violations "${file}: includes <${target}>, which only ${users} may use")
    endif()
    resolve_include("${file}" "${target}" resolved)
    if(resolved STREQUAL "")
      continue()
    endif()
    room_of("${resolved}" target_room)
    if(resolved MATCHES "^tests/")
      set(target_room "tests")
    endif()
    if(target_room STREQUAL "" OR NOT target_room IN_LIST allowed_${room})
      if(target_room STREQUAL "")
        set(target_room "${resolved}")
      endif()
      list(APPEND violations "${file}: includes ${target}: ${room} may not use ${target_room}")
    elseif(resolved IN_LIST pqxx_files AND NOT room IN_LIST lib_pqxx)
      list(APPEND violations "${file}: includes ${target}, which exposes libpqxx")
    elseif(file MATCHES "^src/" AND (resolved IN_LIST pistache_files OR resolved IN_LIST dcmtk_files))
      string(CONCAT message "${file}: includes ${target}, which exposes Pistache or DCMTK. "
             "src/ sees no door library: include a facade header of the door instead "
             "(e.g. api/http_server.h, dicom/dicom_server.h)")
      list(APPEND violations "${message}")
    elseif(file MATCHES "^src/" AND target MATCHES "[Pp][Ii][Ss][Tt][Aa][Cc][Hh][Ee]|[Dd][Cc][Mm][Tt][Kk]")
      string(CONCAT message "${file}: includes ${target}, whose name says it is a door "
             "library's own file. src/ includes only a door's facade, named for what it does")
      list(APPEND violations "${message}")
    endif()
  endforeach()
endforeach()

if(violations)
  list(LENGTH violations count)
  string(REPLACE ";" "\n  " lines "${violations}")
  message(FATAL_ERROR "layering: ${count} include(s) cross a wall:\n  ${lines}")
endif()
