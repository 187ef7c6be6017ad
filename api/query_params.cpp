#include "api/query_params.h"

#include "api/json_common.h"

namespace telerad::api {

// A query value as text: Pistache 0.0.5 hands query values over still percent-encoded, and
// an aimag name is Cyrillic, so clients must send it encoded ("%D0%A3%D0%B2%D1%81" for
// Увс). '+' is a space, as in HTML forms. nullopt for a broken escape or for bytes that
// are not UTF-8 (PostgreSQL would refuse them as a parameter).
std::optional<std::string> PercentDecode(const std::string& in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] != '%') {
      out += in[i];
    } else {
      if (i + 2 >= in.size() || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) return std::nullopt;
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    }
  }
  for (size_t i = 0; i < out.size();) {  // well-formed UTF-8, no NUL, no overlong forms
    const auto c = static_cast<unsigned char>(out[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || c == 0 || i + len > out.size() || (len == 2 && c < 0xC2)) return std::nullopt;
    // Nor 3- and 4-byte overlong forms, UTF-16 surrogates or code points past U+10FFFF,
    // which PostgreSQL refuses as well.
    const auto c1 = len > 1 ? static_cast<unsigned char>(out[i + 1]) : 0;
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) ||
        c > 0xF4 || (c == 0xF4 && c1 >= 0x90))
      return std::nullopt;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(out[i + k]) >> 6) != 0x2) return std::nullopt;
    i += len;
  }
  return out;
}

std::string PathParam(const Pistache::Rest::Request& req, const char* name) {
  return req.param(name).as<std::string>();
}

Status TextParam(const Pistache::Rest::Request& req, const char* name, std::string& out) {
  auto raw = req.query().get(name);
  if (!raw) return Status::Ok();
  auto decoded = PercentDecode(*raw);
  if (!decoded)
    return Status::InvalidArgument(std::string("'") + name + "' is not percent-encoded UTF-8");
  out = *decoded;
  return Status::Ok();
}

Status TextParam(const Pistache::Rest::Request& req, const char* name,
                 std::optional<std::string>& out, const char* message) {
  auto raw = req.query().get(name);
  if (!raw) return Status::Ok();
  out = PercentDecode(*raw);
  if (!out) return Status::InvalidArgument(message);
  return Status::Ok();
}

Status TimeParam(const Pistache::Rest::Request& req, const char* name,
                 std::optional<TimePoint>& out) {
  if (auto v = req.query().get(name)) {
    out = ParseTime(*v);
    if (!out)
      return Status::InvalidArgument(std::string(name) + " must be YYYY-MM-DD or an RFC 3339 time");
  }
  return Status::Ok();
}

Status LimitParam(const Pistache::Rest::Request& req, int& out) {
  if (auto v = req.query().get("limit")) {
    try {
      size_t used = 0;
      out = std::stoi(*v, &used);
      if (used != v->size()) throw std::invalid_argument("limit");
    } catch (const std::exception&) {
      return Status::InvalidArgument("limit must be an integer");
    }
  }
  return Status::Ok();
}

}  // namespace telerad::api
