// JS values <-> libtorch IValues, containers included: tensors, plain objects (dicts with
// string keys), arrays (lists), numbers (integral ones as ints, like Python), booleans,
// strings, null. Used by torch.save/load and TorchScript modules.
#include "ivalue.h"

#include <algorithm>

#include "handle.h"

namespace tn {

namespace {

c10::IValue ToIValue(Napi::Env env, Napi::Value v, int depth, bool typed);

// The element type of a list or dict built from JS values: TorchScript methods check it
// (a List[str] parameter refuses a List[Any]).
c10::TypePtr CommonType(const std::vector<c10::IValue>& values, bool typed) {
  if (!typed) return c10::AnyType::get();
  auto all = [&](auto test) { return !values.empty() && std::all_of(values.begin(), values.end(), test); };
  if (all([](const c10::IValue& v) { return v.isTensor(); })) return c10::TensorType::get();
  if (all([](const c10::IValue& v) { return v.isString(); })) return c10::StringType::get();
  if (all([](const c10::IValue& v) { return v.isBool(); })) return c10::BoolType::get();
  if (all([](const c10::IValue& v) { return v.isInt(); })) return c10::IntType::get();
  return c10::AnyType::get();
}

// JS -> IValue: tensors, plain objects (dicts with string keys), arrays, numbers (integral
// ones as ints, like Python), booleans, strings, null.
c10::IValue ToIValue(Napi::Env env, Napi::Value v, int depth, bool typed) {
  if (depth > 64) throw std::runtime_error("the value is nested too deeply (or contains a cycle)");
  switch (v.Type()) {
    case napi_null:
    case napi_undefined: return c10::IValue();
    case napi_boolean: return v.As<Napi::Boolean>().Value();
    case napi_string: return v.As<Napi::String>().Utf8Value();
    case napi_bigint: {
      bool lossless;
      return v.As<Napi::BigInt>().Int64Value(&lossless);
    }
    case napi_number: {
      double d = v.As<Napi::Number>().DoubleValue();
      auto i = static_cast<int64_t>(d);
      if (static_cast<double>(i) == d && d > -9.2e18 && d < 9.2e18) return i;
      return d;
    }
    case napi_external: return UnwrapTensor(env, v);
    case napi_object: {
      if (v.IsArray()) {
        Napi::Array array = v.As<Napi::Array>();
        std::vector<c10::IValue> items;
        for (uint32_t i = 0; i < array.Length(); i++) items.push_back(ToIValue(env, array.Get(i), depth + 1, typed));
        c10::impl::GenericList list(CommonType(items, typed));
        for (auto& item : items) list.push_back(std::move(item));
        return list;
      }
      Napi::Object object = v.As<Napi::Object>();
      Napi::Array keys = object.GetPropertyNames();
      std::vector<std::pair<std::string, c10::IValue>> entries;
      std::vector<c10::IValue> values;
      for (uint32_t i = 0; i < keys.Length(); i++) {
        std::string key = keys.Get(i).ToString().Utf8Value();
        entries.emplace_back(key, ToIValue(env, object.Get(key), depth + 1, typed));
        values.push_back(entries.back().second);
      }
      c10::impl::GenericDict dict(c10::StringType::get(), CommonType(values, typed));
      for (auto& [key, value] : entries) dict.insert(key, std::move(value));
      return dict;
    }
    default:
      throw std::runtime_error(std::string("cannot convert a ") + (v.Type() == napi_function ? "function" : "symbol") +
                               ": expected tensors, numbers, booleans, strings, null, and arrays or objects of them");
  }
}

// IValue -> JS. Depth-limited: a value from a file or a module may nest arbitrarily (or, from
// a module, contain itself), and each level recurses.
Napi::Value ToJs(Napi::Env env, AddonState* state, const c10::IValue& v, int depth) {
  if (depth > 1000) throw std::runtime_error("the value is nested too deeply (or contains a cycle)");
  if (v.isTensor()) return Napi::Value(env, WrapTensor(env, state, v.toTensor()));
  if (v.isNone()) return env.Null();
  if (v.isBool()) return Napi::Boolean::New(env, v.toBool());
  if (v.isInt()) return Napi::Number::New(env, static_cast<double>(v.toInt()));
  if (v.isDouble()) return Napi::Number::New(env, v.toDouble());
  if (v.isString()) return Napi::String::New(env, v.toStringRef());
  if (v.isGenericDict()) {
    Napi::Object out = Napi::Object::New(env);
    for (const auto& entry : v.toGenericDict()) {
      const c10::IValue& key = entry.key();
      std::string name = key.isString() ? key.toStringRef() : key.isInt() ? std::to_string(key.toInt()) : key.tagKind();
      // Defined, not assigned: a key "__proto__" must not replace the object's prototype.
      out.DefineProperty(Napi::PropertyDescriptor::Value(Napi::String::New(env, name), ToJs(env, state, entry.value(), depth + 1),
        napi_default_jsproperty));
    }
    return out;
  }
  if (v.isList() || v.isTuple()) {
    std::vector<c10::IValue> items = v.isList() ? v.toListRef().vec() : v.toTupleRef().elements().vec();
    Napi::Array out = Napi::Array::New(env, items.size());
    for (size_t i = 0; i < items.size(); i++) out.Set(i, ToJs(env, state, items[i], depth + 1));
    return out;
  }
  throw std::runtime_error("cannot return a value of type " + v.tagKind() + " to JS");
}

}  // namespace

Napi::Value IValueToJs(Napi::Env env, AddonState* state, const c10::IValue& v) { return ToJs(env, state, v, 0); }

c10::IValue JsToIValue(Napi::Env env, Napi::Value value, bool typedLists) {
  return ToIValue(env, value, 0, typedLists);
}

}  // namespace tn
