#include "src/vocabulary/code_list_csv.h"

#include <algorithm>
#include <cctype>

#include "src/base/text.h"

namespace telerad {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

Status LineError(int line, const std::string& what) {
  return Status::Unprocessable("line " + std::to_string(line) + ": " + what);
}

// Splits CSV text into records of fields, each with the line it starts on (RFC 4180
// section 2, accepting LF as well as CRLF line ends).
class CsvRecords {
 public:
  explicit CsvRecords(std::string_view text) : text_(text) {}

  // The next record into `fields` and `line`; false at the end of the text.
  Result<bool> Next(std::vector<std::string>& fields, int& line) {
    fields.clear();
    if (at_ >= text_.size()) return false;
    line = line_;
    std::string field;
    while (true) {
      if (at_ < text_.size() && text_[at_] == '"') {
        if (!field.empty()) return LineError(line_, "a quote inside an unquoted field");
        if (Status s = Quoted(field); !s.ok()) return s;
        // After a closing quote: a comma, a line end or the end of the text.
        if (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\r' && text_[at_] != '\n')
          return LineError(line_, "text after a closing quote");
      }
      const char c = at_ < text_.size() ? text_[at_] : '\n';
      if (c == ',') {
        fields.push_back(std::move(field));
        field.clear();
        ++at_;
      } else if (c == '\r' || c == '\n') {
        fields.push_back(std::move(field));
        if (c == '\r' && at_ + 1 < text_.size() && text_[at_ + 1] == '\n') ++at_;
        ++at_;
        ++line_;
        return true;
      } else if (c == '"') {
        return LineError(line_, "a quote inside an unquoted field");
      } else {
        field += c;
        ++at_;
      }
    }
  }

 private:
  // Reads a quoted field from its opening quote to just past its closing one; "" is a
  // quote, and line breaks inside count towards the line numbers.
  Status Quoted(std::string& field) {
    const int opened = line_;
    for (++at_; at_ < text_.size(); ++at_) {
      const char c = text_[at_];
      if (c == '"') {
        if (at_ + 1 < text_.size() && text_[at_ + 1] == '"') {
          field += '"';
          ++at_;
          continue;
        }
        ++at_;
        return Status::Ok();
      }
      if (c == '\n') ++line_;
      field += c;
    }
    return LineError(opened, "a quoted field is not closed");
  }

  std::string_view text_;
  size_t at_ = 0;
  int line_ = 1;
};

std::string LowerAscii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool Blank(const std::vector<std::string>& fields) {
  return fields.size() == 1 && Trimmed(fields[0]).empty();
}

}  // namespace

Result<std::vector<CodeRow>> ReadCodeListCsv(std::string_view text) {
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  CsvRecords records(text);
  std::vector<std::string> fields;
  int line = 1;
  auto header = records.Next(fields, line);
  if (!header.ok()) return header.status();
  const std::vector<std::string> expected = {"code", "title_mn", "title_en"};
  bool header_ok = *header && fields.size() == expected.size();
  for (size_t i = 0; header_ok && i < fields.size(); ++i)
    header_ok = LowerAscii(Trimmed(fields[i])) == expected[i];
  if (!header_ok) return LineError(1, "the first line must be the header code,title_mn,title_en");

  std::vector<CodeRow> rows;
  while (true) {
    auto more = records.Next(fields, line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (Blank(fields)) continue;
    if (fields.size() != 3)
      return LineError(line, "expected 3 fields (code,title_mn,title_en), found " +
                                 std::to_string(fields.size()));
    rows.push_back(CodeRow{line, std::move(fields[0]), std::move(fields[1]), std::move(fields[2])});
  }
  return rows;
}

}  // namespace telerad
