// OpenStateStore (dfc/state.h): the store of state.backend.type for a keyed operator. `rocksdb` is
// an embedded RocksDB per keyed operator per subtask: one column family per state, WAL off (the
// checkpoint is the durability), in a fresh directory under state.backend.rocksdb.localdir (or
// $TMPDIR, or /tmp) that is removed when the operator closes. RocksDB is linked statically into
// every job that uses keyed state; no RocksDB header leaves this file.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "dfc/state.h"

namespace dfc::rt {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void Fail(const std::string& what, const rocksdb::Status& s) {
  throw std::runtime_error("rocksdb state backend: " + what + ": " + s.ToString());
}

class RocksDbStore final : public StateStore {
 public:
  explicit RocksDbStore(fs::path dir) : dir_(std::move(dir)) {
    rocksdb::Options o;
    o.create_if_missing = true;
    o.error_if_exists = true;
    o.write_buffer_size = 16 << 20;
    o.max_write_buffer_number = 2;
    o.max_background_jobs = 2;
    o.compression = rocksdb::kLZ4Compression;
    cf_options_ = rocksdb::ColumnFamilyOptions(o);
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(o, dir_.string(), &db);
    if (!s.ok()) Fail("cannot open " + dir_.string(), s);
    db_.reset(db);
    write_options_.disableWAL = true;
    write_options_.sync = false;
  }

  ~RocksDbStore() override {
    for (auto* h : columns_) db_->DestroyColumnFamilyHandle(h);
    columns_.clear();
    if (db_) db_->Close().PermitUncheckedError();
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  int Column(std::string_view state_name) override {
    for (size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == state_name) return static_cast<int>(i);
    rocksdb::ColumnFamilyHandle* h = nullptr;
    // Column family names are the state names, prefixed so "default" stays free.
    rocksdb::Status s = db_->CreateColumnFamily(cf_options_, "s:" + std::string(state_name), &h);
    if (!s.ok()) Fail("cannot create column family for state '" + std::string(state_name) + "'", s);
    names_.emplace_back(state_name);
    columns_.push_back(h);
    return static_cast<int>(columns_.size() - 1);
  }

  bool Get(int column, std::string_view key, std::string* value) override {
    rocksdb::Status s = db_->Get(read_options_, columns_[column], rocksdb::Slice(key.data(), key.size()), value);
    if (s.IsNotFound()) return false;
    if (!s.ok()) Fail("read failed", s);
    return true;
  }

  void Put(int column, std::string_view key, std::string_view value) override {
    rocksdb::Status s = batch_.Put(columns_[column], rocksdb::Slice(key.data(), key.size()),
                                   rocksdb::Slice(value.data(), value.size()));
    if (!s.ok()) Fail("write batch failed", s);
  }

  void Delete(int column, std::string_view key) override {
    rocksdb::Status s = batch_.Delete(columns_[column], rocksdb::Slice(key.data(), key.size()));
    if (!s.ok()) Fail("write batch failed", s);
  }

  void DeleteRange(int column, std::string_view begin, std::string_view end) override {
    rocksdb::Status s = batch_.DeleteRange(columns_[column], rocksdb::Slice(begin.data(), begin.size()),
                                           rocksdb::Slice(end.data(), end.size()));
    if (!s.ok()) Fail("write batch failed", s);
  }

  void Write() override {
    if (batch_.Count() == 0) return;
    rocksdb::Status s = db_->Write(write_options_, &batch_);
    if (!s.ok()) Fail("write failed", s);
    batch_.Clear();
  }

  void Scan(int column, std::string_view prefix, ScanFn fn, void* arg) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options_, columns_[column]));
    const rocksdb::Slice p(prefix.data(), prefix.size());
    for (it->Seek(p); it->Valid() && it->key().starts_with(p); it->Next()) {
      fn(arg, std::string_view(it->key().data(), it->key().size()),
         std::string_view(it->value().data(), it->value().size()));
    }
    if (!it->status().ok()) Fail("scan failed", it->status());
  }

  std::string path() const override { return dir_.string(); }

 private:
  fs::path dir_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyOptions cf_options_;
  std::vector<std::string> names_;
  std::vector<rocksdb::ColumnFamilyHandle*> columns_;
  rocksdb::WriteBatch batch_;
  rocksdb::ReadOptions read_options_;
  rocksdb::WriteOptions write_options_;
};

// A fresh directory for one operator of one subtask.
fs::path MakeDir(const TaskContext& ctx, std::string_view uid) {
  std::string base = ctx.Config("state.backend.rocksdb.localdir", "");
  if (base.empty()) {
    const char* t = std::getenv("TMPDIR");
    base = t && *t ? t : "/tmp";
  }
  std::error_code ec;
  fs::create_directories(base, ec);
  std::string safe;
  for (char c : uid) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  std::string tmpl = (fs::path(base) / ("dfc-rocksdb-" + std::to_string(::getpid()) + "-" + safe + "-" +
                                        std::to_string(ctx.subtask()) + "-XXXXXX"))
                         .string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) {
    throw std::runtime_error("rocksdb state backend: cannot create a directory under '" + base +
                             "' (state.backend.rocksdb.localdir): " + std::strerror(errno));
  }
  return fs::path(buf.data());
}

}  // namespace

std::unique_ptr<StateStore> OpenStateStore(const TaskContext& ctx, std::string_view operator_uid) {
  std::string type = ctx.Config("state.backend.type", "");
  if (type.empty()) type = ctx.Config("state.backend", "hashmap");
  if (type == "hashmap") return nullptr;
  if (type == "rocksdb") return std::make_unique<RocksDbStore>(MakeDir(ctx, operator_uid));
  throw std::invalid_argument("state.backend.type must be 'hashmap' or 'rocksdb', got '" + type + "'");
}

}  // namespace dfc::rt
