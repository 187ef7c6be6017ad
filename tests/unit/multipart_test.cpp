#include "api/multipart.h"

#include <gtest/gtest.h>

#include "api/media_type.h"

namespace telerad::api {
namespace {

TEST(Multipart, ReadsPartsWithPreambleAndEpilogue) {
  const std::string body =
      "preamble text\r\n--b1\r\nContent-Type: application/dicom\r\nX-A:  v  \r\n\r\nfirst\r\n"
      "--b1 \t\r\ncontent-type: application/dicom\r\n\r\nsec\r\nond\r\n--b1--\r\nepilogue";
  auto parts = ParseMultipart(body, "b1");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].body, "first");
  EXPECT_EQ((*parts)[0].Header("CONTENT-TYPE"), "application/dicom");
  EXPECT_EQ((*parts)[0].Header("x-a"), "v");
  EXPECT_EQ((*parts)[1].body, "sec\r\nond");
  EXPECT_EQ((*parts)[1].Header("Content-Type"), "application/dicom");
  EXPECT_EQ((*parts)[1].Header("X-A"), std::nullopt);
}

TEST(Multipart, PartsAreViewsIntoTheBody) {
  const std::string body = "--x\r\n\r\nabc\r\n--x--";
  auto parts = ParseMultipart(body, "x");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_TRUE((*parts)[0].headers.empty());
  EXPECT_EQ((*parts)[0].body, "abc");
  EXPECT_EQ((*parts)[0].body.data(), body.data() + 7);
}

TEST(Multipart, KeepsBinaryAndBoundaryPrefixesInContent) {
  std::string content("\0\r\n--bX\r\n--b-\xff", 15);
  const std::string body =
      "--b\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--b--\r\n";
  auto parts = ParseMultipart(body, "b");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].body, content);
}

TEST(Multipart, EmptyPartBody) {
  auto parts = ParseMultipart("--b\r\nA: 1\r\n\r\n\r\n--b--", "b");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ((*parts)[0].body, "");
}

TEST(Multipart, RefusesMalformedBodies) {
  const std::pair<const char*, const char*> cases[] = {
      {"no delimiter at all", "b"},
      {"--b\r\nA: 1\r\n\r\nbody without close", "b"},
      {"--b--\r\n", "b"},                              // no part
      {"--b\r\nnot a header\r\n\r\nx\r\n--b--", "b"},  // header without colon
      {"--b\r\nA: 1\r\nx\r\n--b--", "b"},              // no empty line after headers
      {"--bjunk\r\n\r\nx\r\n--b--", "b"},              // first delimiter line malformed
      {"--b\r\n\r\nx\r\n--b--", ""},                   // empty boundary
      {"--b\r\n\r\nx\r\n--b--", "bad\"boundary"},
  };
  for (const auto& [body, boundary] : cases)
    EXPECT_FALSE(ParseMultipart(body, boundary).ok()) << body;
}

TEST(Multipart, EnforcesLimits) {
  std::string body;
  for (int i = 0; i < 5; ++i) body += "--b\r\n\r\nx\r\n";
  body += "--b--";
  MultipartLimits limits;
  limits.max_parts = 4;
  auto parts = ParseMultipart(body, "b", limits);
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.status().code(), StatusCode::kTooLarge);
  limits.max_parts = 5;
  EXPECT_TRUE(ParseMultipart(body, "b", limits).ok());
  limits.max_header_bytes = 8;
  auto big = ParseMultipart("--b\r\nA-Long-Header: 123456789\r\n\r\nx\r\n--b--", "b", limits);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kTooLarge);
}

TEST(Multipart, BoundaryRules) {
  EXPECT_TRUE(ValidBoundary("simple boundary"));
  EXPECT_TRUE(ValidBoundary(std::string(70, 'a')));
  // What Orthanc's DICOMweb plugin sends: 73 characters, past RFC 2046's 70.
  EXPECT_TRUE(
      ValidBoundary("05c8c06f-a236-4ffb-ad22-88b1b7650bae-05c8c06f-a236-4ffb-ad22-88b1b7650bae"));
  EXPECT_FALSE(ValidBoundary(std::string(kMaxBoundaryBytes + 1, 'a')));
  EXPECT_LE(RandomBoundary().size(), 70u);
  EXPECT_FALSE(ValidBoundary("ends with space "));
  EXPECT_FALSE(ValidBoundary("semi;colon"));
}

TEST(Multipart, WrittenBodiesReadBack) {
  const std::string a("DICM\0\1\2", 7);
  const std::string b = "second part";
  const std::string boundary = NewBoundary({a, b});
  EXPECT_TRUE(ValidBoundary(boundary));
  EXPECT_NE(boundary, NewBoundary({a, b}));  // random
  PartHeaders ha{"application/dicom", a.size(), "/dicomweb/studies/1"};
  PartHeaders hb{"application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", std::nullopt, ""};
  const std::string body = WriteMultipart(boundary, {{ha, a}, {hb, b}});
  const std::string type = MultipartRelatedType("application/dicom", boundary);
  auto media = ParseMediaType(type);
  ASSERT_TRUE(media.ok());
  EXPECT_EQ(media->Param("type"), "application/dicom");
  auto parts = ParseMultipart(body, *media->Param("boundary"));
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].body, a);
  EXPECT_EQ((*parts)[0].Header("Content-Length"), "7");
  EXPECT_EQ((*parts)[0].Header("Content-Location"), "/dicomweb/studies/1");
  EXPECT_EQ((*parts)[1].body, b);
  EXPECT_EQ((*parts)[1].Header("Content-Type"),
            "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
  EXPECT_EQ((*parts)[1].Header("Content-Length"), std::nullopt);
}

TEST(Multipart, RelatedBodyOfLikePartsReadsBackWithItsTypeAndBoundary) {
  const std::vector<std::string> frames = {std::string("\x00\xFF\r\n--", 6), "", "frame three"};
  MultipartBody written = WriteMultipartRelated(
      "application/octet-stream", "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1",
      frames);
  auto type = ParseMediaType(written.content_type);
  ASSERT_TRUE(type.ok()) << written.content_type;
  EXPECT_EQ(type->Essence(), "multipart/related");
  EXPECT_EQ(type->Param("type"), "application/octet-stream");
  auto parts = ParseMultipart(written.body, *type->Param("boundary"));
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 3u);
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ((*parts)[i].body, frames[i]) << i;
    EXPECT_EQ((*parts)[i].Header("content-type"),
              "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
  }
}

}  // namespace
}  // namespace telerad::api
