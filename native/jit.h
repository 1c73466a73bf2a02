#pragma once
#include <napi.h>

namespace torch::jit {
struct Module;
}

namespace tn {
void InitJit(Napi::Env env, Napi::Object exports);

// A TorchScript module as a JS handle, and back (jit.cc); used by torch.jit.trace too.
napi_value WrapModule(napi_env env, const torch::jit::Module& module);
torch::jit::Module& UnwrapModule(napi_env env, napi_value value);

// torch.jit.trace (jit-trace.cc): its own translation unit, the tracer's headers are heavy.
void InitJitTrace(Napi::Env env, Napi::Object exports);
}  // namespace tn
