#include "api/raw_headers_parser.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace telerad::api {
namespace {

using Pistache::Http::Private::State;

// A parser on one end of a socket pair; what it answers is read from the other end.
class RawHeadersParserTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }

  State Parse(RawHeadersParser& parser, const std::string& bytes) {
    EXPECT_TRUE(parser.feed(bytes.data(), bytes.size()));
    return parser.parse();
  }

  std::string Answer() {
    std::string in;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fds_[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0;)
      in.append(buf, static_cast<size_t>(n));
    return in;
  }

  int fds_[2] = {-1, -1};
};

TEST_F(RawHeadersParserTest, KeepsAcceptAndContentTypeRawWhateverTheyHold) {
  RawHeadersParser parser(1 << 16, RefuseOnSocket(fds_[0]));
  const std::string request =
      "POST /x HTTP/1.1\r\nAccept: application/json;q=7\r\nContent-Type: json\r\n"
      "Content-Length: 2\r\nConnection: keep-alive\r\nCookie: session=abc\r\n\r\n{}";
  ASSERT_EQ(Parse(parser, request), State::Done);
  const auto& headers = parser.request.headers();
  EXPECT_EQ(headers.getRaw("Accept").value(), "application/json;q=7");
  EXPECT_EQ(headers.getRaw("content-type").value(), "json");
  EXPECT_FALSE(headers.tryGet<Pistache::Http::Header::Accept>());
  EXPECT_FALSE(headers.tryGet<Pistache::Http::Header::ContentType>());
  // The three Pistache reads are typed as well as raw.
  ASSERT_TRUE(headers.tryGet<Pistache::Http::Header::ContentLength>());
  EXPECT_EQ(headers.tryGet<Pistache::Http::Header::ContentLength>()->value(), 2u);
  ASSERT_TRUE(headers.tryGet<Pistache::Http::Header::Connection>());
  EXPECT_EQ(headers.getRaw("Content-Length").value(), "2");
  EXPECT_EQ(parser.request.body(), "{}");
  EXPECT_EQ(parser.request.cookies().get("session").value, "abc");
  EXPECT_EQ(Answer(), "");
}

TEST_F(RawHeadersParserTest, HeadersSplitAcrossReadsAreParsedOnce) {
  RawHeadersParser parser(1 << 16, RefuseOnSocket(fds_[0]));
  EXPECT_EQ(Parse(parser, "GET /x HTTP/1.1\r\nAccept: text/cs"), State::Again);
  EXPECT_EQ(Parse(parser, "v\r\nContent-Le"), State::Again);
  EXPECT_EQ(Parse(parser, "ngth: 0\r\n\r\n"), State::Done);
  EXPECT_EQ(parser.request.headers().getRaw("Accept").value(), "text/csv");
  EXPECT_EQ(parser.request.headers().tryGet<Pistache::Http::Header::ContentLength>()->value(), 0u);
}

TEST_F(RawHeadersParserTest, RefusesAContentLengthThatIsNoDecimalNumberInJson) {
  for (const char* length : {"12abc", "abc", "", "-1", "1 2", "99999999999999999999999"}) {
    RawHeadersParser parser(1 << 16, RefuseOnSocket(fds_[0]));
    const std::string request =
        std::string("POST /x HTTP/1.1\r\nContent-Length: ") + length + "\r\n\r\n";
    EXPECT_EQ(Parse(parser, request), State::Again) << length;
    const std::string answer = Answer();
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << length << ": " << answer;
    EXPECT_NE(answer.find("\"invalid_argument\""), std::string::npos) << answer;
    EXPECT_NE(answer.find("Content-Length header field is malformed"), std::string::npos);
    // Nothing more is parsed once refused.
    EXPECT_EQ(Parse(parser, "GET / HTTP/1.1\r\n\r\n"), State::Again);
    ::close(fds_[0]);
    ::close(fds_[1]);
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
  }
}

TEST_F(RawHeadersParserTest, CookiesAreReadLenientlyAPairWithoutANameIsSkipped) {
  RawHeadersParser parser(1 << 16, RefuseOnSocket(fds_[0]));
  EXPECT_EQ(Parse(parser,
                  "GET /x HTTP/1.1\r\nCookie: no-value; =x;  session=abc ; quoted=\"q v\";"
                  " empty=\r\n\r\n"),
            State::Done);
  EXPECT_EQ(parser.request.cookies().get("session").value, "abc");
  EXPECT_EQ(parser.request.cookies().get("quoted").value, "q v");
  EXPECT_TRUE(parser.request.cookies().has("empty"));
  EXPECT_FALSE(parser.request.cookies().has("no-value"));
}

}  // namespace
}  // namespace telerad::api
