// A small, strict parser of the Prometheus text exposition format 0.0.4, for tests:
// the whole scrape is parsed and any deviation is an error naming its line, so a test
// checks real structure rather than substrings.
//
// Checked: every line is a `# HELP`, `# TYPE` or other comment, or a sample
// `name{label="value",...} value [timestamp]`; names and label names are valid; label
// values are quoted with only \\, \" and \n escapes; values are numbers (or NaN, +Inf,
// -Inf); the text ends with a newline; HELP and TYPE come before their family's samples,
// at most once each, and a family's lines are contiguous; every sample belongs to a
// family with a TYPE; histogram buckets carry `le`, rise monotonically, end with +Inf,
// and the +Inf bucket equals _count.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace telerad::testing {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct PromExposition {
  std::string error;                        // "" when the text parsed
  std::map<std::string, std::string> type;  // family -> counter, gauge, histogram, ...
  std::map<std::string, std::string> help;
  std::vector<PromSample> samples;
  bool ok() const { return error.empty(); }

  // Sum of the samples called `name` whose labels include every pair of `match`.
  double Sum(const std::string& name, const std::map<std::string, std::string>& match = {}) const {
    double sum = 0;
    for (const auto& s : samples) {
      if (s.name != name) continue;
      bool all = true;
      for (const auto& [k, v] : match) {
        auto it = s.labels.find(k);
        all = all && it != s.labels.end() && it->second == v;
      }
      if (all) sum += s.value;
    }
    return sum;
  }
  // How many samples called `name` include every pair of `match`.
  size_t Count(const std::string& name,
               const std::map<std::string, std::string>& match = {}) const {
    size_t n = 0;
    for (const auto& s : samples) {
      if (s.name != name) continue;
      bool all = true;
      for (const auto& [k, v] : match) {
        auto it = s.labels.find(k);
        all = all && it != s.labels.end() && it->second == v;
      }
      n += all ? 1 : 0;
    }
    return n;
  }
};

namespace prom_detail {

inline bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
inline bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

inline bool ValidName(const std::string& s, bool colons = true) {
  if (s.empty() || !IsNameStart(s[0]) || (!colons && s[0] == ':')) return false;
  for (char c : s)
    if (!IsNameChar(c) || (!colons && c == ':')) return false;
  return true;
}

inline bool ParseNumber(const std::string& s, double* out) {
  if (s == "NaN") return *out = std::nan(""), true;
  if (s == "+Inf" || s == "Inf") return *out = INFINITY, true;
  if (s == "-Inf") return *out = -INFINITY, true;
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && !std::isnan(*out) && !std::isinf(*out);
}

inline bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The family a sample name belongs to, given the TYPEs seen so far.
inline std::string FamilyOf(const std::string& name,
                            const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    if (!EndsWith(name, suffix)) continue;
    std::string base = name.substr(0, name.size() - std::string(suffix).size());
    auto it = types.find(base);
    if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
  }
  return name;
}

}  // namespace prom_detail

inline PromExposition ParsePrometheusText(const std::string& text) {
  using namespace prom_detail;
  PromExposition e;
  if (!text.empty() && text.back() != '\n') {
    e.error = "text does not end with a newline";
    return e;
  }
  std::set<std::string> closed;  // families whose lines have ended
  std::set<std::string> with_samples;
  std::string current;  // the family of the latest line
  auto enter = [&](const std::string& family) -> bool {
    if (family == current) return true;
    if (closed.count(family)) return false;
    if (!current.empty()) closed.insert(current);
    current = family;
    return true;
  };
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    auto fail = [&](const std::string& why) {
      e.error = "line " + std::to_string(line_no) + ": " + why + ": " + line;
      return e;
    };
    if (line.empty()) return fail("empty line");
    if (line[0] == '#') {
      if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
        const bool is_type = line[2] == 'T';
        const size_t name_end = line.find(' ', 7);
        const std::string name =
            line.substr(7, name_end == std::string::npos ? std::string::npos : name_end - 7);
        const std::string rest = name_end == std::string::npos ? "" : line.substr(name_end + 1);
        if (!ValidName(name)) return fail("bad metric name");
        if (!enter(name)) return fail("family reappears after other families");
        if (with_samples.count(name)) return fail("HELP/TYPE after the family's samples");
        auto& table = is_type ? e.type : e.help;
        if (table.count(name)) return fail("repeated HELP/TYPE");
        if (is_type) {
          static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                       "untyped"};
          if (!kTypes.count(rest)) return fail("unknown type");
        }
        table[name] = rest;
      }
      continue;  // any other comment
    }
    // A sample: name, optional {labels}, value, optional timestamp.
    size_t i = 0;
    while (i < line.size() && IsNameChar(line[i])) ++i;
    PromSample s;
    s.name = line.substr(0, i);
    if (!ValidName(s.name)) return fail("bad sample name");
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const size_t start = i;
        while (i < line.size() && IsNameChar(line[i])) ++i;
        const std::string label = line.substr(start, i - start);
        if (!ValidName(label, false)) return fail("bad label name");
        if (s.labels.count(label)) return fail("repeated label");
        if (i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"')
          return fail("label without =\"value\"");
        i += 2;
        std::string value;
        bool closed_quote = false;
        while (i < line.size()) {
          const char c = line[i++];
          if (c == '"') {
            closed_quote = true;
            break;
          }
          if (c == '\\') {
            if (i >= line.size()) return fail("dangling escape");
            const char n = line[i++];
            if (n == 'n')
              value += '\n';
            else if (n == '\\' || n == '"')
              value += n;
            else
              return fail("bad escape");
          } else {
            value += c;
          }
        }
        if (!closed_quote) return fail("unterminated label value");
        s.labels[label] = value;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return fail("unterminated label set");
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') return fail("no space before the value");
    const std::string rest = line.substr(i + 1);
    const size_t space = rest.find(' ');
    if (!ParseNumber(rest.substr(0, space), &s.value)) return fail("value is not a number");
    if (space != std::string::npos) {
      const std::string ts = rest.substr(space + 1);
      if (ts.empty() || ts.find_first_not_of("-0123456789") != std::string::npos)
        return fail("bad timestamp");
    }
    const std::string family = FamilyOf(s.name, e.type);
    if (!e.type.count(family)) return fail("sample without a preceding TYPE");
    if (!enter(family)) return fail("family reappears after other families");
    with_samples.insert(family);
    e.samples.push_back(std::move(s));
  }
  // Histograms: per label set (without le), buckets rise, end at +Inf, equal _count.
  for (const auto& [family, type] : e.type) {
    if (type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
    std::map<std::map<std::string, std::string>, double> counts;
    for (const auto& s : e.samples) {
      if (s.name == family + "_bucket") {
        auto labels = s.labels;
        auto le = labels.find("le");
        double bound = 0;
        if (le == labels.end() || !ParseNumber(le->second, &bound)) {
          if (le == labels.end() || le->second != "+Inf") {
            e.error = family + ": bucket without a numeric le";
            return e;
          }
          bound = INFINITY;
        }
        labels.erase("le");
        buckets[labels].push_back({bound, s.value});
      } else if (s.name == family + "_count") {
        counts[s.labels] = s.value;
      }
    }
    for (const auto& [labels, list] : buckets) {
      for (size_t k = 1; k < list.size(); ++k)
        if (!(list[k].first > list[k - 1].first) || list[k].second < list[k - 1].second) {
          e.error = family + ": buckets not rising";
          return e;
        }
      if (list.empty() || !std::isinf(list.back().first) || !counts.count(labels) ||
          counts[labels] != list.back().second) {
        e.error = family + ": no +Inf bucket equal to _count";
        return e;
      }
    }
  }
  return e;
}

}  // namespace telerad::testing
