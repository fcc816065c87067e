// Reading JSON text for user-facing files: a syntax error is located by line and column, and a key
// that appears twice in one object (which nlohmann::json silently collapses to the last) is
// reported.
#ifndef FAI_CANVAS_JSON_READER_H_
#define FAI_CANVAS_JSON_READER_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace fai {

// One step of a key path: an object key or an array index.
struct JsonPathStep {
  bool is_index = false;
  std::string key;
  size_t index = 0;
};

// A key found twice in the object at `path` (empty: the top-level object).
struct DuplicateJsonKey {
  std::vector<JsonPathStep> path;
  std::string key;
};

// Parses `text` into *out. On a syntax error returns false and sets *error to
// "LINE:COL: <what is wrong>" (both 1-based). Duplicate keys do not fail the parse; they are
// appended to *duplicates in document order.
bool ReadJson(std::string_view text, nlohmann::json* out, std::vector<DuplicateJsonKey>* duplicates,
              std::string* error);

// Steps [first, end) of a path as text: `params.lr`, `modules[3].inputs`.
std::string JsonPathText(const std::vector<JsonPathStep>& path, size_t first = 0);

// A value's kind and, for scalars, its text, for "got ..." in messages: `int 3`, `string "x"`,
// `a list`, `an empty object`, `null`.
std::string DescribeJson(const nlohmann::json& j);

}  // namespace fai

#endif  // FAI_CANVAS_JSON_READER_H_
