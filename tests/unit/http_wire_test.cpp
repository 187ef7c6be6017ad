// Unit tests of what the HTTP door writes on the wire and decides per request: the
// serialised response (wire_response.h), gzip (gzip_body.h), session cookies
// (browser_session.h), the viewer's paths, types and caching (viewer_files.h) and the
// study's viewer link.
#include <gtest/gtest.h>
#include <zlib.h>

#include "api/browser_session.h"
#include "api/gzip_body.h"
#include "api/study_json.h"
#include "api/viewer_config.h"
#include "api/viewer_files.h"
#include "api/wire_response.h"

namespace telerad::api {
namespace {

std::string Gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

std::string Head(const WireResponse& wire) { return wire.pieces.front().bytes; }

TEST(WireResponseTest, HeadLineHeadersAndBody) {
  Reply reply = Reply::Json({{"a", 1}});
  reply.headers.emplace_back("ETag", "\"3\"");
  const WireResponse wire = Serialise(reply, {});
  const std::string head = Head(wire);
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nContent-Length: 7\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nCache-Control: no-store\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nETag: \"3\"\r\n"), std::string::npos);
  EXPECT_EQ(head.substr(head.size() - 11), "\r\n\r\n{\"a\":1}");
  EXPECT_FALSE(wire.close_after);
}

TEST(WireResponseTest, HeadRequestKeepsTheLengthAndDropsTheBody) {
  Reply reply;
  reply.body = std::string(100000, 'x');  // large enough to travel as its own piece
  WireRequest request;
  request.head = true;
  const WireResponse wire = Serialise(reply, request);
  ASSERT_EQ(wire.pieces.size(), 1u);
  EXPECT_NE(Head(wire).find("Content-Length: 100000\r\n"), std::string::npos);
  EXPECT_EQ(Head(wire).substr(Head(wire).size() - 4), "\r\n\r\n");
}

TEST(WireResponseTest, ConnectionRules) {
  WireRequest http11;
  EXPECT_TRUE(KeepAlive(http11));
  http11.connection_close = true;
  EXPECT_FALSE(KeepAlive(http11));
  WireRequest http10;
  http10.http10 = true;
  EXPECT_FALSE(KeepAlive(http10));
  http10.connection_keep_alive = true;
  EXPECT_TRUE(KeepAlive(http10));
  WireRequest close;
  close.connection_close = true;
  const WireResponse wire = Serialise(Reply::Json({}), close);
  EXPECT_TRUE(wire.close_after);
  EXPECT_NE(Head(wire).find("\r\nConnection: close\r\n"), std::string::npos);
}

TEST(WireResponseTest, AReplyCacheControlReplacesNoStoreAndPiecesCount) {
  Reply reply;
  reply.body = "ab";
  reply.pieces.push_back(BodyPiece::Bytes("cde"));
  reply.headers.emplace_back("Cache-Control", "no-cache");
  const WireResponse wire = Serialise(reply, {});
  EXPECT_EQ(Head(wire).find("no-store"), std::string::npos);
  EXPECT_NE(Head(wire).find("Content-Length: 5\r\n"), std::string::npos);
  ASSERT_EQ(wire.pieces.size(), 2u);
  EXPECT_EQ(wire.pieces[1].bytes, "cde");
  EXPECT_EQ(wire.memory_bytes(), Head(wire).size() + 3);
}

TEST(WireResponseTest, NotModifiedHasNoContentLength) {
  Reply reply;
  reply.status = 304;
  reply.headers.emplace_back("ETag", "\"1-2\"");
  const WireResponse wire = Serialise(reply, {});
  EXPECT_EQ(Head(wire).rfind("HTTP/1.1 304 Not Modified\r\n", 0), 0u) << Head(wire);
  EXPECT_EQ(Head(wire).find("Content-Length"), std::string::npos);
}

TEST(BodyPieceTest, FileSliceChecksTheFile) {
  EXPECT_EQ(BodyPiece::FileSlice("/nonexistent/telerad").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(BodyPiece::FileSlice("/tmp").status().code(), StatusCode::kNotFound);
  auto whole = BodyPiece::FileSlice("/etc/hostname");
  ASSERT_TRUE(whole.ok());
  EXPECT_TRUE(whole->is_file());
  EXPECT_EQ(BodyPiece::FileSlice("/etc/hostname", 0, whole->size() + 1).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(GzipTest, AcceptEncodingValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("*, gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=nonsense"));
}

TEST(GzipTest, CompressesLargeJsonOnlyAndNamesVary) {
  nlohmann::json big = nlohmann::json::array();
  for (int i = 0; i < 200; ++i) big.push_back({{"tag", "00100010"}, {"vr", "PN"}, {"i", i}});
  Reply reply = Reply::Json(big);
  const std::string original = reply.body;
  CompressForClient(reply, true);
  EXPECT_LT(reply.body.size(), original.size() / 4);
  EXPECT_EQ(Gunzip(reply.body), original);
  EXPECT_EQ(reply.headers.size(), 2u);  // Vary and Content-Encoding

  Reply refused = Reply::Json(big);
  CompressForClient(refused, false);
  EXPECT_EQ(refused.body, original);
  ASSERT_EQ(refused.headers.size(), 1u);
  EXPECT_EQ(refused.headers[0].first, "Vary");

  Reply small = Reply::Json({{"status", "ok"}});
  CompressForClient(small, true);
  EXPECT_EQ(small.body, R"({"status":"ok"})");

  Reply text;
  text.content_type = "text/plain";
  text.body = std::string(5000, 'a');
  CompressForClient(text, true);
  EXPECT_EQ(text.body.size(), 5000u);
  EXPECT_TRUE(text.headers.empty());
  EXPECT_TRUE(CompressibleType("application/dicom+json"));
}

TEST(BrowserSessionTest, CookieAttributes) {
  const std::string cookie = SessionCookie("abc", std::chrono::seconds(60), false);
  EXPECT_EQ(cookie, "telerad_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60");
  EXPECT_NE(SessionCookie("abc", std::chrono::seconds(60), true).find("; Secure"),
            std::string::npos);
  EXPECT_EQ(ClearedSessionCookie(false),
            "telerad_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

TEST(ViewerPathTest, DecodesAndRefusesEscapes) {
  EXPECT_EQ(*ViewerRelativePath("/"), "");
  EXPECT_EQ(*ViewerRelativePath("/assets/a%20b.png"), "assets/a b.png");
  EXPECT_EQ(*ViewerRelativePath("//viewer/"), "viewer");
  for (const char* bad : {"/../etc/passwd", "/a/../../x", "/%2e%2e/x", "/%2E%2E%2Fx/..", "/./x",
                          "/a%00b", "/a\\b", "/a%5c..", "/%zz", "/%4", "relative"})
    EXPECT_FALSE(ViewerRelativePath(bad).ok()) << bad;
}

TEST(ViewerPathTest, TypesAndHashes) {
  EXPECT_EQ(ViewerContentType("0ddf166f7a343eda.wasm"), "application/wasm");
  EXPECT_EQ(ViewerContentType("app.bundle.0f6159c501addfe9.js"),
            "application/javascript; charset=utf-8");
  EXPECT_EQ(ViewerContentType("a34f9d1faa5f3315.woff2"), "font/woff2");
  EXPECT_EQ(ViewerContentType("ohif-logo.svg"), "image/svg+xml");
  EXPECT_EQ(ViewerContentType("x.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ViewerContentType("README"), "application/octet-stream");
  EXPECT_TRUE(HasContentHash("app.bundle.0f6159c501addfe9.js"));
  EXPECT_TRUE(HasContentHash("100.bundle.cb02411ce321d4e4.js"));
  EXPECT_TRUE(HasContentHash("0ddf166f7a343eda.wasm"));
  EXPECT_TRUE(HasContentHash("assets/a34f9d1faa5f3315.woff2"));
  EXPECT_FALSE(HasContentHash("1602.css"));
  EXPECT_FALSE(HasContentHash("index.html"));
  EXPECT_FALSE(HasContentHash("app-config.js"));
  EXPECT_FALSE(HasContentHash("app.bundle.css"));
  EXPECT_FALSE(HasContentHash("0f6159c501addfe9"));  // no extension: a route, not a file
}

TEST(ViewerPathTest, EtagMatching) {
  EXPECT_TRUE(EtagMatches("\"1-2\"", "\"1-2\""));
  EXPECT_TRUE(EtagMatches("\"x\", W/\"1-2\"", "\"1-2\""));
  EXPECT_TRUE(EtagMatches("*", "\"1-2\""));
  EXPECT_FALSE(EtagMatches("\"1-3\"", "\"1-2\""));
  EXPECT_FALSE(EtagMatches("", "\"1-2\""));
}

TEST(ViewerConfigTest, OneSameOriginDicomwebSource) {
  const std::string script = ViewerAppConfig();
  ASSERT_EQ(script.find("window.config = "), script.find('\n') + 1);
  const auto json = nlohmann::json::parse(
      script.substr(script.find('{'), script.rfind('}') - script.find('{') + 1));
  ASSERT_EQ(json["dataSources"].size(), 1u);
  const auto& source = json["dataSources"][0]["configuration"];
  EXPECT_EQ(source["qidoRoot"], "/dicomweb");
  EXPECT_EQ(source["wadoRoot"], "/dicomweb");
  EXPECT_EQ(source["imageRendering"], "wadors");
  EXPECT_EQ(source["thumbnailRendering"], "rendered");
  EXPECT_EQ(source["thumbnailRequestStrategy"], "fetch");
  EXPECT_EQ(source["enableStudyLazyLoad"], true);
  EXPECT_EQ(source["omitQuotationForMultipartRequest"], true);
  EXPECT_EQ(json["defaultDataSourceName"], json["dataSources"][0]["sourceName"]);
  EXPECT_EQ(json["investigationalUseDialog"]["option"], "never");
}

TEST(ViewerUrlTest, PercentEncodesTheUid) {
  EXPECT_EQ(ViewerUrl("1.2.840.113619.2.55"), "/viewer?StudyInstanceUIDs=1.2.840.113619.2.55");
  EXPECT_EQ(ViewerUrl("1.2&x=3 4"), "/viewer?StudyInstanceUIDs=1.2%26x%3D3%204");
}

}  // namespace
}  // namespace telerad::api
