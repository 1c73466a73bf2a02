// Devices, threads and seeds: CUDA discovery, torch.cuda queries, manualSeed, threads.
#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>

#include "device.h"
#include "generator.h"
#include "errors.h"
#include "handle.h"
#include "state.h"

namespace tn {

// libtorch_cuda.so (next to libtorch_cpu.so) registers CUDA with the dispatcher when loaded;
// TORCH_NODE_DEVICE=cpu keeps it out even where it exists.
void LoadCuda(AddonState* state) {
  const char* device = std::getenv("TORCH_NODE_DEVICE");
  if (device && std::string(device) == "cpu") {
    state->cudaLoadError = "TORCH_NODE_DEVICE=cpu";
    return;
  }
  Dl_info info;
  if (!dladdr(reinterpret_cast<void*>(&at::globalContext), &info) || !info.dli_fname) return;
  std::string cpu = info.dli_fname;
  std::string dir = cpu.substr(0, cpu.find_last_of('/') + 1);
  std::string cuda = dir + "libtorch_cuda.so";
  if (!dlopen(cuda.c_str(), RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) &&
      !dlopen(cuda.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
    const char* error = dlerror();
    state->cudaLoadError = error ? error : "libtorch_cuda.so not found";
  }
}

namespace {

Napi::Value CudaIsAvailable(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::globalContext().hasCUDA() && at::detail::getCUDAHooks().deviceCount() > 0);
}

Napi::Value CudaDeviceCount(const Napi::CallbackInfo& info) {
  int count = at::globalContext().hasCUDA() ? at::detail::getCUDAHooks().deviceCount() : 0;
  return Napi::Number::New(info.Env(), count);
}

Napi::Value CudaLoadError(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), GetState(info.Env())->cudaLoadError);
}

// manualSeed(seed): the CPU generator and every CUDA one, as torch.manual_seed does.
Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  uint64_t seed = SeedFromJs(info[0], "manualSeed");
  {
    auto gen = at::globalContext().defaultGenerator(at::kCPU);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(seed);
  }
  if (at::globalContext().hasCUDA()) {
    int n = at::detail::getCUDAHooks().deviceCount();
    for (int i = 0; i < n; i++) {
      auto gen = at::globalContext().defaultGenerator(c10::Device(at::kCUDA, i));
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
  }
  return info.Env().Undefined();
}

// A cap far above any machine's cores: libtorch would start that many threads on the next
// parallel op (100,000 hung the process).
constexpr int kMaxThreads = 1024;

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  double n = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  if (!(n >= 1 && n <= kMaxThreads && n == std::trunc(n))) {
    throw std::runtime_error("setNumThreads: expected an integer number of threads in [1, " + std::to_string(kMaxThreads) +
                             "], got " + info[0].ToString().Utf8Value());
  }
  at::set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

// The default dtype of floating-point factories (torch.set_default_dtype); process-wide in
// libtorch, as in PyTorch.
Napi::Value SetDefaultDtype(const Napi::CallbackInfo& info) {
  auto type = static_cast<at::ScalarType>(info[0].As<Napi::Number>().Int32Value());
  if (!at::isFloatingType(type)) throw std::runtime_error("only floating-point types are supported as the default type");
  c10::set_default_dtype(c10::scalarTypeToTypeMeta(type));
  return info.Env().Undefined();
}

Napi::Value GetDefaultDtype(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int>(c10::typeMetaToScalarType(c10::get_default_dtype())));
}

// The CPU generator's state as a uint8 tensor, and back (torch.get_rng_state / set_rng_state).
Napi::Value GetRngState(const Napi::CallbackInfo& info) {
  auto gen = at::globalContext().defaultGenerator(c10::Device(at::kCPU));
  std::lock_guard<std::mutex> lock(gen.mutex());
  return Napi::Value(info.Env(), WrapTensor(info.Env(), GetState(info.Env()), at::Tensor(gen.get_state())));
}

Napi::Value SetRngState(const Napi::CallbackInfo& info) {
  auto gen = at::globalContext().defaultGenerator(c10::Device(at::kCPU));
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(UnwrapTensor(info.Env(), info[0]));
  return info.Env().Undefined();
}

Napi::Value InitialSeed(const Napi::CallbackInfo& info) {
  auto gen = at::globalContext().defaultGenerator(c10::Device(at::kCPU));
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(gen.current_seed()));
}

Napi::Value CudaSynchronize(const Napi::CallbackInfo& info) {
  // As PyTorch does: without a GPU there is nothing to wait for, and saying so beats a no-op.
  if (!at::globalContext().hasCUDA() || at::detail::getCUDAHooks().deviceCount() == 0) {
    const std::string& reason = GetState(info.Env())->cudaLoadError;
    throw std::runtime_error("torch.cuda.synchronize: CUDA is not available: " + (reason.empty() ? std::string("no CUDA device is visible") : reason));
  }
  at::detail::getCUDAHooks().deviceSynchronize(at::detail::getCUDAHooks().getCurrentDevice());
  return info.Env().Undefined();
}

}  // namespace

void InitDevice(Napi::Env env, Napi::Object exports) {
  Export<CudaIsAvailable>(env, exports, "cudaIsAvailable");
  Export<SetDefaultDtype>(env, exports, "setDefaultDtype");
  Export<GetDefaultDtype>(env, exports, "getDefaultDtype");
  Export<GetRngState>(env, exports, "getRngState");
  Export<SetRngState>(env, exports, "setRngState");
  Export<InitialSeed>(env, exports, "initialSeed");
  Export<CudaDeviceCount>(env, exports, "cudaDeviceCount");
  Export<CudaLoadError>(env, exports, "cudaLoadError");
  Export<CudaSynchronize>(env, exports, "cudaSynchronize");
  Export<ManualSeed>(env, exports, "manualSeed");
  Export<SetNumThreads>(env, exports, "setNumThreads");
  Export<GetNumThreads>(env, exports, "getNumThreads");
}

}  // namespace tn
