#include "api/body_limit_parser.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace telerad::api {
namespace {

TEST(BodyLimitParser, PathTemplatesMatchOneSegmentPerParameter) {
  EXPECT_TRUE(PathMatchesTemplate("/dicomweb/studies", "/dicomweb/studies"));
  EXPECT_TRUE(PathMatchesTemplate("/dicomweb/studies/1.2.3", "/dicomweb/studies/:study_uid"));
  EXPECT_FALSE(
      PathMatchesTemplate("/dicomweb/studies/1.2.3/series", "/dicomweb/studies/:study_uid"));
  EXPECT_FALSE(PathMatchesTemplate("/dicomweb/studies/", "/dicomweb/studies/:study_uid"));
  EXPECT_FALSE(PathMatchesTemplate("/dicomweb/studies", "/dicomweb/studies/:study_uid"));
  EXPECT_FALSE(PathMatchesTemplate("/dicomweb/studiesx", "/dicomweb/studies"));
  EXPECT_FALSE(PathMatchesTemplate("/api/v1/auth/login", "/dicomweb/studies"));
}

TEST(BodyLimitParser, LargeBodySlotsAreCounted) {
  BodyLimits limits;
  limits.max_large_bodies = 2;
  BodyLimitGuard guard(limits);
  EXPECT_TRUE(guard.Enter());
  EXPECT_TRUE(guard.Enter());
  EXPECT_FALSE(guard.Enter());
  EXPECT_EQ(guard.large_bodies(), 2);
  guard.Leave();
  EXPECT_TRUE(guard.Enter());
}

// Every connection's parser keeps header fields raw as RawHeadersParser does
// (raw_headers_parser.h): an Accept Pistache could not parse reaches the routes.
TEST(BodyLimitParser, KeepsHeaderFieldsRaw) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  auto parser = MakeBodyLimitParser(1 << 16, std::make_shared<BodyLimitGuard>(BodyLimits{}),
                                    RefuseOnSocket(fds[0]));
  const std::string request =
      "POST /x HTTP/1.1\r\nAccept: application/json;q=7\r\nContent-Length: 2\r\n\r\n{}";
  ASSERT_TRUE(parser->feed(request.data(), request.size()));
  EXPECT_EQ(parser->parse(), Pistache::Http::Private::State::Done);
  EXPECT_EQ(parser->request.headers().getRaw("Accept").value(), "application/json;q=7");
  EXPECT_EQ(parser->request.body(), "{}");
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace telerad::api
