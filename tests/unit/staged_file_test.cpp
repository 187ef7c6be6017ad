#include "src/storage/staged_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <type_traits>
#include <utility>

#include "src/storage/disk_file_store.h"
#include "src/storage/file_store_wrapper.h"
#include "tests/unit/fakes.h"

namespace telerad {
namespace {

static_assert(!std::is_copy_constructible_v<StagedFile>, "one owner per staged file");
static_assert(!std::is_copy_assignable_v<StagedFile>, "one owner per staged file");
static_assert(std::is_nothrow_move_constructible_v<StagedFile>);

TEST(StagedFileTest, DroppingItDiscardsTheFile) {
  FakeFileStore files;
  std::string path;
  {
    StagedFile staged = files.Stage().value();
    path = staged.path();
    EXPECT_EQ(files.staging.count(path), 1u);
  }
  EXPECT_TRUE(files.staging.empty());
  EXPECT_EQ(files.discarded.count(path), 1u);
}

TEST(StagedFileTest, MovedFromObjectDoesNothing) {
  FakeFileStore files;
  StagedFile target;
  {
    StagedFile source = files.Stage().value();
    target = std::move(source);
    EXPECT_FALSE(source.owned());  // NOLINT(bugprone-use-after-move): the point of the test
  }
  EXPECT_TRUE(target.owned());
  EXPECT_TRUE(files.discarded.empty());
  EXPECT_EQ(files.staging.size(), 1u);
  StagedFile moved_again(std::move(target));
  moved_again = StagedFile();
  EXPECT_EQ(files.discarded.size(), 1u);  // once, by the last owner
  EXPECT_TRUE(files.staging.empty());
}

TEST(StagedFileTest, MoveAssignmentDiscardsTheFileItReplaces) {
  FakeFileStore files;
  StagedFile kept = files.Stage().value();
  const std::string replaced = kept.path();
  kept = files.Stage().value();
  EXPECT_EQ(files.discarded.count(replaced), 1u);
  EXPECT_EQ(files.staging.count(kept.path()), 1u);
}

TEST(StagedFileTest, CommitKeepsTheFile) {
  FakeFileStore files;
  {
    StagedFile staged = files.Stage().value();
    auto key = staged.Commit("1.2/1.3/1.4.dcm");
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(*key, "1.2/1.3/1.4.dcm");
    EXPECT_FALSE(staged.owned());
  }
  EXPECT_EQ(files.committed.count("1.2/1.3/1.4.dcm"), 1u);
  EXPECT_TRUE(files.discarded.empty());
  EXPECT_TRUE(files.staging.empty());
}

TEST(StagedFileTest, FailedCommitDiscardsTheFile) {
  FakeFileStore files;
  files.fail_commit = true;
  StagedFile staged = files.Stage().value();
  const std::string path = staged.path();
  EXPECT_EQ(staged.Commit("1.2/1.3/1.4.dcm").status().code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(staged.owned());
  EXPECT_EQ(files.discarded.count(path), 1u);
  EXPECT_TRUE(files.staging.empty());
  EXPECT_TRUE(files.committed.empty());
}

// A real disk store whose commits fail as a failing fsync would: before anything moved
// (`fail_before`), or after the rename, as a failed directory fsync does.
class FailingCommitStore : public FileStoreWrapper {
 public:
  using FileStoreWrapper::FileStoreWrapper;
  bool fail_before = true;

 protected:
  Result<std::string> Commit(const std::string& staged, const std::string& key) override {
    if (fail_before) return Status::Internal("fsync: Input/output error");
    auto placed = FileStoreWrapper::Commit(staged, key);
    if (!placed.ok()) return placed;
    return Status::Internal("fsync directory: Input/output error");
  }
};

class StagedFileOnDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "staged-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    auto store = DiskFileStore::Open(root_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    disk_ = std::move(*store);
  }
  void TearDown() override {
    disk_.reset();
    std::filesystem::remove_all(root_);
  }
  std::string root_;
  std::unique_ptr<DiskFileStore> disk_;
};

TEST_F(StagedFileOnDiskTest, DroppingItRemovesTheStagingFile) {
  std::string path;
  {
    StagedFile staged = disk_->Stage().value();
    path = staged.path();
    std::ofstream(path) << "half a data set";
    ASSERT_TRUE(std::filesystem::exists(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(disk_->CleanStaging(), 0);
}

TEST_F(StagedFileOnDiskTest, FailedFsyncLeavesNoStagingFile) {
  FailingCommitStore failing(*disk_);
  StagedFile staged = failing.Stage().value();
  const std::string path = staged.path();
  std::ofstream(path) << "dicom bytes";
  EXPECT_EQ(staged.Commit("1.2/1.3/1.4.dcm").status().code(), StatusCode::kInternal);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(disk_->Exists("1.2/1.3/1.4.dcm"));
  EXPECT_EQ(disk_->CleanStaging(), 0);
}

TEST_F(StagedFileOnDiskTest, FailureAfterTheRenameLeavesNoStagingFile) {
  // The file is already under its key: it stays, unnamed by the index, and a resend of
  // the instance gets a variant name (FileStore::Commit never replaces a file).
  FailingCommitStore failing(*disk_);
  failing.fail_before = false;
  StagedFile staged = failing.Stage().value();
  const std::string path = staged.path();
  std::ofstream(path) << "dicom bytes";
  EXPECT_EQ(staged.Commit("1.2/1.3/1.4.dcm").status().code(), StatusCode::kInternal);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(disk_->CleanStaging(), 0);
}

}  // namespace
}  // namespace telerad
