// The Accept request header (RFC 9110 12.5.1) with the DICOMweb media types of PS3.18
// 8.7: ranges such as `multipart/related; type="application/dicom"; transfer-syntax=*`,
// parameter values quoted or not (OHIF omits the quotes, dicomweb-client sometimes adds
// them), q-values, wildcards. The server lists what it can send (Offer) in its own order
// of preference and asks which one the client accepts best; none → 406.
//
//   auto ranges = ParseAccept(header);              // kInvalidArgument → 400
//   auto pick = BestOffer(*ranges, offers);         // nullopt → 406
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/media_type.h"
#include "src/base/status.h"

namespace telerad::api {

struct AcceptRange {
  MediaType media;  // the range without q and the accept-ext parameters after it
  double q = 1.0;   // 0 means "not acceptable"
};

// Parses a whole Accept value (several Accept headers joined with ","). An empty or
// all-blank value gives no ranges (anything is acceptable). A q outside 0..1 or with
// more than three decimals, or an element that is no media range, is kInvalidArgument.
Result<std::vector<AcceptRange>> ParseAccept(std::string_view value);

// A representation the server can send.
struct Offer {
  MediaType
      media;  // e.g. multipart/related; type=application/dicom; transfer-syntax=1.2.840.10008.1.2.1
  // Values a range stands for when it names no such parameter (PS3.18 8.7.3: a frame
  // request without transfer-syntax means Explicit VR Little Endian), e.g.
  // {"transfer-syntax", "1.2.840.10008.1.2.1"}. A parameter without a default matches
  // whatever the offer has.
  std::vector<std::pair<std::string, std::string>> defaults;
};

// How well `range` matches `offer`: nullopt if it does not, else its specificity
// (RFC 9110: the most specific matching range decides an offer's q). Type, subtype and
// parameter names compare case-insensitively, `*` as a value matches any value;
// `transfer-syntax` values (UIDs) compare exactly, other values case-insensitively.
std::optional<int> MatchSpecificity(const AcceptRange& range, const Offer& offer);

// The index in `offers` of the representation to send: the highest q of its most
// specific matching range, ties going to the earlier offer. No ranges at all: 0 (the
// server's first choice). nullopt when no offer is acceptable (every match has q 0 or
// nothing matches): answer 406.
std::optional<size_t> BestOffer(const std::vector<AcceptRange>& ranges,
                                const std::vector<Offer>& offers);

}  // namespace telerad::api
