// torch.distributed over libtorch's own c10d, never a reimplementation: TCPStore, FileStore
// and PrefixStore for rendezvous, ProcessGroupGloo for the collectives (blocking: each call
// waits for its Work, within the group's timeout), and c10d::Reducer, the engine behind
// PyTorch's DistributedDataParallel, which hooks the parameters' gradient accumulators and
// all-reduces bucketed, pre-divided gradients while backward runs.
//
// The wheel's libtorch has Gloo built in but ships no gloo headers; native/gloo-decl holds
// the few declarations ProcessGroupGloo.hpp needs (see its README), checked against libtorch
// 2.11's header. Without them on the include path (or with another libtorch and no real gloo
// headers) the addon builds without Gloo, and creating a Gloo group says why.
#define USE_C10D_GLOO  // libtorch_cpu was built with it; ProcessGroupGloo.hpp is empty without it
#include <torch/version.h>
#if __has_include(<gloo/context.h>)
#include <gloo/context.h>
#if !defined(TORCH_NODE_GLOO_DECL) || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR == 11)
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#define TN_HAS_GLOO 1
#endif
#endif
#ifndef TN_HAS_GLOO
#define TN_HAS_GLOO 0
#endif
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/comm.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include <algorithm>
#include <limits>

#include "distributed.h"
#include "errors.h"
#include "handle.h"
#include "tagged.h"

namespace tn {

namespace {

using std::chrono::milliseconds;

constexpr napi_type_tag kStoreTag = {0x3d1f6a0b9c2e4d57ULL, 0xa4e2c1b07f95d368ULL};
constexpr napi_type_tag kGroupTag = {0x5b90e3c7d24a1f86ULL, 0x8c3f72a1e6d0b459ULL};
constexpr napi_type_tag kReducerTag = {0x71c4e8a2f03b5d96ULL, 0xe29d0b6c4a8f1357ULL};

// A collective that outlives the group's timeout by this much fails here, even if the
// backend's own timeout (which names the operation) did not fire first.
constexpr milliseconds kWaitSlack{2000};

struct StoreBox {
  c10::intrusive_ptr<c10d::Store> store;
};

struct GroupBox {
  c10::intrusive_ptr<c10d::ProcessGroup> pg;  // null once destroyed
  milliseconds timeout;
};

struct ReducerBox {
  std::unique_ptr<c10d::Reducer> reducer;  // null once freed
  // The Reducer's destructor unhooks the gradient accumulators and may throw; a GC-time
  // finalizer must not.
  ~ReducerBox() {
    try {
      reducer.reset();
    } catch (...) {
    }
  }
};

c10::intrusive_ptr<c10d::Store>& StoreArg(const Napi::CallbackInfo& info, size_t i) {
  return UnwrapTagged<StoreBox>(info.Env(), info[i], kStoreTag, "a Store")->store;
}

GroupBox* GroupArg(const Napi::CallbackInfo& info, size_t i) {
  auto* box = UnwrapTagged<GroupBox>(info.Env(), info[i], kGroupTag, "a ProcessGroup");
  if (!box->pg) throw std::runtime_error("the process group has been destroyed");
  return box;
}

c10d::Reducer& ReducerArg(const Napi::CallbackInfo& info, size_t i) {
  auto* box = UnwrapTagged<ReducerBox>(info.Env(), info[i], kReducerTag, "a DDP reducer");
  if (!box->reducer) throw std::runtime_error("the DistributedDataParallel reducer has been freed");
  return *box->reducer;
}

std::vector<at::Tensor> TensorsArg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsArray()) throw std::runtime_error("expected an array of tensors");
  Napi::Array array = info[i].As<Napi::Array>();
  std::vector<at::Tensor> tensors;
  tensors.reserve(array.Length());
  for (uint32_t k = 0; k < array.Length(); k++) tensors.push_back(UnwrapTensor(info.Env(), array.Get(k)));
  return tensors;
}

int64_t IntArg(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }

milliseconds MillisArg(const Napi::CallbackInfo& info, size_t i) { return milliseconds(IntArg(info, i)); }

void Wait(const c10::intrusive_ptr<c10d::Work>& work, const GroupBox* group) {
  work->wait(group->timeout + kWaitSlack);
}

Napi::Value NewStore(const Napi::CallbackInfo& info, c10::intrusive_ptr<c10d::Store> store) {
  return Napi::Value(info.Env(), NewTagged(info.Env(), new StoreBox{std::move(store)}, kStoreTag));
}

// ---- stores --------------------------------------------------------------------------------

// distTcpStore(host, port, isServer, worldSize | null, timeoutMs): as Python's TCPStore with
// multi_tenant=True (what env:// and tcp:// rendezvous create); the server waits for workers.
Napi::Value DistTcpStore(const Napi::CallbackInfo& info) {
  c10d::TCPStoreOptions options;
  options.port = static_cast<uint16_t>(IntArg(info, 1));
  options.isServer = info[2].ToBoolean();
  if (info[3].IsNumber()) options.numWorkers = static_cast<size_t>(IntArg(info, 3));
  options.timeout = MillisArg(info, 4);
  options.multiTenant = true;
  return NewStore(info, c10::make_intrusive<c10d::TCPStore>(info[0].As<Napi::String>().Utf8Value(), options));
}

// distFileStore(path, worldSize, timeoutMs)
Napi::Value DistFileStore(const Napi::CallbackInfo& info) {
  auto store = c10::make_intrusive<c10d::FileStore>(info[0].As<Napi::String>().Utf8Value(), static_cast<int>(IntArg(info, 1)));
  store->setTimeout(MillisArg(info, 2));
  return NewStore(info, store);
}

// distPrefixStore(prefix, store): keys of the new store are `${prefix}/${key}` in `store`.
Napi::Value DistPrefixStore(const Napi::CallbackInfo& info) {
  return NewStore(info, c10::make_intrusive<c10d::PrefixStore>(info[0].As<Napi::String>().Utf8Value(), StoreArg(info, 1)));
}

// distStoreSet(store, key, bytes)
Napi::Value DistStoreSet(const Napi::CallbackInfo& info) {
  auto bytes = info[2].As<Napi::Uint8Array>();
  StoreArg(info, 0)->set(info[1].As<Napi::String>().Utf8Value(), std::vector<uint8_t>(bytes.Data(), bytes.Data() + bytes.ByteLength()));
  return info.Env().Undefined();
}

// distStoreGet(store, key): waits for the key (within the store's timeout), then its bytes.
Napi::Value DistStoreGet(const Napi::CallbackInfo& info) {
  std::vector<uint8_t> value = StoreArg(info, 0)->get(info[1].As<Napi::String>().Utf8Value());
  return Napi::Buffer<uint8_t>::Copy(info.Env(), value.data(), value.size());
}

// distStoreAdd(store, key, amount): the counter's new value.
Napi::Value DistStoreAdd(const Napi::CallbackInfo& info) {
  int64_t value = StoreArg(info, 0)->add(info[1].As<Napi::String>().Utf8Value(), IntArg(info, 2));
  return Napi::Number::New(info.Env(), static_cast<double>(value));
}

// ---- process groups ------------------------------------------------------------------------

// distNewGroup(store, backend, rank, worldSize, timeoutMs, groupName): a process group laid
// out in the store as Python's _new_process_group_helper does (`${groupName}/cpu/...`), so a
// Python process can be one of its ranks.
Napi::Value DistNewGroup(const Napi::CallbackInfo& info) {
  auto store = StoreArg(info, 0);
  std::string backend = info[1].As<Napi::String>().Utf8Value();
  int rank = static_cast<int>(IntArg(info, 2));
  int size = static_cast<int>(IntArg(info, 3));
  milliseconds timeout = MillisArg(info, 4);
  std::string name = info[5].As<Napi::String>().Utf8Value();
  if (backend == "nccl") {
    throw std::runtime_error(
        "the nccl backend is not built into torch-node: c10d::ProcessGroupNCCL lives in libtorch_cuda, which the addon "
        "does not link, and its header needs NCCL's nccl.h; use backend 'gloo' (CPU tensors)");
  }
  if (backend != "gloo") throw std::runtime_error("expected backend 'gloo' or 'nccl', got '" + backend + "'");
#if TN_HAS_GLOO
  auto groupStore = c10::make_intrusive<c10d::PrefixStore>(name + "/", store);
  auto pg = c10::make_intrusive<c10d::ProcessGroup>(groupStore, rank, size);
  pg->setDefaultBackend(c10d::ProcessGroup::BackendType::GLOO);
  auto options = c10d::ProcessGroupGloo::Options::create_default(timeout);
  options->group_name = name;
  auto gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(c10::make_intrusive<c10d::PrefixStore>("cpu/", groupStore), rank, size,
                                                          options);
  gloo->setSequenceNumberForGroup();
  // Gloo serves CPU and CUDA tensors (through host copies), as Python registers it.
  pg->setBackend(c10::DeviceType::CPU, c10d::ProcessGroup::BackendType::GLOO, gloo);
  pg->setBackend(c10::DeviceType::CUDA, c10d::ProcessGroup::BackendType::GLOO, gloo);
  pg->setGroupName(name);
  return Napi::Value(info.Env(), NewTagged(info.Env(), new GroupBox{pg, timeout}, kGroupTag));
#else
  (void)store, (void)rank, (void)size, (void)timeout, (void)name;
  throw std::runtime_error(
      "this build of the torch-node addon has no Gloo backend: native/gloo-decl was not on its include path, or "
      "declares gloo for another libtorch version (see native/gloo-decl/README.md)");
#endif
}

Napi::Value DistGlooAvailable(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), TN_HAS_GLOO); }

// distDestroyGroup(group): releases the group now (its backend threads stop after the work
// already queued); later calls with it throw.
Napi::Value DistDestroyGroup(const Napi::CallbackInfo& info) {
  UnwrapTagged<GroupBox>(info.Env(), info[0], kGroupTag, "a ProcessGroup")->pg.reset();
  return info.Env().Undefined();
}

// ---- collectives (in place, blocking) ------------------------------------------------------

// distAllReduce(group, tensors, op): op is c10d::ReduceOp::RedOpType's code.
Napi::Value DistAllReduce(const Napi::CallbackInfo& info) {
  GroupBox* group = GroupArg(info, 0);
  std::vector<at::Tensor> tensors = TensorsArg(info, 1);
  c10d::AllreduceOptions options;
  options.reduceOp = c10d::ReduceOp(static_cast<c10d::ReduceOp::RedOpType>(IntArg(info, 2)));
  Wait(group->pg->allreduce(tensors, options), group);
  return info.Env().Undefined();
}

// distBroadcast(group, tensors, src)
Napi::Value DistBroadcast(const Napi::CallbackInfo& info) {
  GroupBox* group = GroupArg(info, 0);
  std::vector<at::Tensor> tensors = TensorsArg(info, 1);
  c10d::BroadcastOptions options;
  options.rootRank = IntArg(info, 2);
  Wait(group->pg->broadcast(tensors, options), group);
  return info.Env().Undefined();
}

// distAllGather(group, outputs, input): outputs[r] receives rank r's input.
Napi::Value DistAllGather(const Napi::CallbackInfo& info) {
  GroupBox* group = GroupArg(info, 0);
  std::vector<std::vector<at::Tensor>> outputs{TensorsArg(info, 1)};
  std::vector<at::Tensor> inputs{UnwrapTensor(info.Env(), info[2])};
  Wait(group->pg->allgather(outputs, inputs), group);
  return info.Env().Undefined();
}

Napi::Value DistBarrier(const Napi::CallbackInfo& info) {
  GroupBox* group = GroupArg(info, 0);
  Wait(group->pg->barrier(), group);
  return info.Env().Undefined();
}

// distBroadcastCoalesced(group, tensors, bufferBytes, src): rank src's values into every
// rank's tensors, packed into buffers of at most bufferBytes (DDP's _sync_module_states).
Napi::Value DistBroadcastCoalesced(const Napi::CallbackInfo& info) {
  GroupBox* group = GroupArg(info, 0);
  std::vector<at::Tensor> tensors = TensorsArg(info, 1);
  for (auto& t : tensors) t = t.detach();  // parameters are written in place, outside autograd
  c10d::broadcast_coalesced(group->pg, tensors, static_cast<size_t>(IntArg(info, 2)), static_cast<int>(IntArg(info, 3)));
  return info.Env().Undefined();
}

// distVerifyParams(group, params): throws unless every rank has the same parameter shapes.
Napi::Value DistVerifyParams(const Napi::CallbackInfo& info) {
  c10d::verify_params_across_processes(GroupArg(info, 0)->pg, TensorsArg(info, 1), std::nullopt);
  return info.Env().Undefined();
}

// ---- DistributedDataParallel's reducer -----------------------------------------------------

// ddpReducerNew(group, params, names, bucketCapBytes, firstBucketBytes, findUnusedParameters,
// gradientAsBucketView): buckets assigned as Python's DDP does (one bucket until the first
// backward tells the gradients' order, unless unused parameters are searched for).
Napi::Value DdpReducerNew(const Napi::CallbackInfo& info) {
  GroupBox* group = GroupArg(info, 0);
  std::vector<at::Tensor> params = TensorsArg(info, 1);
  Napi::Array names = info[2].As<Napi::Array>();
  int64_t bucketCap = IntArg(info, 3);
  int64_t firstBucket = IntArg(info, 4);
  bool findUnused = info[5].ToBoolean();
  bool asView = info[6].ToBoolean();
  std::vector<bool> sparse(params.size(), false);
  std::vector<size_t> limits = findUnused ? std::vector<size_t>{static_cast<size_t>(firstBucket), static_cast<size_t>(bucketCap)}
                                          : std::vector<size_t>{std::numeric_limits<size_t>::max()};
  auto buckets = std::get<0>(c10d::compute_bucket_assignment_by_size(params, limits, sparse));
  // Gradients arrive roughly in reverse order of definition.
  std::reverse(buckets.begin(), buckets.end());
  std::unordered_map<size_t, std::string> paramNames;
  for (uint32_t k = 0; k < names.Length(); k++) paramNames[k] = names.Get(k).As<Napi::String>().Utf8Value();
  auto reducer = std::make_unique<c10d::Reducer>(params, buckets, group->pg, sparse, bucketCap, findUnused, asView, paramNames,
                                                 firstBucket, /*skip_all_reduce_unused_params=*/false,
                                                 /*use_python_reducer=*/false, /*bucket_bytes_cap_list=*/std::vector<int64_t>{});
  return Napi::Value(info.Env(), NewTagged(info.Env(), new ReducerBox{std::move(reducer)}, kReducerTag));
}

Napi::Value DdpPrepareForForward(const Napi::CallbackInfo& info) {
  ReducerArg(info, 0).prepare_for_forward();
  return info.Env().Undefined();
}

// ddpPrepareForBackward(reducer, outputs): arms the hooks for the next backward; outputs
// (searched for unused parameters) only with findUnusedParameters.
Napi::Value DdpPrepareForBackward(const Napi::CallbackInfo& info) {
  ReducerArg(info, 0).prepare_for_backward(TensorsArg(info, 1));
  return info.Env().Undefined();
}

// ddpRebuildBuckets(reducer): after the first backward, re-buckets in gradient order (once).
Napi::Value DdpRebuildBuckets(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), ReducerArg(info, 0).rebuild_buckets());
}

Napi::Value DdpReducerFree(const Napi::CallbackInfo& info) {
  UnwrapTagged<ReducerBox>(info.Env(), info[0], kReducerTag, "a DDP reducer")->reducer.reset();
  return info.Env().Undefined();
}

}  // namespace

void InitDistributed(Napi::Env env, Napi::Object exports) {
  Export<DistTcpStore>(env, exports, "distTcpStore");
  Export<DistFileStore>(env, exports, "distFileStore");
  Export<DistPrefixStore>(env, exports, "distPrefixStore");
  Export<DistStoreSet>(env, exports, "distStoreSet");
  Export<DistStoreGet>(env, exports, "distStoreGet");
  Export<DistStoreAdd>(env, exports, "distStoreAdd");
  Export<DistNewGroup>(env, exports, "distNewGroup");
  Export<DistGlooAvailable>(env, exports, "distGlooAvailable");
  Export<DistDestroyGroup>(env, exports, "distDestroyGroup");
  Export<DistAllReduce>(env, exports, "distAllReduce");
  Export<DistBroadcast>(env, exports, "distBroadcast");
  Export<DistAllGather>(env, exports, "distAllGather");
  Export<DistBarrier>(env, exports, "distBarrier");
  Export<DistBroadcastCoalesced>(env, exports, "distBroadcastCoalesced");
  Export<DistVerifyParams>(env, exports, "distVerifyParams");
  Export<DdpReducerNew>(env, exports, "ddpReducerNew");
  Export<DdpPrepareForForward>(env, exports, "ddpPrepareForForward");
  Export<DdpPrepareForBackward>(env, exports, "ddpPrepareForBackward");
  Export<DdpRebuildBuckets>(env, exports, "ddpRebuildBuckets");
  Export<DdpReducerFree>(env, exports, "ddpReducerFree");
}

}  // namespace tn
