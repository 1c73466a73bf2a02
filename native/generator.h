// torch.Generator: a random number generator object, passed to ops as their `generator`.
#pragma once
#include <ATen/core/Generator.h>
#include <napi.h>

namespace tn {
// The generator behind a JS generator handle; throws if `value` is not one.
at::Generator UnwrapGenerator(napi_env env, napi_value value);
void InitGenerator(Napi::Env env, Napi::Object exports);
}  // namespace tn
