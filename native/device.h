#pragma once
#include <napi.h>
namespace tn {
// Loads libtorch_cuda when the found libtorch has it (its kernels register on load).
void LoadCuda(struct AddonState* state);
void InitDevice(Napi::Env env, Napi::Object exports);
}  // namespace tn
