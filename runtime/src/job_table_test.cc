// JobTable (generated main's constant job description) -> JobSpec: every field carried over.
#include "dfc/job_table.h"

#include <gtest/gtest.h>

#include <string>

namespace dfc::rt {
namespace {

int created = 0;
Task* CreateNone() {
  ++created;
  return nullptr;
}

TEST(JobTable, BecomesTheJobSpec) {
  static const OperatorSpec ops0[] = {{"src", "Source", "u1", OperatorKind::kSource},
                                      {"f", "f", "u2", OperatorKind::kOperator}};
  static const OperatorSpec ops1[] = {{"out", "out", "u3", OperatorKind::kSink}};
  static const JobTableVertex vertices[] = {{"src -> f", 0, 1, ops0, 2, &CreateNone},
                                            {"out", 3, 0, ops1, 1, &CreateNone}};
  static const EdgeSpec edges[] = {{0, 1, 0, PartitionMode::kHash}};
  static const char* const config[][2] = {{"parallelism.default", "2"}, {"pipeline.name", "x"}};
  static const char* const params[][2] = {{"src", "path"}};
  const JobTable t = {"job", config, 2, vertices, 2, edges, 1, params, 1};
  const JobSpec spec = JobSpecFromTable(t);
  EXPECT_EQ(std::string(spec.name), "job");
  ASSERT_EQ(spec.config.size(), 2u);
  EXPECT_EQ(std::string(spec.config[1].first), "pipeline.name");
  EXPECT_EQ(std::string(spec.config[1].second), "x");
  ASSERT_EQ(spec.vertices.size(), 2u);
  EXPECT_EQ(std::string(spec.vertices[0].name), "src -> f");
  EXPECT_EQ(spec.vertices[0].parallelism, 0);
  EXPECT_EQ(spec.vertices[0].max_source_parallelism, 1);
  ASSERT_EQ(spec.vertices[0].operators.size(), 2u);
  EXPECT_EQ(std::string(spec.vertices[0].operators[0].name), "Source");
  EXPECT_EQ(std::string(spec.vertices[0].operators[1].uid), "u2");
  EXPECT_EQ(spec.vertices[0].operators[0].kind, OperatorKind::kSource);
  EXPECT_EQ(spec.vertices[1].parallelism, 3);
  ASSERT_EQ(spec.vertices[1].operators.size(), 1u);
  EXPECT_EQ(spec.vertices[1].operators[0].kind, OperatorKind::kSink);
  EXPECT_EQ(spec.vertices[1].create(), nullptr);
  EXPECT_EQ(created, 1);
  ASSERT_EQ(spec.edges.size(), 1u);
  EXPECT_EQ(spec.edges[0].to_vertex, 1);
  EXPECT_EQ(spec.edges[0].mode, PartitionMode::kHash);
  ASSERT_EQ(spec.overridable_params.size(), 1u);
  EXPECT_EQ(std::string(spec.overridable_params[0].second), "path");
}

TEST(JobTable, EmptyArraysMayBeNull) {
  const JobTable t = {"empty", nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0};
  const JobSpec spec = JobSpecFromTable(t);
  EXPECT_TRUE(spec.config.empty());
  EXPECT_TRUE(spec.vertices.empty());
  EXPECT_TRUE(spec.edges.empty());
  EXPECT_TRUE(spec.overridable_params.empty());
}

}  // namespace
}  // namespace dfc::rt
