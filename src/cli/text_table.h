// TextTable: left-aligned columns for terminal output (numbers right-aligned).
#ifndef FAI_CLI_TEXT_TABLE_H_
#define FAI_CLI_TEXT_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace fai {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  size_t size() const { return rows_.size(); }
  // Writes the header, a rule and every row, each line starting with `indent`.
  void Print(std::ostream& out, const std::string& indent = "") const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace fai

#endif  // FAI_CLI_TEXT_TABLE_H_
