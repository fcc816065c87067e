#include "common/content_hash.h"

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid.hpp>

namespace fai {

ContentHash ContentHash::Of(std::string_view bytes) {
  // A fixed namespace makes the digest a pure function of the bytes.
  static const boost::uuids::uuid kNamespace = {{0x6f, 0x3a, 0x10, 0x2c, 0x51, 0x7e, 0x4b, 0x9d,
                                                 0x8a, 0x22, 0xc4, 0x05, 0x93, 0xe1, 0x77, 0x0f}};
  boost::uuids::name_generator_sha1 gen(kNamespace);
  boost::uuids::uuid u = gen(bytes.data(), bytes.size());
  ContentHash h;
  for (int i = 0; i < 8; ++i) h.hi = (h.hi << 8) | u.data[i];
  for (int i = 8; i < 16; ++i) h.lo = (h.lo << 8) | u.data[i];
  return h;
}

std::string ContentHash::Hex() const {
  static const char* kDigits = "0123456789abcdef";
  std::string s(32, '0');
  for (int i = 0; i < 16; ++i) {
    uint64_t word = i < 8 ? hi : lo;
    int shift = 8 * (7 - (i % 8));
    uint8_t byte = static_cast<uint8_t>(word >> shift);
    s[2 * i] = kDigits[byte >> 4];
    s[2 * i + 1] = kDigits[byte & 0xf];
  }
  return s;
}

ContentHasher& ContentHasher::Add(std::string_view s) {
  Add(static_cast<uint64_t>(s.size()));
  buf_.append(s);
  return *this;
}

ContentHasher& ContentHasher::Add(uint64_t x) {
  for (int i = 0; i < 8; ++i) buf_.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
  return *this;
}

}  // namespace fai
