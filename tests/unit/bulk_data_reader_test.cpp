#include "dicom/bulk_data_reader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace telerad::dicom {
namespace {

// A CT whose icon image (0088,0200) item 0 holds 8-bit pixels 0..255 repeated, and whose
// encapsulated document (0042,0011) holds 3000 bytes; saved in `xfer`.
std::string WriteFile(const std::string& name, E_TransferSyntax xfer) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6");
  std::vector<Uint8> document(3000);
  for (size_t i = 0; i < document.size(); ++i) document[i] = static_cast<Uint8>(i * 7);
  ds->putAndInsertUint8Array(DCM_EncapsulatedDocument, document.data(), document.size());
  DcmItem* icon = nullptr;
  ds->findOrCreateSequenceItem(DCM_IconImageSequence, icon, 0);
  icon->putAndInsertUint16(DCM_Rows, 16);
  icon->putAndInsertUint16(DCM_Columns, 16);
  icon->putAndInsertUint16(DCM_BitsAllocated, 8);
  std::vector<Uint8> icon_pixels(256);
  for (size_t i = 0; i < icon_pixels.size(); ++i) icon_pixels[i] = static_cast<Uint8>(i);
  icon->putAndInsertUint8Array(DCM_PixelData, icon_pixels.data(), icon_pixels.size());
  Uint16 pixels[4] = {1, 2, 3, 4};
  ds->putAndInsertUint16Array(DCM_PixelData, pixels, 4);
  const std::string path = ::testing::TempDir() + "bulk_" + name + ".dcm";
  EXPECT_TRUE(file.saveFile(path.c_str(), xfer).good());
  return path;
}

std::string Expected(size_t size, int step) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(static_cast<Uint8>(i * step));
  return bytes;
}

TEST(BulkDataReaderTest, ReadsTopLevelAndNestedValuesInAnyByteOrder) {
  for (E_TransferSyntax xfer :
       {EXS_LittleEndianExplicit, EXS_LittleEndianImplicit, EXS_BigEndianExplicit}) {
    const std::string path = WriteFile(DcmXfer(xfer).getXferID(), xfer);
    auto document = ReadBulkValue(path, "00420011", 1 << 20);
    ASSERT_TRUE(document.ok()) << document.status().ToString();
    EXPECT_TRUE(*document == Expected(3000, 7));
    auto icon = ReadBulkValue(path, "00880200.0.7FE00010", 1 << 20);
    ASSERT_TRUE(icon.ok()) << icon.status().ToString();
    EXPECT_TRUE(*icon == Expected(256, 1));
    auto pixels = ReadBulkValue(path, "7FE00010", 1 << 20);
    ASSERT_TRUE(pixels.ok()) << pixels.status().ToString();
    EXPECT_EQ(*pixels, std::string("\x01\x00\x02\x00\x03\x00\x04\x00", 8));  // little endian
  }
}

TEST(BulkDataReaderTest, PathsThatNameNothingAreNotFound) {
  const std::string path = WriteFile("paths", EXS_LittleEndianExplicit);
  for (const char* bad : {"", "00880200", "00880200.1.7FE00010", "00880200.0.00420011", "00100010",
                          "zz", "00880200..7FE00010", "7FE00010.0.7FE00010"}) {
    EXPECT_EQ(ReadBulkValue(path, bad, 1 << 20).status().code(), StatusCode::kNotFound) << bad;
  }
  EXPECT_EQ(ReadBulkValue(path, "00420011", 100).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ReadBulkValue(::testing::TempDir() + "none.dcm", "00420011", 100).status().code(),
            StatusCode::kInternal);
}

TEST(BulkDataReaderTest, EncapsulatedPixelDataIsServedAsFramesNotAsOneValue) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.7");
  auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
  sequence->insert(new DcmPixelItem(DCM_PixelItemTag));
  auto* fragment = new DcmPixelItem(DCM_PixelItemTag);
  const Uint8 bytes[4] = {0xFF, 0xD8, 0xFF, 0xD9};
  fragment->putUint8Array(bytes, sizeof bytes);
  sequence->insert(fragment);
  auto* pixel_data = new DcmPixelData(DCM_PixelData);
  pixel_data->putOriginalRepresentation(EXS_JPEGProcess14SV1, nullptr, sequence);
  ds->insert(pixel_data, true);
  const std::string path = ::testing::TempDir() + "bulk_encapsulated.dcm";
  ASSERT_TRUE(file.saveFile(path.c_str(), EXS_JPEGProcess14SV1).good());
  EXPECT_EQ(ReadBulkValue(path, "7FE00010", 1 << 20).status().code(), StatusCode::kNotAcceptable);
}

}  // namespace
}  // namespace telerad::dicom
