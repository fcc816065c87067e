// BlobWriter / BlobReader: the little-endian binary encoding of the model blobs
// (fixed-width integers, IEEE doubles, length-prefixed strings). The reader checks every length
// and throws std::invalid_argument("<what>: truncated or damaged") instead of reading past the
// end. Header-only; each object is used by one thread.
#ifndef FAI_CANVAS_MODULES_BLOB_CODEC_H_
#define FAI_CANVAS_MODULES_BLOB_CODEC_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace fai::quant {

static_assert(std::endian::native == std::endian::little, "model blobs are written little-endian");

class BlobWriter {
 public:
  template <typename T>
  void Put(T value) {
    static_assert(std::is_arithmetic_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void PutString(const std::string& s) {
    Put(static_cast<uint32_t>(s.size()));
    bytes_ += s;
  }
  void PutRaw(const std::string& s) { bytes_ += s; }
  std::string Take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class BlobReader {
 public:
  BlobReader(const std::string& bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

  template <typename T>
  T Get() {
    static_assert(std::is_arithmetic_v<T>);
    Need(sizeof(T));
    T value;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  std::string GetString() {
    const uint32_t size = Get<uint32_t>();
    Need(size);
    std::string s = bytes_.substr(pos_, size);
    pos_ += size;
    return s;
  }
  // Reads a count and checks that at least count * min_bytes_each bytes remain.
  uint32_t GetCount(size_t min_bytes_each) {
    const uint32_t count = Get<uint32_t>();
    Need(static_cast<size_t>(count) * min_bytes_each);
    return count;
  }
  void ExpectRaw(const std::string& magic) {
    Need(magic.size());
    if (bytes_.compare(pos_, magic.size(), magic) != 0) Fail();
    pos_ += magic.size();
  }
  void ExpectEnd() const {
    if (pos_ != bytes_.size()) Fail();
  }

 private:
  void Need(size_t n) const {
    if (n > bytes_.size() - pos_) Fail();
  }
  [[noreturn]] void Fail() const { throw std::invalid_argument(what_ + ": truncated or damaged"); }

  const std::string& bytes_;
  std::string what_;
  size_t pos_ = 0;
};

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_BLOB_CODEC_H_
