#include "src/base/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <memory>
#include <mutex>

namespace telerad {
namespace {

std::shared_ptr<spdlog::logger> Make(const char* name) {
  static auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(name, sink);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %n %v");
  return logger;
}

struct Loggers {
  std::shared_ptr<spdlog::logger> core = Make("core");
  std::shared_ptr<spdlog::logger> dicom = Make("dicom");
  std::shared_ptr<spdlog::logger> api = Make("api");
};

Loggers& All() {
  static Loggers loggers;
  return loggers;
}

}  // namespace

void SetUpLogging(const std::string& level) {
  auto lvl = spdlog::level::from_str(level);
  for (auto* logger : {All().core.get(), All().dicom.get(), All().api.get()}) {
    logger->set_level(lvl);
    logger->flush_on(spdlog::level::warn);
  }
}

spdlog::logger& CoreLog() { return *All().core; }
spdlog::logger& DicomLog() { return *All().dicom; }
spdlog::logger& ApiLog() { return *All().api; }

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  for (char& c : line)
    if (c == '"') c = '\'';
  return line;
}

}  // namespace telerad
