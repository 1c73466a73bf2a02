// torch.save / torch.load through libtorch's own pickler: the bytes are the zip format of
// Python's torch.save, so checkpoints move between Python and Node both ways. The unpickler
// builds only TorchScript types (tensors, dicts, lists, tuples, scalars, strings): loading
// a file never runs code from it.
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/export.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/csrc/jit/serialization/pickler.h>

#include "errors.h"
#include "handle.h"
#include "serialization.h"

namespace tn {

namespace {

c10::IValue ToIValue(Napi::Env env, Napi::Value v, int depth);

c10::TypePtr CommonType(const std::vector<c10::IValue>& values) {
  bool allTensors = !values.empty();
  for (const auto& v : values) allTensors = allTensors && v.isTensor();
  return allTensors ? c10::TypePtr(c10::TensorType::get()) : c10::TypePtr(c10::AnyType::get());
}

// JS -> IValue: tensors, plain objects (dicts with string keys), arrays, numbers (integral
// ones as ints, like Python), booleans, strings, null.
c10::IValue ToIValue(Napi::Env env, Napi::Value v, int depth) {
  if (depth > 64) throw std::runtime_error("torch.save: the object is nested too deeply (or contains a cycle)");
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
        for (uint32_t i = 0; i < array.Length(); i++) items.push_back(ToIValue(env, array.Get(i), depth + 1));
        c10::impl::GenericList list(CommonType(items));
        for (auto& item : items) list.push_back(std::move(item));
        return list;
      }
      Napi::Object object = v.As<Napi::Object>();
      Napi::Array keys = object.GetPropertyNames();
      std::vector<std::pair<std::string, c10::IValue>> entries;
      std::vector<c10::IValue> values;
      for (uint32_t i = 0; i < keys.Length(); i++) {
        std::string key = keys.Get(i).ToString().Utf8Value();
        entries.emplace_back(key, ToIValue(env, object.Get(key), depth + 1));
        values.push_back(entries.back().second);
      }
      c10::impl::GenericDict dict(c10::StringType::get(), CommonType(values));
      for (auto& [key, value] : entries) dict.insert(key, std::move(value));
      return dict;
    }
    default: throw std::runtime_error(std::string("torch.save: cannot save a value of JS type ") + std::to_string(v.Type()));
  }
}

Napi::Value FromIValue(Napi::Env env, AddonState* state, const c10::IValue& v) {
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
      out.Set(name, FromIValue(env, state, entry.value()));
    }
    return out;
  }
  if (v.isList() || v.isTuple()) {
    std::vector<c10::IValue> items = v.isList() ? v.toListRef().vec() : v.toTupleRef().elements().vec();
    Napi::Array out = Napi::Array::New(env, items.size());
    for (size_t i = 0; i < items.size(); i++) out.Set(i, FromIValue(env, state, items[i]));
    return out;
  }
  throw std::runtime_error("torch.load: the file holds a value of type " + v.tagKind() + ", which torch-node cannot return");
}

// pickleSave(value): the bytes of torch.save(value). As torch::pickle_save, but without
// TorchScript's type tags on dicts and lists: Python's torch.load (weights_only, its
// default) refuses those, and plain dicts and lists are what Python itself writes.
Napi::Value PickleSave(const Napi::CallbackInfo& info) {
  std::vector<char> pickled;
  torch::jit::Pickler pickler(
      [&](const char* bytes, size_t size) { pickled.insert(pickled.end(), bytes, bytes + size); },
      nullptr, nullptr, nullptr, nullptr, /*tag_aggregates=*/false);
  pickler.protocol();
  pickler.pushIValue(ToIValue(info.Env(), info[0], 0));
  pickler.stop();
  std::vector<char> archive;
  caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, size_t size) {
    auto* bytes = static_cast<const char*>(data);
    archive.insert(archive.end(), bytes, bytes + size);
    return size;
  });
  torch::jit::writeArchiveAndTensors("data", pickled.data(), pickled.size(), pickler.tensorData(), writer);
  writer.writeEndOfFile();
  return Napi::Buffer<char>::Copy(info.Env(), archive.data(), archive.size());
}

// pickleLoad(buffer): the value a torch.save file holds.
Napi::Value PickleLoad(const Napi::CallbackInfo& info) {
  if (!info[0].IsTypedArray()) throw std::runtime_error("torch.load: expected the file's bytes");
  auto bytes = info[0].As<Napi::Uint8Array>();
  std::vector<char> data(reinterpret_cast<const char*>(bytes.Data()), reinterpret_cast<const char*>(bytes.Data()) + bytes.ByteLength());
  return FromIValue(info.Env(), GetState(info.Env()), torch::jit::pickle_load(data));
}

}  // namespace

void InitSerialization(Napi::Env env, Napi::Object exports) {
  Export<PickleSave>(env, exports, "pickleSave");
  Export<PickleLoad>(env, exports, "pickleLoad");
}

}  // namespace tn
