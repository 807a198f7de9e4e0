// JobTable (the constant job description generated `main` passes) -> JobSpec.
#include "dfc/job_table.h"

namespace dfc::rt {

JobSpec JobSpecFromTable(const JobTable& t) {
  JobSpec spec;
  spec.name = t.name;
  for (int i = 0; i < t.num_config; ++i) spec.config.emplace_back(t.config[i][0], t.config[i][1]);
  for (int i = 0; i < t.num_vertices; ++i) {
    const JobTableVertex& tv = t.vertices[i];
    VertexSpec v;
    v.name = tv.name;
    v.parallelism = tv.parallelism;
    v.max_source_parallelism = tv.max_source_parallelism;
    v.timer_driven = tv.timer_driven;
    if (tv.num_operators > 0) v.operators.assign(tv.operators, tv.operators + tv.num_operators);
    v.create = [create = tv.create] { return std::unique_ptr<Task>(create()); };
    spec.vertices.push_back(std::move(v));
  }
  if (t.num_edges > 0) spec.edges.assign(t.edges, t.edges + t.num_edges);
  for (int i = 0; i < t.num_overridable_params; ++i)
    spec.overridable_params.emplace_back(t.overridable_params[i][0], t.overridable_params[i][1]);
  return spec;
}

int RunJobMain(const JobTable& t, int argc, char** argv) { return RunJobMain(JobSpecFromTable(t), argc, argv); }

}  // namespace dfc::rt
