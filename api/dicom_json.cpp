#include "api/dicom_json.h"

#include <cstdio>

#include "api/json_common.h"

namespace telerad::api {
namespace {

std::string Head(const char* vr) {
  std::string head = "{\"vr\":\"";
  head += vr;
  head += '"';
  return head;
}

}  // namespace

std::string DicomTagKey(uint32_t tag) {
  char key[9];
  std::snprintf(key, sizeof key, "%08X", tag);
  return key;
}

void DicomJsonDataset::String(uint32_t tag, const char* vr, std::string_view value) {
  if (value.empty()) {
    attributes_[tag] = Head(vr) + "}";
    return;
  }
  Strings(tag, vr, {std::string(value)});
}

void DicomJsonDataset::Strings(uint32_t tag, const char* vr,
                               const std::vector<std::string>& values) {
  std::string text = Head(vr);
  if (!values.empty()) {
    text += ",\"Value\":[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) text += ',';
      AppendJsonString(text, values[i]);
    }
    text += ']';
  }
  attributes_[tag] = text + "}";
}

void DicomJsonDataset::PersonName(uint32_t tag, std::string_view value) {
  std::string text = Head("PN");
  if (!value.empty()) {
    static constexpr const char* kGroups[] = {"Alphabetic", "Ideographic", "Phonetic"};
    text += ",\"Value\":[{";
    bool first = true;
    size_t start = 0;
    for (int group = 0; group < 3 && start <= value.size(); ++group) {
      size_t end = value.find('=', start);
      if (end == std::string_view::npos || group == 2) end = value.size();
      const std::string_view part = value.substr(start, end - start);
      if (!part.empty()) {
        if (!first) text += ',';
        first = false;
        text += '"';
        text += kGroups[group];
        text += "\":";
        AppendJsonString(text, std::string(part));
      }
      start = end + 1;
    }
    text += "}]";
  }
  attributes_[tag] = text + "}";
}

void DicomJsonDataset::Integer(uint32_t tag, const char* vr, std::optional<int64_t> value) {
  std::string text = Head(vr);
  if (value) text += ",\"Value\":[" + std::to_string(*value) + "]";
  attributes_[tag] = text + "}";
}

void DicomJsonDataset::Raw(uint32_t tag, std::string attribute_json) {
  attributes_[tag] = std::move(attribute_json);
}

void DicomJsonDataset::AppendTo(std::string& out) const {
  out += '{';
  bool first = true;
  for (const auto& [tag, attribute] : attributes_) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += DicomTagKey(tag);
    out += "\":";
    out += attribute;
  }
  out += '}';
}

}  // namespace telerad::api
