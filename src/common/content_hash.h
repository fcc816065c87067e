// ContentHash: a 128-bit digest of canonical bytes (SHA-1 based, through Boost.UUID's
// name-based generator), used for combination ids and task keys. Deterministic across runs,
// platforms and rank counts.
#ifndef FAI_COMMON_CONTENT_HASH_H_
#define FAI_COMMON_CONTENT_HASH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace fai {

struct ContentHash {
  uint64_t hi = 0;
  uint64_t lo = 0;

  static ContentHash Of(std::string_view bytes);
  // 32 lower-case hex digits.
  std::string Hex() const;
  // The first `digits` hex digits (a short id for display and combination ids).
  std::string ShortHex(int digits = 12) const { return Hex().substr(0, digits); }
  bool operator==(const ContentHash&) const = default;
  auto operator<=>(const ContentHash&) const = default;
};

// Accumulates canonical bytes, then hashes them. Field helpers length-prefix their input so that
// ("ab","c") and ("a","bc") differ.
class ContentHasher {
 public:
  ContentHasher& Add(std::string_view s);
  ContentHasher& Add(uint64_t x);
  // Appends raw bytes (already canonical, e.g. from Value::Encode).
  ContentHasher& AddRaw(std::string_view bytes) {
    buf_.append(bytes);
    return *this;
  }
  ContentHash Finish() const { return ContentHash::Of(buf_); }

 private:
  std::string buf_;
};

struct ContentHashHasher {
  size_t operator()(const ContentHash& h) const { return static_cast<size_t>(h.lo ^ (h.hi * 31)); }
};

}  // namespace fai

#endif  // FAI_COMMON_CONTENT_HASH_H_
