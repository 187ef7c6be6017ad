// Status and Result<T>: how every fallible call in telerad reports its outcome.
//
// A Status is a code plus a message meant for logs (never patient data, SQL or paths
// for clients: each door maps the code, not the message, to what the client sees).
// It is cheap when OK. Result<T> holds either a T or a non-OK Status, never both.
// Both are plain values, safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace telerad {

enum class StatusCode {
  kOk,
  kInvalidArgument,       // a bad value: a bad UID, a missing or mistyped field, a bad parameter
  kMalformed,             // the input cannot be parsed at all: a body that is not JSON
  kTooLarge,              // the input exceeds a size limit (a request body, a data set)
  kNotFound,              // no such object, or the caller may not know it exists
  kUnauthenticated,       // no valid credentials
  kPermissionDenied,      // valid credentials, wrong role
  kConflict,              // already claimed, wrong state, duplicate key
  kFailedPrecondition,    // a conditional write's precondition (If-Match) no longer holds
  kUnprocessable,         // well-formed but invalid content: a bad ICD code, a short password
  kTooManyRequests,       // throttled: too many failed logins
  kNotAcceptable,         // exists, but not in a representation the caller accepts (406)
  kUnsupportedMediaType,  // a request body of a media type the route does not take (415)
  kUnavailable,           // a dependency (the database) is down; retrying may succeed
  kResourceExhausted,     // disk full, pool exhausted
  kInternal,              // a bug or an unexpected library failure
};

// Stable lower-case name of a code, e.g. "not_found"; used in logs and API errors.
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status Malformed(std::string m) { return {StatusCode::kMalformed, std::move(m)}; }
  static Status TooLarge(std::string m) { return {StatusCode::kTooLarge, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Unprocessable(std::string m) { return {StatusCode::kUnprocessable, std::move(m)}; }
  static Status TooManyRequests(std::string m) {
    return {StatusCode::kTooManyRequests, std::move(m)};
  }
  static Status NotAcceptable(std::string m) { return {StatusCode::kNotAcceptable, std::move(m)}; }
  static Status UnsupportedMediaType(std::string m) {
    return {StatusCode::kUnsupportedMediaType, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not_found: study 12" — for logs.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace telerad
