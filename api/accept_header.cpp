#include "api/accept_header.h"

#include <cctype>

#include "src/base/text.h"

namespace telerad::api {
namespace {

// RFC 9110 12.4.2 qvalue: "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ].
std::optional<double> ParseQ(const std::string& text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  if (text[0] != '0' && text[0] != '1') return std::nullopt;
  if (text.size() > 1 && text[1] != '.') return std::nullopt;
  int thousandths = 0;
  int scale = 100;
  for (size_t i = 2; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    thousandths += (text[i] - '0') * scale;
    scale /= 10;
  }
  if (text[0] == '1' && thousandths != 0) return std::nullopt;
  return text[0] == '1' ? 1.0 : thousandths / 1000.0;
}

const std::string* FindParam(const std::vector<std::pair<std::string, std::string>>& params,
                             std::string_view name) {
  for (const auto& [n, v] : params)
    if (n == name) return &v;
  return nullptr;
}

}  // namespace

Result<std::vector<AcceptRange>> ParseAccept(std::string_view value) {
  std::vector<AcceptRange> ranges;
  for (std::string_view element : SplitHeaderList(value)) {
    auto media = ParseMediaType(element);
    if (!media.ok()) return Status::InvalidArgument("Accept: " + media.status().message());
    AcceptRange range;
    // Parameters after q are accept-ext, not part of the media range.
    bool after_q = false;
    for (auto& [name, v] : media->params) {
      if (after_q) continue;
      if (name == "q") {
        auto q = ParseQ(v);
        if (!q) return Status::InvalidArgument("Accept: q must be a number from 0 to 1");
        range.q = *q;
        after_q = true;
        continue;
      }
      range.media.params.emplace_back(std::move(name), std::move(v));
    }
    range.media.type = std::move(media->type);
    range.media.subtype = std::move(media->subtype);
    if (range.media.type == "*" && range.media.subtype != "*")
      return Status::InvalidArgument("Accept: */subtype is not a media range");
    ranges.push_back(std::move(range));
  }
  return ranges;
}

std::optional<int> MatchSpecificity(const AcceptRange& range, const Offer& offer) {
  const MediaType& r = range.media;
  const MediaType& o = offer.media;
  int specificity = 0;
  if (r.type != "*") {
    if (r.type != o.type) return std::nullopt;
    ++specificity;
  }
  if (r.subtype != "*") {
    if (r.subtype != o.subtype) return std::nullopt;
    ++specificity;
  }
  for (const auto& [name, wanted] : r.params) {
    const std::string* have = FindParam(o.params, name);
    if (!have) return std::nullopt;  // the range asks for something the offer does not say
    ++specificity;
    if (wanted == "*") continue;
    const bool same =
        name == "transfer-syntax" ? wanted == *have : EqualsIgnoringAsciiCase(wanted, *have);
    if (!same) return std::nullopt;
  }
  // A parameter the range leaves out stands for its default where there is one.
  for (const auto& [name, value] : offer.defaults) {
    if (FindParam(r.params, name)) continue;
    const std::string* have = FindParam(o.params, name);
    if (have && *have != value) return std::nullopt;
  }
  return specificity;
}

std::optional<size_t> BestOffer(const std::vector<AcceptRange>& ranges,
                                const std::vector<Offer>& offers) {
  if (offers.empty()) return std::nullopt;
  if (ranges.empty()) return 0;
  std::optional<size_t> best;
  double best_q = 0;
  for (size_t i = 0; i < offers.size(); ++i) {
    int specificity = -1;
    double q = 0;
    for (const AcceptRange& range : ranges) {
      auto s = MatchSpecificity(range, offers[i]);
      if (s && *s > specificity) {
        specificity = *s;
        q = range.q;
      }
    }
    if (specificity >= 0 && q > best_q) {
      best = i;
      best_q = q;
    }
  }
  return best;
}

}  // namespace telerad::api
