// Online hospital e-examinations: /api/v1/consultations, .../{id}, .../{id}/accept,
// .../{id}/complete, .../{id}/cancel, .../{id}/no-show. The rules are
// ConsultationService's; these handlers only read JSON and write it.
#include "api/json_format.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

Reply ConsultationReply(const Result<Consultation>& consultation, int status = 200) {
  if (!consultation.ok()) return Reply::Error(consultation.status());
  Reply reply = Reply::Json(ConsultationJson(*consultation), status);
  reply.headers.emplace_back("ETag", VersionEtag(consultation->version));
  return reply;
}

std::string Id(const Pistache::Rest::Request& req) { return req.param(":id").as<std::string>(); }

// An RFC 3339 time field (a date alone is not a time). Absent or null: `out` stays unset
// and the service says whether it was required.
std::optional<Reply> GetTime(const nlohmann::json& body, const char* field,
                             std::optional<TimePoint>& out) {
  std::string text;
  if (auto e = GetString(body, field, text, false)) return e;
  if (!body.contains(field) || body[field].is_null()) return std::nullopt;
  if (text.size() > 10) out = ParseTime(text);
  if (!out)
    return Reply::Error(
        422, "invalid_field",
        std::string("'") + field + "' must be an RFC 3339 time, e.g. 2025-05-31T10:00:00+08:00");
  return std::nullopt;
}

// The optional "version" of a transition's body, or If-Match.
std::optional<Reply> Version(const Pistache::Rest::Request& req, const nlohmann::json& body,
                             std::optional<int>& expected) {
  std::optional<int> body_version;
  if (auto e = GetInt(body, "version", body_version, false)) return e;
  return ExpectedVersion(req, body_version, expected);
}

std::optional<Reply> ParseBooking(const nlohmann::json& body, ConsultationBooking& b) {
  auto patient = body.find("patient");
  if (patient == body.end() || !patient->is_object())
    return Reply::Error(422, "invalid_field", "'patient' must be an object with at least 'id'");
  if (GetString(*patient, "id", b.patient.id, true))
    return Reply::Error(422, "invalid_field", "'patient.id' is required and must be a string");
  for (auto [field, out] : {std::pair<const char*, std::string*>{"name", &b.patient.name},
                            {"birth_date", &b.patient.birth_date},
                            {"sex", &b.patient.sex}})
    if (GetString(*patient, field, *out, false))
      return Reply::Error(422, "invalid_field",
                          std::string("'patient.") + field + "' must be a string");
  if (auto e = GetString(body, "specialty", b.specialty, true)) return e;
  if (auto e = GetString(body, "reason", b.reason, true)) return e;
  return GetTime(body, "requested_at", b.requested_at);
}

std::optional<Reply> ParseListQuery(const Pistache::Rest::Request& req, ConsultationQuery& q) {
  const auto& params = req.query();
  if (auto v = params.get("status")) {
    q.status = ParseConsultationStatus(*v);
    if (!q.status)
      return Reply::Error(400, "invalid_argument",
                          "status must be requested, accepted, completed, cancelled or no_show");
  }
  if (auto v = params.get("specialty")) {
    q.specialty = PercentDecode(*v);
    if (!q.specialty)
      return Reply::Error(400, "invalid_argument", "specialty must be percent-encoded UTF-8");
  }
  if (auto v = params.get("facility")) {
    q.facility_code = PercentDecode(*v);
    if (!q.facility_code)
      return Reply::Error(400, "invalid_argument", "facility must be percent-encoded UTF-8");
  }
  if (auto e = TimeParam(req, "from", q.requested_from)) return e;
  if (auto e = TimeParam(req, "to", q.requested_to)) return e;
  if (auto e = LimitParam(req, q.limit)) return e;
  if (auto v = params.get("cursor")) q.cursor = *v;
  return std::nullopt;
}

}  // namespace

void AddConsultationRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Post,
                    "/api/v1/consultations",
                    kAllowFacility,
                    [&services](const Pistache::Rest::Request& req, RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      ConsultationBooking booking;
                      if (auto e = ParseBooking(body, booking)) return *e;
                      auto booked = services.consultations->Book(*ctx.principal, booking);
                      if (booked.ok()) ctx.audit_object_id = std::to_string(booked->id);
                      return ConsultationReply(booked, 201);
                    },
                    {"consultation.create", "consultation", ""}});
  routes.push_back({Method::Get,
                    "/api/v1/consultations",
                    kAllowAdmin | kAllowFacility | kAllowSpecialist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      ConsultationQuery query;
                      if (auto error = ParseListQuery(req, query)) return *error;
                      auto page = services.consultations->List(*ctx.principal, query);
                      if (!page.ok()) return Reply::Error(page.status());
                      return Reply::Json(
                          ListJson(page->items, ConsultationJson, page->next_cursor));
                    },
                    {"consultation.list", "consultation", ""}});
  routes.push_back({Method::Get,
                    "/api/v1/consultations/:id",
                    kAllowAdmin | kAllowFacility | kAllowSpecialist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      return ConsultationReply(
                          services.consultations->Get(*ctx.principal, Id(req)));
                    },
                    {"consultation.view", "consultation", ":id"}});
  routes.push_back({Method::Post,
                    "/api/v1/consultations/:id/accept",
                    kAllowSpecialist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      std::optional<TimePoint> slot_at;
                      std::optional<int> expected;
                      if (auto e = GetTime(body, "slot_at", slot_at)) return *e;
                      if (auto e = Version(req, body, expected)) return *e;
                      return ConsultationReply(services.consultations->Accept(
                          *ctx.principal, Id(req), slot_at, expected));
                    },
                    {"consultation.accept", "consultation", ":id"}});
  routes.push_back({Method::Post,
                    "/api/v1/consultations/:id/complete",
                    kAllowSpecialist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      std::string conclusion;
                      std::vector<std::string> icd_codes;
                      std::optional<int> expected;
                      if (auto e = GetString(body, "conclusion", conclusion, false)) return *e;
                      if (auto e = GetStringList(body, "icd_codes", icd_codes, false)) return *e;
                      if (auto e = Version(req, body, expected)) return *e;
                      return ConsultationReply(services.consultations->Complete(
                          *ctx.principal, Id(req), conclusion, icd_codes, expected));
                    },
                    {"consultation.complete", "consultation", ":id"}});
  routes.push_back({Method::Post,
                    "/api/v1/consultations/:id/cancel",
                    kAllowAdmin | kAllowFacility | kAllowSpecialist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body, true)) return *error;
                      std::string reason;
                      std::optional<int> expected;
                      if (auto e = GetString(body, "reason", reason, false)) return *e;
                      if (auto e = Version(req, body, expected)) return *e;
                      return ConsultationReply(services.consultations->Cancel(
                          *ctx.principal, Id(req), reason, expected));
                    },
                    {"consultation.cancel", "consultation", ":id"}});
  routes.push_back({Method::Post,
                    "/api/v1/consultations/:id/no-show",
                    kAllowSpecialist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body, true)) return *error;
                      std::optional<int> expected;
                      if (auto e = Version(req, body, expected)) return *e;
                      return ConsultationReply(
                          services.consultations->MarkNoShow(*ctx.principal, Id(req), expected));
                    },
                    {"consultation.no_show", "consultation", ":id"}});
}

}  // namespace telerad::api
