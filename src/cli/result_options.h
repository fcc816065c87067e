// ResultOptions: what `fai-sweep show`, `export` and `status` take, filled from flags in one
// place (cli/main.cc). Every field has a default.
#ifndef FAI_CLI_RESULT_OPTIONS_H_
#define FAI_CLI_RESULT_OPTIONS_H_

#include <cstddef>
#include <string>
#include <vector>

namespace fai {

struct ResultOptions {
  std::string path;                  // the result file (results.h5)
  std::vector<std::string> where;    // --where conditions, all must hold
  std::string sort;                  // --sort COLUMN; "": file order
  bool ascending = false;            // --asc: smallest first (default: largest first)
  size_t top = 0;                    // --top N; 0: every row
  std::vector<std::string> columns;  // --columns: the columns shown / exported; empty: all
  std::string combo;                 // show --combo ID: every saved output of one combination
  size_t max_rows = 20;              // show --combo: rows of a matrix or table printed
  std::string csv;                   // export --csv FILE ("-": stdout)
  std::string json;                  // export --json FILE ("-": stdout)
  bool watch = false;                // status --watch: repeat until the run ends
  double interval_s = 2;             // status --watch: seconds between reports
};

}  // namespace fai

#endif  // FAI_CLI_RESULT_OPTIONS_H_
