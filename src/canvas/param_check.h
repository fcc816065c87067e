// Checking a value against a declared parameter, shared by the canvas parser and the grid binding.
#ifndef FAI_CANVAS_PARAM_CHECK_H_
#define FAI_CANVAS_PARAM_CHECK_H_

#include <string>

#include "fai/module.h"
#include "fai/value.h"

namespace fai {

// Coerces `value` to the spec's type (an integral double to int, an int to double, each list
// element likewise) and checks bounds and choices. On success returns "" and sets *coerced;
// otherwise returns what was expected and what was found, e.g.
// `expected int in [1, 1000], got 0` or `expected int, got string "ten"`.
std::string CheckParamValue(const ParamSpec& spec, const Value& value, Value* coerced);

// True when a canvas entry must set the param: its default is null and its type is not kAny
// (for a kAny param, null is an ordinary default value).
bool IsRequiredParam(const ParamSpec& spec);

// Parses a memory size: a number of bytes, or a string "512M", "4G", "1.5GiB", "100KB" (powers of
// 1024). Returns false on anything else.
bool ParseMemorySize(const Value& value, uint64_t* bytes);

// Parses a duration: a number of seconds (a bare number string too), or "90s", "5m", "2h", "1h30m",
// "250ms", "1d" (units ms, s, m or min, h, d; no spaces inside). False otherwise, and for
// negatives.
bool ParseDuration(const Value& value, double* seconds);

// "4 GiB", "512 MiB", for messages.
std::string FormatBytes(uint64_t bytes);

}  // namespace fai

#endif  // FAI_CANVAS_PARAM_CHECK_H_
