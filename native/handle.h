// Tensor handles: a napi_external per tensor, freed by a GC-time finalizer or by dispose().
#pragma once
#include <ATen/core/Tensor.h>
#include <node_api.h>

#include "state.h"

namespace tn {

// Tells a tensor handle from the other externals (generators, modules) a caller could pass
// in a Tensor's place (`new torch.Tensor(generator._g)`): read as a TensorBox they crashed.
constexpr uint64_t kTensorBoxMagic = 0x74656e736f72626fULL;  // "tensorbo"

struct TensorBox {
  uint64_t magic;     // kTensorBoxMagic; first, so reading it stays inside any box
  at::Tensor tensor;  // undefined once disposed
  int64_t reportedBytes;
  AddonState* state;
};

// The collector (see AddonState). GC pacing runs a minor GC every `paceInterval` new handles
// (lib/gc-pacing.ts picks it; 0 turns pacing off), spaced out, doubling up to kMaxPaceLimit,
// while the handles survive.
constexpr int64_t kMaxPaceLimit = 1 << 20;
// Sets the JS function that runs a GC (called with `major`); anything else removes it.
void SetCollector(napi_env env, AddonState* state, napi_value collector, int64_t paceInterval);
// Runs a minor or full GC through the collector; false where there is none, or where a JS
// exception is pending (it must reach JS first).
bool CollectGarbage(napi_env env, AddonState* state, bool major);

// A new JS handle owning `t` (an undefined tensor becomes null). Its storage's bytes are
// reported to V8 unless countBytes is false (memory V8 already counts: a JS buffer's).
napi_value WrapTensor(napi_env env, AddonState* state, at::Tensor t, bool countBytes = true);
// The box behind a tensor handle, or nullptr when `data` (an external's) is not one.
inline TensorBox* AsTensorBox(void* data) {
  auto* box = static_cast<TensorBox*>(data);
  return box != nullptr && box->magic == kTensorBoxMagic ? box : nullptr;
}
// The tensor behind a handle; throws a JS-bound std::runtime_error if it is not a tensor
// handle or was disposed.
const at::Tensor& UnwrapTensor(napi_env env, napi_value value);
TensorBox* UnwrapBox(napi_env env, napi_value value);
// Frees the tensor now; the handle stays valid and reports "disposed" when used.
void DisposeBox(TensorBox* box);
// Drops the references that kept JS buffers alive for shared tensors freed since.
void ReleaseSharedBuffers(napi_env env, AddonState* state);

}  // namespace tn
