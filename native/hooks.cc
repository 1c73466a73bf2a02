// Tensor.registerHook: a JS function called with the tensor's gradient during backward; what
// it returns (a tensor) replaces the gradient, as PyTorch's register_hook. libtorch runs a CPU
// graph's backward on the thread that called backward(), the JS thread, so the hook is a plain
// synchronous call there; on a device thread (CUDA backward) it throws instead.
#include <memory>
#include <mutex>
#include <thread>

#include <ATen/core/Tensor.h>

#include "errors.h"
#include "handle.h"
#include "hooks.h"
#include "state.h"

namespace tn {

namespace {

// A JS function held by libtorch's graph. The graph may be freed on a libuv worker (an async
// job's inputs die there); Node-API references are released on the JS thread only.
class JsHook {
 public:
  JsHook(napi_env env, AddonState* state, napi_value fn) : env_(env), state_(state), thread_(std::this_thread::get_id()) {
    napi_create_reference(env, fn, 1, &fn_);
  }
  ~JsHook() {
    if (std::this_thread::get_id() == thread_) {
      napi_delete_reference(env_, fn_);
      return;
    }
    std::lock_guard<std::mutex> lock(state_->releaseMutex);
    state_->pendingReleases.push_back(fn_);
    state_->hasPendingReleases = true;
  }

  at::Tensor operator()(const at::Tensor& grad) const {
    if (std::this_thread::get_id() != thread_) {
      throw std::runtime_error("a hook registered from JS runs on the JS thread only (CPU tensors); "
                               "this backward ran on one of libtorch's device threads");
    }
    napi_handle_scope scope;
    napi_open_handle_scope(env_, &scope);
    struct CloseScope {
      napi_env env;
      napi_handle_scope scope;
      ~CloseScope() { napi_close_handle_scope(env, scope); }
    } close{env_, scope};

    napi_value fn, global, arg = WrapTensor(env_, state_, grad), result;
    napi_get_reference_value(env_, fn_, &fn);
    napi_get_global(env_, &global);
    // A throwing hook leaves its JS exception pending; backward() rethrows it as it is.
    if (napi_call_function(env_, global, fn, 1, &arg, &result) != napi_ok) throw JsExceptionPending();
    napi_valuetype type;
    napi_typeof(env_, result, &type);
    if (type == napi_undefined || type == napi_null) return at::Tensor();  // keep the gradient
    return UnwrapTensor(env_, result);
  }

 private:
  napi_env env_;
  AddonState* state_;
  napi_ref fn_ = nullptr;
  std::thread::id thread_;
};

// registerHook(tensor, fn) -> the hook's index for removeHook.
Napi::Value RegisterHook(const Napi::CallbackInfo& info) {
  const at::Tensor& t = UnwrapTensor(info.Env(), info[0]);
  if (!info[1].IsFunction()) throw std::runtime_error("registerHook: the hook must be a function");
  auto hook = std::make_shared<JsHook>(info.Env(), GetState(info.Env()), info[1]);
  unsigned index = t.register_hook([hook](const at::Tensor& grad) { return (*hook)(grad); });
  return Napi::Number::New(info.Env(), index);
}

Napi::Value RemoveHook(const Napi::CallbackInfo& info) {
  UnwrapTensor(info.Env(), info[0]).remove_hook(info[1].As<Napi::Number>().Uint32Value());
  return info.Env().Undefined();
}

Napi::Value RetainsGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), UnwrapTensor(info.Env(), info[0]).retains_grad());
}

}  // namespace

void InitHooks(Napi::Env env, Napi::Object exports) {
  Export<RegisterHook>(env, exports, "registerHook");
  Export<RemoveHook>(env, exports, "removeHook");
  Export<RetainsGrad>(env, exports, "retainsGrad");
}

}  // namespace tn
