#include "dicom/pixel_layout_reader.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "dicom/byte_cursor.h"
#include "dicom/header_reader.h"

namespace telerad::dicom {
namespace {

constexpr uint32_t kUndefinedLength = 0xFFFFFFFF;
// Offset tables larger than this are not believed (8 bytes for each of a million frames).
constexpr uint64_t kMaxOffsetTableBytes = uint64_t{8} << 20;

enum class Encoding { kImplicitLittle, kExplicitLittle, kExplicitBig };

uint16_t U16(const uint8_t* b, bool big) {
  return big ? static_cast<uint16_t>(b[0] << 8 | b[1]) : static_cast<uint16_t>(b[1] << 8 | b[0]);
}

uint32_t U32(const uint8_t* b, bool big) {
  return big ? static_cast<uint32_t>(U16(b, true)) << 16 | U16(b + 2, true)
             : static_cast<uint32_t>(U16(b + 2, false)) << 16 | U16(b, false);
}

uint64_t U64Little(const uint8_t* b) {
  return static_cast<uint64_t>(U32(b + 4, false)) << 32 | U32(b, false);
}

// VRs encoded with two reserved bytes and a 32-bit length (PS3.5 7.1.2).
bool HasLongLength(const uint8_t vr[2]) {
  static const char* const kShort[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT",
                                       "FL", "FD", "IS", "LO", "LT", "PN", "SH",
                                       "SL", "SS", "ST", "TM", "UI", "UL", "US"};
  for (const char* s : kShort)
    if (vr[0] == s[0] && vr[1] == s[1]) return false;
  return true;
}

struct ElementHeader {
  uint16_t group = 0;
  uint16_t element = 0;
  uint32_t length = 0;
  bool unknown_vr = false;  // UN: an undefined length holds implicit VR LE items
};

class LayoutWalker {
 public:
  LayoutWalker(ByteCursor& in, Encoding encoding) : in_(in), encoding_(encoding) {}

  Result<std::optional<PixelLayout>> Walk(const FrameGeometry& geometry) {
    std::vector<uint64_t> extended_offsets;
    for (;;) {
      if (in_.AtEnd()) return std::optional<PixelLayout>();
      ElementHeader h;
      if (!ReadHeader(encoding_, h)) return Truncated();
      if (h.group == 0x7FE0 && h.element == 0x0001 && h.length != kUndefinedLength &&
          h.length <= kMaxOffsetTableBytes && h.length % 8 == 0) {
        std::vector<uint8_t> table(h.length);
        if (!in_.Read(table.data(), table.size())) return Truncated();
        extended_offsets.clear();
        for (size_t i = 0; i < table.size(); i += 8)
          extended_offsets.push_back(U64Little(&table[i]));
        continue;
      }
      if (h.group == 0x7FE0 &&
          (h.element == 0x0010 || h.element == 0x0008 || h.element == 0x0009)) {
        if (h.length == kUndefinedLength) return Encapsulated(geometry, extended_offsets);
        return Native(geometry, h.length);
      }
      if (h.length != kUndefinedLength) {
        if (!in_.Skip(h.length)) return Truncated();
      } else if (!SkipNested(h.unknown_vr ? Encoding::kImplicitLittle : encoding_)) {
        return Truncated();
      }
    }
  }

 private:
  static Status Truncated() { return Status::Malformed("data set ends inside an element"); }

  bool ReadHeader(Encoding encoding, ElementHeader& h) {
    const bool big = encoding == Encoding::kExplicitBig;
    uint8_t tag[4];
    if (!in_.Read(tag, 4)) return false;
    h.group = U16(tag, big);
    h.element = U16(tag + 2, big);
    h.unknown_vr = false;
    uint8_t b[6];
    if (h.group == 0xFFFE || encoding == Encoding::kImplicitLittle) {
      if (!in_.Read(b, 4)) return false;
      h.length = U32(b, big);
      return true;
    }
    uint8_t vr[2];
    if (!in_.Read(vr, 2)) return false;
    const bool long_length = HasLongLength(vr);
    if (!in_.Read(b, long_length ? 6 : 2)) return false;
    h.length = long_length ? U32(b + 2, big) : U16(b, big);
    h.unknown_vr = vr[0] == 'U' && vr[1] == 'N';
    return true;
  }

  // Skips what follows an undefined-length element up to its sequence delimiter, items of
  // undefined length and nested sequences included, iteratively (the screen bounded the
  // depth; this keeps a small stack of encodings, never a recursion).
  bool SkipNested(Encoding inside) {
    std::vector<Encoding> open{inside};
    while (!open.empty()) {
      ElementHeader h;
      if (!ReadHeader(open.back(), h)) return false;
      if (h.group == 0xFFFE) {
        if (h.element == 0xE000) {
          if (h.length == kUndefinedLength)
            open.push_back(open.back());
          else if (!in_.Skip(h.length))
            return false;
        } else {
          open.pop_back();  // item or sequence delimitation
        }
      } else if (h.length == kUndefinedLength) {
        open.push_back(h.unknown_vr ? Encoding::kImplicitLittle : open.back());
      } else if (!in_.Skip(h.length)) {
        return false;
      }
    }
    return true;
  }

  Result<std::optional<PixelLayout>> Native(const FrameGeometry& g, uint32_t length) {
    PixelLayout layout;
    layout.number_of_frames = std::max(g.number_of_frames, 1);
    layout.value_offset = in_.position();
    const uint64_t frame_bits = static_cast<uint64_t>(std::max(g.rows, 0)) *
                                static_cast<uint64_t>(std::max(g.columns, 0)) *
                                static_cast<uint64_t>(std::max(g.samples_per_pixel, 1)) *
                                static_cast<uint64_t>(std::max(g.bits_allocated, 0));
    // Frames of 1-bit pixels may start inside a byte (PS3.5 8.1.1): no byte range then.
    if (frame_bits == 0 || (frame_bits % 8 != 0 && layout.number_of_frames > 1))
      return std::optional<PixelLayout>();
    layout.frame_bytes = (frame_bits + 7) / 8;
    if (layout.frame_bytes * static_cast<uint64_t>(layout.number_of_frames) > length)
      return std::optional<PixelLayout>();
    return std::optional<PixelLayout>(std::move(layout));
  }

  Result<std::optional<PixelLayout>> Encapsulated(const FrameGeometry& g,
                                                  const std::vector<uint64_t>& extended) {
    PixelLayout layout;
    layout.encapsulated = true;
    layout.number_of_frames = std::max(g.number_of_frames, 1);
    std::vector<uint64_t> basic;   // the Basic Offset Table
    std::vector<uint64_t> starts;  // each fragment item's start, from the first fragment's
    uint64_t first_item = 0;
    for (bool table = true;; table = false) {
      const uint64_t item_start = in_.position();
      ElementHeader h;
      if (!ReadHeader(Encoding::kExplicitLittle, h)) return Truncated();
      if (h.group != 0xFFFE || h.element != 0xE000) break;  // the sequence delimiter
      if (h.length == kUndefinedLength) return Status::Malformed("fragment of undefined length");
      if (table) {
        if (h.length <= kMaxOffsetTableBytes && h.length % 4 == 0) {
          std::vector<uint8_t> bytes(h.length);
          if (!in_.Read(bytes.data(), bytes.size())) return Truncated();
          for (size_t i = 0; i < bytes.size(); i += 4) basic.push_back(U32(&bytes[i], false));
        } else if (!in_.Skip(h.length)) {
          return Truncated();
        }
        continue;
      }
      if (layout.fragments.empty()) first_item = item_start;
      starts.push_back(item_start - first_item);
      layout.fragments.push_back({in_.position(), h.length});
      if (!in_.Skip(h.length)) return Truncated();
    }
    const size_t frames = static_cast<size_t>(layout.number_of_frames);
    const size_t fragments = layout.fragments.size();
    if (fragments == 0) return std::optional<PixelLayout>();
    if (auto map = FromOffsets(extended, starts, frames)) {
      layout.frame_first_fragment = std::move(*map);
    } else if (auto from_basic = FromOffsets(basic, starts, frames)) {
      layout.frame_first_fragment = std::move(*from_basic);
    } else if (fragments == frames) {
      for (size_t k = 0; k < frames; ++k)
        layout.frame_first_fragment.push_back(static_cast<uint32_t>(k));
    } else if (frames == 1) {
      layout.frame_first_fragment.push_back(0);
    } else {
      return std::optional<PixelLayout>();
    }
    return std::optional<PixelLayout>(std::move(layout));
  }

  // Each frame's first fragment from an offset table: one offset per frame, increasing,
  // each the start of a fragment item; nullopt otherwise.
  static std::optional<std::vector<uint32_t>> FromOffsets(const std::vector<uint64_t>& offsets,
                                                          const std::vector<uint64_t>& starts,
                                                          size_t frames) {
    if (offsets.size() != frames || frames == 0 || offsets[0] != 0) return std::nullopt;
    std::vector<uint32_t> first;
    for (size_t k = 0; k < frames; ++k) {
      auto at = std::lower_bound(starts.begin(), starts.end(), offsets[k]);
      if (at == starts.end() || *at != offsets[k]) return std::nullopt;
      const auto index = static_cast<uint32_t>(at - starts.begin());
      if (k > 0 && index <= first.back()) return std::nullopt;
      first.push_back(index);
    }
    return first;
  }

  ByteCursor& in_;
  const Encoding encoding_;
};

}  // namespace

Result<std::optional<PixelLayout>> ReadPixelLayout(const std::string& path,
                                                   const std::string& transfer_syntax_uid,
                                                   const FrameGeometry& geometry) {
  if (transfer_syntax_uid == "1.2.840.10008.1.2.1.99") return std::optional<PixelLayout>();
  auto data_set = DataSetOffset(path);
  if (!data_set.ok()) return data_set.status();
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return Status::Internal("cannot open the stored file");
  FileSource source(file.get());
  ByteCursor in(source);
  if (!in.Skip(*data_set)) return Status::Malformed("no data set");
  const Encoding encoding = transfer_syntax_uid == "1.2.840.10008.1.2" ? Encoding::kImplicitLittle
                            : transfer_syntax_uid == "1.2.840.10008.1.2.2"
                                ? Encoding::kExplicitBig
                                : Encoding::kExplicitLittle;
  return LayoutWalker(in, encoding).Walk(geometry);
}

}  // namespace telerad::dicom
