#pragma once
#include <napi.h>
namespace tn {
void InitHooks(Napi::Env env, Napi::Object exports);
}
