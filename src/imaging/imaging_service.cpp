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
                               InstanceDescriber& describer)
    : studies_(studies), images_(images), files_(files), describer_(describer) {}

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

Result<StoredFrames> ImagingService::Frames(const Principal& who, const ImageScope& instance,
                                            const std::vector<int>& numbers) {
  auto study = VisibleStudy(studies_, who, instance.study_uid);
  if (!study.ok()) return study.status();
  if (!ScopeUidsValid(instance) || !instance.sop_instance_uid)
    return Status::NotFound("no such instance");
  auto images = images_.Find(study->id, instance, false);
  if (!images.ok()) return images.status();
  if (images->empty()) return Status::NotFound("no such instance");
  InstanceImage& image = images->front();
  // No layout row and no metadata row: indexed before either was kept, so its file is
  // described once (and kept); described and still no layout: nothing to read.
  if (!image.layout && !image.described) {
    if (Status s = Describe(image); !s.ok()) return s;
  }
  if (!image.layout) return Status::NotFound("the instance has no frames that can be read");
  StoredFrames result;
  result.transfer_syntax_uid = image.transfer_syntax_uid;
  result.encapsulated = image.layout->encapsulated;
  std::vector<std::vector<FileSlice>> wanted;
  for (int number : numbers) {
    auto slices = image.layout->FrameSlices(number);
    if (!slices)
      return Status::NotFound("frame " + std::to_string(number) + " is past the last frame (" +
                              std::to_string(image.layout->number_of_frames) + ")");
    wanted.push_back(std::move(*slices));
  }
  const int fd = ::open(files_.PathOf(image.storage_key).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Internal(std::string("open stored file: ") + std::strerror(errno));
  Status read = Status::Ok();
  for (const auto& slices : wanted) {
    std::string frame;
    for (const FileSlice& slice : slices)
      if (read = ReadSlice(fd, slice, frame); !read.ok()) break;
    if (!read.ok()) break;
    result.frames.push_back(std::move(frame));
  }
  ::close(fd);
  if (!read.ok()) return read;
  return result;
}

}  // namespace telerad
