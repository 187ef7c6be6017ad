#include "src/accounts/sodium_password_hasher.h"

#include <sodium.h>

#include <vector>

namespace telerad {

bool InitSodium() { return sodium_init() >= 0; }

SodiumPasswordHasher::SodiumPasswordHasher(int max_concurrent) : max_concurrent_(max_concurrent) {}

bool SodiumPasswordHasher::Enter() {
  int running = running_.load();
  do {
    if (running >= max_concurrent_) return false;
  } while (!running_.compare_exchange_weak(running, running + 1));
  return true;
}

void SodiumPasswordHasher::Leave() { --running_; }

Result<std::string> SodiumPasswordHasher::Hash(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (!Enter()) return Status::ResourceExhausted("password hashing busy");
  int rc =
      crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE);
  Leave();
  if (rc != 0) return Status::ResourceExhausted("password hashing ran out of memory");
  return std::string(out);
}

Result<bool> SodiumPasswordHasher::Verify(const std::string& password, const std::string& hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (!Enter()) return Status::ResourceExhausted("password checks busy");
  int rc = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size());
  Leave();
  return rc == 0;
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::vector<char> out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING));
  sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out.data());
}

std::string TokenDigest(const std::string& text) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  return std::string(reinterpret_cast<char*>(digest), sizeof(digest));
}

}  // namespace telerad
