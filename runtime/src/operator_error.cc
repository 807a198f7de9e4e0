// RethrowAsOperatorError (dfc/task.h): the exception translation around every operator of a
// generated chain, compiled once here instead of in each job.
#include <exception>
#include <string>

#include "dfc/task.h"

namespace dfc::rt {

void RethrowAsOperatorError(const char* op_id) {
  try {
    throw;
  } catch (const OperatorError&) {
    throw;
  } catch (const Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    throw OperatorError(op_id, e.what());
  } catch (...) {
    throw OperatorError(op_id, "exception of a non-std::exception type");
  }
}

}  // namespace dfc::rt
