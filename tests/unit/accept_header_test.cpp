#include "api/accept_header.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

constexpr const char* kExplicitLe = "1.2.840.10008.1.2.1";
constexpr const char* kJpegLossless = "1.2.840.10008.1.2.4.70";

Offer FrameOffer(const std::string& ts) {
  Offer o;
  o.media =
      *ParseMediaType("multipart/related; type=application/octet-stream; transfer-syntax=" + ts);
  o.defaults = {{"transfer-syntax", kExplicitLe}};
  return o;
}

std::optional<size_t> Pick(const std::string& accept, const std::vector<Offer>& offers) {
  auto ranges = ParseAccept(accept);
  EXPECT_TRUE(ranges.ok()) << accept;
  return BestOffer(*ranges, offers);
}

TEST(AcceptHeader, OhifFramesUnquotedWithAnyTransferSyntaxTakeTheStoredOne) {
  const std::vector<Offer> offers = {FrameOffer(kJpegLossless), FrameOffer(kExplicitLe)};
  EXPECT_EQ(Pick("multipart/related; type=application/octet-stream; transfer-syntax=*", offers),
            0u);
  // The same with quotes, as dicomweb-client writes it.
  EXPECT_EQ(
      Pick(R"(multipart/related; type="application/octet-stream"; transfer-syntax=*)", offers), 0u);
}

TEST(AcceptHeader, NoTransferSyntaxMeansTheDefault) {
  const std::vector<Offer> offers = {FrameOffer(kJpegLossless), FrameOffer(kExplicitLe)};
  EXPECT_EQ(Pick("multipart/related; type=application/octet-stream", offers), 1u);
  EXPECT_EQ(
      Pick(
          R"(multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.4.70)",
          offers),
      0u);
  EXPECT_EQ(Pick("multipart/related; type=application/octet-stream; "
                 "transfer-syntax=1.2.840.10008.1.2.4.50",
                 offers),
            std::nullopt);
}

TEST(AcceptHeader, QValuesOrderAndZeroRefuses) {
  Offer json;
  json.media = *ParseMediaType("application/dicom+json");
  Offer xml;
  xml.media = *ParseMediaType("application/dicom+xml");
  EXPECT_EQ(Pick("application/dicom+xml;q=0.5, application/dicom+json;q=0.9", {xml, json}), 1u);
  EXPECT_EQ(Pick("application/dicom+xml, application/dicom+json", {xml, json}), 0u);  // tie: ours
  EXPECT_EQ(Pick("*/*;q=0.1, application/dicom+json;q=0", {json}), std::nullopt);
  EXPECT_EQ(Pick("application/*", {json}), 0u);
  EXPECT_EQ(Pick("image/*", {json}), std::nullopt);
  EXPECT_EQ(Pick("", {xml, json}), 0u);
}

TEST(AcceptHeader, MoreSpecificRangeDecides) {
  Offer dicom;
  dicom.media = *ParseMediaType("multipart/related; type=application/dicom; transfer-syntax=" +
                                std::string(kJpegLossless));
  EXPECT_EQ(
      Pick("multipart/related; q=0.8, multipart/related; type=application/dicom; q=0", {dicom}),
      std::nullopt);
  EXPECT_EQ(Pick("multipart/related; type=\"APPLICATION/DICOM\"", {dicom}),
            0u);  // case-insensitive
}

TEST(AcceptHeader, AcceptExtensionsAfterQAreNotParameters) {
  auto ranges = ParseAccept("text/html;level=1;q=0.7;foo=bar");
  ASSERT_TRUE(ranges.ok());
  ASSERT_EQ(ranges->size(), 1u);
  EXPECT_DOUBLE_EQ((*ranges)[0].q, 0.7);
  ASSERT_EQ((*ranges)[0].media.params.size(), 1u);
  EXPECT_EQ((*ranges)[0].media.params[0].first, "level");
}

TEST(AcceptHeader, RefusesMalformedRanges) {
  for (const char* bad : {"text/html;q=2", "text/html;q=0.1234", "text/html;q=1.5", "*/html",
                          "text", "text/html;q=", "a/b; x=\"open"})
    EXPECT_FALSE(ParseAccept(bad).ok()) << bad;
  EXPECT_TRUE(ParseAccept("text/html;q=1.000").ok());
  EXPECT_TRUE(ParseAccept("  ").ok());
}

}  // namespace
}  // namespace telerad::api
