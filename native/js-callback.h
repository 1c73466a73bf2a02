// A JS function that libtorch calls back (an autograd Function's backward, a tensor hook).
// libtorch runs a CPU graph's backward on the thread that called backward(), the JS thread, so
// the call is a plain synchronous one; the graph holding it may be freed on a libuv worker (an
// async job's inputs die there), and Node-API references are released on the JS thread only.
#pragma once
#include <node_api.h>

#include <mutex>
#include <thread>

#include "errors.h"
#include "state.h"

namespace tn {

class JsCallback {
 public:
  JsCallback(napi_env env, AddonState* state, napi_value fn)
      : env_(env), state_(state), thread_(std::this_thread::get_id()) {
    napi_create_reference(env, fn, 1, &fn_);
  }
  JsCallback(const JsCallback&) = delete;
  JsCallback& operator=(const JsCallback&) = delete;

  ~JsCallback() {
    if (OnJsThread()) {
      napi_delete_reference(env_, fn_);
      return;
    }
    std::lock_guard<std::mutex> lock(state_->releaseMutex);
    state_->pendingReleases.push_back(fn_);
    state_->hasPendingReleases = true;
  }

  bool OnJsThread() const { return std::this_thread::get_id() == thread_; }
  napi_env env() const { return env_; }
  AddonState* state() const { return state_; }

  // fn(arg), inside the caller's handle scope. A throwing fn leaves its JS exception pending
  // and throws JsExceptionPending, which the outer native call (backward) leaves in place.
  napi_value Call(napi_value arg) const {
    napi_value fn, global, result;
    napi_get_reference_value(env_, fn_, &fn);
    napi_get_global(env_, &global);
    if (napi_call_function(env_, global, fn, 1, &arg, &result) != napi_ok) throw JsExceptionPending();
    return result;
  }

 private:
  napi_env env_;
  AddonState* state_;
  napi_ref fn_ = nullptr;
  std::thread::id thread_;
};

// A handle scope for the JS values a callback makes.
class HandleScope {
 public:
  explicit HandleScope(napi_env env) : env_(env) { napi_open_handle_scope(env, &scope_); }
  ~HandleScope() { napi_close_handle_scope(env_, scope_); }
  HandleScope(const HandleScope&) = delete;
  HandleScope& operator=(const HandleScope&) = delete;

 private:
  napi_env env_;
  napi_handle_scope scope_;
};

}  // namespace tn
