// Micro-benchmark of the runtime library's formats: CSV and JSON-lines parse/format through the
// type-erased RowDesc path, each beside a hand-written minimal loop doing the same work on the
// same input (fixed columns, no error reporting), and the ratio. Prints records/s; not a test.
//
//   formats_bench [records]   (default 1,000,000)
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dfc/connectors.h"

namespace {

using dfc::rt::FieldDesc;
using dfc::rt::FieldType;
using dfc::rt::RowDesc;

// A Nexmark-bid-like row.
struct Bid {
  int64_t auction = 0;
  int64_t bidder = 0;
  int64_t price = 0;
  std::string channel;
  std::string url;
  int64_t date_time = 0;
  double weight = 0;
};

template <class F, F Bid::*M>
void* Access(void* row) {
  return &(static_cast<Bid*>(row)->*M);
}

const FieldDesc kFields[] = {
    {"auction", FieldType::kInt64, &Access<int64_t, &Bid::auction>},
    {"bidder", FieldType::kInt64, &Access<int64_t, &Bid::bidder>},
    {"price", FieldType::kInt64, &Access<int64_t, &Bid::price>},
    {"channel", FieldType::kString, &Access<std::string, &Bid::channel>},
    {"url", FieldType::kString, &Access<std::string, &Bid::url>},
    {"date_time", FieldType::kTimestamp, &Access<int64_t, &Bid::date_time>},
    {"weight", FieldType::kDouble, &Access<double, &Bid::weight>},
};
const RowDesc kDesc{"Bid", kFields, 7, nullptr, nullptr};

std::vector<Bid> MakeBids(size_t n) {
  std::vector<Bid> bids(n);
  uint64_t x = 88172645463325252ull;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    Bid& b = bids[i];
    b.auction = 1000 + static_cast<int64_t>(x % 10000);
    b.bidder = 2000 + static_cast<int64_t>((x >> 16) % 100000);
    b.price = static_cast<int64_t>((x >> 8) % 1000000);
    b.channel = (x & 1) ? "Google" : "Baidu";
    b.url = "https://www.nexmark.com/item.htm?query=" + std::to_string(x % 977);
    b.date_time = 1700000000000 + static_cast<int64_t>(i) * 10;
    b.weight = static_cast<double>(x % 100000) / 64.0;
  }
  return bids;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

volatile uint64_t g_sink;  // keeps results alive

void Report(const char* name, size_t n, double secs, double baseline_secs) {
  std::printf("%-34s %8.2f M records/s", name, n / secs / 1e6);
  if (baseline_secs > 0) std::printf("   (%.2fx the hand-written loop's time)", secs / baseline_secs);
  std::printf("\n");
}

// ---- hand-written minimal equivalents: fixed columns, epoch-millis timestamps ----

void HandFormatCsv(const Bid& b, std::string* out) {
  char buf[32];
  out->append(buf, std::to_chars(buf, buf + 32, b.auction).ptr - buf);
  out->push_back(',');
  out->append(buf, std::to_chars(buf, buf + 32, b.bidder).ptr - buf);
  out->push_back(',');
  out->append(buf, std::to_chars(buf, buf + 32, b.price).ptr - buf);
  out->push_back(',');
  out->append(b.channel);
  out->push_back(',');
  out->append(b.url);
  out->push_back(',');
  out->append(buf, std::to_chars(buf, buf + 32, b.date_time).ptr - buf);
  out->push_back(',');
  out->append(buf, std::to_chars(buf, buf + 32, b.weight).ptr - buf);
}

bool HandParseCsv(std::string_view line, Bid* b) {
  const char* p = line.data();
  const char* end = p + line.size();
  auto next = [&](std::string_view* field) {
    const char* q = static_cast<const char*>(std::memchr(p, ',', end - p));
    if (q == nullptr) q = end;
    *field = std::string_view(p, q - p);
    p = q < end ? q + 1 : end;
  };
  std::string_view f;
  auto num = [&](int64_t* v) {
    next(&f);
    return std::from_chars(f.data(), f.data() + f.size(), *v).ec == std::errc();
  };
  if (!num(&b->auction) || !num(&b->bidder) || !num(&b->price)) return false;
  next(&f);
  b->channel.assign(f);
  next(&f);
  b->url.assign(f);
  if (!num(&b->date_time)) return false;
  next(&f);
  return std::from_chars(f.data(), f.data() + f.size(), b->weight).ec == std::errc();
}

void HandFormatJson(const Bid& b, std::string* out) {
  char buf[32];
  out->append("{\"auction\":");
  out->append(buf, std::to_chars(buf, buf + 32, b.auction).ptr - buf);
  out->append(",\"bidder\":");
  out->append(buf, std::to_chars(buf, buf + 32, b.bidder).ptr - buf);
  out->append(",\"price\":");
  out->append(buf, std::to_chars(buf, buf + 32, b.price).ptr - buf);
  out->append(",\"channel\":\"");
  out->append(b.channel);
  out->append("\",\"url\":\"");
  out->append(b.url);
  out->append("\",\"date_time\":");
  out->append(buf, std::to_chars(buf, buf + 32, b.date_time).ptr - buf);
  out->append(",\"weight\":");
  out->append(buf, std::to_chars(buf, buf + 32, b.weight).ptr - buf);
  out->push_back('}');
}

// Assumes our own output layout (keys in order, no escapes): the floor of what a JSON parser
// can cost.
bool HandParseJson(std::string_view line, Bid* b) {
  const char* p = line.data();
  const char* end = p + line.size();
  auto value = [&]() {
    p = static_cast<const char*>(std::memchr(p, ':', end - p)) + 1;
  };
  auto num = [&](int64_t* v) {
    value();
    auto r = std::from_chars(p, end, *v);
    p = r.ptr;
    return r.ec == std::errc();
  };
  auto str = [&](std::string* s) {
    value();
    const char* q = static_cast<const char*>(std::memchr(p + 1, '"', end - p - 1));
    s->assign(p + 1, q);
    p = q + 1;
  };
  if (!num(&b->auction) || !num(&b->bidder) || !num(&b->price)) return false;
  str(&b->channel);
  str(&b->url);
  if (!num(&b->date_time)) return false;
  value();
  return std::from_chars(p, end, b->weight).ec == std::errc();
}

template <class F>
double Time(F body) {
  const auto start = std::chrono::steady_clock::now();
  body();
  return Seconds(start);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const std::vector<Bid> bids = MakeBids(n);
  std::printf("formats_bench: %zu Nexmark-like bid rows (7 columns)\n", n);

  // Format into one reused buffer (cleared every 4096 records, like a sink chunk).
  std::vector<std::string> csv_lines, json_lines, hand_csv, hand_json;
  std::string out;
  auto format_all = [&](auto fmt) {
    out.clear();
    uint64_t bytes = 0;
    for (size_t i = 0; i < n; ++i) {
      fmt(bids[i], &out);
      out.push_back('\n');
      if ((i & 4095) == 4095) {
        bytes += out.size();
        out.clear();
      }
    }
    g_sink = bytes + out.size();
  };
  const double hand_csv_fmt = Time([&] { format_all(HandFormatCsv); });
  const double csv_fmt = Time([&] {
    format_all([](const Bid& b, std::string* o) { dfc::rt::FormatCsv(kDesc, &b, ',', o); });
  });
  const double hand_json_fmt = Time([&] { format_all(HandFormatJson); });
  const double json_fmt = Time([&] {
    format_all([](const Bid& b, std::string* o) { dfc::rt::FormatJson(kDesc, &b, o); });
  });

  // Inputs for parsing: each format's own output.
  for (const Bid& b : bids) {
    std::string s;
    dfc::rt::FormatCsv(kDesc, &b, ',', &s);
    csv_lines.push_back(std::move(s));
    s.clear();
    dfc::rt::FormatJson(kDesc, &b, &s);
    json_lines.push_back(std::move(s));
    s.clear();
    HandFormatCsv(b, &s);
    hand_csv.push_back(std::move(s));
    s.clear();
    HandFormatJson(b, &s);
    hand_json.push_back(std::move(s));
  }
  Bid row;
  std::string error;
  auto parse_all = [&](const std::vector<std::string>& lines, auto parse) {
    uint64_t ok = 0;
    for (const std::string& l : lines) ok += parse(l, &row);
    if (ok != n) {
      std::fprintf(stderr, "parse failed: %s\n", error.c_str());
      std::exit(1);
    }
    g_sink = ok + row.price;
  };
  const double hand_csv_parse = Time([&] { parse_all(hand_csv, HandParseCsv); });
  const double csv_parse = Time([&] {
    parse_all(csv_lines, [&](std::string_view l, Bid* b) {
      return dfc::rt::ParseCsv(l, ',', kDesc, b, &error);
    });
  });
  const double hand_json_parse = Time([&] { parse_all(hand_json, HandParseJson); });
  const double json_parse = Time([&] {
    parse_all(json_lines,
              [&](std::string_view l, Bid* b) { return dfc::rt::ParseJson(l, kDesc, b, &error); });
  });

  Report("csv format   hand-written", n, hand_csv_fmt, 0);
  Report("csv format   dfc::rt::FormatCsv", n, csv_fmt, hand_csv_fmt);
  Report("csv parse    hand-written", n, hand_csv_parse, 0);
  Report("csv parse    dfc::rt::ParseCsv", n, csv_parse, hand_csv_parse);
  Report("json format  hand-written", n, hand_json_fmt, 0);
  Report("json format  dfc::rt::FormatJson", n, json_fmt, hand_json_fmt);
  Report("json parse   hand-written", n, hand_json_parse, 0);
  Report("json parse   dfc::rt::ParseJson", n, json_parse, hand_json_parse);
  std::printf("(dfc formats write SQL timestamps and Java-style doubles; the hand-written loops\n"
              " write epoch millis and to_chars doubles, so their lines are a little shorter)\n");
  return 0;
}
