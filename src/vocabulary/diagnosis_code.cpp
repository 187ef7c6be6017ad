#include "src/vocabulary/diagnosis_code.h"

namespace telerad {

const char* ToString(IcdSystem system) { return system == IcdSystem::kIcd11 ? "icd11" : "icd10"; }

std::optional<IcdSystem> ParseIcdSystem(const std::string& name) {
  if (name == "icd10") return IcdSystem::kIcd10;
  if (name == "icd11") return IcdSystem::kIcd11;
  return std::nullopt;
}

}  // namespace telerad
