// Logging set-up: three spdlog loggers, `core`, `dicom` and `api`, writing one
// `key=value` line per event to stderr. Thread-safe (spdlog _mt sinks).
//
// Never log patient names, IDs, birth dates, accession numbers, report text, tokens or
// passwords at INFO or above: log internal ids instead (STYLE.md, "Logging").
#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace telerad {

// Creates the loggers at `level` ("trace".."off"). Safe to call again to change level.
void SetUpLogging(const std::string& level);

spdlog::logger& CoreLog();
spdlog::logger& DicomLog();
spdlog::logger& ApiLog();

// The first line of a library message, quotes replaced, for a one-line log value.
std::string FirstLine(const std::string& text);

}  // namespace telerad
