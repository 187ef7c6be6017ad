// A short fingerprint of some bytes (BLAKE2b through libsodium): equal bytes, equal
// fingerprints; different bytes collide with odds of 2^-128. Not a password hash
// (accounts/sodium_password_hasher.h) and keyed by nothing: only for telling whether
// content changed, e.g. an HTTP validator (api/json_etag.h).
#pragma once

#include <string>
#include <string_view>

namespace telerad {

// 32 lowercase hex digits of the 16-byte BLAKE2b digest of `bytes`.
std::string ContentDigestHex(std::string_view bytes);

}  // namespace telerad
