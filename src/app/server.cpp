#include "src/app/server.h"

#include <chrono>

#include "api/api_services.h"
#include "api/http_server.h"
#include "dicom/dicom_image_codec.h"
#include "dicom/dicom_instance_describer.h"
#include "dicom/dicom_instance_file_reader.h"
#include "dicom/dicom_report_sender.h"
#include "dicom/dicom_server.h"
#include "src/accounts/admin_service.h"
#include "src/accounts/auth_service.h"
#include "src/accounts/failed_login_sweeper.h"
#include "src/accounts/machine_token_service.h"
#include "src/accounts/scrape_token.h"
#include "src/accounts/sodium_password_hasher.h"
#include "src/app/commands.h"
#include "src/app/exit_codes.h"
#include "src/audit/audit_service.h"
#include "src/audit/once_per_session.h"
#include "src/base/clock.h"
#include "src/base/logging.h"
#include "src/imaging/imaging_service.h"
#include "src/imaging/qido_service.h"
#include "src/ingest/ingest_service.h"
#include "src/ingest/landing_settler.h"
#include "src/ingest/stability_sweeper.h"
#include "src/ingest/stow_service.h"
#include "src/kpi/kpi_metrics.h"
#include "src/kpi/kpi_service.h"
#include "src/monitoring/health_service.h"
#include "src/monitoring/server_metrics.h"
#include "src/online/consultation_service.h"
#include "src/pg/pg_database.h"
#include "src/reading/report_delivery_worker.h"
#include "src/reading/report_service.h"
#include "src/reading/study_service.h"
#include "src/storage/disk_file_store.h"
#include "src/vocabulary/code_list_service.h"
#include "src/vocabulary/template_service.h"

#ifndef TELERAD_VERSION
#define TELERAD_VERSION "unknown"
#endif

namespace telerad {
namespace {

SlaTargets SlaOf(const Config& c) { return {c.sla_stat, c.sla_urgent, c.sla_routine}; }

DeliveryPolicy DeliveryPolicyOf(const Config& c) {
  DeliveryPolicy policy;
  policy.retry_base = c.delivery_retry_base;
  policy.retry_max = c.delivery_retry_max;
  // An attempt takes at most about three timeouts (connect, association, response, and
  // DCMTK's wait after an abort); hold the job a little longer than that.
  policy.hold = std::chrono::seconds(3 * c.dicom_timeout_s + 30);
  return policy;
}

}  // namespace

// Every part of the running server, in construction order (destroyed in reverse: the
// doors before the services they call).
struct Server::Parts {
  Parts(const Config& config, PgDatabase& db, std::unique_ptr<FileStore> file_store)
      : files(std::move(file_store)),
        hasher(config.login_hash_concurrency),
        kpi(db.kpi(), config.time_zone, config.kpi_cache_answers),
        studies(db.studies(), config.claim_lease, SlaOf(config)),
        reports(db.studies(), db.reports(), config.claim_lease),
        consultations(db.consultations()),
        templates(db.templates()),
        code_lists(db.code_lists()),
        qido(db.qido()),
        audit(db.audit(), SystemClock::Instance()),
        audit_once(SystemClock::Instance(), config.token_ttl),
        health(db.studies(), *files),
        ingest(db.studies(), db.facilities(), *files),
        instance_reader(config),
        stow(ingest, db.facilities(), instance_reader),
        machine_tokens(db.machine_tokens()),
        sweeper(db.studies(), config.stable_after, SlaOf(config)),
        failed_logins(db.users()),
        report_sender(config.dicom_ae_title, config.dicom_timeout_s),
        delivery(db.reports(), db.studies(), report_sender, audit, DeliveryPolicyOf(config)),
        admin(db.facilities(), db.users(), hasher),
        imaging_describer(config.dicom_max_sequence_depth,
                          static_cast<uint64_t>(config.dicom_max_elements)),
        imaging(db.studies(), db.instance_images(), *files, imaging_describer, image_codec),
        metrics(TELERAD_VERSION, SystemClock::Instance()),
        settler(*files, db.studies(), db.facilities(), ingest, instance_reader,
                SystemClock::Instance(), {config.landing_settle_interval, config.landing_grace},
                [this](const SettleReport& r) {
                  metrics.LandedFilesSettled(r.settled, r.reindexed, r.orphaned, r.removed);
                }),
        scrape_token(config.metrics_token) {}

  std::unique_ptr<FileStore> files;
  SodiumPasswordHasher hasher;
  KpiService kpi;
  StudyService studies;
  ReportService reports;
  ConsultationService consultations;
  TemplateService templates;
  CodeListService code_lists;
  QidoService qido;
  AuditService audit;
  OncePerSession audit_once;  // image reads: one audit row per session and study
  HealthService health;
  IngestService ingest;
  dicom::DicomInstanceFileReader instance_reader;  // STOW-RS parses as C-STORE does
  StowService stow;
  MachineTokenService machine_tokens;
  StabilitySweeper sweeper;
  FailedLoginSweeper failed_logins;
  dicom::DicomReportSender report_sender;
  ReportDeliveryWorker delivery;
  AdminService admin;
  dicom::DicomInstanceDescriber imaging_describer;
  dicom::DicomImageCodec image_codec;  // constructed before `imaging` (member order)
  ImagingService imaging;
  ServerMetrics metrics;
  LandingSettler settler;  // after `metrics`, which its reports go to
  const ScrapeToken scrape_token;
  std::unique_ptr<AuthService> auth;
  api::ApiServices api_services;  // the HTTP server keeps a reference
  std::unique_ptr<dicom::DicomServer> dicom_server;
  std::unique_ptr<api::HttpServer> http_server;
  bool running = false;
};

Server::Server(const Config& config, PgDatabase& db) : config_(config), db_(db) {}

Server::~Server() { Stop(); }

int Server::Start() {
  auto files = DiskFileStore::Open(config_.storage);
  if (!files.ok()) {
    CoreLog().critical("event=storage_unusable root={} reason=\"{}\"", config_.storage,
                       files.status().ToString());
    return kExitStorage;
  }
  int leftovers = (*files)->CleanStaging();
  if (leftovers > 0) CoreLog().info("event=staging_cleaned files={}", leftovers);

  if (int rc = CheckDatabase(); rc != kExitOk) return rc;
  if (config_.EffectiveDbPoolSize() < config_.dicom_workers + config_.http_workers)
    CoreLog().warn(
        "event=db_pool_small pool={} dicom_workers={} http_workers={} "
        "hint=\"requests will wait for a connection; leave db_pool_size at 0\"",
        config_.EffectiveDbPoolSize(), config_.dicom_workers, config_.http_workers);
  if (auto demo = db_.users().CountDemoUsers(); demo.ok() && *demo > 0)
    CoreLog().warn(
        "event=demo_accounts_active count={} hint=\"they sign in only from this machine "
        "(loopback, no proxy); disable them on a real install\"",
        *demo);
  if (auto admins = db_.CountActiveAdmins(); admins.ok() && *admins == 0)
    CoreLog().warn(
        "event=no_admin_account hint=\"no one can sign in as admin: create one with "
        "telerad user add --username NAME --role admin (password on standard input)\"");

  auto parts = std::make_unique<Parts>(config_, db_, std::move(*files));
  Parts& p = *parts;
  auto auth =
      AuthService::Create(db_.users(), p.hasher, SystemClock::Instance(), config_.token_ttl,
                          {config_.login_max_failures, config_.login_lockout_max,
                           config_.login_address_max_failures, config_.login_address_window},
                          config_.session_cache);
  if (!auth.ok()) {
    CoreLog().critical("event=auth_unusable reason=\"{}\"", auth.status().ToString());
    return kExitInternal;
  }
  p.auth = std::move(*auth);

  // Every server counts the KPI days in the configured zone; the first one started with a
  // new zone recounts the aggregates.
  if (auto changed = p.kpi.ApplyTimeZone(); !changed.ok()) {
    CoreLog().critical("event=kpi_time_zone_failed zone={} reason=\"{}\"", config_.time_zone,
                       changed.status().ToString());
    return kExitDatabase;
  } else if (*changed) {
    CoreLog().warn("event=kpi_recounted time_zone={}", config_.time_zone);
  }

  p.metrics.WatchPool([this] {
    const PgPoolFigures f = db_.pool_figures();
    return PoolUsage{f.in_use, f.open, f.size};
  });
  // The KPI families are read from PostgreSQL at each scrape: one set of figures
  // whichever server is scraped.
  p.metrics.AddCollectable(std::make_shared<KpiMetrics>(db_.kpi(), config_.time_zone,
                                                        SystemClock::Instance(), &p.kpi.cache()));

  // Recovery, before the doors open: every file landed by an earlier run (or by another
  // server's, harmlessly) is moved into place, re-indexed or set aside (README,
  // "Durability"). A failure here loses nothing: the periodic passes retry.
  if (auto recovered = p.settler.SettleOnce(true); !recovered.ok()) {
    CoreLog().warn("event=landing_recovery_failed reason=\"{}\"", recovered.status().ToString());
  } else if (recovered->settled + recovered->orphaned + recovered->removed > 0) {
    CoreLog().info(
        "event=landing_recovered settled={} reindexed={} orphaned={} removed={} waiting={}",
        recovered->settled, recovered->reindexed, recovered->orphaned, recovered->removed,
        recovered->waiting);
  }

  p.audit.Start();
  p.dicom_server = std::make_unique<dicom::DicomServer>(p.ingest, config_, p.metrics, p.audit);
  if (Status s = p.dicom_server->Start(); !s.ok()) {
    CoreLog().critical("event=dicom_listen_failed reason=\"{}\"", s.ToString());
    p.audit.Stop();
    return kExitCannotListen;
  }
  api::ApiServices& services = p.api_services;
  services.auth = p.auth.get();
  services.studies = &p.studies;
  services.reports = &p.reports;
  services.audit = &p.audit;
  services.audit_once = &p.audit_once;
  services.admin = &p.admin;
  services.health = &p.health;
  services.kpi = &p.kpi;
  services.consultations = &p.consultations;
  services.templates = &p.templates;
  services.code_lists = &p.code_lists;
  services.imaging = &p.imaging;
  services.metrics = &p.metrics;
  services.scrape_token = &p.scrape_token;
  services.qido = &p.qido;
  services.machine_tokens = &p.machine_tokens;
  services.stow = &p.stow;
  p.http_server = std::make_unique<api::HttpServer>(services, config_);
  if (Status s = p.http_server->Start(); !s.ok()) {
    CoreLog().critical("event=http_listen_failed reason=\"{}\"", s.ToString());
    p.dicom_server->Stop(std::chrono::seconds(0));
    p.audit.Stop();
    return kExitCannotListen;
  }
  p.sweeper.Start();
  p.failed_logins.Start();
  p.settler.Start();
  p.delivery.Start();
  p.running = true;
  parts_ = std::move(parts);
  CoreLog().info("event=metrics_ready route=/metrics scrape_token={}",
                 p.scrape_token.enabled() ? "configured" : "none");
  CoreLog().info("event=ready dicom=\"{}@*:{}\" http=\"http://{}:{}/\" storage={} stable_after={}s",
                 config_.dicom_ae_title, config_.dicom_port, config_.http_bind, config_.http_port,
                 config_.storage, config_.stable_after.count());
  return kExitOk;
}

// The server never changes the schema: it runs as the application role, which cannot. It
// refuses a schema that is not current and a role that could rewrite the audit trail.
int Server::CheckDatabase() {
  auto pending = db_.PendingMigrations(config_.schema_dir);
  if (!pending.ok()) {
    CoreLog().critical("event=schema_check_failed reason=\"{}\"", pending.status().ToString());
    return pending.status().code() == StatusCode::kInvalidArgument ? kExitBadConfig : kExitDatabase;
  }
  if (*pending > 0) {
    CoreLog().critical(
        "event=schema_not_current pending={} hint=\"run telerad migrate (as the owner, "
        "db_owner_url) first\"",
        *pending);
    return kExitDatabase;
  }
  auto role = db_.ConnectedRole();
  if (!role.ok()) {
    CoreLog().critical("event=role_check_failed reason=\"{}\"", role.status().ToString());
    return kExitDatabase;
  }
  if (const std::string why = role->Unsafe(); !why.empty()) {
    CoreLog().critical(
        "event=database_role_refused role={} reason=\"{}\" hint=\"db_url must name the "
        "application role (db_app_role), which telerad migrate grants only what the server "
        "needs\"",
        role->name, why);
    return kExitUnsafeDatabaseRole;
  }
  CoreLog().info("event=database_role role={}", role->name);
  return kExitOk;
}

void Server::Stop() {
  if (!parts_ || !parts_->running) return;
  Parts& p = *parts_;
  // New associations are refused at once; instances in flight finish and are answered.
  p.dicom_server->Stop(std::chrono::seconds(config_.dicom_timeout_s));
  p.http_server->Stop();
  p.sweeper.Stop();
  p.failed_logins.Stop();
  p.settler.Stop();
  // The last instances' files go to their place now rather than at the next start.
  (void)p.settler.SettleOnce(false);
  p.delivery.Stop();
  p.audit.Stop();  // after the doors: the last requests' read records are written
  p.running = false;
  CoreLog().info("event=stopped");
}

}  // namespace telerad
