// torch.Generator: a random number generator object, passed to ops as their `generator`.
#pragma once
#include <ATen/core/Generator.h>
#include <napi.h>

namespace tn {
// The generator behind a JS generator handle; throws if `value` is not one.
at::Generator UnwrapGenerator(napi_env env, napi_value value);
// A seed as PyTorch takes one: an integer (number or bigint) in [-2^63, 2^64), negative ones
// wrapping to uint64; anything else (NaN, 2.5, a string, 2n**64n) throws, naming `what`.
uint64_t SeedFromJs(const Napi::Value& value, const char* what);
void InitGenerator(Napi::Env env, Napi::Object exports);
}  // namespace tn
