// AOTInductor packages: a .pt2 compiled in Python by torch._inductor.aoti_compile_and_package,
// loaded and run by libtorch's own loader (torch::inductor::AOTIModelPackageLoader), which
// extracts the package into a temporary folder and dlopens the model's shared library.
//
// A package is native code compiled for one machine, and the loader trusts it; the checks here
// turn what would crash the process into errors: a package for another CPU, platform or device
// is refused before its library is loaded, and the model's own input checks are switched on.
#include <dlfcn.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <streambuf>
#include <unordered_set>

#include <torch/csrc/inductor/aoti_package/model_package_loader.h>

#include "aoti.h"
#include "errors.h"
#include "handle.h"
#include "state.h"
#include "tagged.h"

namespace tn {

namespace {

using torch::inductor::AOTIModelPackageLoader;

constexpr napi_type_tag kPackageTag = {0x8d1f3a5c2e6b4a79ULL, 0x5f0c9e2d7a1b3c48ULL};

struct Package;

// The packages loaded in this process. Each extracted itself into a folder in /tmp that its
// loader's destructor removes; process.exit() skips the finalizers that would run it, so an
// exit handler unloads what is left (but not a model in the middle of a run).
struct LivePackages {
  std::mutex mutex;
  std::unordered_set<Package*> packages;
};
LivePackages& Live() {
  static auto* live = new LivePackages();  // never destroyed: the exit handler uses it
  return *live;
}

struct Package {
  std::unique_ptr<AOTIModelPackageLoader> loader;
  bool singleThreaded = false;
  std::mutex runMutex;  // a single-threaded model takes one run at a time
  std::atomic<int> running{0};

  Package() {
    std::lock_guard<std::mutex> lock(Live().mutex);
    Live().packages.insert(this);
  }
  ~Package() {
    std::lock_guard<std::mutex> lock(Live().mutex);
    Live().packages.erase(this);
  }
};

void UnloadAtExit() {
  std::lock_guard<std::mutex> lock(Live().mutex);
  for (Package* package : Live().packages) {
    if (package->running == 0) package->loader.reset();
  }
}

// The JS handle's box; dispose() empties it, while a queued run keeps its own reference.
struct PackageBox {
  std::shared_ptr<Package> package;
};

std::shared_ptr<Package> Unwrap(napi_env env, napi_value value) {
  auto* box = UnwrapTagged<PackageBox>(env, value, kPackageTag, "an AOTInductor package");
  if (!box->package) throw std::runtime_error("the AOTInductor package has been disposed");
  return box->package;
}

// The model reports why a run failed (an input's shape, dtype or stride) on std::cerr and then
// returns a bare error code. std::cerr gets a buffer that passes text through, except on a
// thread inside a run, where it keeps the text for that run's error. Installed once for the
// process (std::cerr is one per process) and never removed, so it outlives every writer.
class CerrCapture : public std::streambuf {
 public:
  static thread_local std::string* target;

  static void Install() {
    static std::once_flag once;
    std::call_once(once, [] { std::cerr.rdbuf(new CerrCapture(std::cerr.rdbuf())); });
  }

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    if (target) return target->push_back(static_cast<char>(c)), c;
    return original_->sputc(static_cast<char>(c));
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (target) return target->append(s, static_cast<size_t>(n)), n;
    return original_->sputn(s, n);
  }
  int sync() override { return target ? 0 : original_->pubsync(); }

 private:
  explicit CerrCapture(std::streambuf* original) : original_(original) {}
  std::streambuf* original_;
};

thread_local std::string* CerrCapture::target = nullptr;

// Runs the model; a failure carries what the model printed about it.
std::vector<at::Tensor> Run(Package& package, const std::vector<at::Tensor>& inputs) {
  struct Running {
    std::atomic<int>& count;
    explicit Running(std::atomic<int>& c) : count(c) { ++count; }
    ~Running() { --count; }
  } running(package.running);
  std::unique_lock<std::mutex> lock(package.runMutex, std::defer_lock);
  if (package.singleThreaded) lock.lock();
  std::string printed;
  CerrCapture::target = &printed;
  std::string error;
  try {
    auto outputs = package.loader->run(inputs);
    CerrCapture::target = nullptr;
    std::cerr << printed;  // warnings of a run that worked go where they were written
    return outputs;
  } catch (const c10::Error& e) {
    error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    error = e.what();
  }
  CerrCapture::target = nullptr;
  // "Error: input_handles[0]: unmatched dim value at 0, expected: 2, but got: 3\n"
  if (printed.rfind("Error: ", 0) == 0) printed.erase(0, 7);
  while (!printed.empty() && std::isspace(static_cast<unsigned char>(printed.back()))) printed.pop_back();
  if (printed.empty()) throw std::runtime_error(error);
  throw std::runtime_error("AOTInductor model: " + printed);
}

// Makes what a compiled model links resolvable, once per process; returns why libtorch.so
// could not be loaded, or "". Models compiled with aot_inductor.link_libtorch=False find
// libtorch_cpu's symbols in the global scope. The others need libtorch.so, which this addon
// does not link and which, in a CUDA build, loads only with every CUDA library present; an
// empty library named libtorch.so next to the addon (libtorch-stub/) stands in for it then:
// a CPU model calls only libtorch_cpu.
const std::string& LoadLibtorch() {
  static std::once_flag once;
  static std::string error;
  std::call_once(once, [] {
    Dl_info info;
    if (!dladdr(reinterpret_cast<void*>(&at::globalContext), &info) || !info.dli_fname) return;
    std::string cpu = info.dli_fname;
    dlopen(cpu.c_str(), RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
    std::string libtorch = cpu.substr(0, cpu.find_last_of('/') + 1) + "libtorch.so";
    if (dlopen(libtorch.c_str(), RTLD_NOW | RTLD_GLOBAL)) return;
    const char* why = dlerror();
    error = why ? why : libtorch + " did not load";
    if (dladdr(reinterpret_cast<void*>(&InitAoti), &info) && info.dli_fname) {
      std::string addon = info.dli_fname;
      std::string stub = addon.substr(0, addon.find_last_of('/') + 1) + "libtorch-stub/libtorch.so";
      if (dlopen(stub.c_str(), RTLD_NOW | RTLD_GLOBAL)) error.clear();
    }
  });
  return error;
}

// The CPU features a vector ISA named in AOTI_CPU_ISA needs (Inductor's VecISA classes).
bool CpuHas(const std::string& isa) {
#if defined(__x86_64__)
  if (isa == "AVX2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (isa == "AVX512") {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
  }
  if (isa == "AVX512_VNNI") return __builtin_cpu_supports("avx512vnni");
  if (isa == "AMX_TILE") return __builtin_cpu_supports("amx-tile");
#endif
  return true;  // names this check does not know (and other architectures): trust the package
}

#if defined(__x86_64__)
constexpr const char* kMachine = "x86_64";
#elif defined(__aarch64__)
constexpr const char* kMachine = "aarch64";
#else
constexpr const char* kMachine = "";
#endif

// Refuses a package whose library cannot run here, before the loader dlopens it.
void CheckRunsHere(const std::unordered_map<std::string, std::string>& metadata, AddonState* state) {
  auto get = [&](const char* key) {
    auto it = metadata.find(key);
    return it == metadata.end() ? std::string() : it->second;
  };
  std::string where = " (metadata of the package: AOTI_PLATFORM=" + get("AOTI_PLATFORM") +
                      ", AOTI_MACHINE=" + get("AOTI_MACHINE") + ")";
  std::string platform = get("AOTI_PLATFORM"), machine = get("AOTI_MACHINE");
  if (!platform.empty() && platform != "linux") {
    throw std::runtime_error("the AOTInductor package was compiled for " + platform + ", not linux" + where);
  }
  if (!machine.empty() && *kMachine && machine != kMachine) {
    throw std::runtime_error("the AOTInductor package was compiled for " + machine + ", this machine is " + kMachine + where);
  }
  std::istringstream isas(get("AOTI_CPU_ISA"));
  for (std::string isa; isas >> isa;) {
    if (!CpuHas(isa)) {
      throw std::runtime_error("the AOTInductor package was compiled for CPUs with " + get("AOTI_CPU_ISA") +
                               ", which this CPU lacks (" + isa + "): recompile it on a machine like this one");
    }
  }
  if (get("AOTI_DEVICE_KEY") == "cuda" && !at::globalContext().hasCUDA()) {
    std::string reason = state->cudaLoadError.empty() ? "no CUDA device is visible" : state->cudaLoadError;
    throw std::runtime_error("the AOTInductor package was compiled for cuda, but CUDA is not available: " + reason);
  }
}

// aotiLoad(path, modelName, runSingleThreaded, numRunners, deviceIndex)
Napi::Value AotiLoad(const Napi::CallbackInfo& info) {
  std::string path = info[0].As<Napi::String>().Utf8Value();
  std::string modelName = info[1].As<Napi::String>().Utf8Value();
  bool singleThreaded = info[2].ToBoolean();
  auto numRunners = static_cast<size_t>(info[3].As<Napi::Number>().Int64Value());
  auto deviceIndex = static_cast<c10::DeviceIndex>(info[4].As<Napi::Number>().Int32Value());

  const std::string& libtorchError = LoadLibtorch();
  CerrCapture::Install();
  static std::once_flag exitHandler;
  std::call_once(exitHandler, [] { std::atexit(UnloadAtExit); });
  // The model checks each input's dtype, shape and strides only when this is set (read once
  // per model library): without it, a wrong input reads out of bounds. "0" opts out.
  setenv("AOTI_RUNTIME_CHECK_INPUTS", "1", /*overwrite=*/0);
  auto metadata = AOTIModelPackageLoader::load_metadata_from_package(path, modelName);
  // Checked here because the loader, failing later, leaves its extracted files in /tmp.
  if (metadata.count("AOTI_DEVICE_KEY") == 0) {
    throw std::runtime_error("no AOTInductor model '" + modelName + "' in " + path + " (expected data/aotinductor/" +
                             modelName + "/*wrapper_metadata.json in the archive)");
  }
  CheckRunsHere(metadata, GetState(info.Env()));

  auto package = std::make_shared<Package>();
  try {
    package->loader = std::make_unique<AOTIModelPackageLoader>(path, modelName, singleThreaded, numRunners, deviceIndex);
  } catch (const std::exception& e) {
    auto* error = dynamic_cast<const c10::Error*>(&e);
    std::string message = error ? error->what_without_backtrace() : e.what();
    if (libtorchError.empty() || message.find("libtorch.so") == std::string::npos) throw;
    throw std::runtime_error(message + "\n(the model links libtorch.so, which did not load: " + libtorchError +
                             "; compile it with inductor_configs={\"aot_inductor.link_libtorch\": False}, or install the "
                             "libraries libtorch.so needs)");
  }
  package->singleThreaded = singleThreaded;
  return Napi::Value(info.Env(), NewTagged(info.Env(), new PackageBox{std::move(package)}, kPackageTag));
}

std::vector<at::Tensor> InputsFromJs(Napi::Env env, Napi::Value value) {
  Napi::Array array = value.As<Napi::Array>();
  std::vector<at::Tensor> inputs;
  inputs.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); i++) inputs.push_back(UnwrapTensor(env, array.Get(i)));
  return inputs;
}

Napi::Value OutputsToJs(Napi::Env env, const std::vector<at::Tensor>& outputs) {
  Napi::Array array = Napi::Array::New(env, outputs.size());
  AddonState* state = GetState(env);
  for (uint32_t i = 0; i < outputs.size(); i++) array.Set(i, Napi::Value(env, WrapTensor(env, state, outputs[i])));
  return array;
}

// aotiRun(package, inputs): the flat list of output tensors.
Napi::Value AotiRun(const Napi::CallbackInfo& info) {
  auto package = Unwrap(info.Env(), info[0]);
  return OutputsToJs(info.Env(), Run(*package, InputsFromJs(info.Env(), info[1])));
}

// aotiRunAsync(package, inputs): the same run on a libuv worker thread, as a Promise. The job
// holds the package and the input tensors, so JS may dispose or drop either meanwhile.
class RunJob : public Napi::AsyncWorker {
 public:
  RunJob(Napi::Env env, std::shared_ptr<Package> package, std::vector<at::Tensor> inputs)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), package_(std::move(package)),
        inputs_(std::move(inputs)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      outputs_ = Run(*package_, inputs_);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
    inputs_.clear();
  }

  void OnOK() override {
    deferred_.Resolve(OutputsToJs(Env(), outputs_));
    outputs_.clear();
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Package> package_;
  std::vector<at::Tensor> inputs_;
  std::vector<at::Tensor> outputs_;
};

Napi::Value AotiRunAsync(const Napi::CallbackInfo& info) {
  auto* job = new RunJob(info.Env(), Unwrap(info.Env(), info[0]), InputsFromJs(info.Env(), info[1]));
  Napi::Promise promise = job->Promise();
  job->Queue();
  return promise;
}

Napi::Value AotiMetadata(const Napi::CallbackInfo& info) {
  auto metadata = Unwrap(info.Env(), info[0])->loader->get_metadata();
  std::map<std::string, std::string> sorted(metadata.begin(), metadata.end());
  Napi::Object out = Napi::Object::New(info.Env());
  for (const auto& [key, value] : sorted) out.Set(key, value);
  return out;
}

Napi::Value Strings(Napi::Env env, const std::vector<std::string>& strings) {
  Napi::Array out = Napi::Array::New(env, strings.size());
  for (uint32_t i = 0; i < strings.size(); i++) out.Set(i, strings[i]);
  return out;
}

Napi::Value AotiCallSpec(const Napi::CallbackInfo& info) {
  return Strings(info.Env(), Unwrap(info.Env(), info[0])->loader->get_call_spec());
}

Napi::Value AotiConstantFqns(const Napi::CallbackInfo& info) {
  return Strings(info.Env(), Unwrap(info.Env(), info[0])->loader->get_constant_fqns());
}

// aotiLoadConstants(package, {fqn: tensor}, checkFullUpdate, userManaged)
Napi::Value AotiLoadConstants(const Napi::CallbackInfo& info) {
  auto package = Unwrap(info.Env(), info[0]);
  Napi::Object map = info[1].As<Napi::Object>();
  std::unordered_map<std::string, at::Tensor> constants;
  Napi::Array keys = map.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); i++) {
    std::string key = keys.Get(i).As<Napi::String>().Utf8Value();
    constants.emplace(key, UnwrapTensor(info.Env(), map.Get(key)));
  }
  std::lock_guard<std::mutex> lock(package->runMutex);
  package->loader->load_constants(constants, /*use_inactive=*/false, info[2].ToBoolean(), info[3].ToBoolean());
  return info.Env().Undefined();
}

// aotiDispose(package): unloads the model and removes its temporary folder, unless a queued
// run still holds it (then when that run ends).
Napi::Value AotiDispose(const Napi::CallbackInfo& info) {
  UnwrapTagged<PackageBox>(info.Env(), info[0], kPackageTag, "an AOTInductor package")->package.reset();
  return info.Env().Undefined();
}

}  // namespace

void InitAoti(Napi::Env env, Napi::Object exports) {
  Export<AotiLoad>(env, exports, "aotiLoad");
  Export<AotiRun>(env, exports, "aotiRun");
  Export<AotiRunAsync>(env, exports, "aotiRunAsync");
  Export<AotiMetadata>(env, exports, "aotiMetadata");
  Export<AotiCallSpec>(env, exports, "aotiCallSpec");
  Export<AotiConstantFqns>(env, exports, "aotiConstantFqns");
  Export<AotiLoadConstants>(env, exports, "aotiLoadConstants");
  Export<AotiDispose>(env, exports, "aotiDispose");
}

}  // namespace tn
