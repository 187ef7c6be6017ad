// Fuzzes the Accept parser and the choice of representation (api/accept_header.h) with
// the offers WADO-RS makes: the choice must be one of them, and a parsed range must
// match an offer built from itself.
#include <cstdint>
#include <set>
#include <string>

#include "api/accept_header.h"

namespace {

telerad::api::Offer OfferOf(const char* text) {
  telerad::api::Offer o;
  o.media = *telerad::api::ParseMediaType(text);
  o.defaults = {{"transfer-syntax", "1.2.840.10008.1.2.1"}};
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<telerad::api::Offer> offers = {
      OfferOf("multipart/related; type=application/octet-stream; "
              "transfer-syntax=1.2.840.10008.1.2.4.70"),
      OfferOf(
          "multipart/related; type=application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1"),
      OfferOf("application/dicom+json"),
      OfferOf("image/jpeg"),
  };
  const std::string value(reinterpret_cast<const char*>(data), size);
  auto ranges = telerad::api::ParseAccept(value);
  if (!ranges.ok()) return 0;
  auto pick = telerad::api::BestOffer(*ranges, offers);
  if (pick && *pick >= offers.size()) __builtin_trap();
  for (const auto& range : *ranges) {
    if (range.q < 0 || range.q > 1) __builtin_trap();
    // A range naming a parameter twice matches only what has it once, first value.
    std::set<std::string> names;
    for (const auto& [name, value] : range.media.params) names.insert(name);
    if (names.size() != range.media.params.size()) continue;
    telerad::api::Offer self;
    self.media = range.media;
    if (!telerad::api::MatchSpecificity(range, self)) __builtin_trap();
  }
  return 0;
}
