// Tensor.registerHook: a JS function called with the tensor's gradient during backward; what
// it returns (a tensor) replaces the gradient, as PyTorch's register_hook. And the one
// post-accumulate-grad hook libtorch keeps per leaf, called with the leaf once its .grad holds
// the new sum (register_post_accumulate_grad_hook; lib/tensor.ts fans it out to every JS hook).
// A JsCallback: it runs on the JS thread only (a CUDA backward's device threads get an Error).
#include <memory>

#include <ATen/core/Tensor.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>

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

struct JsPostAccumulateGradHook : torch::autograd::PostAccumulateGradHook {
  explicit JsPostAccumulateGradHook(std::shared_ptr<JsCallback> fn) : fn(std::move(fn)) {}
  void operator()(const torch::autograd::Variable& tensor) override {
    if (!fn->OnJsThread()) {
      throw std::runtime_error("a hook registered from JS runs on the JS thread only (CPU tensors); "
                               "this backward ran on one of libtorch's device threads");
    }
    HandleScope scope(fn->env());
    fn->Call(WrapTensor(fn->env(), fn->state(), tensor));
  }
  std::shared_ptr<JsCallback> fn;
};

// setPostAccumulateGradHook(tensor, fn): fn(leaf) after each accumulation into leaf.grad.
Napi::Value SetPostAccumulateGradHook(const Napi::CallbackInfo& info) {
  const at::Tensor& t = UnwrapTensor(info.Env(), info[0]);
  if (!info[1].IsFunction()) throw std::runtime_error("registerPostAccumulateGradHook: the hook must be a function");
  if (!t.requires_grad()) throw std::runtime_error("cannot register a hook on a tensor that doesn't require gradient");
  if (!t.is_leaf()) throw std::runtime_error("post accumulate grad hooks cannot be registered on non-leaf tensors");
  auto fn = std::make_shared<JsCallback>(info.Env(), GetState(info.Env()), info[1]);
  torch::autograd::impl::set_post_acc_grad_hooks(t, std::make_unique<JsPostAccumulateGradHook>(fn));
  return info.Env().Undefined();
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
  Export<SetPostAccumulateGradHook>(env, exports, "setPostAccumulateGradHook");
  Export<RetainsGrad>(env, exports, "retainsGrad");
}

}  // namespace tn
