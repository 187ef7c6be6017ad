#include "tests/integration/https_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

int ConnectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

bool HttpsToolsInstalled() {
  return RunCommand("command -v haproxy && command -v openssl && command -v curl").exit_code == 0;
}

HttpsProxy::HttpsProxy(const std::string& backend, std::map<std::string, std::string> env)
    : env_(std::move(env)) {
  dir = MakeTempDir("telerad-https");
  log_path_ = dir + "/haproxy.log";
  https_port = FreePort();
  redirect_port = FreePort();
  env_["TELERAD_HTTPS_PORT"] = std::to_string(https_port);
  env_["TELERAD_HTTPS_REDIRECT_PORT"] = std::to_string(redirect_port);
  env_["TELERAD_HTTPS_BIND"] = "127.0.0.1";
  env_["TELERAD_HTTPS_BACKEND"] = backend;
  env_["TELERAD_HTTPS_DIR"] = dir;
  env_["TELERAD_HTTPS_HOSTNAME"] = "localhost";
  const std::string script =
      std::filesystem::path(SchemaDir()).parent_path().string() + "/scripts/https-proxy";
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::unsetenv("TELERAD_CONFIG");  // the proxy's limits are telerad's defaults here
    for (const auto& [k, v] : env_) ::setenv(k.c_str(), v.c_str(), 1);
    ::execl("/bin/bash", "bash", script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
}

HttpsProxy::~HttpsProxy() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);  // the script execs haproxy: this is HAProxy itself
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

std::string HttpsProxy::ca_file() const {
  auto given = env_.find("TELERAD_HTTPS_CERT");
  return given != env_.end() ? given->second : dir + "/self-signed.crt";
}

std::string HttpsProxy::Log() const { return ReadFile(log_path_); }

bool HttpsProxy::WaitUntilForwarding() {
  for (int i = 0; i < 100; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (std::filesystem::exists(ca_file()) &&
        Curl(ca_file(), "https://localhost:" + std::to_string(https_port) + "/readyz").status ==
            200)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

CurlResponse Curl(const std::string& ca_file, const std::string& args) {
  CurlResponse r;
  CommandResult run =
      RunCommand("curl -sS -i --max-time 20 --cacert " + Quote(ca_file) + " " + args);
  r.output = run.output;
  if (run.exit_code != 0) return r;
  // The last response's head (curl -i prints every head, e.g. after 100 Continue).
  size_t head_end = run.output.rfind("\r\n\r\n");
  size_t head_start = run.output.rfind("HTTP/", head_end);
  if (head_end == std::string::npos || head_start == std::string::npos) return r;
  std::istringstream head(run.output.substr(head_start, head_end - head_start));
  std::string line;
  std::getline(head, line);
  std::istringstream status_line(line);
  std::string version;
  status_line >> version >> r.status;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    r.headers[Lower(line.substr(0, colon))] = value;
  }
  r.body = run.output.substr(head_end + 4);
  return r;
}

double SecondsUntilClosed(int port, const std::string& partial, int limit_s, std::string* answer,
                          const std::function<void()>& meanwhile) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  int fd = ConnectLoopback(port);
  if (!ctx || fd < 0) return -2;
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  // Only the proxy's handling of a stalled request is under test, not its certificate.
  if (SSL_connect(ssl.get()) != 1 ||
      SSL_write(ssl.get(), partial.data(), static_cast<int>(partial.size())) <= 0) {
    ::close(fd);
    return -2;
  }
  const auto sent = std::chrono::steady_clock::now();
  meanwhile();
  timeval timeout{limit_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  char buf[4096];
  int n;
  while ((n = SSL_read(ssl.get(), buf, sizeof buf)) > 0) answer->append(buf, n);
  const bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  ::close(fd);
  return timed_out && seconds >= limit_s ? -1 : seconds;
}

RecordingBackend::RecordingBackend() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("cannot listen for the recording backend");
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

RecordingBackend::~RecordingBackend() {
  stop_ = true;
  thread_.join();
  ::close(fd_);
}

std::vector<std::string> RecordingBackend::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

// One request per connection (the answer says close): the head up to its blank line.
void RecordingBackend::Serve() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int client = ::accept(fd_, nullptr, nullptr);
    if (client < 0) continue;
    timeval timeout{5, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string head;
    char buf[4096];
    ssize_t n;
    while (head.find("\r\n\r\n") == std::string::npos &&
           (n = ::recv(client, buf, sizeof buf, 0)) > 0)
      head.append(buf, static_cast<size_t>(n));
    if (!head.empty()) {
      // Recorded before the answer: a test reads Requests() as soon as its client has
      // the answer, and must find this request there.
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(head.substr(0, head.find("\r\n\r\n")));
      }
      const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
      ::send(client, ok.data(), ok.size(), MSG_NOSIGNAL);
    }
    ::close(client);
  }
}

}  // namespace telerad::testing
