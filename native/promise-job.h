// Work on a libuv thread that settles a Promise. Its completion can run where JS no longer
// may (a worker_thread being terminated): node-addon-api's calls throw there, and a C++
// exception escaping a completion aborts the whole process (`terminate called after throwing
// an instance of 'Napi::Error'`). So completion uses plain Node-API calls and ignores their
// failures: in a dying environment the promise simply never settles.
#pragma once
#include <napi.h>

#include <string>

namespace tn {

class PromiseJob : public Napi::AsyncWorker {
 public:
  explicit PromiseJob(Napi::Env env) : Napi::AsyncWorker(env) { napi_create_promise(env, &deferred_, &promise_); }

  // The promise, for the JS call that queued the job (valid in that call's handle scope).
  napi_value Promise() const { return promise_; }

 protected:
  // Runs on the libuv thread; a failure goes to Fail (not SetError, whose completion throws).
  void Execute() override = 0;
  // The job's result as a JS value, on the JS thread; a C++ exception rejects the promise.
  virtual napi_value Result(napi_env env) = 0;
  void Fail(std::string message) { error_ = std::move(message); }

  void OnWorkComplete(Napi::Env env, napi_status status) override {
    if (status != napi_cancelled) Settle(env);
    Destroy();
  }

 private:
  void Settle(napi_env env) {
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    std::string error = error_;
    napi_value value = nullptr;
    if (error.empty()) {
      try {
        value = Result(env);
      } catch (const std::exception& e) {
        error = e.what();
      } catch (...) {
        error = "unknown native error";
      }
    }
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {  // Result() left a JS exception: reject with it instead
      napi_value exception;
      napi_get_and_clear_last_exception(env, &exception);
      napi_reject_deferred(env, deferred_, exception);
    } else if (error.empty() && value != nullptr) {
      napi_resolve_deferred(env, deferred_, value);
    } else {
      napi_value message, reason;
      if (napi_create_string_utf8(env, error.c_str(), error.size(), &message) == napi_ok &&
          napi_create_error(env, nullptr, message, &reason) == napi_ok) {
        napi_reject_deferred(env, deferred_, reason);
      }
    }
    napi_close_handle_scope(env, scope);
  }

  napi_deferred deferred_ = nullptr;
  napi_value promise_ = nullptr;
  std::string error_;
};

}  // namespace tn
