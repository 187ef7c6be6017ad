// Data sets built to hurt DCMTK's parser (issue 12, item 2): nested 100,000 deep, a
// million elements, lengths that lie. Each gets a failure status, nothing is kept or
// indexed, and the association, the server and a restarted server keep serving.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dimse.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <string>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

// The Media Storage SOP Instance UID (0002,0003) of a Part 10 file, read from its meta
// header alone: dcmdump would parse the hostile data set behind it.
std::string MetaSopInstanceUid(const std::string& path) {
  const std::string bytes = ReadFile(path);
  const size_t at = bytes.find(std::string("\x02\x00\x03\x00UI", 6), 132);
  if (at == std::string::npos || at + 8 > bytes.size()) return "";
  const size_t length = static_cast<unsigned char>(bytes[at + 6]);
  std::string uid = bytes.substr(at + 8, length);
  while (!uid.empty() && uid.back() == '\0') uid.pop_back();
  return uid;
}

// One implicit VR little endian element of a command set (PS3.7 6.3.1).
void CommandElement(std::string& out, uint16_t element, std::string value) {
  if (value.size() % 2) value += '\0';
  const uint32_t length = static_cast<uint32_t>(value.size());
  const unsigned char head[8] = {0,
                                 0,
                                 static_cast<unsigned char>(element & 0xFF),
                                 static_cast<unsigned char>(element >> 8),
                                 static_cast<unsigned char>(length & 0xFF),
                                 static_cast<unsigned char>(length >> 8 & 0xFF),
                                 0,
                                 0};
  out.append(reinterpret_cast<const char*>(head), sizeof head);
  out += value;
}

std::string U16(uint16_t v) { return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; }

// A C-STORE-RQ command set (PS3.7 9.3.1.1), group length first.
std::string StoreCommand(uint16_t message_id, const std::string& sop_instance_uid) {
  std::string body;
  CommandElement(body, 0x0002, UID_CTImageStorage);
  CommandElement(body, 0x0100, U16(0x0001));
  CommandElement(body, 0x0110, U16(message_id));
  CommandElement(body, 0x0700, U16(0x0000));
  CommandElement(body, 0x0800, U16(0x0000));  // anything but 0x0101: a data set follows
  CommandElement(body, 0x1000, sop_instance_uid);
  const uint32_t n = static_cast<uint32_t>(body.size());
  std::string command;
  CommandElement(command, 0x0000,
                 {static_cast<char>(n & 0xFF), static_cast<char>(n >> 8 & 0xFF),
                  static_cast<char>(n >> 16 & 0xFF), static_cast<char>(n >> 24)});
  return command + body;
}

bool SendPdvs(T_ASC_Association* assoc, DUL_DATAPDV type, const std::string& bytes) {
  size_t at = 0;
  do {
    const size_t n = std::min<size_t>(bytes.size() - at, assoc->sendPDVLength);
    DUL_PDV pdv{};
    pdv.fragmentLength = n;
    pdv.presentationContextID = 1;
    pdv.pdvType = type;
    pdv.lastPDV = at + n == bytes.size();
    pdv.data = const_cast<char*>(bytes.data() + at);
    DUL_PDVLIST list{};
    list.count = 1;
    list.pdv = &pdv;
    if (DUL_WritePDVs(&assoc->DULassociation, &list).bad()) return false;
    at += n;
  } while (at < bytes.size());
  return true;
}

// Sends each file's data set bytes as they are, one C-STORE each in one association from
// DEMO_SCU, without parsing them: storescu, DcmSCU and even DIMSE_sendMessageUsingFileData
// load a file with DCMTK first, and DCMTK 3.6.7 would overflow the test's own stack on the
// nested one (or quietly rewrite a lie). So the P-DATA PDVs are written here. Returns the
// DIMSE status of each answer; -1 for a request that got no answer (none is sent after).
std::vector<int> StoreRaw(int port, const std::vector<std::string>& paths) {
  std::vector<int> statuses;
  T_ASC_Network* net = nullptr;
  T_ASC_Parameters* params = nullptr;
  T_ASC_Association* assoc = nullptr;
  if (ASC_initializeNetwork(NET_REQUESTOR, 0, 30, &net).bad()) return statuses;
  ASC_createAssociationParameters(&params, ASC_DEFAULTMAXPDU);
  ASC_setAPTitles(params, "DEMO_SCU", "TELERAD", nullptr);
  ASC_setPresentationAddresses(params, "localhost", ("127.0.0.1:" + std::to_string(port)).c_str());
  const char* syntaxes[] = {UID_LittleEndianExplicitTransferSyntax};
  ASC_addPresentationContext(params, 1, UID_CTImageStorage, syntaxes, 1);
  if (ASC_requestAssociation(net, params, &assoc).good() &&
      ASC_countAcceptedPresentationContexts(params) == 1) {
    for (const auto& path : paths) {
      T_DIMSE_Message rsp{};
      T_ASC_PresentationContextID id = 0;
      DcmDataset* detail = nullptr;
      const bool answered =
          SendPdvs(assoc, DUL_COMMANDPDV,
                   StoreCommand(assoc->nextMsgID++, MetaSopInstanceUid(path))) &&
          SendPdvs(assoc, DUL_DATASETPDV, DataSetBytes(path)) &&
          DIMSE_receiveCommand(assoc, DIMSE_BLOCKING, 0, &id, &rsp, &detail).good() &&
          rsp.CommandField == DIMSE_C_STORE_RSP;
      delete detail;
      statuses.push_back(answered ? rsp.msg.CStoreRSP.DimseStatus : -1);
      if (!answered) break;
    }
    if (statuses.size() == paths.size() && statuses.back() != -1)
      ASC_releaseAssociation(assoc);
    else
      ASC_abortAssociation(assoc);
    ASC_destroyAssociation(&assoc);
  } else if (assoc != nullptr) {
    ASC_destroyAssociation(&assoc);
  } else {
    ASC_destroyAssociationParameters(&params);
  }
  ASC_dropNetwork(&net);
  return statuses;
}

class HostileDataSetTest : public ServerTest {
 protected:
  std::string One(const std::string& name, const std::string& args) {
    Generate(data_ + "/" + name, "--rows 16 --cols 16 --patient-name SECRET^PERSON " + args);
    auto files = FilesIn(data_ + "/" + name);
    EXPECT_EQ(files.size(), 1u);
    return files.empty() ? "" : files[0];
  }

  void ExpectServing(int seed) {
    EXPECT_EQ(::kill(server_->pid(), 0), 0) << "the server died";
    const std::string good = One("good" + std::to_string(seed), "--seed " + std::to_string(seed));
    EXPECT_EQ(StoreScu(server_->dicom_port, {good}).stored.size(), 1u);
    EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 200);
  }
};

TEST_F(HostileDataSetTest, DataSetNestedAHundredThousandDeepIsRefusedAndTheServerServesOn) {
  const std::string deep = One("deep", "--defect deep-nesting --seed 700");
  const std::string good = One("good", "--seed 701");
  // The refusal leaves the association in step: the next instance in it is stored.
  EXPECT_EQ(StoreRaw(server_->dicom_port, {deep, good}), (std::vector<int>{0xC000, 0x0000}));
  ExpectServing(702);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "2");
  EXPECT_EQ(StoredFiles(server_->storage).size(), 2u);
  EXPECT_TRUE(PartialStagingFiles(server_->storage).empty());

  const std::string log = server_->Log();
  EXPECT_NE(log.find("event=instance_refused calling_ae=DEMO_SCU peer=127.0.0.1 status=0xC000 "
                     "reason=\"sequences nested deeper than 16\""),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("SECRET"), std::string::npos) << "patient data in the log";

  // The same traffic after a restart: nothing was kept that could crash it again.
  ASSERT_EQ(server_->Stop(), 0);
  server_->Start();
  EXPECT_EQ(StoreRaw(server_->dicom_port, {deep}), std::vector<int>{0xC000});
  ExpectServing(703);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "3");
}

TEST_F(HostileDataSetTest, AMillionElementsAndLyingLengthsAreRefused) {
  const std::string many = One("many", "--defect many-elements --seed 710");
  const std::string lying = One("lying", "--defect lying-length --seed 711");
  EXPECT_EQ(StoreRaw(server_->dicom_port, {many, lying}), (std::vector<int>{0xC000, 0xC000}));
  ExpectServing(712);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "1");
  EXPECT_EQ(StoredFiles(server_->storage).size(), 1u);
  const std::string log = server_->Log();
  EXPECT_NE(log.find("more than 1000000 elements"), std::string::npos) << log;
  EXPECT_NE(log.find("an item at byte"), std::string::npos) << log;
}

// The screen's limits are configuration (dicom_max_sequence_depth, dicom_max_elements):
// data sets 8 deep and with 5,000 items pass the defaults (16, a million), and a server
// started with 4 and 2,000 refuses the same shapes while it goes on storing the rest.
TEST_F(HostileDataSetTest, LowerScreenLimitsRefuseWhatTheDefaultsAccept) {
  const auto nested = [this](int seed) {
    return One("nested" + std::to_string(seed),
               "--defect deep-nesting --hostile-size 8 --seed " + std::to_string(seed));
  };
  const auto items = [this](int seed) {
    return One("items" + std::to_string(seed),
               "--defect many-elements --hostile-size 5000 --seed " + std::to_string(seed));
  };
  EXPECT_EQ(StoreRaw(server_->dicom_port, {nested(720), items(721)}),
            (std::vector<int>{0x0000, 0x0000}));
  ASSERT_EQ(server_->Stop(), 0);

  TeleradServer::Options strict = options_;
  strict.env["TELERAD_DICOM_MAX_SEQUENCE_DEPTH"] = "4";
  strict.env["TELERAD_DICOM_MAX_ELEMENTS"] = "2000";
  server_ = std::make_unique<TeleradServer>(db_, strict);
  server_->Start();
  const std::string good = One("good", "--seed 724");
  EXPECT_EQ(StoreRaw(server_->dicom_port, {nested(722), items(723), good}),
            (std::vector<int>{0xC000, 0xC000, 0x0000}));
  ExpectServing(725);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "4");
  const std::string log = server_->Log();
  EXPECT_NE(log.find("max_sequence_depth=4 max_elements=2000"), std::string::npos) << log;
  EXPECT_NE(log.find("reason=\"sequences nested deeper than 4\""), std::string::npos) << log;
  EXPECT_NE(log.find("reason=\"more than 2000 elements\""), std::string::npos) << log;
}

}  // namespace
}  // namespace telerad::testing
