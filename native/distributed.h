// torch.distributed: c10d's stores, process groups and DDP reducer (distributed.cc).
#pragma once
#include <napi.h>
namespace tn {
void InitDistributed(Napi::Env env, Napi::Object exports);
}
