// Reads canvas.json into a validated Canvas.
//
// Every problem found is reported, one per line, each naming the file, the module id and the
// key, with a did-you-mean where one fits: malformed JSON (with line and column), unknown
// top-level or module keys, a missing or duplicate id, an unknown type, an unknown param, a
// param of the wrong type or out of range, a missing required param, bad resources / timeout /
// retries, an input naming a missing module or port, an unconnected required input, and a cycle
// (printed as `m3 -> m5 -> m3`). All of them are Status::InvalidInput.
#ifndef FAI_CANVAS_CANVAS_PARSER_H_
#define FAI_CANVAS_CANVAS_PARSER_H_

#include <string>
#include <string_view>

#include "canvas/canvas.h"
#include "common/status.h"
#include "fai/module.h"

namespace fai {

// `filename` is used in messages only.
Result<Canvas> ParseCanvas(std::string_view json_text, const std::string& filename,
                           const ModuleRegistry& registry);

// Reads the file, then ParseCanvas. A missing file is InvalidInput naming the path.
Result<Canvas> LoadCanvas(const std::string& path, const ModuleRegistry& registry);

}  // namespace fai

#endif  // FAI_CANVAS_CANVAS_PARSER_H_
