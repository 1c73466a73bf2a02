#pragma once
#include <napi.h>
namespace tn {
void InitSerialization(Napi::Env env, Napi::Object exports);
}
