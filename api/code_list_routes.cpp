// /api/v1/codes and /api/v1/codes/{system}: searching the diagnosis code lists (every
// role) and replacing one (admins), as JSON or CSV.
#include "api/http_error.h"
#include "api/json_common.h"
#include "api/media_type.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"
#include "api/vocabulary_json.h"

namespace telerad::api {
namespace {

Result<Reply> SearchCodes(ApiServices& services, const Pistache::Rest::Request& req,
                          RequestContext& ctx) {
  std::optional<std::string> system, text;
  if (Status s = TextParam(req, "system", system, "system must be percent-encoded UTF-8"); !s.ok())
    return s;
  if (Status s = TextParam(req, "q", text, "q must be percent-encoded UTF-8"); !s.ok()) return s;
  std::optional<int> limit;
  if (req.query().has("limit")) {
    int value = 0;
    if (Status s = LimitParam(req, value); !s.ok()) return s;
    limit = value;
  }
  auto found = services.code_lists->Search(*ctx.principal, system, text.value_or(""), limit);
  if (!found.ok()) return found.status();
  return Reply::Json(ListJson(*found, CodeJson));
}

// A JSON list: [{"code","title_mn","title_en"}...]; rows are numbered from 1 ("item 3").
Result<std::vector<CodeRow>> ReadJsonList(const std::string& body) {
  nlohmann::json list = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (list.is_discarded() || !list.is_array())
    return Status::Malformed("a JSON code list must be an array of {code, title_mn, title_en}");
  std::vector<CodeRow> rows;
  rows.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    CodeRow row;
    row.line = static_cast<int>(i) + 1;
    Status read = list[i].is_object() ? JsonFields(list[i])
                                            .String("code", row.code, kRequired)
                                            .String("title_mn", row.title_mn, kOptional)
                                            .String("title_en", row.title_en, kOptional)
                                            .status()
                                      : Status::Unprocessable("must be an object");
    if (!read.ok())
      return Status::Unprocessable("item " + std::to_string(row.line) + ": " + read.message());
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<Reply> ReplaceCodes(ApiServices& services, const Pistache::Rest::Request& req,
                           RequestContext& ctx) {
  const std::string system = PathParam(req, ":system");
  auto raw_type = req.headers().tryGetRaw("Content-Type");
  auto type = raw_type ? ParseMediaType(raw_type->value())
                       : Result<MediaType>(Status::InvalidArgument("no Content-Type"));
  const std::string essence = type.ok() ? type->Essence() : "";
  Result<std::vector<CodeRow>> rows = Status::Internal("unread");
  std::string unit = "item";
  if (essence == "application/json") {
    rows = ReadJsonList(req.body());
  } else if (essence == "text/csv") {
    if (!IsUtf8(req.body())) return Status::Unprocessable("a CSV code list must be UTF-8");
    rows = ReadCodeListCsv(req.body());
    unit = "line";
  } else {
    return Status::UnsupportedMediaType("send the list as application/json or text/csv");
  }
  if (!rows.ok()) return rows.status();
  auto count = services.code_lists->Replace(*ctx.principal, system, *rows, unit, ctx.audit);
  if (!count.ok()) return count.status();
  return Reply::Json({{"system", system}, {"count", *count}});
}

}  // namespace

void AddCodeListRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/api/v1/codes", kAnyRole, SearchCodes);
  // A replacement's entry is appended in its transaction.
  Register(routes, Method::Put, "/api/v1/codes/:system", kAllowAdmin, ReplaceCodes,
           {"code_list.replace", "code_list", ":system"});
}

}  // namespace telerad::api
