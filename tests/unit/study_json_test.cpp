#include "api/study_json.h"

#include <gtest/gtest.h>

#include "api/json_common.h"

namespace telerad::api {
namespace {

Study FullStudy() {
  Study s;
  s.study_uid = "1.2.840.1";
  s.status = StudyStatus::kClaimed;
  s.priority = Priority::kStat;
  s.modality_class = ModalityClass::kXray;
  s.modalities = {"CR", "DX"};
  s.facility = {7,     "UVS-01", "Увс аймгийн \"Нэгдсэн\" эмнэлэг", "Увс", "", "", true, {}, {},
                false, ""};
  s.patient = {"УБ85031245", "Батболд^Өлзийбаяр", "1985-03-12", "M"};
  s.accession_number = "A\\1";
  s.study_date = "2025-05-31";
  s.description = "line\nbreak\ttab\x01\x1f\x7f";
  s.clinical_info = "Толгой өвдөх / 🙂";
  s.num_series = 2;
  s.num_instances = 301;
  s.size_bytes = 5000000000ULL;
  s.received_at = *ParseTime("2025-05-31T08:00:00.123Z");
  s.ready_at = *ParseTime("2025-05-31T08:01:00Z");
  s.sla_due_at = *ParseTime("2025-05-31T09:01:00Z");
  s.claimed_by = "rad1";
  s.claim_expires_at = *ParseTime("2025-05-31T08:31:00Z");
  s.series = {{"1.2.840.1.1", "CR", 1, "PA", 1}, {"1.2.840.1.2", "DX", std::nullopt, "", 300}};
  return s;
}

// The hand-written writer must send exactly what the nlohmann form sends, for every
// field, null and escape, including strings that are not UTF-8.
TEST(StudyJsonTest, DirectStudyWriterMatchesTheNlohmannForm) {
  auto dump = [](const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  std::vector<Study> cases;
  cases.push_back(FullStudy());
  cases.push_back(Study{});  // defaults: empty strings, nulls, no modalities
  Study broken = FullStudy();
  broken.patient.name = "\xc4\xe9\xf0\xe6^\xc1\xe0\xf2";  // CP1251 bytes labelled as UTF-8
  broken.description = "\xed\xa0\x80 surrogate, \xc0\xaf overlong, \xf4\x90\x80\x80 too big";
  cases.push_back(broken);
  for (const Study& s : cases) {
    for (bool with_series : {false, true}) {
      std::string direct;
      AppendStudyJson(direct, s, with_series);
      EXPECT_EQ(direct, dump(StudyJson(s, with_series))) << "with_series " << with_series;
    }
  }
  std::string text;
  AppendJsonString(text, "2.1735.42");
  EXPECT_EQ(text, "\"2.1735.42\"");
}

}  // namespace
}  // namespace telerad::api
