// The addon's entry point: per-environment state, then one Init per API domain.
#include <napi.h>

#include "aoti.h"
#include "async-copy.h"
#include "autocast.h"
#include "autograd.h"
#include "device.h"
#include "distributed.h"
#include "function.h"
#include "generator.h"
#include "hooks.h"
#include "jit.h"
#include "ops.h"
#include "serialization.h"
#include "settings.h"
#include "state.h"
#include "tensor.h"

namespace tn {

AddonState::~AddonState() {
  for (OpEntry* op : ops) delete op;
}

AddonState* GetState(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<AddonState*>(data);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* state = new AddonState();
  napi_set_instance_data(
      env, state, [](napi_env, void* data, void*) { delete static_cast<AddonState*>(data); }, nullptr);
  LoadCuda(state);
  InitOps(env, exports);
  InitTensor(env, exports);
  InitAutograd(env, exports);
  InitAutocast(env, exports);
  InitDevice(env, exports);
  InitSerialization(env, exports);
  InitFunction(env, exports);
  InitHooks(env, exports);
  InitGenerator(env, exports);
  InitJit(env, exports);
  InitAsyncCopy(env, exports);
  InitDistributed(env, exports);
  InitAoti(env, exports);
  InitSettings(env, exports);
  return exports;
}

}  // namespace tn

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return tn::Init(env, exports); }
NODE_API_MODULE(torch_node, InitAddon)
