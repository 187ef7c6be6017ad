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
  const std::string staging_path = staged->path();
  std::ofstream(staging_path) << "dicom bytes";
  staged->StartWriteback();
  auto key = staged->Commit("1.2/1.2.3/1.2.3.4.dcm");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, "1.2/1.2.3/1.2.3.4.dcm");
  EXPECT_TRUE((*store)->Exists(*key));
  EXPECT_FALSE(std::filesystem::exists(staging_path));
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
  const std::string staging_path = staged->path();
  std::ofstream(staging_path) << "x";
  auto s = staged->Commit("1.2/1.3/1.4.dcm");
  EXPECT_EQ(s.status().code(), StatusCode::kInternal);
  EXPECT_FALSE(std::filesystem::exists(staging_path));
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, CommitNeverReplacesAnExistingFile) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  StagedFile first = (*store)->Stage().value();
  std::ofstream(first.path()) << "first";
  ASSERT_EQ(*first.Commit("1.2/1.3/1.4.dcm"), "1.2/1.3/1.4.dcm");
  StagedFile second = (*store)->Stage().value();
  std::ofstream(second.path()) << "second";
  auto key = second.Commit("1.2/1.3/1.4.dcm");
  ASSERT_TRUE(key.ok());
  EXPECT_NE(*key, "1.2/1.3/1.4.dcm");
  std::ifstream in((*store)->PathOf("1.2/1.3/1.4.dcm"));
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "first");
  std::filesystem::remove_all(root);
}

// The bytes of the file a reader would open for `key`.
std::string ReadKey(const FileStore& store, const std::string& key) {
  std::ifstream in(store.PathOf(key));
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

TEST(DiskFileStoreTest, LandedFileIsReadableUnderItsKeyBeforeAndAfterSettling) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  StagedFile staged = (*store)->Stage().value();
  std::ofstream(staged.path()) << "landed bytes";
  auto landed = staged.Land(7, "1.2/1.3/1.4.dcm");
  ASSERT_TRUE(landed.ok()) << landed.status().ToString();
  EXPECT_EQ(landed->key, "1.2/1.3/1.4.dcm");
  EXPECT_EQ(landed->name, "7_1.2_1.3_1.4.dcm");
  EXPECT_TRUE(std::filesystem::exists(root + "/landing/7_1.2_1.3_1.4.dcm"));
  EXPECT_FALSE(std::filesystem::exists(root + "/1.2/1.3/1.4.dcm"));
  EXPECT_TRUE(std::filesystem::is_directory(root + "/1.2/1.3"));  // made before Success
  EXPECT_TRUE((*store)->Exists("1.2/1.3/1.4.dcm"));
  EXPECT_EQ(ReadKey(**store, "1.2/1.3/1.4.dcm"), "landed bytes");

  auto listed = (*store)->ListLanding();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, landed->name);
  EXPECT_EQ((*listed)[0].size_bytes, 12u);

  EXPECT_TRUE(*(*store)->MoveIntoPlace(*landed));
  EXPECT_FALSE(*(*store)->MoveIntoPlace(*landed));  // a second settler finds it gone
  ASSERT_TRUE((*store)->SyncPlaced({landed->key}).ok());
  EXPECT_TRUE((*store)->ListLanding()->empty());
  EXPECT_EQ(ReadKey(**store, "1.2/1.3/1.4.dcm"), "landed bytes");
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, LandingNeverReusesAKeyLandedOrInPlace) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  StagedFile first = (*store)->Stage().value();
  std::ofstream(first.path()) << "first";
  ASSERT_EQ(first.Land(7, "1.2/1.3/1.4.dcm")->key, "1.2/1.3/1.4.dcm");
  StagedFile second = (*store)->Stage().value();
  std::ofstream(second.path()) << "second";
  auto again = second.Land(7, "1.2/1.3/1.4.dcm");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->key, "1.2/1.3/1.4.dcm");
  EXPECT_EQ(ReadKey(**store, "1.2/1.3/1.4.dcm"), "first");
  EXPECT_EQ(ReadKey(**store, again->key), "second");
  // In place counts too: a key settled earlier is not landed again.
  ASSERT_TRUE(*(*store)->MoveIntoPlace(*ParseLandingName("7_1.2_1.3_1.4.dcm")));
  StagedFile third = (*store)->Stage().value();
  std::ofstream(third.path()) << "third";
  EXPECT_NE(third.Land(7, "1.2/1.3/1.4.dcm")->key, "1.2/1.3/1.4.dcm");
  EXPECT_EQ(ReadKey(**store, "1.2/1.3/1.4.dcm"), "first");
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, LandingFailsWhereTheKeysFolderCannotBe) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  std::ofstream(root + "/1.2") << "a file where a folder must go";
  StagedFile staged = (*store)->Stage().value();
  const std::string staging_path = staged.path();
  std::ofstream(staging_path) << "x";
  EXPECT_EQ(staged.Land(7, "1.2/1.3/1.4.dcm").status().code(), StatusCode::kInternal);
  EXPECT_FALSE(std::filesystem::exists(staging_path));
  EXPECT_TRUE((*store)->ListLanding()->empty());
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, SetAsideMovesALandedFileToOrphansOnce) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  std::ofstream(root + "/landing/stray.bin") << "not dicom";
  EXPECT_TRUE(*(*store)->SetAside("stray.bin"));
  EXPECT_FALSE(*(*store)->SetAside("stray.bin"));
  EXPECT_TRUE(std::filesystem::exists(root + "/orphans/stray.bin"));
  EXPECT_TRUE((*store)->ListLanding()->empty());
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, CleanStagingRemovesLeftovers) {
  const std::string root = TempRoot();
  auto store = DiskFileStore::Open(root);
  ASSERT_TRUE(store.ok());
  // Files a crashed process left in staging: no StagedFile owns them any more.
  const std::filesystem::path staging_dir =
      std::filesystem::path((*store)->Stage().value().path()).parent_path();
  for (int i = 0; i < 3; ++i)
    std::ofstream(staging_dir / ("crashed-" + std::to_string(i) + ".part")) << "partial";
  EXPECT_EQ((*store)->CleanStaging(), 3);
  EXPECT_EQ((*store)->CleanStaging(), 0);
  EXPECT_TRUE((*store)->CheckWritable().ok());
  std::filesystem::remove_all(root);
}

TEST(DiskFileStoreTest, CleanStagingKeepsALiveProcessFilesAndRemovesAGoneOnes) {
  const std::string root = TempRoot();
  // Two stores on one root stand for two processes: each holds its own folder's lock.
  auto first = DiskFileStore::Open(root);
  auto second = DiskFileStore::Open(root);
  ASSERT_TRUE(first.ok() && second.ok());
  const std::filesystem::path first_dir =
      std::filesystem::path((*first)->Stage().value().path()).parent_path();
  const std::filesystem::path second_dir =
      std::filesystem::path((*second)->Stage().value().path()).parent_path();
  ASSERT_NE(first_dir, second_dir);
  std::ofstream(first_dir / "receiving.part") << "half an instance";

  // The other live process starting up must not touch what the first is receiving.
  EXPECT_EQ((*second)->CleanStaging(), 0);
  EXPECT_TRUE(std::filesystem::exists(first_dir / "receiving.part"));

  // Once the first is gone (its lock with it), its leftovers and folder go.
  first->reset();
  EXPECT_EQ((*second)->CleanStaging(), 1);
  EXPECT_FALSE(std::filesystem::exists(first_dir));
  EXPECT_TRUE(std::filesystem::exists(second_dir));
  EXPECT_TRUE((*second)->CheckWritable().ok());
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace telerad
