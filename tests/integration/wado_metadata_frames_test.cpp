// WADO-RS metadata and frames over real HTTP, from what ingest kept; and for instances
// indexed before it kept anything (rows removed here), described from the file on first
// read and kept. Roles and other facilities: role_matrix_test.cpp.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/harness.h"
#include "tests/integration/settled.h"

namespace telerad::testing {
namespace {

class WadoMetadataFramesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    study_ = ReadyStudies(1, 1301, "--instances 3 --rows 32 --cols 16")[0];
    series_ = db_.Scalar("SELECT series_uid FROM series");
    token_ = Login(server_->http_port, "rad1");
  }

  std::string Base() const { return "/dicomweb/studies/" + study_; }
  std::string Instance(const std::string& sop) const {
    return Base() + "/series/" + series_ + "/instances/" + sop;
  }
  std::vector<std::string> Sops() {
    std::vector<std::string> sops;
    for (int n = 1; n <= 3; ++n)
      sops.push_back(db_.Scalar("SELECT sop_instance_uid FROM instance WHERE instance_number = " +
                                std::to_string(n)));
    return sops;
  }
  // What an instance indexed before schema 0011/0012 has: no description rows.
  void Forget(const std::string& sop) {
    const std::string id = "(SELECT id FROM instance WHERE sop_instance_uid = '" + sop + "')";
    db_.Scalar("DELETE FROM instance_metadata WHERE instance_id = " + id);
    db_.Scalar("DELETE FROM instance_pixel_layout WHERE instance_id = " + id);
  }

  std::string study_, series_, token_;
};

TEST_F(WadoMetadataFramesTest, MetadataAtEachLevelIsTheKeptJson) {
  HttpResponse study = Http("GET", server_->http_port, Base() + "/metadata", "", token_);
  ASSERT_EQ(study.status, 200) << study.body;
  const std::vector<std::string> sops = Sops();
  ASSERT_EQ(study.json.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {  // in instance number order
    EXPECT_EQ(study.json[i]["00080018"]["Value"][0], sops[i]);
    EXPECT_EQ(study.json[i]["00280010"]["Value"][0], 32);
    EXPECT_EQ(study.json[i]["7FE00010"]["BulkDataURI"], Instance(sops[i]) + "/bulk/7FE00010");
  }
  HttpResponse series =
      Http("GET", server_->http_port, Base() + "/series/" + series_ + "/metadata", "", token_);
  EXPECT_EQ(series.json, study.json);
  HttpResponse one = Http("GET", server_->http_port, Instance(sops[1]) + "/metadata", "", token_);
  ASSERT_EQ(one.json.size(), 1u);
  EXPECT_EQ(one.json[0], study.json[1]);

  EXPECT_EQ(Http("GET", server_->http_port, Base() + "/series/1.2.3/metadata", "", token_).status,
            404);
  EXPECT_EQ(Http("GET", server_->http_port, Instance("1.2.3") + "/metadata", "", token_).status,
            404);
  // Image reads are in the trail once per session, refusals each time (committed
  // asynchronously: wait for them; image_audit_once_test.cpp has the rest).
  const std::string where = "action = 'study.images' AND object_id = '" + study_ +
                            "' AND username = 'rad1' AND outcome = ";
  for (int i = 0; i < 50 && db_.Scalar("SELECT count(*) FROM audit_event WHERE " + where +
                                       "'not_found'") != "2";
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM audit_event WHERE " + where + "'not_found'"), "2");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM audit_event WHERE " + where + "'success'"), "1");
}

TEST_F(WadoMetadataFramesTest, FramesAreTheStoredBytesInTheOrderAsked) {
  const std::string sop = Sops()[0];
  WaitUntilSettled(server_->storage);
  const std::string stored = ReadFile(
      server_->storage + "/" +
      db_.Scalar("SELECT storage_key FROM instance WHERE sop_instance_uid = '" + sop + "'"));
  const std::string pixels = stored.substr(stored.size() - 32 * 16 * 2);  // the last element

  HttpResponse r = Http("GET", server_->http_port, Instance(sop) + "/frames/1,1", "", token_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto parts = MultipartParts(r.body);
  ASSERT_EQ(parts.size(), 2u);
  for (const auto& [headers, bytes] : parts) {
    EXPECT_EQ(headers,
              "Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
    EXPECT_EQ(bytes, pixels);
  }
  EXPECT_EQ(Http("GET", server_->http_port, Instance(sop) + "/frames/2", "", token_).status, 404);
  for (const char* bad : {"0", "1,,2", "a", "1,", "-1"})
    EXPECT_EQ(Http("GET", server_->http_port, Instance(sop) + "/frames/" + bad, "", token_).status,
              400)
        << bad;
}

TEST_F(WadoMetadataFramesTest, PixelDataBulkDataIsTheStoredValue) {
  const std::string sop = Sops()[1];
  const std::string stored = ReadFile(
      server_->storage + "/" +
      db_.Scalar("SELECT storage_key FROM instance WHERE sop_instance_uid = '" + sop + "'"));
  const std::string pixels = stored.substr(stored.size() - 32 * 16 * 2);
  HttpResponse meta = Http("GET", server_->http_port, Instance(sop) + "/metadata", "", token_);
  ASSERT_EQ(meta.status, 200);
  const std::string uri = meta.json[0]["7FE00010"]["BulkDataURI"];

  HttpResponse multipart = Http("GET", server_->http_port, uri, "", token_);
  ASSERT_EQ(multipart.status, 200) << multipart.body;
  auto parts = MultipartParts(multipart.body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].first,
            "Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
  EXPECT_EQ(parts[0].second, pixels);
  HttpResponse single =
      Http("GET", server_->http_port, uri, "", token_, {"Accept: application/octet-stream"});
  ASSERT_EQ(single.status, 200);
  EXPECT_EQ(single.body, pixels);
  EXPECT_EQ(Http("GET", server_->http_port, uri, "", token_, {"Accept: image/png"}).status, 406);
  EXPECT_EQ(Http("GET", server_->http_port, Instance(sop) + "/bulk/00100010", "", token_).status,
            404);
  EXPECT_EQ(
      Http("GET", server_->http_port, Instance("1.2.3") + "/bulk/7FE00010", "", token_).status,
      404);
}

// Every other BulkDataURI the metadata gives (a large binary value, pixel data inside a
// sequence) is served too: its value read from the stored file.
TEST_F(WadoMetadataFramesTest, EveryBulkDataUriOfTheMetadataAnswersItsValue) {
  const std::string sop = "1.2.826.0.1.3680043.10.1078.99.3.1";
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, sop.c_str());
  ds->putAndInsertString(DCM_StudyInstanceUID, study_.c_str());
  ds->putAndInsertString(DCM_SeriesInstanceUID, series_.c_str());
  ds->putAndInsertString(DCM_Modality, "CT");
  ds->putAndInsertString(DCM_InstanceNumber, "4");
  std::string document(3000, '\0');
  for (size_t i = 0; i < document.size(); ++i) document[i] = static_cast<char>(i * 7);
  ds->putAndInsertUint8Array(DCM_EncapsulatedDocument,
                             reinterpret_cast<const Uint8*>(document.data()), document.size());
  DcmItem* icon = nullptr;
  ASSERT_TRUE(ds->findOrCreateSequenceItem(DCM_IconImageSequence, icon, 0).good());
  std::string icon_pixels(64, '\0');
  for (size_t i = 0; i < icon_pixels.size(); ++i) icon_pixels[i] = static_cast<char>(255 - i);
  icon->putAndInsertUint16(DCM_Rows, 8);
  icon->putAndInsertUint16(DCM_Columns, 8);
  icon->putAndInsertUint16(DCM_BitsAllocated, 8);
  icon->putAndInsertUint8Array(DCM_PixelData, reinterpret_cast<const Uint8*>(icon_pixels.data()),
                               icon_pixels.size());
  const std::string path = data_ + "/bulk.dcm";
  ASSERT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  ASSERT_EQ(StoreScu(server_->dicom_port, {path}).stored.size(), 1u);

  HttpResponse meta = Http("GET", server_->http_port, Instance(sop) + "/metadata", "", token_);
  ASSERT_EQ(meta.status, 200) << meta.body;
  const std::string document_uri = meta.json[0]["00420011"]["BulkDataURI"];
  const std::string icon_uri = meta.json[0]["00880200"]["Value"][0]["7FE00010"]["BulkDataURI"];
  EXPECT_EQ(icon_uri, Instance(sop) + "/bulk/00880200.0.7FE00010");
  const std::vector<std::string> octets = {"Accept: application/octet-stream"};
  HttpResponse got_document = Http("GET", server_->http_port, document_uri, "", token_, octets);
  ASSERT_EQ(got_document.status, 200) << got_document.body;
  EXPECT_TRUE(got_document.body == document);
  HttpResponse got_icon = Http("GET", server_->http_port, icon_uri, "", token_);
  ASSERT_EQ(got_icon.status, 200) << got_icon.body;
  auto parts = MultipartParts(got_icon.body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].second == icon_pixels);
  EXPECT_EQ(Http("GET", server_->http_port, Instance(sop) + "/bulk/00880200.1.7FE00010", "", token_)
                .status,
            404);
}

TEST_F(WadoMetadataFramesTest, AnInstanceIndexedBeforeIsDescribedOnFirstReadAndKept) {
  const std::vector<std::string> sops = Sops();
  HttpResponse before =
      Http("GET", server_->http_port, Base() + "/series/" + series_ + "/metadata", "", token_);
  ASSERT_EQ(before.status, 200);
  Forget(sops[0]);
  Forget(sops[2]);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance_metadata"), "1");

  HttpResponse after =
      Http("GET", server_->http_port, Base() + "/series/" + series_ + "/metadata", "", token_);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json, before.json);  // the same description as ingest's
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance_metadata"), "3");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance_pixel_layout"), "3");

  // Frames of a forgotten instance: described from the file too.
  Forget(sops[1]);
  HttpResponse frames =
      Http("GET", server_->http_port, Instance(sops[1]) + "/frames/1", "", token_);
  ASSERT_EQ(frames.status, 200) << frames.body;
  EXPECT_EQ(MultipartParts(frames.body).at(0).second.size(), 32u * 16u * 2u);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance_pixel_layout"), "3");
}

}  // namespace
}  // namespace telerad::testing
