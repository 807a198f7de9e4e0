// FieldTypeName (declared in dfc/row.h): the SQL spelling of each row field type, used in error
// messages of the formats.
#include "dfc/row.h"

namespace dfc::rt {

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kBool: return "BOOLEAN";
    case FieldType::kInt32: return "INT";
    case FieldType::kInt64: return "BIGINT";
    case FieldType::kDouble: return "DOUBLE";
    case FieldType::kString: return "STRING";
    case FieldType::kTimestamp: return "TIMESTAMP(3)";
  }
  return "UNKNOWN";
}

}  // namespace dfc::rt
