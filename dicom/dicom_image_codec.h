// DicomImageCodec: ImageCodec (src/imaging/image_codec.h) with DCMTK 3.6.7. Decodes with
// the toolkit's JPEG (baseline, extended, lossless), JPEG-LS and RLE decoders, which it
// registers once per process; renders with dcmimgle/dcmimage and writes JPEG (dcmjpeg's
// IJG plugin) or PNG (libpng plugin). JPEG 2000 is not in open-source DCMTK: refused.
// Thread-safe: every call works on its own file objects.
#pragma once

#include "src/imaging/image_codec.h"

namespace telerad::dicom {

class DicomImageCodec final : public ImageCodec {
 public:
  DicomImageCodec();

  bool CanDecode(const std::string& transfer_syntax_uid) const override;
  Result<DecodedFrame> DecodeFrame(const std::string& path, uint32_t frame_number) const override;
  Result<RenderedImage> RenderFrame(const std::string& path, uint32_t frame_number,
                                    const RenderRequest& request) const override;
};

}  // namespace telerad::dicom
