#include "dicom/header_reader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace telerad::dicom {
namespace {

// Writes a small CT file whose PatientName holds `name_bytes` verbatim under `charset`.
std::string WriteFile(const std::string& name, const char* charset, const std::string& name_bytes) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  if (charset) ds->putAndInsertString(DCM_SpecificCharacterSet, charset);
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6");
  ds->putAndInsertString(DCM_StudyInstanceUID, "1.2.3.4");
  ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.3.4.5");
  ds->putAndInsertString(DCM_Modality, "CT");
  ds->putAndInsertString(DCM_PatientID, "P1");
  ds->putAndInsertOFStringArray(DCM_PatientName, OFString(name_bytes.data(), name_bytes.size()));
  ds->putAndInsertString(DCM_PatientBirthDate, "19800101");
  ds->putAndInsertString(DCM_SeriesNumber, "3");
  ds->putAndInsertString(DCM_InstanceNumber, "7");
  Uint16 pixels[64 * 64] = {};
  ds->putAndInsertUint16(DCM_Rows, 64);
  ds->putAndInsertUint16(DCM_Columns, 64);
  ds->putAndInsertUint16Array(DCM_PixelData, pixels, 64 * 64);
  const std::string path = ::testing::TempDir() + name + ".dcm";
  EXPECT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  return path;
}

TEST(HeaderReaderTest, ReadsUidsAndNumbers) {
  auto r = ReadInstanceHeader(WriteFile("plain", nullptr, "DOE^JOHN"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->header.sop_instance_uid, "1.2.3.4.5.6");
  EXPECT_EQ(r->header.study_uid, "1.2.3.4");
  EXPECT_EQ(r->header.transfer_syntax_uid, UID_LittleEndianExplicitTransferSyntax);
  EXPECT_EQ(r->header.series_number, 3);
  EXPECT_EQ(r->header.instance_number, 7);
  EXPECT_EQ(r->header.patient_name, "DOE^JOHN");
  EXPECT_FALSE(r->charset_fallback);
}

TEST(HeaderReaderTest, Utf8NamesStayUtf8) {
  const std::string name = "Батболд^Өлзийбаяр Үүрийнцолмон";
  auto r = ReadInstanceHeader(WriteFile("utf8", "ISO_IR 192", name));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header.patient_name, name);
}

TEST(HeaderReaderTest, Iso8859_5NamesAreConvertedToUtf8) {
  // "Дорж^Бат" in ISO 8859-5 (ISO_IR 144): Cyrillic capitals start at 0xB0.
  const std::string latin5 = "\xB4\xDE\xE0\xD6^\xB1\xD0\xE2";
  auto r = ReadInstanceHeader(WriteFile("latin5", "ISO_IR 144", latin5));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header.patient_name, "Дорж^Бат");
  EXPECT_FALSE(r->charset_fallback);
}

TEST(HeaderReaderTest, MislabelledUtf8WithoutCharsetIsKept) {
  auto r = ReadInstanceHeader(WriteFile("mislabelled", nullptr, "Өлзий^Бат"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header.patient_name, "Өлзий^Бат");
}

TEST(HeaderReaderTest, UndecodableBytesBecomeReplacementCharactersNotFailures) {
  auto r = ReadInstanceHeader(WriteFile("garbage", "ISO_IR 192",
                                        "AB\xFF\xFE"
                                        "C"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header.patient_name,
            "AB\xEF\xBF\xBD\xEF\xBF\xBD"
            "C");
  EXPECT_TRUE(r->charset_fallback);
}

TEST(HeaderReaderTest, MultiValuedUidIsReadWhole) {
  DcmFileFormat file;
  file.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  file.getDataset()->putAndInsertString(DCM_StudyInstanceUID, "1.2.3\\..\\x");
  const std::string path = ::testing::TempDir() + "multi.dcm";
  ASSERT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  auto r = ReadInstanceHeader(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header.study_uid, "1.2.3\\..\\x");  // IngestService then refuses it
}

TEST(HeaderReaderTest, TruncatedFileIsRefused) {
  const std::string path = WriteFile("truncated", nullptr, "DOE^JOHN");
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3000);
  EXPECT_EQ(ReadInstanceHeader(path).status().code(), StatusCode::kInvalidArgument);
}

TEST(HeaderReaderTest, NonDicomFileIsRefused) {
  const std::string path = ::testing::TempDir() + "not-dicom.dcm";
  std::ofstream(path) << "hello, I am not an image";
  EXPECT_EQ(ReadInstanceHeader(path).status().code(), StatusCode::kInvalidArgument);
}

// Found by tests/fuzz/dicom_header_fuzz: a Patient ID with NUL bytes in it came through
// the header reader as it was, and PostgreSQL refuses NUL in text.
TEST(SanitizeUtf8Test, FuzzFoundNulIsReplaced) {
  EXPECT_EQ(SanitizeUtf8(std::string("1  \0\x11", 5)), "1  \xEF\xBF\xBD\x11");
}

TEST(SanitizeUtf8Test, KeepsValidAndReplacesInvalid) {
  EXPECT_EQ(SanitizeUtf8("Өлзий"), "Өлзий");
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

}  // namespace
}  // namespace telerad::dicom

namespace telerad::dicom {
namespace {

TEST(DataSetOffsetTest, PointsJustPastTheMetaHeader) {
  const std::string path = WriteFile("offset", nullptr, "DOE^JOHN");
  auto offset = DataSetOffset(path);
  ASSERT_TRUE(offset.ok()) << offset.status().ToString();
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(*offset));
  unsigned char tag[2] = {0, 0};
  in.read(reinterpret_cast<char*>(tag), 2);
  EXPECT_EQ(tag[0] | (tag[1] << 8), 0x0008);  // the data set starts with group 0008
}

TEST(DataSetOffsetTest, RefusesAFileWithoutMetaHeader) {
  const std::string path = ::testing::TempDir() + "no-meta.dcm";
  std::ofstream(path) << std::string(300, 'x');
  EXPECT_FALSE(DataSetOffset(path).ok());
}

}  // namespace
}  // namespace telerad::dicom
