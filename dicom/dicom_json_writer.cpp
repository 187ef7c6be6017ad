#include "dicom/dicom_json_writer.h"

#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <algorithm>

#include "dicom/dicom_json_text.h"
#include "dicom/dicom_json_values.h"

namespace telerad::dicom {
namespace {

bool IsPixelData(const DcmTagKey& tag) {
  return tag.getGroup() == 0x7FE0 &&
         (tag.getElement() == 0x0010 || tag.getElement() == 0x0008 || tag.getElement() == 0x0009);
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

// The walk over a data set: elements in tag order, sequences item by item, each
// element's bulk data path built on the way down.
class Writer {
 public:
  explicit Writer(const DicomJsonOptions& options) : options_(options) {}

  // Appends "tag":{...} for `element` to `out`. False once `out` grew past max_bytes
  // (what was appended is then incomplete).
  bool Element(DcmElement& element, const std::string& path, std::string& out) {
    const DcmTagKey tag = element.getTag();
    const DcmEVR vr = ResolvedVr(element);
    out += '"' + TagHex(tag) + "\":{\"vr\":\"" + DcmVR(vr).getValidVRName() + '"';
    if (vr == EVR_SQ) {
      if (!Sequence(static_cast<DcmSequenceOfItems&>(element), path, out)) return false;
    } else if (IsBulkValue(element, tag, vr, options_)) {
      out += ",\"BulkDataURI\":";
      AppendJsonText(out, options_.bulk_data_base + path);
    } else if (element.getLengthField() > 0) {
      AppendJsonValue(element, vr, out);
    }
    out += '}';
    return out.size() <= options_.max_bytes;
  }

 private:
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

  const DicomJsonOptions& options_;
};

}  // namespace

bool IsBulkData(DcmElement& element, const DicomJsonOptions& options) {
  return IsBulkValue(element, element.getTag(), ResolvedVr(element), options);
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

}  // namespace telerad::dicom
