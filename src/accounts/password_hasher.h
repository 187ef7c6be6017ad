// PasswordHasher: one-way password storage. The interface exists so unit tests can use
// a fast fake; production uses SodiumPasswordHasher (argon2id). Thread-safe.
#pragma once

#include <string>

#include "src/base/status.h"

namespace telerad {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // A self-describing hash string. kResourceExhausted when memory is short.
  virtual Result<std::string> Hash(const std::string& password) = 0;
  // True when `password` matches `hash`; false for a wrong password or a foreign hash.
  // kResourceExhausted when too many verifications are already running (the caller
  // answers "try again later" rather than queueing behind them).
  virtual Result<bool> Verify(const std::string& password, const std::string& hash) = 0;
};

}  // namespace telerad
