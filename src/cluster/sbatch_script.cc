#include "cluster/sbatch_script.h"

#include <cctype>
#include <filesystem>
#include <sstream>

namespace fai {

namespace {

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

// "--nodes" of "#SBATCH --nodes=2" / "#SBATCH --exclusive"; "" when the line is no #SBATCH line
// with a long option.
std::string SbatchOptionOf(const std::string& line) {
  const std::string prefix = "#SBATCH";
  if (line.rfind(prefix, 0) != 0) return "";
  size_t i = prefix.size();
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (line.compare(i, 2, "--") != 0) return "";
  size_t end = i + 2;
  while (end < line.size() &&
         (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '-'))
    ++end;
  return line.substr(i, end - i);
}

std::string SbatchLine(const std::string& option, const std::string& value) {
  return "#SBATCH " + option + (value.empty() ? "" : "=" + value);
}

}  // namespace

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string SweepJobName(const std::string& profile, const std::string& output) {
  std::string stem = std::filesystem::path(output).stem().string();
  if (stem.empty()) stem = "sweep";
  std::string name = "fai-" + profile + "-" + stem;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') c = '_';
  return name;
}

std::string ProfileJobComment(const std::string& profile) { return "fai-sweep:" + profile; }

std::vector<std::pair<std::string, std::string>> SbatchOptionsFor(const ClusterProfile& profile,
                                                                  const SweepJob& job) {
  std::vector<std::pair<std::string, std::string>> opts = {
      {"--job-name", job.job_name},
      {"--comment", ProfileJobComment(profile.name)},
      {"--nodes", std::to_string(profile.nodes)},
      {"--ntasks-per-node", "1"},
      {"--cpus-per-task", std::to_string(profile.cpus_per_node)},
  };
  if (profile.memory_per_node > 0)
    opts.emplace_back("--mem",
                      std::to_string((profile.memory_per_node + (1ull << 20) - 1) >> 20) + "M");
  if (profile.gpus_per_node > 0)
    opts.emplace_back("--gres", "gpu:" + std::to_string(profile.gpus_per_node));
  if (!profile.partition.empty()) opts.emplace_back("--partition", profile.partition);
  if (!profile.time_limit.empty()) opts.emplace_back("--time", profile.time_limit);
  if (!profile.account.empty()) opts.emplace_back("--account", profile.account);
  if (!job.log_path.empty()) opts.emplace_back("--output", job.log_path);
  if (!job.work_dir.empty()) opts.emplace_back("--chdir", job.work_dir);
  for (const std::string& extra : profile.sbatch_options) {
    const size_t eq = extra.find('=');
    if (eq == std::string::npos) {
      opts.emplace_back(extra, "");
    } else {
      opts.emplace_back(extra.substr(0, eq), extra.substr(eq + 1));
    }
  }
  return opts;
}

Result<std::string> RenderSbatchScript(std::string_view template_text,
                                       const ClusterProfile& profile, const SweepJob& job) {
  std::vector<std::string> lines = SplitLines(template_text);
  // The header: the leading comment and blank lines, where sbatch reads #SBATCH options.
  size_t header_end = 0;
  while (header_end < lines.size() && (IsBlank(lines[header_end]) || lines[header_end][0] == '#'))
    ++header_end;
  if (header_end == lines.size())
    return Status::InvalidInput("sbatch template: no commands after the #SBATCH header");
  int last_sbatch = -1;
  for (size_t i = 0; i < header_end; ++i)
    if (lines[i].rfind("#SBATCH", 0) == 0) last_sbatch = static_cast<int>(i);
  if (last_sbatch < 0)
    return Status::InvalidInput("sbatch template: no #SBATCH lines in its header");

  std::vector<std::string> added;
  for (const auto& [option, value] : SbatchOptionsFor(profile, job)) {
    bool replaced = false;
    for (size_t i = 0; i < header_end; ++i) {
      if (SbatchOptionOf(lines[i]) != option) continue;
      lines[i] = replaced ? "" : SbatchLine(option, value);  // a repeated option keeps one line
      replaced = true;
    }
    if (!replaced) added.push_back(SbatchLine(option, value));
  }

  std::vector<std::string> block = added;
  block.push_back("");
  block.push_back("# ---- written by `fai-sweep submit --cluster " + profile.name + "`" +
                  (profile.path.empty() ? "" : " (" + profile.path + ")") + " ----");
  block.push_back(
      "# Resubmit this file as it is (sbatch FILE) to resume the sweep, e.g. after a time limit:");
  block.push_back("# the same command on the same output continues where the last run stopped.");
  block.push_back("FAI_SWEEP=" + ShellQuote(job.fai_sweep));
  std::string args = "set --";
  for (const std::string& a : job.sweep_args) args += " " + ShellQuote(a);
  block.push_back(args);
  block.push_back("# ----");

  std::ostringstream out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out << lines[i] << "\n";
    if (static_cast<int>(i) == last_sbatch)
      for (const std::string& b : block) out << b << "\n";
  }
  return out.str();
}

}  // namespace fai
