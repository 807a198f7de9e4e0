// nexmark_export: writes the first N Nexmark events (dfc/nexmark.h) to person.csv, auction.csv and
// bid.csv (and, with --jsonl, person.jsonl / auction.jsonl / bid.jsonl) in nexmark-flink's column
// order, no header, RFC 4180 quoting, timestamps as epoch milliseconds — the input of the DuckDB
// oracle (tests/oracle) and of file-source jobs.
//
// --parallelism P generates with P threads, thread t taking the indices t, t+P, t+2P, ... (the
// split a P-way `nexmark` source uses); the threads' lines are merged back by index, block by
// block, so the files are byte-identical for every P.
//
// Usage: nexmark_export --events N [--parallelism P] [--out DIR] [--jsonl]
//                       [--events-per-second R] [--base-time MS] [--seed S]
//                       [--out-of-order-group G]
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "dfc/nexmark.h"

namespace {

using dfc::nexmark::Event;
using dfc::nexmark::EventKind;
using dfc::nexmark::Generator;
using dfc::nexmark::GeneratorConfig;

// ---- formatting ----

void PutInt(std::string* out, int64_t v) {
  char buf[24];
  int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  out->append(buf, static_cast<size_t>(n));
}

void PutCsvString(std::string* out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void PutJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// Writes one row either as CSV or as a JSON object, field by field.
class RowWriter {
 public:
  RowWriter(std::string* out, bool json) : out_(out), json_(json) {
    if (json_) out_->push_back('{');
  }
  void Int(const char* name, int64_t v) {
    Sep(name);
    PutInt(out_, v);
  }
  void Str(const char* name, const std::string& v) {
    Sep(name);
    json_ ? PutJsonString(out_, v) : PutCsvString(out_, v);
  }
  void End() { out_->append(json_ ? "}\n" : "\n"); }

 private:
  void Sep(const char* name) {
    if (!first_) out_->push_back(',');
    first_ = false;
    if (json_) {
      out_->push_back('"');
      out_->append(name);
      out_->append("\":");
    }
  }
  std::string* out_;
  bool json_;
  bool first_ = true;
};

void FormatEvent(const Event& e, bool json, std::string* out) {
  RowWriter w(out, json);
  switch (e.kind) {
    case EventKind::kPerson: {
      const auto& p = e.person;
      w.Int("id", p.id);
      w.Str("name", p.name);
      w.Str("emailAddress", p.emailAddress);
      w.Str("creditCard", p.creditCard);
      w.Str("city", p.city);
      w.Str("state", p.state);
      w.Int("dateTime", p.dateTime);
      w.Str("extra", p.extra);
      break;
    }
    case EventKind::kAuction: {
      const auto& a = e.auction;
      w.Int("id", a.id);
      w.Str("itemName", a.itemName);
      w.Str("description", a.description);
      w.Int("initialBid", a.initialBid);
      w.Int("reserve", a.reserve);
      w.Int("dateTime", a.dateTime);
      w.Int("expires", a.expires);
      w.Int("seller", a.seller);
      w.Int("category", a.category);
      w.Str("extra", a.extra);
      break;
    }
    case EventKind::kBid: {
      const auto& b = e.bid;
      w.Int("auction", b.auction);
      w.Int("bidder", b.bidder);
      w.Int("price", b.price);
      w.Str("channel", b.channel);
      w.Str("url", b.url);
      w.Int("dateTime", b.dateTime);
      w.Str("extra", b.extra);
      break;
    }
  }
  w.End();
}

// ---- parallel generation, merged by index ----

// The lines one thread produced for one block: text plus the end offset of each line, in the
// thread's index order, per output format.
struct Chunk {
  std::string text[2];
  std::vector<size_t> ends[2];
};

void Generate(const Generator& gen, int64_t begin, int64_t end, int thread, int threads, bool jsonl,
              Chunk* chunk) {
  Event e;
  for (int f = 0; f < 2; ++f) {
    chunk->text[f].clear();
    chunk->ends[f].clear();
  }
  // First index >= begin congruent to `thread` mod `threads`.
  int64_t i = begin + ((thread - begin % threads) % threads + threads) % threads;
  for (; i < end; i += threads) {
    gen.Next(i, &e);
    FormatEvent(e, false, &chunk->text[0]);
    chunk->ends[0].push_back(chunk->text[0].size());
    if (jsonl) {
      FormatEvent(e, true, &chunk->text[1]);
      chunk->ends[1].push_back(chunk->text[1].size());
    }
  }
}

bool WriteAll(FILE* f, const char* data, size_t n) { return std::fwrite(data, 1, n, f) == n; }

int Usage() {
  std::fprintf(stderr,
               "usage: nexmark_export --events N [--parallelism P] [--out DIR] [--jsonl]\n"
               "                      [--events-per-second R] [--base-time MS] [--seed S]\n"
               "                      [--out-of-order-group G]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t events = -1;
  int threads = 1;
  std::string dir = ".";
  bool jsonl = false;
  GeneratorConfig cfg;
  for (int a = 1; a < argc; ++a) {
    std::string_view arg = argv[a];
    auto value = [&]() -> const char* {
      if (a + 1 >= argc) {
        std::fprintf(stderr, "nexmark_export: %s needs a value\n", argv[a]);
        std::exit(2);
      }
      return argv[++a];
    };
    if (arg == "--events") {
      events = std::atoll(value());
    } else if (arg == "--parallelism") {
      threads = std::atoi(value());
    } else if (arg == "--out") {
      dir = value();
    } else if (arg == "--jsonl") {
      jsonl = true;
    } else if (arg == "--events-per-second") {
      cfg.events_per_second = std::atoll(value());
    } else if (arg == "--base-time") {
      cfg.base_time_ms = std::atoll(value());
    } else if (arg == "--seed") {
      cfg.seed = std::strtoull(value(), nullptr, 10);
    } else if (arg == "--out-of-order-group") {
      cfg.out_of_order_group_size = std::atoll(value());
    } else if (arg == "--help" || arg == "-h") {
      Usage();
      return 0;
    } else {
      std::fprintf(stderr, "nexmark_export: unknown argument '%s'\n", argv[a]);
      return Usage();
    }
  }
  if (events < 0 || threads < 1 || cfg.events_per_second < 1 || cfg.out_of_order_group_size < 1)
    return Usage();

  const Generator gen(cfg);
  static const char* kNames[] = {"person", "auction", "bid"};
  FILE* files[3][2] = {};
  for (int k = 0; k < 3; ++k) {
    for (int f = 0; f < (jsonl ? 2 : 1); ++f) {
      std::string path = dir + "/" + kNames[k] + (f ? ".jsonl" : ".csv");
      files[k][f] = std::fopen(path.c_str(), "wb");
      if (!files[k][f]) {
        std::fprintf(stderr, "nexmark_export: cannot open %s: %s\n", path.c_str(), std::strerror(errno));
        return 1;
      }
    }
  }

  constexpr int64_t kBlock = 1 << 18;
  std::vector<Chunk> chunks(static_cast<size_t>(threads));
  for (int64_t begin = 0; begin < events; begin += kBlock) {
    const int64_t end = begin + kBlock < events ? begin + kBlock : events;
    if (threads == 1) {
      Generate(gen, begin, end, 0, 1, jsonl, &chunks[0]);
    } else {
      std::vector<std::thread> pool;
      for (int t = 0; t < threads; ++t)
        pool.emplace_back(Generate, std::cref(gen), begin, end, t, threads, jsonl, &chunks[static_cast<size_t>(t)]);
      for (auto& th : pool) th.join();
    }
    // Merge by index: index i is the next line of thread i % threads; its kind picks the file.
    std::vector<size_t> next(static_cast<size_t>(threads), 0);
    for (int64_t i = begin; i < end; ++i) {
      const size_t t = static_cast<size_t>(i % threads);
      const size_t n = next[t]++;
      const int k = static_cast<int>(gen.KindOf(i));
      for (int f = 0; f < (jsonl ? 2 : 1); ++f) {
        const Chunk& c = chunks[t];
        const size_t from = n == 0 ? 0 : c.ends[f][n - 1];
        if (!WriteAll(files[k][f], c.text[f].data() + from, c.ends[f][n] - from)) {
          std::fprintf(stderr, "nexmark_export: write failed: %s\n", std::strerror(errno));
          return 1;
        }
      }
    }
  }
  for (auto& kf : files)
    for (FILE* f : kf)
      if (f && std::fclose(f) != 0) {
        std::fprintf(stderr, "nexmark_export: close failed: %s\n", std::strerror(errno));
        return 1;
      }
  return 0;
}
