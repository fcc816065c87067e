#include "canvas/command_module.h"

#include <cctype>

#include "canvas/command_exec.h"
#include <map>

#include "canvas/builtin_modules.h"
#include "common/suggest.h"

namespace fai {

bool IsReservedCommandParam(std::string_view name) {
  return name == "argv" || name == "env" || name == "outputs";
}

std::string ParseArgvTemplate(std::string_view element, std::vector<ArgvPiece>* pieces) {
  pieces->clear();
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) pieces->push_back({ArgvPiece::Kind::kLiteral, std::move(literal)});
    literal.clear();
  };
  for (size_t i = 0; i < element.size(); ++i) {
    const char c = element[i];
    if (c == '}') {
      if (i + 1 < element.size() && element[i + 1] == '}') {
        literal.push_back('}');
        ++i;
        continue;
      }
      return "unmatched \"}\" at offset " + std::to_string(i) +
             " (write \"}}\" for a literal brace)";
    }
    if (c != '{') {
      literal.push_back(c);
      continue;
    }
    if (i + 1 < element.size() && element[i + 1] == '{') {
      literal.push_back('{');
      ++i;
      continue;
    }
    const size_t close = element.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || element[close] != '}')
      return "unmatched \"{\" at offset " + std::to_string(i) +
             " (write \"{{\" for a literal brace)";
    const std::string_view name = element.substr(i + 1, close - i - 1);
    if (name.empty()) return "empty placeholder \"{}\" (write \"{{}}\" for literal braces)";
    flush();
    constexpr std::string_view kInputs = "inputs.";
    if (name.substr(0, kInputs.size()) == kInputs) {
      pieces->push_back({ArgvPiece::Kind::kInput, std::string(name.substr(kInputs.size()))});
    } else if (name == kCanvasDirPlaceholder) {
      pieces->push_back({ArgvPiece::Kind::kCanvasDir, std::string(name)});
    } else {
      pieces->push_back({ArgvPiece::Kind::kParam, std::string(name)});
    }
    i = close;
  }
  flush();
  return "";
}

namespace {

std::string Described(const Value& v) {
  if (v.is_null()) return "null";
  return std::string(KindName(v.kind())) + " " + v.ToString();
}

void CheckArgv(const Value& argv, const Dict& params,
               const std::vector<std::string>& connected_inputs,
               std::vector<std::string>* problems) {
  if (argv.kind() != ValueKind::kList || argv.as_list().empty()) {
    problems->push_back("params.argv: expected a non-empty list of strings, got " +
                        Described(argv));
    return;
  }
  std::vector<std::string> param_names;
  for (const auto& [name, value] : params)
    if (!IsReservedCommandParam(name)) param_names.push_back(name);
  // Candidates for did-you-mean, as written between the braces.
  std::vector<std::string> placeholders = param_names;
  placeholders.push_back(kCanvasDirPlaceholder);
  for (const std::string& port : connected_inputs) placeholders.push_back("inputs." + port);

  const List& elements = argv.as_list();
  for (size_t i = 0; i < elements.size(); ++i) {
    const std::string key = "params.argv[" + std::to_string(i) + "]: ";
    const Value& e = elements[i];
    if (e.kind() != ValueKind::kString) {
      std::string hint = e.is_number() || e.kind() == ValueKind::kBool
                             ? " (write it as a string: \"" + e.ToString() + "\")"
                             : "";
      problems->push_back(key + "expected a string, got " + Described(e) + hint);
      continue;
    }
    if (i == 0 && e.as_string().empty()) {
      problems->push_back(key + "the program to run is empty");
      continue;
    }
    std::vector<ArgvPiece> pieces;
    std::string malformed = ParseArgvTemplate(e.as_string(), &pieces);
    if (!malformed.empty()) {
      problems->push_back(key + malformed);
      continue;
    }
    for (const ArgvPiece& piece : pieces) {
      if (piece.kind == ArgvPiece::Kind::kLiteral || piece.kind == ArgvPiece::Kind::kCanvasDir)
        continue;
      const bool is_input = piece.kind == ArgvPiece::Kind::kInput;
      const std::string written = is_input ? "inputs." + piece.text : piece.text;
      bool known;
      if (is_input) {
        known = false;
        for (const std::string& port : connected_inputs) known = known || port == piece.text;
      } else {
        known = params.count(piece.text) > 0 && !IsReservedCommandParam(piece.text);
      }
      if (known) continue;
      std::string message;
      if (!is_input && IsReservedCommandParam(piece.text)) {
        message = "placeholder \"{" + written +
                  "}\" names a reserved param (argv, env and outputs cannot be substituted)";
      } else if (is_input) {
        message = "unknown placeholder \"{" + written + "}\" (no input \"" + piece.text +
                  "\" is connected)";
      } else {
        message = "unknown placeholder \"{" + written + "}\" (the entry has no param \"" +
                  piece.text + "\")";
      }
      const std::string closest = ClosestMatch(written, placeholders);
      if (!closest.empty()) message += "; did you mean \"{" + closest + "}\"?";
      problems->push_back(key + message);
    }
  }
}

void CheckEnv(const Value& env, std::vector<std::string>* problems) {
  if (env.kind() != ValueKind::kDict) {
    problems->push_back("params.env: expected a map of variable names to strings, got " +
                        Described(env));
    return;
  }
  for (const auto& [name, value] : env.as_dict()) {
    const std::string key = "params.env." + name + ": ";
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos) {
      problems->push_back("params.env: invalid variable name \"" + name + "\"");
      continue;
    }
    const bool scalar =
        value.kind() == ValueKind::kString || value.is_number() || value.kind() == ValueKind::kBool;
    if (!scalar)
      problems->push_back(key + "expected a string, number or bool, got " + Described(value));
  }
}

void CheckOutputs(const Value& outputs, std::vector<std::string>* problems) {
  if (outputs.kind() != ValueKind::kList) {
    problems->push_back("params.outputs: expected a list of output port names, got " +
                        Described(outputs));
    return;
  }
  std::map<std::string, size_t> first_at;
  const List& names = outputs.as_list();
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string key = "params.outputs[" + std::to_string(i) + "]: ";
    const Value& n = names[i];
    if (n.kind() != ValueKind::kString || n.as_string().empty()) {
      problems->push_back(key + "expected a port name (a non-empty string), got " + Described(n));
      continue;
    }
    bool blank = false;
    for (char c : n.as_string()) blank = blank || std::isspace(static_cast<unsigned char>(c));
    if (blank) {
      problems->push_back(key + "a port name may not contain whitespace, got " + n.ToString());
      continue;
    }
    auto [it, inserted] = first_at.emplace(n.as_string(), i);
    if (!inserted)
      problems->push_back(key + "duplicate output " + n.ToString() + " (first at params.outputs[" +
                          std::to_string(it->second) + "])");
  }
}

}  // namespace

std::vector<std::string> CheckCommandParams(const Dict& params,
                                            const std::vector<std::string>& connected_inputs) {
  std::vector<std::string> problems;
  auto argv = params.find("argv");
  if (argv == params.end()) {
    problems.push_back(
        "params.argv: missing (a command needs the program and its arguments, e.g. [\"python3\", "
        "\"train.py\"])");
  } else {
    CheckArgv(argv->second, params, connected_inputs, &problems);
  }
  if (params.count(kCanvasDirPlaceholder))
    problems.push_back(std::string("params.") + kCanvasDirPlaceholder + ": reserved name ({" +
                       kCanvasDirPlaceholder +
                       "} is the directory of the canvas file); rename this param");
  if (auto env = params.find("env"); env != params.end()) CheckEnv(env->second, &problems);
  if (auto outputs = params.find("outputs"); outputs != params.end())
    CheckOutputs(outputs->second, &problems);
  return problems;
}

void RegisterCommandModule(ModuleRegistry& registry) {
  ModuleType command;
  command.name = kCommandTypeName;
  command.help = "Runs a program with an argv list (no shell); params are whatever the entry lists";
  command.free_form = true;
  command.isolate_by_default = true;
  // Listed for `fai-sweep modules` only: a free-form type's params come from its canvas entry.
  ParamSpec argv;
  argv.name = "argv";
  argv.type = ParamType::kStringList;
  argv.help =
      "the program and its arguments; {param}, {inputs.port} and {canvas_dir} are substituted";
  ParamSpec env;
  env.name = "env";
  env.type = ParamType::kAny;
  env.help = "extra environment variables (name -> string, number or bool)";
  ParamSpec outputs;
  outputs.name = "outputs";
  outputs.type = ParamType::kStringList;
  outputs.default_value = Value(List{});
  outputs.help = "the output ports other modules may take as inputs";
  command.params = {argv, env, outputs};
  command.run = RunCommandTask;
  registry.Register(std::move(command));
}

}  // namespace fai
