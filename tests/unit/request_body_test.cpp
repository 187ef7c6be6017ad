#include "api/request_body.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

using nlohmann::json;

TEST(JsonFieldsTest, ReadsPresentFieldsAndLeavesAbsentOptionalOnesAlone) {
  json body = {{"name", "Увс"}, {"active", false}, {"port", 104}, {"codes", {"A00", "B01"}}};
  std::string name, soum = "unchanged";
  bool active = true;
  std::optional<int> port;
  std::vector<std::string> codes;
  Status read = JsonFields(body)
                    .String("name", name, kRequired)
                    .String("soum", soum, kOptional)
                    .Bool("active", active, kRequired)
                    .Int("port", port, kRequired)
                    .StringList("codes", codes, kOptional)
                    .status();
  ASSERT_TRUE(read.ok()) << read.ToString();
  EXPECT_EQ(name, "Увс");
  EXPECT_EQ(soum, "unchanged");
  EXPECT_FALSE(active);
  EXPECT_EQ(port, 104);
  EXPECT_EQ(codes, (std::vector<std::string>{"A00", "B01"}));
}

TEST(JsonFieldsTest, AMissingRequiredFieldIsUnprocessable) {
  std::string name;
  Status read = JsonFields(json::object()).String("name", name, kRequired).status();
  EXPECT_EQ(read.code(), StatusCode::kUnprocessable);
  EXPECT_EQ(read.message(), "'name' is required");
}

TEST(JsonFieldsTest, TheFirstErrorIsKeptAndLaterReadsDoNothing) {
  json body = {{"port", -1}, {"name", 7}, {"host", "pacs"}};
  std::optional<int> port;
  std::string name, host;
  JsonFields fields(body);
  fields.Int("port", port, kRequired)
      .String("name", name, kRequired)
      .String("host", host, kRequired);
  EXPECT_EQ(fields.status().message(), "'port' must be a non-negative integer");
  EXPECT_TRUE(host.empty());
}

TEST(JsonFieldsTest, WrongTypesNameTheField) {
  json body = {{"s", 1}, {"b", "yes"}, {"l", {"A00", 3}}, {"n", nullptr}};
  std::string s;
  bool b = false;
  std::vector<std::string> l;
  EXPECT_EQ(JsonFields(body).String("s", s, kOptional).status().message(), "'s' must be a string");
  EXPECT_EQ(JsonFields(body).Bool("b", b, kOptional).status().message(),
            "'b' must be true or false");
  EXPECT_EQ(JsonFields(body).StringList("l", l, kOptional).status().message(),
            "'l' must be an array of strings");
  EXPECT_TRUE(l.empty());
  // null is "absent" for an optional string, but not for an optional flag.
  EXPECT_TRUE(JsonFields(body).String("n", s, kOptional).ok());
  EXPECT_FALSE(JsonFields(body).Bool("n", b, kOptional).ok());
}

}  // namespace
}  // namespace telerad::api
