#pragma once
#include <napi.h>

namespace tn {
// AOTInductor packages (.pt2 made by torch._inductor.aoti_compile_and_package): load and run.
void InitAoti(Napi::Env env, Napi::Object exports);
}  // namespace tn
