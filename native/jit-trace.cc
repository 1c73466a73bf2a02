// torch.jit.trace: libtorch's own tracer records a JS forward as a TorchScript graph. Every op
// JS calls goes through the dispatcher, whose Tracer kernels (on while a TracingState is set)
// add a node per op, as they do for Python. The result is a torch::jit::Module whose attributes
// are the JS module's parameter and buffer tensors themselves (shared, as in PyTorch), so
// forward runs without JS, on any thread.
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/frontend/tracer.h>
#include <torch/csrc/jit/ir/ir.h>

#include <sstream>

#include "errors.h"
#include "handle.h"
#include "ivalue.h"
#include "jit.h"

namespace tn {

namespace {

// The module tree from JS: { className, parameters: [[name, handle]], buffers: [...],
// children: [[name, tree]] }, named as in the JS module's stateDict().
torch::jit::Module BuildModule(Napi::Env env, Napi::Object tree, const std::shared_ptr<torch::jit::CompilationUnit>& cu) {
  std::string className = tree.Get("className").As<Napi::String>().Utf8Value();
  torch::jit::Module module(c10::QualifiedName("__torch__." + className), cu, /*shouldMangle=*/true);
  auto each = [&](const char* key, auto add) {
    Napi::Array entries = tree.Get(key).As<Napi::Array>();
    for (uint32_t i = 0; i < entries.Length(); i++) {
      Napi::Array pair = entries.Get(i).As<Napi::Array>();
      add(pair.Get(0u).As<Napi::String>().Utf8Value(), pair.Get(1u));
    }
  };
  each("parameters", [&](const std::string& name, Napi::Value h) { module.register_parameter(name, UnwrapTensor(env, h), false); });
  each("buffers", [&](const std::string& name, Napi::Value h) { module.register_buffer(name, UnwrapTensor(env, h)); });
  each("children", [&](const std::string& name, Napi::Value child) {
    module.register_module(name, BuildModule(env, child.As<Napi::Object>(), cu));
  });
  return module;
}

// jitTrace(fn, inputs, strict, tree): calls fn(...inputs) once with tracing on; fn returns
// what forward returns (tensors, arrays or objects of them). The graph becomes the forward
// method of a new module built from `tree`.
Napi::Value JitTrace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Function fn = info[0].As<Napi::Function>();
  Napi::Array inputs = info[1].As<Napi::Array>();
  bool strict = info[2].ToBoolean();
  torch::jit::Stack stack;
  for (uint32_t i = 0; i < inputs.Length(); i++) stack.push_back(JsToIValue(env, inputs.Get(i)));

  auto cu = std::make_shared<torch::jit::CompilationUnit>();
  torch::jit::Module module = BuildModule(env, info[3].As<Napi::Object>(), cu);
  auto call = [&](torch::jit::Stack traced) -> torch::jit::Stack {
    std::vector<napi_value> args;
    for (const auto& v : traced) args.push_back(IValueToJs(env, GetState(env), v));
    Napi::Value out = fn.Call(args);  // a JS exception propagates; the tracer abandons the trace
    if (!out.IsArray()) return {JsToIValue(env, out)};
    // Several outputs, in an array: a tuple, as Python returns them (a list would be traced
    // as a mutable container, with a warning).
    std::vector<c10::IValue> items;
    Napi::Array array = out.As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); i++) items.push_back(JsToIValue(env, array.Get(i)));
    return {c10::ivalue::Tuple::create(std::move(items))};
  };
  auto noName = [](const at::Tensor&) { return std::string(); };
  auto graph = torch::jit::tracer::trace(std::move(stack), call, noName, strict, /*force_outplace=*/false, &module).first->graph;

  auto* forward = cu->create_function(c10::QualifiedName(*module.type()->name(), "forward"), graph);
  module.type()->addMethod(forward);
  return Napi::Value(env, WrapModule(env, module));
}

// jitGraph(module, method): the method's TorchScript graph as text (Python's module.graph).
Napi::Value JitGraph(const Napi::CallbackInfo& info) {
  torch::jit::Module& module = UnwrapModule(info.Env(), info[0]);
  std::ostringstream text;
  text << *module.get_method(info[1].As<Napi::String>().Utf8Value()).graph();
  return Napi::String::New(info.Env(), text.str());
}

}  // namespace

void InitJitTrace(Napi::Env env, Napi::Object exports) {
  Export<JitTrace>(env, exports, "jitTrace");
  Export<JitGraph>(env, exports, "jitGraph");
}

}  // namespace tn
