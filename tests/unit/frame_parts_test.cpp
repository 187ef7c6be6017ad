#include "api/frame_parts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "api/media_type.h"
#include "api/multipart.h"

namespace telerad::api {
namespace {

// The body a client receives: the pieces in order, file slices read with pread.
std::string Received(const Reply& reply) {
  std::string body = reply.body;
  for (const BodyPiece& piece : reply.pieces) {
    if (!piece.is_file()) {
      body += piece.bytes;
      continue;
    }
    std::string slice(piece.length, '\0');
    EXPECT_EQ(::pread(piece.file->fd(), slice.data(), slice.size(), piece.offset),
              static_cast<ssize_t>(slice.size()));
    body += slice;
  }
  return body;
}

std::vector<std::string> PartsOf(const Reply& reply) {
  auto type = ParseMediaType(reply.content_type);
  EXPECT_TRUE(type.ok());
  const std::string body = Received(reply);
  auto parts = ParseMultipart(body, type->Param("boundary").value_or(""));
  EXPECT_TRUE(parts.ok()) << parts.status().ToString();
  std::vector<std::string> out;
  for (const MultipartPart& part : *parts) {
    EXPECT_EQ(part.Header("Content-Type").value_or(""), "image/jpeg; transfer-syntax=1.2.3");
    out.emplace_back(part.body);
  }
  return out;
}

class FramePartsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "frame-parts-" + std::to_string(::getpid());
    std::ofstream(path_, std::ios::binary) << "0123456789ABCDEF";
    frames_.transfer_syntax_uid = "1.2.3";
    frames_.path = path_;
    // Frame 1: two fragments; frame 2: one.
    frames_.slices = {{{2, 3}, {10, 2}}, {{0, 4}}};
  }
  void TearDown() override { ::unlink(path_.c_str()); }

  std::string path_;
  StoredFrames frames_;
};

TEST_F(FramePartsTest, FramesInTheFileAreSlicesOfItNotReadIntoMemory) {
  auto reply = FramesMultipart(frames_, "image/jpeg", "image/jpeg; transfer-syntax=1.2.3");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  size_t file_bytes = 0;
  for (const BodyPiece& piece : reply->pieces)
    if (piece.is_file()) file_bytes += piece.length;
  EXPECT_EQ(file_bytes, 9u);
  EXPECT_TRUE(reply->body.empty());
  EXPECT_EQ(PartsOf(*reply), (std::vector<std::string>{"234AB", "0123"}));
}

TEST_F(FramePartsTest, OnePartJoinsEveryFrameAndTheBodyIsTheBytesAlone) {
  auto one = FramesMultipart(frames_, "image/jpeg", "image/jpeg; transfer-syntax=1.2.3", true);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(PartsOf(*one), (std::vector<std::string>{"234AB0123"}));
  auto body = FramesBody(frames_, "application/octet-stream");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(Received(*body), "234AB0123");
  EXPECT_EQ(body->content_type, "application/octet-stream");
}

TEST_F(FramePartsTest, FramesInMemoryAreWrittenAtOnce) {
  StoredFrames decoded;
  decoded.frames = {"abc", "de"};
  auto reply = FramesMultipart(decoded, "image/jpeg", "image/jpeg; transfer-syntax=1.2.3");
  ASSERT_TRUE(reply.ok());
  EXPECT_TRUE(reply->pieces.empty());
  EXPECT_EQ(PartsOf(*reply), (std::vector<std::string>{"abc", "de"}));
}

TEST_F(FramePartsTest, AFileShorterThanItsLayoutOrGoneIsAnInternalErrorBeforeSending) {
  frames_.slices.push_back({{14, 3}});  // runs one byte past the end
  EXPECT_EQ(FramesMultipart(frames_, "image/jpeg", "x").status().code(), StatusCode::kInternal);
  EXPECT_EQ(FramesBody(frames_, "x").status().code(), StatusCode::kInternal);
  frames_.slices.back() = {{17, 0}};  // starts past the end
  EXPECT_EQ(FramesBody(frames_, "x").status().code(), StatusCode::kInternal);
  frames_.slices.pop_back();
  frames_.path = path_ + ".gone";
  EXPECT_EQ(FramesMultipart(frames_, "image/jpeg", "x").status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace telerad::api
