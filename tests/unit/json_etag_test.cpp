#include "api/json_etag.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

Reply JsonReply(const char* body) {
  Reply reply;
  reply.body = body;
  return reply;
}

std::string EtagOf(const Reply& reply) {
  for (const auto& [name, value] : reply.headers)
    if (name == "ETag") return value;
  return "";
}

TEST(JsonEtagTest, EqualBodiesHaveEqualWeakTagsAndDifferentBodiesDifferentOnes) {
  EXPECT_EQ(BodyEtag("[1,2]"), BodyEtag("[1,2]"));
  EXPECT_NE(BodyEtag("[1,2]"), BodyEtag("[1,3]"));
  EXPECT_EQ(BodyEtag("{}").rfind("W/\"", 0), 0u);
  EXPECT_EQ(BodyEtag("{}").size(), 3u + 32u + 1u);
}

TEST(JsonEtagTest, AnAnswerWithoutAConditionCarriesItsTagAndItsBody) {
  Reply reply = JsonReply(R"({"items":[]})");
  AnswerConditionally(reply, "");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"items":[]})");
  EXPECT_EQ(EtagOf(reply), BodyEtag(R"({"items":[]})"));
}

TEST(JsonEtagTest, TheSameTagAgainIsA304WithoutABodyStrongOrWeakInAList) {
  const std::string tag = BodyEtag("[]");
  for (const std::string& condition :
       {tag, tag.substr(2), "\"other\", " + tag, std::string("*"), " W/\"x\" ,\t" + tag + " "}) {
    Reply reply = JsonReply("[]");
    AnswerConditionally(reply, condition);
    EXPECT_EQ(reply.status, 304) << condition;
    EXPECT_TRUE(reply.body.empty()) << condition;
    EXPECT_EQ(EtagOf(reply), tag) << condition;
  }
}

TEST(JsonEtagTest, AChangedBodyIsAnsweredInFull) {
  Reply reply = JsonReply("[1]");
  AnswerConditionally(reply, BodyEtag("[]"));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "[1]");
}

TEST(JsonEtagTest, ErrorsOtherMediaAndAnswersWithTheirOwnValidatorAreLeftAlone) {
  Reply error = JsonReply(R"({"error":{}})");
  error.status = 404;
  AnswerConditionally(error, "*");
  EXPECT_EQ(error.status, 404);
  EXPECT_TRUE(error.headers.empty());

  Reply csv = JsonReply("a,b\n");
  csv.content_type = "text/csv; charset=utf-8";
  AnswerConditionally(csv, "*");
  EXPECT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.headers.empty());

  Reply versioned = JsonReply("{}");
  versioned.headers.emplace_back("etag", "\"3\"");
  AnswerConditionally(versioned, "\"3\"");
  EXPECT_EQ(versioned.status, 200);
  EXPECT_EQ(versioned.headers.size(), 1u);
}

}  // namespace
}  // namespace telerad::api
