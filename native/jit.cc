// torch.jit: TorchScript modules scripted or traced in Python, loaded, run, fine-tuned and
// saved through libtorch's own TorchScript runtime.
#include <sstream>

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>
#include <c10/core/GradMode.h>

#include "errors.h"
#include "handle.h"
#include "ivalue.h"
#include "jit.h"
#include "promise-job.h"
#include "tagged.h"

namespace tn {

namespace {

constexpr napi_type_tag kModuleTag = {0x2b7e151628aed2a6ULL, 0xabf7158809cf4f3cULL};

struct ModuleBox {
  torch::jit::Module module;
};

torch::jit::Module& Unwrap(napi_env env, napi_value value) { return UnwrapModule(env, value); }

// jitLoad(path, device?): a module saved by torch.jit.save / ScriptModule.save in Python.
Napi::Value JitLoad(const Napi::CallbackInfo& info) {
  std::optional<c10::Device> device;
  if (info[1].IsString()) device = c10::Device(info[1].As<Napi::String>().Utf8Value());
  return Napi::Value(info.Env(), WrapModule(info.Env(), torch::jit::load(info[0].As<Napi::String>().Utf8Value(), device)));
}

// A method's arguments from JS values.
std::vector<c10::IValue> ConvertArgs(Napi::Env env, const torch::jit::Method& method, Napi::Array args) {
  std::vector<c10::IValue> stack;
  const auto& schema = method.function().getSchema();
  for (uint32_t i = 0; i < args.Length(); i++) {
    c10::IValue v = JsToIValue(env, args.Get(i));
    // JS has one number type: 2.0 arrives as an int; a float parameter takes it as a float.
    size_t position = i + 1;  // after self
    if (v.isInt() && position < schema.arguments().size()) {
      auto type = schema.arguments()[position].real_type();
      if (auto optional = type->cast<c10::OptionalType>()) type = optional->getElementType();
      if (type->kind() == c10::TypeKind::FloatType) v = static_cast<double>(v.toInt());
    }
    stack.push_back(std::move(v));
  }
  return stack;
}

// jitRun(module, method, args): calls a method (forward, or any exported one).
Napi::Value JitRun(const Napi::CallbackInfo& info) {
  torch::jit::Module& module = Unwrap(info.Env(), info[0]);
  std::string name = info[1].As<Napi::String>().Utf8Value();
  auto method = module.find_method(name);
  if (!method) throw std::runtime_error("the TorchScript module has no method '" + name + "'");
  return IValueToJs(info.Env(), GetState(info.Env()), (*method)(ConvertArgs(info.Env(), *method, info[2].As<Napi::Array>())));
}

// jitRunAsync(module, method, args): the same call on a libuv worker thread, as a Promise.
// Arguments are converted (and their tensors referenced) on the JS thread before the job
// starts, so JS may dispose or drop them meanwhile; the module is kept alive by the job.
class RunJob : public PromiseJob {
 public:
  RunJob(Napi::Env env, torch::jit::Module module, std::string name, std::vector<c10::IValue> stack)
      : PromiseJob(env), module_(std::move(module)), name_(std::move(name)), stack_(std::move(stack)),
        gradEnabled_(c10::GradMode::is_enabled()) {}

 protected:
  void Execute() override {
    try {
      c10::AutoGradMode mode(gradEnabled_);  // grad mode is per thread: carry the caller's
      result_ = module_.get_method(name_)(std::move(stack_));
    } catch (const c10::Error& e) {
      Fail(e.what_without_backtrace());
    } catch (const std::exception& e) {
      Fail(e.what());
    }
  }

  napi_value Result(napi_env env) override {
    c10::IValue result = std::move(result_);
    return IValueToJs(Napi::Env(env), GetState(env), result);
  }

 private:
  torch::jit::Module module_;
  std::string name_;
  std::vector<c10::IValue> stack_;
  bool gradEnabled_;
  c10::IValue result_;
};

Napi::Value JitRunAsync(const Napi::CallbackInfo& info) {
  torch::jit::Module& module = Unwrap(info.Env(), info[0]);
  std::string name = info[1].As<Napi::String>().Utf8Value();
  auto method = module.find_method(name);
  if (!method) throw std::runtime_error("the TorchScript module has no method '" + name + "'");
  auto* job = new RunJob(info.Env(), module, name, ConvertArgs(info.Env(), *method, info[2].As<Napi::Array>()));
  napi_value promise = job->Promise();
  job->Queue();
  return Napi::Value(info.Env(), promise);
}

Napi::Value Named(const Napi::CallbackInfo& info, bool buffers) {
  torch::jit::Module& module = Unwrap(info.Env(), info[0]);
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t i = 0;
  auto add = [&](const std::string& name, const at::Tensor& t) {
    Napi::Array pair = Napi::Array::New(info.Env(), 2);
    pair.Set(0u, name);
    pair.Set(1u, Napi::Value(info.Env(), WrapTensor(info.Env(), GetState(info.Env()), t)));
    out.Set(i++, pair);
  };
  if (buffers) {
    for (const auto& b : module.named_buffers(true)) add(b.name, b.value);
  } else {
    for (const auto& p : module.named_parameters(true)) add(p.name, p.value);
  }
  return out;
}

Napi::Value JitNamedParameters(const Napi::CallbackInfo& info) { return Named(info, false); }
Napi::Value JitNamedBuffers(const Napi::CallbackInfo& info) { return Named(info, true); }

Napi::Value JitTrain(const Napi::CallbackInfo& info) {
  Unwrap(info.Env(), info[0]).train(info[1].ToBoolean());
  return info.Env().Undefined();
}

Napi::Value JitIsTraining(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), Unwrap(info.Env(), info[0]).is_training());
}

Napi::Value JitSave(const Napi::CallbackInfo& info) {
  Unwrap(info.Env(), info[0]).save(info[1].As<Napi::String>().Utf8Value());
  return info.Env().Undefined();
}

Napi::Value JitCode(const Napi::CallbackInfo& info) {
  torch::jit::Module& module = Unwrap(info.Env(), info[0]);
  auto method = module.find_method("forward");
  if (!method) return Napi::String::New(info.Env(), "");
  std::ostringstream schema;
  schema << method->function().getSchema();
  return Napi::String::New(info.Env(), schema.str());
}

}  // namespace

napi_value WrapModule(napi_env env, const torch::jit::Module& module) {
  return NewTagged(env, new ModuleBox{module}, kModuleTag);
}

torch::jit::Module& UnwrapModule(napi_env env, napi_value value) {
  return UnwrapTagged<ModuleBox>(env, value, kModuleTag, "a TorchScript module")->module;
}

void InitJit(Napi::Env env, Napi::Object exports) {
  Export<JitLoad>(env, exports, "jitLoad");
  Export<JitRun>(env, exports, "jitRun");
  Export<JitRunAsync>(env, exports, "jitRunAsync");
  Export<JitNamedParameters>(env, exports, "jitNamedParameters");
  Export<JitNamedBuffers>(env, exports, "jitNamedBuffers");
  Export<JitTrain>(env, exports, "jitTrain");
  Export<JitIsTraining>(env, exports, "jitIsTraining");
  Export<JitSave>(env, exports, "jitSave");
  Export<JitCode>(env, exports, "jitSchema");
  InitJitTrace(env, exports);
}

}  // namespace tn
