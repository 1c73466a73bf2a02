// Checks that run before the few libtorch kernels that crash (segfault, abort) on inputs
// they do not validate themselves, found by scripts/fuzz-program.mjs. Each throws the error
// PyTorch's Python layer, or a later libtorch, raises for that input.
#pragma once
#include <ATen/core/function_schema.h>
#include <ATen/core/operator_name.h>
#include <ATen/core/stack.h>

namespace tn {

using OpGuard = void (*)(const c10::FunctionSchema& schema, const torch::jit::Stack& args);

// The guard for an operator (schema name and overload), or nullptr for almost all of them.
OpGuard FindGuard(const c10::OperatorName& name);

}  // namespace tn
