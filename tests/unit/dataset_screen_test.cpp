#include "dicom/dataset_screen.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <iterator>

namespace telerad::dicom {
namespace {

constexpr uint32_t kUndefined = 0xFFFFFFFF;
const char* const kExplicitLE = "1.2.840.10008.1.2.1";
const char* const kImplicitLE = "1.2.840.10008.1.2";

// Little-endian DICOM bytes written by hand, for the lies DCMTK would never write.
struct Bytes {
  std::string s;
  Bytes& U16(uint16_t v) {
    s += static_cast<char>(v & 0xFF);
    s += static_cast<char>(v >> 8);
    return *this;
  }
  Bytes& U32(uint32_t v) { return U16(static_cast<uint16_t>(v & 0xFFFF)).U16(v >> 16); }
  Bytes& Tag(uint16_t g, uint16_t e) { return U16(g).U16(e); }
  // Explicit VR element with a 16-bit length.
  Bytes& Short(uint16_t g, uint16_t e, const char* vr, const std::string& value) {
    Tag(g, e);
    s += vr;
    U16(static_cast<uint16_t>(value.size()));
    s += value;
    return *this;
  }
  // Explicit VR element with a 32-bit length (OB, SQ, UN, ...), value not written.
  Bytes& LongHeader(uint16_t g, uint16_t e, const char* vr, uint32_t length) {
    Tag(g, e);
    s += vr;
    return U16(0).U32(length);
  }
  Bytes& Implicit(uint16_t g, uint16_t e, uint32_t length) { return Tag(g, e).U32(length); }
  Bytes& Item(uint32_t length = kUndefined) { return Tag(0xFFFE, 0xE000).U32(length); }
  Bytes& ItemEnd() { return Tag(0xFFFE, 0xE00D).U32(0); }
  Bytes& SequenceEnd() { return Tag(0xFFFE, 0xE0DD).U32(0); }
};

// Preamble, "DICM" and a meta header naming `transfer_syntax`.
std::string Meta(const std::string& transfer_syntax) {
  std::string uid = transfer_syntax;
  if (uid.size() % 2) uid += '\0';
  Bytes group;
  group.Short(0x0002, 0x0010, "UI", uid);
  Bytes head;
  head.s = std::string(128, '\0') + "DICM";
  head.Short(0x0002, 0x0000, "UL", "");
  head.s.resize(head.s.size() - 2);
  head.U16(4).U32(static_cast<uint32_t>(group.s.size()));
  return head.s + group.s;
}

std::string File(const Bytes& data_set, const char* transfer_syntax = kExplicitLE) {
  return Meta(transfer_syntax) + data_set.s;
}

Bytes Header() {
  Bytes b;
  b.Short(0x0008, 0x0060, "CS", "CT").Short(0x0010, 0x0020, "LO", "P1");
  return b;
}

// `depth` sequences, each in an item of the one before, all of undefined length.
Bytes Nested(int depth) {
  Bytes b = Header();
  for (int i = 0; i < depth; ++i) b.LongHeader(0x0040, 0xA730, "SQ", kUndefined).Item();
  for (int i = 0; i < depth; ++i) b.ItemEnd().SequenceEnd();
  return b;
}

// The same with defined lengths throughout, built from the inside out.
Bytes NestedDefined(int depth) {
  std::string inner;
  for (int i = 0; i < depth; ++i) {
    Bytes item;
    item.Item(static_cast<uint32_t>(inner.size()));
    Bytes seq;
    seq.LongHeader(0x0040, 0xA730, "SQ", static_cast<uint32_t>(item.s.size() + inner.size()));
    inner = seq.s + item.s + inner;
  }
  Bytes b = Header();
  b.s += inner;
  return b;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A real file written by DCMTK in `xfer`, with a nested sequence and pixel data.
std::string DcmtkFile(E_TransferSyntax xfer, const std::string& name) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6");
  ds->putAndInsertString(DCM_PatientName, "DOE^JOHN");
  DcmItem* item = nullptr;
  EXPECT_TRUE(ds->findOrCreateSequenceItem(DCM_ReferencedStudySequence, item).good());
  DcmItem* inner = nullptr;
  EXPECT_TRUE(item->findOrCreateSequenceItem(DCM_ReferencedSeriesSequence, inner).good());
  inner->putAndInsertString(DCM_SeriesInstanceUID, "1.2.3");
  ds->putAndInsertUint16(DCM_Rows, 64);
  ds->putAndInsertUint16(DCM_Columns, 64);
  if (xfer == EXS_JPEGProcess1) {
    auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
    sequence->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty offset table
    auto* fragment = new DcmPixelItem(DCM_PixelItemTag);
    const Uint8 jpeg[6] = {0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9};
    fragment->putUint8Array(jpeg, sizeof jpeg);
    sequence->insert(fragment);
    auto* pixels = new DcmPixelData(DCM_PixelData);
    pixels->putOriginalRepresentation(xfer, nullptr, sequence);
    ds->insert(pixels);
  } else {
    Uint16 pixels[64 * 64] = {};
    ds->putAndInsertUint16Array(DCM_PixelData, pixels, 64 * 64);
  }
  const std::string path = ::testing::TempDir() + "screen_" + name + ".dcm";
  EXPECT_TRUE(file.saveFile(path.c_str(), xfer).good()) << name;
  return path;
}

TEST(DataSetScreenTest, DcmtkFilesOfEveryTransferSyntaxPass) {
  const std::pair<E_TransferSyntax, const char*> cases[] = {
      {EXS_LittleEndianImplicit, "implicit"},
      {EXS_LittleEndianExplicit, "explicit"},
      {EXS_BigEndianExplicit, "big"},
      {EXS_DeflatedLittleEndianExplicit, "deflated"},
      {EXS_JPEGProcess1, "jpeg"}};
  for (const auto& [xfer, name] : cases) {
    const std::string path = DcmtkFile(xfer, name);
    EXPECT_TRUE(ScreenDataSetFile(path).ok()) << name << ": " << ScreenDataSetFile(path).ToString();
    EXPECT_TRUE(ScreenDataSetBytes(Slurp(path)).ok()) << name;
  }
}

TEST(DataSetScreenTest, NestingUpToTheLimitPasses) {
  EXPECT_TRUE(ScreenDataSetBytes(File(Nested(16))).ok());
  EXPECT_TRUE(ScreenDataSetBytes(File(NestedDefined(16))).ok());
}

TEST(DataSetScreenTest, NestingPastTheLimitIsRefused) {
  for (const std::string& file : {File(Nested(17)), File(NestedDefined(17))}) {
    Status s = ScreenDataSetBytes(file);
    EXPECT_EQ(s.code(), StatusCode::kMalformed);
    EXPECT_NE(s.message().find("nested deeper than 16"), std::string::npos) << s.ToString();
  }
  ScreenLimits shallow;
  shallow.max_depth = 3;
  EXPECT_TRUE(ScreenDataSetBytes(File(Nested(3)), shallow).ok());
  EXPECT_EQ(ScreenDataSetBytes(File(Nested(4)), shallow).code(), StatusCode::kMalformed);
}

TEST(DataSetScreenTest, AHundredThousandLevelsAreRefusedWithoutRecursion) {
  EXPECT_EQ(ScreenDataSetBytes(File(Nested(100000))).code(), StatusCode::kMalformed);
}

TEST(DataSetScreenTest, ImplicitSequencesAreFoundThroughTheDictionary) {
  // Defined-length sequences in implicit VR carry no "SQ": only the dictionary knows.
  Bytes b;
  b.Implicit(0x0008, 0x0060, 2).s += "CT";
  for (int i = 0; i < 17; ++i) b.Implicit(0x0008, 0x1115, kUndefined).Item();
  Status s = ScreenDataSetBytes(File(b, kImplicitLE));
  EXPECT_EQ(s.code(), StatusCode::kMalformed) << s.ToString();

  // Undefined-length UN in explicit VR holds implicit VR items (PS3.5 6.2.2).
  Bytes un = Header();
  un.LongHeader(0x0009, 0x1010, "UN", kUndefined).Item();
  un.Implicit(0x0009, 0x1011, 2).s += "AB";
  un.ItemEnd().SequenceEnd();
  EXPECT_TRUE(ScreenDataSetBytes(File(un)).ok()) << ScreenDataSetBytes(File(un)).ToString();
}

TEST(DataSetScreenTest, ElementCountPastTheLimitIsRefused) {
  Bytes b = Header();
  b.LongHeader(0xFFFA, 0xFFFA, "SQ", kUndefined);
  for (int i = 0; i < 100; ++i) b.Item(0);
  b.SequenceEnd();
  ScreenLimits small;
  small.max_elements = 103;  // two elements, the sequence and its delimiter
  EXPECT_EQ(ScreenDataSetBytes(File(b), small).code(), StatusCode::kMalformed);
  small.max_elements = 104;
  EXPECT_TRUE(ScreenDataSetBytes(File(b), small).ok());
}

TEST(DataSetScreenTest, AMillionEmptyItemsAreRefusedByDefault) {
  Bytes b = Header();
  b.LongHeader(0xFFFA, 0xFFFA, "SQ", kUndefined);
  for (int i = 0; i < 1'000'001; ++i) b.Item(0);
  b.SequenceEnd();
  Status s = ScreenDataSetBytes(File(b));
  EXPECT_NE(s.message().find("more than 1000000 elements"), std::string::npos) << s.ToString();
}

TEST(DataSetScreenTest, LengthsThatLieAreRefused) {
  std::vector<Bytes> lies(6, Header());
  lies[0].LongHeader(0x7FE0, 0x0010, "OW", 1000).s += std::string(10, '\0');  // past the file
  lies[1].LongHeader(0x0040, 0xA730, "SQ", 1000).Item(0);                     // sequence too
  lies[2].LongHeader(0x0040, 0xA730, "SQ", 8).Item(100);  // item longer than its sequence
  lies[2].s += std::string(100, '\0');
  lies[3].LongHeader(0x0040, 0xA730, "SQ", 16).Item(8);  // value longer than its item
  lies[3].Short(0x0008, 0x0060, "CS", "CTCT");
  lies[4].LongHeader(0x7FE0, 0x0010, "OB", kUndefined).Item(0).Item(500).SequenceEnd();
  lies[5].s += "\x08\x00";  // ends inside a tag
  for (size_t i = 0; i < lies.size(); ++i)
    EXPECT_EQ(ScreenDataSetBytes(File(lies[i])).code(), StatusCode::kMalformed) << i;
}

TEST(DataSetScreenTest, MisplacedDelimitersAreRefused) {
  std::vector<Bytes> bad(4, Header());
  bad[0].Item();                                                  // item at the top level
  bad[1].SequenceEnd();                                           // nothing to close
  bad[2].LongHeader(0x0040, 0xA730, "SQ", kUndefined).ItemEnd();  // item end in a sequence
  bad[3].LongHeader(0x0040, 0xA730, "SQ", kUndefined).Short(0x0008, 0x0060, "CS", "CT");
  for (size_t i = 0; i < bad.size(); ++i)
    EXPECT_EQ(ScreenDataSetBytes(File(bad[i])).code(), StatusCode::kMalformed) << i;
}

TEST(DataSetScreenTest, EncapsulatedPixelDataIsSkippedFragmentByFragment) {
  Bytes b = Header();
  b.LongHeader(0x7FE0, 0x0010, "OB", kUndefined).Item(0).Item(4);
  b.s += "\xFF\xD8\xFF\xD9";
  b.SequenceEnd().LongHeader(0xFFFC, 0xFFFC, "OB", 2).s += std::string(2, '\0');
  EXPECT_TRUE(ScreenDataSetBytes(File(b)).ok()) << ScreenDataSetBytes(File(b)).ToString();
}

std::string Deflated(const std::string& raw) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, raw.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(DataSetScreenTest, DeflatedDataSetsAreScreenedAsTheyInflate) {
  const char* const deflated = "1.2.840.10008.1.2.1.99";
  EXPECT_TRUE(ScreenDataSetBytes(Meta(deflated) + Deflated(Nested(5).s)).ok());
  EXPECT_EQ(ScreenDataSetBytes(Meta(deflated) + Deflated(Nested(100000).s)).code(),
            StatusCode::kMalformed);
  // A bomb: a megabyte of zeros in one value inflates past a small budget.
  Bytes bomb = Header();
  bomb.LongHeader(0x7FE0, 0x0010, "OB", 1 << 20).s += std::string(1 << 20, '\0');
  ScreenLimits budget;
  budget.max_inflated_bytes = 64 * 1024;
  Status s = ScreenDataSetBytes(Meta(deflated) + Deflated(bomb.s), budget);
  EXPECT_NE(s.message().find("inflates past"), std::string::npos) << s.ToString();
  EXPECT_TRUE(ScreenDataSetBytes(Meta(deflated) + Deflated(bomb.s)).ok())
      << ScreenDataSetBytes(Meta(deflated) + Deflated(bomb.s)).ToString();
  EXPECT_EQ(ScreenDataSetBytes(Meta(deflated) + "garbage!").code(), StatusCode::kMalformed);
}

TEST(DataSetScreenTest, FilesWithoutMetaHeaderAreRefused) {
  EXPECT_EQ(ScreenDataSetBytes("").code(), StatusCode::kMalformed);
  EXPECT_EQ(ScreenDataSetBytes(Header().s).code(), StatusCode::kMalformed);
  EXPECT_EQ(ScreenDataSetFile("/nonexistent/x.dcm").code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace telerad::dicom
