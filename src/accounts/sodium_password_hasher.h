// SodiumPasswordHasher: argon2id through libsodium's crypto_pwhash_str, interactive
// limits (64 MiB, 2 passes). Each hash holds 64 MiB and ~75 ms of a core, and runs on an
// HTTP thread, so at most `max_concurrent` run at once; a caller waits at most 1 s for a
// slot and is then told to come back (STACK.md, libsodium). Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>

#include "src/accounts/password_hasher.h"

namespace telerad {

class SodiumPasswordHasher : public PasswordHasher {
 public:
  explicit SodiumPasswordHasher(int max_concurrent = 2);
  Result<std::string> Hash(const std::string& password) override;
  Result<bool> Verify(const std::string& password, const std::string& hash) override;

 private:
  bool Enter();  // false when no slot frees up in time
  void Leave();
  const int max_concurrent_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;  // GUARDED_BY(mu_)
};

// Initialises libsodium once; false if it cannot (the process must not continue).
bool InitSodium();

// `bytes` random bytes from the OS CSPRNG, as URL-safe base64 without padding.
std::string RandomToken(size_t bytes);

// BLAKE2b-256 of `text`, raw bytes: how session tokens are stored.
std::string TokenDigest(const std::string& text);

}  // namespace telerad
