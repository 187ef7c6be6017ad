#include "src/accounts/scrape_token.h"

#include <sodium.h>

#include "src/accounts/sodium_password_hasher.h"

namespace telerad {

ScrapeToken::ScrapeToken(const std::string& token) {
  if (!token.empty()) digest_ = TokenDigest(token);
}

bool ScrapeToken::Matches(const std::string& candidate) const {
  if (digest_.empty()) return false;
  // Digests of equal length, compared without an early exit: the time depends on
  // neither the candidate's length nor the position of its first wrong byte.
  const std::string digest = TokenDigest(candidate);
  return sodium_memcmp(digest.data(), digest_.data(), digest_.size()) == 0;
}

}  // namespace telerad
