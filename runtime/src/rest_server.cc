#include "runtime/src/rest_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "dfc/hash.h"
#include "runtime/src/job_runtime.h"
#include "stdlib/connectors/fd_io.h"

// Why not cpp-httplib: Debian packages it split (the header declares, the code lives only in
// libcpp-httplib.so, which pulls in OpenSSL, zlib, brotli and a dynamic libstdc++), and a job
// executable must stay one self-contained file (tests/e2e/self_contained.test). The endpoint
// needs a handful of loopback JSON calls, so this is a minimal HTTP/1.1 (one request per
// connection, Connection: close) over POSIX sockets.
namespace httplib {

struct Request {
  std::string method, path, body;
  std::string query;  // after '?', undecoded
  std::vector<std::string> matches;  // [0] the path, then one entry per ":param" segment
};
struct Response {
  int status = 200;
  std::string body;
  void set_content(const std::string& b, const char*) { body = b; }
};
using Handler = std::function<void(const Request&, Response&)>;

class Server {
 public:
  void set_payload_max_length(size_t n) { max_body_ = n; }
  void set_read_timeout(int s, int) { timeout_s_ = s; }
  void set_write_timeout(int, int) {}
  // Patterns are literal path segments and ":name" segments that match one non-empty segment.
  void Get(const std::string& pattern, Handler h) { routes_.push_back({"GET", Split(pattern), std::move(h)}); }
  void Post(const std::string& pattern, Handler h) { routes_.push_back({"POST", Split(pattern), std::move(h)}); }

  // Binds address:port (0 = any free port); returns the bound port or -1.
  int Bind(const std::string& address, int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return -1;
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (::inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1) return -1;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0) return -1;
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    return ntohs(a.sin_port);
  }

  void Listen() {
    while (!stop_.load()) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      Serve(c);
      ::close(c);
    }
  }

  void stop() { stop_.store(true); }
  ~Server() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };

  static std::vector<std::string> Split(const std::string& path) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '/') {
        ++i;
        continue;
      }
      const size_t j = std::min(path.find('/', i), path.size());
      out.push_back(path.substr(i, j - i));
      i = j;
    }
    return out;
  }

  static bool Match(const Route& route, Request& req) {
    const std::vector<std::string> parts = Split(req.path);
    if (parts.size() != route.segments.size()) return false;
    std::vector<std::string> matches{req.path};
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string& want = route.segments[i];
      if (!want.empty() && want[0] == ':') {
        matches.push_back(parts[i]);
      } else if (want != parts[i]) {
        return false;
      }
    }
    req.matches = std::move(matches);
    return true;
  }

  void Serve(int c) {
    timeval tv{timeout_s_, 0};
    ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    std::string in;
    char buf[4096];
    size_t head_end = std::string::npos;
    while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
      if (in.size() > 16 * 1024) return Reply(c, 431, "{\"errors\":[\"headers too large\"]}");
      const ssize_t r = ::recv(c, buf, sizeof buf, 0);
      if (r <= 0) return;
      in.append(buf, static_cast<size_t>(r));
    }
    Request req;
    const std::string head = in.substr(0, head_end);
    const size_t sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos) return Reply(c, 400, "{\"errors\":[\"bad request\"]}");
    req.method = head.substr(0, sp1);
    req.path = head.substr(sp1 + 1, sp2 - sp1 - 1);
    if (size_t q = req.path.find('?'); q != std::string::npos) {
      req.query = req.path.substr(q + 1);
      req.path.resize(q);
    }
    size_t length = 0;
    std::string lower = head;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (size_t cl = lower.find("\r\ncontent-length:"); cl != std::string::npos) {
      length = static_cast<size_t>(std::strtoull(lower.c_str() + cl + 17, nullptr, 10));
    }
    if (length > max_body_) return Reply(c, 413, "{\"errors\":[\"request too large\"]}");
    req.body = in.substr(head_end + 4);
    while (req.body.size() < length) {
      const ssize_t r = ::recv(c, buf, sizeof buf, 0);
      if (r <= 0) return;
      req.body.append(buf, static_cast<size_t>(r));
    }
    req.body.resize(length);
    for (const Route& route : routes_) {
      if (route.method != req.method || !Match(route, req)) continue;
      Response res;
      route.handler(req, res);
      return Reply(c, res.status, res.body);
    }
    Reply(c, 404, "{\"errors\":[\"Not found.\"]}");
  }

  static void Reply(int c, int status, const std::string& body) {
    const char* reason = status == 200 ? "OK" : status == 202 ? "Accepted" : status == 404 ? "Not Found" : "Error";
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                      "\r\nConnection: close\r\n\r\n" + body;
    dfc::rt::internal::WriteAll(c, out.data(), out.size());
  }

  int fd_ = -1;
  size_t max_body_ = 64 * 1024;
  int timeout_s_ = 5;
  std::vector<Route> routes_;
  std::atomic<bool> stop_{false};
};

// One request on a fresh connection; false when nothing answered.
bool Call(int port, const std::string& method, const std::string& path, const std::string& body, int* status,
          std::string* response) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return false;
  }
  const std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                          "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  dfc::rt::internal::WriteAll(fd, req.data(), req.size());
  std::string in;
  char buf[4096];
  ssize_t r;
  while ((r = ::recv(fd, buf, sizeof buf, 0)) > 0) in.append(buf, static_cast<size_t>(r));
  ::close(fd);
  const size_t sp = in.find(' ');
  const size_t he = in.find("\r\n\r\n");
  if (in.rfind("HTTP/1.1 ", 0) != 0 || sp == std::string::npos || he == std::string::npos) return false;
  *status = std::atoi(in.c_str() + sp + 1);
  *response = in.substr(he + 4);
  return true;
}

}  // namespace httplib

namespace dfc::rt {
namespace {

std::string JsonString(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += static_cast<char>(c);
    } else if (c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else {
      o += static_cast<char>(c);
    }
  }
  return o + "\"";
}

// The string value of "key" in a small flat JSON object ("" when absent). Handles \" and \\.
std::string JsonField(const std::string& body, const std::string& key) {
  const std::string k = "\"" + key + "\"";
  size_t p = body.find(k);
  if (p == std::string::npos) return "";
  p = body.find(':', p + k.size());
  if (p == std::string::npos) return "";
  ++p;
  while (p < body.size() && (body[p] == ' ' || body[p] == '\n' || body[p] == '\t')) ++p;
  if (p >= body.size()) return "";
  if (body[p] != '"') {
    size_t e = body.find_first_of(",}", p);
    std::string v = body.substr(p, e == std::string::npos ? std::string::npos : e - p);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\n')) v.pop_back();
    return v;
  }
  std::string v;
  for (size_t i = p + 1; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      v += body[++i];
    } else if (body[i] == '"') {
      return v;
    } else {
      v += body[i];
    }
  }
  return "";
}

// The value of `key` in a query string ("get=a,b&agg=sum"), percent-decoded; "" when absent.
std::string QueryParam(const std::string& query, const std::string& key) {
  size_t i = 0;
  while (i <= query.size()) {
    const size_t end = std::min(query.find('&', i), query.size());
    const std::string part = query.substr(i, end - i);
    if (part.compare(0, key.size() + 1, key + "=") == 0) {
      std::string out;
      for (size_t k = key.size() + 1; k < part.size(); ++k) {
        const auto hex = [](char c) {
          return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        };
        if (part[k] == '%' && k + 2 < part.size() && hex(part[k + 1]) >= 0 && hex(part[k + 2]) >= 0) {
          out += static_cast<char>(hex(part[k + 1]) * 16 + hex(part[k + 2]));
          k += 2;
        } else {
          out += part[k] == '+' ? ' ' : part[k];
        }
      }
      return out;
    }
    i = end + 1;
  }
  return "";
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t end = std::min(s.find(',', i), s.size());
    if (end > i) out.push_back(s.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

// Flink's metric query answers: without `get`, the available ids ([{"id":M},...]); with it,
// the values of the requested ones that exist ([{"id":M,"value":"V"},...], in request order).
std::string MetricValuesJson(const std::vector<std::pair<std::string, std::string>>& metrics,
                             const std::string& get) {
  std::string out = "[";
  if (get.empty()) {
    for (const auto& [name, value] : metrics) {
      out += std::string(out.size() > 1 ? "," : "") + "{\"id\":" + JsonString(name) + "}";
    }
  } else {
    for (const std::string& want : SplitList(get)) {
      const auto it = std::lower_bound(metrics.begin(), metrics.end(), std::make_pair(want, std::string()));
      if (it == metrics.end() || it->first != want) continue;
      out += std::string(out.size() > 1 ? "," : "") + "{\"id\":" + JsonString(want) +
             ",\"value\":" + JsonString(it->second) + "}";
    }
  }
  return out + "]";
}

// Flink's /subtasks/metrics: task-scope metrics aggregated over the vertex's subtasks
// ("<subtask>.<name>" -> name), with `agg` out of min, max, sum, avg (default all four).
std::string AggregatedMetricsJson(const std::vector<std::pair<std::string, std::string>>& metrics,
                                  const std::string& get, const std::string& agg) {
  std::map<std::string, std::vector<double>> by_name;
  for (const auto& [name, value] : metrics) {
    const size_t dot = name.find('.');
    if (dot == std::string::npos) continue;
    by_name[name.substr(dot + 1)].push_back(std::strtod(value.c_str(), nullptr));
  }
  std::vector<std::string> aggs = SplitList(agg);
  if (aggs.empty()) aggs = {"min", "max", "avg", "sum"};
  auto num = [](double d) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", d);
    return std::string(b);
  };
  std::string out = "[";
  auto one = [&](const std::string& name, const std::vector<double>& v) {
    out += std::string(out.size() > 1 ? "," : "") + "{\"id\":" + JsonString(name);
    double mn = v[0], mx = v[0], sum = 0;
    for (double d : v) {
      mn = std::min(mn, d);
      mx = std::max(mx, d);
      sum += d;
    }
    for (const std::string& a : aggs) {
      if (a == "min") out += ",\"min\":" + num(mn);
      if (a == "max") out += ",\"max\":" + num(mx);
      if (a == "sum") out += ",\"sum\":" + num(sum);
      if (a == "avg") out += ",\"avg\":" + num(sum / static_cast<double>(v.size()));
    }
    out += "}";
  };
  if (get.empty()) {
    for (const auto& [name, v] : by_name) {
      out += std::string(out.size() > 1 ? "," : "") + "{\"id\":" + JsonString(name) + "}";
    }
  } else {
    for (const std::string& want : SplitList(get)) {
      if (auto it = by_name.find(want); it != by_name.end()) one(want, it->second);
    }
  }
  return out + "]";
}

std::string VerticesJson(const std::vector<JobRuntime::VertexInfo>& vertices) {
  std::string out = "[";
  for (size_t i = 0; i < vertices.size(); ++i) {
    const JobRuntime::VertexInfo& v = vertices[i];
    std::string ops = "[";
    for (size_t k = 0; k < v.operators.size(); ++k) ops += (k ? "," : "") + JsonString(v.operators[k]);
    out += std::string(i ? "," : "") + "{\"id\":\"" + std::to_string(i) + "\",\"name\":" + JsonString(v.name) +
           ",\"parallelism\":" + std::to_string(v.parallelism) + ",\"operators\":" + ops +
           "],\"metrics\":{\"read-records\":" + std::to_string(v.records_in) +
           ",\"write-records\":" + std::to_string(v.records_out) + "}}";
  }
  return out + "]";
}

std::string CheckpointsJson(const CheckpointStats& s) {
  return "{\"counts\":{\"completed\":" + std::to_string(s.completed) +
         ",\"failed\":" + std::to_string(s.failed) +
         "},\"latest\":{\"id\":" + std::to_string(s.last_id) +
         ",\"duration\":" + std::to_string(s.last_duration_ms) +
         ",\"size\":" + std::to_string(s.last_size) +
         ",\"external_path\":" + JsonString(s.last_path) +
         "},\"restored\":{\"id\":" + std::to_string(s.restored_id) +
         ",\"external_path\":" + JsonString(s.restored_path) + "}}";
}

}  // namespace

struct RestServer::Impl {
  JobRuntime* runtime;
  httplib::Server server;
  std::thread thread;
};

RestServer::RestServer(JobRuntime* runtime) : impl_(std::make_unique<Impl>()) {
  impl_->runtime = runtime;
}

RestServer::~RestServer() { Stop(); }

std::string RestServer::JobId(const std::string& job_name) {
  char b[40];
  std::snprintf(b, sizeof b, "%016llx%016llx",
                static_cast<unsigned long long>(HashBytes(job_name.data(), job_name.size(), 1)),
                static_cast<unsigned long long>(HashBytes(job_name.data(), job_name.size(), 2)));
  return b;
}

std::string RestServer::Start(const std::string& address, int port, int* bound) {
  JobRuntime* rt = impl_->runtime;
  httplib::Server& s = impl_->server;
  const std::string jid = JobId(rt->job_name());
  s.set_payload_max_length(64 * 1024);
  s.set_read_timeout(5, 0);
  s.set_write_timeout(5, 0);
  const auto json = "application/json";
  auto not_found = [](httplib::Response& res) {
    res.status = 404;
    res.set_content("{\"errors\":[\"Not found.\"]}", "application/json");
  };
  s.Get("/jobs", [=](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"jobs\":[{\"id\":\"" + jid + "\",\"status\":\"" + rt->state() + "\"}]}", json);
  });
  s.Get("/jobs/:jid", [=](const httplib::Request& req, httplib::Response& res) {
    if (req.matches[1] != jid) return not_found(res);
    res.set_content("{\"jid\":\"" + jid + "\",\"name\":" + JsonString(rt->job_name()) +
                        ",\"state\":\"" + rt->state() +
                        "\",\"vertices\":" + VerticesJson(rt->Vertices()) +
                        ",\"checkpoints\":" + CheckpointsJson(rt->checkpoint_stats()) + "}",
                    json);
  });
  // Vertex ids are the chains' numbers in the job's plan (`dfc plan`), from 0.
  auto vertex_of = [=](const std::string& id) {
    if (id.empty() || id.size() > 6 || id.find_first_not_of("0123456789") != std::string::npos) return -1;
    const int v = std::atoi(id.c_str());
    return v < static_cast<int>(rt->Vertices().size()) ? v : -1;
  };
  s.Get("/jobs/:jid/vertices/:vid/metrics", [=](const httplib::Request& req, httplib::Response& res) {
    const int v = vertex_of(req.matches[2]);
    if (req.matches[1] != jid || v < 0) return not_found(res);
    res.set_content(MetricValuesJson(rt->VertexMetrics(v), QueryParam(req.query, "get")), json);
  });
  s.Get("/jobs/:jid/vertices/:vid/subtasks/metrics", [=](const httplib::Request& req, httplib::Response& res) {
    const int v = vertex_of(req.matches[2]);
    if (req.matches[1] != jid || v < 0) return not_found(res);
    res.set_content(AggregatedMetricsJson(rt->VertexMetrics(v), QueryParam(req.query, "get"),
                                          QueryParam(req.query, "agg")),
                    json);
  });
  s.Get("/jobs/:jid/checkpoints", [=](const httplib::Request& req, httplib::Response& res) {
    if (req.matches[1] != jid) return not_found(res);
    res.set_content(CheckpointsJson(rt->checkpoint_stats()), json);
  });
  auto trigger = [=](const httplib::Request& req, httplib::Response& res, bool stop_call) {
    if (req.matches[1] != jid) return not_found(res);
    std::string target = JsonField(req.body, stop_call ? "targetDirectory" : "target-directory");
    const bool stop = stop_call || JsonField(req.body, "cancel-job") == "true";
    // Flink's stop-with-savepoint --drain: the sources emit the maximum watermark first.
    const bool drain = stop_call && JsonField(req.body, "drain") == "true";
    std::string error;
    const int64_t r = rt->TriggerSavepoint(target, stop, drain, &error);
    if (r < 0) {
      res.status = 409;
      res.set_content("{\"errors\":[" + JsonString(error) + "]}", json);
      return;
    }
    res.status = 202;
    res.set_content("{\"request-id\":\"" + std::to_string(r) + "\"}", json);
  };
  s.Post("/jobs/:jid/savepoints",
         [=](const httplib::Request& req, httplib::Response& res) { trigger(req, res, false); });
  s.Post("/jobs/:jid/stop",
         [=](const httplib::Request& req, httplib::Response& res) { trigger(req, res, true); });
  s.Get("/jobs/:jid/savepoints/:id", [=](const httplib::Request& req, httplib::Response& res) {
    if (req.matches[1] != jid ||
        req.matches[2].find_first_not_of("0123456789") != std::string::npos) {
      return not_found(res);
    }
    const SavepointStatus st = rt->SavepointStatusOf(std::atoll(req.matches[2].c_str()));
    std::string op;
    if (st.state == SavepointStatus::kCompleted) {
      op = ",\"operation\":{\"location\":" + JsonString(st.location) + "}";
    } else if (st.state == SavepointStatus::kFailed) {
      op = ",\"operation\":{\"failure-cause\":{\"stack-trace\":" + JsonString(st.failure) + "}}";
    }
    res.set_content(std::string("{\"status\":{\"id\":\"") +
                        (st.state == SavepointStatus::kInProgress ? "IN_PROGRESS" : "COMPLETED") +
                        "\"}" + op + "}",
                    json);
  });
  const int p = s.Bind(address, port);
  if (p < 0) {
    return "cannot bind the REST endpoint to " + address + ":" + std::to_string(port) + ": " +
           std::strerror(errno);
  }
  *bound = p;
  impl_->thread = std::thread([this] { impl_->server.Listen(); });
  return "";
}

void RestServer::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
}

int RunRestClient(int argc, char** argv) {
  const std::string cmd = argv[1];
  int port = 0;
  std::string target;
  bool drain = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc) {
      port = std::atoi(argv[++i]);
    } else if (a == "--target" && i + 1 < argc) {
      target = argv[++i];
    } else if (a == "--drain") {
      drain = true;
    } else {
      std::cerr << "dfc: usage: " << argv[0] << " " << cmd << " --port N [--target DIR]"
                << (cmd == "stop" ? " [--drain]" : "") << "\n";
      return 2;
    }
  }
  if (port <= 0) {
    std::cerr << "dfc: " << cmd << " needs --port (the job's rest.port)\n";
    return 2;
  }
  int status = 0;
  std::string resp;
  if (!httplib::Call(port, "GET", "/jobs", "", &status, &resp) || status != 200) {
    std::cerr << "dfc: no job answers on 127.0.0.1:" << port << "\n";
    return 1;
  }
  const std::string jid = JsonField(resp, "id");
  std::string body = cmd == "stop"
                         ? "{\"drain\":" + std::string(drain ? "true" : "false") +
                               (target.empty() ? "" : ",\"targetDirectory\":" + JsonString(target)) + "}"
                         : "{\"cancel-job\":false" +
                               (target.empty() ? std::string() : ",\"target-directory\":" + JsonString(target)) + "}";
  if (!httplib::Call(port, "POST", "/jobs/" + jid + (cmd == "stop" ? "/stop" : "/savepoints"), body, &status,
                     &resp) ||
      status != 202) {
    std::cerr << "dfc: " << cmd << " refused: " << (status ? resp : std::string("no answer")) << "\n";
    return 1;
  }
  const std::string req = JsonField(resp, "request-id");
  for (int i = 0; i < 6000; ++i) {
    if (!httplib::Call(port, "GET", "/jobs/" + jid + "/savepoints/" + req, "", &status, &resp) || status != 200) {
      std::cerr << "dfc: the job stopped answering before reporting the savepoint\n";
      return 1;
    }
    if (JsonField(resp, "id") == "COMPLETED") {
      const std::string loc = JsonField(resp, "location");
      if (loc.empty()) {
        std::cerr << "dfc: savepoint failed: " << JsonField(resp, "stack-trace") << "\n";
        return 1;
      }
      std::cout << loc << "\n";
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::cerr << "dfc: savepoint did not complete in 120 s\n";
  return 1;
}

}  // namespace dfc::rt
