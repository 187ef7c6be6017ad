// SodiumPasswordHasher: argon2id through libsodium's crypto_pwhash_str, interactive
// limits (64 MiB, 2 passes). Each hash holds 64 MiB and ~75 ms of a core, and runs on an
// HTTP reactor thread, so at most `max_concurrent` run at once (STACK.md, libsodium). A
// caller that finds every slot taken is told at once to come back: waiting would hold its
// reactor thread, and every connection on it, behind a login flood. Thread-safe.
#pragma once

#include <atomic>

#include "src/accounts/password_hasher.h"

namespace telerad {

class SodiumPasswordHasher : public PasswordHasher {
 public:
  explicit SodiumPasswordHasher(int max_concurrent = 2);
  Result<std::string> Hash(const std::string& password) override;
  Result<bool> Verify(const std::string& password, const std::string& hash) override;

 private:
  bool Enter();  // false when every slot is taken
  void Leave();
  const int max_concurrent_;
  std::atomic<int> running_{0};
};

// Initialises libsodium once; false if it cannot (the process must not continue).
bool InitSodium();

// `bytes` random bytes from the OS CSPRNG, as URL-safe base64 without padding.
std::string RandomToken(size_t bytes);

// BLAKE2b-256 of `text`, raw bytes: how session tokens are stored.
std::string TokenDigest(const std::string& text);

}  // namespace telerad
