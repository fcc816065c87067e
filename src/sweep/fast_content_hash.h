// FastContentHash: ContentHash::Of (common/content_hash.h) computed with a faster SHA-1.
//
// ContentHash::Of goes through Boost's name-based UUID generator, whose SHA-1 consumes one byte
// at a time (~1.5 us for a 130-byte combination, 90% of expanding a grid). This computes the same
// digest (SHA-1 over the same fixed namespace then the bytes, with the UUID version and variant
// bits set the same way) with the x86 SHA extensions where the CPU has them (several times
// faster), else with portable word-at-a-time code, so that a grid expands 10^6 combinations in
// well under a second. tests/sweep/fast_content_hash_test.cc checks equality with
// ContentHash::Of. It belongs in common/content_hash.cc, where task keys would gain too.
// Pure function; thread-safe.
#ifndef FAI_SWEEP_FAST_CONTENT_HASH_H_
#define FAI_SWEEP_FAST_CONTENT_HASH_H_

#include <string_view>

#include "common/content_hash.h"

namespace fai {

// Equal to ContentHash::Of(bytes). Uses the CPU's SHA extensions where it has them.
ContentHash FastContentHash(std::string_view bytes);
// The same without the SHA extensions (what other CPUs run); for tests.
ContentHash FastContentHashPortable(std::string_view bytes);

}  // namespace fai

#endif  // FAI_SWEEP_FAST_CONTENT_HASH_H_
