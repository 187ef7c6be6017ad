// The DICOM JSON writer against dcm2json (DCMTK 3.6.7) on files holding every VR, and
// against PS3.18 F where dcm2json deviates from it. The differences found, each checked
// below against the standard rather than against dcm2json:
// - bulk data: dcm2json writes every binary value inline (InlineBinary), pixel data
//   included; this writer gives pixel data and values over 1 KiB a BulkDataURI (F.2.6).
// - character sets: dcm2json copies the bytes as they are in the file, so an ISO_IR 144
//   name comes out as bytes that are not UTF-8 (JSON must be UTF-8, RFC 8259 8.1); this
//   writer's caller converts first, and the result equals the ISO_IR 192 file's.
#include "dicom/dicom_json_writer.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>
#include <iconv.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "dicom/instance_describer.h"

namespace telerad::dicom {
namespace {

using nlohmann::json;

constexpr const char* kStudy = "1.2.826.0.1.3680043.10.1078.9.1";
constexpr const char* kSeries = "1.2.826.0.1.3680043.10.1078.9.2";
constexpr const char* kInstance = "1.2.826.0.1.3680043.10.1078.9.3";

std::string ToLatinCyrillic(const std::string& utf8) {
  iconv_t cd = iconv_open("ISO-8859-5", "UTF-8");
  std::string in = utf8;
  std::string out(in.size() * 2, '\0');
  char* src = in.data();
  char* dst = out.data();
  size_t src_left = in.size(), dst_left = out.size();
  iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

// A private element of the given VR: a standard tag of each of the rarer VRs is not at
// hand, and an explicit VR file keeps a private element's VR.
DcmElement* Private(DcmDataset& ds, Uint16 element, DcmEVR vr) {
  const DcmTag tag(0x0011, element, DcmVR(vr));
  DcmElement* e = nullptr;
  switch (vr) {
    case EVR_LO:
      e = new DcmLongString(tag);
      break;
    case EVR_UC:
      e = new DcmUnlimitedCharacters(tag);
      break;
    case EVR_UR:
      e = new DcmUniversalResourceIdentifierOrLocator(tag);
      break;
    case EVR_UT:
      e = new DcmUnlimitedText(tag);
      break;
    case EVR_OF:
      e = new DcmOtherFloat(tag);
      break;
    case EVR_OD:
      e = new DcmOtherDouble(tag);
      break;
    case EVR_OL:
      e = new DcmOtherLong(tag);
      break;
    case EVR_OV:
      e = new DcmOther64bitVeryLong(tag);
      break;
    case EVR_SV:
      e = new DcmSigned64bitVeryLong(tag);
      break;
    case EVR_UV:
      e = new DcmUnsigned64bitVeryLong(tag);
      break;
    default:  // OB, OW, UN
      e = new DcmOtherByteOtherWord(tag);
  }
  EXPECT_TRUE(ds.insert(e, true).good());
  return e;
}

void PutString(DcmDataset& ds, Uint16 element, DcmEVR vr, const char* value) {
  EXPECT_TRUE(Private(ds, element, vr)->putString(value).good());
}

// Every VR of PS3.5 table 6.2-1, standard attributes where one is at hand.
std::string WriteEveryVrFile(
    const std::string& name, const char* charset, const std::string& patient_name,
    const std::string& referring = "Yamada^Tarou=山田^太郎=やまだ^たろう") {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  ds.putAndInsertString(DCM_SpecificCharacterSet, charset);
  ds.putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, kInstance);
  ds.putAndInsertString(DCM_StudyInstanceUID, kStudy);
  ds.putAndInsertString(DCM_SeriesInstanceUID, kSeries);
  ds.putAndInsertString(DCM_RetrieveAETitle, "TELERAD\\OTHER");                  // AE
  ds.putAndInsertString(DCM_PatientAge, "042Y");                                 // AS
  ds.putAndInsertString(DCM_Modality, "OT");                                     // CS
  ds.putAndInsertString(DCM_ImageType, "ORIGINAL\\\\AXIAL");                     // CS, empty value
  ds.putAndInsertString(DCM_StudyDate, "20250102");                              // DA
  ds.putAndInsertString(DCM_PixelSpacing, "0.5\\+01.250");                       // DS
  ds.putAndInsertString(DCM_SliceThickness, ".5");                               // DS
  ds.putAndInsertString(DCM_AcquisitionDateTime, "20250102093015.123456+0800");  // DT
  ds.putAndInsertString(DCM_SeriesNumber, "+007");                               // IS
  ds.putAndInsertString(DCM_InstitutionName, "Говь-Алтай аймгийн нэгдсэн эмнэлэг");       // LO
  ds.putAndInsertString(DCM_AdditionalPatientHistory, "line 1\\ not a separator \"q\"");  // LT
  ds.putAndInsertOFStringArray(DCM_PatientName, OFString(patient_name.data(), patient_name.size()));
  ds.putAndInsertOFStringArray(DCM_ReferringPhysicianName,
                               OFString(referring.data(), referring.size()));  // PN
  ds.putAndInsertString(DCM_AccessionNumber, "A123");                          // SH
  ds.putAndInsertString(DCM_StudyTime, "093015.12");                           // TM
  ds.putAndInsertString(DCM_StudyDescription, "CT chest");                     // LO
  ds.putAndInsertString(DCM_RequestedProcedureDescription, "x");               // LO
  ds.putAndInsertString(DCM_DerivationDescription, "derived, \\ backslash");   // ST
  ds.putAndInsertString(DCM_PatientComments, "");                              // LT, empty
  ds.putAndInsertUint16(DCM_Rows, 64);                                         // US
  ds.putAndInsertUint16(DCM_Columns, 64);
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds.putAndInsertSint16(DCM_TagAngleSecondAxis, -12);                     // SS
  ds.putAndInsertSint32(DCM_ReferencePixelX0, -70000);                    // SL
  ds.putAndInsertUint32(DCM_SimpleFrameList, 70000);                      // UL
  ds.putAndInsertFloat32(DCM_RecommendedDisplayFrameRateInFloat, 12.5f);  // FL
  ds.putAndInsertFloat64(DCM_DiffusionBValue, 1000.25);                   // FD
  {
    auto* at = new DcmAttributeTag(DCM_FrameIncrementPointer);  // AT
    at->putTagVal(DCM_FrameTime, 0);
    at->putTagVal(DCM_TriggerTimeOffset, 1);
    ds.insert(at, true);
  }
  DcmItem* item = nullptr;  // SQ
  ds.findOrCreateSequenceItem(DCM_ReferencedImageSequence, item, -2);
  item->putAndInsertString(DCM_ReferencedSOPClassUID, UID_CTImageStorage);
  item->putAndInsertString(DCM_ReferencedSOPInstanceUID, "1.2.3.4.9");
  ds.findOrCreateSequenceItem(DCM_ReferencedImageSequence, item, -2);  // a second item
  item->putAndInsertString(DCM_ReferencedSOPInstanceUID, "1.2.3.4.10");
  ds.insertEmptyElement(DCM_ProcedureCodeSequence);  // SQ, empty
  // The rarer VRs, as private elements.
  PutString(ds, 0x0010, EVR_LO, "TELERAD TEST");
  PutString(ds, 0x1001, EVR_UC, "unlimited\\characters");              // UC
  PutString(ds, 0x1002, EVR_UR, "http://example.org/a b");             // UR
  PutString(ds, 0x1003, EVR_UT, "unlimited text \\ still one value");  // UT
  {
    const Uint8 bytes[] = {1, 2, 3, 4, 5, 6, 7, 8};
    Private(ds, 0x1004, EVR_OB)->putUint8Array(bytes, 8);  // OB
    Private(ds, 0x1005, EVR_UN)->putUint8Array(bytes, 8);  // UN
    const Uint16 words[] = {0x0102, 0x0304};
    Private(ds, 0x1006, EVR_OW)->putUint16Array(words, 2);  // OW
    const Float32 floats[] = {1.5f, -2.25f};
    Private(ds, 0x1007, EVR_OF)->putFloat32Array(floats, 2);  // OF
    const Float64 doubles[] = {3.5};
    Private(ds, 0x1008, EVR_OD)->putFloat64Array(doubles, 1);  // OD
    const Uint32 longs[] = {0x01020304};
    Private(ds, 0x1009, EVR_OL)->putUint32Array(longs, 1);  // OL
    PutString(ds, 0x100A, EVR_OV, "72623859790382856");     // OV
    PutString(ds, 0x100B, EVR_SV, "-5000000000");           // SV
    PutString(ds, 0x100C, EVR_UV, "5000000000");            // UV
    std::vector<Uint8> big(2048, 0xAB);
    Private(ds, 0x100D, EVR_OB)->putUint8Array(big.data(), 2048);  // OB > 1 KiB
  }
  std::vector<Uint16> pixels(64 * 64, 7);
  ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), pixels.size());
  const std::string path = ::testing::TempDir() + name + ".dcm";
  EXPECT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  return path;
}

json Dcm2Json(const std::string& path) {
  std::string out;
  FILE* p = ::popen(("dcm2json -q -fc '" + path + "'").c_str(), "r");
  EXPECT_NE(p, nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  EXPECT_EQ(::pclose(p), 0) << "dcm2json failed on " << path;
  return json::parse(out);
}

// Ours, as WADO-RS metadata will serve it (no AvailableTransferSyntaxUID added, to
// compare with dcm2json, which adds none).
json Ours(const std::string& path) {
  DcmFileFormat file;
  EXPECT_TRUE(file.loadFile(path.c_str()).good());
  EXPECT_TRUE(file.getDataset()->convertToUTF8().good());
  DicomJsonOptions options;
  options.bulk_data_base = BulkDataBase(kStudy, kSeries, kInstance);
  return json::parse(WriteDicomJson(*file.getDataset(), options).json);
}

std::string Bulk(const std::string& tag_path) {
  return BulkDataBase(kStudy, kSeries, kInstance) + tag_path;
}

TEST(DicomJsonWriterTest, MatchesDcm2JsonOnEveryVrExceptBulkData) {
  const std::string name = "Иванов^Пётр";
  const std::string path = WriteEveryVrFile("every_vr_utf8", "ISO_IR 192", name);
  json ours = Ours(path);
  json theirs = Dcm2Json(path);
  // Bulk data: a URI instead of the bytes (see the top of this file).
  EXPECT_EQ(ours["7FE00010"], (json{{"vr", "OW"}, {"BulkDataURI", Bulk("7FE00010")}}));
  EXPECT_EQ(ours["0011100D"], (json{{"vr", "OB"}, {"BulkDataURI", Bulk("0011100D")}}));
  EXPECT_TRUE(theirs["7FE00010"].contains("InlineBinary"));
  for (const char* tag : {"7FE00010", "0011100D"}) {
    ours.erase(tag);
    theirs.erase(tag);
  }
  for (auto& [tag, value] : theirs.items())
    EXPECT_EQ(ours[tag], value) << "attribute " << tag << " differs from dcm2json";
  EXPECT_EQ(ours.size(), theirs.size());
}

TEST(DicomJsonWriterTest, WritesEachVrAsTheStandardSays) {
  json j = Ours(WriteEveryVrFile("every_vr_values", "ISO_IR 192", "Иванов^Пётр"));
  // PN: three component groups (F.2.2).
  EXPECT_EQ(j["00080090"]["Value"][0], (json{{"Alphabetic", "Yamada^Tarou"},
                                             {"Ideographic", "山田^太郎"},
                                             {"Phonetic", "やまだ^たろう"}}));
  EXPECT_EQ(j["00100010"]["Value"][0], (json{{"Alphabetic", "Иванов^Пётр"}}));
  // IS and DS as numbers, normalised (F.2.3).
  EXPECT_EQ(j["00280030"]["Value"], json::parse("[0.5, 1.250]"));
  EXPECT_TRUE(j["00280030"]["Value"][1].is_number());
  EXPECT_EQ(j["00180050"]["Value"], json::parse("[0.5]"));
  EXPECT_EQ(j["00200011"]["Value"], json::parse("[7]"));
  // AT as hex strings; binary numbers as numbers.
  EXPECT_EQ(j["00280009"]["Value"], json::parse(R"(["00181063", "00181069"])"));
  EXPECT_EQ(j["00189087"]["Value"], json::parse("[1000.25]"));
  EXPECT_EQ(j["0011100B"]["Value"], json::parse("[-5000000000]"));
  EXPECT_EQ(j["0011100C"]["Value"], json::parse("[5000000000]"));
  // LT, ST, UT: one value, backslash kept; an empty multi-value slot is null.
  EXPECT_EQ(j["00104000"].dump(), R"({"vr":"LT"})");
  EXPECT_EQ(j["00111003"]["Value"], json::parse(R"(["unlimited text \\ still one value"])"));
  EXPECT_EQ(j["00080008"]["Value"], json::parse(R"(["ORIGINAL", null, "AXIAL"])"));
  // SQ: items as objects; an empty sequence has no Value.
  EXPECT_EQ(j["00081140"]["Value"].size(), 2u);
  EXPECT_EQ(j["00081140"]["Value"][1]["00081155"]["Value"][0], "1.2.3.4.10");
  EXPECT_EQ(j["00081032"].dump(), R"({"vr":"SQ"})");
  // Small binary values inline, little endian.
  EXPECT_EQ(j["00111006"]["InlineBinary"], "AgEEAw==");
}

TEST(DicomJsonWriterTest, CyrillicInIsoIr144EqualsTheUtf8File) {
  const std::string latin = "Иванов^Пётр";
  json utf8 = Ours(WriteEveryVrFile("cyr_utf8", "ISO_IR 192", latin));
  json cyrillic = Ours(WriteEveryVrFile("cyr_144", "ISO_IR 144", ToLatinCyrillic(latin)));
  EXPECT_EQ(cyrillic["00100010"], utf8["00100010"]);
  EXPECT_EQ(cyrillic["00080005"]["Value"][0], "ISO_IR 192");
  EXPECT_EQ(cyrillic["00100010"]["Value"][0]["Alphabetic"], latin);
}

TEST(DicomJsonWriterTest, NestedPixelDataGetsATagPathUri) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  DcmItem* icon = nullptr;
  ds.findOrCreateSequenceItem(DCM_IconImageSequence, icon, -2);
  std::vector<Uint8> pixels(16 * 16, 1);
  icon->putAndInsertUint16(DCM_Rows, 16);
  icon->putAndInsertUint8Array(DCM_PixelData, pixels.data(), pixels.size());
  DicomJsonOptions options;
  options.bulk_data_base = "/b/";
  json j = json::parse(WriteDicomJson(ds, options).json);
  EXPECT_EQ(j["00880200"]["Value"][0]["7FE00010"]["BulkDataURI"], "/b/00880200.0.7FE00010");
  auto steps = BulkDataTagPath("00880200.0.7FE00010");
  ASSERT_TRUE(steps);
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0].tag, DCM_IconImageSequence);
  EXPECT_EQ((*steps)[0].item, 0u);
  EXPECT_EQ((*steps)[1].tag, DCM_PixelData);
  EXPECT_FALSE((*steps)[1].item);
  for (const char* bad : {"", "7FE0001", "00880200.", "00880200.x.7FE00010", "0088020G"})
    EXPECT_FALSE(BulkDataTagPath(bad)) << bad;
}

TEST(DicomJsonWriterTest, LeavesOutTheLargestAttributesPastTheBound) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  ds.putAndInsertString(DCM_SOPInstanceUID, kInstance);
  for (int i = 0; i < 5000; ++i) {  // 5,000 items: about 250 KiB of JSON
    DcmItem* item = nullptr;
    ds.findOrCreateSequenceItem(DCM_ReferencedImageSequence, item, -2);
    item->putAndInsertString(DCM_ReferencedSOPInstanceUID, "1.2.3.4.5.6.7.8.9.10.11.12");
  }
  DicomJsonOptions options;
  options.max_bytes = 64 * 1024;
  DicomJson out = WriteDicomJson(ds, options);
  EXPECT_LE(out.json.size(), options.max_bytes);
  ASSERT_EQ(out.left_out.size(), 1u);
  EXPECT_EQ(out.left_out[0], DCM_ReferencedImageSequence);
  json j = json::parse(out.json);
  EXPECT_EQ(j["00080018"]["Value"][0], kInstance);
  EXPECT_FALSE(j.contains("00081140"));
}

TEST(DicomJsonWriterTest, ManyEmptyItemsStopAtTheBound) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  DcmSequenceOfItems* sequence = new DcmSequenceOfItems(DCM_ReferencedImageSequence);
  for (int i = 0; i < 100000; ++i) sequence->append(new DcmItem());
  ds.insert(sequence);
  DicomJsonOptions options;
  options.max_bytes = 1024;
  DicomJson out = WriteDicomJson(ds, options);
  EXPECT_EQ(out.json, "{}");
  EXPECT_EQ(out.left_out, std::vector<DcmTagKey>{DCM_ReferencedImageSequence});
}

TEST(DicomJsonWriterTest, DescribeInstanceAddsTheStoredSyntaxAndUtf8) {
  const std::string path =
      WriteEveryVrFile("describe", "ISO_IR 144", ToLatinCyrillic("Иванов^Пётр"),
                       ToLatinCyrillic("Петров^Иван=Петров^Иван"));
  auto described = DescribeInstance(path);
  ASSERT_TRUE(described.ok()) << described.status().ToString();
  const InstanceHeader& h = described->read.header;
  json j = json::parse(h.dicom_json);
  EXPECT_EQ(j["00083002"],
            (json{{"vr", "UI"}, {"Value", {UID_LittleEndianExplicitTransferSyntax}}}));
  EXPECT_EQ(j["00080005"]["Value"][0], "ISO_IR 192");
  EXPECT_EQ(j["00100010"]["Value"][0]["Alphabetic"], "Иванов^Пётр");
  EXPECT_EQ(h.referring_physician, "Петров^Иван=Петров^Иван");
  EXPECT_EQ(h.study_time, "093015.12");
  EXPECT_EQ(h.rows, 64);
  EXPECT_EQ(h.columns, 64);
  EXPECT_EQ(h.bits_allocated, 16);
  EXPECT_EQ(h.number_of_frames, 1);
  ASSERT_TRUE(h.pixel_layout);
  EXPECT_FALSE(h.pixel_layout->encapsulated);
  EXPECT_EQ(h.pixel_layout->frame_bytes, 64u * 64u * 2u);
}

}  // namespace
}  // namespace telerad::dicom
