// Online hospital e-examinations: /api/v1/consultations, .../{id}, .../{id}/accept,
// .../{id}/complete, .../{id}/cancel, .../{id}/no-show. The rules are
// ConsultationService's; these handlers only read JSON and write it.
#include "api/consultation_json.h"
#include "api/json_common.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

constexpr RoleSet kParties = kAllowAdmin | kAllowFacility | kAllowSpecialist;

// The e-examination with its ETag, or the service's error.
Result<Reply> ConsultationReply(const Result<Consultation>& consultation, int status = 200) {
  if (!consultation.ok()) return consultation.status();
  Reply reply = Reply::Json(ConsultationJson(*consultation), status);
  reply.headers.emplace_back("ETag", VersionEtag(consultation->version));
  return reply;
}

std::string Id(const Pistache::Rest::Request& req) { return PathParam(req, ":id"); }

// An RFC 3339 time field (a date alone is not a time). Absent or null: `out` stays unset
// and the service says whether it was required.
Status GetTime(const nlohmann::json& body, const char* field, std::optional<TimePoint>& out) {
  std::string text;
  if (Status s = JsonFields(body).String(field, text, kOptional).status(); !s.ok()) return s;
  if (!body.contains(field) || body[field].is_null()) return Status::Ok();
  if (text.size() > 10) out = ParseTime(text);
  if (!out)
    return Status::Unprocessable(std::string("'") + field +
                                 "' must be an RFC 3339 time, e.g. 2025-05-31T10:00:00+08:00");
  return Status::Ok();
}

Status ParseBooking(const nlohmann::json& body, ConsultationBooking& b) {
  auto patient = body.find("patient");
  if (patient == body.end() || !patient->is_object())
    return Status::Unprocessable("'patient' must be an object with at least 'id'");
  if (!JsonFields(*patient).String("id", b.patient.id, kRequired).ok())
    return Status::Unprocessable("'patient.id' is required and must be a string");
  for (auto [field, out] : {std::pair<const char*, std::string*>{"name", &b.patient.name},
                            {"birth_date", &b.patient.birth_date},
                            {"sex", &b.patient.sex}})
    if (!JsonFields(*patient).String(field, *out, kOptional).ok())
      return Status::Unprocessable(std::string("'patient.") + field + "' must be a string");
  Status read = JsonFields(body)
                    .String("specialty", b.specialty, kRequired)
                    .String("reason", b.reason, kRequired)
                    .status();
  if (!read.ok()) return read;
  return GetTime(body, "requested_at", b.requested_at);
}

Status ParseListQuery(const Pistache::Rest::Request& req, ConsultationQuery& q) {
  if (auto v = req.query().get("status")) {
    q.status = ParseConsultationStatus(*v);
    if (!q.status)
      return Status::InvalidArgument(
          "status must be requested, accepted, completed, cancelled or no_show");
  }
  if (Status s =
          TextParam(req, "specialty", q.specialty, "specialty must be percent-encoded UTF-8");
      !s.ok())
    return s;
  if (Status s =
          TextParam(req, "facility", q.facility_code, "facility must be percent-encoded UTF-8");
      !s.ok())
    return s;
  if (Status s = TimeParam(req, "from", q.requested_from); !s.ok()) return s;
  if (Status s = TimeParam(req, "to", q.requested_to); !s.ok()) return s;
  if (Status s = LimitParam(req, q.limit); !s.ok()) return s;
  if (auto v = req.query().get("cursor")) q.cursor = *v;
  return Status::Ok();
}

Result<Reply> Book(ApiServices& services, const Pistache::Rest::Request& req, RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  ConsultationBooking booking;
  if (Status s = ParseBooking(*body, booking); !s.ok()) return s;
  // The repository names the new id in ctx.audit when it appends the entry.
  return ConsultationReply(services.consultations->Book(*ctx.principal, booking, ctx.audit), 201);
}

Result<Reply> ListConsultations(ApiServices& services, const Pistache::Rest::Request& req,
                                RequestContext& ctx) {
  ConsultationQuery query;
  if (Status s = ParseListQuery(req, query); !s.ok()) return s;
  auto page = services.consultations->List(*ctx.principal, query);
  if (!page.ok()) return page.status();
  // The read's audit entry names every e-examination the page showed.
  for (const Consultation& c : page->items) ctx.audit.returned_ids.push_back(std::to_string(c.id));
  return Reply::Json(ListJson(page->items, ConsultationJson, page->next_cursor));
}

Result<Reply> GetConsultation(ApiServices& services, const Pistache::Rest::Request& req,
                              RequestContext& ctx) {
  return ConsultationReply(services.consultations->Get(*ctx.principal, Id(req)));
}

Result<Reply> Accept(ApiServices& services, const Pistache::Rest::Request& req,
                     RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  std::optional<TimePoint> slot_at;
  if (Status s = GetTime(*body, "slot_at", slot_at); !s.ok()) return s;
  auto expected = ExpectedVersion(req, *body);
  if (!expected.ok()) return expected.status();
  return ConsultationReply(
      services.consultations->Accept(*ctx.principal, Id(req), slot_at, *expected, ctx.audit));
}

Result<Reply> Complete(ApiServices& services, const Pistache::Rest::Request& req,
                       RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  std::string conclusion;
  std::vector<std::string> icd_codes;
  Status read = JsonFields(*body)
                    .String("conclusion", conclusion, kOptional)
                    .StringList("icd_codes", icd_codes, kOptional)
                    .status();
  if (!read.ok()) return read;
  auto expected = ExpectedVersion(req, *body);
  if (!expected.ok()) return expected.status();
  return ConsultationReply(services.consultations->Complete(*ctx.principal, Id(req), conclusion,
                                                            icd_codes, *expected, ctx.audit));
}

Result<Reply> Cancel(ApiServices& services, const Pistache::Rest::Request& req,
                     RequestContext& ctx) {
  auto body = ParseObject(req, /*empty_ok=*/true);
  if (!body.ok()) return body.status();
  std::string reason;
  if (Status s = JsonFields(*body).String("reason", reason, kOptional).status(); !s.ok()) return s;
  auto expected = ExpectedVersion(req, *body);
  if (!expected.ok()) return expected.status();
  return ConsultationReply(
      services.consultations->Cancel(*ctx.principal, Id(req), reason, *expected, ctx.audit));
}

Result<Reply> MarkNoShow(ApiServices& services, const Pistache::Rest::Request& req,
                         RequestContext& ctx) {
  auto body = ParseObject(req, /*empty_ok=*/true);
  if (!body.ok()) return body.status();
  auto expected = ExpectedVersion(req, *body);
  if (!expected.ok()) return expected.status();
  return ConsultationReply(
      services.consultations->MarkNoShow(*ctx.principal, Id(req), *expected, ctx.audit));
}

}  // namespace

void AddConsultationRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Post, "/api/v1/consultations", kAllowFacility, Book,
           {"consultation.create", "consultation", ""});
  Register(routes, Method::Get, "/api/v1/consultations", kParties, ListConsultations,
           {"consultation.list", "consultation", ""});
  Register(routes, Method::Get, "/api/v1/consultations/:id", kParties, GetConsultation,
           {"consultation.view", "consultation", ":id"});
  Register(routes, Method::Post, "/api/v1/consultations/:id/accept", kAllowSpecialist, Accept,
           {"consultation.accept", "consultation", ":id"});
  Register(routes, Method::Post, "/api/v1/consultations/:id/complete", kAllowSpecialist, Complete,
           {"consultation.complete", "consultation", ":id"});
  Register(routes, Method::Post, "/api/v1/consultations/:id/cancel", kParties, Cancel,
           {"consultation.cancel", "consultation", ":id"});
  Register(routes, Method::Post, "/api/v1/consultations/:id/no-show", kAllowSpecialist, MarkNoShow,
           {"consultation.no_show", "consultation", ":id"});
}

}  // namespace telerad::api
