#include "dicom/dicom_image_codec.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfcache.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

// These use the export macros dcmimage.h defines: kept after it. diregist.h registers
// the colour image classes (RGB, YBR, palette) with the monochrome core.
#include <dcmtk/dcmimage/dipipng.h>
#include <dcmtk/dcmimage/diregist.h>
#include <dcmtk/dcmjpeg/dipijpeg.h>
#include <stdio.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace telerad::dicom {
namespace {

// Values longer than this stay in the file until needed, so opening a multi-frame
// instance to decode one frame does not read all of them.
constexpr Uint32 kMaxReadLength = 4096;
// A stored file passed the screen, but its header may still claim a frame far larger
// than its pixel data (rows and columns up to 65535): refused before any allocation.
constexpr uint64_t kMaxFrameBytes = 512ull << 20;
constexpr uint64_t kMaxFramePixels = 64ull << 20;

struct LoadedFile {
  DcmFileFormat file;
  E_TransferSyntax xfer = EXS_Unknown;
  long frames = 1;
  uint64_t rows = 0;
  uint64_t columns = 0;
  uint64_t samples = 1;
  uint64_t bits_allocated = 0;
};

// Opens the stored file and checks that `frame_number` exists and its size is sane.
Status Load(const std::string& path, uint32_t frame_number, LoadedFile& loaded) {
  OFCondition cond =
      loaded.file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, kMaxReadLength, ERM_autoDetect);
  if (cond.bad())
    return Status::Internal(std::string("cannot read the stored file: ") + cond.text());
  DcmDataset* ds = loaded.file.getDataset();
  loaded.xfer = ds->getOriginalXfer();
  if (!ds->tagExists(DCM_PixelData))
    return Status::InvalidArgument("the instance has no pixel data");
  Uint16 value = 0;
  if (ds->findAndGetUint16(DCM_Rows, value).good()) loaded.rows = value;
  if (ds->findAndGetUint16(DCM_Columns, value).good()) loaded.columns = value;
  if (ds->findAndGetUint16(DCM_SamplesPerPixel, value).good() && value > 0) loaded.samples = value;
  if (ds->findAndGetUint16(DCM_BitsAllocated, value).good()) loaded.bits_allocated = value;
  Sint32 frames = 1;
  if (ds->findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames > 1) loaded.frames = frames;
  if (frame_number < 1 || frame_number > static_cast<uint64_t>(loaded.frames))
    return Status::NotFound("the instance has " + std::to_string(loaded.frames) + " frame(s)");
  const uint64_t pixels = loaded.rows * loaded.columns;
  if (pixels == 0) return Status::InvalidArgument("the instance has no rows or columns");
  if (pixels > kMaxFramePixels ||
      pixels * loaded.samples * std::max<uint64_t>(loaded.bits_allocated, 8) / 8 > kMaxFrameBytes)
    return Status::ResourceExhausted("the frame is too large to decode");
  return Status::Ok();
}

// A FILE* writing into memory (glibc's open_memstream): the plugins write to streams.
class MemoryStream {
 public:
  MemoryStream() : stream_(open_memstream(&data_, &size_)) {}
  ~MemoryStream() {
    if (stream_) fclose(stream_);
    std::free(data_);
  }
  MemoryStream(const MemoryStream&) = delete;
  MemoryStream& operator=(const MemoryStream&) = delete;

  FILE* get() const { return stream_; }
  // Closes the stream and returns what was written.
  std::string Take() {
    if (stream_) fclose(stream_);
    stream_ = nullptr;
    return std::string(data_ ? data_ : "", size_);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  FILE* stream_ = nullptr;
};

void ApplyWindow(DicomImage& image, const RenderRequest& request) {
  if (!image.isMonochrome()) return;  // colour images carry their own values
  if (request.window) {
    const RenderWindow& w = *request.window;
    if (w.function == VoiFunction::kLinearExact)
      // PS3.3 C.11.2.1.3.2: LINEAR_EXACT(c, w) is LINEAR(c + 0.5, w + 1), and DCMTK 3.6.7
      // implements LINEAR and SIGMOID only.
      image.setWindow(w.center + 0.5, w.width + 1);
    else
      image.setWindow(w.center, w.width);
    image.setVoiLutFunction(w.function == VoiFunction::kSigmoid ? EFV_Sigmoid : EFV_Linear);
  } else if (image.getWindowCount() > 0) {
    image.setWindow(0);
  } else {
    image.setMinMaxWindow(0);
  }
}

}  // namespace

DicomImageCodec::DicomImageCodec() {
  // The decoders live in a process-wide list; registering twice would list them twice.
  static std::once_flag registered;
  std::call_once(registered, [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

bool DicomImageCodec::CanDecode(const std::string& transfer_syntax_uid) const {
  if (transfer_syntax_uid.empty()) return false;
  const DcmXfer xfer(transfer_syntax_uid.c_str());
  if (xfer.getXfer() == EXS_Unknown) return false;
  if (!xfer.isEncapsulated()) return true;
  return DcmCodecList::canChangeCoding(xfer.getXfer(), EXS_LittleEndianExplicit);
}

Result<DecodedFrame> DicomImageCodec::DecodeFrame(const std::string& path,
                                                  uint32_t frame_number) const {
  LoadedFile loaded;
  if (Status s = Load(path, frame_number, loaded); !s.ok()) return s;
  if (!CanDecode(DcmXfer(loaded.xfer).getXferID()))
    return Status::NotAcceptable(std::string("cannot decode ") +
                                 DcmXfer(loaded.xfer).getXferName());
  DcmDataset* ds = loaded.file.getDataset();
  DcmElement* element = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr)
    return Status::InvalidArgument("the instance has no pixel data");
  auto* pixel_data = static_cast<DcmPixelData*>(element);
  Uint32 frame_bytes = 0;
  OFCondition cond = pixel_data->getUncompressedFrameSize(ds, frame_bytes);
  if (cond.bad() || frame_bytes == 0 || frame_bytes > kMaxFrameBytes)
    return Status::Internal("cannot size the frame");
  DecodedFrame frame;
  // getUncompressedFrame wants an even buffer (it may swap 16-bit words in place).
  frame.pixels.assign(frame_bytes + (frame_bytes & 1), '\0');
  Uint32 start_fragment = 0;
  OFString colour_model;
  DcmFileCache cache;
  cond = pixel_data->getUncompressedFrame(ds, frame_number - 1, start_fragment, frame.pixels.data(),
                                          static_cast<Uint32>(frame.pixels.size()), colour_model,
                                          &cache);
  if (cond.bad()) return Status::Internal(std::string("cannot decode the frame: ") + cond.text());
  frame.pixels.resize(frame_bytes);
  frame.transfer_syntax_uid = UID_LittleEndianExplicitTransferSyntax;
  frame.photometric_interpretation = colour_model.c_str();
  return frame;
}

Result<RenderedImage> DicomImageCodec::RenderFrame(const std::string& path, uint32_t frame_number,
                                                   const RenderRequest& request) const {
  LoadedFile loaded;
  if (Status s = Load(path, frame_number, loaded); !s.ok()) return s;
  if (!CanDecode(DcmXfer(loaded.xfer).getXferID()))
    return Status::NotAcceptable(std::string("cannot decode ") +
                                 DcmXfer(loaded.xfer).getXferName());
  DicomImage image(&loaded.file, loaded.xfer, CIF_UsePartialAccessToPixelData, frame_number - 1, 1);
  if (image.getStatus() != EIS_Normal)
    return Status::Internal(std::string("cannot render the frame: ") +
                            DicomImage::getString(image.getStatus()));
  ApplyWindow(image, request);
  DicomImage* output = &image;
  std::unique_ptr<DicomImage> scaled;
  const double width = static_cast<double>(image.getWidth());
  const double height = static_cast<double>(image.getHeight());
  if (request.viewport_width && request.viewport_height) {
    const double scale =
        std::min({*request.viewport_width / width, *request.viewport_height / height, 1.0});
    if (scale < 1.0) {
      const auto new_width = static_cast<unsigned long>(std::max(1.0, std::floor(width * scale)));
      const auto new_height = static_cast<unsigned long>(std::max(1.0, std::floor(height * scale)));
      scaled.reset(image.createScaledImage(new_width, new_height, /*interpolate=*/1));
      if (!scaled || scaled->getStatus() != EIS_Normal)
        return Status::Internal("cannot scale the frame");
      ApplyWindow(*scaled, request);
      output = scaled.get();
    }
  }
  MemoryStream stream;
  if (!stream.get()) return Status::ResourceExhausted("cannot allocate the output buffer");
  RenderedImage rendered;
  int written = 0;
  if (request.format == RenderedFormat::kPng) {
    DiPNGPlugin png;
    png.setInterlaceType(E_pngInterlaceNone);
    png.setMetainfoType(E_pngNoMetainfo);
    written = output->writePluginFormat(&png, stream.get(), 0);
    rendered.media_type = "image/png";
  } else {
    DiJPEGPlugin jpeg;
    jpeg.setQuality(static_cast<unsigned int>(request.quality));
    written = output->writePluginFormat(&jpeg, stream.get(), 0);
    rendered.media_type = "image/jpeg";
  }
  if (written == 0) return Status::Internal("cannot encode the rendered frame");
  rendered.bytes = stream.Take();
  rendered.width = static_cast<int>(output->getWidth());
  rendered.height = static_cast<int>(output->getHeight());
  return rendered;
}

}  // namespace telerad::dicom
