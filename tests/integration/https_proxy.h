// The HTTPS door of scripts/https-proxy (HAProxy with docker/haproxy/telerad.cfg) as a
// child process for integration tests, and the clients that test it: curl with our CA,
// a TLS client that stalls mid-request, and a backend that records what reaches it.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace telerad::testing {

// True when the haproxy and openssl commands are installed (scripts/test installs them).
bool HttpsToolsInstalled();

class HttpsProxy {
 public:
  // Runs scripts/https-proxy on free ports of 127.0.0.1 in front of `backend`
  // (host:port), with `env` added to its environment (e.g. TELERAD_HTTPS_CERT). Without a
  // certificate given, the script makes a self-signed one for localhost in its own folder.
  HttpsProxy(const std::string& backend, std::map<std::string, std::string> env = {});
  ~HttpsProxy();
  HttpsProxy(const HttpsProxy&) = delete;
  HttpsProxy& operator=(const HttpsProxy&) = delete;

  // Waits until a request through the proxy reaches a backend that passed its health
  // check (GET /readyz answers 200); false after 20 s.
  bool WaitUntilForwarding();
  std::string Log() const;
  // The certificate clients trust: the one given, or the one the script made.
  std::string ca_file() const;

  int https_port = 0;
  int redirect_port = 0;
  std::string dir;  // TELERAD_HTTPS_DIR

 private:
  std::map<std::string, std::string> env_;
  std::string log_path_;
  pid_t pid_ = -1;
};

struct CurlResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased, last value wins
  std::string body;
  std::string output;  // curl's own output, for failure messages
};
// curl -i `args` (URL and options) with `ca_file` as the only trusted CA.
CurlResponse Curl(const std::string& ca_file, const std::string& args);

// Opens a TLS connection to 127.0.0.1:`port`, sends `partial` (a request that never
// ends) and waits up to `limit_s` for the peer to close it. Returns the seconds it took
// (-1: still open at `limit_s`, -2: no TLS connection); `answer` gets what the peer sent.
// `meanwhile` runs after the partial request is sent, before the wait.
double SecondsUntilClosed(int port, const std::string& partial, int limit_s, std::string* answer,
                          const std::function<void()>& meanwhile);

// An HTTP/1.1 backend on a free port of 127.0.0.1 that answers every request 200 and
// keeps each request's head (request line and headers) for the test to read.
class RecordingBackend {
 public:
  RecordingBackend();
  ~RecordingBackend();
  int port() const { return port_; }
  std::vector<std::string> Requests() const;

 private:
  void Serve();
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace telerad::testing
