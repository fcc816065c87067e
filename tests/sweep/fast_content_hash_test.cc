#include "sweep/fast_content_hash.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace fai {
namespace {

TEST(GridFastContentHash, EqualsContentHashOfForEveryLength) {
  std::mt19937_64 rng(1);
  // Every length around the SHA-1 block and padding boundaries (the namespace adds 16 bytes).
  for (size_t n = 0; n < 300; ++n) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    ASSERT_EQ(FastContentHash(bytes), ContentHash::Of(bytes)) << "length " << n;
    ASSERT_EQ(FastContentHashPortable(bytes), ContentHash::Of(bytes)) << "length " << n;
  }
  const std::string large(100000, 'x');
  EXPECT_EQ(FastContentHash(large), ContentHash::Of(large));
  EXPECT_EQ(FastContentHashPortable(large), ContentHash::Of(large));
  EXPECT_EQ(FastContentHash("abc").Hex(), ContentHash::Of("abc").Hex());
}

}  // namespace
}  // namespace fai
