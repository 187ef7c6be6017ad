#include "api/query_params.h"

#include "api/json_common.h"

namespace telerad::api {

// Well-formed UTF-8 as RFC 3629 defines it (Unicode Table 3-7): no overlong forms, no
// UTF-16 surrogates (U+D800..DFFF), nothing past U+10FFFF; and no NUL, which PostgreSQL
// text cannot hold. Anything else would reach the database as a parameter it refuses.
bool IsUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
      return false;  // a continuation byte first, C0/C1, or F5..FF
    }
    if (i + len > s.size()) return false;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi) return false;
    for (size_t k = 2; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

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
  if (!IsUtf8(out)) return std::nullopt;
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
