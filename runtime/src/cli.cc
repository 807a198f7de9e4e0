// The command line of a job executable and RunJobMain: parse, build, run with a signal thread.
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "dfc/task.h"
#include "runtime/src/job_runtime.h"
#include "runtime/src/rest_server.h"

namespace dfc::rt {
namespace {

bool ParsePositive(const std::string& s, int* out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *out = std::atoi(s.c_str());
  return *out > 0;
}

// Classifies and records one `key=value` of -D.
std::string AddDefine(const JobSpec& spec, const std::string& kv, RunOptions* o) {
  const size_t eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) {
    return "malformed -D '" + kv + "': expected -D key=value";
  }
  std::string key = kv.substr(0, eq);
  std::string value = kv.substr(eq + 1);
  const size_t dot = key.find('.');
  if (dot != std::string::npos) {
    // `<node>.<param>` when the first segment names a node of the job; else a config key.
    const std::string node = key.substr(0, dot), param = key.substr(dot + 1);
    bool is_node = false;
    for (const auto& [n, p] : spec.overridable_params) is_node |= node == n;
    for (const VertexSpec& v : spec.vertices)
      for (const OperatorSpec& op : v.operators) is_node |= node == op.id;
    if (is_node) {
      std::string known;
      for (const auto& [n, p] : spec.overridable_params) {
        if (node != n) continue;
        if (param == p) {
          o->params[key] = value;
          return "";
        }
        known += known.empty() ? "" : ", ";
        known += p;
      }
      return "-D " + key + ": node '" + node + "' has no overridable parameter '" + param + "'" +
             (known.empty() ? std::string(" (it has none)") : " (overridable: " + known + ")");
    }
  }
  o->config.emplace_back(std::move(key), std::move(value));
  return "";
}

}  // namespace

std::string UsageText(const JobSpec& spec, const char* argv0) {
  std::ostringstream o;
  o << "Usage: " << argv0 << " [options]\n"
    << "Runs the dfc job '" << spec.name << "' as its own application cluster.\n\n"
    << "Options:\n"
    << "  --help                    print this help and exit\n"
    << "  --parallelism N, -p N     default parallelism of operators without a fixed one\n"
    << "  -D key=value              set a configuration key (e.g. parallelism.default,\n"
    << "                            taskmanager.numberOfTaskSlots, execution.buffer-timeout,\n"
    << "                            pipeline.max-parallelism)\n"
    << "  -D node.param=value       override a node parameter (listed below)\n"
    << "  --metrics-interval S      print the per-operator metrics table every S seconds\n"
    << "  -v, --verbose             print the per-operator metrics table at the end\n"
    << "  --from-checkpoint P       start from checkpoint directory P, 'latest' (the default\n"
    << "                            with checkpointing: newest valid one in the checkpoint\n"
    << "                            directory) or 'none' (from scratch)\n"
    << "  --from-savepoint P        start from the savepoint (or checkpoint) directory P\n"
    << "  --allow-non-restored-state  skip state of operators this job no longer has\n";
  if (!spec.overridable_params.empty()) {
    o << "\nOverridable node parameters:\n";
    for (const auto& [n, p] : spec.overridable_params) o << "  " << n << "." << p << "\n";
  }
  o << "\nExit codes: 0 finished, 1 failed, 2 usage error, 130 SIGINT, 143 SIGTERM.\n";
  return o.str();
}

std::string ParseCommandLine(const JobSpec& spec, int argc, char** argv, RunOptions* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const std::string& opt, std::string* out) -> bool {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      (void)opt;
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      o->help = true;
    } else if (a == "-v" || a == "--verbose") {
      o->verbose = true;
    } else if (a == "--parallelism" || a == "-p" || a.rfind("--parallelism=", 0) == 0) {
      if (a.size() > 14 && a[13] == '=') {
        v = a.substr(14);
      } else if (!value(a, &v)) {
        return a + " needs a value";
      }
      if (!ParsePositive(v, &o->parallelism)) {
        return "--parallelism must be a positive integer, got '" + v + "'";
      }
    } else if (a == "--metrics-interval" || a.rfind("--metrics-interval=", 0) == 0) {
      if (a.size() > 18 && a[18] == '=') {
        v = a.substr(19);
      } else if (!value(a, &v)) {
        return a + " needs a value";
      }
      char* end = nullptr;
      const double s = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(s > 0) || s > 1e6) {
        return "--metrics-interval must be a positive number of seconds, got '" + v + "'";
      }
      o->metrics_interval_s = s;
    } else if (a == "--from-checkpoint" || a == "--from-savepoint") {
      if (!value(a, &v) || v.empty()) return a + " needs a path";
      (a == "--from-checkpoint" ? o->from_checkpoint : o->from_savepoint) = v;
    } else if (a == "--allow-non-restored-state") {
      o->allow_non_restored_state = true;
    } else if (a == "-D") {
      if (!value(a, &v)) return "-D needs key=value";
      if (std::string e = AddDefine(spec, v, o); !e.empty()) return e;
    } else if (a.rfind("-D", 0) == 0) {
      if (std::string e = AddDefine(spec, a.substr(2), o); !e.empty()) return e;
    } else {
      return "unknown option '" + a + "' (see --help)";
    }
  }
  if (!o->from_checkpoint.empty() && !o->from_savepoint.empty()) {
    return "--from-checkpoint and --from-savepoint exclude each other";
  }
  return "";
}

int RunJobMain(const JobSpec& spec, int argc, char** argv) {
  // `JOB savepoint|stop --port N ...`: the executable as a client of a running copy's endpoint.
  if (argc >= 2 && (std::string(argv[1]) == "savepoint" || std::string(argv[1]) == "stop")) {
    return RunRestClient(argc, argv);
  }
  RunOptions options;
  const char* argv0 = argc > 0 ? argv[0] : "job";
  if (std::string e = ParseCommandLine(spec, argc, argv, &options); !e.empty()) {
    std::cerr << "dfc: " << e << "\n";
    return 2;
  }
  if (options.help) {
    std::cout << UsageText(spec, argv0);
    return 0;
  }
  const JobConfig config(spec, options);  // before `options` moves into the runtime
  JobRuntime runtime(spec, std::move(options), std::cerr);
  int code = 0;
  if (std::string e = runtime.Build(&code); !e.empty()) {
    std::cerr << "dfc: job '" << spec.name << "': " << e << "\n";
    return code;
  }

  // SIGINT/SIGTERM are blocked in every thread (the REST and subtask threads inherit the mask, so
  // it is set before any of them starts) and taken by one dedicated thread with sigtimedwait,
  // which cancels the job cleanly.
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  // The control endpoint (rest.port): loopback unless rest.bind-address says otherwise.
  std::unique_ptr<RestServer> rest;
  {
    if (config.Has("rest.port")) {
      const std::string p = config.Get("rest.port", "");
      int port = 0;
      if (p != "0" && !ParsePositive(p, &port)) {
        std::cerr << "dfc: rest.port must be a port number, got '" << p << "'\n";
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        return 2;
      }
      rest = std::make_unique<RestServer>(&runtime);
      int bound = 0;
      if (std::string e = rest->Start(config.Get("rest.bind-address", "127.0.0.1"), port, &bound);
          !e.empty()) {
        std::cerr << "dfc: job '" << spec.name << "': " << e << "\n";
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        return 1;
      }
      std::cerr << "dfc: job '" << spec.name << "': REST endpoint http://127.0.0.1:" << bound
                << "/jobs/" << RestServer::JobId(spec.name) << "\n";
      std::cerr.flush();
    }
  }

  std::atomic<bool> stop{false};
  std::thread signals([&] {
    while (!stop.load()) {
      timespec ts{0, 50'000'000};
      const int sig = sigtimedwait(&set, nullptr, &ts);
      if (sig == SIGINT || sig == SIGTERM) runtime.Cancel(sig);
    }
  });
  code = runtime.Run();
  // A client polling a stop-with-savepoint gets its answer before the endpoint goes away.
  if (rest) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop.store(true);
  signals.join();
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return code;
}

}  // namespace dfc::rt
