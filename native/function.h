#pragma once
#include <napi.h>
namespace tn {
void InitFunction(Napi::Env env, Napi::Object exports);
}
