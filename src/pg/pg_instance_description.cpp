#include "src/pg/pg_instance_description.h"

#include <vector>

namespace telerad {
namespace {

// PostgreSQL array literal of numbers, {1,2,3}: libpqxx 6 binds no arrays.
template <typename T, typename Get>
std::string NumberArrayLiteral(const std::vector<T>& values, Get get) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(get(values[i]));
  }
  return out + '}';
}

// A one-dimensional array of integers as PostgreSQL prints it ({1,2,3}); nullopt if the
// text is not one.
std::optional<std::vector<uint64_t>> ParseNumberArray(const std::string& text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::vector<uint64_t> out;
  uint64_t value = 0;
  bool digits = false;
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      value = value * 10 + static_cast<uint64_t>(c - '0');
      digits = true;
    } else if (c == ',' || c == '}') {
      if (!digits) {
        if (c == '}' && out.empty() && i == 1) break;  // {}
        return std::nullopt;
      }
      out.push_back(value);
      value = 0;
      digits = false;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

void InsertInstanceDescription(pqxx::transaction_base& txn, int64_t instance_id,
                               const std::string& dicom_json,
                               const std::optional<PixelLayout>& layout) {
  if (!dicom_json.empty())
    txn.exec_params(
        "INSERT INTO instance_metadata (instance_id, dicom_json) VALUES ($1, $2)"
        " ON CONFLICT (instance_id) DO NOTHING",
        instance_id, dicom_json);
  if (!layout) return;
  txn.exec_params(
      "INSERT INTO instance_pixel_layout (instance_id, encapsulated, number_of_frames,"
      " value_offset, frame_bytes, fragment_offsets, fragment_lengths, frame_first_fragment)"
      " VALUES ($1, $2, $3, $4, $5, $6::bigint[], $7::bigint[], $8::integer[])"
      " ON CONFLICT (instance_id) DO NOTHING",
      instance_id, layout->encapsulated, layout->number_of_frames,
      static_cast<int64_t>(layout->value_offset), static_cast<int64_t>(layout->frame_bytes),
      NumberArrayLiteral(layout->fragments, [](const FileSlice& s) { return s.offset; }),
      NumberArrayLiteral(layout->fragments, [](const FileSlice& s) { return s.length; }),
      NumberArrayLiteral(layout->frame_first_fragment, [](uint32_t v) { return v; }));
}

std::optional<PixelLayout> PixelLayoutFromRow(const pqxx::row& row, int first) {
  PixelLayout layout;
  layout.encapsulated = row[first].as<bool>();
  layout.number_of_frames = row[first + 1].as<int>();
  layout.value_offset = static_cast<uint64_t>(row[first + 2].as<int64_t>());
  layout.frame_bytes = static_cast<uint64_t>(row[first + 3].as<int64_t>());
  auto offsets = ParseNumberArray(row[first + 4].as<std::string>());
  auto lengths = ParseNumberArray(row[first + 5].as<std::string>());
  auto frames = ParseNumberArray(row[first + 6].as<std::string>());
  if (!offsets || !lengths || !frames || offsets->size() != lengths->size()) return std::nullopt;
  for (size_t i = 0; i < offsets->size(); ++i)
    layout.fragments.push_back({(*offsets)[i], (*lengths)[i]});
  for (uint64_t f : *frames) layout.frame_first_fragment.push_back(static_cast<uint32_t>(f));
  return layout;
}

}  // namespace telerad
