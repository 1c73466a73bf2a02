#include "generator.h"

#include <ATen/CPUGeneratorImpl.h>

#include "errors.h"
#include "tagged.h"

namespace tn {

namespace {

// Distinguishes generator handles from tensor handles (both are externals).
constexpr napi_type_tag kGeneratorTag = {0x7f3c2a9e51d04b8bULL, 0x9a61e0c4b2d7f315ULL};

struct GeneratorBox {
  at::Generator generator;
};

int64_t SeedArg(const Napi::Value& v) {
  if (v.IsBigInt()) {
    bool lossless;
    return static_cast<int64_t>(v.As<Napi::BigInt>().Uint64Value(&lossless));
  }
  return static_cast<int64_t>(v.As<Napi::Number>().Int64Value());
}

// generatorNew(seed?): a CPU generator (default seed 67280421310721, as PyTorch's).
Napi::Value GeneratorNew(const Napi::CallbackInfo& info) {
  auto* box = new GeneratorBox{at::make_generator<at::CPUGeneratorImpl>()};
  if (info.Length() > 0 && !info[0].IsUndefined()) box->generator.set_current_seed(SeedArg(info[0]));
  return Napi::Value(info.Env(), NewTagged(info.Env(), box, kGeneratorTag));
}

Napi::Value GeneratorManualSeed(const Napi::CallbackInfo& info) {
  at::Generator g = UnwrapGenerator(info.Env(), info[0]);
  std::lock_guard<std::mutex> lock(g.mutex());
  g.set_current_seed(SeedArg(info[1]));
  return info.Env().Undefined();
}

Napi::Value GeneratorInitialSeed(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(UnwrapGenerator(info.Env(), info[0]).current_seed()));
}

}  // namespace

at::Generator UnwrapGenerator(napi_env env, napi_value value) {
  return UnwrapTagged<GeneratorBox>(env, value, kGeneratorTag, "a torch.Generator")->generator;
}

void InitGenerator(Napi::Env env, Napi::Object exports) {
  Export<GeneratorNew>(env, exports, "generatorNew");
  Export<GeneratorManualSeed>(env, exports, "generatorManualSeed");
  Export<GeneratorInitialSeed>(env, exports, "generatorInitialSeed");
}

}  // namespace tn
