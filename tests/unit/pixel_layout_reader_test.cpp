// Pixel layouts of files written by DCMTK: native (single and multi-frame, explicit and
// implicit VR, after an undefined-length sequence), and encapsulated by DCMTK's own
// encoders (dcmcjpeg: JPEG baseline; dcmcrle: RLE), with and without a Basic Offset
// Table, one fragment per frame or several. Each layout is checked against the bytes:
// a frame read through it is exactly that frame (native), or the fragments DCMTK's parser
// finds, each JPEG frame from its SOI to its EOI marker, each RLE frame starting with its
// RLE header (encapsulated).
#include "dicom/pixel_layout_reader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

namespace telerad::dicom {
namespace {

constexpr int kSize = 128;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Bytes(const std::string& file, const std::vector<FileSlice>& slices) {
  std::string out;
  for (const FileSlice& s : slices) out += file.substr(s.offset, s.length);
  return out;
}

// An 8-bit monochrome image of `frames` frames of noise (so JPEG fragments are large),
// frame k's first pixel equal to k. An undefined-length sequence comes before the pixels.
std::vector<Uint8> WriteNative(const std::string& path, int frames, E_TransferSyntax syntax) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  ds.putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6.7");
  ds.putAndInsertString(DCM_StudyInstanceUID, "1.2.3.4");
  ds.putAndInsertString(DCM_SeriesInstanceUID, "1.2.3.4.5");
  DcmItem* item = nullptr;
  ds.findOrCreateSequenceItem(DCM_ReferencedImageSequence, item, -2);
  item->putAndInsertString(DCM_ReferencedSOPInstanceUID, "1.2.3.9");
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_Rows, kSize);
  ds.putAndInsertUint16(DCM_Columns, kSize);
  ds.putAndInsertUint16(DCM_BitsAllocated, 8);
  ds.putAndInsertUint16(DCM_BitsStored, 8);
  ds.putAndInsertUint16(DCM_HighBit, 7);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  if (frames > 1) ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str());
  std::vector<Uint8> pixels(static_cast<size_t>(kSize * kSize * frames));
  std::mt19937 random(42);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<Uint8>(random() & 0xFF);
  for (int k = 0; k < frames; ++k)
    pixels[static_cast<size_t>(k * kSize * kSize)] = static_cast<Uint8>(k);
  ds.putAndInsertUint8Array(DCM_PixelData, pixels.data(), pixels.size());
  EXPECT_TRUE(file.saveFile(path.c_str(), syntax).good());
  return pixels;
}

FrameGeometry Geometry(int frames) {
  FrameGeometry g;
  g.rows = kSize;
  g.columns = kSize;
  g.bits_allocated = 8;
  g.number_of_frames = frames;
  return g;
}

// `tool` (dcmcjpeg or dcmcrle) with `options` on a fresh native file of `frames` frames.
std::string Encapsulate(const std::string& name, int frames, const std::string& tool,
                        const std::string& options) {
  const std::string native = ::testing::TempDir() + name + "_native.dcm";
  const std::string out = ::testing::TempDir() + name + ".dcm";
  WriteNative(native, frames, EXS_LittleEndianExplicit);
  const std::string command = tool + " " + options + " '" + native + "' '" + out + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return out;
}

// The fragments DCMTK's parser finds, the Basic Offset Table item left out.
std::vector<std::string> DcmtkFragments(const std::string& path) {
  DcmFileFormat file;
  EXPECT_TRUE(file.loadFile(path.c_str()).good());
  DcmElement* element = nullptr;
  EXPECT_TRUE(file.getDataset()->findAndGetElement(DCM_PixelData, element).good());
  DcmPixelSequence* sequence = nullptr;
  EXPECT_TRUE(static_cast<DcmPixelData*>(element)
                  ->getEncapsulatedRepresentation(
                      DcmXfer(file.getDataset()->getOriginalXfer()).getXfer(), nullptr, sequence)
                  .good());
  std::vector<std::string> out;
  for (unsigned long i = 1; sequence != nullptr && i < sequence->card(); ++i) {
    DcmPixelItem* item = nullptr;
    sequence->getItem(item, i);
    Uint8* bytes = nullptr;
    item->getUint8Array(bytes);
    out.emplace_back(reinterpret_cast<const char*>(bytes), item->getLength());
  }
  return out;
}

// Checks the fragments against DCMTK's and returns each frame's bytes.
std::vector<std::string> CheckedFrames(const std::string& path, const PixelLayout& layout) {
  const std::string file = ReadAll(path);
  const std::vector<std::string> expected = DcmtkFragments(path);
  EXPECT_EQ(layout.fragments.size(), expected.size());
  for (size_t i = 0; i < expected.size() && i < layout.fragments.size(); ++i)
    EXPECT_EQ(Bytes(file, {layout.fragments[i]}), expected[i]) << "fragment " << i;
  std::vector<std::string> frames;
  for (int k = 1; k <= layout.number_of_frames; ++k) {
    auto slices = layout.FrameSlices(k);
    EXPECT_TRUE(slices) << "frame " << k;
    frames.push_back(slices ? Bytes(file, *slices) : std::string());
  }
  EXPECT_FALSE(layout.FrameSlices(layout.number_of_frames + 1));
  EXPECT_FALSE(layout.FrameSlices(0));
  return frames;
}

void ExpectJpegFrames(const std::vector<std::string>& frames) {
  for (size_t k = 0; k < frames.size(); ++k) {
    std::string f = frames[k];
    if (!f.empty() && f.back() == '\0') f.pop_back();  // even-length padding
    ASSERT_GE(f.size(), 4u);
    EXPECT_EQ(f.substr(0, 2), "\xFF\xD8") << "frame " << k + 1 << " starts with SOI";
    EXPECT_EQ(f.substr(f.size() - 2), "\xFF\xD9") << "frame " << k + 1 << " ends with EOI";
    EXPECT_EQ(f.find("\xFF\xD8", 2), std::string::npos) << "frame " << k + 1 << " is one image";
  }
}

Result<std::optional<PixelLayout>> Layout(const std::string& path, const char* syntax, int frames) {
  return ReadPixelLayout(path, syntax, Geometry(frames));
}

TEST(PixelLayoutReaderTest, NativeFramesAreTheirBytes) {
  for (auto [syntax, uid] :
       {std::pair{EXS_LittleEndianExplicit, UID_LittleEndianExplicitTransferSyntax},
        std::pair{EXS_LittleEndianImplicit, UID_LittleEndianImplicitTransferSyntax},
        std::pair{EXS_BigEndianExplicit, UID_BigEndianExplicitTransferSyntax}}) {
    for (int frames : {1, 5}) {
      const std::string path = ::testing::TempDir() + "native.dcm";
      const std::vector<Uint8> pixels = WriteNative(path, frames, syntax);
      auto layout = Layout(path, uid, frames);
      ASSERT_TRUE(layout.ok()) << layout.status().ToString();
      ASSERT_TRUE(*layout) << uid;
      EXPECT_FALSE((*layout)->encapsulated);
      EXPECT_EQ((*layout)->frame_bytes, static_cast<uint64_t>(kSize * kSize));
      const std::string file = ReadAll(path);
      for (int k = 1; k <= frames; ++k) {
        auto slices = (*layout)->FrameSlices(k);
        ASSERT_TRUE(slices);
        const size_t start = static_cast<size_t>((k - 1) * kSize * kSize);
        EXPECT_EQ(Bytes(file, *slices),
                  std::string(pixels.begin() + static_cast<std::ptrdiff_t>(start),
                              pixels.begin() + static_cast<std::ptrdiff_t>(start + kSize * kSize)))
            << uid << " frame " << k;
      }
    }
  }
}

TEST(PixelLayoutReaderTest, JpegOneFragmentPerFrameWithAndWithoutOffsetTable) {
  for (const char* table : {"+ot", "-ot"}) {
    const std::string path = Encapsulate("jpeg_ff", 5, "dcmcjpeg", std::string("+eb +ff ") + table);
    auto layout = Layout(path, UID_JPEGProcess1TransferSyntax, 5);
    ASSERT_TRUE(layout.ok() && *layout) << table;
    EXPECT_TRUE((*layout)->encapsulated);
    EXPECT_EQ((*layout)->fragments.size(), 5u);
    ExpectJpegFrames(CheckedFrames(path, **layout));
  }
}

TEST(PixelLayoutReaderTest, JpegManyFragmentsPerFrameFollowTheOffsetTable) {
  const std::string path = Encapsulate("jpeg_fs", 5, "dcmcjpeg", "+eb +fs 1 +ot");
  auto layout = Layout(path, UID_JPEGProcess1TransferSyntax, 5);
  ASSERT_TRUE(layout.ok() && *layout);
  EXPECT_GT((*layout)->fragments.size(), 5u);
  ExpectJpegFrames(CheckedFrames(path, **layout));
}

TEST(PixelLayoutReaderTest, ManyFragmentsPerFrameWithoutATableCannotBeLocated) {
  const std::string path = Encapsulate("jpeg_fs_empty", 5, "dcmcjpeg", "+eb +fs 1 -ot");
  auto layout = Layout(path, UID_JPEGProcess1TransferSyntax, 5);
  ASSERT_TRUE(layout.ok());
  EXPECT_FALSE(*layout);
}

TEST(PixelLayoutReaderTest, SingleFrameIsAllItsFragments) {
  const std::string path = Encapsulate("jpeg_single", 1, "dcmcjpeg", "+eb +fs 1 -ot");
  auto layout = Layout(path, UID_JPEGProcess1TransferSyntax, 1);
  ASSERT_TRUE(layout.ok() && *layout);
  EXPECT_GT((*layout)->fragments.size(), 1u);
  ExpectJpegFrames(CheckedFrames(path, **layout));
}

TEST(PixelLayoutReaderTest, RleFramesWithAndWithoutOffsetTable) {
  for (const char* table : {"+ot", "-ot"}) {
    const std::string path = Encapsulate("rle", 5, "dcmcrle", table);
    auto layout = Layout(path, UID_RLELosslessTransferSyntax, 5);
    ASSERT_TRUE(layout.ok() && *layout) << table;
    for (const std::string& frame : CheckedFrames(path, **layout)) {
      ASSERT_GE(frame.size(), 64u);
      EXPECT_EQ(frame.substr(0, 8), std::string("\x01\x00\x00\x00\x40\x00\x00\x00", 8))
          << "one segment, starting after the 64-byte RLE header (PS3.5 G.4)";
    }
  }
}

TEST(PixelLayoutReaderTest, DeflatedOrPixellessHaveNoLayout) {
  const std::string path = ::testing::TempDir() + "deflated.dcm";
  WriteNative(path, 1, EXS_DeflatedLittleEndianExplicit);
  auto deflated = Layout(path, UID_DeflatedExplicitVRLittleEndianTransferSyntax, 1);
  ASSERT_TRUE(deflated.ok());
  EXPECT_FALSE(*deflated);
  DcmFileFormat file;
  file.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.3");
  const std::string sr = ::testing::TempDir() + "nopixels.dcm";
  ASSERT_TRUE(file.saveFile(sr.c_str(), EXS_LittleEndianExplicit).good());
  auto none = Layout(sr, UID_LittleEndianExplicitTransferSyntax, 1);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
}

TEST(PixelLayoutReaderTest, NativeShorterThanItsFramesHasNoLayout) {
  const std::string path = ::testing::TempDir() + "short.dcm";
  WriteNative(path, 2, EXS_LittleEndianExplicit);
  auto layout = Layout(path, UID_LittleEndianExplicitTransferSyntax, 3);  // claims 3 frames
  ASSERT_TRUE(layout.ok());
  EXPECT_FALSE(*layout);
}

}  // namespace
}  // namespace telerad::dicom
