#include "sweep/grid_block_set.h"

#include <algorithm>
#include <numeric>

#include "common/content_hash.h"

namespace fai {

namespace {

void PackRow(const uint32_t* ids, size_t n, std::string* out) {
  out->resize(4 * n);
  for (size_t i = 0; i < n; ++i)
    for (int b = 0; b < 4; ++b) (*out)[4 * i + b] = static_cast<char>((ids[i] >> (8 * b)) & 0xff);
}

// Working space of one walk over a block.
struct WalkScratch {
  std::vector<uint32_t> row;
  std::string packed;
};

bool Excluded(const Block& block, const std::vector<size_t>& rows) {
  for (const Block::ExcludeCheck& check : block.excludes) {
    bool all = true;
    for (const auto& [factor, flags] : check.factor_rows) {
      if (!flags[rows[factor]]) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

// Whether an earlier block produces the combination `ids` (value ids by position in the block's
// keys; an earlier block in `block.earlier` has the same keys, hence the same positions).
bool CoveredByEarlier(const GridBlockSet& set, const Block& block, const std::vector<uint32_t>& ids,
                      WalkScratch* scratch) {
  for (int e : block.earlier) {
    const Block& earlier = set.blocks[e];
    bool all = true;
    for (size_t g = 0; g < earlier.factors.size() && all; ++g) {
      const std::vector<int>& positions = earlier.positions[g];
      scratch->row.resize(positions.size());
      for (size_t c = 0; c < positions.size(); ++c) scratch->row[c] = ids[positions[c]];
      all = earlier.factors[g].HasRow(scratch->row.data(), &scratch->packed);
    }
    if (all) return true;
  }
  return false;
}

// Visits the combinations of `block` that survive `exclude` and the union, in odometer order
// (last factor fastest). visit(ids, dirty_from) receives the value id of each key position and
// the first factor whose row changed since the previous visit; it returns false to stop.
// Returns false when a visit stopped the walk.
template <typename Visit>
bool WalkBlock(const GridBlockSet& set, const Block& block, Visit&& visit) {
  const size_t num_factors = block.factors.size();
  if (block.excluded_entirely) return true;
  for (const Factor& f : block.factors)
    if (f.rows() == 0) return true;
  std::vector<size_t> rows(num_factors, 0);
  std::vector<uint32_t> ids(block.keys.size());
  auto load = [&](size_t f) {
    const Factor& factor = block.factors[f];
    for (size_t c = 0; c < factor.keys.size(); ++c)
      ids[block.positions[f][c]] = factor.cell(rows[f], c);
  };
  for (size_t f = 0; f < num_factors; ++f) load(f);
  const bool filtered = !block.excludes.empty() || !block.earlier.empty();
  WalkScratch scratch;
  size_t dirty_from = 0;
  for (;;) {
    if (!filtered || (!Excluded(block, rows) && !CoveredByEarlier(set, block, ids, &scratch))) {
      if (!visit(ids, dirty_from)) return false;
      dirty_from = num_factors;
    }
    if (num_factors == 0) return true;
    size_t f = num_factors - 1;
    while (++rows[f] == block.factors[f].rows()) {
      rows[f] = 0;
      load(f);
      if (f == 0) return true;
      --f;
    }
    load(f);
    dirty_from = std::min(dirty_from, f);
  }
}

}  // namespace

bool Factor::AddRow(const uint32_t* ids, uint32_t index_in_file) {
  if (keys.size() == 1) {
    if (ids[0] >= has_value.size()) has_value.resize(ids[0] + 1, false);
    if (has_value[ids[0]]) return false;
    has_value[ids[0]] = true;
  } else {
    std::string packed;
    PackRow(ids, keys.size(), &packed);
    if (!packed_rows.insert(std::move(packed)).second) return false;
  }
  cells.insert(cells.end(), ids, ids + keys.size());
  file_index.push_back(index_in_file);
  return true;
}

bool Factor::HasRow(const uint32_t* ids, std::string* scratch) const {
  if (keys.size() == 1) return ids[0] < has_value.size() && has_value[ids[0]];
  PackRow(ids, keys.size(), scratch);
  return packed_rows.count(*scratch) > 0;
}

int GridBlockSet::AddKey(const std::string& name) {
  auto [it, added] = key_index_.emplace(name, static_cast<int>(keys.size()));
  if (added) {
    SweptKey key;
    key.name = name;
    // The bytes ContentHasher::Add(name) appends: the length (8 bytes, little-endian), the name.
    for (int i = 0; i < 8; ++i)
      key.hash_prefix.push_back(static_cast<char>((uint64_t{name.size()} >> (8 * i)) & 0xff));
    key.hash_prefix += name;
    keys.push_back(std::move(key));
    key_names.push_back(name);
    value_ids_.emplace_back();
  }
  return it->second;
}

uint32_t GridBlockSet::InternValue(int key, Value value) {
  std::string encoding;
  value.Encode(&encoding);
  SweptKey& k = keys[key];
  auto [it, added] = value_ids_[key].emplace(encoding, static_cast<uint32_t>(k.values.size()));
  if (added) {
    k.values.push_back(std::move(value));
    k.encodings.push_back(std::move(encoding));
  }
  return it->second;
}

int GridBlockSet::KeyIndex(std::string_view name) const {
  auto it = key_index_.find(std::string(name));
  return it == key_index_.end() ? -1 : it->second;
}

Status GridBlockSet::Finalize() {
  value_ids_.clear();
  value_ids_.shrink_to_fit();
  if (blocks.empty()) {
    return Status::InvalidInput(
        "the grid is empty: the file sets no \"grid\", \"zip\", \"random\", \"blocks\" or "
        "\"combinations\" (expected at least one swept key)");
  }
  uint64_t total = 0;
  for (size_t j = 0; j < blocks.size(); ++j) {
    Block& block = blocks[j];
    block.keys.clear();
    block.size = 1;
    for (const Factor& f : block.factors) {
      block.keys.insert(block.keys.end(), f.keys.begin(), f.keys.end());
      if (__builtin_mul_overflow(block.size, static_cast<uint64_t>(f.rows()), &block.size)) {
        return Status::InvalidInput("the grid is too large: " + block.label +
                                    " has more than 2^64 combinations (the product of its axes)");
      }
    }
    if (__builtin_add_overflow(total, block.size, &total)) {
      return Status::InvalidInput(
          "the grid is too large: its blocks together have more than 2^64 combinations");
    }
    std::sort(block.keys.begin(), block.keys.end());
    auto position_of = [&](int key) {
      return static_cast<int>(std::lower_bound(block.keys.begin(), block.keys.end(), key) -
                              block.keys.begin());
    };
    block.positions.assign(block.factors.size(), {});
    for (size_t f = 0; f < block.factors.size(); ++f)
      for (int key : block.factors[f].keys) block.positions[f].push_back(position_of(key));
    block.hash_order.resize(block.keys.size());
    std::iota(block.hash_order.begin(), block.hash_order.end(), 0);
    std::sort(block.hash_order.begin(), block.hash_order.end(),
              [&](int a, int b) { return keys[block.keys[a]].name < keys[block.keys[b]].name; });

    block.earlier.clear();
    for (size_t i = 0; i < j; ++i)
      if (blocks[i].keys == block.keys) block.earlier.push_back(static_cast<int>(i));

    // Exclude entries whose keys this block sets, as per-row match flags of the factors.
    block.excludes.clear();
    block.excluded_entirely = false;
    for (const ExcludeEntry& entry : excludes) {
      bool applies = true;
      for (const auto& [key, value] : entry.matches)
        applies = applies && std::binary_search(block.keys.begin(), block.keys.end(), key);
      if (!applies) continue;
      Block::ExcludeCheck check;
      for (size_t f = 0; f < block.factors.size() && applies; ++f) {
        const Factor& factor = block.factors[f];
        std::vector<std::pair<size_t, const Value*>> constraints;  // column, value
        for (const auto& [key, value] : entry.matches) {
          auto col = std::find(factor.keys.begin(), factor.keys.end(), key);
          if (col != factor.keys.end()) constraints.emplace_back(col - factor.keys.begin(), &value);
        }
        if (constraints.empty()) continue;
        std::vector<bool> flags(factor.rows());
        bool any = false;
        for (size_t r = 0; r < factor.rows(); ++r) {
          bool match = true;
          for (const auto& [col, value] : constraints)
            match = match && keys[factor.keys[col]].values[factor.cell(r, col)].Matches(*value);
          flags[r] = match;
          any = any || match;
        }
        applies = any;  // an entry that no row of some factor matches never excludes here
        check.factor_rows.emplace_back(f, std::move(flags));
      }
      if (!applies) continue;
      bool matches_all = true;
      for (const auto& [factor, flags] : check.factor_rows)
        matches_all = matches_all && std::find(flags.begin(), flags.end(), false) == flags.end();
      block.excluded_entirely = block.excluded_entirely || matches_all;
      block.excludes.push_back(std::move(check));
    }
  }

  for (const Block& block : blocks) {
    bool found = false;
    WalkBlock(*this, block, [&](const std::vector<uint32_t>&, size_t) {
      found = true;
      return false;
    });
    if (found) return Status::OK();
  }
  return Status::InvalidInput("the grid is empty: \"exclude\" removes every combination");
}

void GridBlockSet::ForEach(const std::function<bool(const Combination&)>& fn) const {
  std::string bytes;
  for (const Block& block : blocks) {
    Combination combo;
    combo.values.resize(block.keys.size());
    for (size_t p = 0; p < block.keys.size(); ++p) combo.values[p].key = block.keys[p];
    const bool go_on = WalkBlock(*this, block, [&](const std::vector<uint32_t>& ids, size_t dirty) {
      for (size_t f = dirty; f < block.factors.size(); ++f) {
        for (int p : block.positions[f]) combo.values[p].value = keys[block.keys[p]].values[ids[p]];
      }
      // The bytes ContentHasher().Add(name).AddRaw(encoding)... would hash, in key-name order.
      bytes.clear();
      for (int p : block.hash_order) {
        const SweptKey& key = keys[block.keys[p]];
        bytes += key.hash_prefix;
        bytes += key.encodings[ids[p]];
      }
      combo.hash = ContentHash::Of(bytes);
      return fn(combo);
    });
    if (!go_on) return;
  }
}

uint64_t GridBlockSet::Count() const {
  uint64_t n = 0;
  for (const Block& block : blocks) {
    if (block.excludes.empty() && block.earlier.empty()) {
      n += block.size;
      continue;
    }
    WalkBlock(*this, block, [&](const std::vector<uint32_t>&, size_t) {
      ++n;
      return true;
    });
  }
  return n;
}

std::vector<CandidateValue> GridBlockSet::CandidateValues() const {
  std::vector<CandidateValue> out;
  for (const Block& block : blocks) {
    for (const Factor& factor : block.factors) {
      if (factor.source == Factor::Source::kRandom) {
        out.insert(out.end(), factor.extra_candidates.begin(), factor.extra_candidates.end());
        continue;
      }
      for (size_t r = 0; r < factor.rows(); ++r) {
        const std::string index = "[" + std::to_string(factor.file_index[r]) + "]";
        for (size_t c = 0; c < factor.keys.size(); ++c) {
          const int key = factor.keys[c];
          std::string where = factor.source == Factor::Source::kZip
                                  ? factor.label + "." + keys[key].name + index
                                  : factor.label + index;
          out.push_back({key, keys[key].values[factor.cell(r, c)], std::move(where)});
        }
      }
    }
  }
  for (const ExcludeEntry& entry : excludes)
    for (const auto& [key, value] : entry.matches) out.push_back({key, value, entry.where});
  return out;
}

}  // namespace fai
