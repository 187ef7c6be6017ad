#include "api/http_error.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace telerad::api {
namespace {

struct Answer {
  int status;
  std::string code;
  std::string message;
};

Answer Of(const Status& s) {
  Reply r = ErrorReply(s);
  auto body = nlohmann::json::parse(r.body);
  return {r.status, body["error"]["code"], body["error"]["message"]};
}

TEST(HttpErrorTest, EachCodeHasItsHttpStatusAndName) {
  const std::tuple<Status, int, const char*> cases[] = {
      {Status::InvalidArgument("m"), 400, "invalid_argument"},
      {Status::Unauthenticated("m"), 401, "unauthenticated"},
      {Status::PermissionDenied("m"), 403, "permission_denied"},
      {Status::NotFound("m"), 404, "not_found"},
      {Status::Conflict("m"), 409, "conflict"},
      {Status::FailedPrecondition("m"), 412, "precondition_failed"},
      {Status::Unprocessable("m"), 422, "invalid_field"},
      {Status::TooManyRequests("m"), 429, "too_many_requests"},
      {Status::NotAcceptable("m"), 406, "not_acceptable"},
      {Status::UnsupportedMediaType("m"), 415, "unsupported_media_type"},
  };
  for (const auto& [status, http, code] : cases) {
    Answer a = Of(status);
    EXPECT_EQ(a.status, http) << status.ToString();
    EXPECT_EQ(a.code, code) << status.ToString();
    EXPECT_EQ(a.message, "m") << status.ToString();
  }
}

TEST(HttpErrorTest, ServerFailuresKeepTheirDetailsFromTheClient) {
  Answer internal = Of(Status::Internal("relation \"study\" does not exist"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.code, "internal");
  EXPECT_EQ(internal.message, "internal error");
  for (const Status& s : {Status::Unavailable("connection to 10.0.0.5 refused"),
                          Status::ResourceExhausted("/var/lib/telerad: no space")}) {
    Answer a = Of(s);
    EXPECT_EQ(a.status, 503);
    EXPECT_EQ(a.message, "service temporarily unavailable");
  }
  EXPECT_EQ(Of(Status::Unavailable("x")).code, "unavailable");
  EXPECT_EQ(Of(Status::ResourceExhausted("x")).code, "resource_exhausted");
}

TEST(HttpErrorTest, TheDoorsOwnRefusalsHaveTheirOwnNames) {
  Answer not_json = Of(NotJsonObject());
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.code, "invalid_json");
  EXPECT_EQ(not_json.message, "request body must be a JSON object");
  Answer too_large = Of(PayloadTooLarge(1048576));
  EXPECT_EQ(too_large.status, 413);
  EXPECT_EQ(too_large.code, "payload_too_large");
  EXPECT_EQ(too_large.message, "request body exceeds 1048576 bytes");
  EXPECT_EQ(NotJsonObject().code(), StatusCode::kMalformed);
  EXPECT_EQ(PayloadTooLarge(1).code(), StatusCode::kTooLarge);
}

TEST(HttpErrorTest, TheCodeNotTheMessageChoosesTheAnswer) {
  Answer a = Of(Status::InvalidArgument("request body exceeds 10 bytes"));
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.code, "invalid_argument");
  EXPECT_EQ(Of(Status::TooLarge("data set over the limit")).status, 413);
}

}  // namespace
}  // namespace telerad::api

namespace telerad::api {
namespace {

// One domain code for every "too large", with the HTTP status of the part that was.
TEST(HttpErrorTest, TooLargeCarriesThePartThatWasTooLarge) {
  const Status s = Status::TooLarge("m");
  const std::tuple<RequestPart, int, const char*> cases[] = {
      {RequestPart::kBody, 413, "payload_too_large"},
      {RequestPart::kTarget, 414, "uri_too_long"},
      {RequestPart::kHeaders, 431, "headers_too_large"}};
  for (const auto& [part, status, code] : cases) {
    Reply r = TooLargeReply(s, part);
    EXPECT_EQ(r.status, status);
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"]["code"], code);
    EXPECT_EQ(body["error"]["message"], "m");
  }
  EXPECT_EQ(ErrorReply(s).status, 413);
}

}  // namespace
}  // namespace telerad::api
