#include "canvas/json_reader.h"

#include <algorithm>
#include <functional>
#include <set>

#include "common/value_json.h"

namespace fai {

namespace {

using json = nlohmann::json;

// nlohmann's byte count (1-based, the offending character) -> "LINE:COL".
std::string LineColumn(std::string_view text, size_t byte) {
  const size_t offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

// The part of nlohmann's message after "parse error at line L, column C: ".
std::string ParseErrorWhat(const std::string& what) {
  const size_t at = what.find("parse error");
  if (at == std::string::npos) return what;
  const size_t colon = what.find(": ", at);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// Follows the parser's events to know the current key path.
class DuplicateKeyFinder {
 public:
  explicit DuplicateKeyFinder(std::vector<DuplicateJsonKey>* found) : found_(found) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        frames_.push_back({});
        break;
      case json::parse_event_t::array_start:
        frames_.push_back({{true, "", 0}, {}});
        break;
      case json::parse_event_t::key: {
        Frame& f = frames_.back();
        f.step.key = parsed.get<std::string>();
        if (!f.keys.insert(f.step.key).second) {
          DuplicateJsonKey d;
          for (size_t i = 0; i + 1 < frames_.size(); ++i) d.path.push_back(frames_[i].step);
          d.key = f.step.key;
          found_->push_back(std::move(d));
        }
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        ElementDone();
        break;
      case json::parse_event_t::value:
        ElementDone();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    JsonPathStep step;           // the current key (objects) or index (arrays)
    std::set<std::string> keys;  // keys seen so far (objects)
  };

  void ElementDone() {
    if (!frames_.empty() && frames_.back().step.is_index) ++frames_.back().step.index;
  }

  std::vector<Frame> frames_;
  std::vector<DuplicateJsonKey>* found_;
};

}  // namespace

bool ReadJson(std::string_view text, json* out, std::vector<DuplicateJsonKey>* duplicates,
              std::string* error) {
  std::vector<DuplicateJsonKey> found;
  try {
    DuplicateKeyFinder finder(&found);
    *out = json::parse(text.begin(), text.end(), std::ref(finder));
  } catch (const json::parse_error& e) {
    *error = LineColumn(text, e.byte) + ": " + ParseErrorWhat(e.what());
    return false;
  }
  duplicates->insert(duplicates->end(), found.begin(), found.end());
  return true;
}

std::string JsonPathText(const std::vector<JsonPathStep>& path, size_t first) {
  std::string text;
  for (size_t i = first; i < path.size(); ++i) {
    if (path[i].is_index) {
      text += '[';
      text += std::to_string(path[i].index);
      text += ']';
    } else {
      if (!text.empty()) text += '.';
      text += path[i].key;
    }
  }
  return text;
}

std::string DescribeJson(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::array:
      return j.empty() ? "an empty list" : "a list";
    case json::value_t::object:
      return j.empty() ? "an empty object" : "an object";
    default:
      break;
  }
  const Value v = ValueFromJson(j);
  std::string text = v.ToString();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return std::string(KindName(v.kind())) + " " + text;
}

}  // namespace fai
