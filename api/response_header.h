// A response header with any name. Pistache 0.0.5 writes only typed headers into a
// response: headers added with addRaw() are silently dropped (http.cc writeHeaders
// iterates headers.list(), never rawList()). This typed header carries a name and a value.
#pragma once

#include <pistache/http_header.h>

#include <ostream>
#include <string>
#include <utility>

namespace telerad::api {

class ResponseHeader : public Pistache::Http::Header::Header {
 public:
  ResponseHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& stream) const override { stream << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return std::hash<std::string>()(name_); }
#endif

 private:
  std::string name_;
  std::string value_;
};

}  // namespace telerad::api
