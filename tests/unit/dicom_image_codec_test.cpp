#include "dicom/dicom_image_codec.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>
#include <gtest/gtest.h>

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace telerad::dicom {
namespace {

constexpr int kRows = 64;
constexpr int kCols = 48;

// Frame `f` of the test image: a 12-bit ramp that differs per frame, so that a frame
// decoded from the wrong place is caught.
std::vector<Uint16> FramePixels(int f) {
  std::vector<Uint16> pixels(kRows * kCols);
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kCols; ++c)
      pixels[r * kCols + c] = static_cast<Uint16>((r * 61 + c * 7 + f * 1000) % 4096);
  return pixels;
}

std::string FrameBytes(int f) {
  const std::vector<Uint16> pixels = FramePixels(f);
  return std::string(reinterpret_cast<const char*>(pixels.data()), pixels.size() * 2);
}

void RegisterEncoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJEncoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
  });
}

// Writes a CT of `frames` frames in `xfer` (compressed losslessly by DCMTK's encoders).
std::string WriteImage(const std::string& name, E_TransferSyntax xfer, int frames = 1,
                       bool with_window = true) {
  RegisterEncoders();
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6");
  ds->putAndInsertString(DCM_StudyInstanceUID, "1.2.3.4");
  ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.3.4.5");
  ds->putAndInsertString(DCM_Modality, "CT");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_Rows, kRows);
  ds->putAndInsertUint16(DCM_Columns, kCols);
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 12);
  ds->putAndInsertUint16(DCM_HighBit, 11);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  if (frames > 1) ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str());
  if (with_window) {
    ds->putAndInsertString(DCM_WindowCenter, "2048");
    ds->putAndInsertString(DCM_WindowWidth, "4096");
  }
  std::vector<Uint16> all;
  for (int f = 0; f < frames; ++f) {
    const std::vector<Uint16> frame = FramePixels(f);
    all.insert(all.end(), frame.begin(), frame.end());
  }
  ds->putAndInsertUint16Array(DCM_PixelData, all.data(), static_cast<unsigned long>(all.size()));
  OFCondition cond = EC_Normal;
  if (xfer == EXS_JPEGProcess14SV1) {
    DJ_RPLossless params;
    cond = ds->chooseRepresentation(xfer, &params);
  } else if (xfer == EXS_JPEGLSLossless) {
    DJLSRepresentationParameter params(2, OFTrue);
    cond = ds->chooseRepresentation(xfer, &params);
  } else if (xfer == EXS_RLELossless) {
    DcmRLERepresentationParameter params;
    cond = ds->chooseRepresentation(xfer, &params);
  }
  EXPECT_TRUE(cond.good()) << cond.text();
  const std::string path = ::testing::TempDir() + "codec_" + name + ".dcm";
  cond = file.saveFile(path.c_str(), xfer);
  EXPECT_TRUE(cond.good()) << cond.text();
  return path;
}

// A file labelled JPEG 2000 whose one fragment is not decodable by anything here.
std::string WriteJpeg2000Label() {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.7");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_Rows, kRows);
  ds->putAndInsertUint16(DCM_Columns, kCols);
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 12);
  ds->putAndInsertUint16(DCM_HighBit, 11);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
  sequence->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty offset table
  auto* fragment = new DcmPixelItem(DCM_PixelItemTag);
  const Uint8 codestream[16] = {0xFF, 0x4F, 0xFF, 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  fragment->putUint8Array(codestream, sizeof codestream);
  sequence->insert(fragment);
  auto* pixel_data = new DcmPixelData(DCM_PixelData);
  pixel_data->putOriginalRepresentation(EXS_JPEG2000LosslessOnly, nullptr, sequence);
  ds->insert(pixel_data, true);
  const std::string path = ::testing::TempDir() + "codec_j2k.dcm";
  EXPECT_TRUE(file.saveFile(path.c_str(), EXS_JPEG2000LosslessOnly).good());
  return path;
}

TEST(DicomImageCodecTest, KnowsWhatItCanDecode) {
  DicomImageCodec codec;
  EXPECT_TRUE(codec.CanDecode(UID_LittleEndianExplicitTransferSyntax));
  EXPECT_TRUE(codec.CanDecode(UID_LittleEndianImplicitTransferSyntax));
  EXPECT_TRUE(codec.CanDecode(UID_JPEGProcess1TransferSyntax));
  EXPECT_TRUE(codec.CanDecode(UID_JPEGProcess14SV1TransferSyntax));
  EXPECT_TRUE(codec.CanDecode(UID_JPEGLSLosslessTransferSyntax));
  EXPECT_TRUE(codec.CanDecode(UID_JPEGLSLossyTransferSyntax));
  EXPECT_TRUE(codec.CanDecode(UID_RLELosslessTransferSyntax));
  EXPECT_FALSE(codec.CanDecode(UID_JPEG2000LosslessOnlyTransferSyntax));
  EXPECT_FALSE(codec.CanDecode(UID_JPEG2000TransferSyntax));
  EXPECT_FALSE(codec.CanDecode("1.2.3.4"));
  EXPECT_FALSE(codec.CanDecode(""));
}

class LosslessDecodeTest : public ::testing::TestWithParam<E_TransferSyntax> {};

TEST_P(LosslessDecodeTest, EveryFrameDecodesToTheOriginalPixels) {
  DicomImageCodec codec;
  const E_TransferSyntax xfer = GetParam();
  const std::string path = WriteImage(DcmXfer(xfer).getXferID(), xfer, 3);
  for (int f = 1; f <= 3; ++f) {
    auto frame = codec.DecodeFrame(path, f);
    ASSERT_TRUE(frame.ok()) << DcmXfer(xfer).getXferName() << ": " << frame.status().ToString();
    EXPECT_EQ(frame->transfer_syntax_uid, UID_LittleEndianExplicitTransferSyntax);
    EXPECT_EQ(frame->photometric_interpretation, "MONOCHROME2");
    EXPECT_TRUE(frame->pixels == FrameBytes(f - 1))
        << DcmXfer(xfer).getXferName() << " frame " << f << " differs";
  }
  // Out of order too: the second frame after the third.
  auto again = codec.DecodeFrame(path, 2);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->pixels == FrameBytes(1));
  EXPECT_EQ(codec.DecodeFrame(path, 4).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(codec.DecodeFrame(path, 0).status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Syntaxes, LosslessDecodeTest,
                         ::testing::Values(EXS_LittleEndianExplicit, EXS_LittleEndianImplicit,
                                           EXS_JPEGProcess14SV1, EXS_JPEGLSLossless,
                                           EXS_RLELossless));

TEST(DicomImageCodecTest, JpegTwoThousandIsRefusedNotGuessed) {
  DicomImageCodec codec;
  const std::string path = WriteJpeg2000Label();
  EXPECT_EQ(codec.DecodeFrame(path, 1).status().code(), StatusCode::kNotAcceptable);
  EXPECT_EQ(codec.RenderFrame(path, 1, RenderRequest{}).status().code(),
            StatusCode::kNotAcceptable);
}

TEST(DicomImageCodecTest, MissingFileAndNoPixelDataAreErrors) {
  DicomImageCodec codec;
  EXPECT_EQ(codec.DecodeFrame(::testing::TempDir() + "no_such.dcm", 1).status().code(),
            StatusCode::kInternal);
  DcmFileFormat file;
  file.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_BasicTextSRStorage);
  file.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.9");
  const std::string path = ::testing::TempDir() + "codec_sr.dcm";
  ASSERT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  EXPECT_EQ(codec.DecodeFrame(path, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.RenderFrame(path, 1, RenderRequest{}).status().code(),
            StatusCode::kInvalidArgument);
}

bool IsJpeg(const std::string& bytes) {
  return bytes.size() > 4 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
         static_cast<unsigned char>(bytes[1]) == 0xD8 &&
         static_cast<unsigned char>(bytes[bytes.size() - 2]) == 0xFF &&
         static_cast<unsigned char>(bytes[bytes.size() - 1]) == 0xD9;
}

TEST(DicomImageCodecTest, RendersJpegAndPngAtFullSize) {
  DicomImageCodec codec;
  for (E_TransferSyntax xfer : {EXS_LittleEndianExplicit, EXS_JPEGLSLossless, EXS_RLELossless}) {
    const std::string path = WriteImage(std::string("render_") + DcmXfer(xfer).getXferID(), xfer);
    auto jpeg = codec.RenderFrame(path, 1, RenderRequest{});
    ASSERT_TRUE(jpeg.ok()) << jpeg.status().ToString();
    EXPECT_EQ(jpeg->media_type, "image/jpeg");
    EXPECT_TRUE(IsJpeg(jpeg->bytes));
    EXPECT_EQ(jpeg->width, kCols);
    EXPECT_EQ(jpeg->height, kRows);
    RenderRequest png_request;
    png_request.format = RenderedFormat::kPng;
    auto png = codec.RenderFrame(path, 1, png_request);
    ASSERT_TRUE(png.ok()) << png.status().ToString();
    EXPECT_EQ(png->media_type, "image/png");
    ASSERT_GT(png->bytes.size(), 8u);
    EXPECT_EQ(png->bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  }
}

TEST(DicomImageCodecTest, ViewportScalesDownKeepingTheAspectAndNeverUp) {
  DicomImageCodec codec;
  const std::string path = WriteImage("viewport", EXS_LittleEndianExplicit);
  RenderRequest request;
  request.viewport_width = 24;
  request.viewport_height = 1000;
  auto small = codec.RenderFrame(path, 1, request);
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(small->width, 24);
  EXPECT_EQ(small->height, 32);  // 64 x 48 halved
  EXPECT_TRUE(IsJpeg(small->bytes));
  request.viewport_width = 4000;
  request.viewport_height = 4000;
  auto full = codec.RenderFrame(path, 1, request);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->width, kCols);
}

TEST(DicomImageCodecTest, TheWindowChangesThePicture) {
  DicomImageCodec codec;
  const std::string path = WriteImage("window", EXS_LittleEndianExplicit, 1, false);
  RenderRequest request;
  request.format = RenderedFormat::kPng;  // lossless, so equal pixels give equal bytes
  auto by_range = codec.RenderFrame(path, 1, request);
  request.window = RenderWindow{100, 200, VoiFunction::kLinear};
  auto narrow = codec.RenderFrame(path, 1, request);
  request.window = RenderWindow{100, 200, VoiFunction::kSigmoid};
  auto sigmoid = codec.RenderFrame(path, 1, request);
  ASSERT_TRUE(by_range.ok() && narrow.ok() && sigmoid.ok());
  EXPECT_NE(by_range->bytes, narrow->bytes);
  EXPECT_NE(narrow->bytes, sigmoid->bytes);
}

}  // namespace
}  // namespace telerad::dicom
