// HttpServer: the HTTP door as the app (src/app/) sees it. A facade with no library
// header, so that src/ stays free of Pistache (README, "Layout"); the door itself is
// PistacheHttpServer (pistache_http_server.h). Start() and Stop() are called from one
// owning thread.
#pragma once

#include <memory>

#include "src/base/status.h"
#include "src/config/config.h"

namespace telerad::api {

struct ApiServices;
class PistacheHttpServer;

class HttpServer {
 public:
  // REQUIRES: `services` (metrics and scrape_token included) outlives the server.
  HttpServer(ApiServices& services, const Config& config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and serves on background reactor threads. kUnavailable if it cannot bind.
  Status Start();
  void Stop();

 private:
  std::unique_ptr<PistacheHttpServer> door_;
};

}  // namespace telerad::api
