// Test fixture shared by the expression tests: a Bid-like schema and a job-like location.
#pragma once

#include "compiler/ir/types.h"
#include "compiler/support/source_loc.h"

namespace dfc::compiler::testing {

inline ir::Schema BidSchema() {
  ir::Schema s;
  s.name = "Bid";
  auto add = [&](const char* name, const char* type) {
    ir::Field f;
    f.name = name;
    f.type = *ir::ParseType(type);
    s.fields.push_back(f);
  };
  add("auction", "BIGINT");
  add("bidder", "BIGINT");
  add("price", "BIGINT");
  add("qty", "INT");
  add("rate", "DOUBLE");
  add("flag", "BOOLEAN");
  add("channel", "STRING");
  add("ts", "TIMESTAMP(3)");
  add("my col", "STRING");
  return s;
}

inline SourceLoc WhereLoc() {
  SourceLoc l;
  l.file = "job.json";
  l.line = 9;
  l.col = 20;
  l.pointer = "/nodes/1/where";
  return l;
}

}  // namespace dfc::compiler::testing
