#include "dicom/dicom_json_values.h"

#include <dcmtk/dcmdata/dcvrat.h>
#include <dcmtk/ofstd/ofstd.h>

#include <cmath>
#include <cstdio>

#include "dicom/dicom_json_text.h"

namespace telerad::dicom {
namespace {

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

// The value at `pos` of a multi-valued element; null when DCMTK cannot read it.
void OneValue(DcmElement& element, DcmEVR vr, ValueKind kind, unsigned long pos, std::string& out) {
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
        AppendJsonText(out, text);
    } else {
      AppendJsonText(out, text);
    }
    return;
  }
  switch (vr) {
    case EVR_AT: {
      DcmTagKey key;
      if (static_cast<DcmAttributeTag&>(element).getTagVal(key, pos).good())
        AppendJsonText(out, TagHex(key));
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
void InlineBinary(DcmElement& element, std::string& out) {
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

}  // namespace

std::string TagHex(const DcmTagKey& tag) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%04X%04X", tag.getGroup(), tag.getElement());
  return buf;
}

DcmEVR ResolvedVr(DcmElement& element) {
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

void AppendJsonValue(DcmElement& element, DcmEVR vr, std::string& out) {
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

}  // namespace telerad::dicom
