// ReportTemplate: a prefilled findings and impression the report editor offers for a
// modality class and body part, in one language (issue 14).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "src/base/model.h"

namespace telerad {

struct ReportTemplate {
  int64_t id = 0;
  std::string name;
  std::string language;        // "mn" or "en"
  std::string modality_class;  // "CT", "XRAY", "OTHER", or "" for any
  std::string body_part;       // a DICOM Body Part Examined term, or "" for any
  std::string findings;
  std::string impression;
  bool active = true;
  int version = 1;  // set by the repository
  TimePoint updated_at;
  std::string updated_by;
};

// Which templates a list answers. An unset field does not filter; a modality class or
// body part also admits the templates made for any.
struct TemplateFilter {
  std::optional<std::string> language;
  std::optional<std::string> modality_class;
  std::optional<std::string> body_part;
  bool active_only = true;
};

}  // namespace telerad
