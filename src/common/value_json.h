// Conversions between fai::Value and nlohmann::json (canvas params, --json output, FAI_TASK files).
#ifndef FAI_COMMON_VALUE_JSON_H_
#define FAI_COMMON_VALUE_JSON_H_

#include <nlohmann/json.hpp>

#include "fai/value.h"

namespace fai {

// JSON integers become ints, other numbers doubles, arrays lists, objects dicts.
Value ValueFromJson(const nlohmann::json& j);

// Scalars, lists and dicts map one to one; a matrix becomes an array of rows, a table an object
// of column arrays, a blob {"blob": type, "bytes": n}. Non-finite doubles become strings ("nan").
nlohmann::json ValueToJson(const Value& v);

}  // namespace fai

#endif  // FAI_COMMON_VALUE_JSON_H_
