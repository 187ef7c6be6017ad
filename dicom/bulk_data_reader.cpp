#include "dicom/bulk_data_reader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/dicom_json_writer.h"

namespace telerad::dicom {
namespace {

constexpr Uint32 kMaxReadLength = 4096;

}  // namespace

Result<std::string> ReadBulkValue(const std::string& path, const std::string& tag_path,
                                  uint64_t max_bytes) {
  const std::optional<std::vector<TagPathStep>> steps = BulkDataTagPath(tag_path);
  if (!steps || steps->empty()) return Status::NotFound("no such bulk data path");
  DcmFileFormat file;
  OFCondition cond =
      file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, kMaxReadLength, ERM_autoDetect);
  if (cond.bad())
    return Status::Internal(std::string("cannot read the stored file: ") + cond.text());
  DcmItem* item = file.getDataset();
  for (size_t i = 0; i + 1 < steps->size(); ++i) {
    const TagPathStep& step = (*steps)[i];
    DcmSequenceOfItems* sequence = nullptr;
    if (item->findAndGetSequence(step.tag, sequence).bad() || sequence == nullptr || !step.item ||
        *step.item >= sequence->card())
      return Status::NotFound("no such bulk data path");
    item = sequence->getItem(*step.item);
  }
  DcmElement* element = nullptr;
  if (item->findAndGetElement(steps->back().tag, element).bad() || element == nullptr)
    return Status::NotFound("no such bulk data path");
  if (!element->isLeaf()) return Status::NotFound("a sequence has no bulk value");
  // Only what the kept metadata gives a BulkDataURI: any other value is in the metadata.
  if (!IsBulkData(*element, DicomJsonOptions{}))
    return Status::NotFound("not bulk data: the value is in the metadata");
  if (element->getTag() == DCM_PixelData) {
    // Encapsulated pixel data has no single value: its frames are served one by one.
    DcmPixelSequence* fragments = nullptr;
    E_TransferSyntax stored = EXS_Unknown;
    const DcmRepresentationParameter* param = nullptr;
    auto* pixel_data = static_cast<DcmPixelData*>(element);
    pixel_data->getOriginalRepresentationKey(stored, param);
    if (DcmXfer(stored).isEncapsulated() &&
        pixel_data->getEncapsulatedRepresentation(stored, param, fragments).good())
      return Status::NotAcceptable("encapsulated pixel data is served as frames");
  }
  const Uint32 length = element->getLength();
  if (length > max_bytes) return Status::ResourceExhausted("the value is too large to serve");
  std::string bytes(length, '\0');
  if (length > 0) {
    cond = element->getPartialValue(bytes.data(), 0, length, nullptr, EBO_LittleEndian);
    if (cond.bad()) return Status::Internal(std::string("cannot read the value: ") + cond.text());
  }
  return bytes;
}

}  // namespace telerad::dicom
