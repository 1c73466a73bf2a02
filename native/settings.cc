#include "settings.h"

#include <stdexcept>
#include <string>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/core/Vitals.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/anomaly_mode.h>

#include "errors.h"

namespace tn {

namespace {

bool BoolArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsBoolean()) throw std::runtime_error(std::string(what) + ": expected a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

Napi::Value GetNumInteropThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(at::get_num_interop_threads()));
}

// libtorch refuses once inter-op work has started; its message says so.
Napi::Value SetNumInteropThreads(const Napi::CallbackInfo& info) {
  double n = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : -1;
  if (n < 1 || n != static_cast<int>(n)) throw std::runtime_error("setNumInteropThreads: expected a positive integer");
  at::set_num_interop_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value SetFlushDenormal(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::globalContext().setFlushDenormal(BoolArg(info, 0, "setFlushDenormal")));
}

Napi::Value GetFloat32MatmulPrecision(const Napi::CallbackInfo& info) {
  switch (at::globalContext().float32MatmulPrecision()) {
    case at::Float32MatmulPrecision::HIGHEST: return Napi::String::New(info.Env(), "highest");
    case at::Float32MatmulPrecision::HIGH: return Napi::String::New(info.Env(), "high");
    default: return Napi::String::New(info.Env(), "medium");
  }
}

Napi::Value SetFloat32MatmulPrecision(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) throw std::runtime_error("setFloat32MatmulPrecision: expected 'highest', 'high' or 'medium'");
  at::globalContext().setFloat32MatmulPrecision(info[0].As<Napi::String>().Utf8Value());
  return info.Env().Undefined();
}

// [enabled, warnOnly]
Napi::Value DeterministicAlgorithms(const Napi::CallbackInfo& info) {
  auto result = Napi::Array::New(info.Env(), 2);
  result.Set(0u, at::globalContext().deterministicAlgorithms());
  result.Set(1u, at::globalContext().deterministicAlgorithmsWarnOnly());
  return result;
}

Napi::Value SetDeterministicAlgorithms(const Napi::CallbackInfo& info) {
  at::globalContext().setDeterministicAlgorithms(BoolArg(info, 0, "useDeterministicAlgorithms"),
                                                 BoolArg(info, 1, "useDeterministicAlgorithms(warnOnly)"));
  return info.Env().Undefined();
}

// [enabled, checkNan]
Napi::Value AnomalyMode(const Napi::CallbackInfo& info) {
  auto result = Napi::Array::New(info.Env(), 2);
  result.Set(0u, torch::autograd::AnomalyMode::is_enabled());
  result.Set(1u, torch::autograd::AnomalyMode::should_check_nan());
  return result;
}

Napi::Value SetAnomalyMode(const Napi::CallbackInfo& info) {
  torch::autograd::AnomalyMode::set_enabled(BoolArg(info, 0, "setAnomalyEnabled"), BoolArg(info, 1, "setAnomalyEnabled(checkNan)"));
  return info.Env().Undefined();
}

Napi::Value GetWarnAlways(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::WarningUtils::get_warnAlways());
}

Napi::Value SetWarnAlways(const Napi::CallbackInfo& info) {
  c10::WarningUtils::set_warnAlways(BoolArg(info, 0, "setWarnAlways"));
  return info.Env().Undefined();
}

Napi::Value InitNumThreads(const Napi::CallbackInfo& info) {
  at::init_num_threads();
  return info.Env().Undefined();
}

Napi::Value ClearAutocastCache(const Napi::CallbackInfo& info) {
  at::autocast::clear_cache();
  return info.Env().Undefined();
}

// Vitals: usage counters libtorch keeps when TORCH_VITAL is set in the environment.
Napi::Value VitalsEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::vitals::torchVitalEnabled());
}

Napi::Value ReadVitals(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), at::vitals::VitalsAPI.readVitals());
}

Napi::Value SetVital(const Napi::CallbackInfo& info) {
  for (size_t i = 0; i < 3; i++) {
    if (!info[i].IsString()) throw std::runtime_error("setVital: expected three strings (vital, attribute, value)");
  }
  return Napi::Boolean::New(info.Env(), at::vitals::VitalsAPI.setVital(info[0].As<Napi::String>().Utf8Value(),
      info[1].As<Napi::String>().Utf8Value(), info[2].As<Napi::String>().Utf8Value()));
}

}  // namespace

void InitSettings(Napi::Env env, Napi::Object exports) {
  Export<GetNumInteropThreads>(env, exports, "getNumInteropThreads");
  Export<SetNumInteropThreads>(env, exports, "setNumInteropThreads");
  Export<SetFlushDenormal>(env, exports, "setFlushDenormal");
  Export<GetFloat32MatmulPrecision>(env, exports, "getFloat32MatmulPrecision");
  Export<SetFloat32MatmulPrecision>(env, exports, "setFloat32MatmulPrecision");
  Export<DeterministicAlgorithms>(env, exports, "deterministicAlgorithms");
  Export<SetDeterministicAlgorithms>(env, exports, "setDeterministicAlgorithms");
  Export<AnomalyMode>(env, exports, "anomalyMode");
  Export<SetAnomalyMode>(env, exports, "setAnomalyMode");
  Export<GetWarnAlways>(env, exports, "getWarnAlways");
  Export<SetWarnAlways>(env, exports, "setWarnAlways");
  Export<InitNumThreads>(env, exports, "initNumThreads");
  Export<ClearAutocastCache>(env, exports, "clearAutocastCache");
  Export<VitalsEnabled>(env, exports, "vitalsEnabled");
  Export<ReadVitals>(env, exports, "readVitals");
  Export<SetVital>(env, exports, "setVital");
}

}  // namespace tn
