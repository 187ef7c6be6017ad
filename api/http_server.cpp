#include "api/http_server.h"

#include "api/pistache_http_server.h"

namespace telerad::api {

HttpServer::HttpServer(ApiServices& services, const Config& config)
    : door_(std::make_unique<PistacheHttpServer>(services, config)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() { return door_->Start(); }

void HttpServer::Stop() { door_->Stop(); }

}  // namespace telerad::api
