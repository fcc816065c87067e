#include "io/result_writer.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "io/h5_file.h"
#include "io/h5_value.h"

namespace fai {

namespace {

Status SyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), O_RDONLY | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int e = errno;
  ::close(fd);
  if (rc != 0 && !(directory && e == EINVAL))
    return Status::IOError(path + ": fsync failed: " + std::strerror(e));
  return Status::OK();
}

H5Id CreateGroup(hid_t parent, const std::string& name) {
  return H5Id(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, StoreGroupProps(), H5P_DEFAULT),
              H5Gclose);
}

Status WriteText(hid_t group, const char* name, const std::string& text) {
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Id ds(H5Dcreate2(group, name, type.get(), space.get(), H5P_DEFAULT, StoreDatasetProps(),
                     H5P_DEFAULT),
          H5Dclose);
  const char* p = text.c_str();
  if (!ds.ok() || H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0)
    return Status::IOError(std::string("cannot write /run/") + name);
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<ResultWriter>> ResultWriter::Create(const std::string& path) {
  Result<H5Id> file = CreateH5File(path);
  if (!file.ok()) return file.status();
  std::unique_ptr<ResultWriter> w(new ResultWriter(path, std::move(*file)));
  w->combos_ = CreateGroup(w->file_.get(), "combos");
  w->tasks_ = CreateGroup(w->file_.get(), "tasks");
  if (!w->combos_.ok() || !w->tasks_.ok()) return w->Fail("cannot create the top groups");
  return w;
}

Status ResultWriter::Fail(const std::string& what) const {
  // HDF5 reports a full disk as a failed write without saying why: look.
  const int e = errno;
  std::string reason;
  struct statvfs fs;
  std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  if (e == ENOSPC || (::statvfs(dir.empty() ? "." : dir.c_str(), &fs) == 0 &&
                      static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize < (uint64_t{1} << 20)))
    reason = ": " + std::string(std::strerror(ENOSPC));
  return Status::IOError(path_ + ": " + what + reason);
}

Status ResultWriter::WriteRunInfo(const ResultRunInfo& info) {
  H5Id run = CreateGroup(file_.get(), "run");
  if (!run.ok()) return Fail("cannot create /run");
  if (Status s = WriteText(run.get(), "canvas", info.canvas_text); !s.ok())
    return Fail(s.message());
  if (Status s = WriteText(run.get(), "grid", info.grid_text); !s.ok()) return Fail(s.message());
  std::string save;
  for (const std::string& p : info.save_patterns) save += (save.empty() ? "" : ",") + p;
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, Value>>{{"engine_version", info.engine_version},
                                                  {"canvas_path", info.canvas_path},
                                                  {"grid_path", info.grid_path},
                                                  {"save", save},
                                                  {"dedup", info.dedup}}) {
    if (Status s = WriteH5Attribute(run.get(), name, value); !s.ok()) return Fail(s.message());
  }
  for (const auto& [group_name, attributes] : info.attribute_groups) {
    H5Id group = CreateGroup(file_.get(), EscapeH5Name(group_name));
    if (!group.ok()) return Fail("cannot create /" + group_name);
    for (const auto& [name, value] : attributes) {
      const Value v = value.is_scalar() ? value : Value(value.ToString());
      if (Status s = WriteH5Attribute(group.get(), name, v); !s.ok()) return Fail(s.message());
    }
  }
  return Status::OK();
}

Status ResultWriter::WriteTask(const std::string& module_id, const std::string& task_key,
                               const Dict& outputs) {
  auto it = module_groups_.find(module_id);
  if (it == module_groups_.end()) {
    H5Id g = CreateGroup(tasks_.get(), EscapeH5Name(module_id));
    if (!g.ok()) return Fail("cannot create /tasks/" + module_id);
    it = module_groups_.emplace(module_id, std::move(g)).first;
  }
  H5Id task = CreateGroup(it->second.get(), task_key);
  if (!task.ok()) return Fail("cannot create /tasks/" + module_id + "/" + task_key);
  for (const auto& [port, value] : outputs)
    if (Status s = WriteH5Value(task.get(), port, value); !s.ok())
      return Fail("/tasks/" + module_id + "/" + task_key + ": " + s.message());
  return Status::OK();
}

Status ResultWriter::WriteCombo(const std::string& combo_id,
                                const std::vector<std::pair<std::string, Value>>& params,
                                const std::vector<ComboModule>& modules) {
  H5Id combo = CreateGroup(combos_.get(), combo_id);
  if (!combo.ok()) return Fail("cannot create /combos/" + combo_id);
  for (const auto& [key, value] : params) {
    const Value v = value.is_scalar() ? value : Value(value.ToString());
    if (Status s = WriteH5Attribute(combo.get(), key, v); !s.ok()) return Fail(s.message());
  }
  for (const ComboModule& m : modules) {
    // Found from the module's group when it is open, without a walk from the root per link.
    auto group = module_groups_.find(m.module_id);
    const bool open = group != module_groups_.end();
    const std::string target = "/tasks/" + EscapeH5Name(m.module_id) + "/" + m.task_key;
    if (H5Lcreate_hard(open ? group->second.get() : file_.get(), open ? m.task_key.c_str() : target.c_str(),
                       combo.get(), EscapeH5Name(m.module_id).c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
      return Fail("cannot link /combos/" + combo_id + "/" + m.module_id + " to " + target);
  }
  return Status::OK();
}

Status ResultWriter::WriteSummary(const SummaryTable& summary) {
  if (Status s = summary.WriteTo(file_.get(), "summary"); !s.ok()) return Fail(s.message());
  return Status::OK();
}

Status ResultWriter::WriteTaskIndex(const SummaryTable& index) {
  if (Status s = index.WriteTo(file_.get(), "task_index"); !s.ok()) return Fail(s.message());
  return Status::OK();
}

Status ResultWriter::Close() {
  module_groups_.clear();
  combos_.reset();
  tasks_.reset();
  errno = 0;
  if (H5Fflush(file_.get(), H5F_SCOPE_GLOBAL) < 0) return Fail("cannot flush the file");
  const hid_t id = file_.release();  // closed here: the result matters
  if (H5Fclose(id) < 0) return Fail("cannot close the file");
  return Status::OK();
}

Status CommitFile(const std::string& tmp_path, const std::string& final_path) {
  if (Status s = SyncPath(tmp_path, false); !s.ok()) return s;
  std::error_code ec;
  std::filesystem::rename(tmp_path, final_path, ec);
  if (ec)
    return Status::IOError(final_path + ": cannot move the new file into place: " + ec.message());
  std::filesystem::path dir = std::filesystem::path(final_path).parent_path();
  return SyncPath(dir.empty() ? "." : dir.string(), /*directory=*/true);
}

}  // namespace fai
