// Ingest describes every instance in its index transaction (schema 0011, 0012): the new
// header columns, the DICOM JSON row and the pixel layout row, for files sent with
// storescu as a facility sends them, uncompressed and RLE-encapsulated.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/harness.h"
#include "tests/integration/settled.h"

namespace telerad::testing {
namespace {

class InstanceDescriptionTest : public ServerTest {};

TEST_F(InstanceDescriptionTest, EachStoredInstanceHasItsMetadataAndLayout) {
  auto studies = Generate(data_, "--modality CT --instances 3 --rows 64 --cols 32 --seed 31");
  ASSERT_EQ(studies.size(), 1u);
  auto files = FilesIn(data_);
  ASSERT_EQ(StoreScu(server_->dicom_port, files).stored.size(), 3u);

  EXPECT_EQ(db_.Scalar("SELECT study_time || '|' || dicom_study_id FROM study"), "120000|1");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance WHERE rows = 64 AND columns = 32 AND"
                       " bits_allocated = 16 AND number_of_frames = 1"),
            "3");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance_metadata"), "3");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance_pixel_layout"), "3");

  for (const std::string& sent : files) {
    const std::string sop = SopInstanceUidOf(sent);
    const std::string where = " WHERE i.sop_instance_uid = '" + sop + "'";
    auto metadata = nlohmann::json::parse(db_.Scalar(
        "SELECT m.dicom_json FROM instance_metadata m JOIN instance i ON i.id = m.instance_id" +
        where));
    EXPECT_EQ(metadata["00080018"]["Value"][0], sop);
    EXPECT_EQ(metadata["00083002"]["Value"][0], "1.2.840.10008.1.2.1");
    EXPECT_EQ(metadata["00080005"]["Value"][0], "ISO_IR 192");
    const std::string uri = metadata["7FE00010"]["BulkDataURI"];
    EXPECT_NE(uri.find("/instances/" + sop + "/bulk/7FE00010"), std::string::npos) << uri;
    EXPECT_FALSE(metadata["7FE00010"].contains("InlineBinary"));

    // The layout names bytes of the stored file: here the pixel data, the file's last
    // element, is its last 64 x 32 x 2 bytes.
    const std::string key = db_.Scalar("SELECT storage_key FROM instance i" + where);
    WaitUntilSettled(server_->storage);
    const std::string stored = ReadFile(server_->storage + "/" + key);
    EXPECT_EQ(db_.Scalar("SELECT encapsulated::text || '|' || frame_bytes || '|' ||"
                         " (value_offset + frame_bytes) FROM instance_pixel_layout l"
                         " JOIN instance i ON i.id = l.instance_id" +
                         where),
              "false|4096|" + std::to_string(stored.size()));
  }
}

TEST_F(InstanceDescriptionTest, EncapsulatedInstanceHasItsFragments) {
  Generate(data_ + "/native", "--modality CT --instances 1 --rows 64 --cols 64 --seed 32");
  const std::string native = FilesIn(data_ + "/native").at(0);
  const std::string rle = data_ + "/rle.dcm";
  ASSERT_EQ(RunCommand("dcmcrle " + Quote(native) + " " + Quote(rle)).exit_code, 0);
  ASSERT_EQ(StoreScu(server_->dicom_port, {rle}, "DEMO_SCU", "-xr").stored.size(), 1u);

  EXPECT_EQ(db_.Scalar("SELECT transfer_syntax_uid FROM instance"), "1.2.840.10008.1.2.5");
  EXPECT_EQ(db_.Scalar("SELECT encapsulated::text || '|' || number_of_frames || '|' ||"
                       " cardinality(fragment_offsets) || '|' || frame_first_fragment::text"
                       " FROM instance_pixel_layout"),
            "true|1|1|{0}");
  // The fragment starts with the RLE header: two segments (16-bit pixels, PS3.5 G.4).
  WaitUntilSettled(server_->storage);
  const std::string stored =
      ReadFile(server_->storage + "/" + db_.Scalar("SELECT storage_key FROM instance"));
  const size_t offset =
      std::stoul(db_.Scalar("SELECT fragment_offsets[1] FROM instance_pixel_layout"));
  EXPECT_EQ(stored.substr(offset, 8), std::string("\x02\x00\x00\x00\x40\x00\x00\x00", 8));
  auto metadata = nlohmann::json::parse(db_.Scalar("SELECT dicom_json FROM instance_metadata"));
  EXPECT_EQ(metadata["00083002"]["Value"][0], "1.2.840.10008.1.2.5");
  EXPECT_TRUE(metadata["7FE00010"].contains("BulkDataURI"));
}

}  // namespace
}  // namespace telerad::testing
