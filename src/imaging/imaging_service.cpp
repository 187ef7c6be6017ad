#include "src/imaging/imaging_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "src/base/logging.h"
#include "src/base/uid.h"
#include "src/index/study_access.h"

namespace telerad {
namespace {

constexpr char kImplicitVrLittleEndian[] = "1.2.840.10008.1.2";
constexpr char kExplicitVrLittleEndian[] = "1.2.840.10008.1.2.1";

// Reads exactly `slice` of the open file into the end of `out`.
Status ReadSlice(int fd, const FileSlice& slice, std::string& out) {
  const size_t start = out.size();
  out.resize(start + slice.length);
  uint64_t done = 0;
  while (done < slice.length) {
    const ssize_t n = ::pread(fd, out.data() + start + done, slice.length - done,
                              static_cast<off_t>(slice.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Internal(std::string("read stored file: ") + std::strerror(errno));
    if (n == 0) return Status::Internal("stored file shorter than its pixel layout");
    done += static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

bool ScopeUidsValid(const ImageScope& scope) {
  return (!scope.series_uid || IsValidUid(*scope.series_uid)) &&
         (!scope.sop_instance_uid || IsValidUid(*scope.sop_instance_uid));
}

}  // namespace

ImagingService::ImagingService(StudyRepository& studies, InstanceImages& images, FileStore& files,
                               InstanceDescriber& describer, ImageCodec& codec)
    : studies_(studies), images_(images), files_(files), describer_(describer), codec_(codec) {}

Status ImagingService::Describe(InstanceImage& image) {
  auto described = describer_.Describe(files_.PathOf(image.storage_key));
  if (!described.ok()) return described.status();
  if (Status kept = images_.SaveDescription(image.instance_id, *described); !kept.ok()) return kept;
  CoreLog().info("event=instance_described instance_id={}", image.instance_id);
  image.dicom_json = std::move(described->dicom_json);
  image.described = true;
  image.layout = std::move(described->layout);
  return Status::Ok();
}

Result<std::string> ImagingService::Metadata(const Principal& who, const ImageScope& scope) {
  auto study = VisibleStudy(studies_, who, scope.study_uid);
  if (!study.ok()) return study.status();
  if (!ScopeUidsValid(scope)) return Status::NotFound("no such series or instance");
  auto images = images_.Find(study->id, scope, true);
  if (!images.ok()) return images.status();
  if (images->empty()) return Status::NotFound("no such series or instance");
  size_t size = 2;
  for (InstanceImage& image : *images) {
    if (!image.dicom_json) {
      if (Status s = Describe(image); !s.ok()) return s;
    }
    size += image.dicom_json->size() + 1;
  }
  std::string out;
  out.reserve(size);
  out += '[';
  for (size_t i = 0; i < images->size(); ++i) {
    if (i > 0) out += ',';
    out += *(*images)[i].dicom_json;
  }
  out += ']';
  return out;
}

Result<std::vector<InstanceFile>> ImagingService::InstanceFiles(const Principal& who,
                                                                const ImageScope& scope) {
  auto study = VisibleStudy(studies_, who, scope.study_uid);
  if (!study.ok()) return study.status();
  if (!ScopeUidsValid(scope)) return Status::NotFound("no such series or instance");
  auto images = images_.Find(study->id, scope, false);
  if (!images.ok()) return images.status();
  if (images->empty()) return Status::NotFound("no such series or instance");
  std::vector<InstanceFile> files;
  files.reserve(images->size());
  for (InstanceImage& image : *images)
    files.push_back(InstanceFile{std::move(image.series_uid), std::move(image.sop_instance_uid),
                                 std::move(image.transfer_syntax_uid),
                                 files_.PathOf(image.storage_key)});
  return files;
}

Result<InstanceImage> ImagingService::VisibleInstance(const Principal& who,
                                                      const ImageScope& instance) {
  if (Status allowed = MayReadStudies(who); !allowed.ok()) return allowed;
  if (!IsValidUid(instance.study_uid) || !ScopeUidsValid(instance) || !instance.series_uid ||
      !instance.sop_instance_uid)
    return Status::NotFound("no such instance");
  auto found = images_.FindInstance(instance);
  if (!found.ok()) return found.status();
  // Another facility's instance is as absent as an unknown one: existence does not leak.
  if (!found->has_value() || !SeesStudiesOf(who, (*found)->facility_id))
    return Status::NotFound("no such instance");
  return std::move((*found)->image);
}

Result<InstanceImage> ImagingService::FrameSource(const Principal& who,
                                                  const ImageScope& instance) {
  auto found = VisibleInstance(who, instance);
  if (!found.ok()) return found.status();
  InstanceImage image = std::move(*found);
  // No layout row and no metadata row: indexed before either was kept, so its file is
  // described once (and kept); described and still no layout: nothing to read.
  if (!image.layout && !image.described) {
    if (Status s = Describe(image); !s.ok()) return s;
  }
  if (!image.layout) return Status::NotFound("the instance has no frames that can be read");
  return image;
}

Status ImagingService::CheckFrameNumbers(const InstanceImage& image,
                                         const std::vector<int>& numbers) {
  for (int number : numbers)
    if (number < 1 || number > image.layout->number_of_frames)
      return Status::NotFound("frame " + std::to_string(number) + " is past the last frame (" +
                              std::to_string(image.layout->number_of_frames) + ")");
  return Status::Ok();
}

Result<StoredFrames> ImagingService::LocateStored(const InstanceImage& image,
                                                  const std::vector<int>& numbers) {
  StoredFrames result;
  result.transfer_syntax_uid = image.transfer_syntax_uid;
  result.encapsulated = image.layout->encapsulated;
  result.path = files_.PathOf(image.storage_key);
  for (int number : numbers) {
    auto slices = image.layout->FrameSlices(number);
    if (!slices)
      return Status::NotFound("frame " + std::to_string(number) + " is past the last frame (" +
                              std::to_string(image.layout->number_of_frames) + ")");
    result.slices.push_back(std::move(*slices));
  }
  return result;
}

Result<StoredFrames> ImagingService::ReadStored(const InstanceImage& image,
                                                const std::vector<int>& numbers) {
  auto result = LocateStored(image, numbers);
  if (!result.ok()) return result;
  const int fd = ::open(result->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Internal(std::string("open stored file: ") + std::strerror(errno));
  Status read = Status::Ok();
  for (const auto& slices : result->slices) {
    std::string frame;
    for (const FileSlice& slice : slices)
      if (read = ReadSlice(fd, slice, frame); !read.ok()) break;
    if (!read.ok()) break;
    result->frames.push_back(std::move(frame));
  }
  ::close(fd);
  if (!read.ok()) return read;
  result->slices.clear();
  result->path.clear();
  return result;
}

Result<StoredFrames> ImagingService::Frames(const Principal& who, const ImageScope& instance,
                                            const std::vector<int>& numbers) {
  auto image = FrameSource(who, instance);
  if (!image.ok()) return image.status();
  return ReadStored(*image, numbers);
}

Result<StoredFrames> ImagingService::PixelData(const Principal& who, const ImageScope& instance) {
  auto image = FrameSource(who, instance);
  if (!image.ok()) return image.status();
  std::vector<int> all(static_cast<size_t>(image->layout->number_of_frames));
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i) + 1;
  return LocateStored(*image, all);
}

Result<std::string> ImagingService::BulkValue(const Principal& who, const ImageScope& instance,
                                              const std::string& tag_path) {
  auto image = VisibleInstance(who, instance);
  if (!image.ok()) return image.status();
  return describer_.BulkValue(files_.PathOf(image->storage_key), tag_path);
}

Result<StoredFrames> ImagingService::AcceptableFrames(const Principal& who,
                                                      const ImageScope& instance,
                                                      const std::vector<int>& numbers,
                                                      const FrameAcceptance& accept) {
  auto image = FrameSource(who, instance);
  if (!image.ok()) return image.status();
  const std::string& stored = image->transfer_syntax_uid;
  const bool encapsulated = image->layout->encapsulated;
  if (accept.stored && accept.stored(stored, encapsulated)) return LocateStored(*image, numbers);
  if (!accept.native)
    return Status::NotAcceptable("the frames are stored as " + stored +
                                 "; ask for that transfer syntax or for native pixels");
  // Little endian native pixels are the same bytes in either VR encoding: only the
  // label changes. Big endian ones are swapped by the codec like any other.
  if (!encapsulated && (stored == kImplicitVrLittleEndian || stored == kExplicitVrLittleEndian)) {
    auto frames = LocateStored(*image, numbers);
    if (frames.ok()) frames->transfer_syntax_uid = kExplicitVrLittleEndian;
    return frames;
  }
  if (!codec_.CanDecode(stored))
    return Status::NotAcceptable("frames stored as " + stored +
                                 " cannot be decoded here; ask for the stored transfer syntax");
  if (Status s = CheckFrameNumbers(*image, numbers); !s.ok()) return s;
  StoredFrames result;
  result.transfer_syntax_uid = kExplicitVrLittleEndian;
  const std::string path = files_.PathOf(image->storage_key);
  for (int number : numbers) {
    auto decoded = codec_.DecodeFrame(path, static_cast<uint32_t>(number));
    if (!decoded.ok()) return decoded.status();
    result.frames.push_back(std::move(decoded->pixels));
  }
  return result;
}

Result<RenderedImage> ImagingService::Render(const Principal& who, const ImageScope& scope,
                                             std::optional<int> frame,
                                             const RenderRequest& request) {
  Result<std::vector<InstanceImage>> images = std::vector<InstanceImage>();
  if (scope.sop_instance_uid) {
    auto image = VisibleInstance(who, scope);
    if (!image.ok()) return image.status();
    images->push_back(std::move(*image));
  } else {
    auto study = VisibleStudy(studies_, who, scope.study_uid);
    if (!study.ok()) return study.status();
    if (!ScopeUidsValid(scope)) return Status::NotFound("no such series or instance");
    images = images_.Find(study->id, scope, false);
    if (!images.ok()) return images.status();
  }
  // The instances that may have pixels: a layout, or not described yet (indexed before
  // layouts were kept). Of a study, those of its first series that has any.
  std::vector<const InstanceImage*> candidates;
  for (const InstanceImage& image : *images) {
    if (!image.layout && image.described) continue;
    if (!candidates.empty() && image.series_uid != candidates.front()->series_uid) break;
    candidates.push_back(&image);
  }
  if (candidates.empty()) return Status::NotFound("no instance with pixel data");
  // A series is shown by its middle slice: the first is often a scout or an edge.
  const InstanceImage& chosen = *candidates[scope.sop_instance_uid ? 0 : candidates.size() / 2];
  if (!codec_.CanDecode(chosen.transfer_syntax_uid))
    return Status::NotAcceptable("frames stored as " + chosen.transfer_syntax_uid +
                                 " cannot be rendered here");
  const int number = frame.value_or(1);
  if (number < 1) return Status::NotFound("frame numbers start at 1");
  return codec_.RenderFrame(files_.PathOf(chosen.storage_key), static_cast<uint32_t>(number),
                            request);
}

}  // namespace telerad
