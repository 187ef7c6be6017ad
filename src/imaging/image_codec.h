// ImageCodec: the pixel work of WADO-RS that needs the DICOM toolkit, behind an
// interface so that the HTTP door never includes it: decoding one frame of a stored
// file to native pixels (a client that does not accept the stored compression) and
// rendering one frame to JPEG or PNG (`rendered`, `thumbnail`). Implemented in the DICOM
// door (dicom/dicom_image_codec.h), wired by the app.
//
// Implementations are thread-safe. The file must be one that ingest stored (it passed
// the data set screen), so a hostile structure never reaches the toolkit here.
#pragma once

#include <cstdint>
#include <string>

#include "src/base/status.h"
#include "src/imaging/render_request.h"

namespace telerad {

struct DecodedFrame {
  std::string pixels;  // native, little endian, interleaved colour (PlanarConfiguration 0)
  // The transfer syntax the pixels are now in: Explicit VR Little Endian.
  std::string transfer_syntax_uid;
  // Colour model of `pixels`, e.g. MONOCHROME2 or RGB (a YBR JPEG decodes to RGB).
  std::string photometric_interpretation;
};

struct RenderedImage {
  std::string bytes;
  std::string media_type;  // image/jpeg or image/png
  int width = 0;
  int height = 0;
};

class ImageCodec {
 public:
  virtual ~ImageCodec() = default;

  // Whether DecodeFrame can decompress pixel data in this transfer syntax (the native
  // ones included). False for JPEG 2000 and anything unknown: the caller answers 406.
  virtual bool CanDecode(const std::string& transfer_syntax_uid) const = 0;

  // Frame `frame_number` (1-based, as WADO-RS counts) of the file at `path`, decoded.
  // kNotFound past the last frame; kNotAcceptable for a transfer syntax CanDecode
  // refuses; kInvalidArgument when the file has no pixel data; kInternal when the
  // toolkit cannot decode it (corrupt data).
  virtual Result<DecodedFrame> DecodeFrame(const std::string& path,
                                           uint32_t frame_number) const = 0;

  // Frame `frame_number` (1-based) rendered as the request says: windowed to 8 bits (the
  // request's window, else the file's first, else the frame's range), scaled down to
  // fit the viewport, encoded. Errors as DecodeFrame.
  virtual Result<RenderedImage> RenderFrame(const std::string& path, uint32_t frame_number,
                                            const RenderRequest& request) const = 0;
};

}  // namespace telerad
