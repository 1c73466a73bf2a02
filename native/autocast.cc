// torch.autocast's state: libtorch's thread-local autocast flags per device type, which its
// Autocast dispatch keys read (ops run in the lower precision where PyTorch's lists say so).
// The scope logic (save, set, nest, restore) is Python's torch.autocast, kept in lib/amp.
#include <ATen/autocast_mode.h>
#include <c10/core/Device.h>

#include "autocast.h"
#include "errors.h"

namespace tn {

namespace {

at::DeviceType DeviceType(const Napi::Value& v) {
  return c10::Device(v.As<Napi::String>().Utf8Value()).type();
}

// autocastState(deviceType) -> [enabled, dtype code, cacheEnabled]
Napi::Value AutocastState(const Napi::CallbackInfo& info) {
  at::DeviceType type = DeviceType(info[0]);
  Napi::Array out = Napi::Array::New(info.Env(), 3);
  out.Set(0u, at::autocast::is_autocast_enabled(type));
  out.Set(1u, static_cast<int>(at::autocast::get_autocast_dtype(type)));
  out.Set(2u, at::autocast::is_autocast_cache_enabled());
  return out;
}

// setAutocast(deviceType, enabled, dtype code, cacheEnabled)
Napi::Value SetAutocast(const Napi::CallbackInfo& info) {
  at::DeviceType type = DeviceType(info[0]);
  at::autocast::set_autocast_enabled(type, info[1].As<Napi::Boolean>());
  at::autocast::set_autocast_dtype(type, static_cast<at::ScalarType>(info[2].As<Napi::Number>().Int32Value()));
  at::autocast::set_autocast_cache_enabled(info[3].As<Napi::Boolean>());
  return info.Env().Undefined();
}

// Python's autocast_increment_nesting / decrement (which clears the cast cache at 0).
Napi::Value AutocastNest(const Napi::CallbackInfo& info) {
  if (info[0].As<Napi::Boolean>()) return Napi::Number::New(info.Env(), at::autocast::increment_nesting());
  int level = at::autocast::decrement_nesting();
  if (level == 0) at::autocast::clear_cache();
  return Napi::Number::New(info.Env(), level);
}

}  // namespace

void InitAutocast(Napi::Env env, Napi::Object exports) {
  Export<AutocastState>(env, exports, "autocastState");
  Export<SetAutocast>(env, exports, "setAutocast");
  Export<AutocastNest>(env, exports, "autocastNest");
}

}  // namespace tn
