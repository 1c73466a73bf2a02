#pragma once
#include <napi.h>
namespace tn {
void InitJit(Napi::Env env, Napi::Object exports);
}
