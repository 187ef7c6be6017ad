// The origin's path map (api/site_files.h): which folder answers which path, and the
// cache rules of each, on two small folders standing in for pages/dist and OHIF's dist.
#include "api/site_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace telerad::api {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Header(const Reply& reply, const std::string& name) {
  for (const auto& [key, value] : reply.headers)
    if (key == name) return value;
  return "";
}

class SiteFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/telerad-site-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
    // Sizes tell the files apart: the answer's body is a slice of the file served.
    Write(root_ / "pages/index.html", std::string(101, 'p'));
    Write(root_ / "pages/assets/main-IVL22R56.js", std::string(102, 'j'));
    Write(root_ / "pages/assets/main-IVL22R56.js.gz", std::string(12, 'z'));
    Write(root_ / "viewer/index.html", std::string(201, 'v'));
    Write(root_ / "viewer/app.bundle.0f6159c501addfe9.js", std::string(202, 'b'));
    Write(root_ / "viewer/assets/logo.svg", std::string(203, 's'));
    Write(root_ / "secret.txt", "outside");
    fs::create_symlink(root_ / "secret.txt", root_ / "pages/assets/escape.js");
  }
  void TearDown() override { fs::remove_all(root_); }

  SiteFiles Site(bool with_pages, bool with_viewer) const {
    std::optional<ViewerFiles> viewer;
    std::optional<PagesFiles> pages;
    if (with_viewer) viewer.emplace(*ViewerFiles::Open((root_ / "viewer").string()));
    if (with_pages) pages.emplace(*PagesFiles::Open((root_ / "pages").string()));
    return SiteFiles(std::move(viewer), std::move(pages));
  }

  fs::path root_;
};

TEST_F(SiteFilesTest, TheRootAndAppAreThePagesTheRestIsTheViewer) {
  const SiteFiles site = Site(true, true);
  auto size = [&](const std::string& path) -> long {
    auto reply = site.Serve(path, false, "");
    return reply.ok() ? static_cast<long>(reply->body_size()) : -1;
  };
  EXPECT_EQ(size("/"), 101);
  EXPECT_EQ(size("/app"), 101);
  EXPECT_EQ(size("/app/"), 101);
  EXPECT_EQ(size("/app/worklist"), 101);       // a route of the pages
  EXPECT_EQ(size("/app/studies/1.2.3"), 101);  // a UID's dots are no extension
  EXPECT_EQ(size("/app/assets/main-IVL22R56.js"), 102);
  EXPECT_EQ(size("/viewer"), 201);  // OHIF's route
  EXPECT_EQ(size("/notfoundstudy"), 201);
  EXPECT_EQ(size("/app.bundle.0f6159c501addfe9.js"), 202);
  EXPECT_EQ(size("/assets/logo.svg"), 203);
  // Never a file: the API's paths, a missing asset, an escape, a symlink out.
  EXPECT_EQ(size("/api/v1/nothing"), -1);
  EXPECT_EQ(size("//dicomweb/x"), -1);
  EXPECT_EQ(size("/app/assets/main-OLD12345.js"), -1);
  EXPECT_EQ(size("/app/../secret.txt"), -1);
  EXPECT_EQ(size("/app/%2e%2e/secret.txt"), -1);
  EXPECT_EQ(size("/app/assets/escape.js"), -1);
}

TEST_F(SiteFilesTest, HashedAssetsAreImmutableHtmlIsRevalidatedAndGzipIsSentWhenAccepted) {
  const SiteFiles site = Site(true, true);
  auto asset = site.Serve("/app/assets/main-IVL22R56.js", true, "");
  ASSERT_TRUE(asset.ok());
  EXPECT_EQ(Header(*asset, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Header(*asset, "Content-Encoding"), "gzip");
  EXPECT_EQ(asset->body_size(), 12u);
  EXPECT_EQ(asset->content_type, "application/javascript; charset=utf-8");
  auto index = site.Serve("/app/worklist", true, "");
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(Header(*index, "Cache-Control"), "no-cache");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  // Revalidation: the ETag it gave answers 304.
  auto again = site.Serve("/", true, Header(*index, "ETag"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 304);
  // OHIF's rules are unchanged.
  auto bundle = site.Serve("/app.bundle.0f6159c501addfe9.js", false, "");
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(Header(*bundle, "Cache-Control"), "public, max-age=31536000, immutable");
  auto config = site.Serve("/app-config.js", false, "");
  ASSERT_TRUE(config.ok());
  EXPECT_NE(config->body.find("window.config"), std::string::npos);
}

TEST_F(SiteFilesTest, WithoutPagesTheRootIsTheViewersWithoutAViewerItsPathsAreNotFound) {
  auto size = [](const SiteFiles& site, const std::string& path) -> long {
    auto reply = site.Serve(path, false, "");
    return reply.ok() ? static_cast<long>(reply->body_size()) : -1;
  };
  const SiteFiles viewer_only = Site(false, true);
  EXPECT_EQ(size(viewer_only, "/"), 201);
  EXPECT_EQ(size(viewer_only, "/app/worklist"), 201);  // OHIF's own fallback, as before
  const SiteFiles pages_only = Site(true, false);
  EXPECT_EQ(size(pages_only, "/"), 101);
  EXPECT_EQ(size(pages_only, "/viewer"), -1);
  EXPECT_EQ(size(pages_only, "/app-config.js"), -1);
}

}  // namespace
}  // namespace telerad::api
