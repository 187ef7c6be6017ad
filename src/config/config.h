// Config: every setting of a telerad process, read once at start-up.
//
// Sources, later wins: built-in defaults, the config file (`key = value` lines, `#`
// comments; see telerad.conf.example), then TELERAD_<KEY> environment variables
// (key upper-cased). Immutable after Load(), so it is shared freely between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "src/base/ip_network.h"
#include "src/base/status.h"

namespace telerad {

struct Config {
  // `serve` connects as db_url: the least-privilege application role. The one-shot
  // commands (migrate, seed-demo, demo-data, user add) connect as db_owner_url, the role
  // that owns the tables (db_url when empty); migrate grants db_app_role what the server
  // needs and no more. See README, "Database roles".
  std::string db_url = "host=/var/run/postgresql dbname=telerad";
  std::string db_owner_url;
  std::string db_app_role = "telerad_app";
  // 0: enough for every DICOM worker and HTTP thread at once plus two (sweeper, spare),
  // so no door ever waits for another's connection. See EffectiveDbPoolSize().
  int db_pool_size = 0;
  int db_statement_timeout_ms = 5000;

  std::string dicom_ae_title = "TELERAD";
  int dicom_port = 11112;
  int dicom_workers = 16;      // associations served at once
  int dicom_timeout_s = 30;    // ACSE/DIMSE timeout: a stalled peer is dropped after it
  int dicom_max_pdu = 116794;  // receive PDU size offered to peers
  // Hostile or broken peers (issue 12). A new connection has dicom_request_timeout_s to
  // deliver its whole A-ASSOCIATE-RQ; at most dicom_max_pending connections wait for
  // theirs at once (the oldest is dropped for a newcomer). An association lasts at most
  // dicom_association_max_s; dicom_timeout_s bounds each idle wait inside it. One calling
  // AE holds at most dicom_max_per_ae associations; one data set is at most
  // dicom_max_dataset_bytes.
  int dicom_request_timeout_s = 10;
  int dicom_max_pending = 64;
  int dicom_association_max_s = 3600;
  int dicom_max_per_ae = 4;
  int64_t dicom_max_dataset_bytes = int64_t{2} << 30;
  // Once a C-STORE request has come, its data set must bring at least dicom_min_rate
  // bytes a second over each dicom_timeout_s (a peer trickling bytes satisfies every
  // read timeout); slower for two windows in a row cuts the association (0: no minimum).
  int64_t dicom_min_rate = 1024;
  // The screen every received data set passes before DCMTK parses it (dataset_screen.h):
  // DCMTK 3.6.7 recurses once per nesting level and builds an object per element, so
  // these bound its stack and memory. The defaults leave real data ample room (structured
  // reports nest 5 or 6 deep; an RT structure set holds tens of thousands of elements).
  int dicom_max_sequence_depth = 16;
  int64_t dicom_max_elements = 1'000'000;
  int64_t dicom_max_inflated_bytes = int64_t{1} << 30;  // a deflated data set, inflated
  std::vector<std::string> dicom_extra_sop_classes;     // accepted besides the built-in list
  // DICOM TLS (issue 12): a second port, off while dicom_tls_port is 0, with our
  // certificate and key (PEM) and the CA file (PEM) every client certificate must chain
  // to; each facility's own certificate is then pinned in the registry. dicom_plain
  // false closes the plain port, so every facility must come over TLS.
  int dicom_tls_port = 0;
  std::string dicom_tls_cert;
  std::string dicom_tls_key;
  std::string dicom_tls_ca;
  bool dicom_plain = true;

  std::string http_bind = "0.0.0.0";
  int http_port = 8080;
  // Reactor threads read and parse requests and write answers; route handlers run on
  // http_workers threads (api/handler_pool.h), which wait on PostgreSQL, so more workers
  // than cores keep the CPU busy.
  int http_threads = 4;
  int http_workers = 8;
  int http_max_request_bytes = 1 << 20;
  // A STOW-RS request body (POST /dicomweb/studies), which may hold a whole study;
  // every other route keeps http_max_request_bytes.
  int64_t dicomweb_max_stow_bytes = int64_t{256} << 20;
  // STOW-RS bodies larger than http_max_request_bytes being received or stored at once;
  // one more is answered 503 (api/body_limit_parser.h). Bounds their memory.
  int dicomweb_stow_concurrency = 2;
  // Limits checked before Pistache's router sees a request (api/door_handler.h). The
  // router runs a regex over the path that recurses once per repeated '/' and overflows
  // a reactor thread's 8 MiB stack somewhere past 20,000 of them, so the path is capped
  // well below that (and the key cannot be raised past 16 KiB).
  int http_max_target_bytes = 8192;   // path plus query string; longer gets 414
  int http_max_header_bytes = 16384;  // names plus values of all headers; more gets 431
  int http_max_connections = 1024;    // open at once; one more is answered 503 and closed
  // A request whose line and headers have not all arrived after http_header_timeout, or
  // whose body has not after http_body_timeout, is answered 408 and closed (slow clients).
  std::chrono::seconds http_header_timeout{10};
  std::chrono::seconds http_body_timeout{60};
  // Reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For is believed: from
  // one of them the client address is the right-most forwarded entry that is not itself
  // a trusted proxy (src/base/client_address.h). Empty: the header is always ignored.
  std::vector<IpNetwork> http_trusted_proxies;
  // Responses are written by telerad's own non-blocking sender (api/response_sender.h).
  // A client that takes no byte for http_send_timeout, or fewer than http_send_min_rate
  // bytes a second over that long, is disconnected; responses waiting for slow clients
  // hold at most http_send_buffer_bytes of memory in all (past it: 503).
  std::chrono::seconds http_send_timeout{60};
  int64_t http_send_min_rate = 1024;
  int64_t http_send_buffer_bytes = int64_t{256} << 20;
  // The OHIF viewer's dist/ folder, served at the origin's root (api/site_files.h);
  // empty: no viewer. Defaults to where scripts/run installs it under web/.
  std::string viewer_dir;
  // The pages' build, served at / and /app/ (api/site_files.h); empty: no pages.
  // Defaults to where scripts/run builds them, pages/dist of the source tree.
  std::string pages_dir;

  std::string storage = "var/storage";
  std::chrono::seconds stable_after{30};
  // Landed files (README, "Durability"): how often the settler moves them into place, and
  // how old one without an index row must be before it is re-indexed (younger ones may
  // be another server's ingest, not committed yet; at start-up every one is).
  std::chrono::milliseconds landing_settle_interval{1000};
  std::chrono::seconds landing_grace{30};
  std::chrono::seconds token_ttl{12 * 3600};
  // Seconds a token found valid is trusted without a database lookup; 0 = every request
  // looks its session up, so revocation and account changes apply at once.
  std::chrono::seconds session_cache{0};
  std::chrono::seconds claim_lease{30 * 60};  // a radiologist's hold on a study
  // How long a ready study may wait for its report, per priority (the SLA deadline).
  std::chrono::seconds sla_stat{3600};
  std::chrono::seconds sla_urgent{4 * 3600};
  std::chrono::seconds sla_routine{24 * 3600};
  // SR delivery to facility PACS: first retry after delivery_retry_base, doubling up to
  // delivery_retry_max; each attempt bounded by dicom_timeout.
  std::chrono::seconds delivery_retry_base{30};
  std::chrono::seconds delivery_retry_max{3600};
  // Failed logins per username before each further failure locks it out, doubling from
  // 30 s up to login_lockout_max.
  int login_max_failures = 5;
  std::chrono::seconds login_lockout_max{900};
  // Failed logins from one client address (the TCP peer, or what a trusted proxy
  // forwarded: http_trusted_proxies) within login_address_window before that address
  // gets 429 for every login until the window slides past them.
  int login_address_max_failures = 30;
  std::chrono::seconds login_address_window{60};
  // Password hashes (argon2id, 64 MiB and ~70 ms each) computed at once; a login that
  // finds them all busy is answered 503 at once rather than queued.
  int login_hash_concurrency = 2;
  // IANA zone KPI periods (days, months, half-years) are counted in (README, "KPIs").
  std::string time_zone = "Asia/Ulaanbaatar";
  // KPI figures answers each server keeps while their window is unchanged (README,
  // "KPIs"); 0 computes every answer afresh.
  int kpi_cache_answers = 64;
  std::string log_level = "info";
  // Bearer token a Prometheus server may present to GET /metrics instead of a ministry or
  // admin session; empty = no such token. A secret: never logged.
  std::string metrics_token;
  std::string schema_dir;  // migrations folder; defaults to the source tree's schema/

  // Loads defaults, then `path` if not empty (a missing named file is an error), then
  // the environment. kInvalidArgument names the bad key, never echoes secrets.
  static Result<Config> Load(const std::string& path);

  // Applies one key; exposed for tests. kInvalidArgument for unknown keys or values.
  Status Set(const std::string& key, const std::string& value);

  // The DICOM port settings agree: some port is open, the TLS port has its certificate,
  // key and CA, and differs from the plain one. Load() checks it.
  Status CheckDicomDoors() const;

  int EffectiveDbPoolSize() const {
    return db_pool_size > 0 ? db_pool_size : dicom_workers + http_workers + 2;
  }

  // Every key Set() accepts, in the order README documents them.
  static const std::vector<std::string>& Keys();
};

}  // namespace telerad
