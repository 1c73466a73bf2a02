#include "ops.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include <ATen/EmptyTensor.h>
#include <ATen/ScalarOps.h>

#include "errors.h"
#include "generator.h"
#include "handle.h"
#include "state.h"

namespace tn {

namespace {

using c10::TypeKind;

Kind ListKind(const c10::TypePtr& element) {
  if (auto opt = element->cast<c10::OptionalType>()) {
    return opt->getElementType()->kind() == TypeKind::TensorType ? Kind::OptTensorList
                                                                 : Kind::Unsupported;
  }
  switch (element->kind()) {
    case TypeKind::TensorType: return Kind::TensorList;
    case TypeKind::IntType:
    case TypeKind::SymIntType: return Kind::IntList;
    case TypeKind::FloatType: return Kind::FloatList;
    case TypeKind::BoolType: return Kind::BoolList;
    case TypeKind::NumberType: return Kind::ScalarList;
    default: return Kind::Unsupported;
  }
}

ArgSpec Classify(const c10::Argument& argument) {
  c10::TypePtr type = argument.real_type();
  bool optional = false;
  if (auto opt = type->cast<c10::OptionalType>()) {
    optional = true;
    type = opt->getElementType();
  }
  Kind kind;
  switch (type->kind()) {
    case TypeKind::TensorType: kind = Kind::Tensor; break;
    case TypeKind::IntType:
    case TypeKind::SymIntType: kind = Kind::Int; break;
    case TypeKind::FloatType:
    case TypeKind::SymFloatType: kind = Kind::Float; break;
    case TypeKind::BoolType:
    case TypeKind::SymBoolType: kind = Kind::Bool; break;
    case TypeKind::NumberType: kind = Kind::Scalar; break;
    case TypeKind::StringType: kind = Kind::String; break;
    case TypeKind::ScalarTypeType: kind = Kind::ScalarType; break;
    case TypeKind::LayoutType: kind = Kind::Layout; break;
    case TypeKind::MemoryFormatType: kind = Kind::MemoryFormat; break;
    case TypeKind::DeviceObjType: kind = Kind::Device; break;
    case TypeKind::GeneratorType: kind = Kind::Generator; break;
    case TypeKind::NoneType: kind = Kind::None; break;
    case TypeKind::ListType:
      kind = ListKind(type->castRaw<c10::ListType>()->getElementType());
      break;
    default: kind = Kind::Unsupported;
  }
  return ArgSpec{kind, optional, argument.N().value_or(0), &argument};
}

[[noreturn]] void Mismatch(const OpEntry& op, const ArgSpec& spec, const char* expected,
                           const char* got) {
  throw std::runtime_error(std::string("expected ") + expected + " for argument '" +
                           spec.arg->name() + "' of " + toString(op.handle.schema().operator_name()) +
                           ", got " + got);
}

const char* TypeName(napi_valuetype type) {
  switch (type) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: return "a number";
    case napi_string: return "a string";
    case napi_symbol: return "a symbol";
    case napi_object: return "an object";
    case napi_function: return "a function";
    case napi_external: return "a Tensor";
    case napi_bigint: return "a bigint";
  }
  return "a value";
}

napi_valuetype TypeOf(napi_env env, napi_value v) {
  napi_valuetype type;
  napi_typeof(env, v, &type);
  return type;
}

// A JS number as an int64, or why it is not one (NaN, infinite, fractional, out of range).
const char* NotAnInt64(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return "an infinite number";
  if (d != std::trunc(d)) return "a fractional number";
  // 2^63 is the first double above INT64_MAX; casting it or anything larger is undefined.
  if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) return "a number outside the int64 range";
  return nullptr;
}

int64_t BigIntToInt64(napi_env env, napi_value v, const OpEntry& op, const ArgSpec& spec) {
  int64_t i;
  bool lossless;
  napi_get_value_bigint_int64(env, v, &i, &lossless);
  if (!lossless) Mismatch(op, spec, "an integer", "a bigint outside the int64 range");
  return i;
}

int64_t ToInt(napi_env env, napi_value v, const OpEntry& op, const ArgSpec& spec) {
  napi_valuetype type = TypeOf(env, v);
  if (type == napi_number) {
    double d;
    napi_get_value_double(env, v, &d);
    if (const char* why = NotAnInt64(d)) Mismatch(op, spec, "an integer", why);
    return static_cast<int64_t>(d);
  }
  if (type == napi_bigint) return BigIntToInt64(env, v, op, spec);
  if (type == napi_boolean && spec.kind == Kind::Scalar) {
    bool b;
    napi_get_value_bool(env, v, &b);
    return b;
  }
  Mismatch(op, spec, "an integer", TypeName(type));
}

double ToDouble(napi_env env, napi_value v, const OpEntry& op, const ArgSpec& spec) {
  napi_valuetype type = TypeOf(env, v);
  if (type == napi_number) {
    double d;
    napi_get_value_double(env, v, &d);
    return d;
  }
  if (type == napi_bigint) return static_cast<double>(BigIntToInt64(env, v, op, spec));
  Mismatch(op, spec, "a number", TypeName(type));
}

bool ToBool(napi_env env, napi_value v, const OpEntry& op, const ArgSpec& spec) {
  napi_valuetype type = TypeOf(env, v);
  if (type != napi_boolean) Mismatch(op, spec, "a boolean", TypeName(type));
  bool b;
  napi_get_value_bool(env, v, &b);
  return b;
}

c10::Scalar ToScalar(napi_env env, napi_value v, const OpEntry& op, const ArgSpec& spec) {
  napi_valuetype type = TypeOf(env, v);
  if (type == napi_boolean) return c10::Scalar(ToBool(env, v, op, spec));
  if (type == napi_bigint) return c10::Scalar(BigIntToInt64(env, v, op, spec));
  if (type != napi_number) Mismatch(op, spec, "a number", TypeName(type));
  double d;
  napi_get_value_double(env, v, &d);
  // JS has one number type: integral values are Python ints, the rest (and NaN, infinities,
  // integers beyond int64) Python floats. Range first: casting those to int64 is undefined.
  if (d > -9.2e18 && d < 9.2e18 && d == std::trunc(d)) return c10::Scalar(static_cast<int64_t>(d));
  return c10::Scalar(d);
}

std::string ToString(napi_env env, napi_value v, const OpEntry& op, const ArgSpec& spec) {
  napi_valuetype type = TypeOf(env, v);
  if (type != napi_string) Mismatch(op, spec, "a string", TypeName(type));
  size_t length;
  napi_get_value_string_utf8(env, v, nullptr, 0, &length);
  std::string s(length, '\0');
  napi_get_value_string_utf8(env, v, s.data(), length + 1, &length);
  return s;
}

// Calls `each(element)` for a JS array; a single value is repeated for int[N] arguments.
template <typename F>
void ForEachElement(napi_env env, napi_value v, const OpEntry& op, const ArgSpec& spec, F each) {
  bool isArray = false;
  napi_is_array(env, v, &isArray);
  if (!isArray) {
    if (spec.fixedLength > 0 && TypeOf(env, v) != napi_object) {
      for (int i = 0; i < spec.fixedLength; i++) each(v);
      return;
    }
    Mismatch(op, spec, "an array", TypeName(TypeOf(env, v)));
  }
  uint32_t length;
  napi_get_array_length(env, v, &length);
  for (uint32_t i = 0; i < length; i++) {
    napi_value element;
    napi_get_element(env, v, i, &element);
    each(element);
  }
}

// An empty list for an int[N] (bool[N], float[N]) argument: kernels index its N entries
// without checking (fractional_max_pool3d_backward(..., output_size=[]) crashes PyTorch
// too). Empty is valid only where the schema's own default is empty (stride=[] in pooling).
void CheckEmptyFixedList(const OpEntry& op, const ArgSpec& spec) {
  if (spec.fixedLength <= 0) return;
  const auto& fallback = spec.arg->default_value();
  if (fallback && fallback->isList() && fallback->toListRef().empty()) return;
  std::string expected = "a list of " + std::to_string(spec.fixedLength) + " values (or one)";
  Mismatch(op, spec, expected.c_str(), "an empty list");
}

c10::IValue ToIValue(napi_env env, napi_value v, const OpEntry& op, const ArgSpec& spec) {
  if (spec.kind == Kind::Tensor) {
    // The hot case first: one Node-API call for a tensor handle, no type query.
    void* data = nullptr;
    if (napi_get_value_external(env, v, &data) == napi_ok) {
      TensorBox* box = AsTensorBox(data);
      if (box == nullptr) Mismatch(op, spec, "a Tensor", "another kind of handle");
      const at::Tensor& t = box->tensor;
      if (!t.defined()) throw std::runtime_error("Tensor has been disposed");
      return t;
    }
  }
  napi_valuetype type = TypeOf(env, v);
  if (spec.kind == Kind::Tensor && (type == napi_number || type == napi_boolean || type == napi_bigint)) {
    // A number where a tensor goes (x.mul(2)): a 0-d "wrapped number" tensor, as Python
    // passes it, so type promotion treats it as a scalar and autograd records the same node.
    at::Tensor t = c10::scalar_to_tensor(ToScalar(env, v, op, spec));
    t.unsafeGetTensorImpl()->set_wrapped_number(true);
    return t;
  }
  if (type == napi_undefined) {
    if (spec.arg->default_value()) return *spec.arg->default_value();
    if (spec.optional || spec.kind == Kind::None) return c10::IValue();
    throw std::runtime_error(toString(op.handle.schema().operator_name()) +
                             " missing required argument '" + spec.arg->name() + "'");
  }
  if (type == napi_null) {
    if (spec.optional || spec.kind == Kind::None) return c10::IValue();
    Mismatch(op, spec, "a value", "null");
  }
  switch (spec.kind) {
    case Kind::Tensor:
      if (type != napi_external) Mismatch(op, spec, "a Tensor", TypeName(type));
      return UnwrapTensor(env, v);
    case Kind::TensorList: {
      std::vector<at::Tensor> list;
      ForEachElement(env, v, op, spec, [&](napi_value e) {
        if (TypeOf(env, e) != napi_external) Mismatch(op, spec, "an array of Tensors", "another element");
        list.push_back(UnwrapTensor(env, e));
      });
      return list;
    }
    case Kind::OptTensorList: {
      c10::List<std::optional<at::Tensor>> list;
      ForEachElement(env, v, op, spec, [&](napi_value e) {
        napi_valuetype t = TypeOf(env, e);
        if (t == napi_null || t == napi_undefined) list.push_back(std::nullopt);
        else if (t == napi_external) list.push_back(UnwrapTensor(env, e));
        else Mismatch(op, spec, "an array of Tensors or nulls", TypeName(t));
      });
      return list;
    }
    case Kind::Int:
    case Kind::ScalarType:
    case Kind::Layout:
    case Kind::MemoryFormat:
      return ToInt(env, v, op, spec);
    case Kind::IntList: {
      std::vector<int64_t> list;
      ForEachElement(env, v, op, spec, [&](napi_value e) { list.push_back(ToInt(env, e, op, spec)); });
      if (list.empty()) CheckEmptyFixedList(op, spec);
      return list;
    }
    case Kind::Float: return ToDouble(env, v, op, spec);
    case Kind::FloatList: {
      std::vector<double> list;
      ForEachElement(env, v, op, spec, [&](napi_value e) { list.push_back(ToDouble(env, e, op, spec)); });
      if (list.empty()) CheckEmptyFixedList(op, spec);
      return list;
    }
    case Kind::Bool: return ToBool(env, v, op, spec);
    case Kind::BoolList: {
      c10::List<bool> list;
      ForEachElement(env, v, op, spec, [&](napi_value e) { list.push_back(ToBool(env, e, op, spec)); });
      if (list.empty()) CheckEmptyFixedList(op, spec);
      return list;
    }
    case Kind::Scalar: return ToScalar(env, v, op, spec);
    case Kind::ScalarList: {
      std::vector<c10::Scalar> list;
      ForEachElement(env, v, op, spec, [&](napi_value e) { list.push_back(ToScalar(env, e, op, spec)); });
      return list;
    }
    case Kind::String: return ToString(env, v, op, spec);
    case Kind::Device: return c10::Device(ToString(env, v, op, spec));
    case Kind::Generator: return UnwrapGenerator(env, v);
    case Kind::None:
    case Kind::Unsupported:
      break;
  }
  Mismatch(op, spec, "nothing (unsupported argument type)", TypeName(type));
}

napi_value Number(napi_env env, double d) {
  napi_value r;
  napi_create_double(env, d, &r);
  return r;
}

napi_value FromIValue(napi_env env, AddonState* state, const c10::IValue& v) {
  napi_value r;
  if (v.isTensor()) return WrapTensor(env, state, v.toTensor());
  if (v.isNone()) {
    napi_get_null(env, &r);
    return r;
  }
  if (v.isInt()) return Number(env, static_cast<double>(v.toInt()));
  if (v.isDouble()) return Number(env, v.toDouble());
  if (v.isBool()) {
    napi_get_boolean(env, v.toBool(), &r);
    return r;
  }
  if (v.isSymInt()) return Number(env, static_cast<double>(v.toSymInt().guard_int(__FILE__, __LINE__)));
  if (v.isString()) {
    const std::string& s = v.toStringRef();
    napi_create_string_utf8(env, s.data(), s.size(), &r);
    return r;
  }
  if (v.isList() || v.isTuple()) {
    std::vector<c10::IValue> items = v.isList() ? v.toListRef().vec() : v.toTupleRef().elements().vec();
    napi_create_array_with_length(env, items.size(), &r);
    for (size_t i = 0; i < items.size(); i++) napi_set_element(env, r, i, FromIValue(env, state, items[i]));
    return r;
  }
  if (v.isScalar()) return FromIValue(env, state, v.toScalar().isIntegral(false) ? c10::IValue(v.toScalar().toLong()) : c10::IValue(v.toScalar().toDouble()));
  if (v.isDevice()) return FromIValue(env, state, c10::IValue(v.toDevice().str()));
  throw std::runtime_error("cannot convert a result of type " + v.tagKind() + " to JS");
}

// The shape of a tensor an op writes, kept to undo a failed resize. libtorch's resize_ sets
// the new sizes first and then grows the storage: when that throws (storage shared with a JS
// array, pinned by typedArrayView, or too large to allocate) the tensor is left claiming
// elements its storage does not hold, and the next read is out of bounds. PyTorch has the
// same flaw; here such a tensor gets its old shape back.
struct Geometry {
  at::Tensor tensor;
  c10::SmallVector<int64_t, 5> sizes, strides;
  int64_t offset;
};

void RestoreIfOutOfBounds(const c10::SmallVector<Geometry, 2>& saved) {
  for (const Geometry& g : saved) {
    c10::TensorImpl* impl = g.tensor.unsafeGetTensorImpl();
    if (!impl->has_storage()) continue;
    size_t needed = at::detail::computeStorageNbytes(impl->sizes(), impl->strides(), impl->itemsize(), impl->storage_offset());
    if (impl->numel() > 0 && needed > impl->storage().nbytes()) impl->set_sizes_and_strides(g.sizes, g.strides, g.offset);
  }
}

// opHandle(name, overload): the index of an operator for callOp.
Napi::Value OpHandle(const Napi::CallbackInfo& info) {
  AddonState* state = GetState(info.Env());
  std::string name = info[0].As<Napi::String>();
  std::string overload = info[1].As<Napi::String>();
  std::string key = name + "." + overload;
  auto found = state->opIndex.find(key);
  if (found != state->opIndex.end()) return Napi::Number::New(info.Env(), found->second);

  auto handle = c10::Dispatcher::singleton().findSchemaOrThrow(name.c_str(), overload.c_str());
  auto* entry = new OpEntry{handle, {}, {}, {}, FindGuard(handle.schema().operator_name())};
  const c10::FunctionSchema& schema = handle.schema();
  for (const auto& a : schema.arguments()) {
    entry->args.push_back(Classify(a));
    if (entry->args.back().kind == Kind::Tensor && a.alias_info() && a.alias_info()->isWrite()) {
      entry->writes.push_back(static_cast<uint32_t>(entry->args.size() - 1));
    }
    if (entry->args.back().kind == Kind::Unsupported) {
      std::string type = a.type()->str();
      delete entry;
      throw std::runtime_error(key + ": argument '" + a.name() + "' of type " + type + " is not supported");
    }
  }
  for (const auto& r : schema.returns()) {
    entry->returns.push_back(Classify(r));
    entry->returnIsInPlace.push_back(r.alias_info() && r.alias_info()->isWrite());
  }
  auto index = static_cast<uint32_t>(state->ops.size());
  state->ops.push_back(entry);
  state->opIndex.emplace(key, index);
  return Napi::Number::New(info.Env(), index);
}

// callOp(index, ...args): the hot path, in the plain C API to keep it short.
napi_value CallOp(napi_env env, napi_callback_info info) {
  constexpr size_t kMaxArgs = 40;
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  void* data;
  napi_get_cb_info(env, info, &argc, argv, nullptr, &data);
  auto* state = static_cast<AddonState*>(data);
  // Converting arguments can run JS (an array element's getter), and JS can call callOp again:
  // only the outermost call uses the shared stack, so an inner call cannot clear it under us.
  torch::jit::Stack local;
  torch::jit::Stack& stack = state->callDepth == 0 ? state->stack : local;
  struct Depth {
    int& depth;
    explicit Depth(int& d) : depth(d) { depth++; }
    ~Depth() { depth--; }
  } depth(state->callDepth);
  try {
    uint32_t index = 0;
    if (argc < 1 || napi_get_value_uint32(env, argv[0], &index) != napi_ok || index >= state->ops.size()) {
      throw std::runtime_error("callOp: bad operator index");
    }
    const OpEntry& op = *state->ops[index];
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    auto call = [&] {
      stack.clear();
      for (size_t i = 0; i < op.args.size(); i++) {
        stack.push_back(ToIValue(env, i + 1 < argc ? argv[i + 1] : undefined, op, op.args[i]));
      }
      if (op.guard) op.guard(op.handle.schema(), stack);
      c10::SmallVector<Geometry, 2> saved;
      for (uint32_t i : op.writes) {
        if (!stack[i].isTensor()) continue;
        const at::Tensor& t = stack[i].toTensor();
        if (t.defined() && t.layout() == at::kStrided && !t.is_meta()) {
          saved.push_back({t, c10::SmallVector<int64_t, 5>(t.sizes().begin(), t.sizes().end()),
                           c10::SmallVector<int64_t, 5>(t.strides().begin(), t.strides().end()), t.storage_offset()});
        }
      }
      try {
        op.handle.callBoxed(stack);
      } catch (...) {
        RestoreIfOutOfBounds(saved);
        throw;
      }
    };
    try {
      call();
    } catch (const c10::OutOfMemoryError&) {
      // The CUDA caching allocator has already released its cached blocks and still came up
      // short. Tensors JS no longer reaches may hold the memory (their reported bytes had not
      // yet made V8 collect): a full GC frees them, then the op runs once more, as a PyTorch
      // user would retry after `del` and empty_cache().
      stack.clear();
      if (!CollectGarbage(env, state, true)) throw;
      state->outOfMemoryRetries++;
      call();
    }
    napi_value result = undefined;
    size_t n = stack.size();
    if (n == 1) {
      if (!op.returnIsInPlace[0]) result = FromIValue(env, state, stack[0]);
    } else if (n > 1) {
      napi_create_array_with_length(env, n, &result);
      for (size_t i = 0; i < n; i++) {
        napi_value item = undefined;
        if (!op.returnIsInPlace[i]) item = FromIValue(env, state, stack[i]);
        napi_set_element(env, result, i, item);
      }
    }
    stack.clear();
    return result;
  } catch (...) {
    stack.clear();
    return ThrowCurrentException(env);
  }
}

// listSchemas(): every registered operator schema, as text (for the generator and tests).
Napi::Value ListSchemas(const Napi::CallbackInfo& info) {
  auto names = c10::Dispatcher::singleton().getAllOpNames();
  Napi::Array result = Napi::Array::New(info.Env(), names.size());
  uint32_t i = 0;
  for (const auto& name : names) {
    auto handle = c10::Dispatcher::singleton().findOp(name);
    if (handle && handle->hasSchema()) result.Set(i++, toString(handle->schema()));
  }
  return result;
}

}  // namespace

void InitOps(Napi::Env env, Napi::Object exports) {
  Export<OpHandle>(env, exports, "opHandle");
  Export<ListSchemas>(env, exports, "listSchemas");
  napi_value fn;
  napi_create_function(env, "callOp", NAPI_AUTO_LENGTH, CallOp, GetState(env), &fn);
  exports.Set("callOp", fn);
}

}  // namespace tn
