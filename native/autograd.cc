// Autograd plumbing that no operator schema expresses: grad mode, backward, .grad,
// requires_grad, grad_fn, and torch.autograd.grad.
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>

#include "autograd.h"
#include "errors.h"
#include "handle.h"
#include "state.h"

namespace tn {

namespace {

const at::Tensor& Arg(const Napi::CallbackInfo& info, size_t i) { return UnwrapTensor(info.Env(), info[i]); }

at::Tensor OptionalArg(const Napi::CallbackInfo& info, size_t i) {
  if (info[i].IsNull() || info[i].IsUndefined()) return at::Tensor();
  return Arg(info, i);
}

std::vector<at::Tensor> TensorArray(const Napi::CallbackInfo& info, size_t i) {
  std::vector<at::Tensor> result;
  if (info[i].IsNull() || info[i].IsUndefined()) return result;
  Napi::Array array = info[i].As<Napi::Array>();
  for (uint32_t k = 0; k < array.Length(); k++) {
    Napi::Value v = array.Get(k);
    result.push_back(v.IsNull() || v.IsUndefined() ? at::Tensor() : UnwrapTensor(info.Env(), v));
  }
  return result;
}

Napi::Value Wrap(const Napi::CallbackInfo& info, at::Tensor t) {
  return Napi::Value(info.Env(), WrapTensor(info.Env(), GetState(info.Env()), std::move(t)));
}

Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::GradMode::is_enabled());
}

Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  c10::GradMode::set_enabled(info[0].ToBoolean());
  return info.Env().Undefined();
}

// inferenceModeEnter(enabled) / inferenceModeExit(): torch.inference_mode as a stack of
// libtorch's own RAII guards, entered and left from JS (always in pairs: lib/autograd.ts).
Napi::Value InferenceModeEnter(const Napi::CallbackInfo& info) {
  GetState(info.Env())->inferenceModes.push_back(std::make_unique<c10::InferenceMode>(info[0].ToBoolean()));
  return info.Env().Undefined();
}

Napi::Value InferenceModeExit(const Napi::CallbackInfo& info) {
  auto& modes = GetState(info.Env())->inferenceModes;
  if (!modes.empty()) modes.pop_back();
  return info.Env().Undefined();
}

Napi::Value IsInferenceModeEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::InferenceMode::is_enabled());
}

// backward(t, gradient | null, retainGraph, createGraph)
Napi::Value Backward(const Napi::CallbackInfo& info) {
  const at::Tensor& t = Arg(info, 0);
  bool createGraph = info[3].ToBoolean();
  std::optional<bool> retainGraph;
  if (info[2].IsBoolean()) retainGraph = info[2].ToBoolean();
  t.backward(OptionalArg(info, 1), retainGraph, createGraph);
  return info.Env().Undefined();
}

Napi::Value Grad(const Napi::CallbackInfo& info) { return Wrap(info, Arg(info, 0).grad()); }

Napi::Value SetGrad(const Napi::CallbackInfo& info) {
  Arg(info, 0).mutable_grad() = OptionalArg(info, 1);
  return info.Env().Undefined();
}

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), Arg(info, 0).requires_grad());
}

Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  Arg(info, 0).set_requires_grad(info[1].ToBoolean());
  return info.Env().Undefined();
}

Napi::Value IsLeaf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), Arg(info, 0).is_leaf());
}

Napi::Value RetainGrad(const Napi::CallbackInfo& info) {
  Arg(info, 0).retain_grad();
  return info.Env().Undefined();
}

Napi::Value GradFnName(const Napi::CallbackInfo& info) {
  const auto& fn = Arg(info, 0).grad_fn();
  if (!fn) return info.Env().Null();
  return Napi::String::New(info.Env(), fn->name());
}

// autogradGrad(outputs, inputs, gradOutputs | null, retainGraph | null, createGraph, allowUnused)
Napi::Value AutogradGrad(const Napi::CallbackInfo& info) {
  std::optional<bool> retainGraph;
  if (info[3].IsBoolean()) retainGraph = info[3].ToBoolean();
  auto grads = torch::autograd::grad(TensorArray(info, 0), TensorArray(info, 1), TensorArray(info, 2),
                                     retainGraph, info[4].ToBoolean(), info[5].ToBoolean());
  Napi::Array result = Napi::Array::New(info.Env(), grads.size());
  for (size_t i = 0; i < grads.size(); i++) result.Set(i, Wrap(info, grads[i]));
  return result;
}

}  // namespace

void InitAutograd(Napi::Env env, Napi::Object exports) {
  Export<IsGradEnabled>(env, exports, "isGradEnabled");
  Export<SetGradEnabled>(env, exports, "setGradEnabled");
  Export<InferenceModeEnter>(env, exports, "inferenceModeEnter");
  Export<InferenceModeExit>(env, exports, "inferenceModeExit");
  Export<IsInferenceModeEnabled>(env, exports, "isInferenceModeEnabled");
  Export<Backward>(env, exports, "backward");
  Export<Grad>(env, exports, "grad");
  Export<SetGrad>(env, exports, "setGrad");
  Export<RequiresGrad>(env, exports, "requiresGrad");
  Export<SetRequiresGrad>(env, exports, "setRequiresGrad");
  Export<IsLeaf>(env, exports, "isLeaf");
  Export<RetainGrad>(env, exports, "retainGrad");
  Export<GradFnName>(env, exports, "gradFnName");
  Export<AutogradGrad>(env, exports, "autogradGrad");
}

}  // namespace tn
