// Tensor.registerHook: a JS function called with the tensor's gradient during backward; what
// it returns (a tensor) replaces the gradient, as PyTorch's register_hook. A JsCallback: it
// runs on the JS thread only (a CUDA backward's device threads get an Error).
#include <memory>

#include <ATen/core/Tensor.h>

#include "errors.h"
#include "handle.h"
#include "hooks.h"
#include "js-callback.h"
#include "state.h"

namespace tn {

namespace {

// The hook: grad -> the JS function's tensor, or the same gradient when it returns nothing.
at::Tensor CallHook(const JsCallback& hook, const at::Tensor& grad) {
  if (!hook.OnJsThread()) {
    throw std::runtime_error("a hook registered from JS runs on the JS thread only (CPU tensors); "
                             "this backward ran on one of libtorch's device threads");
  }
  napi_env env = hook.env();
  HandleScope scope(env);
  napi_value result = hook.Call(WrapTensor(env, hook.state(), grad));
  napi_valuetype type;
  napi_typeof(env, result, &type);
  if (type == napi_undefined || type == napi_null) return at::Tensor();  // keep the gradient
  return UnwrapTensor(env, result);
}

// registerHook(tensor, fn) -> the hook's index for removeHook.
Napi::Value RegisterHook(const Napi::CallbackInfo& info) {
  const at::Tensor& t = UnwrapTensor(info.Env(), info[0]);
  if (!info[1].IsFunction()) throw std::runtime_error("registerHook: the hook must be a function");
  auto hook = std::make_shared<JsCallback>(info.Env(), GetState(info.Env()), info[1]);
  unsigned index = t.register_hook([hook](const at::Tensor& grad) { return CallHook(*hook, grad); });
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
