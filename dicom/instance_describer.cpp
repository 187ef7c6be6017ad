#include "dicom/instance_describer.h"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <cstdio>

#include "dicom/dicom_json_writer.h"
#include "dicom/pixel_layout_reader.h"

namespace telerad::dicom {
namespace {

int UnsignedShortOr(DcmItem& ds, const DcmTagKey& tag, int fallback) {
  Uint16 v = 0;
  if (ds.findAndGetUint16(tag, v).bad()) return fallback;
  return static_cast<int>(v);
}

}  // namespace

Result<InstanceDescription> DescribeInstance(const std::string& path, size_t max_json_bytes) {
  DcmFileFormat file;
  if (Status loaded = LoadHeader(path, file); !loaded.ok()) return loaded;
  auto read = ReadInstanceHeader(file);
  if (!read.ok()) return read.status();
  InstanceDescription description{std::move(*read), {}};
  InstanceHeader& h = description.read.header;
  DcmDataset& ds = *file.getDataset();

  // The text is UTF-8 now (converted, or kept where it was valid and sanitized by the
  // writer where not): say so, and name the syntax the stored file is in (PS3.18 F.2:
  // AvailableTransferSyntaxUID in WADO-RS metadata).
  ds.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
  ds.putAndInsertString(DCM_AvailableTransferSyntaxUID, h.transfer_syntax_uid.c_str());
  DicomJsonOptions options;
  options.bulk_data_base = BulkDataBase(h.study_uid, h.series_uid, h.sop_instance_uid);
  options.max_bytes = max_json_bytes;
  DicomJson json = WriteDicomJson(ds, options);
  h.dicom_json = std::move(json.json);
  for (const DcmTagKey& tag : json.left_out) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%04X%04X", tag.getGroup(), tag.getElement());
    description.left_out.emplace_back(hex);
  }

  FrameGeometry geometry;
  geometry.rows = h.rows.value_or(0);
  geometry.columns = h.columns.value_or(0);
  geometry.bits_allocated = h.bits_allocated.value_or(0);
  geometry.number_of_frames = h.number_of_frames.value_or(1);
  geometry.samples_per_pixel = UnsignedShortOr(ds, DCM_SamplesPerPixel, 1);
  auto layout = ReadPixelLayout(path, h.transfer_syntax_uid, geometry);
  if (!layout.ok()) return layout.status();
  h.pixel_layout = std::move(*layout);
  return description;
}

}  // namespace telerad::dicom
