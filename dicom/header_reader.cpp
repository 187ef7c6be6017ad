#include "dicom/header_reader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include <cstdio>
#include <cstring>

namespace telerad::dicom {
namespace {

// Values longer than this stay on disk; only pixel data and the like are that long.
constexpr Uint32 kMaxLoadedValue = 4096;

// The element's whole value, all multi-values included: a UID "1.2\..\x" must be seen
// as it is, not as its first value "1.2".
std::string Whole(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).bad()) return "";
  return std::string(value.c_str(), value.length());
}

std::optional<int> Integer(DcmItem& item, const DcmTagKey& tag) {
  Sint32 v = 0;
  if (item.findAndGetSint32(tag, v).bad()) return std::nullopt;
  return static_cast<int>(v);
}

// A US value (Rows, Columns, Bits Allocated), which findAndGetSint32 does not read.
std::optional<int> UnsignedShort(DcmItem& item, const DcmTagKey& tag) {
  Uint16 v = 0;
  if (item.findAndGetUint16(tag, v).bad()) return std::nullopt;
  return static_cast<int>(v);
}

// The text fields that may carry non-ASCII characters.
void ReadText(DcmItem& ds, InstanceHeader& h) {
  h.patient_name = Whole(ds, DCM_PatientName);
  h.patient_id = Whole(ds, DCM_PatientID);
  h.accession_number = Whole(ds, DCM_AccessionNumber);
  h.study_description = Whole(ds, DCM_StudyDescription);
  h.series_description = Whole(ds, DCM_SeriesDescription);
  h.referring_physician = Whole(ds, DCM_ReferringPhysicianName);
  h.dicom_study_id = Whole(ds, DCM_StudyID);
}

// Image geometry: set only for an instance with pixel data attributes; a single-frame
// image has no Number of Frames and counts as one frame.
void ReadGeometry(DcmItem& ds, InstanceHeader& h) {
  h.rows = UnsignedShort(ds, DCM_Rows);
  h.columns = UnsignedShort(ds, DCM_Columns);
  h.bits_allocated = UnsignedShort(ds, DCM_BitsAllocated);
  h.number_of_frames = Integer(ds, DCM_NumberOfFrames);
  if (!h.number_of_frames && h.rows) h.number_of_frames = 1;
}

}  // namespace

std::string SanitizeUtf8(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool ok = len > 0 && c != 0 && i + len <= s.size();  // NUL too: PostgreSQL refuses it
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    // Reject overlong forms and surrogates, which are not valid UTF-8 either.
    if (ok && len == 2) ok = c >= 0xC2;
    if (ok && len == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
    }
    if (ok && len == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

Result<uint64_t> DataSetOffset(const std::string& path) {
  // 128-byte preamble, "DICM", then (0002,0000) UL in explicit VR little endian: tag (4),
  // VR (2), length (2), value (4) = the length of the rest of group 0002 (PS3.10 7.1).
  unsigned char head[144];
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::Internal("cannot open received file");
  const size_t n = std::fread(head, 1, sizeof(head), f);
  std::fclose(f);
  if (n != sizeof(head) || std::memcmp(head + 128, "DICM", 4) != 0 || head[132] != 0x02 ||
      head[133] != 0x00 || head[134] != 0x00 || head[135] != 0x00)
    return Status::InvalidArgument("no File Meta Information");
  const uint32_t group_length =
      head[140] | (head[141] << 8) | (head[142] << 16) | (static_cast<uint32_t>(head[143]) << 24);
  return static_cast<uint64_t>(sizeof(head)) + group_length;
}

Result<HeaderReadResult> ReadInstanceHeader(const std::string& path) {
  DcmFileFormat file;
  if (Status loaded = LoadHeader(path, file); !loaded.ok()) return loaded;
  return ReadInstanceHeader(file);
}

Status LoadHeader(const std::string& path, DcmFileFormat& file) {
  OFCondition cond =
      file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, kMaxLoadedValue, ERM_autoDetect);
  if (cond.bad()) return Status::InvalidArgument(std::string("unreadable dataset: ") + cond.text());
  return Status::Ok();
}

Result<HeaderReadResult> ReadInstanceHeader(DcmFileFormat& file) {
  DcmDataset& ds = *file.getDataset();

  HeaderReadResult result;
  InstanceHeader& h = result.header;
  h.sop_class_uid = Whole(ds, DCM_SOPClassUID);
  h.sop_instance_uid = Whole(ds, DCM_SOPInstanceUID);
  h.study_uid = Whole(ds, DCM_StudyInstanceUID);
  h.series_uid = Whole(ds, DCM_SeriesInstanceUID);
  h.transfer_syntax_uid = Whole(*file.getMetaInfo(), DCM_TransferSyntaxUID);
  h.modality = Whole(ds, DCM_Modality);
  h.patient_birth_date = Whole(ds, DCM_PatientBirthDate);
  h.patient_sex = Whole(ds, DCM_PatientSex);
  h.study_date = Whole(ds, DCM_StudyDate);
  h.series_number = Integer(ds, DCM_SeriesNumber);
  h.instance_number = Integer(ds, DCM_InstanceNumber);
  h.study_time = Whole(ds, DCM_StudyTime);
  ReadGeometry(ds, h);

  // Raw text first: if conversion fails halfway the dataset may be partly converted.
  InstanceHeader raw;
  ReadText(ds, raw);
  if (ds.convertToUTF8().good()) {
    ReadText(ds, h);
  } else {
    result.charset_fallback = true;
    h.patient_name = raw.patient_name;
    h.patient_id = raw.patient_id;
    h.accession_number = raw.accession_number;
    h.study_description = raw.study_description;
    h.series_description = raw.series_description;
    h.referring_physician = raw.referring_physician;
    h.dicom_study_id = raw.dicom_study_id;
  }
  for (std::string* text :
       {&h.patient_name, &h.patient_id, &h.accession_number, &h.study_description,
        &h.series_description, &h.modality, &h.patient_sex, &h.referring_physician,
        &h.dicom_study_id, &h.study_time}) {
    std::string clean = SanitizeUtf8(*text);
    if (clean != *text) result.charset_fallback = true;
    *text = std::move(clean);
  }
  return result;
}

}  // namespace telerad::dicom
