#include "src/storage/rename_no_replace.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace telerad {
namespace {

class RenameNoReplaceTest : public ::testing::TestWithParam<RenameMethod> {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "rename-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static bool Exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }

  std::string dir_;
};

// Both ways (the local filesystem's renameat2 and the link-then-unlink NFS fallback)
// behave alike: a free name is taken, a taken one is never replaced.
TEST_P(RenameNoReplaceTest, MovesToAFreeName) {
  const std::string from = Write("a.dcm", "instance");
  const std::string to = dir_ + "/b.dcm";
  ASSERT_EQ(RenameNoReplace(from, to, GetParam()), 0);
  EXPECT_FALSE(Exists(from));
  EXPECT_EQ(Read(to), "instance");
  struct stat st {};
  ASSERT_EQ(::stat(to.c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1u);  // one name left, not two
}

TEST_P(RenameNoReplaceTest, NeverReplacesAnExistingFile) {
  const std::string from = Write("a.dcm", "new");
  const std::string to = Write("b.dcm", "indexed");
  EXPECT_EQ(RenameNoReplace(from, to, GetParam()), EEXIST);
  EXPECT_EQ(Read(to), "indexed");
  EXPECT_EQ(Read(from), "new");  // nothing changed
}

TEST_P(RenameNoReplaceTest, MissingSourceOrFolderIsENOENT) {
  EXPECT_EQ(RenameNoReplace(dir_ + "/none.dcm", dir_ + "/b.dcm", GetParam()), ENOENT);
  const std::string from = Write("a.dcm", "x");
  EXPECT_EQ(RenameNoReplace(from, dir_ + "/no-folder/b.dcm", GetParam()), ENOENT);
  EXPECT_TRUE(Exists(from));
}

INSTANTIATE_TEST_SUITE_P(BothWays, RenameNoReplaceTest,
                         ::testing::Values(RenameMethod::kAuto, RenameMethod::kLinkUnlink),
                         [](const auto& info) {
                           return info.param == RenameMethod::kAuto ? "Renameat2" : "LinkUnlink";
                         });

}  // namespace
}  // namespace telerad
