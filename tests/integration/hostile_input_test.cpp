// Malformed and hostile data sets get a failure status, write nothing outside the
// storage root, index nothing, log the refusal without patient data, and the
// association and the server keep serving.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/oflog/oflog.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class HostileInputTest : public ServerTest {
 protected:
};

TEST_F(HostileInputTest, MalformedUidsAreRefusedWhileGoodInstancesInTheSameAssociationAreStored) {
  // Each defect below reaches the server: storescu itself refuses files without a SOP
  // Instance UID or with an unknown SOP class (those are covered by unit tests and by
  // UnexpectedSopClassIsNotNegotiated).
  const std::vector<std::string> defects = {"missing-study-uid", "long-uid", "path-uid",
                                            "bad-uid-chars"};
  std::vector<std::string> files;
  int seed = 500;
  for (const auto& defect : defects) {
    const std::string dir = data_ + "/" + defect;
    Generate(dir, "--rows 16 --cols 16 --patient-name 'SECRET^PERSON' --defect " + defect +
                      " --seed " + std::to_string(seed++));
    for (const auto& f : FilesIn(dir)) files.push_back(f);
  }
  Generate(data_ + "/good", "--rows 16 --cols 16 --instances 2 --seed " + std::to_string(seed));
  for (const auto& f : FilesIn(data_ + "/good")) files.push_back(f);

  // The storage root's parent is the shared temporary folder, where another program's
  // "x" may exist: what matters is that the store does not create or change it.
  const std::filesystem::path outside = std::filesystem::path(server_->storage).parent_path() / "x";
  const bool outside_existed = std::filesystem::exists(outside);
  const auto outside_written = outside_existed ? std::filesystem::last_write_time(outside)
                                               : std::filesystem::file_time_type{};

  StoreOutcome outcome = StoreScu(server_->dicom_port, files);  // one association for all
  EXPECT_EQ(outcome.failed.size(), defects.size()) << outcome.output;
  EXPECT_EQ(outcome.stored.size(), 2u) << outcome.output;
  EXPECT_NE(outcome.output.find("CannotUnderstand"), std::string::npos) << outcome.output;

  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "2");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM study"), "1");
  EXPECT_EQ(StoredFiles(server_->storage).size(), 2u);  // the two good ones, nothing staged
  // Nothing written where path-uid ("<uid>/../../x") points, inside or outside the root.
  const std::filesystem::path root(server_->storage);
  EXPECT_FALSE(std::filesystem::exists(root / "x"));
  EXPECT_EQ(std::filesystem::exists(outside), outside_existed);
  if (outside_existed) {
    EXPECT_EQ(std::filesystem::last_write_time(outside), outside_written);
  }

  const std::string log = server_->Log();
  EXPECT_NE(log.find("event=instance_refused calling_ae=DEMO_SCU"), std::string::npos) << log;
  EXPECT_NE(log.find("malformed Study Instance UID"), std::string::npos) << log;
  EXPECT_NE(log.find("malformed Series Instance UID"), std::string::npos) << log;
  EXPECT_EQ(log.find("SECRET"), std::string::npos) << "patient data in the log";
  EXPECT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));
}

TEST_F(HostileInputTest, UnexpectedSopClassIsNotNegotiated) {
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  DcmSCU scu;
  scu.setAETitle("DEMO_SCU");
  scu.setPeerAETitle("TELERAD");
  scu.setPeerHostName("127.0.0.1");
  scu.setPeerPort(static_cast<Uint16>(server_->dicom_port));
  OFList<OFString> syntaxes;
  syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
  scu.addPresentationContext("1.2.3.4.5.6.7", syntaxes);
  ASSERT_TRUE(scu.initNetwork().good());
  EXPECT_TRUE(scu.negotiateAssociation().bad());
  EXPECT_NE(server_->Log().find("no acceptable presentation contexts"), std::string::npos)
      << server_->Log();
  EXPECT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));
}

TEST_F(HostileInputTest, StudyUidOfAnotherFacilityIsRefused) {
  db_.Scalar(
      "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('B', 'Other', 'Увс', "
      "'OTHER_SCU')");
  Generate(data_, "--rows 16 --cols 16 --instances 2 --seed 600");
  auto files = FilesIn(data_);
  ASSERT_EQ(StoreScu(server_->dicom_port, {files[0]}).stored.size(), 1u);
  // The same study (and series) from another facility: its images must not join ours.
  StoreOutcome other = StoreScu(server_->dicom_port, {files[1]}, "OTHER_SCU");
  EXPECT_TRUE(other.stored.empty()) << other.output;
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "1");
  EXPECT_EQ(StoredFiles(server_->storage).size(), 1u);
}

}  // namespace
}  // namespace telerad::testing
