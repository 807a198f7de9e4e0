#include "runtime/src/checkpoint_storage.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "runtime/src/crc32c.h"
#include "runtime/src/failpoint.h"
#include "stdlib/connectors/fd_io.h"

namespace dfc::rt {
namespace {

namespace fs = std::filesystem;

constexpr char kManifest[] = "_metadata";
constexpr char kMagic[] = "dfc-checkpoint 1";

std::string Errno(const std::string& what, const std::string& path, int err) {
  return what + " '" + path + "': " + std::strerror(err);
}

// Percent-escapes spaces, '%', control bytes and non-ASCII so each manifest field is one token.
std::string Escape(std::string_view s) {
  std::string o;
  for (unsigned char c : s) {
    if (c <= ' ' || c == '%' || c >= 0x7f) {
      char b[4];
      std::snprintf(b, sizeof b, "%%%02X", c);
      o += b;
    } else {
      o.push_back(static_cast<char>(c));
    }
  }
  return o.empty() ? "%" : o;  // a lone '%' is the empty string
}

bool Unescape(std::string_view s, std::string* out) {
  out->clear();
  if (s == "%") return true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out->push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return false;
    const std::string hex(s.substr(i + 1, 2));
    char* end = nullptr;
    const long v = std::strtol(hex.c_str(), &end, 16);
    if (*end != '\0') return false;
    out->push_back(static_cast<char>(v));
    i += 2;
  }
  return true;
}

std::string Hex32(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "%08x", v);
  return b;
}

bool ReadWholeFile(const std::string& path, std::string* out, int* err) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = errno;
    return false;
  }
  out->clear();
  char buf[1 << 16];
  while (true) {
    const ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      ::close(fd);
      return false;
    }
    if (r == 0) break;
    out->append(buf, static_cast<size_t>(r));
  }
  ::close(fd);
  return true;
}

std::vector<std::string_view> Split(std::string_view line) {
  std::vector<std::string_view> t;
  size_t i = 0;
  while (i < line.size()) {
    size_t j = line.find(' ', i);
    if (j == std::string_view::npos) j = line.size();
    t.push_back(line.substr(i, j - i));
    i = j + 1;
  }
  return t;
}

bool ParseI64(std::string_view s, int64_t* v) {
  if (s.empty() || s.size() > 19) return false;
  int64_t r = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    r = r * 10 + (c - '0');
  }
  *v = r;
  return true;
}

}  // namespace

std::string FsyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open directory", dir, errno);
  if (DFC_FAILPOINT("checkpoint.fsync-dir")) {
    ::close(fd);
    return Errno("cannot fsync directory", dir, EIO);
  }
  if (::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    return Errno("cannot fsync directory", dir, e);
  }
  ::close(fd);
  return "";
}

std::string WriteFileDurably(const std::string& path, const std::string& bytes,
                             const char* failpoint_prefix) {
  const std::string fp = failpoint_prefix;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", path, errno);
  // Written in two halves so a crash failpoint between them leaves a truncated file behind.
  const size_t half = bytes.size() / 2;
  int err = internal::WriteAll(fd, bytes.data(), half);
  if (err == 0 && DFC_FAILPOINT((fp + ".write").c_str())) err = EIO;
  if (err == 0) err = internal::WriteAll(fd, bytes.data() + half, bytes.size() - half);
  if (err != 0) {
    ::close(fd);
    return Errno("cannot write", path, err);
  }
  if (DFC_FAILPOINT((fp + ".fsync").c_str())) {
    ::close(fd);
    return Errno("cannot fsync", path, EIO);
  }
  if (::fsync(fd) != 0) {
    // Never retried: after a failed fsync the page cache may have dropped the dirty pages.
    const int e = errno;
    ::close(fd);
    return Errno("cannot fsync", path, e);
  }
  if (::close(fd) != 0 && errno != EINTR) return Errno("cannot close", path, errno);
  return "";
}

// ---- writing ----

std::string CheckpointWriter::Begin() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return "cannot create directory '" + dir_ + "': " + ec.message();
  if (fs::exists(fs::path(dir_) / kManifest, ec)) {
    return "'" + dir_ + "' already holds a checkpoint";
  }
  return "";
}

std::string CheckpointWriter::AddSubtask(int vertex, int subtask, const SnapshotWriter& snap) {
  const std::string name = std::to_string(vertex) + "-" + std::to_string(subtask) + ".state";
  std::string bytes;
  for (const auto& [uid, entries] : snap.operator_state()) {
    for (size_t k = 0; k < entries.size(); ++k) {
      index_.push_back("op " + Escape(uid) + " " + std::to_string(vertex) + " " +
                       std::to_string(subtask) + " " + std::to_string(k) + " " + name + " " +
                       std::to_string(bytes.size()) + " " + std::to_string(entries[k].size()));
      bytes += entries[k];
    }
  }
  for (const auto& [uid, groups] : snap.keyed_state()) {
    for (const auto& [kg, blob] : groups) {
      index_.push_back("kg " + Escape(uid) + " " + std::to_string(kg) + " " + name + " " +
                       std::to_string(bytes.size()) + " " + std::to_string(blob.size()));
      bytes += blob;
    }
  }
  if (std::string e = WriteFileDurably(dir_ + "/" + name, bytes, "checkpoint.state");
      !e.empty()) {
    return e;
  }
  files_.push_back(FileMeta{name, bytes.size(), Crc32c(bytes.data(), bytes.size())});
  size_ += static_cast<int64_t>(bytes.size());
  return "";
}

std::string CheckpointWriter::Finish(CheckpointInfo info) {
  std::ostringstream m;
  m << kMagic << "\n";
  m << "job " << Escape(info.job_name) << "\n";
  m << "id " << info.id << "\n";
  m << "type " << (info.savepoint ? "savepoint" : "checkpoint") << "\n";
  m << "time-ms " << info.time_ms << "\n";
  m << "max-parallelism " << info.max_parallelism << "\n";
  for (const auto& uid : info.uids) m << "uid " << Escape(uid) << "\n";
  // Files sorted by name so the manifest is deterministic whatever order acks came in.
  std::sort(files_.begin(), files_.end(),
            [](const FileMeta& a, const FileMeta& b) { return a.name < b.name; });
  for (const FileMeta& f : files_) m << "file " << f.name << " " << f.length << " " << Hex32(f.crc) << "\n";
  for (const std::string& l : index_) m << l << "\n";
  std::string body = m.str();
  body += "crc " + Hex32(Crc32c(body.data(), body.size())) + "\n";

  const std::string tmp = dir_ + "/" + kManifest + ".tmp";
  if (std::string e = WriteFileDurably(tmp, body, "checkpoint.manifest"); !e.empty()) return e;
  if (DFC_FAILPOINT("checkpoint.manifest.rename")) return Errno("cannot rename", tmp, EIO);
  if (::rename(tmp.c_str(), (dir_ + "/" + kManifest).c_str()) != 0) {
    return Errno("cannot rename", tmp, errno);
  }
  if (std::string e = FsyncDir(dir_); !e.empty()) return e;
  const std::string parent = fs::path(dir_).parent_path().string();
  if (std::string e = FsyncDir(parent.empty() ? "." : parent); !e.empty()) return e;
  return "";
}

// ---- loading ----

std::string LoadCheckpoint(const std::string& dir, RestoredState::Data* data,
                           CheckpointInfo* info) {
  const std::string mpath = dir + "/" + kManifest;
  std::string text;
  int err = 0;
  if (!ReadWholeFile(mpath, &text, &err)) return Errno("cannot read", mpath, err);
  auto bad = [&](const std::string& why) { return "manifest '" + mpath + "' " + why; };
  // The last line is `crc <hex>` over everything before it.
  if (text.empty() || text.back() != '\n') return bad("is truncated");
  const size_t last = text.rfind('\n', text.size() - 2);
  if (last == std::string::npos) return bad("is truncated");
  const std::string crc_line = text.substr(last + 1, text.size() - last - 2);
  if (crc_line.rfind("crc ", 0) != 0) return bad("has no checksum line (truncated?)");
  const std::string body = text.substr(0, last + 1);
  if (crc_line.substr(4) != Hex32(Crc32c(body.data(), body.size()))) {
    return bad("fails its CRC32C check");
  }

  struct FileMeta {
    uint64_t length;
    uint32_t crc;
    std::string bytes;
    bool loaded = false;
  };
  std::map<std::string, FileMeta> files;
  *info = CheckpointInfo();
  *data = RestoredState::Data();
  size_t pos = 0;
  int lineno = 0;
  bool magic = false;
  // Index entries are resolved after every file is verified.
  struct OpEntry {
    std::string uid;
    int64_t vertex, subtask, k;
    std::string file;
    int64_t off, len;
  };
  std::vector<OpEntry> ops;
  struct KgEntry {
    std::string uid;
    int64_t kg;
    std::string file;
    int64_t off, len;
  };
  std::vector<KgEntry> kgs;
  while (pos < body.size()) {
    const size_t nl = body.find('\n', pos);
    const std::string_view line(body.data() + pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    if (lineno == 1) {
      if (line != kMagic) return bad("is not a dfc checkpoint manifest (or of another version)");
      magic = true;
      continue;
    }
    auto t = Split(line);
    auto malformed = [&] { return bad("line " + std::to_string(lineno) + " is malformed"); };
    if (t.empty()) return malformed();
    std::string s;
    int64_t a = 0, b = 0, c = 0, d = 0, e = 0;
    if (t[0] == "job" && t.size() == 2 && Unescape(t[1], &s)) {
      info->job_name = s;
    } else if (t[0] == "id" && t.size() == 2 && ParseI64(t[1], &a)) {
      info->id = a;
    } else if (t[0] == "type" && t.size() == 2) {
      info->savepoint = t[1] == "savepoint";
    } else if (t[0] == "time-ms" && t.size() == 2 && ParseI64(t[1], &a)) {
      info->time_ms = a;
    } else if (t[0] == "max-parallelism" && t.size() == 2 && ParseI64(t[1], &a)) {
      info->max_parallelism = static_cast<int>(a);
    } else if (t[0] == "uid" && t.size() == 2 && Unescape(t[1], &s)) {
      info->uids.push_back(s);
    } else if (t[0] == "file" && t.size() == 4 && ParseI64(t[2], &a)) {
      const std::string hex(t[3]);
      char* end = nullptr;
      const unsigned long crc = std::strtoul(hex.c_str(), &end, 16);
      if (*end != '\0' || t[1].find('/') != std::string_view::npos || t[1].empty() ||
          t[1][0] == '.') {
        return malformed();
      }
      files[std::string(t[1])] = FileMeta{static_cast<uint64_t>(a), static_cast<uint32_t>(crc), "", false};
    } else if (t[0] == "op" && t.size() == 8 && Unescape(t[1], &s) && ParseI64(t[2], &a) &&
               ParseI64(t[3], &b) && ParseI64(t[4], &c) && ParseI64(t[6], &d) &&
               ParseI64(t[7], &e)) {
      ops.push_back(OpEntry{s, a, b, c, std::string(t[5]), d, e});
    } else if (t[0] == "kg" && t.size() == 6 && Unescape(t[1], &s) && ParseI64(t[2], &a) &&
               ParseI64(t[4], &d) && ParseI64(t[5], &e)) {
      kgs.push_back(KgEntry{s, a, std::string(t[3]), d, e});
    } else {
      return malformed();
    }
  }
  if (!magic || info->id <= 0 || info->max_parallelism <= 0) return bad("is incomplete");

  // Every file: present, of the recorded length, with the recorded CRC32C.
  for (auto& [name, f] : files) {
    const std::string path = dir + "/" + name;
    if (!ReadWholeFile(path, &f.bytes, &err)) return "state file " + Errno("cannot be read:", path, err);
    if (f.bytes.size() != f.length) {
      return "state file '" + path + "' has " + std::to_string(f.bytes.size()) +
             " bytes, the manifest says " + std::to_string(f.length) + " (truncated?)";
    }
    if (Crc32c(f.bytes.data(), f.bytes.size()) != f.crc) {
      return "state file '" + path + "' fails its CRC32C check (corrupt)";
    }
    info->size_bytes += static_cast<int64_t>(f.length);
  }
  auto slice = [&](const std::string& file, int64_t off, int64_t len,
                   std::string* out) -> std::string {
    auto it = files.find(file);
    if (it == files.end()) return bad("indexes unknown file '" + file + "'");
    if (off < 0 || len < 0 || static_cast<uint64_t>(off + len) > it->second.bytes.size()) {
      return bad("indexes bytes outside '" + file + "'");
    }
    out->assign(it->second.bytes.data() + off, static_cast<size_t>(len));
    return "";
  };
  // Operator entries in (old subtask, entry) order per uid: the round-robin order on restore.
  std::sort(ops.begin(), ops.end(), [](const OpEntry& x, const OpEntry& y) {
    return std::tie(x.uid, x.vertex, x.subtask, x.k) < std::tie(y.uid, y.vertex, y.subtask, y.k);
  });
  for (const OpEntry& o : ops) {
    std::string bytes;
    if (std::string e = slice(o.file, o.off, o.len, &bytes); !e.empty()) return e;
    data->operator_entries[o.uid].push_back(std::move(bytes));
  }
  for (const KgEntry& k : kgs) {
    if (k.kg >= info->max_parallelism) return bad("has key group " + std::to_string(k.kg) + " out of range");
    std::string bytes;
    if (std::string e = slice(k.file, k.off, k.len, &bytes); !e.empty()) return e;
    data->keyed[k.uid][static_cast<int>(k.kg)] = std::move(bytes);
  }
  for (const auto& uid : info->uids) {
    data->operator_entries.try_emplace(uid);  // state-less but present operators still "exist"
  }
  data->checkpoint_id = info->id;
  return "";
}

std::vector<std::pair<int64_t, std::string>> ListCheckpoints(const std::string& base) {
  std::vector<std::pair<int64_t, std::string>> r;
  DIR* d = ::opendir(base.c_str());
  if (d == nullptr) return r;
  while (dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    int64_t id = 0;
    if (n.rfind("chk-", 0) == 0 && ParseI64(std::string_view(n).substr(4), &id)) {
      r.emplace_back(id, base + "/" + n);
    }
  }
  ::closedir(d);
  std::sort(r.begin(), r.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return r;
}

bool SameCheckpointDir(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  const auto norm = [](const std::string& s) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::path(s), ec);
    if (ec) p = fs::path(s);
    p = p.lexically_normal();
    if (p.has_parent_path() && p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
    return p;
  };
  return norm(a) == norm(b);
}

void DeleteCheckpoint(const std::string& dir) {
  ::unlink((dir + "/" + kManifest).c_str());
  FsyncDir(dir);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

std::string CopyCheckpoint(const std::string& from, const std::string& target) {
  std::error_code ec;
  if (fs::exists(target, ec)) return "savepoint target '" + target + "' already exists";
  fs::create_directories(target, ec);
  if (ec) return "cannot create directory '" + target + "': " + ec.message();
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(from, ec)) names.push_back(e.path().filename().string());
  if (ec) return "cannot list '" + from + "': " + ec.message();
  std::sort(names.begin(), names.end());
  // State files first, the manifest last: the copy is valid only once complete.
  std::stable_partition(names.begin(), names.end(), [](const std::string& n) { return n != kManifest; });
  for (const std::string& n : names) {
    if (n == std::string(kManifest) + ".tmp") continue;
    std::string bytes;
    int err = 0;
    if (!ReadWholeFile(from + "/" + n, &bytes, &err)) return Errno("cannot read", from + "/" + n, err);
    const std::string dst = target + "/" + (n == kManifest ? std::string(kManifest) + ".tmp" : n);
    if (std::string e = WriteFileDurably(dst, bytes, "savepoint.copy"); !e.empty()) return e;
    if (n == kManifest && ::rename(dst.c_str(), (target + "/" + kManifest).c_str()) != 0) {
      return Errno("cannot rename", dst, errno);
    }
  }
  if (std::string e = FsyncDir(target); !e.empty()) return e;
  const std::string parent = fs::path(target).parent_path().string();
  return FsyncDir(parent.empty() ? "." : parent);
}

}  // namespace dfc::rt
