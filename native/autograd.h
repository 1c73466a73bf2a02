#pragma once
#include <napi.h>
namespace tn {
void InitAutograd(Napi::Env env, Napi::Object exports);
}
