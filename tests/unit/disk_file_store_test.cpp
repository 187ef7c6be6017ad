#include "src/storage/disk_file_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace telerad {
namespace {

std::string TempRoot() {
  std::string tmpl = ::testing::TempDir() + "store-XXXXXX";
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

TEST(DiskFileStoreTest, CommitMovesTheStagedFileUnderItsKey) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root + "/nested/storage");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto staged = (*store)->Stage();
  ASSERT_TRUE(staged.ok());
  std::ofstream(*staged) << "dicom bytes";
  (*store)->StartWriteback(*staged);
  auto key = (*store)->Commit(*staged, "1.2/1.2.3/1.2.3.4.dcm");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, "1.2/1.2.3/1.2.3.4.dcm");
  EXPECT_TRUE((*store)->Exists(*key));
  EXPECT_FALSE(std::filesystem::exists(*staged));
  std::ifstream in((*store)->PathOf("1.2/1.2.3/1.2.3.4.dcm"));
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "dicom bytes");
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, FailedCommitRemovesTheStagedFile) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  std::ofstream(root + "/1.2") << "a file where a folder must go";
  auto staged = (*store)->Stage();
  std::ofstream(*staged) << "x";
  auto s = (*store)->Commit(*staged, "1.2/1.3/1.4.dcm");
  EXPECT_EQ(s.status().code(), StatusCode::kInternal);
  EXPECT_FALSE(std::filesystem::exists(*staged));
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, CommitNeverReplacesAnExistingFile) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  auto first = *(*store)->Stage();
  std::ofstream(first) << "first";
  ASSERT_EQ(*(*store)->Commit(first, "1.2/1.3/1.4.dcm"), "1.2/1.3/1.4.dcm");
  auto second = *(*store)->Stage();
  std::ofstream(second) << "second";
  auto key = (*store)->Commit(second, "1.2/1.3/1.4.dcm");
  ASSERT_TRUE(key.ok());
  EXPECT_NE(*key, "1.2/1.3/1.4.dcm");
  std::ifstream in((*store)->PathOf("1.2/1.3/1.4.dcm"));
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "first");
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, CleanStagingRemovesLeftovers) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  for (int i = 0; i < 3; ++i) std::ofstream(*(*store)->Stage()) << "partial";
  EXPECT_EQ((*store)->CleanStaging(), 3);
  EXPECT_EQ((*store)->CleanStaging(), 0);
  EXPECT_TRUE((*store)->CheckWritable().ok());
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace telerad
