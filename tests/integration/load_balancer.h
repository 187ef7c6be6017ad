// HAProxy with docker/haproxy/telerad-scale.cfg (the balancer of docker/compose.yaml) as a
// child process for integration tests, in front of two telerad servers on loopback.
#pragma once

#include <sys/types.h>

#include <string>

#include "tests/integration/harness.h"

namespace telerad::testing {

// True when the haproxy command is installed (scripts/test installs it).
bool HaproxyInstalled();

// The repository's docker/ folder (next to the schema folder the tests are given).
std::string DockerDir();

class LoadBalancer {
 public:
  // Starts HAProxy on free ports of 127.0.0.1: DICOM (TCP mode) and HTTP (HTTP mode),
  // balancing over `first` and `second` (the config's telerad1 and telerad2), whose
  // ports are read now. Stopped (SIGTERM) when the object goes away.
  LoadBalancer(const TeleradServer& first, const TeleradServer& second);
  ~LoadBalancer();
  LoadBalancer(const LoadBalancer&) = delete;
  LoadBalancer& operator=(const LoadBalancer&) = delete;

  // Waits until both doors accept connections and GET /readyz through the HTTP door
  // answers 200; false if HAProxy exited or after 30 s.
  bool WaitUntilServing();
  std::string Log() const;

  int dicom_port = 0;
  int http_port = 0;

 private:
  std::string dir_;
  std::string log_path_;
  pid_t pid_ = -1;
};

}  // namespace telerad::testing
