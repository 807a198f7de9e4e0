// The job description as constant data: what generated `main` hands to the runtime. Plain arrays
// of string literals and function pointers, constant-initialized, so a job compiles no
// std::vector / std::function code to describe itself (issue 2: `dfc build` time); the runtime
// library turns the table into a JobSpec (dfc/task.h).
#pragma once

#include "dfc/task.h"

namespace dfc::rt {

struct JobTableVertex {
  const char* name;            // VertexSpec::name
  int parallelism;             // VertexSpec::parallelism
  int max_source_parallelism;  // VertexSpec::max_source_parallelism
  const OperatorSpec* operators;
  int num_operators;
  Task* (*create)();  // a new task of this vertex (owned by the caller)
  bool timer_driven = false;  // VertexSpec::timer_driven
};

struct JobTable {
  const char* name;
  const char* const (*config)[2];  // (key, value) as written in the job's `config`
  int num_config;
  const JobTableVertex* vertices;  // topological order
  int num_vertices;
  const EdgeSpec* edges;
  int num_edges;
  const char* const (*overridable_params)[2];  // (node id, parameter)
  int num_overridable_params;
};

// The JobSpec a table describes (arrays with a count of 0 may be null).
JobSpec JobSpecFromTable(const JobTable& t);

// RunJobMain(JobSpecFromTable(t), argc, argv).
int RunJobMain(const JobTable& t, int argc, char** argv);

}  // namespace dfc::rt
