// Did-you-mean suggestions for misspelt keys, module ids and type names.
#ifndef FAI_COMMON_SUGGEST_H_
#define FAI_COMMON_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace fai {

// Edit distance (case-sensitive) counting insertions, deletions, substitutions and swaps of two
// adjacent characters ("rnage" is one edit from "range").
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when close enough to be a likely typo (distance at most a
// third of the word's length, at least 1, or a case-only difference), else "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean \"x\"?" when ClosestMatch finds one, else "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// `a`, `b`, `c` joined with ", " (each quoted), for "expected one of ..." messages.
std::string QuotedList(const std::vector<std::string>& items);

}  // namespace fai

#endif  // FAI_COMMON_SUGGEST_H_
