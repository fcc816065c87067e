#include "sweep/fast_content_hash.h"

#include <cstdint>
#include <cstring>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace fai {

namespace {

// The namespace UUID of ContentHash::Of (common/content_hash.cc).
constexpr uint8_t kNamespace[16] = {0x6f, 0x3a, 0x10, 0x2c, 0x51, 0x7e, 0x4b, 0x9d,
                                    0x8a, 0x22, 0xc4, 0x05, 0x93, 0xe1, 0x77, 0x0f};

inline uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// SHA-1 round I (FIPS 180-4), fully unrolled: the working variables a..e rotate through s[]
// instead of moving, and the message schedule lives in a 16-word ring.
template <int I>
__attribute__((always_inline)) inline void Round(uint32_t (&s)[5], uint32_t (&w)[16]) {
  constexpr int A = (100 - I) % 5, B = (101 - I) % 5, C = (102 - I) % 5, D = (103 - I) % 5,
                E = (104 - I) % 5;
  uint32_t wi;
  if constexpr (I < 16) {
    wi = w[I];
  } else {
    wi = Rotl(w[(I + 13) & 15] ^ w[(I + 8) & 15] ^ w[(I + 2) & 15] ^ w[I & 15], 1);
    w[I & 15] = wi;
  }
  uint32_t f, k;
  if constexpr (I < 20) {
    f = s[D] ^ (s[B] & (s[C] ^ s[D]));
    k = 0x5A827999u;
  } else if constexpr (I < 40) {
    f = s[B] ^ s[C] ^ s[D];
    k = 0x6ED9EBA1u;
  } else if constexpr (I < 60) {
    f = (s[B] & s[C]) | (s[D] & (s[B] | s[C]));
    k = 0x8F1BBCDCu;
  } else {
    f = s[B] ^ s[C] ^ s[D];
    k = 0xCA62C1D6u;
  }
  s[E] += Rotl(s[A], 5) + f + k + wi;
  s[B] = Rotl(s[B], 30);
}

template <int... I>
__attribute__((always_inline)) inline void Rounds(uint32_t (&s)[5], uint32_t (&w)[16],
                                                  std::integer_sequence<int, I...>) {
  (Round<I>(s, w), ...);
}

// One SHA-1 compression of a 64-byte block, portable.
void Compress(uint32_t h[5], const uint8_t* block) {
  uint32_t w[16];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t{block[4 * i]} << 24) | (uint32_t{block[4 * i + 1]} << 16) |
           (uint32_t{block[4 * i + 2]} << 8) | uint32_t{block[4 * i + 3]};
  }
  uint32_t s[5] = {h[0], h[1], h[2], h[3], h[4]};
  Rounds(s, w, std::make_integer_sequence<int, 80>());
  for (int i = 0; i < 5; ++i) h[i] += s[i];
}

#if defined(__x86_64__) || defined(__i386__)
#define FAI_SHA1_X86 1

// Four SHA-1 rounds (group G of 20) with the SHA extensions, after Intel's reference code: the
// group's message words are m[G % 4]; the schedule for later groups is computed on the way.
template <int G>
__attribute__((target("sha,sse4.1"), always_inline)) inline void ShaNiGroup(__m128i& abcd,
                                                                            __m128i& e0,
                                                                            __m128i& e1,
                                                                            __m128i (&m)[4]) {
  __m128i& e = G % 2 == 0 ? e0 : e1;     // holds this group's E + message words
  __m128i& next = G % 2 == 0 ? e1 : e0;  // receives ABCD for the next group
  e = G == 0 ? _mm_add_epi32(e, m[0]) : _mm_sha1nexte_epu32(e, m[G % 4]);
  next = abcd;
  if constexpr (G >= 3 && G <= 18) m[(G + 1) % 4] = _mm_sha1msg2_epu32(m[(G + 1) % 4], m[G % 4]);
  abcd = _mm_sha1rnds4_epu32(abcd, e, G / 5);
  if constexpr (G >= 1 && G <= 16) m[(G + 3) % 4] = _mm_sha1msg1_epu32(m[(G + 3) % 4], m[G % 4]);
  if constexpr (G >= 2 && G <= 17) m[(G + 2) % 4] = _mm_xor_si128(m[(G + 2) % 4], m[G % 4]);
}

template <int... G>
__attribute__((target("sha,sse4.1"), always_inline)) inline void ShaNiRounds(
    __m128i& abcd, __m128i& e0, __m128i& e1, __m128i (&m)[4], std::integer_sequence<int, G...>) {
  (ShaNiGroup<G>(abcd, e0, e1, m), ...);
}

__attribute__((target("sha,sse4.1"))) void CompressShaNi(uint32_t h[5], const uint8_t* block) {
  const __m128i kByteSwap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h)), 0x1B);
  __m128i e0 = _mm_set_epi32(static_cast<int>(h[4]), 0, 0, 0);
  const __m128i abcd_save = abcd, e0_save = e0;
  __m128i e1 = e0;
  __m128i m[4];
  for (int i = 0; i < 4; ++i) {
    m[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i)),
                            kByteSwap);
  }
  ShaNiRounds(abcd, e0, e1, m, std::make_integer_sequence<int, 20>());
  e0 = _mm_sha1nexte_epu32(e0, e0_save);
  abcd = _mm_add_epi32(abcd, abcd_save);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h), _mm_shuffle_epi32(abcd, 0x1B));
  h[4] = static_cast<uint32_t>(_mm_extract_epi32(e0, 3));
}
#endif

using CompressFn = void (*)(uint32_t h[5], const uint8_t* block);

// The SHA extensions where the CPU has them, else the portable code.
CompressFn ChooseCompress(bool allow_sha_extensions) {
#ifdef FAI_SHA1_X86
  __builtin_cpu_init();
  if (allow_sha_extensions && __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1")) {
    return CompressShaNi;
  }
#endif
  (void)allow_sha_extensions;
  return Compress;
}

class Sha1 {
 public:
  explicit Sha1(CompressFn compress) : compress_(compress) {}

  void Update(const uint8_t* p, size_t n) {
    total_ += n;
    if (used_ > 0) {
      const size_t take = n < 64 - used_ ? n : 64 - used_;
      std::memcpy(buffer_ + used_, p, take);
      used_ += take;
      p += take;
      n -= take;
      if (used_ < 64) return;
      compress_(h_, buffer_);
      used_ = 0;
    }
    for (; n >= 64; p += 64, n -= 64) compress_(h_, p);
    if (n > 0) std::memcpy(buffer_, p, n);
    used_ = n;
  }

  // The first 16 bytes of the digest.
  void Finish(uint8_t out[16]) {
    const uint64_t bits = total_ * 8;
    buffer_[used_++] = 0x80;
    if (used_ > 56) {
      std::memset(buffer_ + used_, 0, 64 - used_);
      compress_(h_, buffer_);
      used_ = 0;
    }
    std::memset(buffer_ + used_, 0, 56 - used_);
    for (int i = 0; i < 8; ++i) buffer_[56 + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    compress_(h_, buffer_);
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<uint8_t>(h_[i] >> (24 - 8 * j));
  }

 private:
  CompressFn compress_;
  uint32_t h_[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  uint8_t buffer_[64];
  size_t used_ = 0;
  uint64_t total_ = 0;
};

ContentHash Sha1ContentHash(std::string_view bytes, CompressFn compress) {
  Sha1 sha(compress);
  sha.Update(kNamespace, sizeof(kNamespace));
  sha.Update(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  uint8_t u[16];
  sha.Finish(u);
  u[8] = static_cast<uint8_t>((u[8] & 0xBF) | 0x80);  // RFC 4122 variant, as Boost sets it
  u[6] = static_cast<uint8_t>((u[6] & 0x0F) | 0x50);  // version 5 (name-based, SHA-1)
  ContentHash h;
  for (int i = 0; i < 8; ++i) h.hi = (h.hi << 8) | u[i];
  for (int i = 8; i < 16; ++i) h.lo = (h.lo << 8) | u[i];
  return h;
}

}  // namespace

ContentHash FastContentHash(std::string_view bytes) {
  static const CompressFn compress = ChooseCompress(true);
  return Sha1ContentHash(bytes, compress);
}

ContentHash FastContentHashPortable(std::string_view bytes) {
  return Sha1ContentHash(bytes, Compress);
}

}  // namespace fai
