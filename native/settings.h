// libtorch's global settings: interop threads, determinism, anomaly mode, float32 matmul
// precision, denormals, warnings, vitals (torch.set_* / torch.get_* / torch.is_*).
#pragma once
#include <napi.h>

namespace tn {

void InitSettings(Napi::Env env, Napi::Object exports);

}  // namespace tn
