#include "tests/integration/load_balancer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

namespace telerad::testing {

bool HaproxyInstalled() { return RunCommand("command -v haproxy").exit_code == 0; }

std::string DockerDir() {
  return std::filesystem::path(SchemaDir()).parent_path().string() + "/docker";
}

LoadBalancer::LoadBalancer(const TeleradServer& first, const TeleradServer& second) {
  dir_ = MakeTempDir("telerad-balancer");
  log_path_ = dir_ + "/haproxy.log";
  dicom_port = FreePort();
  http_port = FreePort();
  const std::map<std::string, std::string> env = {
      {"TELERAD_LB_BIND", "127.0.0.1"},
      {"TELERAD_LB_DICOM_PORT", std::to_string(dicom_port)},
      {"TELERAD_LB_HTTP_PORT", std::to_string(http_port)},
      {"TELERAD_LB_SERVER1", "127.0.0.1"},
      {"TELERAD_LB_SERVER1_DICOM", std::to_string(first.dicom_port)},
      {"TELERAD_LB_SERVER1_HTTP", std::to_string(first.http_port)},
      {"TELERAD_LB_SERVER2", "127.0.0.1"},
      {"TELERAD_LB_SERVER2_DICOM", std::to_string(second.dicom_port)},
      {"TELERAD_LB_SERVER2_HTTP", std::to_string(second.http_port)},
  };
  const std::string config = DockerDir() + "/haproxy/telerad-scale.cfg";
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    // -db: in the foreground, logging to our file, stopped by our SIGTERM.
    ::execlp("haproxy", "haproxy", "-db", "-f", config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
}

LoadBalancer::~LoadBalancer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_, ec);
}

std::string LoadBalancer::Log() const { return ReadFile(log_path_); }

bool LoadBalancer::WaitUntilServing() {
  for (int i = 0; i < 150; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (Listening(dicom_port) && Http("GET", http_port, "/readyz").status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

}  // namespace telerad::testing
