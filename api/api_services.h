// ApiServices: the services the HTTP door calls. Its own header, with no library
// include, because the app (src/app/server.cpp) fills it: src/ sees no Pistache header.
#pragma once

#include "src/accounts/admin_service.h"
#include "src/accounts/auth_service.h"
#include "src/accounts/machine_token_service.h"
#include "src/accounts/scrape_token.h"
#include "src/audit/audit_service.h"
#include "src/audit/once_per_session.h"
#include "src/imaging/imaging_service.h"
#include "src/imaging/qido_service.h"
#include "src/ingest/stow_service.h"
#include "src/kpi/kpi_service.h"
#include "src/monitoring/health_service.h"
#include "src/monitoring/server_metrics.h"
#include "src/online/consultation_service.h"
#include "src/reading/report_service.h"
#include "src/reading/study_service.h"
#include "src/vocabulary/code_list_service.h"
#include "src/vocabulary/template_service.h"

namespace telerad::api {

// The services the HTTP door calls, handed to each handler by HttpServer (the route
// table itself holds none). REQUIRES: all set and outliving the server.
struct ApiServices {
  AuthService* auth = nullptr;
  StudyService* studies = nullptr;
  ReportService* reports = nullptr;
  AuditService* audit = nullptr;
  AdminService* admin = nullptr;
  HealthService* health = nullptr;
  KpiService* kpi = nullptr;
  ConsultationService* consultations = nullptr;
  ImagingService* imaging = nullptr;
  ServerMetrics* metrics = nullptr;
  const ScrapeToken* scrape_token = nullptr;
  QidoService* qido = nullptr;
  MachineTokenService* machine_tokens = nullptr;
  StowService* stow = nullptr;
  TemplateService* templates = nullptr;
  CodeListService* code_lists = nullptr;
  // The (session, study) pairs already recorded for once_per_session routes.
  OncePerSession* audit_once = nullptr;
};

}  // namespace telerad::api
