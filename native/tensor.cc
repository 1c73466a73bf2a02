// Tensors from and to JS memory: TypedArrays in (copied or shared), TypedArrays out
// (copied or viewed), item(), and the metadata every Tensor getter reads.
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "errors.h"
#include "handle.h"
#include "state.h"
#include "tensor.h"

namespace tn {

namespace {

at::ScalarType DtypeOfTypedArray(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array: return at::kChar;
    case napi_uint8_array:
    case napi_uint8_clamped_array: return at::kByte;
    case napi_int16_array: return at::kShort;
    case napi_uint16_array: return at::kUInt16;
    case napi_int32_array: return at::kInt;
    case napi_uint32_array: return at::kUInt32;
    case napi_float32_array: return at::kFloat;
    case napi_float64_array: return at::kDouble;
    case napi_bigint64_array: return at::kLong;
    case napi_biguint64_array: return at::kUInt64;
    default: throw std::runtime_error("unsupported TypedArray type");
  }
}

// A shape from JS: an array of non-negative integers (NaN or 2.5 would truncate silently).
std::vector<int64_t> ToShape(Napi::Value value) {
  if (!value.IsArray()) throw std::runtime_error("expected an array of sizes for the shape");
  Napi::Array array = value.As<Napi::Array>();
  std::vector<int64_t> shape(array.Length());
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value v = array.Get(i);
    double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0 && d < 9.2e18 && d == std::trunc(d))) {
      throw std::runtime_error("expected non-negative integer sizes for the shape, got " + v.ToString().Utf8Value() +
                               " at index " + std::to_string(i));
    }
    shape[i] = static_cast<int64_t>(d);
  }
  return shape;
}

Napi::Value Wrap(const Napi::CallbackInfo& info, at::Tensor t) {
  return Napi::Value(info.Env(), WrapTensor(info.Env(), GetState(info.Env()), std::move(t)));
}

const at::Tensor& Arg(const Napi::CallbackInfo& info, size_t i) {
  return UnwrapTensor(info.Env(), info[i]);
}

// A JS ArrayBuffer's memory lent to a tensor (fromArray): the reference keeps the buffer alive
// until the storage is freed, and lets dataView hand out the same buffer again.
struct SharedBuffer {
  AddonState* state;
  napi_ref ref;
  const uint8_t* base;  // the buffer's first byte
};

// The storage's deleter; it may run on any thread (an async job's), so the reference is
// handed to the JS thread, which deletes it (ReleaseSharedBuffers).
void ReleaseSharedBuffer(void* context) {
  auto* shared = static_cast<SharedBuffer*>(context);
  {
    std::lock_guard<std::mutex> lock(shared->state->releaseMutex);
    shared->state->pendingReleases.push_back(shared->ref);
    shared->state->hasPendingReleases = true;
  }
  delete shared;
}

// fromTypedArray(array, shape, dtype, share): a tensor over the array's elements, converted
// to dtype (a c10::ScalarType code). With share, the tensor uses the array's memory and
// keeps it alive until the tensor is freed.
Napi::Value FromTypedArray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonState* state = GetState(env);
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  std::vector<int64_t> shape = ToShape(info[1]);
  auto dtype = static_cast<at::ScalarType>(info[2].As<Napi::Number>().Int32Value());
  bool share = info[3].ToBoolean();
  at::ScalarType source = DtypeOfTypedArray(array.TypedArrayType());
  auto* base = static_cast<uint8_t*>(array.ArrayBuffer().Data());
  void* data = base + array.ByteOffset();
  int64_t numel = c10::multiply_integers(shape);
  if (numel != static_cast<int64_t>(array.ElementLength())) {
    throw std::runtime_error("shape " + c10::str(shape) + " needs " + std::to_string(numel) +
                             " elements, got " + std::to_string(array.ElementLength()));
  }
  auto options = at::TensorOptions().dtype(source);
  if (!share) return Wrap(info, at::from_blob(data, shape, options).to(dtype, false, true));
  if (dtype != source) throw std::runtime_error("a shared tensor keeps the array's dtype");
  auto* shared = new SharedBuffer{state, nullptr, base};
  napi_create_reference(env, array.ArrayBuffer(), 1, &shared->ref);
  at::Tensor t = at::for_blob(data, shape).context(shared, &ReleaseSharedBuffer).options(options).make_tensor();
  // V8 already counts the buffer's bytes: reporting them again made it collect every few calls.
  return Napi::Value(env, WrapTensor(env, state, std::move(t), /*countBytes=*/false));
}

Napi::TypedArray NewTypedArray(Napi::Env env, at::ScalarType dtype, size_t numel, Napi::ArrayBuffer buffer,
                               size_t offset = 0) {
  switch (dtype) {
    case at::kFloat: return Napi::Float32Array::New(env, numel, buffer, offset);
    case at::kDouble: return Napi::Float64Array::New(env, numel, buffer, offset);
    case at::kChar: return Napi::Int8Array::New(env, numel, buffer, offset);
    case at::kByte:
    case at::kBool: return Napi::Uint8Array::New(env, numel, buffer, offset);
    case at::kShort: return Napi::Int16Array::New(env, numel, buffer, offset);
    case at::kUInt16: return Napi::Uint16Array::New(env, numel, buffer, offset);
    case at::kInt: return Napi::Int32Array::New(env, numel, buffer, offset);
    case at::kUInt32: return Napi::Uint32Array::New(env, numel, buffer, offset);
    case at::kLong: return Napi::BigInt64Array::New(env, numel, buffer, offset);
    case at::kUInt64: return Napi::BigUint64Array::New(env, numel, buffer, offset);
    default: throw std::runtime_error(std::string("no TypedArray holds dtype ") + c10::toString(dtype));
  }
}

// toTypedArray(t): a copy of the elements (float16/bfloat16 widen to Float32Array).
Napi::Value ToTypedArray(const Napi::CallbackInfo& info) {
  at::Tensor t = Arg(info, 0);
  if (t.scalar_type() == at::kHalf || t.scalar_type() == at::kBFloat16) t = t.to(at::kFloat);
  t = t.to(at::kCPU).contiguous();
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(info.Env(), t.nbytes());
  if (t.nbytes()) std::memcpy(buffer.Data(), t.data_ptr(), t.nbytes());
  return NewTypedArray(info.Env(), t.scalar_type(), t.numel(), buffer);
}

// dataView(t): a TypedArray over the tensor's own memory (CPU, contiguous), no copy. The view
// holds the storage (not the tensor: set_() could swap the tensor's storage away), and the
// storage stops being resizable, since resize_() reallocating it would free the memory the
// view reads (NumPy refuses to resize an array that has views for the same reason).
Napi::Value DataView(const Napi::CallbackInfo& info) {
  const at::Tensor& t = Arg(info, 0);
  if (!t.is_cpu() || t.layout() != at::kStrided || !t.is_contiguous() || !t.has_storage()) {
    throw std::runtime_error("a zero-copy view needs a contiguous CPU tensor; call contiguous() or cpu() first");
  }
  // An empty view first: it throws for dtypes no TypedArray holds, and serves empty tensors.
  Napi::TypedArray empty = NewTypedArray(info.Env(), t.scalar_type(), 0, Napi::ArrayBuffer::New(info.Env(), 0));
  if (t.nbytes() == 0) return empty;
  // Memory a JS buffer lent (fromArray): a view of that same buffer, not a second one over it.
  const c10::DataPtr& memory = t.storage().data_ptr();
  if (memory.get_deleter() == &ReleaseSharedBuffer) {
    auto* shared = static_cast<SharedBuffer*>(memory.get_context());
    napi_value buffer;
    napi_get_reference_value(info.Env(), shared->ref, &buffer);
    size_t offset = static_cast<const uint8_t*>(t.data_ptr()) - shared->base;
    return NewTypedArray(info.Env(), t.scalar_type(), t.numel(), Napi::ArrayBuffer(info.Env(), buffer), offset);
  }
  t.storage().unsafeGetStorageImpl()->set_resizable(false);
  auto* owner = new c10::Storage(t.storage());
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(
      info.Env(), t.data_ptr(), t.nbytes(), [](Napi::BasicEnv, void*, c10::Storage* keep) { delete keep; }, owner);
  return NewTypedArray(info.Env(), t.scalar_type(), t.numel(), buffer);
}

Napi::Value Item(const Napi::CallbackInfo& info) {
  c10::Scalar s = Arg(info, 0).item();
  if (s.isBoolean()) return Napi::Boolean::New(info.Env(), s.toBool());
  if (s.isIntegral(false)) return Napi::Number::New(info.Env(), static_cast<double>(s.toLong()));
  if (s.isComplex()) throw std::runtime_error("item() of a complex tensor is not supported");
  return Napi::Number::New(info.Env(), s.toDouble());
}

Napi::Array IntArray(Napi::Env env, c10::IntArrayRef values) {
  Napi::Array result = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); i++) result.Set(i, Napi::Number::New(env, static_cast<double>(values[i])));
  return result;
}

Napi::Value Shape(const Napi::CallbackInfo& info) {
  return IntArray(info.Env(), Arg(info, 0).sizes());
}

// Layout facts Python reads from the TensorImpl rather than through an operator.
Napi::Value Strides(const Napi::CallbackInfo& info) {
  const at::Tensor& t = Arg(info, 0);
  // Sparse TensorImpls answer strides() with an empty list instead of throwing as Python does.
  if (t.layout() != at::kStrided) throw std::runtime_error(c10::str("tensors of layout ", t.layout(), " do not have strides"));
  return IntArray(info.Env(), t.strides());
}

Napi::Value StorageOffset(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(Arg(info, 0).storage_offset()));
}

Napi::Value IsContiguous(const Napi::CallbackInfo& info) {
  auto format = info[1].IsNumber() ? static_cast<at::MemoryFormat>(info[1].As<Napi::Number>().Int32Value())
                                   : at::MemoryFormat::Contiguous;
  return Napi::Boolean::New(info.Env(), Arg(info, 0).is_contiguous(format));
}

Napi::Value Dtype(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int>(Arg(info, 0).scalar_type()));
}

Napi::Value Device(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), Arg(info, 0).device().str());
}

Napi::Value Dispose(const Napi::CallbackInfo& info) {
  DisposeBox(UnwrapBox(info.Env(), info[0]));
  return info.Env().Undefined();
}

Napi::Value IsDisposed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !UnwrapBox(info.Env(), info[0])->tensor.defined());
}

// Same TensorImpl: lets JS return the same object for ops that return their input.
Napi::Value IsSame(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), Arg(info, 0).is_same(Arg(info, 1)));
}

// The address of the first element, as Python's Tensor.data_ptr() (a BigInt: 64 bits).
Napi::Value DataPtr(const Napi::CallbackInfo& info) {
  const at::Tensor& t = Arg(info, 0);
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(reinterpret_cast<uintptr_t>(t.has_storage() ? t.data_ptr() : nullptr)));
}

Napi::Value LiveTensors(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(GetState(info.Env())->liveTensors));
}

}  // namespace

namespace {
// setCollector(gc, paceInterval): gc(major) runs V8's GC (see AddonState).
Napi::Value SetCollectorJs(const Napi::CallbackInfo& info) {
  int64_t interval = info[1].IsNumber() ? info[1].As<Napi::Number>().Int64Value() : 0;
  SetCollector(info.Env(), GetState(info.Env()), info[0], interval);
  return info.Env().Undefined();
}

Napi::Value OutOfMemoryRetries(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(GetState(info.Env())->outOfMemoryRetries));
}

Napi::Value ReleaseShared(const Napi::CallbackInfo& info) {
  ReleaseSharedBuffers(info.Env(), GetState(info.Env()));
  return info.Env().Undefined();
}
}  // namespace

void InitTensor(Napi::Env env, Napi::Object exports) {
  Export<FromTypedArray>(env, exports, "fromTypedArray");
  Export<ToTypedArray>(env, exports, "toTypedArray");
  Export<DataView>(env, exports, "dataView");
  Export<Item>(env, exports, "item");
  Export<Shape>(env, exports, "shape");
  Export<Strides>(env, exports, "strides");
  Export<StorageOffset>(env, exports, "storageOffset");
  Export<IsContiguous>(env, exports, "isContiguous");
  Export<Dtype>(env, exports, "dtype");
  Export<Device>(env, exports, "device");
  Export<Dispose>(env, exports, "dispose");
  Export<IsDisposed>(env, exports, "isDisposed");
  Export<IsSame>(env, exports, "isSame");
  Export<LiveTensors>(env, exports, "liveTensors");
  Export<DataPtr>(env, exports, "dataPtr");
  Export<ReleaseShared>(env, exports, "releaseSharedBuffers");
  Export<SetCollectorJs>(env, exports, "setCollector");
  Export<OutOfMemoryRetries>(env, exports, "outOfMemoryRetries");
}

}  // namespace tn
