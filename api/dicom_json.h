// DicomJsonDataset: one data set in the DICOM JSON model (PS3.18 annex F.2), written
// directly as text. Attributes come out in tag order as F.2 shows them, keyed by eight
// upper-case hex digits, each with its "vr"; an empty value is an attribute without
// "Value" (F.2.5); PN values are objects of component groups (F.2.2); IS, DS, US and
// the other numeric VRs are JSON numbers (F.2.3).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telerad::api {

// "0020000D" for (0020,000D).
std::string DicomTagKey(uint32_t tag);

class DicomJsonDataset {
 public:
  // A single text value of a string VR (CS, DA, LO, SH, TM, UI, UR…); "" = empty.
  void String(uint32_t tag, const char* vr, std::string_view value);
  // A multi-valued string (e.g. ModalitiesInStudy); none = empty.
  void Strings(uint32_t tag, const char* vr, const std::vector<std::string>& values);
  // A PN value as DICOM encodes it, "Alphabetic=Ideographic=Phonetic" with '^' between
  // components; each non-empty group becomes its member of the value object.
  void PersonName(uint32_t tag, std::string_view value);
  // An integer of a numeric VR (IS, US, UL, SS, SL); nullopt = empty.
  void Integer(uint32_t tag, const char* vr, std::optional<int64_t> value);
  // An attribute object already in DICOM JSON (`{"vr":…}`), e.g. from stored metadata.
  void Raw(uint32_t tag, std::string attribute_json);

  bool Has(uint32_t tag) const { return attributes_.count(tag) > 0; }
  // Appends the data set as one JSON object.
  void AppendTo(std::string& out) const;

 private:
  std::map<uint32_t, std::string> attributes_;  // tag → attribute object text
};

}  // namespace telerad::api
