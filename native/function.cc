// torch.autograd.Function in JS: a libtorch autograd Node whose apply() calls the user's
// backward, written in TypeScript. libtorch runs a CPU graph's backward on the thread that
// called backward(), here the JS thread, so the callback is a plain synchronous call.
#include <thread>

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/utils.h>

#include "errors.h"
#include "function.h"
#include "handle.h"

namespace tn {

namespace {

using torch::autograd::variable_list;

class JsFunctionNode : public torch::autograd::Node {
 public:
  JsFunctionNode(napi_env env, AddonState* state, napi_value backward, std::string name)
      : env_(env), state_(state), name_(std::move(name)), thread_(std::this_thread::get_id()) {
    napi_create_reference(env, backward, 1, &backward_);
  }

  // The last owner of a graph node may be a libuv worker (an async job's inputs die there):
  // Node-API references may only be touched on the JS thread, so those wait for it.
  ~JsFunctionNode() override {
    if (std::this_thread::get_id() == thread_) {
      napi_delete_reference(env_, backward_);
      return;
    }
    std::lock_guard<std::mutex> lock(state_->releaseMutex);
    state_->pendingReleases.push_back(backward_);
    state_->hasPendingReleases = true;
  }

  std::string name() const override { return name_; }

  variable_list apply(variable_list&& grads) override {
    if (std::this_thread::get_id() != thread_) {
      throw std::runtime_error(name_ + ": a torch.autograd.Function written in JS runs its backward on the JS "
                               "thread only (CPU tensors); this backward ran on one of libtorch's device threads");
    }
    napi_handle_scope scope;
    napi_open_handle_scope(env_, &scope);
    struct CloseScope {
      napi_env env;
      napi_handle_scope scope;
      ~CloseScope() { napi_close_handle_scope(env, scope); }
    } close{env_, scope};

    napi_value args;
    napi_create_array_with_length(env_, grads.size(), &args);
    for (size_t i = 0; i < grads.size(); i++) napi_set_element(env_, args, i, WrapTensor(env_, state_, grads[i]));
    napi_value fn, global, result;
    napi_get_reference_value(env_, backward_, &fn);
    napi_get_global(env_, &global);
    if (napi_call_function(env_, global, fn, 1, &args, &result) != napi_ok) {
      // The JS exception stays pending; libtorch unwinds with this one, which the outer
      // native call (backward, autograd.grad) sees and leaves the JS exception in place.
      throw JsExceptionPending();
    }
    bool isArray = false;
    napi_is_array(env_, result, &isArray);
    if (!isArray) throw std::runtime_error(name_ + ": backward must return one gradient per tensor input");
    uint32_t length;
    napi_get_array_length(env_, result, &length);
    variable_list out(next_edges().size());
    if (length != out.size()) {
      throw std::runtime_error(name_ + ": backward returned " + std::to_string(length) + " gradients, expected " +
                               std::to_string(out.size()));
    }
    for (uint32_t i = 0; i < length; i++) {
      napi_value g;
      napi_get_element(env_, result, i, &g);
      napi_valuetype type;
      napi_typeof(env_, g, &type);
      if (type != napi_null && type != napi_undefined) out[i] = UnwrapTensor(env_, g);
    }
    return out;
  }

 private:
  napi_env env_;
  AddonState* state_;
  napi_ref backward_ = nullptr;
  std::string name_;
  std::thread::id thread_;
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
