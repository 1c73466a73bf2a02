#pragma once
#include <napi.h>

#include "state.h"

namespace tn {
void InitTensor(Napi::Env env, Napi::Object exports);
}  // namespace tn
