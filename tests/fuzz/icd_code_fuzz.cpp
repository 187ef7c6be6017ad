// Fuzzes ICD code classification and normalisation (src/base/icd_code.h): the input is a
// report's code list, one code a line. Whatever normalisation accepts must classify.
#include <cstdint>
#include <string>
#include <vector>

#include "src/base/icd_code.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)telerad::ClassifyIcdCode(text);
  std::vector<std::string> codes;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    codes.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (!telerad::NormaliseIcdCodes(codes).ok()) return 0;
  if (codes.size() > telerad::kMaxIcdCodes) __builtin_trap();
  for (const auto& code : codes)
    if (!telerad::ClassifyIcdCode(code)) __builtin_trap();
  return 0;
}
