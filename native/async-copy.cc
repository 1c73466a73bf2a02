// Copies of tensors to JS made on a libuv worker thread: `item` and the elements into a new
// ArrayBuffer. The job holds its own reference to the tensor (pinned: dispose() or GC of the
// JS handle meanwhile only drops the handle's reference) and waits for the device when the
// tensor is on a GPU. The ArrayBuffer is allocated by V8 on the JS thread before the job
// starts and held by the job (JS sees it only once it is filled): no copy on the JS thread,
// and V8 frees it, off the JS thread, like any other.
#include "async-copy.h"
#include "errors.h"
#include "handle.h"
#include "promise-job.h"

namespace tn {

namespace {

// float16 and bfloat16 arrive widened to float32, as toTypedArray gives them.
at::ScalarType ArrayDtype(const at::Tensor& t) {
  auto dtype = t.scalar_type();
  return dtype == at::kHalf || dtype == at::kBFloat16 ? at::kFloat : dtype;
}

// itemAsync(t): Promise<number | boolean>.
class ItemJob : public PromiseJob {
 public:
  ItemJob(Napi::Env env, at::Tensor tensor) : PromiseJob(env), tensor_(std::move(tensor)) {}

 protected:
  void Execute() override {
    try {
      scalar_ = tensor_.item();
    } catch (const c10::Error& e) {
      Fail(e.what_without_backtrace());
    } catch (const std::exception& e) {
      Fail(e.what());
    }
  }

  napi_value Result(napi_env env) override {
    if (scalar_.isComplex()) throw std::runtime_error("item() of a complex tensor is not supported");
    if (scalar_.isBoolean()) return Napi::Boolean::New(env, scalar_.toBool());
    return Napi::Number::New(env, scalar_.isIntegral(false) ? static_cast<double>(scalar_.toLong()) : scalar_.toDouble());
  }

 private:
  at::Tensor tensor_;
  c10::Scalar scalar_;
};

// copyAsync(t): Promise<[ArrayBuffer, dtype code]> holding the elements, contiguous.
class CopyJob : public PromiseJob {
 public:
  CopyJob(Napi::Env env, at::Tensor tensor, Napi::ArrayBuffer buffer)
      : PromiseJob(env), tensor_(std::move(tensor)), buffer_(Napi::Persistent(buffer)), data_(buffer.Data()) {}

 protected:
  void Execute() override {
    try {
      c10::AutoGradMode noGrad(false);
      if (tensor_.numel() == 0) return;
      auto options = tensor_.options().dtype(ArrayDtype(tensor_)).device(at::kCPU).requires_grad(false);
      at::from_blob(data_, tensor_.sizes(), options).copy_(tensor_);
    } catch (const c10::Error& e) {
      Fail(e.what_without_backtrace());
    } catch (const std::exception& e) {
      Fail(e.what());
    }
  }

  napi_value Result(napi_env env) override {
    Napi::Array result = Napi::Array::New(env, 2);
    result.Set(0u, buffer_.Value());
    result.Set(1u, Napi::Number::New(env, static_cast<int>(ArrayDtype(tensor_))));
    return result;
  }

 private:
  at::Tensor tensor_;
  Napi::Reference<Napi::ArrayBuffer> buffer_;  // V8's memory, which the job fills
  void* data_;
};

template <typename Job>
Napi::Value Queue(Job* job) {
  napi_value promise = job->Promise();
  job->Queue();
  return Napi::Value(job->Env(), promise);
}

Napi::Value ItemAsync(const Napi::CallbackInfo& info) {
  return Queue(new ItemJob(info.Env(), UnwrapTensor(info.Env(), info[0])));
}

Napi::Value CopyAsync(const Napi::CallbackInfo& info) {
  const at::Tensor& t = UnwrapTensor(info.Env(), info[0]);
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(info.Env(), t.numel() * c10::elementSize(ArrayDtype(t)));
  return Queue(new CopyJob(info.Env(), t, buffer));
}

}  // namespace

void InitAsyncCopy(Napi::Env env, Napi::Object exports) {
  Export<ItemAsync>(env, exports, "itemAsync");
  Export<CopyAsync>(env, exports, "copyAsync");
}

}  // namespace tn
