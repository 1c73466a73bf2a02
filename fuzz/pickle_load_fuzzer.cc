// libFuzzer harness for torch.load's parser of untrusted bytes: tn::LoadArchive, which the
// addon's pickleLoad calls (native/serialization.cc, compiled here without Node-API), over the
// zip reading, pickle vetting, libtorch's unpickler and the tensor checks. Built by
// fuzz/build.sh; see fuzz/README.md.
//
// Input: a whole archive ("PK..."), or else a pickle that the harness wraps into an archive
// with a few data/ records (so mutations reach the unpickler instead of the zip's CRCs).
// Every loaded value is then used as the addon would: walked recursively (IValueToJs
// recurses too), each tensor's elements read one by one through its sizes and strides in
// instrumented code, so a tensor reaching outside its bytes is an AddressSanitizer report.
#include <ATen/core/ivalue.h>
#include <c10/util/Logging.h>
#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace tn {
c10::IValue LoadArchive(const char* data, size_t size);
}

namespace {

std::vector<char> Wrap(const uint8_t* pkl, size_t size) {
  std::vector<char> archive;
  caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, size_t n) {
    archive.insert(archive.end(), static_cast<const char*>(data), static_cast<const char*>(data) + n);
    return n;
  });
  writer.writeRecord("data.pkl", pkl, size);
  static const char kBytes[64] = {1, 2, 3, 4, 5, 6, 7, 8};
  writer.writeRecord("data/0", kBytes, 64);
  writer.writeRecord("data/1", kBytes, 4);
  writer.writeRecord("data/2", kBytes, 0);
  writer.writeEndOfFile();
  return archive;
}

volatile uint8_t sink;

void ReadAll(const at::Tensor& t) {
  if (!t.defined() || !t.device().is_cpu() || t.layout() != at::kStrided) return;
  const auto* base = static_cast<const uint8_t*>(t.storage().data());
  int64_t numel = t.numel(), item = t.element_size();
  if (numel == 0) return;
  std::vector<int64_t> index(t.dim(), 0);
  for (int64_t n = 0; n < std::min<int64_t>(numel, 1 << 16); n++) {
    int64_t offset = t.storage_offset();
    for (int64_t d = 0; d < t.dim(); d++) offset += index[d] * t.strides()[d];
    for (int64_t b = 0; b < item; b++) sink = base[offset * item + b];
    for (int64_t d = t.dim() - 1; d >= 0 && ++index[d] == t.sizes()[d]; d--) index[d] = 0;
  }
}

// As IValueToJs: recursive, so too deep a value overflows the stack here as it would there.
size_t Use(const c10::IValue& v, int depth) {
  if (depth > 1000) throw std::runtime_error("too deep");
  size_t n = 1;
  if (v.isTensor()) ReadAll(v.toTensor());
  if (v.isString()) n += v.toStringRef().size();
  if (v.isGenericDict()) for (const auto& e : v.toGenericDict()) n += Use(e.key(), depth + 1) + Use(e.value(), depth + 1);
  if (v.isList()) for (const auto& e : v.toListRef()) n += Use(e, depth + 1);
  if (v.isTuple()) for (const auto& e : v.toTupleRef().elements()) n += Use(e, depth + 1);
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  c10::SetStackTraceFetcher([] { return std::string(); });  // exceptions are the common case: keep them cheap
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr;
  try {
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
      size_t n = Use(tn::LoadArchive(reinterpret_cast<const char*>(data), size), 0);
      if (verbose) std::fprintf(stderr, "loaded: %zu values\n", n);
    } else {
      std::vector<char> archive = Wrap(data, size);
      size_t n = Use(tn::LoadArchive(archive.data(), archive.size()), 0);
      if (verbose) std::fprintf(stderr, "loaded: %zu values\n", n);
    }
  } catch (const std::exception& e) {
    // A clean refusal; FUZZ_VERBOSE=1 prints it (to check what the seeds do).
    if (verbose) std::fprintf(stderr, "refused: %.200s\n", e.what());
  }
  return 0;
}
