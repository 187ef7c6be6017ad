// WADO-RS frames, rendered images and retrieve over real HTTP, from compressed files
// sent by storescu: the Accept header decides between the stored bytes and native pixels
// (PS3.18 8.7.3.5), rendered/thumbnail answer JPEG or PNG, retrieve the stored files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

constexpr int kRows = 64, kCols = 48;
constexpr const char* kStoredAccept =
    "Accept: multipart/related; type=application/octet-stream; transfer-syntax=*";
constexpr const char* kNativeAccept =
    "Accept: multipart/related; type=\"application/octet-stream\"; "
    "transfer-syntax=1.2.840.10008.1.2.1";

uint32_t Le32(const std::string& s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24;
}

// The fragments of the encapsulated pixel data at the end of a file (after its Basic
// Offset Table), concatenated: one frame's bytes for a single-frame instance.
std::string FragmentBytes(const std::string& file) {
  static const std::string kPixelData("\xe0\x7f\x10\x00OB\0\0\xff\xff\xff\xff", 12);
  static const std::string kItem("\xfe\xff\x00\xe0", 4);
  size_t at = file.rfind(kPixelData);
  if (at == std::string::npos) return "";
  at += kPixelData.size();
  std::string fragments;
  bool offset_table = true;
  while (at + 8 <= file.size() && file.compare(at, 4, kItem) == 0) {
    const uint32_t length = Le32(file, at + 4);
    if (!offset_table) fragments += file.substr(at + 8, length);
    offset_table = false;
    at += 8 + length;
  }
  return fragments;
}

struct Compressed {
  std::string tool, decoder, transfer_syntax, propose, part_type;
};

class WadoFramesAcceptTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    Generate(data_ + "/raw", "--modality CT --instances 3 --rows " + std::to_string(kRows) +
                                 " --cols " + std::to_string(kCols) + " --seed 1331");
    raw_ = FilesIn(data_ + "/raw");
    std::filesystem::create_directories(data_ + "/c");
    std::filesystem::create_directories(data_ + "/d");
    for (size_t i = 0; i < kCodecs.size(); ++i) {
      const std::string out = data_ + "/c/" + std::to_string(i) + ".dcm";
      ASSERT_EQ(RunCommand(kCodecs[i].tool + " " + Quote(raw_[i]) + " " + Quote(out)).exit_code, 0);
      const std::string plain = data_ + "/d/" + std::to_string(i) + ".dcm";
      ASSERT_EQ(RunCommand(kCodecs[i].decoder + " " + Quote(out) + " " + Quote(plain)).exit_code,
                0);
      compressed_.push_back(out);
      decompressed_.push_back(plain);
      auto outcome = StoreScu(server_->dicom_port, {out}, "DEMO_SCU", kCodecs[i].propose);
      ASSERT_EQ(outcome.stored.size(), 1u) << outcome.output;
    }
    token_ = Login(server_->http_port, "rad1");
  }

  std::string FramePath(size_t i) {
    const std::string sop = SopInstanceUidOf(compressed_[i]);
    return "/dicomweb/studies/" +
           db_.Scalar(
               "SELECT t.study_uid FROM study t JOIN series s ON s.study_id = t.id"
               " JOIN instance i ON i.series_id = s.id WHERE i.sop_instance_uid = '" +
               sop + "'") +
           "/series/" +
           db_.Scalar(
               "SELECT s.series_uid FROM series s JOIN instance i ON i.series_id = s.id"
               " WHERE i.sop_instance_uid = '" +
               sop + "'") +
           "/instances/" + sop;
  }

  const std::vector<Compressed> kCodecs = {
      {"dcmcjpeg", "dcmdjpeg", "1.2.840.10008.1.2.4.70", "-xs", "image/jpeg"},
      {"dcmcrle", "dcmdrle", "1.2.840.10008.1.2.5", "-xr", "image/dicom-rle"},
      {"dcmcjpls", "dcmdjpls", "1.2.840.10008.1.2.4.80", "-xt", "image/jls"},
  };
  std::vector<std::string> raw_, compressed_, decompressed_;
  std::string token_;
};

TEST_F(WadoFramesAcceptTest, StoredWhenAcceptedNativeWhenAskedDecodedByTheServer) {
  const int port = server_->http_port;
  for (size_t i = 0; i < kCodecs.size(); ++i) {
    const std::string& syntax = kCodecs[i].transfer_syntax;
    const std::string frames = FramePath(i) + "/frames/1";
    const std::string fragments = FragmentBytes(ReadFile(compressed_[i]));
    ASSERT_FALSE(fragments.empty()) << kCodecs[i].tool;

    // As OHIF asks: the stored bytes, labelled with their syntax.
    HttpResponse stored = Http("GET", port, frames, "", token_, {kStoredAccept});
    ASSERT_EQ(stored.status, 200) << stored.body;
    auto parts = MultipartParts(stored.body);
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_EQ(parts[0].first, "Content-Type: application/octet-stream; transfer-syntax=" + syntax);
    EXPECT_EQ(parts[0].second, fragments) << kCodecs[i].tool;

    // Naming the image type and the syntax, quoted.
    HttpResponse typed = Http("GET", port, frames, "", token_,
                              {"Accept: multipart/related; type=\"" + kCodecs[i].part_type +
                               "\"; transfer-syntax=" + syntax});
    ASSERT_EQ(typed.status, 200) << typed.body;
    parts = MultipartParts(typed.body);
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_EQ(parts[0].first,
              "Content-Type: " + kCodecs[i].part_type + "; transfer-syntax=" + syntax);
    EXPECT_EQ(parts[0].second, fragments);

    // Native only (explicitly, or a range without transfer-syntax): decoded here, the
    // same pixels as DCMTK's command-line decoder gives.
    const std::string file = ReadFile(decompressed_[i]);
    const std::string pixels = file.substr(file.size() - kRows * kCols * 2);
    for (const std::string& accept :
         {std::string(kNativeAccept),
          std::string("Accept: multipart/related; type=application/octet-stream")}) {
      HttpResponse native = Http("GET", port, frames, "", token_, {accept});
      ASSERT_EQ(native.status, 200) << native.body;
      parts = MultipartParts(native.body);
      ASSERT_EQ(parts.size(), 1u);
      EXPECT_EQ(parts[0].first,
                "Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
      EXPECT_EQ(parts[0].second, pixels) << kCodecs[i].tool << " " << accept;
    }

    // Another compressed syntax only: neither stored nor native will do.
    HttpResponse refused =
        Http("GET", port, frames, "", token_,
             {"Accept: multipart/related; type=image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90"});
    EXPECT_EQ(refused.status, 406) << refused.body;
    EXPECT_EQ(refused.json["error"]["code"], "not_acceptable") << refused.body;
  }
  // Malformed: refused before any file is read. Pistache parses Accept itself and answers
  // 415 for what it cannot parse (pistache@0.0.5:src/common/mime.cc); what it lets
  // through, our parser refuses with 400.
  for (const char* bad :
       {"Accept: multipart/related; q=2", "Accept: multipart/related;;;=", "Accept: /"}) {
    const int status = Http("GET", port, FramePath(0) + "/frames/1", "", token_, {bad}).status;
    EXPECT_TRUE(status == 400 || status == 415) << bad << " " << status;
  }
}

TEST_F(WadoFramesAcceptTest, RenderedAndThumbnailAreJpegOrPng) {
  const int port = server_->http_port;
  const std::string instance = FramePath(2);  // JPEG-LS: decoded before rendering
  const std::string study = instance.substr(0, instance.find("/series/"));
  const std::string series = instance.substr(0, instance.find("/instances/"));
  const std::string jpeg_magic("\xff\xd8\xff", 3), png_magic("\x89PNG\r\n\x1a\n", 8);
  for (const std::string& path :
       {study + "/rendered", series + "/rendered", instance + "/rendered",
        instance + "/frames/1/rendered", study + "/thumbnail", series + "/thumbnail",
        instance + "/thumbnail", instance + "/frames/1/thumbnail"}) {
    HttpResponse jpeg = Http("GET", port, path, "", token_);
    ASSERT_EQ(jpeg.status, 200) << path << " " << jpeg.body;
    EXPECT_EQ(jpeg.body.substr(0, 3), jpeg_magic) << path;
    HttpResponse png = Http("GET", port, path, "", token_, {"Accept: image/png"});
    ASSERT_EQ(png.status, 200) << path;
    EXPECT_EQ(png.body.substr(0, 8), png_magic) << path;
  }
  // PNG's header gives the size: IHDR width and height, big-endian, at bytes 16 and 20.
  auto size_of = [&](const std::string& png) {
    auto be = [&](size_t at) {
      return (static_cast<unsigned char>(png[at]) << 24) |
             (static_cast<unsigned char>(png[at + 1]) << 16) |
             (static_cast<unsigned char>(png[at + 2]) << 8) |
             static_cast<unsigned char>(png[at + 3]);
    };
    return std::pair<int, int>(be(16), be(20));
  };
  EXPECT_EQ(
      size_of(Http("GET", port, instance + "/rendered", "", token_, {"Accept: image/png"}).body),
      (std::pair<int, int>(kCols, kRows)));
  EXPECT_EQ(size_of(Http("GET", port, instance + "/rendered?viewport=24,64", "", token_,
                         {"Accept: image/png"})
                        .body),
            (std::pair<int, int>(24, 32)));
  // Preference by q: PNG over JPEG.
  EXPECT_EQ(
      Http("GET", port, instance + "/rendered", "", token_, {"Accept: image/jpeg;q=0.5, image/png"})
          .body.substr(0, 8),
      png_magic);
  // A window changes the picture.
  EXPECT_NE(
      Http("GET", port, instance + "/rendered?window=100,50", "", token_, {"Accept: image/png"})
          .body,
      Http("GET", port, instance + "/rendered?window=2000,4000", "", token_, {"Accept: image/png"})
          .body);
  EXPECT_EQ(Http("GET", port, instance + "/rendered", "", token_, {"Accept: image/gif"}).status,
            406);
  for (const char* query : {"?window=1", "?viewport=0,10", "?quality=101", "?viewport=1,1,0,0,1,1"})
    EXPECT_EQ(Http("GET", port, instance + "/rendered" + query, "", token_).status, 400) << query;
  EXPECT_EQ(Http("GET", port, instance + "/frames/2/rendered", "", token_).status, 404);
  EXPECT_EQ(Http("GET", port, instance + "/frames/x/rendered", "", token_).status, 400);
}

TEST_F(WadoFramesAcceptTest, RetrieveSendsTheStoredFilesAsSent) {
  const int port = server_->http_port;
  const std::string instance = FramePath(0);
  const std::string study = instance.substr(0, instance.find("/series/"));
  const std::string series = instance.substr(0, instance.find("/instances/"));
  std::map<std::string, size_t> sent;  // SOP Instance UID -> index in compressed_
  for (size_t i = 0; i < compressed_.size(); ++i) sent[SopInstanceUidOf(compressed_[i])] = i;
  struct Case {
    std::string path, accept;
    size_t parts;
  };
  for (const Case& c : {Case{study, "", 3},
                        Case{study,
                             "Accept: multipart/related; type=\"application/dicom\"; "
                             "transfer-syntax=*",
                             3},
                        Case{series, "Accept: multipart/related; type=application/dicom", 3},
                        Case{instance,
                             "Accept: multipart/related; type=application/dicom; "
                             "transfer-syntax=1.2.840.10008.1.2.4.70",
                             1}}) {
    std::vector<std::string> headers;
    if (!c.accept.empty()) headers.push_back(c.accept);
    HttpResponse r = Http("GET", port, c.path, "", token_, headers);
    ASSERT_EQ(r.status, 200) << c.path << " " << r.body.substr(0, 200);
    auto parts = MultipartParts(r.body);
    ASSERT_EQ(parts.size(), c.parts) << c.path;
    for (size_t p = 0; p < parts.size(); ++p) {
      const std::string file = data_ + "/part-" + std::to_string(p) + ".dcm";
      std::ofstream(file, std::ios::binary) << parts[p].second;
      const std::string sop = SopInstanceUidOf(file);
      ASSERT_EQ(sent.count(sop), 1u) << sop;
      const size_t i = sent[sop];
      EXPECT_NE(parts[p].first.find("Content-Type: application/dicom; transfer-syntax=" +
                                    kCodecs[i].transfer_syntax),
                std::string::npos)
          << parts[p].first;
      EXPECT_NE(parts[p].first.find("Content-Location: " + series + "/instances/" + sop),
                std::string::npos)
          << parts[p].first;
      // The data set as sent, byte for byte, behind our own File Meta.
      EXPECT_EQ(DataSetBytes(file), DataSetBytes(compressed_[i])) << kCodecs[i].tool;
    }
  }
  // Another transfer syntax than stored: nothing is transcoded.
  for (const char* accept :
       {"Accept: multipart/related; type=application/dicom; transfer-syntax=1.2.840.10008.1.2.1",
        "Accept: multipart/related; type=application/octet-stream", "Accept: application/json"})
    EXPECT_EQ(Http("GET", port, study, "", token_, {accept}).status, 406) << accept;
  EXPECT_EQ(Http("GET", port, series.substr(0, series.rfind('/')) + "/9.9", "", token_).status,
            404);
}

}  // namespace
}  // namespace telerad::testing
