// A real DICOMweb peer as a facility's gateway: Debian's Orthanc with its DICOMweb plugin
// (orthanc-dicomweb), configured with a DicomWeb server entry pointing at telerad's
// /dicomweb and the facility's machine token in HttpHeaders, sends a study by STOW-RS
// (POST /dicom-web/servers/telerad/stow) and telerad indexes it, as the README's
// "Storing over HTTPS" describes for a facility behind NAT.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

constexpr const char* kOrthanc = "/usr/sbin/Orthanc";
constexpr const char* kDicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

// Orthanc as a child process on free ports, in a folder of its own.
class OrthancGateway {
 public:
  OrthancGateway(const std::string& dir, int telerad_port, const std::string& token)
      : http_port_(FreePort()) {
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
           {{"telerad",
             {{"Url", "http://127.0.0.1:" + std::to_string(telerad_port) + "/dicomweb/"},
              {"HttpHeaders", {{"Authorization", "Bearer " + token}}}}}}}}}};
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
  }
  int port() const { return http_port_; }
  std::string Log() const { return ReadFile(log_); }

 private:
  int http_port_;
  pid_t pid_ = -1;
  std::string log_;
};

class StowOrthancTest : public ServerTest {};

TEST_F(StowOrthancTest, OrthancWithItsDicomWebPluginStoresAStudyWithAMachineToken) {
  if (::access(kOrthanc, X_OK) != 0 || ::access(kDicomWebPlugin, R_OK) != 0)
    GTEST_SKIP() << "orthanc and orthanc-dicomweb are not installed (scripts/test installs them)";
  const std::string admin = Login(server_->http_port, "admin");
  HttpResponse created = Http("POST", server_->http_port, "/api/v1/facilities/DEMO/machine-tokens",
                              R"({"name":"orthanc"})", admin);
  ASSERT_EQ(created.status, 201) << created.body;
  OrthancGateway orthanc(MakeTempDir("telerad-orthanc"), server_->http_port,
                         created.json["token"].get<std::string>());
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
}

}  // namespace
}  // namespace telerad::testing
