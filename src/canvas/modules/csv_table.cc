#include "canvas/modules/csv_table.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace fai::quant {

namespace {

// Splits CSV text into rows of fields. Unquoted fields point into `text`; unescaped quoted
// fields live in `owned`.
class CsvTokenizer {
 public:
  explicit CsvTokenizer(const std::string& text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  size_t line() const { return line_; }

  // Reads one record into *fields; returns false on an unterminated quote.
  bool NextRecord(std::vector<std::string_view>* fields, std::deque<std::string>* owned) {
    fields->clear();
    for (;;) {
      if (pos_ < text_.size() && text_[pos_] == '"') {
        std::string value;
        ++pos_;
        for (;;) {
          if (pos_ >= text_.size()) return false;
          const char c = text_[pos_++];
          if (c == '"') {
            if (pos_ < text_.size() && text_[pos_] == '"') {
              value += '"';
              ++pos_;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line_;
            value += c;
          }
        }
        owned->push_back(std::move(value));
        fields->push_back(owned->back());
      } else {
        const size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
               text_[pos_] != '\r')
          ++pos_;
        fields->push_back(std::string_view(text_).substr(start, pos_ - start));
      }
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return true;
    }
  }

 private:
  const std::string& text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

bool IsMissing(std::string_view field) {
  return field.empty() || field == "NA" || field == "NaN" || field == "nan" || field == "null";
}

bool ParseNumber(std::string_view field, double* value) {
  while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
  while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
  if (IsMissing(field)) {
    *value = std::nan("");
    return true;
  }
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), *value);
  return error == std::errc() && end == field.data() + field.size();
}

std::string Quoted(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

Result<Table> ParseCsvTable(const std::string& text, const std::string& source) {
  CsvTokenizer tokenizer(text);
  std::deque<std::string> owned;
  std::vector<std::string_view> header, fields;
  if (tokenizer.done() || !tokenizer.NextRecord(&header, &owned) ||
      (header.size() == 1 && header[0].empty()))
    return Status::InvalidInput(source + ": no header line");
  std::vector<std::vector<std::string_view>> raw(header.size());
  while (!tokenizer.done()) {
    const size_t line = tokenizer.line();
    if (!tokenizer.NextRecord(&fields, &owned))
      return Status::InvalidInput(source + ":" + std::to_string(line) + ": unterminated quote");
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != header.size())
      return Status::InvalidInput(source + ":" + std::to_string(line) + ": " +
                                  std::to_string(fields.size()) + " fields, expected " +
                                  std::to_string(header.size()) + " as in the header");
    for (size_t c = 0; c < fields.size(); ++c) raw[c].push_back(fields[c]);
  }
  Table table;
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string name(header[c]);
    if (table.Find(name) >= 0)
      return Status::InvalidInput(source + ": column \"" + name + "\" appears twice");
    bool numeric = name != "date" && name != "instrument";
    std::vector<double> numbers;
    if (numeric) {
      numbers.resize(raw[c].size());
      for (size_t r = 0; r < raw[c].size() && numeric; ++r)
        numeric = ParseNumber(raw[c][r], &numbers[r]);
    }
    if (numeric) {
      table.AddColumn(name, std::move(numbers));
    } else {
      table.AddColumn(name, std::vector<std::string>(raw[c].begin(), raw[c].end()));
    }
  }
  return table;
}

Result<Table> ReadCsvTable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseCsvTable(buffer.str(), path);
}

Status WriteCsvTable(const Table& table, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return Status::IOError(path + ": cannot create the file");
  for (size_t c = 0; c < table.names.size(); ++c) out << (c ? "," : "") << Quoted(table.names[c]);
  out << "\n";
  std::string line;
  char number[32];
  for (size_t r = 0; r < table.rows(); ++r) {
    line.clear();
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (c) line += ',';
      if (const auto* numbers = std::get_if<std::vector<double>>(&table.columns[c])) {
        const double v = (*numbers)[r];
        if (!std::isnan(v)) {
          const auto result = std::to_chars(number, number + sizeof(number), v);
          line.append(number, result.ptr);
        }
      } else {
        line += Quoted(std::get<std::vector<std::string>>(table.columns[c])[r]);
      }
    }
    line += '\n';
    out << line;
  }
  out.close();
  if (!out) return Status::IOError(path + ": write failed");
  return Status::OK();
}

}  // namespace fai::quant
