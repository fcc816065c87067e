// fai::Value — the one type that carries parameters and the data flowing between modules.
//
// A Value is null, a bool, a 64-bit integer, a double, a string, a list of Values, a
// string-keyed dict of Values (a metrics map is a dict of scalars), a dense Eigen matrix, a
// named-column table or an opaque blob (a trained model). Integers and doubles are distinct:
// a grid value `4` stays an integer, `4.0` a double.
//
// Values are plain data: copyable, comparable, not thread-safe for concurrent mutation.
// Encode() gives a canonical byte string used for content hashing (equal values, equal bytes;
// dict keys are ordered). ToJson/FromJson convert to and from nlohmann::json where the kind
// allows (matrices become nested arrays, blobs a size note).
#ifndef FAI_VALUE_H_
#define FAI_VALUE_H_

#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fai {

class Value;
using List = std::vector<Value>;
using Dict = std::map<std::string, Value, std::less<>>;
using Matrix = Eigen::MatrixXd;

// A named-column table; every column has rows() entries. Numeric columns are doubles,
// text columns strings.
struct Table {
  using Column = std::variant<std::vector<double>, std::vector<std::string>>;
  std::vector<std::string> names;
  std::vector<Column> columns;

  size_t rows() const;
  // Appends a column. REQUIRES: its length equals rows() unless the table is empty.
  void AddColumn(std::string name, Column column);
  // Index of the column called `name`, or -1.
  int Find(std::string_view name) const;
  bool operator==(const Table& other) const = default;
};

// Opaque bytes with a type tag naming their format (for example "fai.random_forest/1").
struct Blob {
  std::string type;
  std::string bytes;
  bool operator==(const Blob& other) const = default;
};

enum class ValueKind { kNull, kBool, kInt, kDouble, kString, kList, kDict, kMatrix, kTable, kBlob };

// Lower-case name of a kind ("int", "double", "list", ...), for messages.
const char* KindName(ValueKind kind);

class Value {
 public:
  using Storage =
      std::variant<std::monostate, bool, int64_t, double, std::string, List, Dict, Matrix, Table, Blob>;

  Value() = default;
  Value(bool b) : v_(b) {}                     // NOLINT(runtime/explicit)
  Value(int i) : v_(int64_t{i}) {}             // NOLINT(runtime/explicit)
  Value(int64_t i) : v_(i) {}                  // NOLINT(runtime/explicit)
  Value(double d) : v_(d) {}                   // NOLINT(runtime/explicit)
  Value(const char* s) : v_(std::string(s)) {}  // NOLINT(runtime/explicit)
  Value(std::string s) : v_(std::move(s)) {}   // NOLINT(runtime/explicit)
  Value(List l) : v_(std::move(l)) {}          // NOLINT(runtime/explicit)
  Value(Dict d) : v_(std::move(d)) {}          // NOLINT(runtime/explicit)
  Value(Matrix m) : v_(std::move(m)) {}        // NOLINT(runtime/explicit)
  Value(Table t) : v_(std::move(t)) {}         // NOLINT(runtime/explicit)
  Value(Blob b) : v_(std::move(b)) {}          // NOLINT(runtime/explicit)

  ValueKind kind() const { return static_cast<ValueKind>(v_.index()); }
  bool is_null() const { return kind() == ValueKind::kNull; }
  bool is_number() const { return kind() == ValueKind::kInt || kind() == ValueKind::kDouble; }
  // Null, bool, int, double or string.
  bool is_scalar() const { return kind() <= ValueKind::kString; }

  // Typed access. REQUIRES: the kind matches (as_double also accepts an int).
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_double() const;
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const List& as_list() const { return std::get<List>(v_); }
  const Dict& as_dict() const { return std::get<Dict>(v_); }
  const Matrix& as_matrix() const { return std::get<Matrix>(v_); }
  const Table& as_table() const { return std::get<Table>(v_); }
  const Blob& as_blob() const { return std::get<Blob>(v_); }
  List& mutable_list() { return std::get<List>(v_); }
  Dict& mutable_dict() { return std::get<Dict>(v_); }

  const Storage& storage() const { return v_; }
  Storage& mutable_storage() { return v_; }

  // Exact equality: same kind and same content (4 != 4.0; NaN equals NaN bitwise).
  bool operator==(const Value& other) const;
  // Numeric-aware match used by grid `exclude` and comparisons in queries: ints and doubles
  // compare by value with a relative tolerance of 1e-9, everything else exactly.
  bool Matches(const Value& other) const;

  // Canonical bytes for content hashing; appends to *out.
  void Encode(std::string* out) const;
  // Short human form: 4, 0.25, "abc" (quoted), [5, 10], {a: 1}, matrix(3x4), table(10x3), blob(..., 2 KiB).
  std::string ToString() const;
  // Plain form for tables and filenames: strings unquoted, otherwise ToString().
  std::string ToDisplay() const;
  // Approximate bytes held (for placement and memory accounting).
  size_t ByteSize() const;

 private:
  Storage v_;
};

}  // namespace fai

#endif  // FAI_VALUE_H_
