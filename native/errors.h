// The one error path: every C++ exception becomes a JS Error with libtorch's message,
// without the C++ backtrace.
#pragma once
#include <napi.h>
#include <c10/util/Exception.h>

#include <stdexcept>

namespace tn {

// Thrown by native code that called into JS and got an exception: the JS exception is
// already pending, and ThrowCurrentException leaves it as it is.
struct JsExceptionPending : std::runtime_error {
  JsExceptionPending() : std::runtime_error("a JS callback threw") {}
};

// Throws `e` (or the current exception) into JS; returns nullptr for the callback's result.
napi_value ThrowCurrentException(napi_env env);

// Wraps a node-addon-api callback so that libtorch and std exceptions become JS Errors.
template <Napi::Value (*Fn)(const Napi::CallbackInfo&)>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  try {
    return Fn(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    ThrowCurrentException(info.Env());
    return Napi::Value();
  }
}

// Registers `Fn` on `exports` under `name`, guarded.
template <Napi::Value (*Fn)(const Napi::CallbackInfo&)>
void Export(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, Guarded<Fn>, name));
}

}  // namespace tn
