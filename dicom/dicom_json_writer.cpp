#include "dicom/dicom_json_writer.h"

#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcvrat.h>
#include <dcmtk/ofstd/ofstd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dicom/header_reader.h"
#include "src/base/text.h"

namespace telerad::dicom {
namespace {

std::string TagHex(const DcmTagKey& tag) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%04X%04X", tag.getGroup(), tag.getElement());
  return buf;
}

bool IsPixelData(const DcmTagKey& tag) {
  return tag.getGroup() == 0x7FE0 &&
         (tag.getElement() == 0x0010 || tag.getElement() == 0x0008 || tag.getElement() == 0x0009);
}

void AppendEscaped(std::string& out, const std::string& raw) {
  AppendJsonEscaped(out, SanitizeUtf8(raw));
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An IS or DS value as a JSON number (RFC 8259 6), or nullopt if it is none: a sign '+'
// and leading zeros are dropped, a missing digit around the point is supplied.
std::optional<std::string> JsonNumber(const std::string& value) {
  std::string s = value;
  std::string sign;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (s[0] == '-') sign = "-";
    s.erase(0, 1);
  }
  std::string exponent;
  const size_t e = s.find_first_of("eE");
  if (e != std::string::npos) {
    exponent = s.substr(e + 1);
    s.resize(e);
    std::string digits = exponent;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.erase(0, 1);
    if (!AllDigits(digits)) return std::nullopt;
  }
  std::string integer = s, fraction;
  const size_t point = s.find('.');
  if (point != std::string::npos) {
    integer = s.substr(0, point);
    fraction = s.substr(point + 1);
    if (integer.empty() && fraction.empty()) return std::nullopt;
    if (fraction.empty()) fraction = "0";
    if (!AllDigits(fraction)) return std::nullopt;
  }
  if (integer.empty()) integer = "0";
  if (!AllDigits(integer)) return std::nullopt;
  integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size() - 1));
  std::string out = sign + integer;
  if (point != std::string::npos) out += "." + fraction;
  if (e != std::string::npos) out += "e" + exponent;
  return out;
}

template <typename T>
void AppendFloat(std::string& out, T v, int digits) {
  if (std::isnan(v)) {
    out += "\"NaN\"";
  } else if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(v));
    out += buf;
  }
}

// "Alphabetic", "Ideographic" and "Phonetic" component groups of one PN value (PS3.5
// 6.2.1, PS3.18 F.2.2), the empty ones left out.
void AppendPersonName(std::string& out, const std::string& value) {
  static const char* const kGroups[] = {"Alphabetic", "Ideographic", "Phonetic"};
  out += '{';
  bool first = true;
  size_t start = 0;
  for (int g = 0; g < 3 && start <= value.size(); ++g) {
    size_t end = value.find('=', start);
    if (end == std::string::npos || g == 2) end = value.size();
    const std::string group = value.substr(start, end - start);
    if (!group.empty()) {
      if (!first) out += ',';
      first = false;
      out += '"';
      out += kGroups[g];
      out += "\":";
      AppendEscaped(out, group);
    }
    start = end + 1;
  }
  out += '}';
}

enum class ValueKind { kText, kSingleText, kPersonName, kNumberText, kBinary, kOther };

ValueKind KindOf(DcmEVR vr) {
  switch (vr) {
    case EVR_AE:
    case EVR_AS:
    case EVR_CS:
    case EVR_DA:
    case EVR_DT:
    case EVR_LO:
    case EVR_SH:
    case EVR_TM:
    case EVR_UC:
    case EVR_UI:
      return ValueKind::kText;
    case EVR_LT:
    case EVR_ST:
    case EVR_UT:
    case EVR_UR:
      return ValueKind::kSingleText;
    case EVR_PN:
      return ValueKind::kPersonName;
    case EVR_IS:
    case EVR_DS:
      return ValueKind::kNumberText;
    case EVR_OB:
    case EVR_OD:
    case EVR_OF:
    case EVR_OL:
    case EVR_OV:
    case EVR_OW:
    case EVR_UN:
      return ValueKind::kBinary;
    default:
      return ValueKind::kOther;
  }
}

// Whether the writer gives `element` a BulkDataURI rather than its value.
bool IsBulkValue(DcmElement& element, const DcmTagKey& tag, DcmEVR vr,
                 const DicomJsonOptions& options) {
  if (IsPixelData(tag)) return true;
  const Uint32 length = element.getLengthField();
  if (length == DCM_UndefinedLength) return true;  // encapsulated pixel data
  if (KindOf(vr) == ValueKind::kBinary) return length > options.max_inline_binary;
  return length > options.max_inline_value;
}

class Writer {
 public:
  explicit Writer(const DicomJsonOptions& options) : options_(options) {}

  static DcmEVR ResolvedVrOf(DcmElement& element) { return ResolvedVr(element); }

  // Appends "tag":{...} for `element` to `out`. False once `out` grew past max_bytes
  // (what was appended is then incomplete).
  bool Element(DcmElement& element, const std::string& path, std::string& out) {
    const DcmTagKey tag = element.getTag();
    const DcmEVR vr = ResolvedVr(element);
    out += '"' + TagHex(tag) + "\":{\"vr\":\"" + DcmVR(vr).getValidVRName() + '"';
    if (vr == EVR_SQ) {
      if (!Sequence(static_cast<DcmSequenceOfItems&>(element), path, out)) return false;
    } else if (IsBulk(element, tag, vr)) {
      out += ",\"BulkDataURI\":";
      AppendEscaped(out, options_.bulk_data_base + path);
    } else if (element.getLengthField() > 0) {
      Value(element, vr, out);
    }
    out += '}';
    return out.size() <= options_.max_bytes;
  }

 private:
  // DCMTK's internal VRs (PS3.5 leaves them to the transfer syntax or to another
  // attribute; dcmtk/dcmdata/dcvr.h) as the VR this element holds.
  static DcmEVR ResolvedVr(DcmElement& element) {
    const DcmEVR vr = DcmVR(element.getVR()).getEVR();
    switch (vr) {
      case EVR_ox:
      case EVR_lt:
      case EVR_PixelData:
      case EVR_OverlayData:
        return EVR_OW;
      case EVR_px:
      case EVR_pixelSQ:
      case EVR_pixelItem:
        return EVR_OB;
      case EVR_xs:
        return element.ident() == EVR_SS ? EVR_SS : EVR_US;
      case EVR_up:
        return EVR_UL;
      case EVR_na:
      case EVR_UNKNOWN:
      case EVR_UNKNOWN2B:
        return EVR_UN;
      default:
        return vr;
    }
  }

  bool IsBulk(DcmElement& element, const DcmTagKey& tag, DcmEVR vr) const {
    return IsBulkValue(element, tag, vr, options_);
  }

  bool Sequence(DcmSequenceOfItems& sequence, const std::string& path, std::string& out) {
    if (sequence.card() == 0) return true;
    out += ",\"Value\":[";
    for (unsigned long i = 0; i < sequence.card(); ++i) {
      if (i > 0) out += ',';
      out += '{';
      DcmItem* item = sequence.getItem(i);
      bool first = true;
      for (unsigned long k = 0; item != nullptr && k < item->card(); ++k) {
        DcmElement* element = item->getElement(k);
        if (element == nullptr) continue;
        if (!first) out += ',';
        first = false;
        if (!Element(*element, path + "." + std::to_string(i) + "." + TagHex(element->getTag()),
                     out))
          return false;
      }
      out += '}';
      // Checked per item too: a million empty items nest no element that would check.
      if (out.size() > options_.max_bytes) return false;
    }
    out += ']';
    return true;
  }

  void Value(DcmElement& element, DcmEVR vr, std::string& out) {
    const ValueKind kind = KindOf(vr);
    if (kind == ValueKind::kBinary) {
      InlineBinary(element, out);
      return;
    }
    const unsigned long count = kind == ValueKind::kSingleText ? 1 : element.getVM();
    if (count == 0) return;
    out += ",\"Value\":[";
    for (unsigned long pos = 0; pos < count; ++pos) {
      if (pos > 0) out += ',';
      OneValue(element, vr, kind, pos, out);
    }
    out += ']';
  }

  static void OneValue(DcmElement& element, DcmEVR vr, ValueKind kind, unsigned long pos,
                       std::string& out) {
    if (kind == ValueKind::kText || kind == ValueKind::kSingleText ||
        kind == ValueKind::kPersonName || kind == ValueKind::kNumberText) {
      OFString value;
      if (element.getOFString(value, pos, OFTrue).bad() || value.empty()) {
        out += "null";
        return;
      }
      std::string text(value.c_str(), value.length());
      if (kind == ValueKind::kPersonName) {
        AppendPersonName(out, text);
      } else if (kind == ValueKind::kNumberText) {
        auto number = JsonNumber(text);
        if (number)
          out += *number;
        else
          AppendEscaped(out, text);
      } else {
        AppendEscaped(out, text);
      }
      return;
    }
    switch (vr) {
      case EVR_AT: {
        DcmTagKey key;
        if (static_cast<DcmAttributeTag&>(element).getTagVal(key, pos).good())
          AppendEscaped(out, TagHex(key));
        else
          out += "null";
        return;
      }
      case EVR_FL: {
        Float32 v = 0;
        if (element.getFloat32(v, pos).good()) return AppendFloat(out, v, 9);
        break;
      }
      case EVR_FD: {
        Float64 v = 0;
        if (element.getFloat64(v, pos).good()) return AppendFloat(out, v, 17);
        break;
      }
      case EVR_SL: {
        Sint32 v = 0;
        if (element.getSint32(v, pos).good()) {
          out += std::to_string(v);
          return;
        }
        break;
      }
      case EVR_SS: {
        Sint16 v = 0;
        if (element.getSint16(v, pos).good()) {
          out += std::to_string(v);
          return;
        }
        break;
      }
      case EVR_UL: {
        Uint32 v = 0;
        if (element.getUint32(v, pos).good()) {
          out += std::to_string(v);
          return;
        }
        break;
      }
      case EVR_US: {
        Uint16 v = 0;
        if (element.getUint16(v, pos).good()) {
          out += std::to_string(v);
          return;
        }
        break;
      }
      case EVR_SV: {
        Sint64 v = 0;
        if (element.getSint64(v, pos).good()) {
          out += std::to_string(v);
          return;
        }
        break;
      }
      case EVR_UV: {
        Uint64 v = 0;
        if (element.getUint64(v, pos).good()) {
          out += std::to_string(v);
          return;
        }
        break;
      }
      default:
        break;
    }
    out += "null";
  }

  // The value's bytes in little endian order (the host's: DCMTK keeps values in local
  // byte order once loaded), base64-encoded.
  static void InlineBinary(DcmElement& element, std::string& out) {
    const size_t length = element.getLengthField();
    const unsigned char* bytes = nullptr;
    Uint8* u8 = nullptr;
    Uint16* u16 = nullptr;
    Uint32* u32 = nullptr;
    Uint64* u64 = nullptr;
    Float32* f32 = nullptr;
    Float64* f64 = nullptr;
    switch (ResolvedVr(element)) {
      case EVR_OW:
        if (element.getUint16Array(u16).good()) bytes = reinterpret_cast<unsigned char*>(u16);
        break;
      case EVR_OL:
        if (element.getUint32Array(u32).good()) bytes = reinterpret_cast<unsigned char*>(u32);
        break;
      case EVR_OV:
        if (element.getUint64Array(u64).good()) bytes = reinterpret_cast<unsigned char*>(u64);
        break;
      case EVR_OF:
        if (element.getFloat32Array(f32).good()) bytes = reinterpret_cast<unsigned char*>(f32);
        break;
      case EVR_OD:
        if (element.getFloat64Array(f64).good()) bytes = reinterpret_cast<unsigned char*>(f64);
        break;
      default:
        if (element.getUint8Array(u8).good()) bytes = u8;
        break;
    }
    if (bytes == nullptr) return;
    OFString encoded;
    OFStandard::encodeBase64(bytes, length, encoded);
    out += ",\"InlineBinary\":\"";
    out.append(encoded.c_str(), encoded.length());
    out += '"';
  }

  const DicomJsonOptions& options_;
};

}  // namespace

bool IsBulkData(DcmElement& element, const DicomJsonOptions& options) {
  return IsBulkValue(element, element.getTag(), Writer::ResolvedVrOf(element), options);
}

DicomJson WriteDicomJson(DcmItem& data_set, const DicomJsonOptions& options) {
  Writer writer(options);
  // Each top-level attribute on its own first, so that the largest can be left out when
  // the whole does not fit; at most max_bytes are kept plus the one being written.
  struct Written {
    DcmTagKey tag;
    std::string json;
  };
  std::vector<Written> kept;
  size_t total = 0;
  DicomJson result;
  for (unsigned long k = 0; k < data_set.card(); ++k) {
    DcmElement* element = data_set.getElement(k);
    if (element == nullptr || element->getTag().getGroup() == 0x0002) continue;
    // Group lengths (gggg,0000) are retired for data sets (PS3.5 7.2); dcm2json leaves
    // them out too.
    if (element->getTag().getElement() == 0x0000) continue;
    Written w{element->getTag(), std::string()};
    if (!writer.Element(*element, TagHex(element->getTag()), w.json)) {
      result.left_out.push_back(w.tag);
      continue;
    }
    total += w.json.size() + 1;
    kept.push_back(std::move(w));
    while (total + 2 > options.max_bytes && !kept.empty()) {
      auto largest = std::max_element(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
        return a.json.size() < b.json.size();
      });
      total -= largest->json.size() + 1;
      result.left_out.push_back(largest->tag);
      kept.erase(largest);
    }
  }
  result.json.reserve(total + 2);
  result.json += '{';
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) result.json += ',';
    result.json += kept[i].json;
  }
  result.json += '}';
  std::sort(result.left_out.begin(), result.left_out.end());
  return result;
}

std::string BulkDataBase(const std::string& study_uid, const std::string& series_uid,
                         const std::string& sop_instance_uid) {
  return "/dicomweb/studies/" + study_uid + "/series/" + series_uid + "/instances/" +
         sop_instance_uid + "/bulk/";
}

std::optional<std::vector<TagPathStep>> BulkDataTagPath(const std::string& path) {
  std::vector<TagPathStep> steps;
  size_t start = 0;
  for (;;) {
    if (path.size() < start + 8) return std::nullopt;
    const std::string hex = path.substr(start, 8);
    if (!std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(c) != 0; }))
      return std::nullopt;
    const unsigned long v = std::stoul(hex, nullptr, 16);
    TagPathStep step{DcmTagKey(static_cast<Uint16>(v >> 16), static_cast<Uint16>(v & 0xFFFF)),
                     std::nullopt};
    start += 8;
    if (start == path.size()) {
      steps.push_back(step);
      return steps;
    }
    if (path[start] != '.') return std::nullopt;
    const size_t dot = path.find('.', start + 1);
    if (dot == std::string::npos) return std::nullopt;
    const std::string index = path.substr(start + 1, dot - start - 1);
    if (!AllDigits(index) || index.size() > 9) return std::nullopt;
    step.item = static_cast<uint32_t>(std::stoul(index));
    steps.push_back(step);
    start = dot + 1;
  }
}

}  // namespace telerad::dicom
