#include "api/qido_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace telerad::api {
namespace {

QidoMatch SampleMatch() {
  QidoMatch m;
  m.study_uid = "1.2.3";
  m.patient_name = "БАТБАЯР^ДОРЖ";
  m.patient_id = "P1";
  m.patient_birth_date = "19800101";
  m.patient_sex = "M";
  m.accession_number = "A1";
  m.study_date = "20250115";
  m.study_time = "093015";
  m.referring_physician = "Болд^Сүх";
  m.dicom_study_id = "S1";
  m.study_description = "CT HEAD";
  m.modalities = {"CT", "SR"};
  m.num_series = 2;
  m.num_study_instances = 40;
  m.series_uid = "1.2.3.4";
  m.modality = "CT";
  m.series_number = 3;
  m.series_description = "AXIAL";
  m.num_series_instances = 39;
  m.sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";
  m.sop_instance_uid = "1.2.3.4.5";
  m.instance_number = 7;
  m.rows = 512;
  m.columns = 512;
  m.bits_allocated = 16;
  m.number_of_frames = 1;
  return m;
}

nlohmann::json Answer(QidoLevel level, std::vector<QueryParam> params, const QidoMatch& m) {
  auto q = ParseQidoQuery(level, level == QidoLevel::kStudy ? "" : "1.2.3", "", params);
  EXPECT_TRUE(q.ok());
  std::string out;
  AppendQidoAnswer(out, *q, {m});
  return nlohmann::json::parse(out);
}

TEST(QidoJsonTest, EmptyAnswerIsAnEmptyArray) {
  auto q = ParseQidoQuery(QidoLevel::kStudy, "", "", {});
  std::string out;
  AppendQidoAnswer(out, *q, {});
  EXPECT_EQ(out, "[]");
}

TEST(QidoJsonTest, StudyLevelDefaults) {
  const auto json = Answer(QidoLevel::kStudy, {}, SampleMatch());
  ASSERT_EQ(json.size(), 1u);
  const auto& s = json[0];
  EXPECT_EQ(s.size(), 15u);
  EXPECT_EQ(s["00100010"]["Value"][0]["Alphabetic"], "БАТБАЯР^ДОРЖ");
  EXPECT_EQ(s["00080090"]["Value"][0]["Alphabetic"], "Болд^Сүх");
  EXPECT_EQ(s["00080061"]["Value"], nlohmann::json({"CT", "SR"}));
  EXPECT_EQ(s["00201206"]["Value"][0], 2);
  EXPECT_EQ(s["00201206"]["vr"], "IS");
  EXPECT_EQ(s["00201208"]["Value"][0], 40);
  EXPECT_EQ(s["00081190"]["vr"], "UR");
  EXPECT_EQ(s["00081190"]["Value"][0], "/dicomweb/studies/1.2.3");
  EXPECT_EQ(s["00080030"]["Value"][0], "093015");
  EXPECT_EQ(s["00200010"]["Value"][0], "S1");
  EXPECT_FALSE(s.contains("0020000E"));
  for (const auto& [key, attribute] : s.items()) EXPECT_TRUE(attribute.contains("vr")) << key;
}

TEST(QidoJsonTest, SeriesAndInstanceLevels) {
  const auto series = Answer(QidoLevel::kSeries, {}, SampleMatch())[0];
  EXPECT_EQ(series["0020000E"]["Value"][0], "1.2.3.4");
  EXPECT_EQ(series["0020000D"]["Value"][0], "1.2.3");
  EXPECT_EQ(series["00200011"]["Value"][0], 3);
  EXPECT_EQ(series["00201209"]["Value"][0], 39);
  EXPECT_EQ(series["0008103E"]["Value"][0], "AXIAL");
  EXPECT_EQ(series["00081190"]["Value"][0], "/dicomweb/studies/1.2.3/series/1.2.3.4");
  EXPECT_FALSE(series.contains("00100010"));

  const auto instance = Answer(QidoLevel::kInstance, {}, SampleMatch())[0];
  EXPECT_EQ(instance["00080018"]["Value"][0], "1.2.3.4.5");
  EXPECT_EQ(instance["00280010"]["Value"][0], 512);
  EXPECT_EQ(instance["00280010"]["vr"], "US");
  EXPECT_EQ(instance["00280008"]["vr"], "IS");
  EXPECT_EQ(instance["00200013"]["Value"][0], 7);
  EXPECT_EQ(instance["00081190"]["Value"][0],
            "/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5");
}

TEST(QidoJsonTest, MissingInstanceValuesAreEmptyAttributes) {
  QidoMatch m = SampleMatch();
  m.rows.reset();
  m.instance_number.reset();
  const auto instance = Answer(QidoLevel::kInstance, {}, m)[0];
  EXPECT_EQ(instance["00280010"], nlohmann::json({{"vr", "US"}}));
  EXPECT_EQ(instance["00200013"], nlohmann::json({{"vr", "IS"}}));
}

TEST(QidoJsonTest, IncludeFieldFromTheIndexAtALowerLevel) {
  const auto series =
      Answer(QidoLevel::kSeries, {{"includefield", "PatientName,00100020"}}, SampleMatch())[0];
  EXPECT_EQ(series["00100010"]["Value"][0]["Alphabetic"], "БАТБАЯР^ДОРЖ");
  EXPECT_EQ(series["00100020"]["Value"][0], "P1");
}

TEST(QidoJsonTest, IncludeFieldFromStoredMetadata) {
  QidoMatch m = SampleMatch();
  m.metadata_json =
      R"({"00180015":{"vr":"CS","Value":["HEAD"]},"00101010":{"vr":"AS","Value":["045Y"]},)"
      R"("00100010":{"vr":"PN","Value":[{"Alphabetic":"OTHER"}]},)"
      R"("7FE00010":{"vr":"OW","BulkDataURI":"/x"}})";
  const auto one = Answer(QidoLevel::kStudy, {{"includefield", "00180015"}}, m)[0];
  EXPECT_EQ(one["00180015"]["Value"][0], "HEAD");
  EXPECT_FALSE(one.contains("00101010"));
  // The index's value wins over the metadata's.
  EXPECT_EQ(one["00100010"]["Value"][0]["Alphabetic"], "БАТБАЯР^ДОРЖ");

  const auto all = Answer(QidoLevel::kStudy, {{"includefield", "all"}}, m)[0];
  EXPECT_EQ(all["00101010"]["Value"][0], "045Y");
  EXPECT_FALSE(all.contains("7FE00010"));  // bulk data is never in a search answer
}

TEST(QidoJsonTest, AbsentOrBrokenMetadataOmitsTheAttribute) {
  QidoMatch m = SampleMatch();
  EXPECT_FALSE(
      Answer(QidoLevel::kStudy, {{"includefield", "00180015"}}, m)[0].contains("00180015"));
  m.metadata_json = "{not json";
  EXPECT_FALSE(
      Answer(QidoLevel::kStudy, {{"includefield", "00180015"}}, m)[0].contains("00180015"));
}

}  // namespace
}  // namespace telerad::api
