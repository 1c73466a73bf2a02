// torch.autograd.Function in JS: a libtorch autograd Node whose apply() calls the user's
// backward, written in TypeScript (a JsCallback: the JS thread only).

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/utils.h>

#include "errors.h"
#include "function.h"
#include "handle.h"
#include "js-callback.h"

namespace tn {

namespace {

using torch::autograd::variable_list;

class JsFunctionNode : public torch::autograd::Node {
 public:
  JsFunctionNode(napi_env env, AddonState* state, napi_value backward, std::string name)
      : backward_(env, state, backward), name_(std::move(name)) {}

  std::string name() const override { return name_; }

  variable_list apply(variable_list&& grads) override {
    if (!backward_.OnJsThread()) {
      throw std::runtime_error(name_ + ": a torch.autograd.Function written in JS runs its backward on the JS "
                               "thread only (CPU tensors); this backward ran on one of libtorch's device threads");
    }
    napi_env env = backward_.env();
    HandleScope scope(env);
    napi_value args;
    napi_create_array_with_length(env, grads.size(), &args);
    for (size_t i = 0; i < grads.size(); i++) napi_set_element(env, args, i, WrapTensor(env, backward_.state(), grads[i]));
    napi_value result = backward_.Call(args);
    bool isArray = false;
    napi_is_array(env, result, &isArray);
    if (!isArray) throw std::runtime_error(name_ + ": backward must return one gradient per tensor input");
    uint32_t length;
    napi_get_array_length(env, result, &length);
    variable_list out(next_edges().size());
    if (length != out.size()) {
      throw std::runtime_error(name_ + ": backward returned " + std::to_string(length) + " gradients, expected " +
                               std::to_string(out.size()));
    }
    for (uint32_t i = 0; i < length; i++) {
      napi_value g;
      napi_get_element(env, result, i, &g);
      napi_valuetype type;
      napi_typeof(env, g, &type);
      if (type != napi_null && type != napi_undefined) out[i] = UnwrapTensor(env, g);
    }
    return out;
  }

 private:
  JsCallback backward_;
  std::string name_;
};

// attachFunction(outputs, inputs, backward, name): records outputs as made by a node whose
// backward is the JS function, with edges to the inputs' gradient functions.
Napi::Value AttachFunction(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto toList = [&](Napi::Value v) {
    variable_list list;
    Napi::Array array = v.As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); i++) list.push_back(UnwrapTensor(env, array.Get(i)));
    return list;
  };
  variable_list outputs = toList(info[0]);
  variable_list inputs = toList(info[1]);
  if (!info[2].IsFunction()) throw std::runtime_error("attachFunction: backward must be a function");
  std::shared_ptr<JsFunctionNode> node(
      new JsFunctionNode(env, GetState(env), info[2], info[3].As<Napi::String>().Utf8Value()),
      torch::autograd::deleteNode);
  node->set_next_edges(torch::autograd::collect_next_edges(inputs));
  for (const auto& output : outputs) {
    if (output.requires_grad()) {
      throw std::runtime_error(node->name() + ": forward must compute its outputs without autograd (it runs under noGrad)");
    }
    torch::autograd::set_history(output, node);
  }
  return env.Undefined();
}

}  // namespace

void InitFunction(Napi::Env env, Napi::Object exports) {
  Export<AttachFunction>(env, exports, "attachFunction");
}

}  // namespace tn
