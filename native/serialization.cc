// torch.save / torch.load through libtorch's own pickler: the bytes are the zip format of
// Python's torch.save, so checkpoints move between Python and Node both ways. The unpickler
// builds only TorchScript types (tensors, dicts, lists, tuples, scalars, strings): loading
// a file never runs code from it (GLOBAL os.system and the like fail: "unknown type").
//
// Files are untrusted input, so LoadArchive checks what libtorch does not before and after
// handing the bytes to it: record sizes against the file (libtorch allocates what a record
// claims), the pickle's shape (VetPickle: lengths, memo indices, nesting depth, cycles, type
// strings), and every tensor's extent against the bytes it was given (ValidateTensors).
// The parsing half needs no Node-API: fuzz/ compiles this file with TORCH_NODE_PARSE_ONLY.
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <torch/csrc/jit/serialization/storage_context.h>
#include <torch/csrc/jit/serialization/unpickler.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace tn {

// Containers nested deeper than this are refused: converting and freeing values recurses.
constexpr int kMaxLoadDepth = 1000;

namespace {

[[noreturn]] void Refuse(const std::string& why) { throw std::runtime_error("torch.load: " + why); }

uint64_t Le(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// The file's bytes, never read past their end (libtorch's MemoryReadAdapter trusts miniz's
// offsets and memcpys whatever is asked).
class BoundedReadAdapter final : public caffe2::serialize::ReadAdapterInterface {
 public:
  BoundedReadAdapter(const char* data, size_t size) : data_(data), size_(size) {}
  size_t size() const override { return size_; }
  size_t read(uint64_t pos, void* buf, size_t n, const char* = "") const override {
    if (pos >= size_) return 0;
    n = std::min<uint64_t>(n, size_ - pos);
    std::memcpy(buf, data_ + pos, n);
    return n;
  }

 private:
  const char* data_;
  size_t size_;
};

// Refuses a zip whose central directory declares a record larger than the file can hold:
// libtorch allocates a record's declared size before reading it. Stored records (all that
// torch.save writes) are exactly their size in the file; compressed ones expand at most
// 1032:1 (deflate's limit). Anything unparsable is left to miniz, which refuses it too.
void CheckZipSizes(const char* data, size_t size) {
  const size_t kEocd = 22, kEntry = 46;
  if (size < kEocd) return;
  size_t eocd = size - kEocd, stop = size > kEocd + 65535 ? size - kEocd - 65535 : 0;
  while (Le(data + eocd, 4) != 0x06054b50) {
    if (eocd == stop) return;
    eocd--;
  }
  uint64_t entries = Le(data + eocd + 10, 2), cdSize = Le(data + eocd + 12, 4), cdOffset = Le(data + eocd + 16, 4);
  if ((entries == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff) && eocd >= 20 && Le(data + eocd - 20, 4) == 0x07064b50) {
    uint64_t z = Le(data + eocd - 20 + 8, 8);  // the zip64 end of central directory record
    if (size < 56 || z > size - 56 || Le(data + z, 4) != 0x06064b50) return;
    entries = Le(data + z + 32, 8), cdSize = Le(data + z + 40, 8), cdOffset = Le(data + z + 48, 8);
  }
  if (cdOffset > size || cdSize > size - cdOffset) return;
  for (uint64_t i = 0, p = cdOffset, end = cdOffset + cdSize; i < entries && end - p >= kEntry && Le(data + p, 4) == 0x02014b50; i++) {
    uint64_t method = Le(data + p + 10, 2), comp = Le(data + p + 20, 4), uncomp = Le(data + p + 24, 4);
    uint64_t name = p + kEntry, extra = name + Le(data + p + 28, 2), extraEnd = extra + Le(data + p + 30, 2);
    uint64_t next = extraEnd + Le(data + p + 32, 2);
    if (next > end) return;
    // zip64: the real sizes follow in extra field 0x0001, uncompressed first.
    for (uint64_t x = extra; x + 4 <= extraEnd; x += 4 + Le(data + x + 2, 2)) {
      if (Le(data + x, 2) != 1) continue;
      uint64_t field = x + 4, fieldEnd = std::min<uint64_t>(field + Le(data + x + 2, 2), extraEnd);
      if (uncomp == 0xffffffff && field + 8 <= fieldEnd) uncomp = Le(data + field, 8), field += 8;
      if (comp == 0xffffffff && field + 8 <= fieldEnd) comp = Le(data + field, 8);
      break;
    }
    if (comp > size || (method == 0 && uncomp != comp) || (method != 0 && uncomp / 1032 > comp)) {
      Refuse("record '" + std::string(data + name, extra - name) + "' declares " + std::to_string(uncomp) +
        " bytes, which the " + std::to_string(size) + "-byte file cannot hold");
    }
    p = next;
  }
}

// The length of a pickle opcode's argument at `p` (protocols 2-4), or -1 when unknown or when
// it would run past the end of the pickle.
int64_t ArgLength(const std::string& pkl, size_t p) {
  auto line = [&](size_t from) -> int64_t {
    size_t end = pkl.find('\n', from);
    return end == std::string::npos ? -1 : static_cast<int64_t>(end + 1 - from);
  };
  auto counted = [&](int width) -> int64_t {
    if (p + 1 + width > pkl.size()) return -1;
    uint64_t n = Le(&pkl[p + 1], width);
    return n > pkl.size() - p - 1 - width ? -1 : static_cast<int64_t>(width + n);
  };
  auto fixed = [&](int64_t n) { return p + 1 + n <= pkl.size() ? n : -1; };
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
    case 'J': case 'j': case 'r': case 0x84: return fixed(4);
    case 'K': case 'h': case 'q': case 0x80: case 0x82: return fixed(1);
    case 'M': case 0x83: return fixed(2);
    case 'G': case 0x95: return fixed(8);
    case 'T': case 'X': case 'B': case 0x8b: return counted(4);
    case 'U': case 'C': case 0x8a: case 0x8c: return counted(1);
    case 0x8d: case 0x8e: return counted(8);
    default: return -1;
  }
}

// A TorchScript type string as libtorch's restore_type_tag parses it ("Dict[str, Tensor]"):
// identifiers, brackets and commas only, shallowly nested, so its recursive parser stays
// shallow too.
bool IsPlainTypeString(const std::string& s) {
  int depth = 0;
  for (char c : s) {
    if (c == '[') {
      if (++depth > 32) return false;
    } else if (c == ']') {
      depth--;
    } else if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr("_., ", c)) {
      return false;
    }
  }
  return true;
}

// Walks the pickle as libtorch's unpickler will, tracking only the shape of each value: refuses
// opcodes libtorch does not know, arguments past the end, memo indices far beyond the memo (the
// unpickler grows its memo to the index), containers nested deeper than kMaxLoadDepth or inside
// themselves (converting and freeing them recurses), and type strings its parser cannot take.
// A container may only grow while nothing holds it yet (as Python's pickler writes them), so
// each value's depth is final once it is nested, and no cycle can form.
void VetPickle(const std::string& pkl) {
  enum Kind : uint8_t { kLeaf, kList, kDict, kTuple, kString, kGlobal, kTypeTagGlobal, kOrderedDictGlobal, kResult };
  struct Value {
    Kind kind;
    int depth = 0;
    bool nested = false, frozen = false, plainTypeString = true;
    std::vector<uint32_t> items;  // a tuple's, for restore_type_tag's (value, type string)
  };
  std::vector<Value> values;
  std::vector<uint32_t> stack;
  std::vector<size_t> marks;
  std::unordered_map<uint64_t, uint32_t> memo;
  uint64_t puts = 0;
  int skipGlobals = 0;
  bool typeTags = false;
  auto push = [&](Kind kind, int depth = 0) {
    values.push_back(Value{kind, depth});
    stack.push_back(values.size() - 1);
    return &values.back();
  };
  auto pop = [&](size_t p) {
    if (stack.empty()) Refuse("the pickle pops an empty stack at byte " + std::to_string(p));
    uint32_t v = stack.back();
    stack.pop_back();
    return v;
  };
  auto popMark = [&](size_t p) {
    if (marks.empty() || marks.back() > stack.size()) Refuse("the pickle has no MARK for its opcode at byte " + std::to_string(p));
    size_t m = marks.back();
    marks.pop_back();
    return m;
  };
  auto nest = [&](uint32_t container, uint32_t item) {
    Value& c = values[container];
    if (container == item) Refuse("the pickle puts a container inside itself");
    c.depth = std::max(c.depth, values[item].depth + 1);
    values[item].nested = true;
    if (c.depth > kMaxLoadDepth) Refuse("values are nested more than " + std::to_string(kMaxLoadDepth) + " deep");
  };
  auto grow = [&](uint32_t container, size_t p) {
    const Value& c = values[container];
    if (c.nested || c.frozen) Refuse("the pickle changes a container after nesting it (byte " + std::to_string(p) + ")");
  };
  auto build = [&](Kind kind, size_t from) {  // LIST, DICT, TUPLE and TUPLE1-3 from the top items
    std::vector<uint32_t> items(stack.begin() + from, stack.end());
    stack.resize(from);
    values.push_back(Value{kind, 1});
    uint32_t id = values.size() - 1;
    for (uint32_t item : items) nest(id, item);
    values[id].frozen = kind == kTuple;
    if (kind == kTuple) values[id].items = std::move(items);
    stack.push_back(id);
  };
  for (size_t p = 0; p < pkl.size();) {
    uint8_t op = pkl[p];
    int64_t n = ArgLength(pkl, p);
    if (n < 0) Refuse("the pickle is truncated or has an unknown opcode at byte " + std::to_string(p));
    const char* arg = &pkl[p + 1];
    switch (op) {
      case 0x80: if (p != 0) Refuse("PROTO inside the pickle"); break;
      case '(': marks.push_back(stack.size()); break;
      case '.': return;
      case 'N': case 0x88: case 0x89: case 'K': case 'M': case 'J': case 'G': case 0x8a: push(kLeaf); break;
      case 'X': case 0x8d: push(kString)->plainTypeString = IsPlainTypeString(std::string(arg + (op == 'X' ? 4 : 8), n - (op == 'X' ? 4 : 8))); break;
      case ']': push(kList, 1); break;
      case '}': push(kDict, 1); break;
      case ')': push(kTuple, 1)->frozen = true; break;
      case 'c': {
        std::string name(arg, n);
        // After _rebuild_from_type_v2, libtorch passes the next GLOBAL through (the function it
        // later calls by index, so it must register one) and turns the one after into that index.
        if (skipGlobals > 0 && --skipGlobals == 0) {
          push(kGlobal);
          break;
        }
        if (skipGlobals == 1 && name.rfind("torch._utils\n_rebuild_", 0) != 0) Refuse("a tensor subclass this loader does not know");
        if (name == "torch._tensor\n_rebuild_from_type_v2\n") skipGlobals = 2;
        push(name == "torch.jit._pickle\nrestore_type_tag\n" ? kTypeTagGlobal
          : name == "collections\nOrderedDict\n" ? kOrderedDictGlobal : kGlobal);
        typeTags = typeTags || values.back().kind == kTypeTagGlobal;
        break;
      }
      case 'q': case 'r': {
        uint64_t id = Le(arg, n);
        if (id > puts + 256) Refuse("memo index " + std::to_string(id) + " is far beyond the memo");
        if (stack.empty()) Refuse("the pickle memoizes an empty stack");
        memo[id] = stack.back();
        puts++;
        break;
      }
      case 'h': case 'j': {
        auto it = memo.find(Le(arg, n));
        if (it == memo.end()) push(kLeaf);  // libtorch fails or reads None
        else stack.push_back(it->second);
        break;
      }
      case 'a': {
        uint32_t item = pop(p);
        if (stack.empty()) Refuse("APPEND without a list");
        grow(stack.back(), p);
        nest(stack.back(), item);
        break;
      }
      case 's': {
        if (stack.size() < 3) Refuse("SETITEM without a dict");
        uint32_t target = stack[stack.size() - 3];
        grow(target, p);
        nest(target, stack[stack.size() - 2]);
        nest(target, stack.back());
        stack.resize(stack.size() - 2);
        break;
      }
      case 'e': case 'u': {
        size_t m = popMark(p);
        if (m == 0) Refuse("APPENDS or SETITEMS without a container");
        grow(stack[m - 1], p);
        for (size_t i = m; i < stack.size(); i++) nest(stack[m - 1], stack[i]);
        stack.resize(m);
        break;
      }
      case 'l': build(kList, popMark(p)); break;
      case 'd': build(kDict, popMark(p)); break;
      case 't': build(kTuple, popMark(p)); break;
      case 0x85: case 0x86: case 0x87: {
        size_t count = op - 0x84;
        if (stack.size() < count) Refuse("TUPLE" + std::to_string(count) + " on a short stack");
        build(kTuple, stack.size() - count);
        break;
      }
      case 'Q': values[pop(p)].nested = true, push(kLeaf); break;  // a storage: a tensor
      case 0x81: values[pop(p)].nested = true; break;             // NEWOBJ: libtorch drops the args
      case 'R': case 'b': {
        uint32_t args = pop(p), callable = pop(p);
        // restore_type_tag parses its second argument; an int on the stack may name any global.
        Kind how = values[callable].kind;
        if (typeTags && how != kGlobal && how != kOrderedDictGlobal) {
          const Value& a = values[args];
          if (a.kind != kTuple || (a.items.size() >= 2 && !values[a.items[1]].plainTypeString)) Refuse("a type tag that is not a plain type");
        }
        // The result may be the argument or part of it: it counts as deep, and may not grow
        // (an OrderedDict becomes None in libtorch, which fails on its own if it grows).
        Value* result = push(kResult, values[args].depth);
        result->frozen = values[callable].kind != kOrderedDictGlobal;
        values[args].nested = true;
        break;
      }
      default: Refuse("unsupported pickle opcode " + std::to_string(op) + " at byte " + std::to_string(p));
    }
    p += 1 + n;
  }
  Refuse("the pickle has no STOP");
}

// Refuses any tensor in `root` that reaches outside its storage (the pickle's sizes, strides
// and offsets are not checked by libtorch) and layouts torch-node has no use for.
void ValidateTensors(const c10::IValue& root) {
  std::vector<c10::IValue> work{root};
  std::unordered_set<const void*> seen;
  while (!work.empty()) {
    c10::IValue v = std::move(work.back());
    work.pop_back();
    if (v.isPtrType() && !seen.insert(v.internalToPointer()).second) continue;
    if (v.isList()) {
      for (const c10::IValue& item : v.toListRef()) work.push_back(item);
    } else if (v.isTuple()) {
      for (const c10::IValue& item : v.toTupleRef().elements()) work.push_back(item);
    } else if (v.isGenericDict()) {
      for (const auto& entry : v.toGenericDict()) work.push_back(entry.key()), work.push_back(entry.value());
    } else if (v.isTensor()) {
      const at::Tensor& t = v.toTensor();
      if (!t.defined()) continue;
      if (t.layout() != at::kStrided) Refuse("sparse tensors are not supported");
      if (t.is_quantized()) Refuse("quantized tensors are not supported");
      if (t.is_meta()) continue;
      const c10::Storage& storage = t.storage();
      uint64_t nbytes = storage.nbytes(), last = t.storage_offset();
      bool empty = false;
      if (t.storage_offset() < 0) Refuse("a tensor has a negative storage offset");
      for (int64_t d = 0; d < t.dim(); d++) {
        int64_t size = t.sizes()[d], stride = t.strides()[d];
        if (size < 0 || stride < 0) Refuse("a tensor has a negative size or stride");
        empty = empty || size == 0;
        uint64_t step;
        if (size > 0 && (__builtin_mul_overflow(static_cast<uint64_t>(size - 1), static_cast<uint64_t>(stride), &step) ||
                         __builtin_add_overflow(last, step, &last))) {
          Refuse("a tensor's shape overflows");
        }
      }
      uint64_t bytes;
      if (!empty && (__builtin_add_overflow(last, 1, &bytes) || __builtin_mul_overflow(bytes, t.element_size(), &bytes) ||
                     bytes > nbytes || (storage.data() == nullptr && nbytes > 0))) {
        Refuse("a tensor of shape " + c10::str(t.sizes()) + " reaches outside its " + std::to_string(nbytes) + "-byte storage");
      }
    }
  }
}

// Python's OrderedDict (what model.state_dict() returns) reaches libtorch's unpickler as None.
// Rewrites the pickle so each one is a plain dict: `GLOBAL collections OrderedDict` (or a memo
// reference to it) with EMPTY_TUPLE and REDUCE becomes EMPTY_DICT. Returns false when the
// pickle is not of that simple shape (BUILD, for an OrderedDict with attributes, included).
bool PlainDicts(const std::string& pkl, std::string& out) {
  const std::string kClass = "collections\nOrderedDict\n";
  std::vector<int64_t> classMemo;
  auto memoId = [&](size_t at) -> int64_t { return pkl[at] == 'q' || pkl[at] == 'h' ? Le(&pkl[at + 1], 1) : Le(&pkl[at + 1], 4); };
  for (size_t p = 0; p < pkl.size();) {
    uint8_t op = pkl[p];
    int64_t n = ArgLength(pkl, p);
    if (n < 0) return false;
    size_t next = p + 1 + n;
    bool isClass = op == 'c' && pkl.compare(p + 1, n, kClass) == 0;
    if (!isClass && (op == 'h' || op == 'j')) isClass = std::find(classMemo.begin(), classMemo.end(), memoId(p)) != classMemo.end();
    if (isClass) {
      if (op == 'c' && next < pkl.size() && (pkl[next] == 'q' || pkl[next] == 'r')) {
        int64_t m = ArgLength(pkl, next);
        if (m < 0) return false;
        classMemo.push_back(memoId(next));
        next += 1 + m;
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

// The storages of an archive's data/ records, exactly as long as the records: a pickle's
// element counts are then never trusted to size a storage.
std::shared_ptr<torch::jit::DeserializationStorageContext> RecordStorages(caffe2::serialize::PyTorchStreamReader& reader) {
  auto storages = std::make_shared<torch::jit::DeserializationStorageContext>();
  for (const std::string& full : reader.getAllRecords()) {
    // Names may come with the archive's folder or without it.
    std::string name = full.rfind("data/", 0) == 0 ? full : full.substr(full.find('/') + 1);
    if (name.rfind("data/", 0) != 0 || !reader.hasRecord(name) || storages->hasStorage(name.substr(5))) continue;
    auto [data, size] = reader.getRecord(name);
    storages->addStorage(name.substr(5), c10::Storage(c10::Storage::use_byte_size_t(), size, std::move(data), nullptr, false));
  }
  return storages;
}

c10::IValue Unpickle(caffe2::serialize::PyTorchStreamReader& reader, const std::string& pkl,
    const std::shared_ptr<torch::jit::DeserializationStorageContext>& storages) {
  VetPickle(pkl);
  size_t offset = 0;
  torch::jit::Unpickler unpickler(
      [&](char* buffer, size_t n) {
        n = std::min(n, pkl.size() - offset);
        std::memcpy(buffer, pkl.data() + offset, n);
        offset += n;
        return n;
      },
      nullptr, nullptr, [](const std::string& name) -> at::DataPtr { Refuse("the archive has no record data/" + name); },
      std::nullopt, false, torch::jit::Unpickler::defaultTypeParser, storages);
  unpickler.set_version(reader.version());
  c10::IValue value = unpickler.parse_ivalue();
  ValidateTensors(value);
  return value;
}

}  // namespace

// The value in torch.save bytes, checked as the comment at the top says.
c10::IValue LoadArchive(const char* data, size_t size) {
  CheckZipSizes(data, size);
  caffe2::serialize::PyTorchStreamReader reader(std::make_shared<BoundedReadAdapter>(data, size));
  auto [record, length] = reader.getRecord("data.pkl");
  std::string pkl(static_cast<const char*>(record.get()), length);
  auto storages = RecordStorages(reader);
  try {
    return Unpickle(reader, pkl, storages);
  } catch (const c10::Error& e) {
    if (std::string(e.what()).find("Expected GenericDict but got None") == std::string::npos) throw;
    std::string patched;
    if (!PlainDicts(pkl, patched)) throw;  // the original error, which lib/serialization.ts explains
    try {
      return Unpickle(reader, patched, storages);
    } catch (...) {
      throw e;
    }
  }
}

}  // namespace tn

#ifndef TORCH_NODE_PARSE_ONLY
#include <torch/csrc/jit/serialization/export.h>
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

// pickleLoad(buffer): the value a torch.save file holds.
Napi::Value PickleLoad(const Napi::CallbackInfo& info) {
  if (!info[0].IsTypedArray()) throw std::runtime_error("torch.load: expected the file's bytes");
  auto bytes = info[0].As<Napi::Uint8Array>();
  // A copy: the unpickler must not see the bytes change under it.
  std::vector<char> data(reinterpret_cast<const char*>(bytes.Data()), reinterpret_cast<const char*>(bytes.Data()) + bytes.ByteLength());
  return IValueToJs(info.Env(), GetState(info.Env()), LoadArchive(data.data(), data.size()));
}

}  // namespace

void InitSerialization(Napi::Env env, Napi::Object exports) {
  Export<PickleSave>(env, exports, "pickleSave");
  Export<PickleLoad>(env, exports, "pickleLoad");
}

}  // namespace tn
#endif
