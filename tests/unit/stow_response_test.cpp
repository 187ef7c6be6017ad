#include "api/stow_response.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

StowInstanceOutcome Stored(const std::string& study, const std::string& sop) {
  StowInstanceOutcome o;
  o.sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";
  o.sop_instance_uid = sop;
  o.study_uid = study;
  o.series_uid = study + ".1";
  return o;
}

StowInstanceOutcome Failed(uint16_t reason, const std::string& sop = "") {
  StowInstanceOutcome o;
  o.failure = reason;
  o.sop_instance_uid = sop;
  return o;
}

nlohmann::json Body(const Reply& r) { return nlohmann::json::parse(r.body); }

TEST(StowResponse, AllStoredIs200WithReferencesAndTheStudyUrl) {
  Reply r = StowResponse({Stored("1.2.3", "1.2.3.1.1"), Stored("1.2.3", "1.2.3.1.2")});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/dicom+json");
  auto b = Body(r);
  EXPECT_EQ(b["00081190"], (nlohmann::json{{"vr", "UR"}, {"Value", {"/dicomweb/studies/1.2.3"}}}));
  ASSERT_EQ(b["00081199"]["vr"], "SQ");
  ASSERT_EQ(b["00081199"]["Value"].size(), 2u);
  const auto& item = b["00081199"]["Value"][1];
  EXPECT_EQ(item["00081150"]["vr"], "UI");
  EXPECT_EQ(item["00081150"]["Value"][0], "1.2.840.10008.5.1.4.1.1.2");
  EXPECT_EQ(item["00081155"]["Value"][0], "1.2.3.1.2");
  EXPECT_EQ(item["00081190"]["Value"][0],
            "/dicomweb/studies/1.2.3/series/1.2.3.1/instances/1.2.3.1.2");
  EXPECT_FALSE(b.contains("00081198"));
}

TEST(StowResponse, SomeFailedIs202NoneStoredIs409) {
  Reply some = StowResponse({Stored("1.2.3", "1.2.3.1.1"), Failed(0xA900, "9.9")});
  EXPECT_EQ(some.status, 202);
  auto b = Body(some);
  ASSERT_EQ(b["00081198"]["Value"].size(), 1u);
  const auto& failed = b["00081198"]["Value"][0];
  EXPECT_EQ(failed["00081197"], (nlohmann::json{{"vr", "US"}, {"Value", {0xA900}}}));
  EXPECT_EQ(failed["00081155"]["Value"][0], "9.9");
  EXPECT_FALSE(failed.contains("00081190"));

  Reply none = StowResponse({Failed(0xC000)});
  EXPECT_EQ(none.status, 409);
  auto n = Body(none);
  EXPECT_FALSE(n.contains("00081199"));
  EXPECT_FALSE(n.contains("00081190"));
  // UIDs that could not be read are present without a Value (PS3.18 F.2.5).
  EXPECT_EQ(n["00081198"]["Value"][0]["00081155"], (nlohmann::json{{"vr", "UI"}}));
}

TEST(StowResponse, NoStudyUrlAcrossStudies) {
  auto b = Body(StowResponse({Stored("1.2.3", "1"), Stored("1.2.4", "2")}));
  EXPECT_FALSE(b.contains("00081190"));
  EXPECT_EQ(b["00081199"]["Value"].size(), 2u);
}

TEST(StowFailure, FollowsTheDicomDoorsTable) {
  EXPECT_EQ(StowFailureFor(StatusCode::kInvalidArgument), 0xC000);
  EXPECT_EQ(StowFailureFor(StatusCode::kConflict), 0xC001);
  EXPECT_EQ(StowFailureFor(StatusCode::kResourceExhausted), 0xA700);
  EXPECT_EQ(StowFailureFor(StatusCode::kUnavailable), 0xA700);
  EXPECT_EQ(StowFailureFor(StatusCode::kInternal), 0x0110);
  EXPECT_EQ(StowFailureFor(StatusCode::kOk), 0);
}

}  // namespace
}  // namespace telerad::api
