// Every libtorch operator through one entry point: look an operator up by its schema name
// once (`opHandle`), then `callOp(index, ...args)` converts JS arguments by the schema's
// argument types, calls the boxed kernel through the dispatcher, and converts the results.
#pragma once
#include <napi.h>

#include <vector>

#include <ATen/core/dispatch/Dispatcher.h>

#include "guards.h"

namespace tn {

enum class Kind : uint8_t {
  Tensor, TensorList, OptTensorList, Int, IntList, Float, FloatList, Bool, BoolList,
  Scalar, ScalarList, String, ScalarType, Layout, MemoryFormat, Device, Generator, None,
  Unsupported
};

struct ArgSpec {
  Kind kind;
  bool optional;
  int fixedLength;  // int[2] and friends accept one number for all
  const c10::Argument* arg;
};

struct OpEntry {
  c10::OperatorHandle handle;
  std::vector<ArgSpec> args;
  std::vector<ArgSpec> returns;
  std::vector<bool> returnIsInPlace;  // returns `Tensor(a!)`: JS gives back the argument
  OpGuard guard = nullptr;            // checks before a kernel that crashes on bad input
  std::vector<uint32_t> writes;       // the Tensor(a!) arguments: resized or written in place
};

void InitOps(Napi::Env env, Napi::Object exports);

}  // namespace tn
