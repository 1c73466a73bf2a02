// Per-addon state, kept in Node-API instance data (one per Node environment, so
// worker_threads each get their own), never in statics.
#pragma once
#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>
#include <c10/core/InferenceMode.h>
#include <memory>
#include <node_api.h>

namespace tn {

struct OpEntry;  // ops.h

struct AddonState {
  // Lifetime accounting (handle.cc). Finalizers run inside GC, where V8 may not be called:
  // they only add to freedBytes, which the next allocation reports to V8. GC-time finalizers
  // run on this environment's JS thread, so plain integers suffice.
  int64_t freedBytes = 0;
  int64_t liveTensors = 0;

  // The collector (handle.cc): a JS function running V8's GC, minor or full. GC pacing: results
  // left to the GC are freed by the scavenge that finds them dead, but V8 sizes its young
  // generation for JS objects, not for the ~600 bytes of native memory behind each handle, so
  // it let ~250,000 results (150 MB) go cache-cold first. A minor GC every `paceInterval` new
  // handles frees them while their memory is still warm. A GPU out-of-memory error runs a
  // full GC before the op's one retry (ops.cc).
  napi_ref collector = nullptr;   // null: no GC can be run from here
  int64_t youngHandles = 0;       // handles made since the last GC, less those disposed
  int64_t paceInterval = 0;       // new handles between minor GCs while handles die young; 0: off
  int64_t paceLimit = 0;          // the interval now: longer while handles survive
  int64_t finalizedHandles = 0;   // handles the GC has finalized, ever
  int64_t finalizedAtLastGc = 0;  // ...as of the last GC this code saw
  int64_t outOfMemoryRetries = 0; // ops retried after an out-of-memory error and a full GC

  // Operators looked up by name once, then called by index (ops.cc).
  std::vector<OpEntry*> ops;
  std::unordered_map<std::string, uint32_t> opIndex;
  torch::jit::Stack stack;
  int callDepth = 0;  // callOp calls in progress (more than one when JS re-enters it)

  // JS buffers shared zero-copy with tensors; released on the JS thread (tensor.cc).
  std::mutex releaseMutex;
  std::vector<napi_ref> pendingReleases;
  std::atomic<bool> hasPendingReleases{false};

  // torch.inferenceMode guards entered from JS, innermost last (autograd.cc).
  std::vector<std::unique_ptr<c10::InferenceMode>> inferenceModes;

  std::string cudaLoadError;  // why libtorch_cuda did not load, if it did not (device.cc)

  ~AddonState();
};

AddonState* GetState(napi_env env);

}  // namespace tn
