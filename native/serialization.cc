// torch.save / torch.load through libtorch's own pickler: the bytes are the zip format of
// Python's torch.save, so checkpoints move between Python and Node both ways. The unpickler
// builds only TorchScript types (tensors, dicts, lists, tuples, scalars, strings): loading
// a file never runs code from it.
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/export.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/csrc/jit/serialization/pickler.h>
#include <torch/csrc/jit/serialization/unpickler.h>
#include <caffe2/serialize/in_memory_adapter.h>

#include <algorithm>
#include <cstring>

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
  pickler.pushIValue(JsToIValue(info.Env(), info[0], /*typedLists=*/false));
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

// The length of a pickle opcode's argument at `p` (protocols 2-4), or -1 when unknown.
int64_t ArgLength(const std::string& pkl, size_t p) {
  auto line = [&](size_t from) -> int64_t {
    size_t end = pkl.find('\n', from);
    return end == std::string::npos ? -1 : static_cast<int64_t>(end + 1 - from);
  };
  auto u32 = [&](size_t at) { return at + 4 <= pkl.size() ? static_cast<int64_t>(*reinterpret_cast<const uint32_t*>(&pkl[at])) : -1; };
  auto u8 = [&](size_t at) { return at < pkl.size() ? static_cast<int64_t>(static_cast<uint8_t>(pkl[at])) : -1; };
  switch (static_cast<uint8_t>(pkl[p])) {
    case '(': case '.': case '0': case '1': case '2': case 'N': case 'Q': case 'R': case 'a': case 'b':
    case 'd': case '}': case 'e': case 'l': case ']': case 'o': case 's': case 't': case ')': case 'u':
    case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8f: case 0x90: case 0x91:
    case 0x92: case 0x93: case 0x94: return 0;
    case 'F': case 'I': case 'L': case 'P': case 'S': case 'V': case 'g': case 'p': return line(p + 1);
    case 'c': case 'i': {
      int64_t first = line(p + 1);
      if (first < 0) return -1;
      int64_t second = line(p + 1 + first);
      return second < 0 ? -1 : first + second;
    }
    case 'J': case 'j': case 'r': case 0x84: return 4;
    case 'K': case 'h': case 'q': case 0x80: case 0x82: return 1;
    case 'M': case 0x83: return 2;
    case 'G': case 0x95: return 8;
    case 'T': case 'X': case 'B': case 0x8b: { int64_t n = u32(p + 1); return n < 0 ? -1 : 4 + n; }
    case 'U': case 'C': case 0x8a: case 0x8c: { int64_t n = u8(p + 1); return n < 0 ? -1 : 1 + n; }
    default: return -1;
  }
}

// Python's OrderedDict (what model.state_dict() returns) reaches libtorch's unpickler as None.
// Rewrites the pickle so each one is a plain dict: `GLOBAL collections OrderedDict` (or a memo
// reference to it) with EMPTY_TUPLE and REDUCE becomes EMPTY_DICT. Returns false when the
// pickle is not of that simple shape (BUILD, for an OrderedDict with attributes, included).
bool PlainDicts(const std::string& pkl, std::string& out) {
  const std::string kClass = "collections\nOrderedDict\n";
  std::vector<int64_t> classMemo;
  for (size_t p = 0; p < pkl.size();) {
    uint8_t op = pkl[p];
    int64_t n = ArgLength(pkl, p);
    if (n < 0) return false;
    size_t next = p + 1 + n;
    bool isClass = op == 'c' && pkl.compare(p + 1, kClass.size(), kClass) == 0;
    if (!isClass && (op == 'h' || op == 'j')) {
      int64_t id = op == 'h' ? static_cast<uint8_t>(pkl[p + 1]) : *reinterpret_cast<const uint32_t*>(&pkl[p + 1]);
      isClass = std::find(classMemo.begin(), classMemo.end(), id) != classMemo.end();
    }
    if (isClass) {
      if (op == 'c' && next < pkl.size() && (pkl[next] == 'q' || pkl[next] == 'r')) {
        classMemo.push_back(pkl[next] == 'q' ? static_cast<uint8_t>(pkl[next + 1]) : *reinterpret_cast<const uint32_t*>(&pkl[next + 1]));
        next += pkl[next] == 'q' ? 2 : 5;
      }
      if (pkl.compare(next, 2, ")R") != 0) return false;
      out += '}';
      p = next + 2;
      continue;
    }
    if (op == 'b') return false;  // an OrderedDict with attributes (state_dict()'s _metadata)
    out += static_cast<char>(op);
    out.append(pkl, p + 1, n);
    p = next;
    if (op == '.') return true;
  }
  return false;
}

c10::IValue LoadWithPlainDicts(const std::vector<char>& data) {
  caffe2::serialize::PyTorchStreamReader reader(std::make_shared<caffe2::serialize::MemoryReadAdapter>(data.data(), data.size()));
  auto [record, size] = reader.getRecord("data.pkl");
  std::string pkl(static_cast<const char*>(record.get()), size);
  std::string patched;
  if (!PlainDicts(pkl, patched)) throw std::runtime_error("torch.load: cannot read this file's OrderedDicts");
  size_t offset = 0;
  torch::jit::Unpickler unpickler(
      [&](char* buffer, size_t n) {
        n = std::min(n, patched.size() - offset);
        std::memcpy(buffer, patched.data() + offset, n);
        offset += n;
        return n;
      },
      nullptr, nullptr, [&](const std::string& name) { return std::get<0>(reader.getRecord("data/" + name)); },
      std::nullopt);
  unpickler.set_version(reader.version());
  return unpickler.parse_ivalue();
}

// pickleLoad(buffer): the value a torch.save file holds.
Napi::Value PickleLoad(const Napi::CallbackInfo& info) {
  if (!info[0].IsTypedArray()) throw std::runtime_error("torch.load: expected the file's bytes");
  auto bytes = info[0].As<Napi::Uint8Array>();
  std::vector<char> data(reinterpret_cast<const char*>(bytes.Data()), reinterpret_cast<const char*>(bytes.Data()) + bytes.ByteLength());
  try {
    return IValueToJs(info.Env(), GetState(info.Env()), torch::jit::pickle_load(data));
  } catch (const c10::Error& e) {
    if (std::string(e.what()).find("Expected GenericDict but got None") == std::string::npos) throw;
    c10::IValue value;
    try {
      value = LoadWithPlainDicts(data);
    } catch (...) {
      throw e;  // the original error, which lib/serialization.ts explains
    }
    return IValueToJs(info.Env(), GetState(info.Env()), value);
  }
}

}  // namespace

void InitSerialization(Napi::Env env, Napi::Object exports) {
  Export<PickleSave>(env, exports, "pickleSave");
  Export<PickleLoad>(env, exports, "pickleLoad");
}

}  // namespace tn
