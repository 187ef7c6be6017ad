#include "src/config/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "date/tz.h"

#ifndef TELERAD_SCHEMA_DIR
#define TELERAD_SCHEMA_DIR "schema"
#endif

namespace telerad {
namespace {

std::string Trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Status ParseInt(const std::string& key, const std::string& value, int min, int max, int* out) {
  try {
    size_t used = 0;
    long v = std::stol(value, &used);
    if (used != value.size() || v < min || v > max) throw std::out_of_range(key);
    *out = static_cast<int>(v);
    return Status::Ok();
  } catch (const std::exception&) {
    return Status::InvalidArgument(key + " must be an integer in [" + std::to_string(min) + ", " +
                                   std::to_string(max) + "]");
  }
}

Status ParseInt64(const std::string& key, const std::string& value, int64_t min, int64_t max,
                  int64_t* out) {
  try {
    size_t used = 0;
    long long v = std::stoll(value, &used);
    if (used != value.size() || v < min || v > max) throw std::out_of_range(key);
    *out = static_cast<int64_t>(v);
    return Status::Ok();
  } catch (const std::exception&) {
    return Status::InvalidArgument(key + " must be an integer in [" + std::to_string(min) + ", " +
                                   std::to_string(max) + "]");
  }
}

// A duration given in whole seconds.
Status ParseSeconds(const std::string& key, const std::string& value, int min, int max,
                    std::chrono::seconds* out) {
  int n = 0;
  Status s = ParseInt(key, value, min, max, &n);
  if (s.ok()) *out = std::chrono::seconds(n);
  return s;
}

std::vector<std::string> SplitList(const std::string& value) {
  std::vector<std::string> out;
  std::stringstream ss(value);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = Trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& Config::Keys() {
  static const std::vector<std::string> keys = {"db_url",
                                                "db_owner_url",
                                                "db_app_role",
                                                "db_pool_size",
                                                "db_statement_timeout_ms",
                                                "dicom_ae_title",
                                                "dicom_port",
                                                "dicom_workers",
                                                "dicom_timeout",
                                                "dicom_max_pdu",
                                                "dicom_extra_sop_classes",
                                                "dicom_request_timeout",
                                                "dicom_max_pending",
                                                "dicom_association_max",
                                                "dicom_max_per_ae",
                                                "dicom_max_dataset_bytes",
                                                "dicom_min_rate",
                                                "dicom_tls_port",
                                                "dicom_tls_cert",
                                                "dicom_tls_key",
                                                "dicom_tls_ca",
                                                "dicom_plain",
                                                "dicom_max_sequence_depth",
                                                "dicom_max_elements",
                                                "dicom_max_inflated_bytes",
                                                "http_bind",
                                                "http_port",
                                                "http_threads",
                                                "http_workers",
                                                "http_max_request_bytes",
                                                "dicomweb_max_stow_bytes",
                                                "dicomweb_stow_concurrency",
                                                "http_max_target_bytes",
                                                "http_max_header_bytes",
                                                "http_max_connections",
                                                "http_header_timeout",
                                                "http_body_timeout",
                                                "http_trusted_proxies",
                                                "http_send_timeout",
                                                "http_send_min_rate",
                                                "http_send_buffer_bytes",
                                                "viewer_dir",
                                                "pages_dir",
                                                "storage",
                                                "stable_after",
                                                "landing_settle_interval_ms",
                                                "landing_grace",
                                                "token_ttl",
                                                "session_cache",
                                                "claim_lease",
                                                "sla_stat",
                                                "sla_urgent",
                                                "sla_routine",
                                                "delivery_retry_base",
                                                "delivery_retry_max",
                                                "login_max_failures",
                                                "login_lockout_max",
                                                "login_address_max_failures",
                                                "login_address_window",
                                                "login_hash_concurrency",
                                                "time_zone",
                                                "kpi_cache_answers",
                                                "log_level",
                                                "metrics_token",
                                                "schema_dir"};
  return keys;
}

Status Config::Set(const std::string& key, const std::string& value) {
  if (key == "db_url") {
    db_url = value;
  } else if (key == "db_owner_url") {
    db_owner_url = value;
  } else if (key == "db_app_role") {
    // Interpolated into GRANT statements as a quoted identifier; keep it a plain name.
    if (value.empty() || value.size() > 63 ||
        !std::all_of(value.begin(), value.end(), [](unsigned char c) {
          return std::islower(c) || std::isdigit(c) || c == '_';
        }))
      return Status::InvalidArgument(key + " must be 1-63 characters a-z, 0-9 or _");
    db_app_role = value;
  } else if (key == "db_pool_size") {
    return ParseInt(key, value, 0, 256, &db_pool_size);
  } else if (key == "db_statement_timeout_ms") {
    return ParseInt(key, value, 0, 3600000, &db_statement_timeout_ms);
  } else if (key == "dicom_ae_title") {
    if (value.empty() || value.size() > 16)
      return Status::InvalidArgument(key + " must be 1-16 characters");
    dicom_ae_title = value;
  } else if (key == "dicom_port") {
    return ParseInt(key, value, 1, 65535, &dicom_port);
  } else if (key == "dicom_workers") {
    return ParseInt(key, value, 1, 1024, &dicom_workers);
  } else if (key == "dicom_timeout") {
    return ParseInt(key, value, 1, 3600, &dicom_timeout_s);
  } else if (key == "dicom_max_pdu") {
    return ParseInt(key, value, 4096, 131072, &dicom_max_pdu);
  } else if (key == "dicom_extra_sop_classes") {
    dicom_extra_sop_classes = SplitList(value);
  } else if (key == "dicom_request_timeout") {
    return ParseInt(key, value, 1, 300, &dicom_request_timeout_s);
  } else if (key == "dicom_max_pending") {
    return ParseInt(key, value, 1, 4096, &dicom_max_pending);
  } else if (key == "dicom_association_max") {
    return ParseInt(key, value, 10, 7 * 86400, &dicom_association_max_s);
  } else if (key == "dicom_max_per_ae") {
    return ParseInt(key, value, 1, 1024, &dicom_max_per_ae);
  } else if (key == "dicom_max_dataset_bytes") {
    // At least 1 MiB: a smaller cap would refuse ordinary CT slices.
    return ParseInt64(key, value, int64_t{1} << 20, int64_t{1} << 40, &dicom_max_dataset_bytes);
  } else if (key == "dicom_min_rate") {
    return ParseInt64(key, value, 0, int64_t{1} << 30, &dicom_min_rate);
  } else if (key == "dicom_tls_port") {
    return ParseInt(key, value, 0, 65535, &dicom_tls_port);
  } else if (key == "dicom_tls_cert") {
    dicom_tls_cert = value;
  } else if (key == "dicom_tls_key") {
    dicom_tls_key = value;
  } else if (key == "dicom_tls_ca") {
    dicom_tls_ca = value;
  } else if (key == "dicom_plain") {
    if (value != "true" && value != "false")
      return Status::InvalidArgument(key + " must be true or false");
    dicom_plain = value == "true";
  } else if (key == "dicom_max_sequence_depth") {
    // Up to 64: far past any real data, far below the depth at which DCMTK's recursion
    // overflows a worker's stack (thousands of levels).
    return ParseInt(key, value, 1, 64, &dicom_max_sequence_depth);
  } else if (key == "dicom_max_elements") {
    // A real CT slice has about 200 elements; DCMTK keeps an object of some hundred bytes
    // per element in memory, so ten million is already a gigabyte or more per worker.
    return ParseInt64(key, value, 1000, 10'000'000, &dicom_max_elements);
  } else if (key == "dicom_max_inflated_bytes") {
    return ParseInt64(key, value, int64_t{1} << 20, int64_t{1} << 40, &dicom_max_inflated_bytes);
  } else if (key == "http_bind") {
    http_bind = value;
  } else if (key == "http_port") {
    return ParseInt(key, value, 1, 65535, &http_port);
  } else if (key == "http_threads") {
    return ParseInt(key, value, 1, 64, &http_threads);
  } else if (key == "http_workers") {
    return ParseInt(key, value, 1, 256, &http_workers);
  } else if (key == "http_max_request_bytes") {
    return ParseInt(key, value, 4096, 1 << 30, &http_max_request_bytes);
  } else if (key == "dicomweb_max_stow_bytes") {
    return ParseInt64(key, value, int64_t{1} << 20, int64_t{1} << 31, &dicomweb_max_stow_bytes);
  } else if (key == "dicomweb_stow_concurrency") {
    return ParseInt(key, value, 1, 64, &dicomweb_stow_concurrency);
  } else if (key == "http_max_target_bytes") {
    return ParseInt(key, value, 256, 16384, &http_max_target_bytes);
  } else if (key == "http_max_header_bytes") {
    return ParseInt(key, value, 1024, 1 << 20, &http_max_header_bytes);
  } else if (key == "http_max_connections") {
    return ParseInt(key, value, 1, 65536, &http_max_connections);
  } else if (key == "http_header_timeout") {
    return ParseSeconds(key, value, 1, 600, &http_header_timeout);
  } else if (key == "http_body_timeout") {
    return ParseSeconds(key, value, 1, 3600, &http_body_timeout);
  } else if (key == "http_trusted_proxies") {
    std::vector<IpNetwork> proxies;
    for (const std::string& item : SplitList(value)) {
      auto network = ParseIpNetwork(item);
      if (!network.ok())
        return Status::InvalidArgument(key + ": '" + item + "': " + network.status().message());
      proxies.push_back(*network);
    }
    http_trusted_proxies = std::move(proxies);
  } else if (key == "storage") {
    if (value.empty()) return Status::InvalidArgument("storage must not be empty");
    storage = value;
  } else if (key == "stable_after") {
    return ParseSeconds(key, value, 1, 86400, &stable_after);
  } else if (key == "landing_settle_interval_ms") {
    int ms = 0;
    Status s = ParseInt(key, value, 100, 3600 * 1000, &ms);
    if (s.ok()) landing_settle_interval = std::chrono::milliseconds(ms);
    return s;
  } else if (key == "landing_grace") {
    return ParseSeconds(key, value, 1, 86400, &landing_grace);
  } else if (key == "token_ttl") {
    return ParseSeconds(key, value, 60, 30 * 86400, &token_ttl);
  } else if (key == "session_cache") {
    return ParseSeconds(key, value, 0, 300, &session_cache);
  } else if (key == "claim_lease") {
    return ParseSeconds(key, value, 1, 24 * 3600, &claim_lease);
  } else if (key == "sla_stat") {
    return ParseSeconds(key, value, 60, 30 * 86400, &sla_stat);
  } else if (key == "sla_urgent") {
    return ParseSeconds(key, value, 60, 30 * 86400, &sla_urgent);
  } else if (key == "sla_routine") {
    return ParseSeconds(key, value, 60, 30 * 86400, &sla_routine);
  } else if (key == "delivery_retry_base") {
    return ParseSeconds(key, value, 1, 86400, &delivery_retry_base);
  } else if (key == "delivery_retry_max") {
    return ParseSeconds(key, value, 1, 7 * 86400, &delivery_retry_max);
  } else if (key == "login_max_failures") {
    return ParseInt(key, value, 1, 1000, &login_max_failures);
  } else if (key == "login_lockout_max") {
    return ParseSeconds(key, value, 1, 86400, &login_lockout_max);
  } else if (key == "login_address_max_failures") {
    return ParseInt(key, value, 1, 10000, &login_address_max_failures);
  } else if (key == "login_address_window") {
    return ParseSeconds(key, value, 1, 86400, &login_address_window);
  } else if (key == "login_hash_concurrency") {
    return ParseInt(key, value, 1, 64, &login_hash_concurrency);
  } else if (key == "kpi_cache_answers") {
    return ParseInt(key, value, 0, 4096, &kpi_cache_answers);
  } else if (key == "time_zone") {
    try {
      date::locate_zone(value);  // the system's IANA database, as PostgreSQL's
    } catch (const std::exception&) {
      return Status::InvalidArgument("time_zone '" + value +
                                     "' is not an IANA time zone such as Asia/Ulaanbaatar");
    }
    time_zone = value;
  } else if (key == "log_level") {
    static const char* levels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (std::find(std::begin(levels), std::end(levels), value) == std::end(levels))
      return Status::InvalidArgument("log_level must be one of trace, debug, info, warn, error");
    log_level = value;
  } else if (key == "metrics_token") {
    // Never echo the value: it is a secret. Short tokens can be guessed online.
    if (!value.empty() && (value.size() < 16 || value.size() > 128))
      return Status::InvalidArgument(key + " must be empty or 16-128 characters");
    for (unsigned char c : value)
      if (c <= ' ' || c > '~')
        return Status::InvalidArgument(key + " must be printable ASCII without spaces");
    metrics_token = value;
  } else if (key == "http_send_timeout") {
    return ParseSeconds(key, value, 1, 3600, &http_send_timeout);
  } else if (key == "http_send_min_rate") {
    return ParseInt64(key, value, 0, int64_t{1} << 30, &http_send_min_rate);
  } else if (key == "http_send_buffer_bytes") {
    return ParseInt64(key, value, int64_t{1} << 20, int64_t{1} << 36, &http_send_buffer_bytes);
  } else if (key == "viewer_dir") {
    viewer_dir = value;
  } else if (key == "pages_dir") {
    pages_dir = value;
  } else if (key == "schema_dir") {
    schema_dir = value;
  } else {
    return Status::InvalidArgument("unknown configuration key '" + key + "'");
  }
  return Status::Ok();
}

Status Config::CheckDicomDoors() const {
  if (dicom_tls_port == 0) {
    if (!dicom_plain)
      return Status::InvalidArgument(
          "dicom_plain = false needs dicom_tls_port: no DICOM port left");
    return Status::Ok();
  }
  if (dicom_plain && dicom_tls_port == dicom_port)
    return Status::InvalidArgument("dicom_tls_port must differ from dicom_port");
  if (dicom_tls_cert.empty() || dicom_tls_key.empty() || dicom_tls_ca.empty())
    return Status::InvalidArgument(
        "dicom_tls_port needs dicom_tls_cert, dicom_tls_key and dicom_tls_ca");
  return Status::Ok();
}

Result<Config> Config::Load(const std::string& path) {
  Config config;
  config.schema_dir = TELERAD_SCHEMA_DIR;
  config.viewer_dir = TELERAD_VIEWER_DIR;
  config.pages_dir = TELERAD_PAGES_DIR;
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in) return Status::InvalidArgument("cannot read config file " + path);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      line = Trim(line);
      if (line.empty() || line[0] == '#') continue;
      auto eq = line.find('=');
      if (eq == std::string::npos)
        return Status::InvalidArgument(path + ":" + std::to_string(number) +
                                       ": expected key = value");
      Status s = config.Set(Trim(line.substr(0, eq)), Trim(line.substr(eq + 1)));
      if (!s.ok())
        return Status::InvalidArgument(path + ":" + std::to_string(number) + ": " + s.message());
    }
  }
  for (const std::string& key : Keys()) {
    std::string env = "TELERAD_" + key;
    std::transform(env.begin(), env.end(), env.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    if (const char* v = std::getenv(env.c_str())) {
      Status s = config.Set(key, v);
      if (!s.ok()) return Status::InvalidArgument(env + ": " + s.message());
    }
  }
  if (Status s = config.CheckDicomDoors(); !s.ok()) return s;
  return config;
}

}  // namespace telerad
