#include "dicom/report_sr.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "tests/sample_report.h"

namespace telerad::dicom {
namespace {

using telerad::testing::SampleReportDocument;

std::string Get(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  item.findAndGetOFStringArray(tag, value);
  return value.c_str();
}

// One child of the root container, as a PACS would read it from the data set.
struct Item {
  std::string value_type;
  std::string concept_code;
  std::string concept_scheme;
  std::string text;
  std::string code;
  std::string code_scheme;
};

std::string GetInFirstItem(DcmItem& item, const DcmTagKey& sequence, const DcmTagKey& tag) {
  DcmItem* inner = nullptr;
  if (item.findAndGetSequenceItem(sequence, inner, 0).bad() || !inner) return "";
  return Get(*inner, tag);
}

std::vector<Item> ContentItems(DcmDataset& ds) {
  std::vector<Item> items;
  DcmSequenceOfItems* content = nullptr;
  if (ds.findAndGetSequence(DCM_ContentSequence, content).bad() || !content) return items;
  for (unsigned long i = 0; i < content->card(); ++i) {
    DcmItem& item = *content->getItem(i);
    items.push_back(
        {Get(item, DCM_ValueType), GetInFirstItem(item, DCM_ConceptNameCodeSequence, DCM_CodeValue),
         GetInFirstItem(item, DCM_ConceptNameCodeSequence, DCM_CodingSchemeDesignator),
         Get(item, DCM_TextValue), GetInFirstItem(item, DCM_ConceptCodeSequence, DCM_CodeValue),
         GetInFirstItem(item, DCM_ConceptCodeSequence, DCM_CodingSchemeDesignator)});
  }
  return items;
}

std::unique_ptr<DcmFileFormat> Build(const ReportDocument& doc) {
  auto sr = BuildReportSr(doc);
  EXPECT_TRUE(sr.ok()) << sr.status().ToString();
  return sr.ok() ? std::move(sr).value() : nullptr;
}

std::string SavedBytes(DcmFileFormat& file, const std::string& name) {
  const std::string path = ::testing::TempDir() + name + ".dcm";
  EXPECT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(ReportSrTest, CopiesStudyAndPatientAndUsesTheFixedUids) {
  ReportDocument doc = SampleReportDocument();
  auto file = Build(doc);
  ASSERT_TRUE(file);
  DcmDataset& ds = *file->getDataset();
  EXPECT_EQ(Get(ds, DCM_SOPClassUID), "1.2.840.10008.5.1.4.1.1.88.11");
  EXPECT_EQ(Get(ds, DCM_SpecificCharacterSet), "ISO_IR 192");
  EXPECT_EQ(Get(ds, DCM_StudyInstanceUID), doc.study.study_uid);
  EXPECT_EQ(Get(ds, DCM_SeriesInstanceUID), doc.sr_series_uid);
  EXPECT_EQ(Get(ds, DCM_SOPInstanceUID), doc.sr_instance_uid);
  EXPECT_EQ(Get(ds, DCM_Modality), "SR");
  // Byte for byte: UTF-8 in, UTF-8 out, the '^' between family and given name kept.
  EXPECT_EQ(Get(ds, DCM_PatientName), "Батболд^Өлзий");
  EXPECT_EQ(Get(ds, DCM_PatientID), "MN-000123");
  EXPECT_EQ(Get(ds, DCM_PatientBirthDate), "19850314");
  EXPECT_EQ(Get(ds, DCM_PatientSex), "F");
  EXPECT_EQ(Get(ds, DCM_AccessionNumber), "ACC-2024-77");
  EXPECT_EQ(Get(ds, DCM_StudyDate), "20240609");
  EXPECT_EQ(Get(ds, DCM_StudyDescription), "Цээжний рентген");
  EXPECT_EQ(Get(ds, DCM_Manufacturer), "telerad");
  EXPECT_EQ(Get(ds, DCM_InstitutionName), "Улаанбаатар Төв Эмнэлэг");
}

TEST(ReportSrTest, IsCompleteAndVerifiedBySignerAtSigningTime) {
  auto file = Build(SampleReportDocument());
  ASSERT_TRUE(file);
  DcmDataset& ds = *file->getDataset();
  EXPECT_EQ(Get(ds, DCM_CompletionFlag), "COMPLETE");
  EXPECT_EQ(Get(ds, DCM_VerificationFlag), "VERIFIED");
  EXPECT_EQ(GetInFirstItem(ds, DCM_VerifyingObserverSequence, DCM_VerifyingObserverName), "rad1");
  EXPECT_EQ(GetInFirstItem(ds, DCM_VerifyingObserverSequence, DCM_VerifyingOrganization),
            "telerad");
  EXPECT_EQ(GetInFirstItem(ds, DCM_VerifyingObserverSequence, DCM_VerificationDateTime),
            "20240610061320");
  // The addendum came an hour after signing: it is the content's latest change.
  EXPECT_EQ(Get(ds, DCM_ContentDate), "20240610");
  EXPECT_EQ(Get(ds, DCM_ContentTime), "071320");
  EXPECT_EQ(Get(ds, DCM_TimezoneOffsetFromUTC), "+0000");
  EXPECT_EQ(Get(ds, DCM_InstanceCreationTime), "071320");
}

TEST(ReportSrTest, ContentHasTitleTextsCodesCriticalFlagAndAddendum) {
  ReportDocument doc = SampleReportDocument();
  auto file = Build(doc);
  ASSERT_TRUE(file);
  DcmDataset& ds = *file->getDataset();
  EXPECT_EQ(Get(ds, DCM_ValueType), "CONTAINER");
  EXPECT_EQ(GetInFirstItem(ds, DCM_ConceptNameCodeSequence, DCM_CodeValue), "18748-4");
  EXPECT_EQ(GetInFirstItem(ds, DCM_ConceptNameCodeSequence, DCM_CodingSchemeDesignator), "LN");

  std::vector<Item> items = ContentItems(ds);
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0].value_type, "TEXT");
  EXPECT_EQ(items[0].concept_code, "121071");
  EXPECT_EQ(items[0].concept_scheme, "DCM");
  EXPECT_EQ(items[0].text, doc.report.findings);
  EXPECT_EQ(items[1].concept_code, "121073");
  EXPECT_EQ(items[1].text, doc.report.impression);
  EXPECT_EQ(items[2].value_type, "CODE");
  EXPECT_EQ(items[2].code, "J18.9");
  EXPECT_EQ(items[2].code_scheme, "I10");
  EXPECT_EQ(items[3].value_type, "CODE");
  EXPECT_EQ(items[3].code, "CA40.0");
  EXPECT_EQ(items[3].code_scheme, "I11");
  EXPECT_EQ(items[4].concept_code, "73568-8");
  EXPECT_NE(items[4].text.find("CRITICAL"), std::string::npos);
  EXPECT_EQ(items[5].concept_code, "55107-7");
  EXPECT_NE(items[5].text.find("rad2"), std::string::npos);
  EXPECT_NE(items[5].text.find("2024-06-10 07:13 UTC"), std::string::npos);
  EXPECT_NE(items[5].text.find(doc.report.addenda[0].text), std::string::npos);
}

TEST(ReportSrTest, LeavesOutCriticalItemAndEmptyTexts) {
  ReportDocument doc = SampleReportDocument();
  doc.report.critical = false;
  doc.report.impression.clear();
  doc.report.addenda.clear();
  doc.report.icd_codes.clear();
  auto file = Build(doc);
  ASSERT_TRUE(file);
  std::vector<Item> items = ContentItems(*file->getDataset());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].concept_code, "121071");
  EXPECT_EQ(Get(*file->getDataset(), DCM_ContentTime), "061320");
}

TEST(ReportSrTest, SameRevisionGivesIdenticalBytes) {
  // A retry must re-send the very same instance, so nothing may depend on the clock.
  auto first = Build(SampleReportDocument());
  auto second = Build(SampleReportDocument());
  ASSERT_TRUE(first && second);
  EXPECT_EQ(SavedBytes(*first, "sr_first"), SavedBytes(*second, "sr_second"));
}

TEST(ReportSrTest, UnsignedReportIsInternalError) {
  ReportDocument doc = SampleReportDocument();
  doc.report.signed_by.reset();
  doc.report.signed_at.reset();
  auto sr = BuildReportSr(doc);
  ASSERT_FALSE(sr.ok());
  EXPECT_EQ(sr.status().code(), StatusCode::kInternal);
}

TEST(ReportSrTest, BadUidsAreInternalErrorsWithoutPatientData) {
  ReportDocument doc = SampleReportDocument();
  doc.sr_instance_uid = "not a uid";
  auto sr = BuildReportSr(doc);
  ASSERT_FALSE(sr.ok());
  EXPECT_EQ(sr.status().code(), StatusCode::kInternal);

  doc = SampleReportDocument();
  doc.study.study_uid = "1.2.abc";
  sr = BuildReportSr(doc);
  ASSERT_FALSE(sr.ok());
  EXPECT_EQ(sr.status().code(), StatusCode::kInternal);
  EXPECT_EQ(sr.status().message().find("1.2.abc"), std::string::npos);
  EXPECT_EQ(sr.status().message().find("Батболд"), std::string::npos);
}

TEST(ReportSrTest, IcdDesignatorFollowsCodeShape) {
  EXPECT_STREQ(IcdCodingSchemeDesignator("J18.9"), "I10");
  EXPECT_STREQ(IcdCodingSchemeDesignator("S72.00"), "I10");
  EXPECT_STREQ(IcdCodingSchemeDesignator("E86"), "I10");
  EXPECT_STREQ(IcdCodingSchemeDesignator("CA40.0"), "I11");
  EXPECT_STREQ(IcdCodingSchemeDesignator("1A00"), "I11");
  EXPECT_STREQ(IcdCodingSchemeDesignator("2C81.0"), "I11");
  EXPECT_STREQ(IcdCodingSchemeDesignator("XN678"), "I11");
}

}  // namespace
}  // namespace telerad::dicom
