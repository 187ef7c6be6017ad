#include "src/imaging/imaging_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "src/storage/disk_file_store.h"
#include "tests/unit/fakes.h"

namespace telerad {
namespace {

constexpr const char* kStudy = "1.2.3";
constexpr const char* kSeries = "1.2.3.4";

Principal Who(Role role, std::optional<int64_t> facility = std::nullopt) {
  Principal p;
  p.user_id = 1;
  p.role = role;
  p.facility_id = facility;
  return p;
}

// The bytes of each frame: those in memory, or those its slices name in the file (what
// the HTTP door sends with sendfile).
std::vector<std::string> FrameBytes(const StoredFrames& frames) {
  if (!frames.in_file()) return frames.frames;
  std::ifstream in(frames.path, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  for (const auto& slices : frames.slices) {
    out.emplace_back();
    for (const FileSlice& slice : slices) out.back() += file.substr(slice.offset, slice.length);
  }
  return out;
}

class ImagingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "imaging-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    auto store = DiskFileStore::Open(tmpl);
    ASSERT_TRUE(store.ok());
    files_ = std::move(*store);
    Study study;
    study.id = 7;
    study.study_uid = kStudy;
    study.facility.id = 5;
    studies_.studies[kStudy] = study;
    images_.study_places[kStudy] = {7, 5};
    // Two instances: the first described at ingest, the second indexed before that.
    images_.by_study[7] = {Image(1, "1.2.3.4.1", R"({"a":1})"), Image(2, "1.2.3.4.2", "")};
    service_ = std::make_unique<ImagingService>(studies_, images_, *files_, describer_, codec_);
  }

  InstanceImage Image(int64_t id, const std::string& sop, const std::string& json) {
    InstanceImage image;
    image.instance_id = id;
    image.series_uid = kSeries;
    image.sop_instance_uid = sop;
    image.transfer_syntax_uid = "1.2.840.10008.1.2.1";
    image.storage_key = "f" + std::to_string(id) + ".dcm";
    if (!json.empty()) {
      image.dicom_json = json;
      image.described = true;
    }
    return image;
  }

  // A stored file whose bytes are "0123456789..." so a slice names its own content.
  void WriteFile(const std::string& key, size_t size) {
    std::ofstream out(files_->PathOf(key), std::ios::binary);
    for (size_t i = 0; i < size; ++i) out.put(static_cast<char>('0' + i % 10));
  }

  FakeStudyRepository studies_;
  FakeInstanceImages images_;
  FakeInstanceDescriber describer_;
  FakeImageCodec codec_;
  std::unique_ptr<DiskFileStore> files_;
  std::unique_ptr<ImagingService> service_;
};

TEST_F(ImagingServiceTest, MetadataJoinsTheKeptJsonAndDescribesTheRestOnce) {
  describer_.description.dicom_json = R"({"b":2})";
  auto json = service_->Metadata(Who(Role::kRadiologist), {kStudy, kSeries, std::nullopt});
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(*json, R"([{"a":1},{"b":2}])");
  ASSERT_EQ(describer_.paths.size(), 1u);
  EXPECT_EQ(describer_.paths[0], files_->PathOf("f2.dcm"));
  EXPECT_EQ(images_.saved, 1);
  // Kept: the next read describes nothing.
  ASSERT_TRUE(service_->Metadata(Who(Role::kAdmin), {kStudy, std::nullopt, std::nullopt}).ok());
  EXPECT_EQ(describer_.paths.size(), 1u);
  auto one = service_->Metadata(Who(Role::kFacility, 5), {kStudy, kSeries, "1.2.3.4.1"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, R"([{"a":1}])");
}

TEST_F(ImagingServiceTest, VisibilityIsTheStudyRule) {
  EXPECT_EQ(service_->Metadata(Who(Role::kFacility, 6), {kStudy, {}, {}}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->Metadata(Who(Role::kMinistry), {kStudy, {}, {}}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Metadata(Who(Role::kSpecialist), {kStudy, {}, {}}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Metadata(Who(Role::kAdmin), {"9.9", {}, {}}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->Metadata(Who(Role::kAdmin), {kStudy, "9.9", {}}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->Metadata(Who(Role::kAdmin), {kStudy, "../x", {}}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->Frames(Who(Role::kFacility, 6), {kStudy, kSeries, "1.2.3.4.1"}, {1})
                .status()
                .code(),
            StatusCode::kNotFound);
  // Frames find the instance in one lookup: the same rule, the same answers.
  EXPECT_EQ(
      service_->Frames(Who(Role::kMinistry), {kStudy, kSeries, "1.2.3.4.1"}, {1}).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Frames(Who(Role::kAdmin), {kStudy, "9.9", "1.2.3.4.1"}, {1}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->Frames(Who(Role::kAdmin), {"9.9", kSeries, "1.2.3.4.1"}, {1}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->BulkValue(Who(Role::kFacility, 6), {kStudy, kSeries, "1.2.3.4.1"}, "00100010")
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(ImagingServiceTest, InstanceFilesAreTheStoredPathsOfTheScopeForWhoMaySee) {
  auto all = service_->InstanceFiles(Who(Role::kFacility, 5), {kStudy, std::nullopt, std::nullopt});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].sop_instance_uid, "1.2.3.4.1");
  EXPECT_EQ((*all)[0].path, files_->PathOf("f1.dcm"));
  EXPECT_EQ((*all)[1].transfer_syntax_uid, "1.2.840.10008.1.2.1");
  EXPECT_EQ((*all)[1].series_uid, kSeries);
  EXPECT_EQ(describer_.paths.size(), 0u);  // no file is read to list them
  auto one = service_->InstanceFiles(Who(Role::kAdmin), {kStudy, kSeries, "1.2.3.4.2"});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].path, files_->PathOf("f2.dcm"));
  EXPECT_EQ(service_->InstanceFiles(Who(Role::kFacility, 6), {kStudy, {}, {}}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->InstanceFiles(Who(Role::kMinistry), {kStudy, {}, {}}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->InstanceFiles(Who(Role::kAdmin), {kStudy, "9.9", {}}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(ImagingServiceTest, FramesAreTheirSlicesInTheOrderAsked) {
  PixelLayout layout;
  layout.encapsulated = true;
  layout.number_of_frames = 2;
  layout.fragments = {{10, 3}, {20, 2}, {30, 4}};  // frame 1: fragments 0 and 1; frame 2: 2
  layout.frame_first_fragment = {0, 2};
  images_.by_study[7][0].layout = layout;
  WriteFile("f1.dcm", 64);
  auto frames =
      service_->Frames(Who(Role::kRadiologist), {kStudy, kSeries, "1.2.3.4.1"}, {2, 1, 2});
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  EXPECT_TRUE(frames->encapsulated);
  EXPECT_EQ(frames->transfer_syntax_uid, "1.2.840.10008.1.2.1");
  EXPECT_EQ(frames->frames, (std::vector<std::string>{"0123", "01201", "0123"}));
  auto pixels = service_->PixelData(Who(Role::kRadiologist), {kStudy, kSeries, "1.2.3.4.1"});
  ASSERT_TRUE(pixels.ok()) << pixels.status().ToString();
  EXPECT_TRUE(pixels->in_file());  // located, sent without reading
  EXPECT_EQ(FrameBytes(*pixels), (std::vector<std::string>{"01201", "0123"}));  // every frame
  EXPECT_EQ(
      service_->PixelData(Who(Role::kFacility, 6), {kStudy, kSeries, "1.2.3.4.1"}).status().code(),
      StatusCode::kNotFound);
  EXPECT_EQ(service_->Frames(Who(Role::kRadiologist), {kStudy, kSeries, "1.2.3.4.1"}, {3})
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(describer_.paths.empty());
}

TEST_F(ImagingServiceTest, FramesOfAnUndescribedInstanceAreDescribedFirst) {
  PixelLayout layout;
  layout.number_of_frames = 2;
  layout.value_offset = 4;
  layout.frame_bytes = 5;
  describer_.description.dicom_json = "{}";
  describer_.description.layout = layout;
  WriteFile("f2.dcm", 14);
  auto frames = service_->Frames(Who(Role::kAdmin), {kStudy, kSeries, "1.2.3.4.2"}, {2});
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  EXPECT_EQ(frames->frames, (std::vector<std::string>{"90123"}));
  EXPECT_EQ(describer_.paths.size(), 1u);
  // A stored file shorter than its layout is an internal error, not a short frame.
  WriteFile("f2.dcm", 12);
  EXPECT_EQ(
      service_->Frames(Who(Role::kAdmin), {kStudy, kSeries, "1.2.3.4.2"}, {2}).status().code(),
      StatusCode::kInternal);
}

TEST_F(ImagingServiceTest, ADescribedInstanceWithoutLayoutHasNoFrames) {
  auto frames = service_->Frames(Who(Role::kAdmin), {kStudy, kSeries, "1.2.3.4.1"}, {1});
  EXPECT_EQ(frames.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(describer_.paths.empty());  // no parse for an instance known to have none
}

PixelLayout NativeLayout(int frames, uint64_t offset, uint64_t bytes) {
  PixelLayout layout;
  layout.number_of_frames = frames;
  layout.value_offset = offset;
  layout.frame_bytes = bytes;
  return layout;
}

TEST_F(ImagingServiceTest, FramesComeAsStoredWhenAcceptedElseDecodedElseNotAcceptable) {
  InstanceImage& image = images_.by_study[7][0];
  image.layout = NativeLayout(2, 4, 5);
  image.transfer_syntax_uid = "1.2.840.10008.1.2.4.70";  // JPEG lossless, labelled
  image.layout->encapsulated = true;
  image.layout->fragments = {{4, 5}, {9, 5}};
  image.layout->frame_first_fragment = {0, 1};
  WriteFile("f1.dcm", 14);
  const ImageScope scope{kStudy, kSeries, "1.2.3.4.1"};
  FrameAcceptance any_stored;
  any_stored.stored = [](const std::string&, bool) { return true; };
  auto stored = service_->AcceptableFrames(Who(Role::kAdmin), scope, {2}, any_stored);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_TRUE(stored->in_file());
  EXPECT_EQ(FrameBytes(*stored), (std::vector<std::string>{"90123"}));
  EXPECT_EQ(stored->transfer_syntax_uid, "1.2.840.10008.1.2.4.70");

  FrameAcceptance native_only;
  native_only.stored = [](const std::string&, bool encapsulated) { return !encapsulated; };
  auto decoded = service_->AcceptableFrames(Who(Role::kAdmin), scope, {2, 1}, native_only);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_FALSE(decoded->encapsulated);
  EXPECT_EQ(decoded->transfer_syntax_uid, "1.2.840.10008.1.2.1");
  const std::string path = files_->PathOf("f1.dcm");
  EXPECT_EQ(decoded->frames,
            (std::vector<std::string>{"decoded:" + path + "#2", "decoded:" + path + "#1"}));
  EXPECT_EQ(service_->AcceptableFrames(Who(Role::kAdmin), scope, {3}, native_only).status().code(),
            StatusCode::kNotFound);

  native_only.native = false;
  EXPECT_EQ(service_->AcceptableFrames(Who(Role::kAdmin), scope, {1}, native_only).status().code(),
            StatusCode::kNotAcceptable);
  image.transfer_syntax_uid = "1.2.840.10008.1.2.4.90";  // JPEG 2000: no decoder here
  native_only.native = true;
  EXPECT_EQ(service_->AcceptableFrames(Who(Role::kAdmin), scope, {1}, native_only).status().code(),
            StatusCode::kNotAcceptable);
}

TEST_F(ImagingServiceTest, NativeFramesForANativeAskerAreTheStoredBytesRelabelled) {
  InstanceImage& image = images_.by_study[7][0];
  image.layout = NativeLayout(2, 4, 5);
  image.transfer_syntax_uid = "1.2.840.10008.1.2";  // implicit VR little endian
  WriteFile("f1.dcm", 14);
  FrameAcceptance explicit_only;
  explicit_only.stored = [](const std::string& syntax, bool) {
    return syntax == "1.2.840.10008.1.2.1";
  };
  auto frames = service_->AcceptableFrames(Who(Role::kRadiologist), {kStudy, kSeries, "1.2.3.4.1"},
                                           {1}, explicit_only);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  EXPECT_EQ(FrameBytes(*frames), (std::vector<std::string>{"45678"}));
  EXPECT_EQ(frames->transfer_syntax_uid, "1.2.840.10008.1.2.1");
}

TEST_F(ImagingServiceTest, RenderShowsTheMiddleInstanceOfASeriesAndTheAskedOne) {
  for (InstanceImage& image : images_.by_study[7]) {
    image.layout = NativeLayout(1, 0, 4);
    image.described = true;
  }
  images_.by_study[7].push_back(Image(3, "1.2.3.4.3", "{}"));
  images_.by_study[7].back().layout = NativeLayout(1, 0, 4);
  RenderRequest request;
  auto series = service_->Render(Who(Role::kRadiologist), {kStudy, kSeries, std::nullopt},
                                 std::nullopt, request);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  EXPECT_EQ(series->bytes, "rendered:" + files_->PathOf("f2.dcm") + "#1");
  auto study = service_->Render(Who(Role::kFacility, 5), {kStudy, std::nullopt, std::nullopt},
                                std::nullopt, request);
  ASSERT_TRUE(study.ok());
  EXPECT_EQ(study->bytes, series->bytes);
  request.format = RenderedFormat::kPng;
  auto one = service_->Render(Who(Role::kAdmin), {kStudy, kSeries, "1.2.3.4.3"}, 1, request);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->bytes, "rendered:" + files_->PathOf("f3.dcm") + "#1");
  EXPECT_EQ(one->media_type, "image/png");
  EXPECT_EQ(service_
                ->Render(Who(Role::kFacility, 6), {kStudy, std::nullopt, std::nullopt},
                         std::nullopt, request)
                .status()
                .code(),
            StatusCode::kNotFound);
  images_.by_study[7][2].transfer_syntax_uid = "1.2.840.10008.1.2.4.91";
  EXPECT_EQ(service_->Render(Who(Role::kAdmin), {kStudy, kSeries, "1.2.3.4.3"}, 1, request)
                .status()
                .code(),
            StatusCode::kNotAcceptable);
}

TEST_F(ImagingServiceTest, RenderSkipsInstancesKnownToHaveNoPixels) {
  // Both described without a layout (e.g. reports): nothing to render.
  images_.by_study[7][1].described = true;
  EXPECT_EQ(service_
                ->Render(Who(Role::kAdmin), {kStudy, std::nullopt, std::nullopt}, std::nullopt,
                         RenderRequest{})
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(ImagingServiceTest, BulkValuesAreReadFromTheVisibleInstancesFile) {
  auto value = service_->BulkValue(Who(Role::kFacility, 5), {kStudy, kSeries, "1.2.3.4.2"},
                                   "00880200.0.7FE00010");
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(*value, "bulk:" + files_->PathOf("f2.dcm") + "#00880200.0.7FE00010");
  EXPECT_EQ(service_->BulkValue(Who(Role::kFacility, 6), {kStudy, kSeries, "1.2.3.4.2"}, "00420011")
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      service_->BulkValue(Who(Role::kAdmin), {kStudy, kSeries, "9.9"}, "00420011").status().code(),
      StatusCode::kNotFound);
}

}  // namespace
}  // namespace telerad
