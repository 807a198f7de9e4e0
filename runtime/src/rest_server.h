// The job executable's control endpoint (Flink's REST shape, a subset), on 127.0.0.1:rest.port
// (0 = any free port; the bound port is printed on stderr). A minimal HTTP/1.1 over POSIX sockets
// in the runtime library (rest_server.cc says why not cpp-httplib). Read-only status plus the
// two mutating calls of issue 5; no upload, no file-by-name
// (RELIABILITY.md, "The REST endpoint"); requests are bounded in size and time.
//
//   GET  /jobs                              {"jobs":[{"id":J,"status":S}]}
//   GET  /jobs/J                            {"jid","name","state","vertices":[{"id","name",
//                                            "parallelism","operators","metrics"}],"checkpoints"}
//   GET  /jobs/J/vertices/V/metrics[?get=M,...]            vertex-scope metrics: without `get`
//                                            [{"id":M}], with it [{"id":M,"value":"N"}]; M is
//                                            "<subtask>.<metric>" or "<subtask>.<operator>.<metric>"
//   GET  /jobs/J/vertices/V/subtasks/metrics[?get=M,...&agg=min,max,avg,sum]
//                                            the same aggregated over the subtasks
//   GET  /jobs/J/checkpoints                the checkpoint counters
//   POST /jobs/J/savepoints                 body {"target-directory":D?,"cancel-job":B?}
//                                           -> {"request-id":R}
//   POST /jobs/J/stop                       body {"targetDirectory":D?,"drain":B?}
//                                           -> {"request-id":R}
//   GET  /jobs/J/savepoints/R               {"status":{"id":"IN_PROGRESS"|"COMPLETED"},
//                                            "operation":{"location":D}|{"failure-cause":...}}
//
// Threading: one server thread serves requests one at a time; handlers only call JobRuntime's
// thread-safe methods.
#pragma once

#include <memory>
#include <string>

namespace dfc::rt {

class JobRuntime;

class RestServer {
 public:
  explicit RestServer(JobRuntime* runtime);
  ~RestServer();
  // Binds `address`:`port` and starts serving. Returns "" or the error; *bound = the port.
  std::string Start(const std::string& address, int port, int* bound);
  void Stop();
  // The job id in URLs: 32 hex digits derived from the job name (stable across runs).
  static std::string JobId(const std::string& job_name);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The executable's client subcommands: `JOB savepoint|stop --port N [--target DIR] [--drain]`.
// Triggers, waits for completion, prints the savepoint directory. Returns the exit code.
int RunRestClient(int argc, char** argv);

}  // namespace dfc::rt
