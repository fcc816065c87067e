// SaveSelection: which task outputs a run saves in its result file (`--save PATTERN`).
//
// Scalar outputs (numbers, bools, short strings) and maps of scalars are always saved: they are
// the /summary columns. Other outputs (matrices, tables, lists, blobs, long strings) are saved
// when a pattern selects them. A pattern is a glob over `moduleId.port` (`m15.*`,
// `m12.importances`, `*.equity`); a bare module id means all of its outputs; `last` means every
// output of the canvas's last modules (those no other module reads), `all` every output, `none`
// nothing beyond scalars and maps. Several patterns may be given, or one comma-separated list.
// Without any, the selection is `last`.
//
// To save an output the driver must ask the worker to ship it back: ShipFor() says what to ask.
// Pure logic; immutable after Parse.
#ifndef FAI_IO_SAVE_SELECTION_H_
#define FAI_IO_SAVE_SELECTION_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "fai/value.h"

namespace fai {

// Strings up to this size count as scalars (the same limit as the workers' ship_scalars).
constexpr size_t kMaxScalarStringBytes = 64 << 10;

// True for the values saved without asking: scalars (strings up to the limit) and maps of scalars.
bool IsScalarLikeOutput(const Value& v);

// A module as the selection sees it.
struct SaveModule {
  std::string id;
  std::vector<std::string> ports;  // declared output ports; empty when free-form (a command)
  bool free_form = false;          // outputs known only when it runs
  bool last = false;               // no other module reads its outputs
};

// What to ask a worker to send back for one task, beyond scalars and maps.
struct ShipRequest {
  bool all = false;
  std::vector<std::string> ports;
  bool operator==(const ShipRequest&) const = default;
  // True when everything `other` asks for is asked here too.
  bool Covers(const ShipRequest& other) const;
};

class SaveSelection {
 public:
  // Errors (InvalidInput) name the pattern: one that matches no module or no output, with a
  // did-you-mean where one fits.
  static Result<SaveSelection> Parse(const std::vector<std::string>& patterns,
                                     std::vector<SaveModule> modules);

  // What module `module` (index into the modules given to Parse) must ship.
  const ShipRequest& ShipFor(int module) const { return ship_[module]; }
  // Whether output `port` of `module`, which came back with value `value`, is saved.
  bool Saves(int module, const std::string& port, const Value& value) const;
  // The patterns as given (for the journal and the result file).
  const std::vector<std::string>& patterns() const { return patterns_; }

 private:
  bool Selected(int module, const std::string& port) const;
  std::vector<SaveModule> modules_;
  std::vector<std::string> patterns_;  // as given, split at commas
  std::vector<std::string> globs_;     // expanded: `last` -> "m15.*", bare ids -> "id.*"
  std::vector<ShipRequest> ship_;
};

}  // namespace fai

#endif  // FAI_IO_SAVE_SELECTION_H_
