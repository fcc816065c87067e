// Boost.Serialization for fai::Value (and Eigen matrices, tables, blobs), plus helpers that
// turn any serialisable object into bytes and back with a binary archive (no header).
// Used on the wire and in the journal.
#ifndef FAI_COMMON_VALUE_SERIALIZATION_H_
#define FAI_COMMON_VALUE_SERIALIZATION_H_

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/iostreams/device/array.hpp>
#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/stream.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/level.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/tracking.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>
#include <string>
#include <string_view>

#include "fai/value.h"

// Values are plain data: no class info or pointer tracking in the archive.
BOOST_CLASS_IMPLEMENTATION(fai::Value, boost::serialization::object_serializable)
BOOST_CLASS_TRACKING(fai::Value, boost::serialization::track_never)

namespace boost::serialization {

template <class Archive>
void save(Archive& ar, const fai::Value& v, unsigned /*version*/);
template <class Archive>
void load(Archive& ar, fai::Value& v, unsigned /*version*/);
template <class Archive>
void serialize(Archive& ar, fai::Value& v, unsigned version) {
  split_free(ar, v, version);
}

}  // namespace boost::serialization

namespace fai {

// Serialises `object` into a byte string.
template <typename T>
std::string ToBytes(const T& object) {
  std::string out;
  {
    boost::iostreams::stream<boost::iostreams::back_insert_device<std::string>> os(out);
    boost::archive::binary_oarchive ar(os, boost::archive::no_header | boost::archive::no_codecvt);
    ar << object;
  }
  return out;
}

// Reads an object written by ToBytes. Throws boost::archive::archive_exception on bad input.
template <typename T>
void FromBytes(std::string_view bytes, T* object) {
  boost::iostreams::stream<boost::iostreams::array_source> is(bytes.data(), bytes.size());
  boost::archive::binary_iarchive ar(is, boost::archive::no_header | boost::archive::no_codecvt);
  ar >> *object;
}

}  // namespace fai

#include "common/value_serialization_impl.h"

#endif  // FAI_COMMON_VALUE_SERIALIZATION_H_
