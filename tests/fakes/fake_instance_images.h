// FakeInstanceImages and FakeInstanceDescriber: the imaging room's repository and the
// DICOM door's describer in memory, for unit tests of ImagingService.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "src/imaging/image_codec.h"
#include "src/imaging/instance_images.h"

namespace telerad {

class FakeInstanceImages : public InstanceImages {
 public:
  // Instances of each study id, in the order Find answers them.
  std::map<int64_t, std::vector<InstanceImage>> by_study;
  // Each study's id and facility by its UID, for FindInstance.
  std::map<std::string, std::pair<int64_t, int64_t>> study_places;
  int saved = 0;

  Result<std::vector<InstanceImage>> Find(int64_t study_id, const ImageScope& scope,
                                          bool with_metadata) override {
    std::vector<InstanceImage> out;
    for (InstanceImage image : by_study[study_id]) {
      if (scope.series_uid && image.series_uid != *scope.series_uid) continue;
      if (scope.sop_instance_uid && image.sop_instance_uid != *scope.sop_instance_uid) continue;
      if (!with_metadata) image.dicom_json.reset();
      out.push_back(std::move(image));
    }
    return out;
  }

  Result<std::optional<LocatedImage>> FindInstance(const ImageScope& scope) override {
    auto place = study_places.find(scope.study_uid);
    if (place == study_places.end()) return std::optional<LocatedImage>();
    for (const InstanceImage& image : by_study[place->second.first])
      if (scope.series_uid == image.series_uid &&
          scope.sop_instance_uid == image.sop_instance_uid) {
        LocatedImage located{place->second.first, place->second.second, image};
        located.image.dicom_json.reset();
        return std::optional<LocatedImage>(std::move(located));
      }
    return std::optional<LocatedImage>();
  }

  Status SaveDescription(int64_t instance_id, const ImageDescription& d) override {
    ++saved;
    for (auto& [study, images] : by_study)
      for (InstanceImage& image : images)
        if (image.instance_id == instance_id && !image.described) {
          image.dicom_json = d.dicom_json;
          image.layout = d.layout;
          image.described = true;
        }
    return Status::Ok();
  }
};

// Describes any path as `description`, counting the calls.
class FakeInstanceDescriber : public InstanceDescriber {
 public:
  ImageDescription description;
  std::vector<std::string> paths;

  Result<ImageDescription> Describe(const std::string& path) override {
    paths.push_back(path);
    return description;
  }
  // "bulk:<path>#<tag path>", so a test sees which file and value were read.
  Result<std::string> BulkValue(const std::string& path, const std::string& tag_path) override {
    return "bulk:" + path + "#" + tag_path;
  }
};

// Decodes a frame to "decoded:<path>#<n>" and renders to "rendered:<path>#<n>", so a
// test sees which file and frame were chosen. JPEG 2000 (1.2.840.10008.1.2.4.90/.91)
// cannot be decoded, as with the real codec.
class FakeImageCodec : public ImageCodec {
 public:
  bool CanDecode(const std::string& syntax) const override {
    return syntax != "1.2.840.10008.1.2.4.90" && syntax != "1.2.840.10008.1.2.4.91";
  }
  Result<DecodedFrame> DecodeFrame(const std::string& path, uint32_t frame) const override {
    DecodedFrame decoded;
    decoded.pixels = "decoded:" + path + "#" + std::to_string(frame);
    decoded.transfer_syntax_uid = "1.2.840.10008.1.2.1";
    decoded.photometric_interpretation = "MONOCHROME2";
    return decoded;
  }
  Result<RenderedImage> RenderFrame(const std::string& path, uint32_t frame,
                                    const RenderRequest& request) const override {
    RenderedImage image;
    image.bytes = "rendered:" + path + "#" + std::to_string(frame);
    image.media_type = request.format == RenderedFormat::kPng ? "image/png" : "image/jpeg";
    return image;
  }
};

}  // namespace telerad
