#include "sweep/grid.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sweep/grid_block_set.h"
#include "sweep/grid_parser.h"

namespace fai {

const Value* Combination::Find(int key) const {
  auto it = std::lower_bound(values.begin(), values.end(), key,
                             [](const Assignment& a, int k) { return a.key < k; });
  return it != values.end() && it->key == key ? &it->value : nullptr;
}

Grid::Grid() : impl_(std::make_unique<GridBlockSet>()) {}
Grid::Grid(Grid&&) noexcept = default;
Grid& Grid::operator=(Grid&&) noexcept = default;
Grid::~Grid() = default;

Result<Grid> Grid::Parse(std::string_view yaml_text, const std::string& filename) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    std::string where = filename;
    if (!e.mark.is_null()) {
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    }
    return Status::InvalidInput(where + ": malformed YAML: " + e.msg);
  }
  Grid grid;
  grid.impl_->path = filename;
  grid.impl_->source_text = std::string(yaml_text);
  Status status;
  try {
    status = ParseGridDocument(root, grid.impl_.get());
  } catch (const YAML::Exception& e) {  // not expected: the parser checks node types first
    status = Status::InvalidInput("malformed YAML: " + e.msg);
  }
  if (!status.ok()) return status.Prefixed(filename + ": ");
  return Result<Grid>(std::move(grid));
}

Result<Grid> Grid::Load(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidInput(path + ": is a directory, expected a grid file (grid.yaml)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::InvalidInput(path + ": cannot read the grid file (" + std::strerror(errno) +
                                ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::InvalidInput(path + ": cannot read the grid file");
  return Parse(text.str(), path);
}

Grid Grid::Single() {
  Grid grid;
  Block block;
  block.label = "the single combination";
  grid.impl_->blocks.push_back(std::move(block));
  Status status = grid.impl_->Finalize();
  (void)status;  // a block without factors has exactly one combination
  return grid;
}

const std::vector<std::string>& Grid::keys() const { return impl_->key_names; }
int Grid::KeyIndex(std::string_view key) const { return impl_->KeyIndex(key); }
const std::string& Grid::path() const { return impl_->path; }
const std::string& Grid::source_text() const { return impl_->source_text; }

void Grid::ForEach(const std::function<bool(const Combination&)>& fn) const { impl_->ForEach(fn); }
uint64_t Grid::Count() const { return impl_->Count(); }
std::vector<CandidateValue> Grid::CandidateValues() const { return impl_->CandidateValues(); }

}  // namespace fai
