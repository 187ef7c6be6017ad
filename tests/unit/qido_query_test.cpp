#include "src/imaging/qido_query.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

Result<QidoQuery> Studies(std::vector<QueryParam> params) {
  return ParseQidoQuery(QidoLevel::kStudy, "", "", params);
}

std::string ErrorOf(const Result<QidoQuery>& q) {
  EXPECT_FALSE(q.ok());
  return q.ok() ? "" : q.status().message();
}

TEST(QidoQueryTest, NoParametersIsEveryStudyUpToTheLimit) {
  auto q = Studies({});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->level, QidoLevel::kStudy);
  EXPECT_EQ(q->limit, kQidoMaxLimit);
  EXPECT_EQ(q->offset, 0);
  EXPECT_FALSE(q->patient_name);
  EXPECT_FALSE(q->NeedsMetadata());
}

TEST(QidoQueryTest, KeysByKeywordOrByTag) {
  auto by_keyword = Studies({{"PatientName", "Батбаяр^Дорж"}, {"PatientID", "P1"}});
  auto by_tag = Studies({{"00100010", "Батбаяр^Дорж"}, {"00100020", "P1"}});
  ASSERT_TRUE(by_keyword.ok());
  ASSERT_TRUE(by_tag.ok());
  for (const QidoQuery& q : {*by_keyword, *by_tag}) {
    ASSERT_TRUE(q.patient_name);
    EXPECT_EQ(q.patient_name->value, "Батбаяр^Дорж");
    EXPECT_FALSE(q.patient_name->wildcard);
    ASSERT_TRUE(q.patient_id);
    EXPECT_EQ(q.patient_id->value, "P1");
  }
  // Lower-case hex digits name the same tag.
  auto lower = Studies({{"0020000d", "1.2.3"}});
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(lower->study_uids, std::vector<std::string>{"1.2.3"});
}

TEST(QidoQueryTest, WildcardsAreMarked) {
  auto q = Studies({{"PatientName", "батбаяр*"}, {"StudyDescription", "CT?HEAD"}});
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->patient_name->wildcard);
  EXPECT_TRUE(q->study_description->wildcard);
}

TEST(QidoQueryTest, EmptyOrLoneStarMatchesEverything) {
  auto q = Studies({{"PatientName", "*"}, {"PatientID", ""}, {"AccessionNumber", "**"}});
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->patient_name);
  EXPECT_FALSE(q->patient_id);
  EXPECT_FALSE(q->accession_number);
}

TEST(QidoQueryTest, UidListsTakeCommasAndBackslashes) {
  auto q = Studies({{"StudyInstanceUID", "1.2.3,1.2.4\\1.2.5"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->study_uids, (std::vector<std::string>{"1.2.3", "1.2.4", "1.2.5"}));
  EXPECT_NE(ErrorOf(Studies({{"StudyInstanceUID", "1.2.x"}})).find("StudyInstanceUID"),
            std::string::npos);
}

TEST(QidoQueryTest, StudyDateSingleAndRanges) {
  auto single = Studies({{"StudyDate", "20250115"}});
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->study_date->from, "2025-01-15");
  EXPECT_EQ(single->study_date->to, "2025-01-15");
  auto open_end = Studies({{"StudyDate", "20250101-"}});
  ASSERT_TRUE(open_end.ok());
  EXPECT_EQ(open_end->study_date->from, "2025-01-01");
  EXPECT_FALSE(open_end->study_date->to);
  auto open_start = Studies({{"StudyDate", "-20250131"}});
  ASSERT_TRUE(open_start.ok());
  EXPECT_FALSE(open_start->study_date->from);
  EXPECT_EQ(open_start->study_date->to, "2025-01-31");
  auto both = Studies({{"00080020", "20250101-20250131"}});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->study_date->from, "2025-01-01");
  EXPECT_EQ(both->study_date->to, "2025-01-31");
  auto leap = Studies({{"StudyDate", "20240229"}});
  EXPECT_TRUE(leap.ok());
}

TEST(QidoQueryTest, BadDatesNameTheParameter) {
  for (const char* bad : {"2025-01-01", "20250230", "20230229", "20251301", "-",
                          "20250131-20250101", "2025011", "abcdefgh"}) {
    EXPECT_NE(ErrorOf(Studies({{"StudyDate", bad}})).find("'StudyDate'"), std::string::npos) << bad;
  }
}

TEST(QidoQueryTest, ModalitiesInStudyIsAnyOf) {
  auto q = Studies({{"ModalitiesInStudy", "CT,MR\\DX"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->modalities_in_study, (std::vector<std::string>{"CT", "MR", "DX"}));
  EXPECT_FALSE(Studies({{"ModalitiesInStudy", "ct"}}).ok());
}

TEST(QidoQueryTest, LimitOffsetAndTheirBounds) {
  auto q = Studies({{"limit", "25"}, {"offset", "50"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 25);
  EXPECT_EQ(q->offset, 50);
  for (const char* bad : {"0", "1001", "-1", "ten", ""})
    EXPECT_NE(ErrorOf(Studies({{"limit", bad}})).find("'limit'"), std::string::npos) << bad;
  for (const char* bad : {"-1", "x", "1.5"})
    EXPECT_NE(ErrorOf(Studies({{"offset", bad}})).find("'offset'"), std::string::npos) << bad;
}

TEST(QidoQueryTest, IncludeFieldTakesTagsKeywordsListsAndAll) {
  auto q = Studies({{"includefield", "00180015,PatientAge"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->include_tags, (std::vector<uint32_t>{0x00180015, 0x00101010}));
  EXPECT_TRUE(q->NeedsMetadata());  // neither is in the index
  auto all = Studies({{"includefield", "all"}});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->include_all);
  EXPECT_TRUE(all->NeedsMetadata());
  EXPECT_NE(ErrorOf(Studies({{"includefield", "NoSuchKeyword"}})).find("NoSuchKeyword"),
            std::string::npos);
}

TEST(QidoQueryTest, IncludeFieldOfAnIndexedAttributeNeedsNoMetadata) {
  auto study = Studies({{"includefield", "PatientName"}});
  ASSERT_TRUE(study.ok());
  EXPECT_FALSE(study->NeedsMetadata());
  // Rows is an instance column: at the study level only the metadata has it.
  auto rows = Studies({{"includefield", "Rows"}});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->NeedsMetadata());
  auto instance_rows =
      ParseQidoQuery(QidoLevel::kInstance, "1.2", "", {{"includefield", "00280010"}});
  ASSERT_TRUE(instance_rows.ok());
  EXPECT_FALSE(instance_rows->NeedsMetadata());
}

TEST(QidoQueryTest, FuzzyMatching) {
  auto q = Studies({{"fuzzymatching", "true"}, {"PatientName", "дорж"}});
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->fuzzy_matching);
  auto off = Studies({{"fuzzymatching", "false"}});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->fuzzy_matching);
  EXPECT_NE(ErrorOf(Studies({{"fuzzymatching", "yes"}})).find("fuzzymatching"), std::string::npos);
}

TEST(QidoQueryTest, UnknownParametersAreRefusedByName) {
  EXPECT_NE(ErrorOf(Studies({{"PatientNmae", "x"}})).find("'PatientNmae'"), std::string::npos);
  EXPECT_NE(ErrorOf(Studies({{"12345678", "x"}})).find("'12345678'"), std::string::npos);
  // Known attributes the index cannot match on.
  EXPECT_FALSE(Studies({{"BodyPartExamined", "HEAD"}}).ok());
}

TEST(QidoQueryTest, LowerLevelKeysAreRefusedAtAHigherLevel) {
  EXPECT_NE(ErrorOf(Studies({{"Modality", "CT"}})).find("'Modality'"), std::string::npos);
  EXPECT_FALSE(Studies({{"SOPInstanceUID", "1.2"}}).ok());
  EXPECT_FALSE(ParseQidoQuery(QidoLevel::kSeries, "1.2", "", {{"InstanceNumber", "1"}}).ok());
}

TEST(QidoQueryTest, SeriesAndInstanceKeys) {
  auto series = ParseQidoQuery(QidoLevel::kSeries, "1.2", "",
                               {{"Modality", "CT"}, {"SeriesNumber", "3"}, {"PatientID", "P"}});
  ASSERT_TRUE(series.ok());
  EXPECT_EQ(series->path_study_uid, "1.2");
  EXPECT_EQ(series->modality, "CT");
  EXPECT_EQ(series->series_number, 3);
  EXPECT_FALSE(ParseQidoQuery(QidoLevel::kSeries, "1.2", "", {{"SeriesNumber", "three"}}).ok());
  auto instances = ParseQidoQuery(QidoLevel::kInstance, "1.2", "1.2.3",
                                  {{"SOPInstanceUID", "1.2.3.4,1.2.3.5"},
                                   {"SOPClassUID", "1.2.840.10008.5.1.4.1.1.2"},
                                   {"InstanceNumber", "7"},
                                   {"SeriesInstanceUID", "1.2.3"}});
  ASSERT_TRUE(instances.ok());
  EXPECT_EQ(instances->path_series_uid, "1.2.3");
  EXPECT_EQ(instances->sop_instance_uids.size(), 2u);
  EXPECT_EQ(instances->sop_class_uid, "1.2.840.10008.5.1.4.1.1.2");
  EXPECT_EQ(instances->instance_number, 7);
  EXPECT_EQ(instances->series_uids, std::vector<std::string>{"1.2.3"});
  EXPECT_FALSE(ParseQidoQuery(QidoLevel::kInstance, "1.2", "", {{"SOPClassUID", "x"}}).ok());
}

TEST(QidoQueryTest, TextValuesAreBounded) {
  EXPECT_FALSE(Studies({{"PatientID", std::string(65, 'A')}}).ok());
  EXPECT_FALSE(Studies({{"PatientName", "a\nb"}}).ok());
  EXPECT_TRUE(Studies({{"PatientName", std::string(320, 'A')}}).ok());
}

TEST(QidoQueryTest, WildcardToLikePattern) {
  EXPECT_EQ(WildcardToLikePattern("батбаяр*"), "батбаяр%");
  EXPECT_EQ(WildcardToLikePattern("*до?ж*"), "%до_ж%");
  // LIKE's own metacharacters are literal in DICOM.
  EXPECT_EQ(WildcardToLikePattern("50%_a\\b"), "50\\%\\_a\\\\b");
}

TEST(QidoQueryTest, AttributeDictionary) {
  const QidoAttribute* name = FindQidoAttributeByKeyword("PatientName");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->tag, 0x00100010u);
  EXPECT_STREQ(name->vr, "PN");
  EXPECT_EQ(FindQidoAttributeByTag(0x00100010), name);
  EXPECT_EQ(FindQidoAttributeByKeyword("patientname"), nullptr);
  EXPECT_EQ(FindQidoAttributeByTag(0x7FE00010), nullptr);
}

}  // namespace
}  // namespace telerad
