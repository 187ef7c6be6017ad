// A real DICOMweb peer as a facility's gateway: Debian's Orthanc with its DICOMweb plugin
// (orthanc-dicomweb), configured with a DicomWeb server entry pointing at telerad's
// /dicomweb and the facility's machine token in HttpHeaders, sends a study by STOW-RS
// (POST /dicom-web/servers/telerad/stow) and telerad indexes it, as the README's
// "Storing over HTTPS" describes for a facility behind NAT. Then Orthanc reads the study
// back as a DICOMweb client (QIDO, series metadata, a frame) through a second server entry
// carrying a radiologist's token: a machine token may only store. And an empty Orthanc
// retrieves a whole study from telerad by WADO-RS (its plugin's /retrieve), the way a
// facility's PACS would take back what telerad holds.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "tests/integration/harness.h"
#include "tests/integration/settled.h"

namespace telerad::testing {
namespace {

constexpr const char* kOrthanc = "/usr/sbin/Orthanc";
constexpr const char* kDicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

// Orthanc as a child process on free ports, in a folder of its own.
class OrthancGateway {
 public:
  // `token` stores (server entry "telerad"); `reader_token` reads ("telerad-reader").
  OrthancGateway(const std::string& dir, int telerad_port, const std::string& token,
                 const std::string& reader_token)
      : http_port_(FreePort()), dir_(dir) {
    const std::string url = "http://127.0.0.1:" + std::to_string(telerad_port) + "/dicomweb/";
    const nlohmann::json config = {
        {"Name", "facility-gateway"},
        {"StorageDirectory", dir + "/storage"},
        {"IndexDirectory", dir + "/index"},
        {"HttpPort", http_port_},
        {"DicomPort", FreePort()},
        {"RemoteAccessAllowed", false},
        {"AuthenticationEnabled", false},
        {"Plugins", {kDicomWebPlugin}},
        {"DicomWeb",
         {{"Enable", true},
          {"Servers",
           {{"telerad", {{"Url", url}, {"HttpHeaders", {{"Authorization", "Bearer " + token}}}}},
            {"telerad-reader",
             {{"Url", url}, {"HttpHeaders", {{"Authorization", "Bearer " + reader_token}}}}}}}}}};
    const std::string path = dir + "/orthanc.json";
    std::ofstream(path) << config.dump(2);
    log_ = dir + "/orthanc.log";
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::execl(kOrthanc, kOrthanc, path.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 100 && !Listening(http_port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ~OrthancGateway() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    // Kept when the test failed: its log tells why.
    if (!::testing::Test::HasFailure()) RunCommand("rm -rf " + Quote(dir_));
  }
  int port() const { return http_port_; }
  std::string Log() const { return ReadFile(log_); }

 private:
  int http_port_;
  std::string dir_;
  pid_t pid_ = -1;
  std::string log_;
};

class StowOrthancTest : public ServerTest {};

// The first value of `tag` in a DICOM JSON dataset, as text; also in the plugin's
// simplified answer to /servers/{id}/qido, where "Value" is the value itself.
std::string FirstValue(const nlohmann::json& dataset, const char* tag) {
  if (!dataset.is_object() || !dataset.contains(tag) || !dataset[tag].contains("Value")) return "";
  const nlohmann::json& value = dataset[tag]["Value"];
  const nlohmann::json& first = value.is_array() && !value.empty() ? value[0] : value;
  return first.is_string() ? first.get<std::string>() : first.dump();
}

TEST_F(StowOrthancTest, OrthancWithItsDicomWebPluginStoresAStudyWithAMachineToken) {
  if (::access(kOrthanc, X_OK) != 0 || ::access(kDicomWebPlugin, R_OK) != 0)
    GTEST_SKIP() << "orthanc and orthanc-dicomweb are not installed (scripts/test installs them)";
  const std::string admin = Login(server_->http_port, "admin");
  HttpResponse created = Http("POST", server_->http_port, "/api/v1/facilities/DEMO/machine-tokens",
                              R"({"name":"orthanc"})", admin);
  ASSERT_EQ(created.status, 201) << created.body;
  OrthancGateway orthanc(MakeTempDir("telerad-orthanc"), server_->http_port,
                         created.json["token"].get<std::string>(),
                         Login(server_->http_port, "rad1"));
  ASSERT_TRUE(Listening(orthanc.port())) << orthanc.Log();

  // The facility's modality stored a study in its gateway.
  const std::string dir = data_ + "/study";
  auto uids = Generate(dir, "--studies 1 --instances 4 --rows 32 --cols 32 --seed 1401");
  ASSERT_EQ(uids.size(), 1u);
  std::string orthanc_study;
  for (const auto& f : FilesIn(dir)) {
    CommandResult up =
        RunCommand("curl -s -m 20 --data-binary @" + Quote(f) +
                   " http://127.0.0.1:" + std::to_string(orthanc.port()) + "/instances");
    auto answer = nlohmann::json::parse(up.output, nullptr, false);
    ASSERT_TRUE(answer.is_object() && answer.contains("ParentStudy")) << up.output;
    orthanc_study = answer["ParentStudy"];
  }

  // The gateway sends it to telerad by STOW-RS.
  CommandResult stow = RunCommand("curl -s -m 60 -X POST --data-binary " +
                                  Quote(nlohmann::json{{"Resources", {orthanc_study}}}.dump()) +
                                  " http://127.0.0.1:" + std::to_string(orthanc.port()) +
                                  "/dicom-web/servers/telerad/stow");
  auto result = nlohmann::json::parse(stow.output, nullptr, false);
  ASSERT_TRUE(result.is_object()) << stow.output << "\n" << orthanc.Log();
  // The plugin (1.7) reports the count it sent as a string.
  EXPECT_EQ(result.value("InstancesCount", ""), "4") << stow.output;
  EXPECT_EQ(result.value("FailedInstancesCount", "0"), "0") << stow.output;

  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance i JOIN series se ON se.id = i.series_id"
                       " JOIN study s ON s.id = se.study_id JOIN facility f ON f.id = s.facility_id"
                       " WHERE f.code = 'DEMO' AND s.study_uid = '" +
                       uids[0] + "'"),
            "4")
      << orthanc.Log() << "\n"
      << server_->Log();
  EXPECT_EQ(StoredFiles(server_->storage).size(), 4u);
  EXPECT_EQ(db_.Scalar("SELECT username FROM audit_event WHERE action = 'dicomweb.store'"
                       " ORDER BY id LIMIT 1"),
            "machine:DEMO/orthanc");

  // Orthanc reads it back from telerad as a DICOMweb client, with the radiologist's token.
  const std::string gateway = "http://127.0.0.1:" + std::to_string(orthanc.port());
  auto ask = [&](const std::string& route, const nlohmann::json& request) {
    return RunCommand("curl -s -m 60 -X POST --data-binary " + Quote(request.dump()) + " " +
                      gateway + "/dicom-web/servers/telerad-reader/" + route)
        .output;
  };
  const std::string qido =
      ask("qido", {{"Uri", "/studies"}, {"Arguments", {{"StudyInstanceUID", uids[0]}}}});
  const auto studies = nlohmann::json::parse(qido, nullptr, false);
  ASSERT_TRUE(studies.is_array() && studies.size() == 1) << qido << "\n" << orthanc.Log();
  EXPECT_EQ(FirstValue(studies[0], "0020000D"), uids[0]) << qido;
  // NumberOfStudyRelatedInstances: telerad answers IS as a JSON number (PS3.18 F.2.3.1);
  // the plugin (Debian's 1.x) keeps only string values in its simplified answer.
  EXPECT_TRUE(studies[0].contains("00201208")) << qido;

  const auto series = nlohmann::json::parse(
      ask("qido", {{"Uri", "/studies/" + uids[0] + "/series"}}), nullptr, false);
  ASSERT_TRUE(series.is_array() && series.size() == 1) << series.dump();
  const std::string series_uid = FirstValue(series[0], "0020000E");
  ASSERT_FALSE(series_uid.empty()) << series.dump();
  const std::string metadata_text =
      ask("get", {{"Uri", "/studies/" + uids[0] + "/series/" + series_uid + "/metadata"}});
  const auto metadata = nlohmann::json::parse(metadata_text, nullptr, false);
  ASSERT_TRUE(metadata.is_array()) << metadata_text << "\n" << orthanc.Log();
  ASSERT_EQ(metadata.size(), 4u) << metadata_text;
  for (const auto& instance : metadata) {
    EXPECT_EQ(FirstValue(instance, "00280010"), "32") << instance.dump();  // Rows
    EXPECT_TRUE(instance["7FE00010"].contains("BulkDataURI")) << instance.dump();
  }

  // A frame through the plugin's generic GET (it answers the multipart body as it came).
  const std::string sop = FirstValue(metadata[0], "00080018");
  const std::string frame = ask(
      "get",
      {{"Uri", "/studies/" + uids[0] + "/series/" + series_uid + "/instances/" + sop + "/frames/1"},
       {"HttpHeaders", {{"Accept", "multipart/related; type=application/octet-stream"}}}});
  EXPECT_GE(frame.size(), 32u * 32u * 2u) << frame.substr(0, 300) << "\n" << orthanc.Log();

  // The image reads are the radiologist's, in the audit trail (committed asynchronously).
  const std::string reads =
      "SELECT count(*) FROM audit_event WHERE username = 'rad1' AND action = 'study.images'"
      " AND object_id = '" +
      uids[0] + "'";
  for (int i = 0; i < 50 && db_.Scalar(reads) == "0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_NE(db_.Scalar(reads), "0") << server_->Log();
}

TEST_F(StowOrthancTest, OrthancRetrievesAWholeStudyFromTeleradByWadoRs) {
  if (::access(kOrthanc, X_OK) != 0 || ::access(kDicomWebPlugin, R_OK) != 0)
    GTEST_SKIP() << "orthanc and orthanc-dicomweb are not installed (scripts/test installs them)";
  const std::vector<std::string> studies =
      ReadyStudies(1, 1402, "--instances 3 --rows 32 --cols 32");
  ASSERT_EQ(studies.size(), 1u);
  const std::string rad = Login(server_->http_port, "rad1");
  OrthancGateway orthanc(MakeTempDir("telerad-orthanc"), server_->http_port, "unused", rad);
  ASSERT_TRUE(Listening(orthanc.port())) << orthanc.Log();
  const std::string gateway = "http://127.0.0.1:" + std::to_string(orthanc.port());

  CommandResult retrieve =
      RunCommand("curl -s -m 60 -X POST --data-binary " +
                 Quote(nlohmann::json{{"Resources", {{{"Study", studies[0]}}}}}.dump()) + " " +
                 gateway + "/dicom-web/servers/telerad-reader/retrieve");
  auto answer = nlohmann::json::parse(retrieve.output, nullptr, false);
  ASSERT_TRUE(answer.is_object()) << retrieve.output << "\n" << orthanc.Log();

  // Orthanc now holds the study's three instances, each byte for byte the file telerad
  // stored (WADO-RS retrieve sends the stored file as is).
  auto instances =
      nlohmann::json::parse(RunCommand("curl -s " + gateway + "/instances").output, nullptr, false);
  ASSERT_TRUE(instances.is_array()) << orthanc.Log();
  ASSERT_EQ(instances.size(), 3u) << retrieve.output << "\n" << orthanc.Log();
  std::map<std::string, std::string> stored_by_sop;
  WaitUntilSettled(server_->storage);
  for (const std::string& file : StoredFiles(server_->storage))
    stored_by_sop[SopInstanceUidOf(file)] = DataSetBytes(file);
  ASSERT_EQ(stored_by_sop.size(), 3u);
  for (const auto& id : instances) {
    const std::string dir = MakeTempDir("telerad-orthanc-file");
    const std::string path = dir + "/instance.dcm";
    RunCommand("curl -s -o " + Quote(path) + " " + gateway + "/instances/" + id.get<std::string>() +
               "/file");
    const std::string sop = SopInstanceUidOf(path);
    ASSERT_EQ(stored_by_sop.count(sop), 1u) << sop;
    EXPECT_EQ(DataSetBytes(path), stored_by_sop[sop]) << sop;
    RunCommand("rm -rf " + Quote(dir));
  }
}

}  // namespace
}  // namespace telerad::testing
