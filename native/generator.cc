#include "generator.h"

#include <cmath>
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

uint64_t SeedArg(const Napi::Value& v) { return SeedFromJs(v, "Generator.manualSeed"); }

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

uint64_t SeedFromJs(const Napi::Value& v, const char* what) {
  auto fail = [&](const std::string& got) -> uint64_t {
    throw std::runtime_error(std::string(what) + ": expected an integer seed in [-2^63, 2^64), got " + got);
  };
  if (v.IsBigInt()) {
    bool lossless = false;
    int64_t i = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (lossless) return static_cast<uint64_t>(i);
    uint64_t u = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (lossless) return u;
    return fail(v.ToString().Utf8Value() + "n");
  }
  if (!v.IsNumber()) return fail(v.IsUndefined() ? "undefined" : v.IsNull() ? "null" : "a " + std::string(v.IsString() ? "string" : "non-number"));
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d == std::trunc(d)) || d < -9223372036854775808.0 || d >= 18446744073709551616.0) return fail(v.ToString().Utf8Value());
  return d < 0 ? static_cast<uint64_t>(static_cast<int64_t>(d)) : static_cast<uint64_t>(d);
}

at::Generator UnwrapGenerator(napi_env env, napi_value value) {
  return UnwrapTagged<GeneratorBox>(env, value, kGeneratorTag, "a torch.Generator")->generator;
}

void InitGenerator(Napi::Env env, Napi::Object exports) {
  Export<GeneratorNew>(env, exports, "generatorNew");
  Export<GeneratorManualSeed>(env, exports, "generatorManualSeed");
  Export<GeneratorInitialSeed>(env, exports, "generatorInitialSeed");
}

}  // namespace tn
