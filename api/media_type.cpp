#include "api/media_type.h"

#include <cctype>

namespace telerad::api {
namespace {

// RFC 9110 5.6.2 tchar.
bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void SkipOws() {
    while (!done() && IsOws(peek())) ++pos_;
  }
  bool Eat(char c) {
    if (done() || peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string_view Token() {
    const size_t begin = pos_;
    while (!done() && IsTokenChar(peek())) ++pos_;
    return text_.substr(begin, pos_ - begin);
  }
  // A parameter value written without quotes. RFC 9110 allows a token only, but DICOMweb
  // clients write media types bare (`type=application/dicom`, PS3.18 8.7.3.5 examples),
  // so anything up to a blank, ';', ',' or '"' is taken (printable ASCII only).
  std::string_view BareValue() {
    const size_t begin = pos_;
    while (!done()) {
      const char c = peek();
      if (c <= 0x20 || c >= 0x7F || c == ';' || c == ',' || c == '"') break;
      ++pos_;
    }
    return text_.substr(begin, pos_ - begin);
  }
  // RFC 9110 5.6.4 quoted-string, the opening quote already seen; nullopt if unclosed.
  std::optional<std::string> QuotedRest() {
    std::string out;
    while (!done()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (done()) return std::nullopt;
        out.push_back(text_[pos_++]);
        continue;
      }
      // qdtext: HTAB, SP, visible ASCII and obs-text; no other controls.
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return std::nullopt;
      if (c == 0x7F) return std::nullopt;
      out.push_back(c);
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<std::string> MediaType::Param(std::string_view name) const {
  for (const auto& [n, v] : params)
    if (n == name) return v;
  return std::nullopt;
}

Result<MediaType> ParseMediaType(std::string_view text) {
  Cursor in(text);
  in.SkipOws();
  MediaType m;
  m.type = Lower(in.Token());
  if (m.type.empty() || !in.Eat('/'))
    return Status::InvalidArgument("media type needs type/subtype");
  m.subtype = Lower(in.Token());
  if (m.subtype.empty()) return Status::InvalidArgument("media type needs type/subtype");
  in.SkipOws();
  while (!in.done()) {
    if (!in.Eat(';')) return Status::InvalidArgument("media type parameters must follow ';'");
    in.SkipOws();
    if (in.done()) break;  // a trailing ';' is tolerated, as browsers do
    std::string name = Lower(in.Token());
    if (name.empty() || !in.Eat('='))
      return Status::InvalidArgument("media type parameter needs name=value");
    std::string value;
    if (in.Eat('"')) {
      auto quoted = in.QuotedRest();
      if (!quoted) return Status::InvalidArgument("unterminated quoted parameter value");
      value = std::move(*quoted);
    } else {
      value = std::string(in.BareValue());
      if (value.empty()) return Status::InvalidArgument("media type parameter needs a value");
    }
    m.params.emplace_back(std::move(name), std::move(value));
    in.SkipOws();
  }
  return m;
}

std::vector<std::string_view> SplitHeaderList(std::string_view value) {
  std::vector<std::string_view> out;
  size_t begin = 0;
  bool quoted = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(value.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  out.push_back(value.substr(begin));
  // Empty elements (", ,") are allowed by RFC 9110 5.6.1 and ignored.
  std::vector<std::string_view> kept;
  for (std::string_view e : out) {
    while (!e.empty() && IsOws(e.front())) e.remove_prefix(1);
    while (!e.empty() && IsOws(e.back())) e.remove_suffix(1);
    if (!e.empty()) kept.push_back(e);
  }
  return kept;
}

std::string QuoteIfNeeded(std::string_view value) {
  bool token = !value.empty();
  for (char c : value) token = token && IsTokenChar(c);
  if (token) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace telerad::api
