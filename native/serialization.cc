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
#include "ivalue.h"
#include "serialization.h"

namespace tn {

namespace {

// pickleSave(value): the bytes of torch.save(value). As torch::pickle_save, but without
// TorchScript's type tags on dicts and lists: Python's torch.load (weights_only, its
// default) refuses those, and plain dicts and lists are what Python itself writes.
Napi::Value PickleSave(const Napi::CallbackInfo& info) {
  std::vector<char> pickled;
  torch::jit::Pickler pickler(
      [&](const char* bytes, size_t size) { pickled.insert(pickled.end(), bytes, bytes + size); },
      nullptr, nullptr, nullptr, nullptr, /*tag_aggregates=*/false);
  pickler.protocol();
  pickler.pushIValue(JsToIValue(info.Env(), info[0]));
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
  return IValueToJs(info.Env(), GetState(info.Env()), torch::jit::pickle_load(data));
}

}  // namespace

void InitSerialization(Napi::Env env, Napi::Object exports) {
  Export<PickleSave>(env, exports, "pickleSave");
  Export<PickleLoad>(env, exports, "pickleLoad");
}

}  // namespace tn
